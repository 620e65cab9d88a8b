"""Maidstone now (issue 25): the default build's second vintage, police.uk 2025 on the 22 wards of 2024 with
Census 2021 and IoD 2025, beside the assessment's 26 wards; the front door serves today.

The counts here are made without the pipeline: the bundle's files are read with the standard library."""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import pytest

from geo.config import DEFAULT_DATA_DIR

NOW = "2025/"
PARK_WOOD_AND_MANGRAVET = (51.24084, 0.55588)  # (latitude, longitude), from the issue
ADDRESSES = Path(__file__).parent / "data" / "addresses-2026-12.txt"


def _maidstone_lsoas21() -> set[str]:
    with open(DEFAULT_DATA_DIR / "lookups" / "lsoa21-to-ward24-kent.csv", newline="", encoding="utf-8") as f:
        return {r["LSOA21CD"] for r in csv.DictReader(f) if r["LAD24CD"] == "E07000110"}


def _rows_2025(crime_type: str, lsoas: set[str]) -> int:
    n = 0
    for path in sorted((DEFAULT_DATA_DIR / "police" / "kent-2025").glob("2025-*-kent-street.csv.gz")):
        with gzip.open(path, "rt", newline="", encoding="utf-8") as f:
            n += sum(1 for r in csv.DictReader(f) if r["Crime type"] == crime_type and r["LSOA code"] in lsoas)
    return n


def _site_borough_count(site: Path, indicator: str) -> int:
    with open(site / NOW / "downloads" / "ward-indicators.csv", newline="", encoding="utf-8") as f:
        counts = {int(r["borough_count"]) for r in csv.DictReader(f) if r["indicator"] == indicator}
    assert len(counts) == 1, counts
    return counts.pop()


def test_the_2025_asb_total_is_the_rows_of_maidstones_lsoas(site):
    """Maidstone's anti-social behaviour in 2025 on the site = rows of the 12 files with a Maidstone 2021 LSOA."""
    lsoas = _maidstone_lsoas21()
    assert len(lsoas) == 99
    expected = _rows_2025("Anti-social behaviour", lsoas)
    assert expected == 3001  # the count the data folder's README gives for the year, checked by hand
    assert _site_borough_count(site, "asb") == expected
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"Anti-social behaviour</th><td class=\"num\">3,001</td>", home), "the front door shows 2025"


def test_both_vintages_are_built_with_every_ward_page(site):
    old = json.loads((site / "downloads" / "wards.geojson").read_text())["features"]
    new = json.loads((site / NOW / "downloads" / "wards.geojson").read_text())["features"]
    assert len(old) == 26 and len(new) == 22
    assert {f["properties"]["ward_code"][:5] for f in new} == {"E0501"}  # the 2024 codes E05015593-E05015614
    pages = [p for p in (site / NOW / "wards").glob("*.html") if p.name != "index.html"]
    assert len(pages) == 22 and len([p for p in (site / "wards").glob("*.html") if p.name != "index.html"]) == 26
    ward = (site / NOW / "wards" / "park-wood-mangravet.html").read_text(encoding="utf-8")
    assert "22 wards of 2024" in ward and "Census 2021" in ward and "January 2025 to December 2025" in ward
    assert 'href="../../wards/park-wood.html"' in ward  # the assessment's ward on the same ground
    old_ward = (site / "wards" / "park-wood.html").read_text(encoding="utf-8")
    assert "26 wards of 2013" in old_ward and 'href="../2025/wards/park-wood-mangravet.html"' in old_ward


def test_the_2025_pages_use_census_2021_and_iod_2025(site):
    methods = (site / NOW / "data-and-methods.html").read_text(encoding="utf-8")
    assert "Census 2021" in methods and "English Indices of Deprivation 2025" in methods
    assert "lsoa21-to-ward24-kent.csv" in methods and "census-2021-lsoa21-kent.csv" in methods
    assert "perturbed" in methods  # the district row, not the LSOA sum, is the district total
    assert not re.search(r"Census 2011 (usual )?residents|census-2011", methods)  # (the site's footer names both)
    dep = (site / NOW / "downloads" / "ward-deprivation.csv").read_text(encoding="utf-8").splitlines()[0]
    assert all(f"{d}_score" in dep for d in ("income", "employment", "health", "crime", "environment"))
    kent = (site / NOW / "after" / "kent.html").read_text(encoding="utf-8")
    assert "Census 2021" in kent and "January-December 2025" in kent


