"""Pedestrian casualties by ward, by hour and in hot cells: a pure stage (STATS19 records in, tables out)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.analysis import hotspots, indicators, wards
from geo.analysis.bng import points_to_wgs84

HOURS = list(range(24))
WEEKDAYS = (2, 6)
"""STATS19 ``day_of_week`` of Monday and Friday (1 = Sunday)."""


@dataclass(frozen=True)
class Pedestrians:
    """What the road safety pages show about pedestrian casualties."""

    rates: pd.DataFrame
    """One row per ward: :func:`geo.analysis.indicators.rates_by_ward` columns plus ``ksi`` and ``young`` (aged
    11-16)."""
    reconciliation: wards.Reconciliation
    """How every casualty row was accounted for."""
    by_hour: pd.DataFrame
    """Casualties in the district's wards by ``hour`` (0-23): ``weekday`` and ``weekend`` columns."""
    records: gpd.GeoDataFrame
    """The casualties in a ward as hotspot records (EPSG:27700 points with location words)."""
    cells: pd.DataFrame
    points: pd.DataFrame
    """Gi* cells and snap points of :func:`geo.analysis.hotspots.hotspot_analysis`."""


def pedestrian_results(ped: pd.DataFrame, ward_table: pd.DataFrame, months: list[str], grid, gi) -> Pedestrians:
    """Place ``ped`` (:func:`geo.read.stats19.pedestrian_casualties`) in wards and analyse them.

    ``grid`` is the build's hotspot grid (:class:`geo.context.Grid`: its ``cells``, their wards ``ward_of_cell`` and
    Gi*'s ``weights``); ``gi`` the Gi* settings, ``(permutations, seed)``, so pedestrians go through the same grid and
    test as the police.uk records.
    """
    where = wards.assign_bng_points(ped["easting"], ped["northing"], ward_table, ped["month"].isin(months))
    ped = ped.reset_index(drop=True).assign(ward_code=where["ward_code"], status=where["status"])
    rec = wards.reconcile(ped.assign(), months)
    inside = ped[ped["status"] == "in_ward"]
    counts = inside.groupby("ward_code").size().reindex(ward_table["ward_code"], fill_value=0)
    table = pd.DataFrame(
        {
            "ward_code": counts.index,
            "ward_name": ward_table["ward_name"].to_numpy(),
            "indicator": "pedestrians",
            "count": counts.to_numpy(),
        }
    )
    rates = indicators.rates_by_ward(table, ward_table[["ward_code", "population"]])
    extra = inside.groupby("ward_code").agg(ksi=("ksi", "sum"), young=("age_11_16", "sum"))
    rates = rates.merge(extra, left_on="ward_code", right_index=True, how="left").fillna({"ksi": 0, "young": 0})
    weekday = inside["day_of_week"].between(*WEEKDAYS)
    by_hour = pd.DataFrame(
        {
            "weekday": inside[weekday].groupby("hour").size().reindex(HOURS, fill_value=0),
            "weekend": inside[~weekday].groupby("hour").size().reindex(HOURS, fill_value=0),
        }
    )
    records = hotspot_records(inside, grid.cells.crs)
    cells, points = hotspots.hotspot_analysis(
        records, grid.cells, grid.ward_of_cell, "pedestrians", permutations=gi[0], seed=gi[1], weights=grid.weights
    )
    return Pedestrians(rates, rec, by_hour, records, cells, points)


def hotspot_records(inside: pd.DataFrame, crs) -> gpd.GeoDataFrame:
    """Casualties as records for :func:`geo.analysis.hotspots.hotspot_analysis`, located by their grid reference."""
    bng = gpd.GeoSeries.from_xy(inside["easting"], inside["northing"], crs=crs)
    lon, lat = points_to_wgs84(inside["easting"], inside["northing"], 5)
    return gpd.GeoDataFrame(
        {
            "indicator": "pedestrians",
            "location": [
                f"Collision at grid reference {e:.0f}, {n:.0f}"
                for e, n in zip(inside["easting"], inside["northing"], strict=True)
            ],
            "longitude": lon,
            "latitude": lat,
        },
        geometry=bng.values,
        crs=crs,
    )
