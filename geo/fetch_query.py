"""Inputs that publishers offer as queries rather than as files, turned into the files the build reads.

- ``census``: Census 2011 usual residents (KS101EW, Nomis dataset ``NM_144_1``) and households (KS105EW,
  ``NM_605_1``) for the district's 2011 LSOAs, from the Nomis API's plain CSV queries; written as
  ``lsoa11_code, lad_code, all_usual_residents, households``.
- ``arcgis-csv``: a table (the LSOA -> ward lookup) from the ONS Open Geography Portal's ArcGIS REST query API,
  page by page, written as CSV with the query's ``outFields`` as columns.
- ``stats19``: DfT's road safety collision or casualty file for a year (the per-year file from 2019, the
  1979-to-latest file before that), kept in the fetch cache and cut to the district's collisions in that year:
  casualties are kept when their collision is.

Each function returns the bytes to write; :func:`geo.fetch.fetch` writes them atomically and records them.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from pathlib import Path

KINDS = ("census", "arcgis-csv", "stats19")
PAGE = 2000
"""Rows asked for per ArcGIS query page (the portal's usual maximum)."""
FIRST_PER_YEAR_FILE = 2019
"""DfT publishes a file per year from 2019; earlier years are in the 1979-to-latest file."""


class QueryError(Exception):
    """A response that is not what the publisher's API returns (wrong columns, an error object, missing pages)."""


def census(get, residents_url: str, households_url: str, district: str) -> bytes:
    """The population file from two Nomis queries (``get(url) -> bytes``), checked against each other."""
    residents, households = (_nomis_values(get(u), u) for u in (residents_url, households_url))
    if set(residents) != set(households):
        only = sorted(set(residents) ^ set(households))[:3]
        raise QueryError(f"the two Census queries cover different LSOAs (e.g. {', '.join(only)})")
    if not residents:
        raise QueryError(f"{residents_url}: no 2011 LSOAs for {district}")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["lsoa11_code", "lad_code", "all_usual_residents", "households"])
    for code in sorted(residents):
        w.writerow([code, district, residents[code], households[code]])
    return out.getvalue().encode()


def _nomis_values(body: bytes, url: str) -> dict[str, int]:
    """``GEOGRAPHY_CODE -> OBS_VALUE`` of a Nomis ``select=geography_code,obs_value`` CSV."""
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    if not rows or not {"GEOGRAPHY_CODE", "OBS_VALUE"} <= set(rows[0]):
        raise QueryError(f"{url}: not a Nomis CSV with GEOGRAPHY_CODE and OBS_VALUE")
    out = {}
    for i, r in enumerate(rows, start=2):
        code, value = r["GEOGRAPHY_CODE"].strip(), r["OBS_VALUE"].strip()
        if not code.startswith("E01") or not value.isdigit():
            raise QueryError(f"{url}: line {i}: {code!r}, {value!r} is not a 2011 LSOA and a count")
        out[code] = int(value)
    return out


def arcgis_csv(get, url: str) -> bytes:
    """Every row of an ArcGIS layer query (``f=json``), page by page, as CSV with the ``outFields`` columns."""
    fields = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("outFields", [""])[0].split(",")
    if not fields or fields == [""] or "*" in fields:
        raise QueryError(f"{url}: name the columns in outFields")
    rows, offset = [], 0
    while True:
        page = json.loads(get(_with(url, resultOffset=offset, resultRecordCount=PAGE)))
        if "error" in page or "features" not in page:
            raise QueryError(f"{url}: the service answered {json.dumps(page.get('error', page))[:200]}")
        rows += [f["attributes"] for f in page["features"]]
        if not page.get("exceededTransferLimit"):
            break
        if not page["features"]:
            raise QueryError(f"{url}: more rows were promised at offset {offset} but none came")
        offset += len(page["features"])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(fields)
    for r in rows:
        missing = [f for f in fields if f not in r]
        if missing:
            raise QueryError(f"{url}: a row has no {missing[0]}")
        w.writerow(["" if r[f] is None else r[f] for f in fields])
    return out.getvalue().encode()


def _with(url: str, **params) -> str:
    """``url`` with ``params`` set in its query string (kept in order)."""
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: str(v) for k, v in params.items()})
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, safe=",*'")))


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
