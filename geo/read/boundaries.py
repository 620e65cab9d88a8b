"""Ward (and district) boundaries from GeoJSON."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.analysis import bng as grid
from geo.analysis.bng import BNG
from geo.config import ward_vintage_for
from geo.errors import InputError
from geo.read.io import read_text

ENGLAND_BNG = (60_000, 5_000, 660_000, 660_000)
"""A box around England (Isles of Scilly to Berwick, Land's End to Lowestoft) in British National Grid metres."""

_CODE_PROP = re.compile(r"^WD\d\dCD$")
_NAME_PROP = re.compile(r"^WD\d\dNM$")


def wards_path(data_dir: Path, district: str, year: int | None = None) -> Path:
    """Where a district's ward boundaries live: ``boundaries/wards-<vintage>[-<area>]/<code>.geojson`` (the
    bundle uses ``wards-2013-kent``; ``geo fetch`` writes ``wards-<year>``).

    Where several vintages are present, the newest one not after ``year`` (the period's last year) is used, or
    for a period before them all the oldest, as ``geo fetch`` chooses; two files of that vintage, or several
    files with no year to choose by, are an error.
    """
    kent = Path(data_dir) / "boundaries" / "wards-2013-kent" / f"{district}.geojson"
    found = sorted(Path(data_dir).glob(f"boundaries/wards-*/{district}.geojson"))
    if len(found) > 1 and year is not None:
        vintages = {p: folder_year(p) for p in found}
        chosen = ward_vintage_for([v for v in vintages.values() if v is not None], year)
        if chosen is not None:
            found = [p for p, v in vintages.items() if v == chosen]
    if len(found) > 1:
        raise InputError(
            found[1], f"a second ward boundary file for {district} (the first is {found[0]})", fix="keep one"
        )
    return found[0] if found else kent


def folder_year(path: Path) -> int | None:
    """The vintage in a ward folder's name: ``wards-2013-kent`` -> 2013."""
    m = re.match(r"wards-(\d{4})(?:-|$)", path.parent.name)
    return int(m.group(1)) if m else None


def _feature_problem(code: str, name: str, geom) -> tuple[str, str, str] | None:
    """What is wrong with one ward feature, as (message after "feature N", column, fix), or None."""
    if not re.match(r"^E05\d{6}$", code):
        return f": ward code {code!r} is not E05xxxxxx", "code", "use ONS ward codes"
    if not name or name == "None":
        return f" ({code}): empty ward name", "name", "every ward needs its name"
    if geom is None or geom.is_empty:
        return f" ({code}): no geometry", "geometry", "every ward needs its boundary polygon"
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return f" ({code}): geometry is {geom.geom_type}, not a polygon", "geometry", "ward boundaries must be polygons"
    if geom.has_z:
        return (
            f" ({code}): coordinates have a third (height) value",
            "geometry",
            "ward boundaries are flat: drop the Z values (e.g. ogr2ogr -dim XY)",
        )
    if not geom.is_valid:
        return (
            f" ({code}): invalid polygon (self-intersecting or unclosed)",
            "geometry",
            "repair it, e.g. with shapely.make_valid, and check it",
        )
    return None


def wards_from_geojson(path: Path) -> gpd.GeoDataFrame:
    """Read ward boundaries and return them in British National Grid.

    The file needs a ward code property (``WD13CD`` or another ``WDyyCD``) and a name property (``WDyyNM``).

    Returns
    -------
    geopandas.GeoDataFrame
        ``ward_code`` (``E05…``), ``ward_name``, ``geometry`` (polygons, EPSG:27700), sorted by ward code;
        ``attrs["vintage"]`` is the year of the code property (``"2013"`` for ``WD13CD``).

    Raises
    ------
    InputError
        Unreadable file, missing properties, bad or duplicate codes, geometry that is missing, invalid or not
        polygonal, or coordinates that do not fit the declared CRS.
    """
    path = Path(path)
    text = read_text(path)
    try:
        gdf = gpd.read_file(text) if text.strip() else None
    except Exception as exc:  # pyogrio raises several types for broken JSON
        raise InputError(path, f"not readable as GeoJSON ({exc})", fix="download the file again") from None
    if gdf is None or gdf.empty:
        raise InputError(path, "no features", fix="the boundary file must hold the district's wards")
    code_col = next((c for c in gdf.columns if _CODE_PROP.match(c)), None)
    name_col = next((c for c in gdf.columns if _NAME_PROP.match(c)), None)
    if code_col is None or name_col is None:
        raise InputError(
            path,
            f"no ward code/name properties (WDyyCD, WDyyNM); found {list(gdf.columns)}",
            column="WD13CD" if code_col is None else "WD13NM",
            fix="use ONS ward boundaries, which carry WD13CD and WD13NM",
        )
    out = gpd.GeoDataFrame(
        {"ward_code": gdf[code_col].astype(str).str.strip(), "ward_name": gdf[name_col].astype(str).str.strip()},
        geometry=gdf.geometry.values,
        crs=gdf.crs,
    )
    for i, (code, name, geom) in enumerate(zip(out.ward_code, out.ward_name, out.geometry, strict=True)):
        problem = _feature_problem(code, name, geom)
        if problem:
            message, column, fix = problem
            column = {"code": code_col, "name": name_col}.get(column, column)
            raise InputError(path, f"feature {i + 1}{message}", column=column, fix=fix, row=_line(text, code_col, i))
    dup = out.ward_code[out.ward_code.duplicated()]
    if not dup.empty:
        i = int(dup.index[0])
        raise InputError(
            path,
            f"feature {i + 1}: duplicate ward code {dup.iloc[0]!r}",
            column=code_col,
            row=_line(text, code_col, i),
            fix="each ward must appear once",
        )
    out = to_bng(out, path)
    _no_overlaps(out, path, lambda i: _line(text, code_col, i))
    out = out.sort_values("ward_code").reset_index(drop=True)
    out.attrs["vintage"] = "20" + code_col[2:4]  # WD13CD -> 2013: which ward set the codes belong to
    return out


def _line(text: str, key: str, i: int) -> int | None:
    """The line of the file on which feature ``i`` (0-based) names its ``key`` property: the ``i+1``-th
    ``"key"`` in the text, as each feature carries its properties once (line 1 for a one-line file)."""
    pos = -1
    for _ in range(i + 1):
        pos = text.find(f'"{key}"', pos + 1)
        if pos < 0:
            return None
    return text.count("\n", 0, pos) + 1


OVERLAP_M2 = 10.0
"""Area (square metres) above which two wards overlap: ONS ward sets share their edges exactly (the bundle's
twelve Kent districts overlap by 0 m²), so more than a speck means two sets were mixed or a ward was redrawn."""


def _no_overlaps(wards: gpd.GeoDataFrame, path: Path, line_of) -> None:
    """Refuse wards that overlap: a record in the overlap would belong to either."""
    geoms = wards.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i < j and (area := geoms[i].intersection(geoms[j]).area) > OVERLAP_M2:
            a, b = wards.ward_code.iloc[i], wards.ward_code.iloc[j]
            raise InputError(
                path,
                f"feature {j + 1}: ward {b} overlaps ward {a} (feature {i + 1}) by {area:,.0f} m²",
                column="geometry",
                row=line_of(j),
                fix="use one ward set of one vintage; wards of a district must not overlap",
            )


WGS84_LIKE = ("EPSG:4326", "EPSG:4258", "OGC:CRS84")
"""Declared CRSs read as WGS84 longitude and latitude (ETRS89 and WGS84 agree to well under a metre here)."""


def _is(crs, names) -> bool:
    return any(crs.equals(n) for n in names)


def to_bng(gdf: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """Check that coordinates fit the declared CRS and bring them to British National Grid by the pinned OSTN15
    transformation (:mod:`geo.analysis.bng`); a file already in British National Grid is kept as it is.

    Accepted CRSs: WGS84 (or ETRS89, CRS84), British National Grid, and Web Mercator (EPSG:3857, converted to
    WGS84 by its exact formula first). Anything else is an error, because its path to British National Grid
    would depend on what PROJ has installed.
    """
    if gdf.crs is None:
        raise InputError(path, "no coordinate reference system", fix="declare the CRS in the file")
    minx, miny, maxx, maxy = gdf.total_bounds
    if gdf.crs.is_geographic and not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InputError(
            path,
            f"coordinates ({minx:.0f}, {miny:.0f}) are not longitude/latitude although the "
            f"file declares {gdf.crs.to_string()}",
            column="geometry",
            fix="declare the real CRS (metres suggest EPSG:27700) or reproject to WGS84",
        )
    if not gdf.crs.is_geographic and -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
        raise InputError(
            path,
            f"coordinates ({minx:.3f}, {miny:.3f}) to ({maxx:.3f}, {maxy:.3f}) look like degrees of "
            f"longitude/latitude although the file declares {gdf.crs.to_string()}, whose units are metres",
            column="geometry",
            fix="declare the real CRS (EPSG:4326 for degrees) or reproject the file",
        )
    if _is(gdf.crs, ("EPSG:3857",)):
        gdf = gdf.to_crs("EPSG:4326")  # the inverse Mercator projection: exact, the same on every machine
    if _is(gdf.crs, WGS84_LIKE):
        geoms = grid.geometries_to_bng(gdf.geometry.values)
        bng = gpd.GeoDataFrame(gdf.drop(columns="geometry"), geometry=geoms, crs=BNG)
    elif _is(gdf.crs, (BNG,)):
        bng = gdf.set_crs(BNG, allow_override=True)
    else:
        raise InputError(
            path,
            f"the file declares {gdf.crs.to_string()}, which the build does not convert",
            column="geometry",
            fix="reproject it to WGS84 (EPSG:4326) or British National Grid (EPSG:27700)",
        )
    if np.isnan(shapely.get_coordinates(bng.geometry.values)).any():
        raise InputError(
            path,
            "some coordinates lie outside the area the OSTN15 transformation covers (Great Britain and its seas)",
            column="geometry",
            fix="check the CRS and axis order of the file",
        )
    minx, miny, maxx, maxy = bng.total_bounds
    ex0, ey0, ex1, ey1 = ENGLAND_BNG
    if not (ex0 <= minx and maxx <= ex1 and ey0 <= miny and maxy <= ey1):
        raise InputError(
            path,
            f"geometry falls outside England: British National Grid bounds ({minx:,.0f}, {miny:,.0f}) to "
            f"({maxx:,.0f}, {maxy:,.0f}) from the declared {gdf.crs.to_string()}",
            column="geometry",
            fix="check the CRS and axis order of the file",
        )
    return bng


def districts_from_geojson(path: Path) -> gpd.GeoDataFrame:
    """Read district boundaries (``LADyyCD``/``LADyyNM`` or ``id``/``name``) in British National Grid."""
    path = Path(path)
    text = read_text(path)
    try:
        gdf = gpd.read_file(text)
    except Exception as exc:
        raise InputError(path, f"not readable as GeoJSON ({exc})", fix="download the file again") from None
    code_col = next((c for c in gdf.columns if re.match(r"^LAD\d\dCD$|^id$", c)), None)
    name_col = next((c for c in gdf.columns if re.match(r"^LAD\d\dNM$|^name$", c)), None)
    if code_col is None or name_col is None:
        raise InputError(path, f"no district code/name properties; found {list(gdf.columns)}", column="LAD13CD")
    out = gpd.GeoDataFrame(
        {"district_code": gdf[code_col].astype(str), "district_name": gdf[name_col].astype(str)},
        geometry=gdf.geometry.values,
        crs=gdf.crs,
    )
    bad = ~out.geometry.is_valid
    if bad.any():  # the county file is a coarse conversion (about 60 m): repair it, and say so
        logging.getLogger(__name__).warning(
            "%s: repaired %d invalid district outline(s) with buffer(0)", path, int(bad.sum())
        )
        out["geometry"] = out.geometry.buffer(0)
    out = to_bng(out, path).sort_values("district_code").reset_index(drop=True)
    out.attrs["repaired"] = int(bad.sum())  # said on Data and methods, not only in the log
    return out
