"""Monthly counts with statistical process control limits: is this month unusual here?

The chart is an XmR (individuals) chart, the default of the NHS "Making Data Count" programme: the centre line is
the mean of the months, and the limits are the mean plus or minus 2.66 times the mean moving range (the average
absolute change from one month to the next), which is three sigma estimated from the data themselves. It is used
instead of a c-chart because crime counts vary more than a Poisson process would (seasons, events, repeat
places): a c-chart's limits (mean plus or minus three times its square root) would then flag many ordinary months,
while the moving range measures the variation the series really has. A month outside the limits is a signal.

A series is never joined across a known break: a gap of months with no data, or a change in police.uk's crime
categories (May 2013) for an indicator whose categories changed. Each stretch between breaks gets its own centre
and limits, and only when it has at least :data:`MIN_POINTS` months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_POINTS = 8
"""Months a stretch needs before limits are drawn for it (fewer give unstable limits)."""
XMR_FACTOR = 2.66
"""3 / d2 with d2 = 1.128 for moving ranges of two points."""
CATEGORY_CHANGE = "2013-05"
"""The first month of police.uk's new crime categories."""


CHANGED_CATEGORIES = frozenset(
    {
        "Violent crime",
        "Violence and sexual offences",
        "Public disorder and weapons",
        "Public order",
        "Possession of weapons",
        "Other theft",
        "Bicycle theft",
        "Theft from the person",
    }
)
"""police.uk categories renamed or split in May 2013; an indicator built on any of them has a break there."""


def breaks_of(categories) -> tuple[str, ...]:
    """The known break months of an indicator with these police.uk categories.

    >>> breaks_of(["Violent crime", "Violence and sexual offences"]), breaks_of(["Drugs"])
    (('2013-05',), ())
    """
    return (CATEGORY_CHANGE,) if CHANGED_CATEGORIES & set(categories) else ()


def comparable(categories, before, after) -> bool:
    """Whether two periods (``before`` earlier) count the same police.uk categories for an indicator: no change of
    its categories falls after the first period's start and by the second's end. The site never calls a difference
    across such a change a trend, as it never joins a control chart across it.

    >>> from geo.config import Period
    >>> comparable(["Violent crime"], Period("2012-04", "2012-11"), Period("2014-04", "2014-11"))
    False
    >>> comparable(["Drugs"], Period("2012-04", "2012-11"), Period("2014-04", "2014-11"))
    True
    """
    return not any(before.start < b <= after.end for b in breaks_of(categories))


def month_index(month: str) -> int:
    """``'2013-05'`` -> months since year 0 (consecutive months differ by 1).

    >>> month_index("2013-05") - month_index("2012-12")
    5
    """
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def stretches(months, breaks=()) -> list[list[str]]:
    """Split sorted months into runs with no gap and no break (a break month starts a new run).

    >>> stretches(["2013-03", "2013-04", "2013-05", "2013-09"], breaks=["2013-05"])
    [['2013-03', '2013-04'], ['2013-05'], ['2013-09']]
    """
    out: list[list[str]] = []
    for m in sorted(months):
        if out and month_index(m) - month_index(out[-1][-1]) == 1 and m not in set(breaks):
            out[-1].append(m)
        else:
            out.append([m])
    return out


def xmr_limits(counts) -> tuple[float, float, float]:
    """Centre line and lower and upper limits of an XmR chart (the lower limit is not below 0).

    Examples
    --------
    >>> [round(v, 3) for v in xmr_limits([10, 12, 8, 10])]  # mean 10; moving ranges 2, 4, 2: mean 8/3
    [10.0, 2.907, 17.093]
    """
    x = np.asarray(counts, dtype=float)
    centre = float(x.mean())
    mr = float(np.abs(np.diff(x)).mean()) if len(x) > 1 else 0.0
    return centre, max(0.0, centre - XMR_FACTOR * mr), centre + XMR_FACTOR * mr


