"""Rates per 1,000 with 95 % confidence intervals, as Public Health England computes them.

For counts of 10 or more the interval is Byar's approximation to the Poisson interval; below 10 it is the
exact Poisson interval from the chi-squared distribution (PHE, *Technical guide: confidence intervals*,
and the ``PHEindicatormethods`` R package).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

EXACT_BELOW = 10
"""Counts below this use the exact Poisson interval; at or above it, Byar's method."""


def poisson_ci(count, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Confidence interval for a Poisson count.

    Parameters
    ----------
    count : array-like of int
        Observed counts (>= 0).
    confidence : float
        Two-sided confidence level.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper limits for the expected count.

    Examples
    --------
    >>> lo, hi = poisson_ci([0, 5, 100])
    >>> [round(float(x), 3) for x in lo]
    [0.0, 1.623, 81.362]
    >>> [round(float(x), 3) for x in hi]
    [3.689, 11.668, 121.628]
    """
    o = np.asarray(count, dtype=float)
    if np.any(o < 0) or np.any(o % 1):
        raise ValueError("counts must be whole numbers >= 0")
    alpha = 1 - confidence
    z = stats.norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        exact_lo = np.where(o > 0, stats.chi2.ppf(alpha / 2, 2 * o) / 2, 0.0)
        exact_hi = stats.chi2.ppf(1 - alpha / 2, 2 * (o + 1)) / 2
        byar_lo = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        byar_hi = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    small = o < EXACT_BELOW
    return np.where(small, exact_lo, byar_lo), np.where(small, exact_hi, byar_hi)


def rate_per_1000(count, population, confidence: float = 0.95):
    """Crude rate per 1,000 residents with its confidence interval.

    Returns
    -------
    (rate, lower, upper) : tuple of numpy.ndarray
        NaN where the population is zero or missing.

    Examples
    --------
    >>> r, lo, hi = rate_per_1000([25], [5000])
    >>> round(float(r[0]), 2), round(float(lo[0]), 2), round(float(hi[0]), 2)
    (5.0, 3.23, 7.38)
    """
    pop = np.asarray(population, dtype=float)
    lo, hi = poisson_ci(count, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(pop > 0, 1000.0 / pop, np.nan)
    return np.asarray(count, dtype=float) * scale, lo * scale, hi * scale


def compare_with(lower, upper, reference) -> np.ndarray:
    """Classify intervals against a reference value.

    Returns ``"higher"`` where the whole interval lies above the reference, ``"lower"`` where it lies below,
    ``"similar"`` where it contains it, and ``"unknown"`` where the interval is missing.

    Examples
    --------
    >>> compare_with([1, 5, 1], [3, 9, 9], 4).tolist()
    ['lower', 'higher', 'similar']
    """
    lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    out = np.full(lo.shape, "similar", dtype=object)
    out[lo > reference] = "higher"
    out[hi < reference] = "lower"
    out[np.isnan(lo) | np.isnan(hi)] = "unknown"
    return out


def poisson_test(observed, expected) -> np.ndarray:
    """Two-sided exact Poisson p-value of each observed count against its expected count.

    Twice the smaller tail, capped at 1 (the same convention as :func:`scipy.stats.binomtest`'s exact test).

    Examples
    --------
    >>> [round(float(p), 4) for p in poisson_test([20, 10], [10.0, 10.0])]
    [0.0069, 1.0]
    """
    o = np.asarray(observed, dtype=float)
    e = np.asarray(expected, dtype=float)
    low = stats.poisson.cdf(o, e)
    high = stats.poisson.sf(o - 1, e)
    return np.minimum(1.0, 2 * np.minimum(low, high))


def fdr_adjust(p_values, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg adjusted p-values (q) and which stay significant at false discovery rate ``alpha``.

    NaN p-values (e.g. suppressed counts) are left out of the family and stay NaN.

    Examples
    --------
    >>> q, keep = fdr_adjust([0.01, 0.04, 0.03, float("nan")])
    >>> [round(float(x), 3) for x in q[:3]], keep.tolist()
    ([0.03, 0.04, 0.04], [True, True, True, False])
    """
    p = np.asarray(p_values, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q[ok] = stats.false_discovery_control(p[ok], method="bh")
    return q, np.nan_to_num(q, nan=1.0) < alpha
