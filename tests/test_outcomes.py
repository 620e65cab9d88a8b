"""Outcome rates by ward (issue 28, item 3): police.uk's last outcomes grouped, pending crimes left out and counted,
an exact interval and one exact binomial verdict per ward, on a page per vintage and on every ward page."""

from __future__ import annotations

import gzip
import html
import io
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from geo.analysis.outcomes import (
    GROUPS,
    binomial_limits,
    binomial_verdicts,
    classify,
    exact_interval,
    outcome_indicators,
    outcome_rates,
)
from geo.config import DEFAULT_DATA_DIR, PROJECT_ROOT
from geo.errors import InputError
from geo.read.tables import outcome_groups_from_csv

GROUPS_FILE = PROJECT_ROOT / "data" / "outcome-categories.csv"


@pytest.fixture(scope="module")
def groups():
    return outcome_groups_from_csv(GROUPS_FILE)


def test_every_outcome_in_the_bundle_has_a_group(groups):
    seen = set()
    for path in sorted((DEFAULT_DATA_DIR / "police").rglob("*.csv*")):
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        seen |= set(pd.read_csv(io.BytesIO(raw), usecols=["Last outcome category"], dtype=str).iloc[:, 0].dropna())
    assert len(seen) > 20 and seen <= set(groups)
    assert set(groups.values()) == set(GROUPS)


def test_an_unknown_outcome_is_named_by_file_line_and_column(groups):
    recs = pd.DataFrame({"outcome": ["Local resolution", "Sent to bed"], "source_file": "x.csv", "line": [2, 3]})
    with pytest.raises(InputError) as e:
        classify(recs, groups)
    assert e.value.row == 3 and e.value.column == "Last outcome category" and "Sent to bed" in str(e.value)


def test_a_bad_group_in_the_table_is_refused(tmp_path):
    bad = tmp_path / "groups.csv"
    bad.write_text("category,group,note\nLocal resolution,community_resolution,\nUnder investigation,waiting,\n")
    with pytest.raises(InputError) as e:
        outcome_groups_from_csv(bad)
    assert e.value.row == 3 and e.value.column == "group"


def _records(rows: list[tuple[str, str, str]], groups) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["ward_code", "indicator", "outcome"])
    df["source_file"], df["line"], df["month"] = "f.csv", range(2, len(df) + 2), "2025-01"
    df["outcome_group"] = classify(df, groups)
    return df


def test_pending_crimes_are_left_out_of_the_share_and_counted(groups):
    rows = [("A", "violence", "Offender given a caution")] * 3 + [("A", "violence", "Unable to prosecute suspect")] * 5
    rows += [("A", "violence", "Under investigation")] * 4 + [("A", "violence", "Awaiting court outcome")]
    rows += [("B", "violence", "Court result unavailable")] * 2 + [("A", "asb", "")] * 7
    wards = pd.DataFrame({"ward_code": ["A", "B", "C"], "ward_name": ["Alpha", "Bravo", "Charlie"]})
    out = outcome_rates(_records(rows, groups), wards, ["violence"]).set_index("ward_code")
    a = out.loc["A"]
    assert (a["crimes"], a["pending"], a["with_outcome"], a["formal"], a["caution"]) == (13, 5, 8, 3, 3)
    assert a["share_pct"] == pytest.approx(37.5)
    ci = stats.binomtest(3, 8).proportion_ci(method="exact")
    assert (a["lower_pct"], a["upper_pct"]) == pytest.approx((100 * ci.low, 100 * ci.high))
    assert out.loc["B", "charge_summons"] == 2 and out.loc["B", "share_pct"] == 100
    assert out.loc["A", "district_share_pct"] == pytest.approx(50.0)  # 5 of 10 with an outcome
    assert out.loc["C", "compared"] == "no outcomes" and np.isnan(out.loc["C", "share_pct"])
    assert out[list(GROUPS)].sum(axis=1).tolist() == out["crimes"].tolist()  # every crime in one group


def test_the_funnel_limits_are_the_tests_verdicts():
    """A share outside the funnel's limits is exactly a ward the exact test calls different (one verdict)."""
    p = 0.3
    for n in (5, 12, 40, 200):
        lim = binomial_limits([100 * p], [n]).iloc[0]
        for k in range(n + 1):
            share = 100 * k / n
            funnel = binomial_verdicts([k], [n], p)["funnel"].iloc[0]
            outside_95 = share < lim["lower_95"] or share > lim["upper_95"]
            assert outside_95 == (funnel != "within"), (n, k, funnel)
            assert (share < lim["lower_99_8"] or share > lim["upper_99_8"]) == ("99.8" in funnel), (n, k)


def test_exact_interval_has_its_coverage():
    """At least 95 % coverage at every true share (the exact interval is conservative)."""
    n = 30
    for p in (0.05, 0.3, 0.5, 0.9):
        k = np.arange(n + 1)
        lo, hi = exact_interval(k, np.full(n + 1, n))
        covered = (lo <= p) & (p <= hi)
        assert stats.binom.pmf(k, n, p)[covered].sum() >= 0.95


def test_only_priority_crimes_with_outcomes_are_rated():
    from geo.read.indicators import indicators_from_csv

    ids = outcome_indicators(indicators_from_csv(PROJECT_ROOT / "data" / "indicators.csv"))
    assert ids == ["violence", "drugs"]  # anti-social behaviour, a priority, has no outcomes


def _table(html_text: str, caption: str) -> pd.DataFrame:
    """The site's HTML table with this caption, its cells as text (numbers as the page prints them)."""
    m = re.search(rf"<table[^>]*>\s*<caption>{re.escape(caption)}</caption>(.*?)</table>", html_text, re.S)
    assert m, caption
    head, body = m.group(1).split("</thead>")

    def cells(row: str) -> list[str]:
        return [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]

    return pd.DataFrame([cells(r) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)], columns=cells(head))


def _int(s: pd.Series) -> pd.Series:
    return s.str.replace(",", "").astype(int)


@pytest.mark.parametrize("prefix", ["", "2025/"])
def test_the_outcomes_page_agrees_with_the_ward_counts_and_the_ward_pages(site, prefix):
    page = (site / prefix / "outcomes.html").read_text(encoding="utf-8")
    assert "Clopper-Pearson" in page and "had no outcome yet in these files" in page
    assert page.count('class="chart funnel"') == 2
    counts = pd.read_csv(site / prefix / "downloads" / "ward-indicators.csv")
    violence = _table(page, "Last outcomes of violent crime by ward")
    per_ward = counts[counts["indicator"] == "violence"].set_index("ward_name")["count"]
    assert dict(zip(violence["Ward"], _int(violence["Crimes"]), strict=True)) == per_ward.to_dict()
    assert (_int(violence["No outcome yet"]) + _int(violence["With an outcome"]) == _int(violence["Crimes"])).all()
    verdicts = dict(zip(violence["Ward"], violence[violence.columns[-1]], strict=True))
    ward = "High Street"
    ward_page = (site / prefix / "wards" / "high-street.html").read_text(encoding="utf-8")
    mine = _table(ward_page, f"Last outcomes of priority crimes in {ward}")
    assert mine.iloc[0, 0] == "Violent crime" and mine.iloc[0, -1] == verdicts[ward]
    row = violence[violence["Ward"] == ward].iloc[0]
    assert mine.iloc[0]["Formal action: share (95 % CI)"] == row["Formal action: share (95 % CI)"]
