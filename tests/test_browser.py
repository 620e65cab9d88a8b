"""The built site in a real browser (Debian's Chromium through Playwright), served on loopback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from geo.render.maps.hotspot import CLASS_COLOURS
from tests.browser import serve, watch

playwright_api = pytest.importorskip("playwright.sync_api")
AXE = Path(pytest.importorskip("axe_playwright_python").__file__).parent / "axe.min.js"

PAGE_TYPES = {
    "home": "index.html",
    "chapter": "assessment/emerging-issues.html",
    "map": "maps/asb.html",
    "hotspot": "hotspots/asb.html",
    "ward": "wards/high-street.html",
    "wards index": "wards/index.html",
    "downloads": "downloads.html",
    "checks": "assessment/checks.html",
    "sections of the report": "assessment/sections.html",
    "outcomes": "outcomes.html",
    "outcomes today": "2025/outcomes.html",
    "use the data": "use-the-data.html",
    "ward today": "2025/wards/high-street.html",
}


def _open(browser, url, **ctx):
    context = browser.new_context(**ctx)
    page = context.new_page()
    w = watch(page)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page, w


def _all_pages(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "map-files" not in p.parts and p.name != "404.html"
    )


def test_every_page_loads_cleanly(browser, base, site):
    bad = {}
    context = browser.new_context()
    page = context.new_page()
    w = watch(page)
    for rel in _all_pages(site):
        page.goto(base + rel, wait_until="load")
        page.wait_for_load_state("networkidle")
        if not w.clean:
            bad[rel] = (w.errors[:], w.failed[:], w.external[:], w.dialogs[:])
        w.errors.clear(), w.failed.clear(), w.external.clear(), w.dialogs.clear()
    context.close()
    assert bad == {}


def _map_frame(page, index=0):
    """The frame that draws the page's map: the page itself for an in-page map (geo/field.py), else its iframe."""
    if page.locator(".field-map").count():
        page.wait_for_selector(".field-map.leaflet-container .leaflet-overlay-pane path", state="attached")
        return page.main_frame
    handle = page.locator("iframe").nth(index).element_handle()
    frame = handle.content_frame()
    frame.wait_for_selector(".leaflet-container")
    return frame


def _map_element(page):
    """The map's box on the page: the in-page map, or the iframe that holds it."""
    return page.locator(".field-map").first if page.locator(".field-map").count() else page.locator("iframe").first


@pytest.mark.parametrize(
    "rel,min_paths",
    [
        ("maps/asb.html", 26),
        ("maps/drugs.html", 26),
        ("maps/violence.html", 26),
        ("maps/imd_score.html", 26),
        ("hotspots/asb.html", 1),
        ("hotspots/shoplifting.html", 1),
        ("wards/high-street.html", 26),
        ("wards/index.html", 26),
    ],
)
def test_every_map_renders_with_legend_and_table(browser, base, rel, min_paths):
    context, page, w = _open(browser, base + rel)
    frame = _map_frame(page)
    frame.wait_for_function("n => document.querySelectorAll('.leaflet-overlay-pane path').length >= n", arg=min_paths)
    paths = frame.locator(".leaflet-overlay-pane path").count()
    if rel.startswith("maps/"):
        assert frame.locator("path.leaflet-interactive").count() == 26  # one shape per ward in the shown layer
    assert paths >= min_paths
    in_page = frame == page.main_frame
    if not rel.startswith("wards/index"):
        assert frame.locator(".field-legend" if in_page else ".map-legend").count() == 1
    assert page.locator("table").count() >= 1  # the text alternative
    if in_page:
        assert page.locator(".field-map[role=region]").get_attribute("aria-label").startswith("Map")
    else:
        assert page.locator("iframe").first.get_attribute("title")
        assert frame.locator("[role=region][aria-label]").count() == 1
    assert w.clean, (w.errors, w.failed, w.external)
    context.close()


@pytest.mark.parametrize("ind", ["asb", "drugs"])
def test_hotspot_page_draws_every_significant_cell_in_the_page(browser, base, site, ind):
    """The hotspot pages draw their map in the page, like the ward pages: one shape per hot or cold cell of the
    indicator's Gi* download, each with its tooltip, and the records behind the layer button."""
    import pandas as pd

    cells = pd.read_csv(site / "downloads" / f"hotspots-{ind}.csv")
    significant = cells[cells["hotspot"] != "Not significant"]
    context, page, w = _open(browser, base + f"hotspots/{ind}.html")
    frame = _map_frame(page)
    assert frame == page.main_frame and page.locator("iframe").count() == 0
    shapes = page.locator(".field-map path.leaflet-interactive")
    assert shapes.count() == len(significant) > 0
    fills = {p.get_attribute("fill") for p in shapes.all()}
    assert fills <= {CLASS_COLOURS[h] for h in significant["hotspot"]}
    shapes.first.hover(force=True)
    assert "records in cell" in page.locator(".leaflet-tooltip").inner_text()
    assert page.locator(".field-map .leaflet-control-layers").count() == 1
    assert (
        page.get_by_role("link", name="Open the map full screen").get_attribute("href").endswith(f"hotspots-{ind}.html")
    )
    assert w.clean, (w.errors, w.failed, w.external)
    context.close()


