"""Statistically tested hotspots: points on a hexagonal grid, Getis-Ord Gi* with a false-discovery-rate control.

The stages are pure: :func:`hex_grid` covers an area with hexagons in British National Grid,
:func:`counts_by_cell` puts points in cells, :func:`getis_ord` runs ``esda.G_Local`` (Gi*) and classes each
cell, and :func:`top_locations` lists the police.uk locations with most records.

Spatial weights: each cell's neighbours are the six hexagons that share an edge with it (centres exactly one
cell width apart), binary, and Gi* adds the cell itself (``star=True``), so a hotspot is a cell whose
neighbourhood of seven cells holds more records than chance would put there. Significance comes from
conditional permutations (``permutations`` with a fixed ``seed``) converted to two-sided p-values, then the
Benjamini-Hochberg false-discovery-rate correction across all cells; cells are classed hot or cold at 99, 95
or 90 % confidence.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.bng import BNG
from geo.analysis.wards import first_containing

DEFAULT_CELL_M = 400.0
"""Default hexagon width across flats (= distance between neighbouring centres), in metres."""
CLASSES = ("Hot 99%", "Hot 95%", "Hot 90%", "Not significant", "Cold 90%", "Cold 95%", "Cold 99%")
"""Hotspot classes, hottest first."""
LEVELS = ((0.01, "99%"), (0.05, "95%"), (0.10, "90%"))


def hex_grid(area, cell_m: float = DEFAULT_CELL_M) -> gpd.GeoDataFrame:
    """Pointy-top hexagons of width ``cell_m`` (across flats) that together cover ``area`` exactly once.

    Parameters
    ----------
    area : shapely geometry or GeoSeries/GeoDataFrame in a metric CRS (EPSG:27700)
        The area to cover (e.g. the union of the district's wards).

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_id`` (0, 1, … in row-major order from the south-west), ``x``, ``y`` (centre) and hexagon
        ``geometry``; only cells that intersect ``area`` are kept, whole (not clipped).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> g = hex_grid(box(0, 0, 1000, 1000), 400)
    >>> bool(g.union_all().covers(box(0, 0, 1000, 1000)))
    True
    """
    crs = getattr(area, "crs", None) or BNG
    geom = area.union_all() if hasattr(area, "union_all") else area
    minx, miny, maxx, maxy = geom.bounds
    w = float(cell_m)
    hx, hy = w / 2, w / (2 * np.sqrt(3))  # lattice steps: half a width, half a circumradius
    rows = np.arange(np.floor((miny - 4 * hy) / (3 * hy)), np.ceil((maxy + 4 * hy) / (3 * hy)) + 1).astype(int)
    cols = np.arange(np.floor((minx - w) / w), np.ceil((maxx + w) / w) + 1).astype(int)
    jj, ii = np.meshgrid(rows, cols, indexing="ij")
    jj, ii = jj.ravel(), ii.ravel()
    # centres and vertices as whole multiples of (hx, hy), so neighbours share exactly equal vertices
    ux = 2 * ii + (jj % 2)
    uy = 3 * jj
    vx_units = np.array([1, 0, -1, -1, 0, 1])
    vy_units = np.array([1, 2, 1, -1, -2, -1])
    vx = (ux[:, None] + vx_units[None, :]) * hx
    vy = (uy[:, None] + vy_units[None, :]) * hy
    cx, cy = ux * hx, uy * hy
    rings = np.stack([vx, vy], axis=-1)
    polys = shapely.polygons(np.concatenate([rings, rings[:, :1]], axis=1))
    keep = shapely.intersects(polys, geom) & ~shapely.touches(polys, geom)
    grid = gpd.GeoDataFrame({"x": cx[keep], "y": cy[keep]}, geometry=polys[keep], crs=crs)
    grid = grid.sort_values(["y", "x"]).reset_index(drop=True)
    grid.insert(0, "cell_id", np.arange(len(grid)))
    return grid


def cell_of_points(points: gpd.GeoSeries, grid: gpd.GeoDataFrame) -> pd.Series:
    """``cell_id`` of the cell holding each point (a point on a shared edge goes to the lower id).

    Returns a Series indexed like ``points`` with only the points inside the grid.
    """
    return first_containing(points, grid, "cell_id")


def counts_by_cell(cell_ids: pd.Series, grid: gpd.GeoDataFrame) -> np.ndarray:
    """Number of points per cell, in the grid's row order."""
    return np.bincount(cell_ids.to_numpy(dtype=np.int64), minlength=len(grid)).astype(np.int64)


def neighbour_weights(grid: gpd.GeoDataFrame):
    """Binary weights linking each hexagon to the (up to six) hexagons that share an edge with it, and to itself:
    Gi*'s self-weight of 1, which esda would otherwise add to a copy of the weights on every test."""
    from libpysal.weights import DistanceBand, fill_diagonal

    width = _cell_width(grid)
    with warnings.catch_warnings():  # islands are possible for a lone cell; Gi* still includes the cell
        warnings.simplefilter("ignore")
        w = DistanceBand(grid[["x", "y"]].to_numpy(), threshold=width * 1.01, binary=True, silence_warnings=True)
        return fill_diagonal(w, 1)


def _cell_width(grid: gpd.GeoDataFrame) -> float:
    g = grid.geometry.iloc[0]
    minx, _, maxx, _ = g.bounds
    return float(maxx - minx)


def getis_ord(
    counts, grid: gpd.GeoDataFrame, *, permutations: int = 999, seed: int = 12345, weights=None
) -> pd.DataFrame:
    """Getis-Ord Gi* per cell with permutation p-values and a Benjamini-Hochberg false-discovery-rate control.

    Parameters
    ----------
    counts : array-like of int
        Records per cell (grid row order).
    grid : geopandas.GeoDataFrame
        From :func:`hex_grid`.
    permutations : int
        Conditional permutations for the pseudo significance.
    seed : int
        Seed of the permutations: the same inputs always give the same classes.
    weights : libpysal.weights.W, optional
        :func:`neighbour_weights` of ``grid``, when already built (a build tests several indicators on one grid).

    Returns
    -------
    pandas.DataFrame
        ``cell_id``, ``count``, ``gi_z`` (standardised Gi* from the permutations; > 0 hot), ``p_value``
        (two-sided), ``q_value`` (Benjamini-Hochberg adjusted), ``hotspot`` (one of :data:`CLASSES`).
        A field with no variation (all counts equal) has no significant cells.
    """
    from esda.getisord import G_Local
    from scipy.stats import false_discovery_control

    y = np.asarray(counts, dtype=float)
    out = pd.DataFrame({"cell_id": grid["cell_id"].to_numpy(), "count": y.astype(np.int64)})
    if len(y) < 3 or np.all(y == y[0]):
        out["gi_z"], out["p_value"], out["q_value"] = 0.0, 1.0, 1.0
        out["hotspot"] = "Not significant"
        return out
    w = neighbour_weights(grid) if weights is None else weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # esda warns that p_sim's alternative will change; the classes here use z_sim/p_z_sim, not p_sim
        warnings.filterwarnings("ignore", message="The alternative hypothesis", category=DeprecationWarning)
        # a grid over wards that are not contiguous has separate groups of cells; Gi* (star) handles each cell
        warnings.filterwarnings("ignore", message="The weights matrix is not fully connected", category=UserWarning)
        g = G_Local(
            y, w, transform="B", permutations=permutations, star=True, seed=seed, n_jobs=1, keep_simulations=True
        )
    z = np.nan_to_num(np.asarray(g.z_sim, dtype=float))
    p = np.clip(2 * np.asarray(g.p_z_sim, dtype=float), 0, 1)
    p = np.where(np.isnan(p), 1.0, p)
    q = false_discovery_control(p, method="bh")
    out["gi_z"], out["p_value"], out["q_value"] = z, p, q
    label = np.full(len(y), "Not significant", dtype=object)
    for alpha, name in reversed(LEVELS):  # strictest last so it wins
        sig = q <= alpha
        label[sig & (z > 0)] = f"Hot {name}"
        label[sig & (z < 0)] = f"Cold {name}"
    out["hotspot"] = label
    return out


def top_locations(records: pd.DataFrame, n: int = 10, per: tuple[str, ...] = ("indicator",)) -> pd.DataFrame:
    """The police.uk locations ("On or near …") with most records, per indicator and ward; the ``n`` largest of each
    group of the columns ``per`` (of each indicator, or of each indicator in each ward).

    Parameters
    ----------
    records : pandas.DataFrame
        ``indicator``, ``location``, ``ward_code``, ``ward_name`` of records inside the district.

    Returns
    -------
    pandas.DataFrame
        ``indicator``, ``rank``, ``location``, ``ward_code``, ``ward_name``, ``count``: the ``n`` largest per
        indicator (ties broken by location name so the list is stable).
    """
    inside = records[records["ward_code"].notna()]
    g = inside.groupby(["indicator", "location", "ward_code", "ward_name"]).size().rename("count").reset_index()
    g = g.sort_values(["indicator", "count", "location", "ward_code"], ascending=[True, False, True, True])
    g["rank"] = g.groupby(list(per)).cumcount() + 1
    g = g[g["rank"] <= n]
    return g[["indicator", "rank", "location", "ward_code", "ward_name", "count"]].reset_index(drop=True)


def cell_wards(grid: gpd.GeoDataFrame, wards: gpd.GeoDataFrame) -> pd.DataFrame:
    """The ward holding most of each cell's area: ``cell_id``, ``ward_code``, ``ward_name``."""
    pairs = gpd.sjoin(
        grid[["cell_id", "geometry"]],
        wards[["ward_code", "ward_name", "geometry"]],
        how="inner",
        predicate="intersects",
    )
    area = shapely.area(
        shapely.intersection(
            pairs.geometry.values, wards.set_index("ward_code").geometry.loc[pairs["ward_code"]].values
        )
    )
    pairs = pairs.assign(area=area).sort_values(["cell_id", "area", "ward_code"], ascending=[True, False, True])
    return pairs.drop_duplicates("cell_id")[["cell_id", "ward_code", "ward_name"]].reset_index(drop=True)


def hotspot_analysis(
    records: pd.DataFrame,
    grid: gpd.GeoDataFrame,
    ward_of_cell: pd.DataFrame,
    indicator: str,
    *,
    permutations: int = 999,
    seed: int = 12345,
    weights=None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gi* for one indicator's records on ``grid``, with each cell's ward and busiest location.

    Parameters
    ----------
    records : pandas.DataFrame
        Records inside the district with ``indicator``, ``location``, ``longitude``, ``latitude`` and point
        ``geometry`` in EPSG:27700.
    grid, ward_of_cell
        From :func:`hex_grid` and :func:`cell_wards`.
    weights
        :func:`neighbour_weights` of ``grid``, if built already.

    Returns
    -------
    (cells, points) : tuple of pandas.DataFrame
        ``cells``: :func:`getis_ord` columns plus ``ward_code``, ``ward_name``, ``top_location``;
        ``points``: one row per snap point (``latitude``, ``longitude``, ``location``, ``count``), sorted.

    Raises
    ------
    AssertionError
        If a record falls in no cell (the grid must cover the district).
    """
    recs = records[records["indicator"] == indicator]
    cid = cell_of_points(recs.geometry, grid)
    if len(cid) != len(recs):
        raise AssertionError(f"{len(recs) - len(cid)} {indicator} records fall outside the hexagon grid")
    cells = getis_ord(counts_by_cell(cid, grid), grid, permutations=permutations, seed=seed, weights=weights)
    cells = cells.merge(ward_of_cell, on="cell_id", how="left")
    located = recs.assign(cell_id=cid.reindex(recs.index).to_numpy())
    busiest = (
        located.groupby(["cell_id", "location"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["cell_id", "n", "location"], ascending=[True, False, True])
        .drop_duplicates("cell_id")
        .set_index("cell_id")["location"]
    )
    cells["top_location"] = [busiest.get(c, "") for c in cells["cell_id"]]
    points = (
        recs.groupby(["latitude", "longitude", "location"])
        .size()
        .rename("count")
        .reset_index()
        .sort_values(["latitude", "longitude", "location"])
        .reset_index(drop=True)
    )
    return cells, points


def snap_points(recs: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Records counted per snap point: ``latitude``, ``longitude``, ``location``, ``count``, in a stable order
    (within each group of the columns ``by``, which come first)."""
    keys = [*by, "latitude", "longitude", "location"]
    return recs.groupby(keys).size().rename("count").reset_index().sort_values(keys)
