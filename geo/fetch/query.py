"""Inputs that publishers offer as queries rather than as files, turned into the files the build reads.

- ``census``: Census 2011 usual residents (KS101EW, Nomis dataset ``NM_144_1``) and households (KS105EW,
  ``NM_605_1``) of every 2011 LSOA, from the Nomis API's plain CSV queries (25,000 rows a call, then
  ``recordOffset``), kept to the district's LSOAs in its LSOA -> ward lookup; written as
  ``lsoa11_code, lad_code, all_usual_residents, households``.
- ``census21``: Census 2021 usual residents (TS001, Nomis dataset ``NM_2021_1``: all, in households, in
  communal establishments) of the district's 2021 LSOAs in its lookup and of the district itself, asked by code;
  written in the layout of ONS's TS001 table, which the build reads (:func:`census21`).
- ``arcgis-csv``: a table (the LSOA -> ward lookup) from the ONS Open Geography Portal's ArcGIS REST query API,
  page by page, written as CSV with the query's ``outFields`` as columns.
- ``wards``: a district's ward boundaries. Where the vintage's address (``data/ward-vintages.csv``) is a layer of
  the Open Geography Portal's ArcGIS query API, the district's ward codes are read from its LSOA -> ward lookup
  of the same vintage (fetched first) and the layer is asked for those wards as GeoJSON in WGS84, a few dozen
  codes per query and page by page (:func:`arcgis_geojson`). A vintage that no lookup names (December 2013: the
  lookup from 2011 LSOAs is to the 2015 wards) is cut by place instead: the wards that lie in the district's outline
  of the same December (:func:`arcgis_geojson_within`). Any other address is a file, downloaded as it is.
- ``stats19``: DfT's road safety collision or casualty file for a year (the per-year file from 2019, the
  1979-to-latest file before that), kept in the fetch cache and cut to the district's collisions in that year:
  casualties are kept when their collision is.

Each function returns the bytes to write; :func:`geo.fetch.fetch` writes them atomically and records them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
from pathlib import Path

from geo.read import tables

KINDS = ("census", "census21", "arcgis-csv", "stats19", "wards")
PAGE = 2000
"""Rows asked for per ArcGIS query page (the portal's usual maximum)."""
FIRST_PER_YEAR_FILE = 2019
"""DfT publishes a file per year from 2019; earlier years are in the 1979-to-latest file."""


class QueryError(Exception):
    """A response that is not what the publisher's API returns (wrong columns, an error object, missing pages)."""


NOMIS_PAGE = 25_000
"""Rows the Nomis API gives per call without a key; further rows are asked for with ``recordOffset``."""


def census(get, urls: tuple[str, str], district: str, lookup_csv: Path) -> bytes:
    """The population file from the two Nomis queries (residents, households; ``get(url) -> bytes``) over every
    2011 LSOA (``geography=TYPE298``), kept to the district's LSOAs in the LSOA -> ward lookup. The queries select
    ``GEOGRAPHY_CODE``, which holds the ONS code (E01…); which LSOAs are the district's, the ONS lookup says."""
    lsoas = district_lsoas(lookup_csv, district)
    residents, households = (_nomis_values(get, u) for u in urls)
    for url, values in zip(urls, (residents, households), strict=True):
        missing = sorted(lsoas - set(values))
        if missing:
            raise QueryError(f"{url}: no figure for {len(missing)} LSOA(s) of {district}, e.g. {missing[0]}")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["lsoa11_code", "lad_code", "all_usual_residents", "households"])
    for code in sorted(lsoas):
        w.writerow([code, district, residents[code], households[code]])
    return out.getvalue().encode()


def district_lsoas(lookup_csv: Path, district: str) -> set[str]:
    """The LSOAs (2011 or 2021, as the lookup's) of ``district`` in a fetched LSOA -> ward lookup, read by the
    build's own reader (:func:`geo.read.tables.lsoa_ward_lookup_from_csv`, which checks every code and names any
    bad line)."""
    lookup = tables.lsoa_ward_lookup_from_csv(lookup_csv)
    lsoas = set(lookup.loc[lookup["lad_code"] == district, "lsoa_code"])
    if not lsoas:
        raise QueryError(f"{lookup_csv.name} has no {lookup.attrs['lsoa_year']} LSOA of {district}")
    return lsoas


CENSUS21_CELLS = {"1": "Lives in a household", "2": "Lives in a communal establishment", "0": "Total"}
"""TS001's residence types as Nomis codes them (``c2021_restype_3``), with the column names of ONS's table."""
CODES_PER_CALL = 50
"""Area codes asked of Nomis in one call (a short URL; 150 rows an answer, far below a page)."""