def control_chart(series: pd.Series, breaks=()) -> pd.DataFrame:
    """Centre, limits and signals for one monthly series.

    Parameters
    ----------
    series : pandas.Series
        Counts indexed by month (``YYYY-MM``); months with no data are simply absent.
    breaks : iterable of str
        Months that start a new stretch (a category change).

    Returns
    -------
    pandas.DataFrame
        One row per month, sorted: ``month``, ``count``, ``stretch`` (1, 2, …), ``centre``, ``lower``, ``upper``
        (NaN for a stretch shorter than :data:`MIN_POINTS`) and ``signal`` (``above``, ``below`` or ``""``).
    """
    rows = []
    for k, run in enumerate(stretches(series.index, breaks), start=1):
        values = [float(series[m]) for m in run]
        centre, lo, hi = xmr_limits(values) if len(run) >= MIN_POINTS else (np.nan, np.nan, np.nan)
        for m, v in zip(run, values, strict=True):
            signal = "above" if v > hi else "below" if v < lo else ""
            rows.append((m, v, k, centre, lo, hi, signal))
    cols = ["month", "count", "stretch", "centre", "lower", "upper", "signal"]
    out = pd.DataFrame(rows, columns=cols)
    out["count"] = out["count"].astype("int64")
    return out


def monthly_counts(assigned: pd.DataFrame, ward_codes, indicator_ids, months) -> pd.DataFrame:
    """Counts of records in wards by ward, indicator and month, zeros included (pure).

    Parameters
    ----------
    assigned : pandas.DataFrame
        Records with ``month``, ``indicator`` and ``ward_code`` (NaN outside the wards), as
        :func:`geo.analysis.wards.assign_wards` returns after :func:`geo.analysis.indicators.label_indicators`.
    ward_codes, indicator_ids, months : iterables
        The full grid to report (months with data only).

    Returns
    -------
    pandas.DataFrame
        ``ward_code``, ``indicator``, ``month``, ``count``, sorted.
    """
    inside = assigned[assigned["ward_code"].notna() & assigned["indicator"].isin(list(indicator_ids))]
    n = inside.groupby(["ward_code", "indicator", "month"]).size()
    grid = pd.MultiIndex.from_product(
        [sorted(ward_codes), sorted(indicator_ids), sorted(months)], names=["ward_code", "indicator", "month"]
    )
    return n.reindex(grid, fill_value=0).rename("count").reset_index()


def charts_by_ward(monthly: pd.DataFrame, breaks_of: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """:func:`control_chart` for every ward and indicator, and for the whole district (``ward_code`` ``"*"``).

    ``breaks_of`` gives the break months of each indicator.
    """
    borough = monthly.groupby(["indicator", "month"], as_index=False)["count"].sum().assign(ward_code="*")
    frames = []
    for (code, ind), g in pd.concat([monthly, borough]).groupby(["ward_code", "indicator"], sort=True):
        chart = control_chart(g.set_index("month")["count"], breaks_of.get(ind, ()))
        frames.append(chart.assign(ward_code=code, indicator=ind))
    cols = ["ward_code", "indicator", "month", "count", "stretch", "centre", "lower", "upper", "signal"]
    return pd.concat(frames, ignore_index=True)[cols]


def latest_status(chart: pd.DataFrame) -> str:
    """Where the latest month sits: ``above``, ``below``, ``within`` the limits, or ``no limits`` (a short stretch).

    >>> latest_status(pd.DataFrame({"count": [5], "lower": [1.0], "upper": [4.0], "signal": ["above"]}))
    'above'
    """
    last = chart.iloc[-1]
    if pd.isna(last["upper"]):
        return "no limits"
    return last["signal"] or "within"


STATUS_WORDS = {
    "above": "unusually high: above {whose} usual range",
    "below": "unusually low: below {whose} usual range",
    "within": "within {whose} usual range",
    "no limits": "too few months since the last break to say what is usual",
}
"""Plain words for :func:`latest_status`, for a PCSO reading at a glance; ``{whose}`` is "this ward's" on a ward's
chart and "the borough's" (or "the district's") on the whole district's."""
