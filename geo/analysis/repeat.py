"""Repeat locations: the police.uk snap points with most records in a ward over the period, and how persistent.

A snap point is one of police.uk's anonymous map points: each record is moved to the nearest of a fixed set of
points, each shared by many addresses (a street's middle, a park, a station), so it is never an address. A point
that holds many records month after month is where a PCSO's patrol or a problem-solving plan can start.

Disclosure: a point is listed only with at least :data:`MIN_RECORDS` records in the period, so that no list points
at the few records of a quiet street; Data and methods states the rule.
"""

from __future__ import annotations

import pandas as pd

MIN_RECORDS = 10
"""The fewest records a snap point must have in the period to be listed (the site's disclosure rule)."""
TOP = 5
"""How many points a ward lists at most."""
MAIN_CATEGORIES = 2
"""How many of a point's categories are named."""


def repeat_locations(records: pd.DataFrame, min_records: int = MIN_RECORDS, top: int = TOP) -> pd.DataFrame:
    """The busiest snap points of each ward, all categories together.

    Parameters
    ----------
    records : pandas.DataFrame
        Records placed in wards: ``ward_code``, ``location``, ``longitude``, ``latitude``, ``month``,
        ``crime_type``.

    Returns
    -------
    pandas.DataFrame
        ``ward_code``, ``rank``, ``location``, ``longitude``, ``latitude``, ``records``, ``months`` (months of the
        period in which the point has a record) and ``categories`` (``[(category, records), …]``, the point's
        :data:`MAIN_CATEGORIES` largest), at most ``top`` per ward and none below ``min_records``; ties are broken
        by location name and then coordinates, so the list is stable.

    >>> r = pd.DataFrame({"ward_code": ["W"] * 12 + ["W"], "location": ["On or near A"] * 12 + ["On or near B"],
    ...     "longitude": [0.5] * 12 + [0.6], "latitude": [51.0] * 13,
    ...     "month": ["2025-01"] * 6 + ["2025-02"] * 6 + ["2025-03"],
    ...     "crime_type": ["Shoplifting"] * 9 + ["Anti-social behaviour"] * 3 + ["Burglary"]})
    >>> out = repeat_locations(r)
    >>> out[["location", "records", "months"]].values.tolist(), out["categories"].iloc[0]
    ([['On or near A', 12, 2]], [('Shoplifting', 9), ('Anti-social behaviour', 3)])
    """
    key = ["ward_code", "location", "longitude", "latitude"]
    placed = records.dropna(subset=["longitude", "latitude"])
    g = placed.groupby(key, sort=True).agg(records=("month", "size"), months=("month", "nunique")).reset_index()
    g = g[g["records"] >= min_records]
    g = g.sort_values(
        ["ward_code", "records", "location", "longitude", "latitude"], ascending=[True, False, True, True, True]
    )
    g["rank"] = g.groupby("ward_code").cumcount() + 1
    g = g[g["rank"] <= top].reset_index(drop=True)
    cats = placed.merge(g[key], on=key).groupby([*key, "crime_type"]).size().rename("n").reset_index()
    cats = cats.sort_values([*key, "n", "crime_type"], ascending=[True] * 4 + [False, True])
    main = {
        k: [(c, int(n)) for c, n in zip(grp["crime_type"], grp["n"], strict=True)][:MAIN_CATEGORIES]
        for k, grp in cats.groupby(key, sort=False)
    }
    g["categories"] = [main[tuple(r)] for r in g[key].itertuples(index=False)]
    g[["records", "months"]] = g[["records", "months"]].astype(int)
    return g[["ward_code", "rank", "location", "longitude", "latitude", "records", "months", "categories"]]
