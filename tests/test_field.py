"""In the field (issue 15): "which ward am I in?", the ward search and the offline ward briefings, in Chromium
on the real Maidstone site; and the build fingerprint that keeps a phone from mixing two builds' files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from tests.browser import ENGINE, serve
from tests.checks import data_script

playwright_api = pytest.importorskip("playwright.sync_api")
AXE = Path(pytest.importorskip("axe_playwright_python").__file__).parent / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def wards(site):
    """Ward code -> (name, polygon) from the site's own download, read independently of the page's script."""
    features = json.loads((site / "downloads" / "wards.geojson").read_text())["features"]
    return {f["properties"]["ward_code"]: (f["properties"]["ward_name"], shape(f["geometry"])) for f in features}


def _inside(polygon) -> tuple[float, float]:
    """A point well inside the polygon (longitude, latitude), away from its edges."""
    p = shapely.Point(polygon.representative_point())
    return p.x, p.y


def _locate(browser, base, rel, **context):
    ctx = browser.new_context(**PHONE, **context)
    page = ctx.new_page()
    page.goto(base + rel)
    page.get_by_role("button", name="Which ward am I in?").click()
    page.wait_for_function(
        "() => { const t = document.querySelector('.field-result').textContent; return t && !t.startsWith('Finding'); }"
    )
    return ctx, page


@pytest.mark.parametrize("rel", ["wards/index.html"])  # the assessment's wards (the front door: tests/test_now.py)
def test_locate_names_the_ward_that_holds_the_position(browser, base, wards, rel):
    code = next(c for c, (name, _) in wards.items() if name == "Park Wood")
    lon, lat = _inside(wards[code][1])
    ctx, page = _locate(
        browser, base, rel, permissions=["geolocation"], geolocation={"latitude": lat, "longitude": lon, "accuracy": 20}
    )
    panel = page.locator(".field-panel")
    assert panel.locator("h2").inner_text() == "You are in Park Wood ward"
    assert panel.locator("a").first.get_attribute("href").endswith("wards/park-wood.html")
    rows = panel.locator("table.field-figures tr").all_inner_texts()
    assert any(r.startswith("Anti-social behaviour") for r in rows) and len(rows) == 4  # header + three priorities
    assert panel.locator("h3").inner_text() == "Significant hot spots near you"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert [v["id"] for v in found if v["impact"] in ("serious", "critical")] == []
    ctx.close()


def test_every_ward_is_found_at_a_point_inside_it(browser, base, wards):
    """The page's own point-in-polygon (window.geoField.wardAt) against shapely, for every ward."""
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base + "wards/index.html")
    for code, (_, polygon) in wards.items():
        lon, lat = _inside(polygon)
        assert page.evaluate("([lat, lon]) => window.geoField.wardAt(lat, lon)", [lat, lon]) == code
    assert page.evaluate("window.geoField.wardAt(51.5074, -0.1278)") is None  # London
    ctx.close()


@pytest.mark.parametrize(
    "where,expected",
    [
        ({"latitude": 51.5074, "longitude": -0.1278, "accuracy": 20}, "outside Maidstone"),
        (None, "only known to within about 5,000 m"),
    ],
)
def test_locate_says_when_outside_or_too_coarse(browser, base, wards, where, expected):
    if where is None:  # a coarse fix (mobile mast) inside the district
        lon, lat = _inside(next(p for name, p in wards.values() if name == "High Street"))
        where = {"latitude": lat, "longitude": lon, "accuracy": 5000}
    ctx, page = _locate(browser, base, "index.html", permissions=["geolocation"], geolocation=where)
    assert expected in page.locator(".field-result").inner_text()
    ctx.close()


def test_locate_says_when_permission_is_refused(browser, base):
    ctx, page = _locate(browser, base, "index.html")  # no permission granted: Chromium refuses
    assert "not allowed this site to know your position" in page.locator(".field-result").inner_text()
    ctx.close()


def test_search_goes_to_the_ward_page_by_ward_or_street_name(browser, base, site):
    streets = data_script((site / "assets/field/streets.js").read_text(), "streets")
    street, codes = next((s, c) for s, c in streets if len(c) == 1 and s.isascii() and len(s) > 8)
    names = data_script((site / "assets/field/field-data.js").read_text(), "field")["wards"]
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    for query, target in (
        ("park wood", names[next(c for c in names if names[c]["name"] == "Park Wood")]["href"]),
        (street, names[codes[0]]["href"]),
    ):
        page.goto(base + "wards/index.html")
        box = page.get_by_label("Find a ward by its name or a street")
        box.fill(query)
        page.wait_for_function(
            "() => window.geoField.data.streets !== undefined"
        )  # the street list loads when search is used
        box.press("Enter")
        page.wait_for_url("**/" + target)
    page.goto(base + "wards/index.html")
    page.get_by_label("Find a ward by its name or a street").fill("Street")
    page.wait_for_function("() => window.geoField.data.streets !== undefined")
    page.get_by_role("button", name="Find").click()
    assert page.locator(".field-matches li").count() > 3  # a partial name lists the matches as links
    ctx.close()


