"""Change between two equal-length periods, tested as the ratio of two Poisson counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from geo.analysis.stats import fdr_adjust


def compare_counts(before, after, confidence: float = 0.95) -> pd.DataFrame:
    """Compare counts of two periods of equal length and population, ward by ward.

    Conditional on the total ``before + after``, the ``after`` count is binomial with p = r / (1 + r), where r is
    the rate ratio; the exact (Clopper-Pearson) interval for p gives the interval for r, and the two-sided
    exact binomial test of p = 0.5 gives the p-value for "no change".

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
    """
    a = pd.Series(before).astype("int64")
    b = pd.Series(after).astype("int64").reindex(a.index)
    rows = []
    for x, y in zip(a, b, strict=True):
        n = int(x + y)
        if n == 0:  # nothing to test: no ratio, no p-value, and out of the false-discovery family
            rows.append((np.nan, np.nan, np.nan, np.nan))
            continue
        res = stats.binomtest(int(y), n, 0.5)
        ci = res.proportion_ci(confidence, method="exact")
        lo = ci.low / (1 - ci.low) if ci.low < 1 else np.inf
        hi = ci.high / (1 - ci.high) if ci.high < 1 else np.inf
        ratio = y / x if x else np.inf
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
