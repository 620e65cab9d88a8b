"""Assigning police.uk records to wards, reconciling the counts, and ward populations."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import bng
from geo.analysis.bng import BNG

STATUS = ("in_ward", "outside_district", "no_location", "out_of_period", "repeated")
"""Where each input row ends up; every row gets exactly one. ``repeated`` is a record whose Crime ID an earlier
record already has (:func:`geo.read.police.repeated_records`): it is counted once, at its first place."""


def assign_wards(records: pd.DataFrame, wards: gpd.GeoDataFrame, months) -> gpd.GeoDataFrame:
    """Assign each record to the ward that contains its point, in British National Grid.

    A point on a boundary shared by two wards goes to the ward with the lower code, so every point inside
    the district lands in exactly one ward.

    Parameters
    ----------
    records : pandas.DataFrame
        police.uk records with ``month``, ``longitude``, ``latitude`` (WGS84; NaN where not located).
    wards : geopandas.GeoDataFrame
        ``ward_code``, ``ward_name``, polygon ``geometry`` in EPSG:27700.
    months : collection of str
        The months of the period; records of other months are ``out_of_period``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``records`` in their original order with point ``geometry`` (EPSG:27700), ``ward_code``,
        ``ward_name`` (NaN unless in a ward) and ``status`` (one of :data:`STATUS`).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> w = gpd.GeoDataFrame({"ward_code": ["E05000001"], "ward_name": ["A"]},
    ...                      geometry=[box(0, 0, 700000, 700000)], crs=BNG)
    >>> r = pd.DataFrame({"month": ["2012-04"], "longitude": [0.5], "latitude": [51.3]})
    >>> assign_wards(r, w, ["2012-04"])["status"].tolist()
    ['in_ward']
    """
    records = records.reset_index(drop=True)
    located = records["longitude"].notna() & records["latitude"].notna()
    e, n = bng.to_bng(records["longitude"], records["latitude"])  # NaN outside OSTN15: outside the district
    pts = gpd.GeoSeries.from_xy(e, n, crs=BNG)
    pts[~(located & np.isfinite(e))] = None
    out = gpd.GeoDataFrame(records, geometry=pts.values, crs=BNG)
    in_period = out["month"].isin(list(months))
    repeated = out["repeat_of"].ne("").to_numpy() if "repeat_of" in out else np.zeros(len(out), dtype=bool)
    out["ward_code"] = pd.Series(np.nan, index=out.index, dtype=object)
    cand = out[located & in_period & ~repeated]
    found = ward_of_points(cand.geometry, wards)
    out.loc[found.index, "ward_code"] = found
    names = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    out["ward_name"] = out["ward_code"].map(names)
    status = np.select(
        [~in_period, repeated, ~located, out["ward_code"].notna()],
        ["out_of_period", "repeated", "no_location", "in_ward"],
        default="outside_district",
    )
    out["status"] = status
    return out


def ward_of_points(points: gpd.GeoSeries, wards: gpd.GeoDataFrame) -> pd.Series:
    """Code of the ward containing each point (same CRS); a point on a shared border gets the lower code.

    Returns
    -------
    pandas.Series
        Indexed like ``points``, holding only the points that fall in a ward.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> w = gpd.GeoDataFrame({"ward_code": ["E05000002", "E05000001"]}, geometry=[box(1, 0, 2, 1), box(0, 0, 1, 1)])
    >>> ward_of_points(gpd.GeoSeries([Point(1, 0.5), Point(5, 5)]), w).to_dict()
    {0: 'E05000001'}
    """
    return first_containing(points, wards, "ward_code")


def first_containing(points: gpd.GeoSeries, polygons: gpd.GeoDataFrame, key: str) -> pd.Series:
    """``key`` of the polygon containing each point; a point on a shared edge gets the lowest ``key``.

    Returns a Series indexed like ``points``, holding only the points that fall in some polygon.
    """
    if len(points) == 0 or len(polygons) == 0:
        return pd.Series([], index=points.index[:0], dtype=polygons[key].dtype, name=key)
    hits = gpd.sjoin(
        gpd.GeoDataFrame(geometry=points), polygons[[key, "geometry"]], how="inner", predicate="intersects"
    )
    pairs = pd.DataFrame({"point": hits.index, key: hits[key].to_numpy()})
    first = pairs.sort_values(["point", key]).drop_duplicates("point")
    return pd.Series(first[key].to_numpy(), index=first["point"].to_numpy(), name=key)


@dataclass(frozen=True)
class Reconciliation:
    """How every input row was accounted for."""

    rows_read: int
    in_ward: int
    outside_district: int
    no_location: int
    out_of_period: int
    repeated: int
    months: tuple[str, ...]
    missing_months: tuple[str, ...]

    @property
    def balanced(self) -> bool:
        parts = self.in_ward + self.outside_district + self.no_location + self.out_of_period + self.repeated
        return self.rows_read == parts

    def text(self) -> str:
        cover = f"{self.months[0]} to {self.months[-1]}" if self.months else "no months"
        gap = f"; months with no file: {', '.join(self.missing_months)}" if self.missing_months else ""
        return (
            f"police.uk rows read {self.rows_read:,} = in wards {self.in_ward:,} + outside the district "
            f"{self.outside_district:,} + without a location {self.no_location:,} + outside the period "
            f"{self.out_of_period:,}"
            + (f" + repeating an earlier record's Crime ID {self.repeated:,}" if self.repeated else "")
            + f" ({'balanced' if self.balanced else 'NOT BALANCED'}; "
            f"months {cover}{gap})"
        )


def reconcile(assigned: pd.DataFrame, months, missing_months=()) -> Reconciliation:
    """Count rows by :data:`STATUS` and check that they add up to the rows read.

    Raises
    ------
    AssertionError
        If the parts do not add up (a programming error: a row was lost).
    """
    c = assigned["status"].value_counts()
    rec = Reconciliation(
        len(assigned),
        *(int(c.get(s, 0)) for s in STATUS),
        months=tuple(m for m in months if m not in set(missing_months)),
        missing_months=tuple(missing_months),
    )
    if not rec.balanced:
        raise AssertionError(rec.text())
    return rec


def ward_population(population: pd.DataFrame, lookup: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """Census 2011 residents per ward, summed over the ward's best-fit 2011 LSOAs.

    Parameters
    ----------
    population : pandas.DataFrame
        ``lsoa_code``, ``residents``, ``households``.
    lookup : pandas.DataFrame
        ``lsoa_code``, ``ward_code`` (ONS best fit).
    wards : pandas.DataFrame
        ``ward_code`` of the district.

    Returns
    -------
    pandas.DataFrame
        ``ward_code``, ``population``, ``households``, ``lsoas`` (number of LSOAs), sorted by ward code.

    Raises
    ------
    ValueError
        If a ward has no LSOA, or an LSOA of the ward has no population.
    """
    codes = set(wards["ward_code"])
    lk = lookup[lookup["ward_code"].isin(codes)]
    missing_wards = sorted(codes - set(lk["ward_code"]))
    if missing_wards:
        raise ValueError(f"ward(s) {missing_wards} have no LSOA in the lookup")
    merged = lk.merge(population, on="lsoa_code", how="left", validate="1:1")
    if merged["residents"].isna().any():
        raise ValueError(
            f"LSOA(s) {sorted(merged.loc[merged['residents'].isna(), 'lsoa_code'])[:5]} "
            "of the lookup have no Census population"
        )
    out = merged.groupby("ward_code").agg(
        population=("residents", "sum"), households=("households", "sum"), lsoas=("lsoa_code", "size")
    )
    return out.astype("int64").reset_index().sort_values("ward_code").reset_index(drop=True)


def best_fit_from_points(assigned: pd.DataFrame, lsoas) -> pd.DataFrame:
    """A best-fit 2011 LSOA -> ward lookup derived from where police.uk's snap points fall.

    police.uk gives each record the LSOA its snap point lies in, so the wards holding an LSOA's snap points show
    which ward that LSOA sits in. Each LSOA goes to the ward holding most of its points (ties go to the lower
    ward code). Used when the ONS lookup in the data directory is of another ward vintage than the boundaries.

    Parameters
    ----------
    assigned : pandas.DataFrame
        Records from :func:`assign_wards` (``lsoa_code``, ``status``, ``ward_code``).
    lsoas : iterable of str
        The district's 2011 LSOA codes (e.g. from the Census file).

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code``, ``ward_code``, ``points`` (snap points of the LSOA in wards) and ``share`` (of those, the
        fraction in the chosen ward), sorted by LSOA.

    Raises
    ------
    ValueError
        If an LSOA of the district has no snap point in any ward, so cannot be placed.
    """
    want = sorted(set(lsoas))
    inside = assigned[(assigned["status"] == "in_ward") & assigned["lsoa_code"].isin(want)]
    n = inside.groupby(["lsoa_code", "ward_code"]).size().rename("n").reset_index()
    n["points"] = n.groupby("lsoa_code")["n"].transform("sum")
    best = n.sort_values(["lsoa_code", "n", "ward_code"], ascending=[True, False, True]).drop_duplicates("lsoa_code")
    unplaced = sorted(set(want) - set(best["lsoa_code"]))
    if unplaced:
        raise ValueError(
            f"{len(unplaced)} LSOA(s) of the district, e.g. {unplaced[:3]}, have no police.uk record in a ward "
            "in this period, so their ward cannot be derived from snap points"
        )
    return pd.DataFrame(
        {
            "lsoa_code": best["lsoa_code"].to_numpy(),
            "ward_code": best["ward_code"].to_numpy(),
            "points": best["points"].to_numpy(),
            "share": (best["n"] / best["points"]).to_numpy(),
        }
    )


def assign_bng_points(easting, northing, wards: gpd.GeoDataFrame, in_period) -> pd.DataFrame:
    """Ward and status of points given in British National Grid (e.g. STATS19 accident locations).

    Returns
    -------
    pandas.DataFrame
        ``ward_code`` (NaN unless in a ward) and ``status`` (one of :data:`STATUS`), indexed like the inputs.
    """
    e = pd.Series(easting, dtype="float64").reset_index(drop=True)
    n = pd.Series(northing, dtype="float64").reset_index(drop=True)
    period = pd.Series(in_period, dtype=bool).reset_index(drop=True)
    located = e.notna() & n.notna()
    pts = gpd.GeoSeries.from_xy(e.fillna(0), n.fillna(0), crs=BNG)[located & period]
    found = first_containing(pts, wards, "ward_code")
    out = pd.DataFrame({"ward_code": pd.Series(np.nan, index=e.index, dtype=object)})
    out.loc[found.index, "ward_code"] = found
    out["status"] = np.select(
        [~period, ~located, out["ward_code"].notna()],
        ["out_of_period", "no_location", "in_ward"],
        default="outside_district",
    )
    return out


MIN_SHARED_AREA = 0.05
"""A ward of another vintage is named as covering the same ground when it holds at least this share of the ward's
area (boundaries drawn at different scales overlap by slivers, which this leaves out)."""


def shared_ground(mine: gpd.GeoDataFrame, theirs: gpd.GeoDataFrame) -> pd.DataFrame:
    """For each ward of ``mine``, the wards of ``theirs`` (another vintage, same CRS) holding at least
    :data:`MIN_SHARED_AREA` of its area: ``ward_code``, ``other``, ``ward_name`` (the other's), ``share``, largest
    share first."""
    a = mine[["ward_code", "geometry"]]
    b = theirs[["ward_code", "ward_name", "geometry"]].rename(columns={"ward_code": "other"})
    parts = gpd.overlay(a, b, how="intersection", keep_geom_type=True)
    parts["share"] = parts.geometry.area / parts["ward_code"].map(a.set_index("ward_code").geometry.area)
    keep = parts[parts["share"] >= MIN_SHARED_AREA]
    out = keep.sort_values(["ward_code", "share", "other"], ascending=[True, False, True])
    return pd.DataFrame(out[["ward_code", "other", "ward_name", "share"]])