def census21(get, url: str, district: str, lookup_csv: Path) -> bytes:
    """Census 2021 TS001 for the district's 2021 LSOAs (those of its lookup) and its own row, from the Nomis
    query ``url`` asked by code (``geography=`` the codes, :data:`CODES_PER_CALL` at a time), as a CSV with the
    columns of ONS's TS001 table; names come from the ONS lookup. Every LSOA and the district must have all three
    residence types, once."""
    lookup = tables.lsoa_ward_lookup_from_csv(lookup_csv)
    if lookup.attrs["lsoa_year"] != 2021:
        raise QueryError(f"{lookup_csv.name} is a lookup from {lookup.attrs['lsoa_year']} LSOAs, not 2021")
    mine = lookup[lookup["lad_code"] == district].sort_values("lsoa_code")
    if mine.empty:
        raise QueryError(f"{lookup_csv.name} has no 2021 LSOA of {district}")
    with open(lookup_csv, newline="", encoding="utf-8-sig") as f:
        names = {r["LSOA21CD"]: r.get("LSOA21NM", "") for r in csv.DictReader(f)}
    codes = [*mine["lsoa_code"], district]
    values: dict[str, dict[str, int]] = {}
    for i in range(0, len(codes), CODES_PER_CALL):
        values |= _restype_values(get, _with(url, geography=",".join(codes[i : i + CODES_PER_CALL])))
    missing = [c for c in codes if set(values.get(c, {})) != set(CENSUS21_CELLS)]
    if missing:
        raise QueryError(
            f"{url}: no complete TS001 figures for {len(missing)} area(s) of {district}, e.g. {missing[0]}"
        )
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["Geography code", "Geography label", "Geography area type", *CENSUS21_CELLS.values()])
    labels = [*(names.get(c) or c for c in mine["lsoa_code"]), mine["lad_name"].iloc[0]]
    for code, label in zip(codes, labels, strict=True):
        kind = "Local Authority" if code == district else "LSOA"
        w.writerow([code, label, kind, *(values[code][k] for k in CENSUS21_CELLS)])
    return out.getvalue().encode()


def _restype_values(get, url: str) -> dict[str, dict[str, int]]:
    """``code -> {residence type -> count}`` of one Nomis answer (``geography_code,c2021_restype_3,obs_value``)."""
    reader = csv.DictReader(io.StringIO(get(url).decode("utf-8-sig")))
    if not {"GEOGRAPHY_CODE", "C2021_RESTYPE_3", "OBS_VALUE"} <= set(reader.fieldnames or []):
        raise QueryError(f"{url}: not a Nomis CSV with GEOGRAPHY_CODE, C2021_RESTYPE_3 and OBS_VALUE")
    rows = list(reader)
    if not rows or len(rows) >= NOMIS_PAGE:
        raise QueryError(f"{url}: no rows, or a full page of {NOMIS_PAGE:,} rows (more than the codes asked for)")
    out: dict[str, dict[str, int]] = {}
    for i, r in enumerate(rows, start=2):
        code, cell, value = (r[k].strip() for k in ("GEOGRAPHY_CODE", "C2021_RESTYPE_3", "OBS_VALUE"))
        if not re.fullmatch(r"[EW]0[1-9]\d{6}", code) or cell not in CENSUS21_CELLS or not value.isdigit():
            raise QueryError(
                f"{url}: line {i}: {code!r}, {cell!r}, {value!r} is not an area, a residence type and a count"
            )
        if cell in out.setdefault(code, {}):
            raise QueryError(f"{url}: line {i}: {code} residence type {cell} again")
        out[code][cell] = int(value)
    return out


def _nomis_values(get, url: str) -> dict[str, int]:
    """``GEOGRAPHY_CODE -> OBS_VALUE`` of a Nomis ``select=geography_code,obs_value`` CSV, every page of it."""
    out: dict[str, int] = {}
    while True:
        page_url = _with(url, recordOffset=len(out)) if out else url
        reader = csv.DictReader(io.StringIO(get(page_url).decode("utf-8-sig")))
        if not {"GEOGRAPHY_CODE", "OBS_VALUE"} <= set(reader.fieldnames or []):
            raise QueryError(f"{page_url}: not a Nomis CSV with GEOGRAPHY_CODE and OBS_VALUE")
        rows = list(reader)
        if not rows and not out:
            raise QueryError(f"{page_url}: no rows")
        for i, r in enumerate(rows, start=2):
            code, value = r["GEOGRAPHY_CODE"].strip(), r["OBS_VALUE"].strip()
            if not re.fullmatch(r"[EW]01\d{6}", code) or not value.isdigit():
                raise QueryError(f"{page_url}: line {i}: {code!r}, {value!r} is not a 2011 LSOA and a count")
            if code in out:
                raise QueryError(f"{page_url}: line {i}: {code} again (the pages overlap)")
            out[code] = int(value)
        if len(rows) < NOMIS_PAGE:
            return out


