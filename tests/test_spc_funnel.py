"""Control charts, funnel limits and multiple testing, pinned on small data worked by hand."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from geo.analysis import funnel, spc
from geo.analysis.stats import fdr_adjust, poisson_test


@pytest.mark.parametrize("expected,tail,lower,upper", [(10, 0.025, 4, 17), (6, 0.001, 0, 15), (0.5, 0.025, 0, 2)])
def test_exact_discrete_limits_by_hand(expected, tail, lower, upper):
    """The lowest and highest counts that are not unusual: P(X <= lower - 1) < tail <= P(X <= lower), and
    P(X > upper) <= tail < P(X > upper - 1)."""
    lo, hi = funnel.poisson_limits([expected], tail)
    assert (lo[0], hi[0]) == (lower, upper)
    assert stats.poisson.cdf(lower - 1, expected) < tail <= stats.poisson.cdf(lower, expected)
    assert stats.poisson.sf(upper, expected) <= tail < stats.poisson.sf(upper - 1, expected)


@pytest.mark.parametrize("expected", [0.3, 2.0, 6.0, 10.0, 37.5, 120.0])
@pytest.mark.parametrize("level,tail", [("95", 0.025), ("99.8", 0.001)])
def test_the_funnel_limits_are_the_tests_verdicts(expected, level, tail):
    """A count lies within the limits exactly when the one exact test calls it within that level."""
    lo, hi = funnel.poisson_limits([expected], tail)
    counts = np.arange(0, int(expected * 3 + 30))
    v = funnel.verdicts(counts, np.full(len(counts), expected))["funnel"]
    outside = v.str.contains(level) | (v.str.contains("99.8") if level == "95" else False)
    assert ((counts < lo[0]) | (counts > hi[0])).tolist() == outside.tolist()


def test_funnel_narrows_with_population_and_places_wards():
    lim = funnel.funnel_limits(20.0, [1_000, 10_000])
    assert (lim["upper_99_8"] > lim["upper_95"]).all() and (lim["lower_95"] > lim["lower_99_8"]).all()
    width = lim["upper_95"] - lim["lower_95"]
    assert width.iloc[0] > 2.5 * width.iloc[1]  # about sqrt(10) narrower at ten times the population
    crime = pd.DataFrame(
        {
            "ward_code": ["a", "b", "c", "d"],
            "ward_name": list("ABCD"),
            "indicator": "x",
            "count": [20, 60, 5, np.nan],
            "population": [1000, 1000, 1000, 1000],
            "rate_per_1000": [20.0, 60.0, 5.0, np.nan],
            "borough_rate_per_1000": [20.0] * 4,
        }
    )
    pos = funnel.funnel_position(crime).set_index("ward_code")["funnel"]
    # expected 20: 95 % limits about 12.2 to 30.9, 99.8 % about 9.0 to 36.0 (per 1,000 of 1,000 residents)
    assert pos.to_dict() == {"a": "within", "b": "above 99.8 %", "c": "below 99.8 %", "d": "suppressed"}


def test_poisson_test_and_fdr():
    p = poisson_test([20, 10, 0], [10.0, 10.0, 3.0])
    assert p[0] == pytest.approx(2 * stats.poisson.sf(19, 10), rel=1e-9) and p[1] == 1.0
    assert p[2] == pytest.approx(2 * math.exp(-3), rel=1e-9)
    q, keep = fdr_adjust([0.001, 0.02, 0.04, 0.5])  # by hand: 0.004, 0.04, 0.0533, 0.5
    assert q == pytest.approx([0.004, 0.04, 0.04 * 4 / 3, 0.5])
    assert keep.tolist() == [True, True, False, False]


def test_control_chart_limits_breaks_and_signals():
    months = [f"2012-{m:02d}" for m in range(1, 13)] + ["2013-02", "2013-03"]
    counts = [10, 12, 8, 10, 10, 12, 8, 10, 10, 12, 8, 30, 9, 9]
    chart = spc.control_chart(pd.Series(counts, index=months))
    first = chart[chart["stretch"] == 1]
    # by hand: mean of the 12 months = 140/12; moving ranges 2,4,2,0,2,4,2,0,2,4,22 -> mean 44/11 = 4
    assert first["centre"].iloc[0] == pytest.approx(140 / 12)
    assert first["upper"].iloc[0] == pytest.approx(140 / 12 + 2.66 * 4)
    assert first["lower"].iloc[0] == pytest.approx(max(0, 140 / 12 - 2.66 * 4))
    assert first["signal"].tolist() == [""] * 11 + ["above"]
    second = chart[chart["stretch"] == 2]  # after the gap: two months, too few for limits
    assert second["month"].tolist() == ["2013-02", "2013-03"] and second["upper"].isna().all()
    assert spc.latest_status(chart) == "no limits"
    assert spc.latest_status(first) == "above"


def test_category_change_starts_a_new_stretch():
    months = ["2013-03", "2013-04", "2013-05", "2013-06"]
    assert spc.stretches(months, [spc.CATEGORY_CHANGE]) == [["2013-03", "2013-04"], ["2013-05", "2013-06"]]
    assert spc.stretches(months) == [months]


def test_monthly_counts_include_zeros_and_borough_totals():
    rec = pd.DataFrame(
        {
            "month": ["2012-04", "2012-04", "2012-05", "2012-05"],
            "indicator": ["asb", "asb", "drugs", "asb"],
            "ward_code": ["A", "B", "A", np.nan],  # the last is outside the wards
        }
    )
    m = spc.monthly_counts(rec, ["A", "B"], ["asb", "drugs"], ["2012-04", "2012-05"])
    assert len(m) == 8 and m["count"].sum() == 3
    charts = spc.charts_by_ward(m, {})
    borough = charts[(charts["ward_code"] == "*") & (charts["indicator"] == "asb")]
    assert borough["count"].tolist() == [2, 0]
