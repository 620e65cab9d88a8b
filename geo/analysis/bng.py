"""British National Grid and WGS84: one named transformation, the same on every machine.

pyproj picks the best transformation it can find between WGS84 and British National Grid (EPSG:27700): the
Ordnance Survey's OSTN15 grid where PROJ has it (a runner whose PROJ network is on, or that installed the grid),
else a seven-parameter Helmert transformation that is a few metres off. The same build then puts a point near a
ward or hexagon edge on different sides on different machines. So every conversion in the build goes through
OSTN15 itself, as :mod:`convertbng` implements it (the OS's grid is compiled into the package: no download, no
PROJ). WGS84 is taken as ETRS89, as the OS does for coordinates of this precision (they differ by well under a
metre in Britain).

Points outside OSTN15's coverage (the sea, Ireland, France) come back as NaN; callers decide what that means.
"""

from __future__ import annotations

import numpy as np

BNG = "EPSG:27700"
"""British National Grid: every area, distance and point-in-polygon test is done in it."""
WGS84 = "EPSG:4326"
"""Longitude and latitude, for web output only."""
TRANSFORMATION = (
    "OSTN15, the Ordnance Survey's transformation between ETRS89 (taken as WGS84) and British National Grid"
)
"""How the pages name the transformation (Data and methods)."""
LIBRARY = "convertbng 2.0"


def _pair(x, y) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(x, dtype="float64").ravel(), np.asarray(y, dtype="float64").ravel()


def _finite_only(convert, x, y) -> tuple[np.ndarray, np.ndarray]:
    """``convert`` applied to the finite pairs only; NaN in gives NaN out (convertbng has no NaN of its own)."""
    x, y = _pair(x, y)
    out_a, out_b = np.full(len(x), np.nan), np.full(len(x), np.nan)
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.any():
        a, b = convert(x[ok], y[ok])
        out_a[ok], out_b[ok] = a, b
    return out_a, out_b


def to_bng(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Easting and northing (metres, to the millimetre) of WGS84 longitudes and latitudes, by OSTN15.

    NaN in, or a point outside OSTN15's coverage, gives NaN.

    Examples
    --------
    >>> e, n = to_bng([-0.1199255641666667, float("nan")], [51.48936564611111, 51.0])
    >>> round(float(e[0]), 1), round(float(n[0]), 1), bool(np.isnan(e[1]))
    (530625.0, 178388.5, True)
    """
    from convertbng.cutil import convert_bng

    return _finite_only(convert_bng, lon, lat)


def to_wgs84(easting, northing) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude and latitude of British National Grid eastings and northings, by OSTN15 (NaN outside it).

    Examples
    --------
    >>> lon, lat = to_wgs84([530624.963], [178388.461])
    >>> round(float(lon[0]), 6), round(float(lat[0]), 6)
    (-0.119926, 51.489366)
    """
    from convertbng.cutil import convert_lonlat

    return _finite_only(convert_lonlat, easting, northing)


def _transform(geoms, convert):
    import shapely

    def fn(xy: np.ndarray) -> np.ndarray:
        a, b = convert(xy[:, 0], xy[:, 1])
        return np.column_stack([a, b])

    return shapely.transform(np.asarray(geoms, dtype=object), fn)


def geometries_to_bng(geoms) -> np.ndarray:
    """Shapely geometries in WGS84 -> the same in British National Grid (coordinates outside OSTN15 become NaN)."""
    return _transform(geoms, to_bng)


def geometries_to_wgs84(geoms) -> np.ndarray:
    """Shapely geometries in British National Grid -> the same in WGS84."""
    return _transform(geoms, to_wgs84)


def frame_to_wgs84(gdf):
    """A GeoDataFrame in British National Grid, converted to WGS84 by OSTN15 (a copy)."""
    import geopandas as gpd

    if gdf.crs is None or gdf.crs.to_epsg() != 27700:
        raise ValueError(f"expected British National Grid, got {gdf.crs}")
    out = gdf.copy()
    return gpd.GeoDataFrame(out, geometry=geometries_to_wgs84(gdf.geometry.values), crs=WGS84)


def points_to_wgs84(easting, northing, decimals: int) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude and latitude of grid points, rounded to ``decimals`` places (5 places is about 1 m)."""
    lon, lat = to_wgs84(easting, northing)
    return np.round(lon, decimals), np.round(lat, decimals)