def arcgis_csv(get, url: str) -> bytes:
    """Every row of an ArcGIS layer query (``f=json``), page by page, as CSV with the ``outFields`` columns."""
    fields = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("outFields", [""])[0].split(",")
    if not fields or fields == [""] or "*" in fields:
        raise QueryError(f"{url}: name the columns in outFields")
    rows = [f["attributes"] for features in _pages(get, url) for f in features]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(fields)
    for r in rows:
        missing = [f for f in fields if f not in r]
        if missing:
            raise QueryError(f"{url}: a row has no {missing[0]}")
        w.writerow(["" if r[f] is None else r[f] for f in fields])
    return out.getvalue().encode()


CODES_PER_QUERY = 50
"""Ward codes asked for in one ``WDyyCD IN (...)`` query (keeps the URL well under the services' length limit)."""


def is_arcgis_query(url: str) -> bool:
    """Whether ``url`` is an ArcGIS REST layer query (``…/FeatureServer/<n>/query?…``)."""
    return bool(re.search(r"/(FeatureServer|MapServer)/\d+/query$", urllib.parse.urlsplit(url).path))


def ward_codes(lookup_csv: Path, district: str, code_field: str) -> list[str]:
    """The district's ward codes in a fetched LSOA -> ward lookup (``code_field`` e.g. ``WD19CD``), sorted.

    The lookup is read by the build's own reader, so every code is checked (``E05`` and six digits) before it
    goes into a query; a lookup whose ward column is of another year is a QueryError.
    """
    lookup = tables.lsoa_ward_lookup_from_csv(lookup_csv)
    have = f"WD{lookup.attrs['vintage'][2:]}CD"
    if have != code_field:
        raise QueryError(
            f"{lookup_csv.name} has {have}, not {code_field}: it is of another ward vintage (fetch with --refresh)"
        )
    codes = sorted(set(lookup.loc[lookup["lad_code"] == district, "ward_code"]))
    if not codes:
        raise QueryError(f"{lookup_csv.name} has no ward of {district}")
    return codes


def arcgis_geojson(get, url: str, codes: list[str]) -> bytes:
    """The features of an ArcGIS layer whose first ``outFields`` column is one of ``codes``, as one GeoJSON
    FeatureCollection sorted by code. Every code must come back exactly once, with a shape (the build's reader
    then checks each shape)."""
    key = _code_field(url)
    found: dict[str, dict] = {}
    for i in range(0, len(codes), CODES_PER_QUERY):
        chunk = codes[i : i + CODES_PER_QUERY]
        where = f"{key} IN ({','.join(repr(c) for c in chunk)})"
        for features in _pages(get, url, where=where):
            for feat in features:
                code = (feat.get("properties") or {}).get(key)
                if code in found:
                    raise QueryError(f"{url}: ward {code} came back twice")
                if code not in chunk or not feat.get("geometry"):
                    raise QueryError(f"{url}: a feature for {code!r} that was not asked for, or without a shape")
                found[code] = feat
    missing = [c for c in codes if c not in found]
    if missing:
        raise QueryError(f"{url}: no boundary for ward(s) {', '.join(missing[:5])} of the lookup")
    return _collection(found)


NESTS = (0.1, 0.9)
"""A ward cut by place lies at most 10 % or at least 90 % inside its district's outline (wards nest in districts;
the bundle's coarse December 2013 outlines put each Kent ward at least 97.5 % inside its own district and at most
0.9 % inside another); a ward in between means the two layers do not nest, and nothing is written."""


