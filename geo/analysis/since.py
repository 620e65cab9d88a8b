"""What changed since the assessment: the assessment's year against a recent year, ward by ward, on one ward set at
a time (the recent wards, and the assessment's), each year's records over its own Census's residents.

Both years' records are points, so the year that is not native to a ward set is placed in its wards again by
point in polygon. Its residents are placed LSOA by LSOA: each of its Census's LSOAs goes to the ward holding most of
that year's snap points in it (:func:`geo.analysis.wards.best_fit_from_points`), as no lookup joins 2011 LSOAs to
the 2024 wards or 2021 LSOAs to the 2013 ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import bng, spc, wards
from geo.analysis.change import compare_counts
from geo.analysis.indicators import counts_by_ward
from geo.config import Period

KEEP = ("month", "longitude", "latitude", "lsoa_code", "crime_type", "indicator", "repeat_of")
"""The columns of a placed record that placing it again needs."""


@dataclass(frozen=True)
class Year:
    """One year of a vintage of the site, as its build placed it."""

    period: Period
    records: pd.DataFrame
    """The period's records placed in the year's own wards (``status``, ``ward_code``, ``indicator``, …)."""
    wards: gpd.GeoDataFrame
    """The year's own wards with ``population`` (its Census)."""
    population: pd.DataFrame
    """The year's Census by LSOA (``lsoa_code``, ``lad_code``, ``residents``)."""
    census: int


@dataclass(frozen=True)
class View:
    """Both years on one ward set."""

    wards: gpd.GeoDataFrame
    """The ward set (``ward_code``, ``ward_name``, ``geometry``, EPSG:27700)."""
    table: pd.DataFrame
    """One row per ward and priority: ``ward_code``, ``indicator``, ``comparable``, ``before``, ``after``,
    ``pop_before``, ``pop_after``, ``rate_before``, ``rate_after`` and :func:`compare_counts`'s rate ratio, interval,
    p-value and verdicts (blank, and ``categories differ``, where police.uk's categories changed between the
    years)."""
    totals: pd.DataFrame
    """The same for the whole district, one row per priority (indexed by indicator)."""
    note: str
    """How the other year's residents were placed in these wards, in words."""


def compare_years(before: Year, after: Year, native: int, district: str, priorities, indicators) -> View:
    """Both years on the wards of ``(before, after)[native]``: the other year's records placed there again by
    their points and its residents by its LSOAs' snap points."""
    years = (before, after)
    ward_set = years[native].wards
    placed, pops, note = [], [], ""
    for i, y in enumerate(years):
        if i == native:
            placed.append(y.records)
            pops.append(ward_set.set_index("ward_code")["population"])
            continue
        recs = pd.DataFrame(y.records[[c for c in KEEP if c in y.records]])
        recs = recs[_near(recs, ward_set)].reset_index(drop=True)  # the others would fall outside these wards
        again = wards.assign_wards(recs, ward_set[["ward_code", "ward_name", "geometry"]], y.period.months())
        lsoas = y.population.loc[y.population["lad_code"] == district, "lsoa_code"]
        fit = wards.best_fit_from_points(again, lsoas)
        pop = wards.ward_population(y.population, fit, ward_set[["ward_code", "ward_name"]])
        placed.append(again)
        pops.append(pop.set_index("ward_code")["population"].reindex(ward_set["ward_code"], fill_value=0))
        note = (
            f"Census {y.census} residents were placed in these wards LSOA by LSOA, each in the ward holding most of "
            f"its police.uk snap points that year (at least {fit['share'].min():.0%} of an LSOA's points; median "
            f"{fit['share'].median():.0%})"
        )
    counts = [counts_by_ward(p, ward_set, indicators) for p in placed]
    rows, totals = [], []
    for ind in priorities:
        a, b = (c[c["indicator"] == ind.id].set_index("ward_code")["count"] for c in counts)
        same = spc.comparable(ind.police_categories, before.period, after.period)
        rows.append(_change(a, b, pops[0].reindex(a.index), pops[1].reindex(a.index), same).assign(indicator=ind.id))
        total = _change(pd.Series([a.sum()]), pd.Series([b.sum()]), pd.Series([pops[0].sum()]),
                        pd.Series([pops[1].sum()]), same)  # fmt: skip
        totals.append(total.assign(indicator=ind.id).set_index("indicator"))
    table = pd.concat(rows).rename_axis("ward_code").reset_index()
    return View(ward_set[["ward_code", "ward_name", "geometry"]], table, pd.concat(totals), note)


NEAR_DEGREES = 0.01
"""How far outside the ward set's corners (in longitude and latitude, about 700 m) a record is still placed again:
well beyond the bend of the British National Grid's lines over a district's width, so no record that lies in a
ward is left out."""


def _near(recs: pd.DataFrame, ward_set: gpd.GeoDataFrame) -> np.ndarray:
    """Which records lie within the ward set's bounds and :data:`NEAR_DEGREES` of them: only these can fall in one
    of its wards (a year's records may cover a whole force; placing the rest again could only find them outside)."""
    x0, y0, x1, y1 = ward_set.total_bounds
    lon, lat = bng.to_wgs84(np.array([x0, x0, x1, x1]), np.array([y0, y1, y0, y1]))
    lon_ok = recs["longitude"].between(lon.min() - NEAR_DEGREES, lon.max() + NEAR_DEGREES)
    lat_ok = recs["latitude"].between(lat.min() - NEAR_DEGREES, lat.max() + NEAR_DEGREES)
    return (lon_ok & lat_ok).to_numpy()


def _change(a: pd.Series, b: pd.Series, pa: pd.Series, pb: pd.Series, comparable: bool) -> pd.DataFrame:
    """Rates of two years over their own residents, and their ratio tested (not where categories differ)."""
    out = compare_counts(a, b.reindex(a.index, fill_value=0), exposure=(pa, pb))
    out.insert(2, "pop_before", pa.to_numpy())
    out.insert(3, "pop_after", pb.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        out.insert(4, "rate_before", np.where(pa > 0, 1000 * out["before"] / pa, np.nan))
        out.insert(5, "rate_after", np.where(pb > 0, 1000 * out["after"] / pb, np.nan))
    out["comparable"] = comparable
    if not comparable:  # police.uk's categories changed between the years: counts and rates only, no trend
        out[["ratio", "ratio_lower", "ratio_upper", "p_value", "q_value"]] = np.nan
        out["verdict"] = out["fdr_verdict"] = "categories differ"
    return out