def test_pip_and_the_lsoa_lookup_agreement_is_reported_for_both_vintages(site):
    """The share of records whose snap point lies in another ward than the lookup gives their LSOA."""
    shares = []
    for page in (site / "data-and-methods.html", site / NOW / "data-and-methods.html"):
        text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
        m = re.search(r"Of the ([\d,]+) located records whose LSOA is the \w+'s, ([\d,]+) \(([\d.]+) %\)", text)
        assert m, page
        n, other, pct = int(m[1].replace(",", "")), int(m[2].replace(",", "")), float(m[3])
        assert abs(100 * other / n - pct) < 0.05
        shares.append(pct)
    assert shares[0] < 5 and shares[1] < 15  # 1.1 % for 2013 (lookup and wards of one vintage), 8.1 % for 2024


def test_the_old_addresses_still_answer(site):
    wanted = [line for line in ADDRESSES.read_text().splitlines() if line and not line.startswith("#")]
    assert len(wanted) > 100
    assert [a for a in wanted if not (site / a).is_file()] == []


def test_the_nav_puts_today_in_a_section_of_its_own(site):
    nav = json.loads((site.parent / "build" / "site.json").read_text())["nav"]
    today = next(entry["Maidstone in 2025"] for entry in nav if "Maidstone in 2025" in entry)
    assert today[0] == {"Overview": "2025/index.md"}
    assert not any("2025/" in json.dumps(entry) for entry in nav if "Maidstone in 2025" not in entry)


@pytest.fixture(scope="module")
def located(browser, base):
    from tests.test_field import PHONE

    lat, lon = PARK_WOOD_AND_MANGRAVET
    ctx = browser.new_context(**PHONE, permissions=["geolocation"], geolocation={"latitude": lat, "longitude": lon})
    page = ctx.new_page()
    page.goto(base + "index.html")
    page.get_by_role("button", name="Which ward am I in?").click()
    page.wait_for_function("() => document.querySelector('.field-panel')")
    yield page
    ctx.close()


def test_which_ward_am_i_in_names_todays_ward_and_the_assessments(located, base):
    panel = located.locator(".field-panel")
    assert panel.locator("h2").inner_text() == "You are in Park Wood & Mangravet ward"
    assert panel.locator("h2 a").get_attribute("href") == "2025/wards/park-wood-mangravet.html"
    related = panel.locator(".field-related")
    assert "April 2012 to March 2013" in related.inner_text()
    hrefs = related.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert base + "wards/park-wood.html" in hrefs
    assert "2025" in panel.locator("table caption").inner_text()


def test_the_change_page_states_its_caveats_and_claims_no_trend_across_the_category_change(site):
    md = (site.parent / "build" / "docs" / NOW / "change.md").read_text(encoding="utf-8")
    for caveat in ("The categories changed", "Recording changed", "The anonymisation changed", "The wards changed"):
        assert f"**{caveat}.**" in md
    assert md.count("\n### ") == 6  # three priorities on each ward set
    rows = {r.split(" | ")[0].lstrip("| "): r for r in md.splitlines() if r.startswith("| ") and "(per 1,000)" not in r}
    assert "not compared: the categories differ" in rows["Violent crime"]  # 2012/13 "Violent crime" vs 2025's
    num = r"([\d,]+) \\\(([\d.]+)\\\)"
    for ind in ("Anti-social behaviour", "Drug offences"):
        m = re.search(rf"{num} \| {num} \| ([\d.]+) \\\(([\d.]+) to ([\d.]+)\\\) \| (.+?) \|", rows[ind])
        assert m, rows[ind]
        rate_a, rate_b, ratio, lo, hi = (float(m[i]) for i in (2, 4, 5, 6, 7))
        assert abs(rate_b / rate_a - ratio) < 0.01 and lo <= ratio <= hi
        assert m[8] == ("▼ lower" if hi < 1 else "▲ higher" if lo > 1 else "● no clear change")
    for key in ("change", "change-assessment"):  # falls in purples, rises in oranges: no class spans no change
        legend = re.findall(r"background:(#[0-9a-f]{6})\\\"></i>(-?[\d,]+) to (-?[\d,]+) \(",
                            (site / NOW / "map-files" / f"{key}.html").read_text(encoding="utf-8"))  # fmt: skip
        assert legend and all(float(a) >= 0 or float(b) <= 0 for _, a, b in legend)
        assert any(float(b) <= 0 for _, a, b in legend)  # anti-social behaviour fell in most wards
