"""Change between two equal-length periods, tested as the ratio of two Poisson counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from geo.analysis.stats import fdr_adjust


def compare_counts(before, after, confidence: float = 0.95, exposure=None) -> pd.DataFrame:
    """Compare counts of two periods of equal length and population, ward by ward, or, with ``exposure`` (the
    residents of each row in the two periods, ``(before, after)``), their rates.

    Conditional on the total ``before + after``, the ``after`` count is binomial with p = r e / (1 + r e), where
    r is the rate ratio and e the ratio of the residents after to before (1 without ``exposure``); the exact
    (Clopper-Pearson) interval for p gives the interval for r, and the two-sided exact binomial test of
    p = e / (1 + e) gives the p-value for "no change".

    Returns
    -------
    pandas.DataFrame
        ``before``, ``after``, ``change``, ``pct_change``, ``ratio``, ``ratio_lower``, ``ratio_upper``,
        ``p_value``, ``verdict`` (``increase``/``decrease`` when the interval excludes 1, else
        ``no clear change``), ``q_value`` (Benjamini-Hochberg across the rows given, which should be one family
        such as the district's wards) and ``fdr_verdict`` (the verdict where ``q_value`` < 0.05, else
        ``no clear change``), indexed like the inputs.

    Examples
    --------
    >>> out = compare_counts(pd.Series([100, 10]), pd.Series([150, 12]))
    >>> out["verdict"].tolist()
    ['increase', 'no clear change']
    >>> round(float(out["ratio"].iloc[0]), 2)
    1.5
    >>> same = compare_counts(pd.Series([100]), pd.Series([200]), exposure=(pd.Series([1000]), pd.Series([2000])))
    >>> round(float(same["ratio"].iloc[0]), 2), same["verdict"].iloc[0]
    (1.0, 'no clear change')
    """
    a = pd.Series(before).astype("int64")
    b = pd.Series(after).astype("int64").reindex(a.index)
    e = np.ones(len(a)) if exposure is None else (np.asarray(exposure[1], float) / np.asarray(exposure[0], float))
    rows = []
    for x, y, k in zip(a, b, e, strict=True):
        n = int(x + y)
        if n == 0:  # nothing to test: no ratio, no p-value, and out of the false-discovery family
            rows.append((np.nan, np.nan, np.nan, np.nan))
            continue
        res = stats.binomtest(int(y), n, k / (1 + k))
        ci = res.proportion_ci(confidence, method="exact")
        lo, hi = (p / (1 - p) / k if p < 1 else np.inf for p in (ci.low, ci.high))
        ratio = y / x / k if x else np.inf
        rows.append((ratio, lo, hi, res.pvalue))
    out = pd.DataFrame(rows, index=a.index, columns=["ratio", "ratio_lower", "ratio_upper", "p_value"])
    out.insert(0, "before", a)
    out.insert(1, "after", b)
    out.insert(2, "change", b - a)
    with np.errstate(divide="ignore", invalid="ignore"):
        out.insert(3, "pct_change", np.where(a > 0, 100 * (b - a) / a, np.nan))
    out["verdict"] = np.select(
        [(a + b).to_numpy() == 0, out["ratio_lower"] > 1, out["ratio_upper"] < 1],
        ["no records", "increase", "decrease"],
        default="no clear change",
    )
    q, keep = fdr_adjust(out["p_value"].to_numpy())
    out["q_value"] = q
    out["fdr_verdict"] = np.where(keep, out["verdict"], np.where(out["verdict"] == "no records", "no records",
                                                                  "no clear change"))  # fmt: skip
    return out


def ratio_text(r) -> str:
    """A :func:`compare_counts` row's rate ratio and interval in words, never ``nan`` or ``inf``.

    >>> ratio_text({"before": 0, "after": 0, "ratio": float("nan"), "ratio_lower": float("nan"),
    ...             "ratio_upper": float("nan")})
    'no records in either period'
    >>> ratio_text({"before": 0, "after": 3, "ratio": float("inf"), "ratio_lower": 0.19, "ratio_upper": float("inf")})
    'none before, so no ratio'
    >>> ratio_text({"before": 4, "after": 6, "ratio": 1.5, "ratio_lower": 0.35, "ratio_upper": 7.2})
    '1.50 (0.35 to 7.20)'
    """
    if r["before"] == 0:
        return "no records in either period" if r["after"] == 0 else "none before, so no ratio"
    return f"{r['ratio']:.2f} ({r['ratio_lower']:.2f} to {r['ratio_upper']:.2f})"


def group_change(before: pd.DataFrame, after: pd.DataFrame, ids) -> tuple[pd.DataFrame, pd.Series]:
    """The indicators ``ids`` together in two periods' ward counts (``ward_code``, ``indicator``, ``count``): each
    ward's :func:`compare_counts` row, and the district's."""
    a, b = (c[c["indicator"].isin(list(ids))] for c in (before, after))
    a, b = a.groupby("ward_code")["count"].sum(), b.groupby("ward_code")["count"].sum()
    return compare_counts(a, b), compare_counts(pd.Series([a.sum()]), pd.Series([b.sum()])).iloc[0]
