"""Outcome rates by ward: the share of crimes whose last police.uk outcome is formal action, with exact intervals.

Each police.uk crime record carries its *last outcome category* as the file was published; anti-social behaviour
has none. ``data/outcome-categories.csv`` puts every category police.uk uses in one group (:data:`GROUPS`). A
crime still *under investigation* or *awaiting court outcome* (``pending``), or whose status police.uk does not
give (``no_outcome``), has no outcome yet: it is left out of the rate and counted on its own. The rate is

    formal action (charge or summons, caution, community resolution, other formal action) / crimes with an outcome

with an exact (Clopper-Pearson) 95 % interval, and each ward is tested once against the district's share by the
exact binomial distribution; the funnel's limits are that test's limits, as for the crime rates
(:mod:`geo.analysis.funnel`), so the plot, the table and the words cannot disagree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from geo.analysis.funnel import LEVELS, tail_verdicts
from geo.errors import InputError

GROUPS = (
    "charge_summons",
    "caution",
    "community_resolution",
    "other_formal",
    "no_formal_action",
    "pending",
    "no_outcome",
)
"""The groups of ``data/outcome-categories.csv``, in the order the pages show them."""
FORMAL = GROUPS[:4]
"""The groups that count as formal action (the rate's numerator)."""
EXCLUDED = ("pending", "no_outcome")
"""The groups left out of the rate and counted on their own: no outcome yet."""
OUTCOME_COLUMN = "Last outcome category"
"""The police.uk column, named in errors."""


def outcome_indicators(indicators) -> list[str]:
    """The priority crime indicators that have outcomes: anti-social behaviour has none."""
    return [
        i.id
        for i in sorted((i for i in indicators if i.priority is not None), key=lambda i: i.priority)
        if i.kind == "crime" and "Anti-social behaviour" not in i.police_categories
    ]


def classify(records: pd.DataFrame, groups: dict[str, str]) -> pd.Series:
    """The group of each record's last outcome (a blank outcome is ``no_outcome``).

    Raises
    ------
    InputError
        For the first record whose outcome is not in ``groups``, naming its file, line and column.

    >>> recs = pd.DataFrame({"outcome": ["Local resolution", ""], "source_file": "f.csv", "line": [2, 3]})
    >>> classify(recs, {"Local resolution": "community_resolution"}).tolist()
    ['community_resolution', 'no_outcome']
    """
    out = records["outcome"].fillna("").map(lambda o: "no_outcome" if o == "" else groups.get(o))
    unknown = out.isna().to_numpy()
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        r = records.iloc[i]
        raise InputError(
            r["source_file"],
            f"unknown police.uk outcome {r['outcome']!r}",
            row=int(r["line"]),
            column=OUTCOME_COLUMN,
            fix="add it to data/outcome-categories.csv with its group, or correct the file",
        )
    return out.astype(str)


def exact_interval(k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson interval (proportions) for ``k`` of ``n``; NaN where ``n`` is 0.

    >>> lo, hi = exact_interval([0, 5, 10], [10, 10, 10])
    >>> [round(float(x), 3) for x in lo], [round(float(x), 3) for x in hi]
    ([0.0, 0.187, 0.692], [0.308, 0.813, 1.0])
    """
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    a = (1 - level) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.where(k > 0, stats.beta.ppf(a, k, n - k + 1), 0.0)
        hi = np.where(k < n, stats.beta.isf(a, k + 1, n - k), 1.0)
    none = n <= 0
    return np.where(none, np.nan, lo), np.where(none, np.nan, hi)


def binomial_limits(share_pct, n) -> pd.DataFrame:
    """The funnel's limits (percentages) around the district's share for ``n`` crimes with an outcome: the exact
    binomial test's limits at 95 % and 99.8 % (as :func:`geo.analysis.funnel.funnel_limits` for counts)."""
    n = np.maximum(1.0, np.round(np.asarray(n, dtype=float)))  # a count of crimes: the plot's grid is continuous
    p = np.asarray(share_pct, dtype=float) / 100
    out = pd.DataFrame({"population": n})
    for name, tail in LEVELS.items():
        key = name.replace(".", "_")
        out[f"lower_{key}"] = 100 * stats.binom.ppf(tail, n, p) / n
        out[f"upper_{key}"] = 100 * stats.binom.isf(tail, n, p) / n
    return out[["population", "lower_99_8", "lower_95", "upper_95", "upper_99_8"]]


def binomial_verdicts(k, n, p) -> pd.DataFrame:
    """One exact binomial test of ``k`` of ``n`` against the share ``p``: ``p_value``, ``compared`` and ``funnel``
    as :func:`geo.analysis.funnel.verdicts` gives them for counts.

    >>> binomial_verdicts([1, 9, 5], [10, 10, 10], 0.5)["funnel"].tolist()
    ['below 95 %', 'above 95 %', 'within']
    """
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    return tail_verdicts(stats.binom.cdf(k, n, p), stats.binom.sf(k - 1, n, p))


def outcome_rates(records: pd.DataFrame, wards: pd.DataFrame, indicators) -> pd.DataFrame:
    """Each ward's outcome counts and formal-action share for each indicator in ``indicators`` (ids).

    Parameters
    ----------
    records : pandas.DataFrame
        Records placed in wards: ``ward_code``, ``indicator`` and ``outcome_group`` (:func:`classify`, which the
        ward stage runs on every record of the period, so an unknown outcome stops the build there).
    wards : pandas.DataFrame
        ``ward_code``, ``ward_name``.

    Returns
    -------
    pandas.DataFrame
        One row per ward and indicator: ``crimes``, a count per group of :data:`GROUPS`, ``with_outcome``,
        ``formal``, ``share_pct`` and its exact 95 % interval ``lower_pct``/``upper_pct`` (NaN with no outcome),
        ``district_share_pct``, and the exact binomial test's ``p_value``, ``compared`` and ``funnel``
        (``no outcomes`` where the ward has none).
    """
    counts = (
        records[records["indicator"].isin(list(indicators))]
        .groupby(["ward_code", "indicator", "outcome_group"])
        .size()
        .unstack("outcome_group")
        .reindex(columns=list(GROUPS))
    )
    grid = pd.MultiIndex.from_product([sorted(wards["ward_code"]), list(indicators)], names=["ward_code", "indicator"])
    out = counts.reindex(grid).fillna(0).astype("int64").reset_index()
    out = out.merge(wards[["ward_code", "ward_name"]], on="ward_code")
    out["crimes"] = out[list(GROUPS)].sum(axis=1)
    out["with_outcome"] = out["crimes"] - out[list(EXCLUDED)].sum(axis=1)
    out["formal"] = out[list(FORMAL)].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_pct"] = 100 * out["formal"] / out["with_outcome"].where(out["with_outcome"] > 0)
    lo, hi = exact_interval(out["formal"], out["with_outcome"])
    out["lower_pct"], out["upper_pct"] = 100 * lo, 100 * hi
    tot = out.groupby("indicator")[["formal", "with_outcome"]].sum()
    share = 100 * tot["formal"] / tot["with_outcome"].where(tot["with_outcome"] > 0)
    out["district_share_pct"] = out["indicator"].map(share)
    v = binomial_verdicts(out["formal"], out["with_outcome"], out["district_share_pct"].fillna(0) / 100)
    some = (out["with_outcome"] > 0).to_numpy()
    out["p_value"] = np.where(some, v["p_value"], np.nan)
    out["compared"] = np.where(some, v["compared"], "no outcomes")
    out["funnel"] = np.where(some, v["funnel"], "no outcomes")
    order = {k: i for i, k in enumerate(indicators)}
    out = out.sort_values(["indicator", "ward_name"], key=lambda s: s.map(order) if s.name == "indicator" else s)
    cols = ["ward_code", "ward_name", "indicator", "crimes", *GROUPS, "with_outcome", "formal", "share_pct"]
    cols += ["lower_pct", "upper_pct", "district_share_pct", "p_value", "compared", "funnel"]
    return out[cols].reset_index(drop=True)


def pending_by_month(records: pd.DataFrame, indicators) -> pd.DataFrame:
    """``month``, ``crimes``, ``pending``, ``pending_pct`` for the ``indicators``' crimes: how much of each month
    still waits for an outcome, which shows how old the files' outcomes are."""
    mine = records[records["indicator"].isin(list(indicators))]
    g = pd.DataFrame({"month": mine["month"], "pending": mine["outcome_group"].isin(EXCLUDED)})
    out = g.groupby("month")["pending"].agg(crimes="size", pending="sum").reset_index()
    out["pending"] = out["pending"].astype("int64")
    out["pending_pct"] = 100 * out["pending"] / out["crimes"]
    return out