def _phone_page(browser, site: Path, tmp: Path):
    """A phone's page and a copy of the site to serve (the tests stop serving it to go offline)."""
    copy = tmp / "site"
    shutil.copytree(site, copy)
    return browser.new_context(**PHONE).new_page(), copy


def _controlled(page, url: str) -> None:
    """Open ``url`` and wait until the service worker controls the page."""
    page.goto(url)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30000)


def test_a_ward_page_opened_online_opens_again_offline(browser, site, tmp_path):
    page, copy = _phone_page(browser, site, tmp_path)
    with serve(copy) as url:
        _controlled(page, url + "wards/high-street.html")
        page.wait_for_function(  # the page and its map's script are stored
            """async () => !!(await caches.match(location.href)) &&
                           !!(await caches.match(document.querySelector('script[src*="field.js"]').src))""",
            timeout=30000,
        )
    # the server has stopped: nothing but the service worker can answer now
    page.reload()
    assert page.locator("h1").inner_text().rstrip("¶") == "High Street"
    page.wait_for_selector(".field-map .leaflet-overlay-pane path", state="attached")
    assert page.locator(".field-map .leaflet-overlay-pane path").count() >= 26
    assert page.locator("table").count() >= 2
    page.goto(page.url.replace("high-street", "allington"))  # never opened: the offline page says so
    assert "You are offline" in page.locator("h1").inner_text()
    page.context.close()


def test_keep_this_ward_offline_stores_the_page_and_its_files(browser, site, tmp_path):
    page, copy = _phone_page(browser, site, tmp_path)
    with serve(copy) as url:
        _controlled(page, url + "index.html")
        page.goto(url + "wards/park-wood.html")
        keep = page.get_by_role("button", name="Keep this ward offline")
        keep.wait_for()
        page.wait_for_function("!document.querySelector('.field-keep').disabled", timeout=30000)
        keep.click()
        status = page.locator(".field-keep-status")
        page.wait_for_function("document.querySelector('.field-keep-status').textContent.startsWith('Kept')")
        assert re.search(r"the \d+ files it needs", status.inner_text())
        assert page.locator(".field-keep").get_attribute("aria-pressed") == "true"
        kept = page.evaluate(
            "async (u) => (await (await (await caches.open('geo-kept')).match(u)).json())", url + "kept.json"
        )
        assert kept == [url + "wards/park-wood.html"]
    page.goto(url + "index.html")  # offline now; then the kept ward from the home page's link
    page.goto(url + "wards/park-wood.html")
    assert page.locator("h1").inner_text().rstrip("¶") == "Park Wood"
    page.wait_for_selector(".field-map .leaflet-overlay-pane path", state="attached")
    repeats = page.get_by_role("table", name=re.compile("^Repeat locations in Park Wood"))
    assert repeats.count() == 1 and repeats.locator("tbody tr").count() >= 1  # the briefing's repeat locations
    page.context.close()


def test_one_fingerprint_names_the_cache_and_every_versioned_address(site):
    """A phone can never pair a page with another build's files: the service worker's cache and every ?v= that
    the pages give are the same build fingerprint."""
    version = re.search(r"var VERSION = '([0-9a-f]{16})';", (site / "sw.js").read_text()).group(1)
    seen = set()
    for page in site.rglob("*.html"):
        seen |= set(re.findall(r"\?v=([^\"'&]+)", page.read_text()))
    assert seen == {version}
    manifest = json.loads((site / "manifest.webmanifest").read_text())
    assert manifest["display"] == "standalone" and {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert (site / icon["src"]).read_bytes().startswith(b"\x89PNG")


def test_the_fingerprint_changes_with_any_file_and_only_then():
    from geo.fingerprint import FINGERPRINT, stamp_fingerprint

    def build(data: str) -> dict:
        store = {"files/a.js": "x", "files/data.js": data, "pages/p.md": f"<script src='a.js?v={FINGERPRINT}'>"}
        stamp_fingerprint(store)
        return store

    assert build("1") == build("1")
    assert build("1")["pages/p.md"] != build("2")["pages/p.md"]
    assert FINGERPRINT not in build("1")["pages/p.md"]


def test_site_search_loads_its_index_only_when_opened_and_then_answers(browser, base):
    """Material's search index waits for search to be opened; Material's script (loaded after the page) works."""
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    asked = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(base + "wards/high-street.html", wait_until="networkidle")
    if ENGINE == "zensical":  # its own search, whose index loads after the page does
        page.locator("label[for=__search]").first.click()  # (geo/engines.py)
        page.locator('input[aria-label="Search"]').fill("Earl Street")
        page.get_by_role("option").filter(has_text="Earl Street").first.wait_for()
    else:
        assert not any("search_index.json" in u for u in asked)
        page.locator("label[for=__search]").first.click()
        page.locator(".md-search__input").fill("Earl Street")
        page.locator(".md-search-result__item").first.wait_for()
        assert any("search_index.json" in u for u in asked)
    page.keyboard.press("Escape")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("[data-md-component=palette] label:visible").first.click()  # the colour switch still works
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != before
    ctx.close()
