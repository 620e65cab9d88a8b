"""What the publishers would answer for Maidstone's current year, made from small cuts of REAL published files in
``tests/data/fetch`` (their sources are in ``tests/data/README.md``). The values and rows are as published; only
the envelopes around them (an ArcGIS query's JSON, a Nomis CSV's three columns, a zip of two months) are made here,
in the forms the fetch reads and public code records.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import zipfile
from pathlib import Path

HERE = Path(__file__).parent / "data" / "fetch"
DISTRICT = "E07000110"  # Maidstone
MONTHS = ("2025-11", "2025-12")
PORTAL = "/ESMARspQHYMw9BZ9/arcgis/rest/services"
LOOKUP = f"{PORTAL}/LSOA21_WD24_LAD24_EW_LU/FeatureServer/0/query"
WARDS = f"{PORTAL}/Wards_December_2024_Boundaries_UK_BGC/FeatureServer/0/query"
NOMIS = "/api/v01/dataset/NM_2021_1.data.csv"
IOD = "/media/68ff5daabcb10f6bf9bef911/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv"
ARCHIVE = "/data/archive/2025-12.zip"
STATS19 = "/road-accidents-safety-data/dft-road-casualty-statistics-{}-2023.csv"
RESTYPE = {"0": "Total", "1": "Lives in a household", "2": "Lives in a communal establishment"}


def rows(name: str) -> list[dict]:
    with open(HERE / name, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def arcgis_table(table: list[dict]):
    """An ArcGIS layer query over ``table`` (``f=json``): the asked-for fields of the rows the ``where`` clause
    ``<field>='<value>'`` keeps, ``resultRecordCount`` at a time, saying when more remain."""

    def answer(q: dict) -> bytes:
        field, _, value = q["where"].partition("=")
        kept = [r for r in table if r[field] == value.strip("'")]
        start, count = int(q.get("resultOffset", 0)), int(q.get("resultRecordCount", 2000))
        fields = q["outFields"].split(",")
        page = [{"attributes": {f: r[f] for f in fields}} for r in kept[start : start + count]]
        return json.dumps({"features": page, "exceededTransferLimit": start + count < len(kept)}).encode()

    return answer


def arcgis_features(collection: dict):
    """An ArcGIS layer query (``f=geojson``) for ``WD24CD IN ('…', …)`` over a real FeatureCollection."""

    def answer(q: dict) -> bytes:
        wanted = {c.strip("' ") for c in q["where"].split("(", 1)[1].rstrip(")").split(",")}
        fields = q["outFields"].split(",")
        feats = [
            {"type": "Feature", "properties": {f: ft["properties"][f] for f in fields}, "geometry": ft["geometry"]}
            for ft in collection["features"]
            if ft["properties"]["WD24CD"] in wanted
        ]
        return json.dumps({"type": "FeatureCollection", "features": feats}).encode()

    return answer


BUNDLE = Path(__file__).parent.parent / "data" / "bundle" / "boundaries"
WARDS13 = f"{PORTAL}/WD_2013_GB_BGC/FeatureServer/0/query"
DISTRICTS13 = f"{PORTAL}/LAD_DEC_2013_GB_BFC/FeatureServer/0/query"


def kent_2013() -> tuple[dict, dict]:
    """ONS's December 2013 wards of Kent's 12 districts (every file of the embedded bundle's
    ``wards-2013-kent``, 283 wards) and Kent's December 2013 district outlines (``districts-2013-kent.geojson``),
    both real published boundaries (their sources are in ``data/bundle/MANIFEST.csv``)."""
    wards = [f for p in sorted((BUNDLE / "wards-2013-kent").glob("*.geojson"))
             for f in json.loads(p.read_text())["features"]]  # fmt: skip
    districts = json.loads((BUNDLE / "districts-2013-kent.geojson").read_text())
    return {"type": "FeatureCollection", "features": wards}, districts


def arcgis_place(collection: dict):
    """An ArcGIS layer query (``f=geojson``) over a real FeatureCollection, as the portal answers a layer with no
    district field: by ``where=<field>='<value>'``, or by an envelope (``geometry=xmin,ymin,xmax,ymax`` in WGS84,
    ``spatialRel=esriSpatialRelIntersects``), ``resultRecordCount`` features a page, saying under ``properties``
    when more remain."""
    import shapely
    from shapely.geometry import shape

    def answer(q: dict) -> bytes:
        if "geometry" in q:
            assert q["geometryType"] == "esriGeometryEnvelope" and q["inSR"] == "4326"
            assert q["spatialRel"] == "esriSpatialRelIntersects"
            box = shapely.box(*(float(v) for v in q["geometry"].split(",")))
            kept = [f for f in collection["features"] if shape(f["geometry"]).intersects(box)]
        else:
            field, _, value = q["where"].partition("=")
            kept = [f for f in collection["features"] if f["properties"][field] == value.strip("'")]
        start, count = int(q.get("resultOffset", 0)), int(q.get("resultRecordCount", 2000))
        fields = q["outFields"].split(",")
        page = [{"type": "Feature", "properties": {k: f["properties"][k] for k in fields}, "geometry": f["geometry"]}
                for f in kept[start : start + count]]  # fmt: skip
        more = {"exceededTransferLimit": True} if start + count < len(kept) else {}
        return json.dumps({"type": "FeatureCollection", "features": page, "properties": more}).encode()

    return answer


def nomis_ts001(table: list[dict]):
    """Nomis's NM_2021_1 asked by code (``geography=E01…,E07…``): one row per area and residence type asked for,
    with the TS001 counts of ``table``."""
    by_code = {r["Geography code"]: r for r in table}

    def answer(q: dict) -> bytes:
        assert q["select"] == "geography_code,c2021_restype_3,obs_value" and q["measures"] == "20100"
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["GEOGRAPHY_CODE", "C2021_RESTYPE_3", "OBS_VALUE"])
        for code in q["geography"].split(","):
            for cell in q["c2021_restype_3"].split(","):
                if code in by_code:
                    w.writerow([code, cell, by_code[code][RESTYPE[cell]]])
        return out.getvalue().encode()

    return answer


def police_archive() -> bytes:
    """data.police.uk's archive of December 2025, holding the two months as ``<month>/<month>-kent-street.csv``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for m in MONTHS:
            z.write(HERE / f"{m}-kent-street.csv", f"{m}/{m}-kent-street.csv")
    return buf.getvalue()


def publisher_files() -> dict:
    """URL path -> answer (bytes, or a function of the query) for a fetch of Maidstone, November-December 2025."""
    return {
        LOOKUP: arcgis_table(rows(f"lsoa21-to-ward24-{DISTRICT}.csv")),
        WARDS: arcgis_features(json.loads((HERE / f"wards-2024-{DISTRICT}.geojson").read_text())),
        NOMIS: nomis_ts001(rows(f"census-2021-ts001-{DISTRICT}.csv")),
        IOD: (HERE / f"iod-2025-{DISTRICT}.csv").read_bytes(),
        ARCHIVE: police_archive(),
        STATS19.format("collision"): (HERE / "stats19-collision-2023-rows.csv").read_bytes(),
    }


def query(path: str) -> dict:
    return dict(urllib.parse.parse_qsl(path.partition("?")[2]))