def test_choropleth_tooltip_and_layer_switch(browser, base):
    context, page, w = _open(browser, base + "maps/asb.html")
    frame = _map_frame(page)
    shape = frame.locator("path.leaflet-interactive").first
    shape.hover(force=True)
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for()
    text = tip.inner_text()
    for field in ("Ward", "Records", "Rate per 1,000 (95% CI)", "Rank", "Compared with borough"):
        assert field in text
    legend = frame.locator(".field-legend [data-layer]:not([hidden])")
    assert "per 1,000" in legend.inner_text()
    colour = frame.locator("path.leaflet-interactive").first.get_attribute("fill")
    frame.get_by_label("Number of records").check()
    assert "number of records" in frame.locator(".field-legend [data-layer]:not([hidden])").inner_text()
    fills = {p.get_attribute("fill") for p in frame.locator("path.leaflet-interactive").all()}
    assert len(fills) > 1 and colour  # the wards are recoloured by the other measure's classes
    context.close()


def _swipe(context, page, x, y, dy=-250):
    cdp = context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + dy * i / 10}]})
        time.sleep(0.02)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("rel", ["maps/asb.html", "hotspots/asb.html", "wards/high-street.html"])
def test_a_map_scrolled_under_the_header_stays_under_it(browser, base, rel):
    """On a phone the site's header stays at the top; a map scrolled up beneath it must not be drawn over it (or
    take the taps meant for its menu and search)."""
    context, page, _ = _open(
        browser, base + rel, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    _map_frame(page)
    page.evaluate(
        "el => window.scrollTo({top: el.getBoundingClientRect().top + window.scrollY + 120, behavior: 'instant'})",
        _map_element(page).element_handle(),
    )
    header = page.locator(".md-header").bounding_box()
    for x in (60, 195, 330):
        on_top = page.evaluate(
            "([x, y]) => !!document.elementFromPoint(x, y).closest('.md-header')",
            [x, header["y"] + header["height"] / 2],
        )
        assert on_top, (rel, x)
    context.close()


@pytest.mark.parametrize("rel", ["maps/asb.html", "hotspots/asb.html", "wards/high-street.html"])
def test_one_finger_swipe_over_a_map_scrolls_the_page(browser, base, rel):
    context, page, _ = _open(
        browser, base + rel, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    _map_frame(page)
    frame_el = _map_element(page)
    page.evaluate(
        "el => window.scrollTo({top: el.getBoundingClientRect().top + window.scrollY - 100, behavior: 'instant'})",
        frame_el.element_handle(),
    )
    page.wait_for_function("el => Math.abs(el.getBoundingClientRect().top - 100) < 2", arg=frame_el.element_handle())
    box = frame_el.bounding_box()
    before = page.evaluate("window.scrollY")
    _swipe(context, page, box["x"] + box["width"] / 2, min(box["y"] + box["height"] / 2, 700))
    page.wait_for_function("y => window.scrollY > y", arg=before + 100, timeout=5000)  # the page scrolled
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    context.close()


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_accessibility_audit(browser, base, kind):
    context, page, _ = _open(browser, base + PAGE_TYPES[kind])
    assert _axe(page) == []
    context.close()


@pytest.mark.parametrize(
    "rel",
    [
        "map-files/asb.html",
        "map-files/imd_score.html",
        "map-files/hotspots-asb.html",
        "map-files/ward.html?ward=E05004996",
        "map-files/ward.html",
    ],
)
def test_accessibility_audit_of_map_frames(browser, base, rel):
    context, page, w = _open(browser, base + rel)
    page.wait_for_selector(".leaflet-container .leaflet-overlay-pane path", state="attached")
    assert _axe(page) == []
    assert w.clean, (w.errors, w.failed, w.external)
    context.close()


def test_keyboard_reaches_and_leaves_the_map(browser, base):
    context, page, _ = _open(browser, base + "maps/asb.html")
    seen = []
    for _ in range(160):
        page.keyboard.press("Tab")
        where = page.evaluate("""() => {
            const a = document.activeElement;
            if (a && a.closest && a.closest('.field-map')) {
                return 'map:' + (a.getAttribute('aria-label') || a.className || a.tagName);
            }
            if (a && a.tagName === 'IFRAME') {
                const inner = a.contentDocument && a.contentDocument.activeElement;
                return 'map:' + (inner ? (inner.getAttribute('aria-label') || inner.className || inner.tagName) : '');
            }
            return a ? (a.textContent || a.tagName).trim().slice(0, 40) : '';
        }""")
        seen.append(where)
        if any(s.startswith("map:") for s in seen) and not where.startswith("map:"):
            break
    inside = [s for s in seen if s.startswith("map:")]
    assert inside, seen[-10:]
    assert any("Map:" in s for s in inside)  # the labelled map region itself takes focus
    assert not seen[-1].startswith("map:"), "focus is trapped in the map"
    context.close()


def test_hostile_data_runs_nothing(browser, tmp_path):
    from tests.fixtures import build_site, make_data_dir

    evil = ['<img src=x onerror="alert(1)">', "</script><script>alert(2)</script>", 'O\'Brien "&" | *x*']
    data = make_data_dir(
        tmp_path / "data",
        ward_names=evil,
        streets="<img src=x onerror=alert(3)> </script>",
        district_name='<img src=x onerror="alert(4)"> & Co',
    )
    site = tmp_path / "site"
    assert build_site(data, tmp_path) == 0
    with serve(site) as url:
        for rel in (
            "index.html",
            "road-safety.html",
            "maps/asb.html",
            "hotspots/asb.html",
            "wards/index.html",
            "maps/imd_score.html",
            "map-files/ward.html?ward=E05000001",
            "map-files/hotspots-asb.html",
        ):
            context, page, w = _open(browser, url + rel)  # waits until the network is idle
            for frame in page.frames:
                assert frame.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0, (rel, frame.url)
                assert frame.evaluate("document.querySelectorAll('script:not([src])').length") == frame.evaluate(
                    "document.querySelectorAll('script:not([src])').length"
                )
            assert w.dialogs == [], rel
            assert not [e for e in w.errors if "alert" in e], rel
            context.close()
        context, page, w = _open(browser, url + "wards/index.html")
        assert '<img src=x onerror="alert(1)">' in page.locator("article").inner_text()  # shown as text
        assert page.title().endswith('<img src=x onerror="alert(4)"> & Co - community safety by ward')  # as text
        context.close()


def test_another_districts_pages_are_clean_and_accessible(browser, tmp_path):
    """A district other than Maidstone with IoD 2015: its generated home, road safety, deprivation and ward pages."""
    from tests.fixtures import build_site, make_data_dir, use_iod2015

    data = use_iod2015(make_data_dir(tmp_path / "data"))
    assert build_site(data, tmp_path) == 0
    site = tmp_path / "site"
    assert not (site / "assessment").exists()
    with serve(site) as url:
        for rel in ("index.html", "road-safety.html", "maps/imd_score.html", "wards/charlie.html"):
            context, page, w = _open(browser, url + rel)
            assert w.clean, (rel, w.errors, w.failed, w.external)
            assert _axe(page) == [], rel
            nav = page.locator("nav.md-nav--primary").inner_text()
            assert "The assessment" not in nav and "Road safety" in nav, rel
            context.close()


def test_ward_page_static_map_is_for_print_only(browser, base):
    """The static SVG map replaces the interactive one on paper only; on screen it would be a second map."""
    context, page, _ = _open(browser, base + "wards/park-wood.html", viewport={"width": 390, "height": 844})
    shown = "getComputedStyle(document.querySelector('figure.print-only')).display"
    hidden = "getComputedStyle(document.querySelector('.field')).display"
    assert page.evaluate(shown) == "none" and page.evaluate(hidden) != "none"
    page.emulate_media(media="print")
    assert page.evaluate(shown) != "none" and page.evaluate(hidden) == "none"
    context.close()


@pytest.mark.parametrize("width", [390, 1000])
def test_scale_bar_is_visible_and_clear_of_the_attribution(browser, base, width):
    context = browser.new_context(viewport={"width": width, "height": 760})
    page = context.new_page()
    page.goto(base + "map-files/monitoring.html")
    page.locator(".leaflet-control-scale").wait_for()
    scale = page.locator(".leaflet-control-scale").bounding_box()
    attribution = page.locator(".leaflet-control-attribution").bounding_box()
    assert scale and attribution and scale["height"] > 0 and page.locator(".leaflet-control-scale").is_visible()
    overlap_x = min(scale["x"] + scale["width"], attribution["x"] + attribution["width"]) - max(
        scale["x"], attribution["x"]
    )
    overlap_y = min(scale["y"] + scale["height"], attribution["y"] + attribution["height"]) - max(
        scale["y"], attribution["y"]
    )
    assert overlap_x <= 0 or overlap_y <= 0, (scale, attribution)
    context.close()
