"""Funnel plots: ward rates against ward population, with exact Poisson control limits around the district rate.

A ward's count is compared with what the district's rate would give a population of its size. The limits are the
exact Poisson limits PHE uses for funnel plots of counts and rates: for an expected count E, the lower limit at
probability p is ``chi2.ppf(p, 2E) / 2`` and the upper ``chi2.ppf(1 - p, 2E + 2) / 2`` (the same formula as the
exact interval for an observed count), at 95 % (p = 0.025) and 99.8 % (p = 0.001), divided by the population to
give rates. A ward outside the 99.8 % limits differs from the district by more than chance would explain about
once in 500 comparisons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

LEVELS = {"95": 0.025, "99.8": 0.001}
"""Two-sided control levels and the tail probability on each side."""


def poisson_limits(expected, tail: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact lower and upper Poisson limits (counts) around ``expected`` counts, ``tail`` in each tail.

    Examples
    --------
    >>> lo, hi = poisson_limits([10.0], 0.025)  # the exact 95 % interval of a count of 10: 4.795 to 18.390
    >>> round(float(lo[0]), 3), round(float(hi[0]), 3)
    (4.795, 18.39)
    """
    e = np.asarray(expected, dtype=float)
    with np.errstate(invalid="ignore"):
        lo = np.where(e > 0, stats.chi2.ppf(tail, 2 * e) / 2, 0.0)
    hi = stats.chi2.ppf(1 - tail, 2 * e + 2) / 2
    return lo, hi


def funnel_limits(rate_per_1000: float, populations) -> pd.DataFrame:
    """Control limits (rates per 1,000) around ``rate_per_1000`` for each population.

    Returns
    -------
    pandas.DataFrame
        ``population``, ``lower_99_8``, ``lower_95``, ``upper_95``, ``upper_99_8``.
    """
    pop = np.asarray(populations, dtype=float)
    expected = rate_per_1000 * pop / 1000
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
    limits = pd.concat(
        [funnel_limits(r, [p]) for r, p in zip(out["borough_rate_per_1000"], out["population"], strict=True)],
        ignore_index=True,
    ).drop(columns="population")
    out = pd.concat([out, limits], axis=1)
    rate = out["rate_per_1000"]
    out["funnel"] = np.select(
        [
            rate.isna(),
            rate > out["upper_99_8"],
            rate > out["upper_95"],
            rate < out["lower_99_8"],
            rate < out["lower_95"],
        ],
        ["suppressed", "above 99.8 %", "above 95 %", "below 99.8 %", "below 95 %"],
        default="within",
    )
    return out
