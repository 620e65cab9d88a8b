"""Repeat locations (issue 28, item 2): the snap points with most records in a ward, their months, their main
categories, never below the disclosure rule; on every ward page of every vintage and in its offline briefing
(``tests/test_field.py``)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from geo.analysis.repeat import MIN_RECORDS, TOP, repeat_locations


def _records(points: dict[tuple, list[tuple[str, str]]]) -> pd.DataFrame:
    """Fixture records: {(ward, location, lon, lat): [(month, category), …]}."""
    rows = [
        {"ward_code": w, "location": loc, "longitude": lon, "latitude": lat, "month": m, "crime_type": c}
        for (w, loc, lon, lat), recs in points.items()
        for m, c in recs
    ]
    return pd.DataFrame(rows)


def test_the_disclosure_rule_is_never_broken():
    recs = _records(
        {
            ("W1", "On or near A", 0.51, 51.27): [("2025-01", "Shoplifting")] * MIN_RECORDS,
            ("W1", "On or near B", 0.52, 51.27): [("2025-01", "Shoplifting")] * (MIN_RECORDS - 1),
        }
    )
    out = repeat_locations(recs)
    assert out["location"].tolist() == ["On or near A"]
    assert (repeat_locations(recs, min_records=1)["records"] >= 1).all()


def test_months_categories_and_ranks():
    a = [(f"2025-{m:02d}", "Violence and sexual offences") for m in range(1, 13)] + [("2025-01", "Drugs")] * 3
    b = [("2025-03", "Shoplifting")] * 14 + [("2025-03", "Burglary"), ("2025-03", "Arson")]
    recs = _records(
        {
            ("W1", "On or near High Street", 0.52, 51.27): a,
            ("W1", "On or near Shopping Area", 0.53, 51.27): b,
            ("W2", "On or near Lane", 0.6, 51.2): a,
        }
    )
    out = repeat_locations(recs)
    w1 = out[out["ward_code"] == "W1"]
    assert w1["location"].tolist() == ["On or near Shopping Area", "On or near High Street"]  # 16 before 15
    assert w1["rank"].tolist() == [1, 2] and w1["months"].tolist() == [1, 12]
    assert w1["categories"].iloc[0] == [("Shoplifting", 14), ("Arson", 1)]  # a tie goes by name
    assert w1["categories"].iloc[1] == [("Violence and sexual offences", 12), ("Drugs", 3)]
    assert out[out["ward_code"] == "W2"]["rank"].tolist() == [1]


def test_two_points_of_one_name_are_two_points_and_the_list_is_capped():
    shops = [("2025-01", "Shoplifting")]
    recs = _records({("W1", "On or near Shopping Area", 0.5 + i / 100, 51.27): shops * (20 + i) for i in range(7)})
    out = repeat_locations(recs)
    assert len(out) == TOP and out["records"].tolist() == [26, 25, 24, 23, 22]
    assert out["location"].nunique() == 1 and out["longitude"].nunique() == TOP


def _repeat_rows(html: str, ward: str) -> list[list[str]]:
    m = re.search(rf"<caption>Repeat locations in {re.escape(ward)}:.*?</table>", html, re.S)
    assert m, ward
    rows = re.findall(r"<tr>(.*?)</tr>", m.group(0).split("<tbody>")[1], re.S)
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]


@pytest.mark.parametrize("rel", ["wards/high-street.html", "2025/wards/high-street.html"])
def test_ward_pages_list_their_repeat_locations(site, rel, ward="High Street", months=12):
    html = (site / rel).read_text(encoding="utf-8")
    rows = _repeat_rows(html, ward)
    assert 1 <= len(rows) <= TOP
    records = [int(r[2].replace(",", "")) for r in rows]
    assert records == sorted(records, reverse=True) and min(records) >= MIN_RECORDS
    for r in rows:
        n, of = (int(x) for x in re.fullmatch(r"(\d+) of (\d+)", r[3]).groups())
        assert 1 <= n <= of == months
        assert re.fullmatch(r"5\d\.\d{4}, 0\.\d{4}", r[1])  # the point, in Maidstone
        assert sum(int(x) for x in re.findall(r" (\d+)(?:;|$)", r[4])) <= int(r[2].replace(",", ""))
    assert "never an address" in html and 'href="geo:' in html
    methods = (site / rel.replace("wards/high-street.html", "data-and-methods.html")).read_text(encoding="utf-8")
    assert f"at least {MIN_RECORDS} records in the period" in methods and 'id="repeat-locations"' in methods


def test_a_quiet_ward_says_none_is_listed(site):
    """Every ward page has the section; a ward with no point at the rule says so instead of a table."""
    pages = sorted((site / "wards").glob("*.html")) + sorted((site / "2025" / "wards").glob("*.html"))
    pages = [p for p in pages if p.name != "index.html"]
    assert len(pages) == 26 + 22
    for p in pages:
        html = p.read_text(encoding="utf-8")
        assert "<caption>Repeat locations in" in html or f"{MIN_RECORDS} or more records in this period" in html, p
