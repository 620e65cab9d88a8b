"""The one pinned transformation between WGS84 and British National Grid (OSTN15 through convertbng), checked
against the Ordnance Survey's own published OSTN15 test points, and the guard that no other conversion creeps in."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from geo.analysis import bng
from geo.config import PROJECT_ROOT

POINTS = Path(__file__).parent / "data" / "ostn15-test-points.csv"


def _points():
    with open(POINTS, newline="", encoding="utf-8") as f:
        return [{k: (v if k == "point" else float(v)) for k, v in r.items()} for r in csv.DictReader(f)]


def test_os_test_points_to_grid_within_2_cm():
    pts = _points()
    e, n = bng.to_bng([p["etrs89_longitude"] for p in pts], [p["etrs89_latitude"] for p in pts])
    de = e - np.array([p["osgb36_easting"] for p in pts])
    dn = n - np.array([p["osgb36_northing"] for p in pts])
    assert len(pts) == 18
    assert np.abs(de).max() < 0.02 and np.abs(dn).max() < 0.02, (de, dn)


def test_os_test_points_to_lonlat_within_2_cm():
    pts = _points()
    lon, lat = bng.to_wgs84([p["osgb36_easting"] for p in pts], [p["osgb36_northing"] for p in pts])
    # 3e-7 degrees is about 2 cm of longitude in England and 3 cm of latitude
    assert np.abs(lon - np.array([p["etrs89_longitude"] for p in pts])).max() < 3e-7
    assert np.abs(lat - np.array([p["etrs89_latitude"] for p in pts])).max() < 3e-7


def test_a_helmert_answer_would_fail_the_test_points():
    """The fallback pyproj uses without the OSTN15 grid is metres off: the tolerance above tells them apart."""
    helmert = "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart +ellps=WGS84 "
    helmert += "+step +inv +proj=helmert +x=446.448 +y=-125.157 +z=542.06 +rx=0.15 +ry=0.247 +rz=0.842 "
    helmert += "+s=-20.489 +convention=position_vector +step +inv +proj=cart +ellps=airy "
    helmert += "+step +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy"
    from pyproj import Transformer

    p = _points()[10]  # LOND
    e, n = Transformer.from_pipeline(helmert).transform(p["etrs89_longitude"], p["etrs89_latitude"])
    assert abs(e - p["osgb36_easting"]) + abs(n - p["osgb36_northing"]) > 0.5


def test_outside_ostn15_and_missing_give_nan():
    e, n = bng.to_bng([-20.0, float("nan"), 0.5], [51.0, 51.0, 51.3])
    assert np.isnan(e[:2]).all() and np.isnan(n[:2]).all() and np.isfinite(e[2])


def test_geometries_round_trip_to_the_millimetre():
    from shapely.geometry import box

    g = box(570_000, 155_000, 571_000, 156_000)
    back = bng.geometries_to_bng(bng.geometries_to_wgs84([g]))[0]
    assert back.symmetric_difference(g).area < 1.0  # square metres over a square kilometre's edge


def test_no_other_transformation_in_the_package():
    """Every WGS84 <-> British National Grid conversion goes through geo.analysis.bng: no .to_crs or Transformer call
    elsewhere but the exact Web Mercator inverse in the boundary reader."""
    found = []
    for path in sorted((PROJECT_ROOT / "geo").rglob("*.py")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.to_crs\(|Transformer\b", line) and "the inverse Mercator projection" not in line:
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{i}: {line.strip()}")
    assert found == []


@pytest.mark.parametrize("crs", ["EPSG:4326", "OGC:CRS84", "EPSG:4258"])
def test_wgs84_like_files_are_read_through_ostn15(tmp_path, crs):
    import json

    from geo.read.boundaries import wards_from_geojson

    ring = [[0.5, 51.25], [0.51, 51.25], [0.51, 51.26], [0.5, 51.26], [0.5, 51.25]]
    name = {"EPSG:4326": "urn:ogc:def:crs:EPSG::4326", "OGC:CRS84": "urn:ogc:def:crs:OGC:1.3:CRS84"}.get(
        crs, "urn:ogc:def:crs:EPSG::4258"
    )
    gj = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": name}},
          "features": [{"type": "Feature", "properties": {"WD13CD": "E05000001", "WD13NM": "A"},
                        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}  # fmt: skip
    p = tmp_path / "w.geojson"
    p.write_text(json.dumps(gj))
    w = wards_from_geojson(p)
    e, n = bng.to_bng([0.5], [51.25])
    x, y = w.geometry.iloc[0].exterior.coords[0]
    assert w.crs.to_epsg() == 27700 and abs(x - e[0]) < 0.002 and abs(y - n[0]) < 0.002