def arcgis_geojson_within(get, url: str, outline_url: str, district: str) -> bytes:
    """The features of an ArcGIS ward layer that lie in ``district``'s outline, as one GeoJSON FeatureCollection
    sorted by code (as :func:`arcgis_geojson` writes it), for a vintage whose wards no lookup names.

    ``outline_url`` asks the district layer of the same December for the district (one feature, WGS84); the ward
    layer ``url`` is asked, page by page, for the wards that meet the outline's bounding box; a ward is the
    district's when at least :data:`NESTS`'s upper share of its area lies inside the outline. The areas are
    compared in longitude and latitude, which over one ward changes each by the same factor.
    """
    import shapely
    from shapely.geometry import shape

    outlines = [f for features in _pages(get, outline_url) for f in features]
    if len(outlines) != 1 or not outlines[0].get("geometry"):
        raise QueryError(f"{outline_url}: {len(outlines)} outline(s) of {district}, not one with a shape")
    outline = shapely.make_valid(shape(outlines[0]["geometry"]))
    key, found = _code_field(url), {}
    near = {"geometry": ",".join(repr(v) for v in outline.bounds), "geometryType": "esriGeometryEnvelope"}
    for features in _pages(get, url, **near, inSR=4326, spatialRel="esriSpatialRelIntersects"):
        for feat in features:
            code = (feat.get("properties") or {}).get(key)
            if not code or code in found or not feat.get("geometry"):
                raise QueryError(f"{url}: a ward {code!r} without a code or a shape, or that came back twice")
            ward = shapely.make_valid(shape(feat["geometry"]))
            share = ward.intersection(outline).area / ward.area if ward.area else 0.0
            if NESTS[0] < share < NESTS[1]:
                raise QueryError(
                    f"{url}: ward {code} lies {share:.0%} inside the outline of {district} from {outline_url}: "
                    "the two layers do not nest (are they of the same December?)"
                )
            if share >= NESTS[1]:
                found[code] = feat
    if not found:
        raise QueryError(f"{url}: no ward lies inside the outline of {district}")
    return _collection(found)


def _code_field(url: str) -> str:
    """The code column of a ward layer query: the first of its ``outFields``."""
    fields = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("outFields", [""])[0].split(",")
    if not fields[0] or "*" in fields:
        raise QueryError(f"{url}: name the code column first in outFields")
    return fields[0]


def _collection(found: dict[str, dict]) -> bytes:
    """Code -> feature as one compact GeoJSON FeatureCollection sorted by code, each feature's properties and
    shape as served."""
    features = [
        {"type": "Feature", "properties": found[c]["properties"], "geometry": found[c]["geometry"]}
        for c in sorted(found)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


def _pages(get, url: str, **params):
    """The features of each page of an ArcGIS layer query, asking from the next offset while the service says
    more remain (``exceededTransferLimit``: at the top of a JSON answer, under ``properties`` in GeoJSON)."""
    offset = 0
    while True:
        page = json.loads(get(_with(url, **params, resultOffset=offset, resultRecordCount=PAGE)))
        if "error" in page or not isinstance(page.get("features"), list):
            raise QueryError(f"{url}: the service answered {json.dumps(page.get('error', page))[:200]}")
        yield page["features"]
        if not (page.get("exceededTransferLimit") or (page.get("properties") or {}).get("exceededTransferLimit")):
            return
        if not page["features"]:
            raise QueryError(f"{url}: more rows were promised at offset {offset} but none came")
        offset += len(page["features"])


def _with(url: str, **params) -> str:
    """``url`` with ``params`` set in its query string (kept in order)."""
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: str(v) for k, v in params.items()})
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, safe=",*'")))


with_params = _with


def stats19_url(template: str, year: int) -> str:
    """The DfT file that holds ``year``: the per-year file from 2019, else the 1979-to-latest one.

    >>> stats19_url("https://x/dft-road-casualty-statistics-collision-{year}.csv", 2013)
    'https://x/dft-road-casualty-statistics-collision-1979-latest-published-year.csv'
    """
    return template.format(year=year if year >= FIRST_PER_YEAR_FILE else "1979-latest-published-year")


def stats19_cut(raw: Path, district: str, year: int, keep: set[str] | None = None) -> tuple[bytes, set[str]]:
    """The rows of DfT file ``raw`` for the district's collisions in ``year``.

    A collision file is cut by its district (``local_authority_ons_district``) and year; a casualty file (when
    ``keep`` gives the collision indices already kept) by its collision index. Returns the CSV and the indices.
    """
    with open(raw, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        index = next((c for c in ("collision_index", "accident_index") if c in header), None)
        year_col = next((c for c in ("collision_year", "accident_year") if c in header), None)
        if index is None or year_col is None or (keep is None and "local_authority_ons_district" not in header):
            raise QueryError(f"{raw.name}: not a DfT road safety file (no index, year or district column)")
        out = io.StringIO()
        w = csv.DictWriter(out, header, lineterminator="\n")
        w.writeheader()
        kept = set()
        for r in reader:
            if r[year_col] != str(year):
                continue
            if keep is None and r["local_authority_ons_district"] != district:
                continue
            if keep is not None and r[index] not in keep:
                continue
            w.writerow(r)
            kept.add(r[index])
    return out.getvalue().encode(), kept
