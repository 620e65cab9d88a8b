"""Funnel plots and the one verdict per ward: each ward's count tested once against what the district's rate would
give a population of its size, by the exact Poisson distribution.

The funnel's limits are the exact discrete Poisson limits at 95 % (2.5 % in each tail) and 99.8 % (0.1 %), divided
by the population to give rates; a ward lies outside them exactly when the same test's tail probability is below
that level, so the funnel, the "compared with the district" verdict (p < 0.05) and the false-discovery-rate verdict
(:func:`geo.analysis.indicators.rates_by_ward`) all come from one computation. (Continuous limits, as some funnel
plots draw, would call a ward with 1 record against about 6 expected "outside 99.8 %" although P(X <= 1) is 1.7 %.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

LEVELS = {"95": 0.025, "99.8": 0.001}
"""Two-sided control levels and the tail probability on each side."""


def poisson_limits(expected, tail: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact discrete Poisson limits (counts) around ``expected`` counts with ``tail`` in each tail: the lowest and
    highest counts that are not unusual. A count below ``lower`` has P(X <= count) < ``tail``, and a count above
    ``upper`` has P(X >= count) < ``tail``, which is the exact test (:func:`verdicts`): the funnel's lines and its
    verdicts cannot disagree.

    Examples
    --------
    >>> lo, hi = poisson_limits([6.0], 0.001)  # 1 record against 6 expected is inside 99.8 %: P(X <= 1) = 1.7 %
    >>> int(lo[0]), int(hi[0])
    (0, 15)
    """
    e = np.asarray(expected, dtype=float)
    lo = np.where(e > 0, stats.poisson.ppf(tail, e), 0.0)  # the smallest k with P(X <= k) >= tail
    hi = stats.poisson.isf(tail, e)  # the smallest k with P(X > k) <= tail
    return lo, hi


def verdicts(observed, expected) -> pd.DataFrame:
    """One exact Poisson test of each count against its expected count, and every verdict the site shows from it.

    Returns
    -------
    pandas.DataFrame
        ``p_value`` (two-sided: twice the smaller tail, at most 1), ``compared`` (``higher``/``lower`` where
        p < 0.05, else ``similar``) and ``funnel`` (``above 99.8 %``, ``above 95 %``, ``within``, ``below 95 %`` or
        ``below 99.8 %``: the smaller tail against 0.1 % and 2.5 %). A ward outside the 95 % funnel is exactly a ward
        whose p-value is under 0.05, so the map's text, its table and its funnel plot always agree.

    Examples
    --------
    >>> verdicts([1, 20, 10], [6.0, 10.0, 10.0])["funnel"].tolist()
    ['below 95 %', 'above 95 %', 'within']
    """
    o, e = np.asarray(observed, dtype=float), np.asarray(expected, dtype=float)
    return tail_verdicts(stats.poisson.cdf(o, e), stats.poisson.sf(o - 1, e))


def tail_verdicts(low, high) -> pd.DataFrame:
    """The verdicts of one exact test from its two tail probabilities, P(X <= observed) and P(X >= observed):
    what :func:`verdicts` gives for counts, and :func:`geo.analysis.outcomes.binomial_verdicts` for shares."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    tail = np.minimum(low, high)
    side = np.where(low < high, "below", "above")
    funnel = np.select(
        [tail < LEVELS["99.8"], tail < LEVELS["95"]],
        [np.char.add(side.astype(str), " 99.8 %"), np.char.add(side.astype(str), " 95 %")],
        default="within",
    )
    compared = np.where(tail < LEVELS["95"], np.where(side == "above", "higher", "lower"), "similar")
    return pd.DataFrame({"p_value": np.minimum(1.0, 2 * tail), "compared": compared, "funnel": funnel})


def funnel_limits(rate_per_1000, populations) -> pd.DataFrame:
    """Control limits (rates per 1,000) around ``rate_per_1000`` (one rate, or one per population) for each
    population.

    Returns
    -------
    pandas.DataFrame
        ``population``, ``lower_99_8``, ``lower_95``, ``upper_95``, ``upper_99_8``.
    """
    pop = np.asarray(populations, dtype=float)
    expected = np.asarray(rate_per_1000, dtype=float) * pop / 1000
    out = pd.DataFrame({"population": pop})
    for name, tail in LEVELS.items():
        lo, hi = poisson_limits(expected, tail)
        key = name.replace(".", "_")
        out[f"lower_{key}"] = 1000 * lo / pop
        out[f"upper_{key}"] = 1000 * hi / pop
    return out[["population", "lower_99_8", "lower_95", "upper_95", "upper_99_8"]]


def funnel_position(crime: pd.DataFrame) -> pd.DataFrame:
    """Where each ward's count falls on its indicator's funnel.

    Parameters
    ----------
    crime : pandas.DataFrame
        ``ward_code``, ``ward_name``, ``indicator``, ``count``, ``population``, ``rate_per_1000``,
        ``borough_rate_per_1000`` (as :func:`geo.analysis.indicators.rates_by_ward` returns; suppressed counts are NaN).

    Returns
    -------
    pandas.DataFrame
        ``crime``'s key columns with ``expected`` (the district rate applied to the ward), the four limits
        (rates) and ``funnel`` (``above 99.8 %``, ``above 95 %``, ``within``, ``below 95 %``, ``below 99.8 %``, or
        ``suppressed``).
    """
    cols = ["ward_code", "ward_name", "indicator", "count", "population", "rate_per_1000", "borough_rate_per_1000"]
    out = crime[cols].copy().reset_index(drop=True)
    out["expected"] = out["borough_rate_per_1000"] * out["population"] / 1000
    limits = funnel_limits(out["borough_rate_per_1000"], out["population"]).drop(columns="population")
    out = pd.concat([out, limits], axis=1)
    tested = verdicts(out["count"].fillna(0), out["expected"])["funnel"]
    out["funnel"] = np.where(out["rate_per_1000"].isna(), "suppressed", tested)
    return out
