"""The fetch command against a loopback HTTP server standing in for the publishers: ``--mirror`` keeps each
official URL's path and swaps its host, so the files sit at the same paths as on data.police.uk, the ONS portal,
Nomis, GitHub and gov.uk.

Two kinds of answer are served. The current year (Maidstone, late 2025, on 2021 LSOAs; the last part of this
module) is fetched from cuts of REAL published files (``tests/data/fetch``, ``tests/real_answers.py``) and read
back by the build's own loader. The edge cases (renamed services, broken, truncated or partial answers, paging,
unpublished months) are served from the FIXTURE district of ``tests/fixtures.py``, which is not real data: no
real copy of those answers (a Census 2011 Nomis page, a portal service list, a STATS19 casualty file) exists here.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import http.server
import io
import json
import re
import threading
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from geo.config import PROJECT_ROOT, Period
from geo.fetch import core as fetch
from geo.render.markup import md_text
from tests.fixtures import DISTRICT, IMD2015, lonlat, make_data_dir

SOURCES = PROJECT_ROOT / "data" / "sources.csv"
FILE7 = (
    "/government/uploads/system/uploads/attachment_data/file/467774/File_7_ID_2015_All_ranks__deciles_and_scores"
    "_for_the_Indices_of_Deprivation__and_population_denominators.csv"
)
WARDS = f"/martinjc/UK-GeoJSON/master/json/electoral/eng/wards_by_lad/{DISTRICT}.json"
ARCHIVE = "/data/archive/2017-04.zip"  # the archive that holds every month to April 2017
NOMIS = "/api/v01/dataset/{}.data.csv"
PORTAL = "/ESMARspQHYMw9BZ9/arcgis/rest/services"
LOOKUP = f"{PORTAL}/LSOA11_WD15_LAD15_EW_LU_12219be330804a1eaec6fd0d88c590cb/FeatureServer/0/query"
SERVICES = PORTAL  # the portal's service list (?f=json)
OUTLINE13 = f"{PORTAL}/LAD_DEC_2013_GB_BFC/FeatureServer/0/query"  # the district outline the 2013 wards are cut by
DFT = "/road-accidents-safety-data/dft-road-casualty-statistics-{}-1979-latest-published-year.csv"


class Publisher(http.server.ThreadingHTTPServer):
    """Serves ``files`` (URL path -> bytes); paths in ``fail`` answer 500, paths in ``truncate`` stop half-way."""

    def __init__(self, files: dict[str, bytes]):
        self.files, self.fail, self.truncate, self.requests = files, set(), set(), []
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the stdlib's name)
        srv = self.server
        srv.requests.append(self.path)
        path, _, query = self.path.partition("?")
        body = srv.files.get(self.path, srv.files.get(path))
        if callable(body):  # a query API: the answer depends on the query string
            body = body(dict(urllib.parse.parse_qsl(query)))
        if body is None or self.path in srv.fail:
            self.send_error(404 if body is None else 500)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if self.path in srv.truncate else body)

    def do_HEAD(self):  # noqa: N802 (the stdlib's name): the headers of what GET would send
        srv = self.server
        srv.requests.append("HEAD " + self.path)
        if srv.files.get(self.path.partition("?")[0]) is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def publisher_files(tmp_path: Path) -> dict[str, bytes]:
    """The fixture district's files as their publishers would serve them."""
    src = make_data_dir(tmp_path / "made")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # police.uk's archive: one folder named after the archive month
        for m in ("2012-04", "2012-05"):
            z.write(src / "police" / f"{m}-fixture-street.csv", f"{m}/{m}-kent-street.csv")
            # a neighbouring force's file: its one record lies in another district's LSOA
            rows = _rows(src / "police" / f"{m}-fixture-street.csv")[:1]
            out = io.StringIO()
            w = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows({**r, "LSOA code": "E01000009"} for r in rows)
            z.writestr(f"{m}/{m}-surrey-street.csv", out.getvalue())
    file7 = io.StringIO()
    w = csv.writer(file7, lineterminator="\n")
    w.writerow(
        ["LSOA code (2011)", "LSOA name (2011)", "Local Authority District code (2013)"]
        + list(fetch_columns())
        + ["Income Score (rate)"]
    )
    for code, score, rank, decile in IMD2015:
        w.writerow([code, "F", DISTRICT, score, rank, decile, 0.1])
    return {
        ARCHIVE: buf.getvalue(),
        WARDS: (src / "boundaries" / "wards-2013-kent" / f"{DISTRICT}.geojson").read_bytes(),
        FILE7: file7.getvalue().encode(),
        **census_and_lookup(src),
        **stats19_files(),
    }


def _rows(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def census_and_lookup(src: Path) -> dict:
    """Nomis answers (residents, households) and the ArcGIS lookup query (two pages), made from the fixture."""
    pop = _rows(src / "population" / "census-2011-lsoa11-kent.csv")

    def nomis(column):
        def answer(q):  # every LSOA (here the fixture's, of two districts), NOMIS_PAGE rows a call
            from geo.fetch.query import NOMIS_PAGE

            assert q["geography"] == "TYPE298" and q["select"] == "geography_code,obs_value"
            start = int(q.get("recordOffset", 0))
            page = pop[start : start + NOMIS_PAGE]
            return ("GEOGRAPHY_CODE,OBS_VALUE\n" + "".join(f"{r['lsoa11_code']},{r[column]}\n" for r in page)).encode()

        return answer

    lookup = _rows(src / "lookups" / "lsoa11-to-ward-kent.csv")
    rows = [
        {"LSOA11CD": r["LSOA11CD"], "LSOA11NM": r["LSOA11NM"], "WD15CD": r["WD13CD"], "WD15NM": r["WD13NM"],
         "LAD15CD": r["LAD13CD"], "LAD15NM": r["LAD13NM"]}
        for r in lookup
    ]  # fmt: skip

    def arcgis(q):
        assert q["where"] == f"LAD15CD='{DISTRICT}'" and q["f"] == "json"
        mine = [r for r in rows if r["LAD15CD"] == DISTRICT]
        start = int(q["resultOffset"])
        page = mine[start : start + 2]  # the fixture's service pages every two rows
        return json.dumps(
            {"features": [{"attributes": r} for r in page], "exceededTransferLimit": start + 2 < len(mine)}
        ).encode()

    return {NOMIS.format("NM_144_1"): nomis("all_usual_residents"), NOMIS.format("NM_605_1"): nomis("households"),
            LOOKUP: arcgis}  # fmt: skip


def stats19_files() -> dict:
    """DfT's 1979-to-latest collision and casualty files, with rows of other districts and years to cut away."""
    from tests.test_stats19 import ACCIDENTS, CASUALTIES

    coll = io.StringIO()
    w = csv.writer(coll, lineterminator="\n")
    w.writerow(["collision_index", "collision_year", "location_easting_osgr", "location_northing_osgr", "date",
                "day_of_week", "time", "local_authority_ons_district"])  # fmt: skip
    for a, e, n, d, wd, t in ACCIDENTS:
        w.writerow([a, 2012, e, n, d, wd, t, DISTRICT])
    w.writerow(["201346A00009", 2013, 1, 1, "01/01/2013", 3, "10:00", DISTRICT])  # another year
    w.writerow(["201246B00009", 2012, 1, 1, "01/01/2012", 1, "10:00", "E07000111"])  # another district
    cas = io.StringIO()
    w = csv.writer(cas, lineterminator="\n")
    w.writerow(["collision_index", "collision_year", "casualty_class", "casualty_severity", "age_of_casualty"])
    for a, c, age, sev in [*CASUALTIES, ("201346A00009", 3, 20, 3), ("201246B00009", 3, 20, 3)]:
        w.writerow([a, a[:4], c, sev, age])
    return {DFT.format("collision"): coll.getvalue().encode(), DFT.format("casualty"): cas.getvalue().encode()}


def fetch_columns():
    from geo.read.tables import IOD_FILE7

    return [k for k in IOD_FILE7 if not k.startswith("LSOA code")]


@pytest.fixture
def server(tmp_path):
    srv = Publisher(publisher_files(tmp_path))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def data(tmp_path) -> Path:
    """An empty data directory: every input comes from the (fixture) publishers."""
    return tmp_path / "data"


TWO_MONTHS = Period("2012-04", "2012-05")


def targets(period=TWO_MONTHS):
    return fetch.plan(fetch.sources_from_csv(SOURCES), district=DISTRICT, period=period)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*.part"))


def test_plan_expands_months_and_district():
    t = {x.path: x for x in targets()}
    assert "police/2012-04-kent-street.csv" in t and "police/2012-05-kent-street.csv" in t
    assert t["police/2012-04-kent-street.csv"].url == "https://data.police.uk/data/archive/2017-04.zip"
    assert t["police/2012-04-kent-street.csv"].member == "2012-04/2012-04-kent-street.csv"
    assert t[f"boundaries/wards-2013/{DISTRICT}.geojson"].url.endswith(f"/{DISTRICT}.json")
    pop = t[f"population/census-2011-lsoa11-{DISTRICT}.csv"]
    for url, dataset in ((pop.url, "NM_144_1"), (pop.member, "NM_605_1")):  # Nomis' plain CSV queries
        u = urllib.parse.urlsplit(url)
        q = dict(urllib.parse.parse_qsl(u.query))
        assert u.netloc == "www.nomisweb.co.uk" and u.path == f"/api/v01/dataset/{dataset}.data.csv"
        assert q == {"date": "latest", "geography": "TYPE298", "rural_urban": "0", "cell": "0",
                     "measures": "20100", "select": "geography_code,obs_value"}  # fmt: skip
    assert pop.needs == f"lookups/lsoa11-to-ward-{DISTRICT}.csv"  # cut to the district's LSOAs in its lookup
    u = urllib.parse.urlsplit(t[f"lookups/lsoa11-to-ward-{DISTRICT}.csv"].url)  # the ArcGIS REST query API
    q = dict(urllib.parse.parse_qsl(u.query))
    assert u.netloc.endswith("arcgis.com") and u.path.endswith("/FeatureServer/0/query")
    assert q["where"] == f"LAD15CD='{DISTRICT}'" and q["f"] == "json" and q["returnGeometry"] == "false"
    assert q["outFields"].split(",")[:3] == ["LSOA11CD", "LSOA11NM", "WD15CD"]
    later = {x.path: x for x in targets(Period("2019-11", "2020-02"))}
    assert t[f"stats19/collision-{DISTRICT}-2012.csv"].url.endswith("collision-1979-latest-published-year.csv")
    assert later[f"stats19/casualty-{DISTRICT}-2020.csv"].url.endswith(
        "/dft-road-casualty-statistics-casualty-2020.csv"
    )
    assert later[f"stats19/casualty-{DISTRICT}-2019.csv"].needs == f"stats19/collision-{DISTRICT}-2019.csv"


def test_fetch_downloads_records_checksums_and_then_builds(server, data, tmp_path, capsys):
    from geo.cli import main

    code = main(["fetch", "--data-dir", str(data), "--district", DISTRICT, "--start", "2012-04", "--end", "2012-05",
                 "--mirror", server.url])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    assert "fetched 8, already present 0, failed 0" in err and "100%" in err  # tqdm's bar reached the end
    assert "police force: kent (" in err  # found in the archive: no --police-force needed
    wards = data / "boundaries" / "wards-2013" / f"{DISTRICT}.geojson"
    assert wards.read_bytes() == server.files[WARDS]
    assert (data / "police" / "2012-04-kent-street.csv").is_file()
    rows = {r["path"]: r for r in csv.DictReader(io.StringIO((data / fetch.MANIFEST).read_text()))}
    assert sorted(rows) == sorted(
        [
            "deprivation/imd-2015-lsoa11-england.csv",
            f"boundaries/wards-2013/{DISTRICT}.geojson",
            "police/2012-04-kent-street.csv",
            "police/2012-05-kent-street.csv",
            f"population/census-2011-lsoa11-{DISTRICT}.csv",
            f"lookups/lsoa11-to-ward-{DISTRICT}.csv",
            f"stats19/collision-{DISTRICT}-2012.csv",
            f"stats19/casualty-{DISTRICT}-2012.csv",
        ]
    )
    assert sum("LSOA11_WD15" in r for r in server.requests) == 2  # two pages of the lookup
    collisions = _rows(data / f"stats19/collision-{DISTRICT}-2012.csv")
    assert len(collisions) == 4 and {r["local_authority_ons_district"] for r in collisions} == {DISTRICT}
    for rel, r in rows.items():
        assert r["sha256"] == sha(data / rel) and int(r["bytes"]) == (data / rel).stat().st_size
    assert rows[f"boundaries/wards-2013/{DISTRICT}.geojson"]["url"] == server.url + WARDS
    assert leftovers(data) == []
    # the fetched files build: IoD 2015 read from the publisher's own column names
    out = tmp_path / "b"
    assert main(["build", "--data-dir", str(data), "--district", DISTRICT, "--start", "2012-04", "--end", "2012-05",
                 "--out-dir", str(out), "--data-only"]) == 0  # fmt: skip
    summary = json.loads((out / "summary.json").read_text())
    assert summary["deprivation_edition"] == "IMD 2015" and summary["reconciliation"]["in_ward"] == 9
    methods = (out / "pages" / "data-and-methods.md").read_text()  # provenance of each input on the site
    assert "Fetched from" in methods and md_text(server.url + WARDS) in methods
    assert md_text("(this project's data/ folder)") in methods
    road = (out / "pages" / "road-safety.md").read_text()  # STATS19 fetched: the pedestrian map, no other step
    assert "From STATS19: pedestrian casualties read 4 = in wards 2" in road


def test_files_changed_after_fetching_are_flagged(tmp_path):
    import pandas as pd

    from geo.read.manifest import fetched_from, file_checksums

    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("x\n")
    b.write_text("y\n")
    fetch._write_manifest(tmp_path, {"a.csv": {"path": "a.csv", "url": "http://h/a", "bytes": "2", "sha256": sha(a)}})
    checks = file_checksums([a, b], tmp_path)
    assert fetched_from(checks, tmp_path).tolist() == ["http://h/a", "(added by hand)"]
    a.write_text("changed\n")
    checks = file_checksums([a, b], tmp_path)
    assert fetched_from(checks, tmp_path).tolist() == ["http://h/a (changed since it was fetched)", "(added by hand)"]
    assert isinstance(checks, pd.DataFrame)


def test_the_force_is_not_looked_for_when_every_month_is_there(server, data, capsys):
    from geo.cli import main

    args = ["fetch", "--data-dir", str(data), "--district", DISTRICT, "--start", "2012-04", "--end", "2012-05",
            "--mirror", server.url, "--quiet"]  # fmt: skip
    assert main(args) == 0 and "police force: kent" in capsys.readouterr().err
    (data / fetch.CACHE / "2017-04.zip").unlink()
    server.requests.clear()
    assert main(args) == 0 and "police force" not in capsys.readouterr().err
    assert server.requests == []  # the large archive is not fetched again just to name the force


def test_second_fetch_uses_the_files_by_name(server, data):
    fetch.fetch(targets(), data, mirror=server.url, progress=False)
    server.requests.clear()
    report = fetch.fetch(targets(), data, mirror=server.url, progress=False)
    assert server.requests == [] and report.fetched == [] and len(report.cached) == 8
    # --refresh downloads again; the archive once per month, the DfT files once each (cut per year)
    report = fetch.fetch(targets(), data, mirror=server.url, progress=False, refresh=True)
    paths = sorted(r.partition("?")[0] for r in server.requests)
    expected = [ARCHIVE, ARCHIVE, WARDS, FILE7, NOMIS.format("NM_144_1"), NOMIS.format("NM_605_1"), LOOKUP, LOOKUP]
    expected.append(SERVICES)  # the portal's service list, asked once per fetch before its first query
    expected.append(OUTLINE13)  # December 2013 from the portal first; this publisher has no such layer: the copy
    assert paths == sorted([*expected, DFT.format("collision"), DFT.format("casualty")])
    assert len(report.fetched) == 8


def test_failed_download_is_not_cached(server, data):
    server.fail.add(FILE7)
    report = fetch.fetch(targets(), data, mirror=server.url, progress=False)
    imd = data / "deprivation" / "imd-2015-lsoa11-england.csv"
    assert [p for p, _ in report.failed] == ["deprivation/imd-2015-lsoa11-england.csv"]
    assert "HTTP 500" in report.failed[0][1]
    assert report.failed[0][1].startswith(f"GOV.UK (Indices of Deprivation): {server.url}{FILE7}: HTTP 500")
    assert "what to do: run the same command again" in report.text()  # the publisher, the address, what to do
    assert not imd.exists() and leftovers(data) == []
    assert "imd-2015" not in (data / fetch.MANIFEST).read_text()
    assert len(report.fetched) == 7  # the other files still came
    server.fail.clear()
    server.requests.clear()
    report = fetch.fetch(targets(), data, mirror=server.url, progress=False)
    assert server.requests == [FILE7] and report.fetched == ["deprivation/imd-2015-lsoa11-england.csv"]
    assert sha(imd) == hashlib.sha256(server.files[FILE7]).hexdigest()


def test_truncated_download_leaves_nothing(server, data):
    server.truncate.add(WARDS)
    report = fetch.fetch(targets(), data, mirror=server.url, progress=False)
    assert [p for p, _ in report.failed] == [f"boundaries/wards-2013/{DISTRICT}.geojson"]
    assert not (data / "boundaries").exists() or not list((data / "boundaries").rglob("*.geojson"))
    assert leftovers(data) == []


def test_pinned_checksum_must_match(server, data):
    pinned = [dataclasses.replace(t, sha256="0" * 64) if t.source == "wards" else t for t in targets()]
    report = fetch.fetch(pinned, data, mirror=server.url, progress=False)
    assert report.failed and "pinned" in report.failed[0][1]
    assert not (data / "boundaries" / "wards-2013" / f"{DISTRICT}.geojson").exists() and leftovers(data) == []


def test_missing_or_broken_archive(server, data):
    period = Period("2019-05", "2019-06")  # after April 2017: the archive of the period's last month, 2019-06.zip
    police = ["police/2019-05-kent-street.csv", "police/2019-06-kent-street.csv"]
    only = [t for t in targets(period) if t.path in police]
    report = fetch.fetch(only, data, mirror=server.url, progress=False)
    assert [p for p, why in report.failed if "HTTP 404" in why] == police
    server.files["/data/archive/2019-06.zip"] = b"not a zip"
    report = fetch.fetch(only, data, mirror=server.url, progress=False)
    assert [p for p, why in report.failed if "not a complete zip" in why] == police
    assert not (data / fetch.CACHE / "2019-06.zip").exists()  # a broken archive is not kept
    assert not (data / "police").exists() or not list((data / "police").iterdir())


def test_absent_month_member_is_reported(server, data):
    """2012-06 is in no member of the fixture's 2017-04 archive (it holds April and May 2012 only)."""
    report = fetch.fetch(targets(Period("2012-05", "2012-06")), data, mirror=server.url, progress=False)
    assert (
        "police/2012-06-kent-street.csv",
        "data.police.uk (Home Office): 2017-04.zip has no member 2012-06/2012-06-kent-street.csv",
    ) in (report.failed)
    assert (data / "police" / "2012-05-kent-street.csv").is_file() and leftovers(data) == []


def test_months_come_from_the_archive_that_holds_them_and_unpublished_months_say_so():
    t = {x.path: x for x in targets(Period("2010-11", "2012-04")) if x.kind == "police-archive"}
    assert {x.url.rsplit("/", 1)[-1] for p, x in t.items() if p != "police/2010-11-kent-street.csv"} == {"2017-04.zip"}
    assert t["police/2010-11-kent-street.csv"].manual  # before police.uk's first month: listed, not fetched
    assert t["police/2010-11-kent-street.csv"].url.startswith("nowhere")
    later = {x.path: x for x in targets(Period("2018-01", "2021-12")) if x.kind == "police-archive"}
    assert later["police/2018-01-kent-street.csv"].url.endswith("/2020-12.zip")  # the newest holding it
    assert later["police/2021-12-kent-street.csv"].url.endswith("/2021-12.zip")
    assert later["police/2021-12-kent-street.csv"].member == "2021-12/2021-12-kent-street.csv"


def test_manual_sources_are_listed_and_fail_the_command(server, tmp_path, capsys):
    from geo.cli import main

    sources = tmp_path / "sources.csv"
    sources.write_text(
        SOURCES.read_text()
        + "extra,manual,,extra/{district}.csv,extra/*.csv,https://example.org/by-hand,,,,a file no API offers\n"
    )
    code = main(["fetch", "--data-dir", str(tmp_path / "empty"), "--district", DISTRICT, "--start", "2012-04",
                 "--end", "2012-05", "--mirror", server.url, "--quiet", "--sources", str(sources)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and f"not fetched (get it by hand): extra/{DISTRICT}.csv from https://example.org/by-hand" in err


def test_a_broken_query_answer_is_named_and_leaves_nothing(server, data, capsys):
    from geo.cli import main

    server.files[NOMIS.format("NM_605_1")] = b"<html>maintenance</html>"
    code = main(["fetch", "--data-dir", str(data), "--district", DISTRICT, "--start", "2012-04", "--end", "2012-05",
                 "--mirror", server.url, "--quiet"])  # fmt: skip
    err = capsys.readouterr().err
    assert code != 0 and "not a Nomis CSV with GEOGRAPHY_CODE and OBS_VALUE" in err
    assert not (data / "population").exists() and leftovers(data) == []


def test_unknown_source_kind_names_the_row(tmp_path):
    from geo.errors import InputError

    bad = tmp_path / "sources.csv"
    bad.write_text(SOURCES.read_text().replace("police,police-archive", "police,ftp", 1))
    with pytest.raises(InputError) as exc:
        fetch.sources_from_csv(bad)
    assert exc.value.row == 2 and exc.value.column == "kind"


WARDS19 = "/ESMARspQHYMw9BZ9/arcgis/rest/services/Wards_December_2019_Boundaries_UK_BGC_2022/FeatureServer/0/query"
LOOKUP19 = f"{PORTAL}/LSOA11_WD19_LAD19_EW_LU_cbf3896924a74e58ac96b7ec66a34071/FeatureServer/0/query"
FILE7_2019 = (
    "/government/uploads/system/uploads/attachment_data/file/845345/File_7_-_All_IoD2019_Scores__Ranks__Deciles_and"
    "_Population_Denominators_3.csv"
)
LATER = Period("2019-10", "2019-11")


def later_files(files: dict, src: Path) -> dict:
    """The publishers' answers for LATER: the fixture moved to October-November 2019 (FIXTURE data, relabelled),
    December 2019 wards from the boundaries layer and the 2019 lookup, IoD 2019 and DfT's 2019 files."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for old, new in (("2012-04", "2019-10"), ("2012-05", "2019-11")):
            text = (src / "police" / f"{old}-fixture-street.csv").read_text().replace(old, new)
            z.writestr(f"{new}/{new}-kent-street.csv", text)  # one folder per month of data
    wards = json.loads((src / "boundaries" / "wards-2013-kent" / f"{DISTRICT}.geojson").read_text())

    def wgs84(geometry):  # the layer answers in WGS84 (outSR=4326)
        return {"type": "Polygon", "coordinates": [[list(lonlat(x, y)) for x, y in geometry["coordinates"][0]]]}

    layer = [
        {"type": "Feature", "properties": {"WD19CD": f["properties"]["WD13CD"], "WD19NM": f["properties"]["WD13NM"]},
         "geometry": wgs84(f["geometry"])}
        for f in wards["features"]
    ]  # fmt: skip

    def boundaries(q):
        assert q["outSR"] == "4326" and q["f"] == "geojson" and q["outFields"] == "WD19CD,WD19NM"
        asked = re.fullmatch(r"WD19CD IN \((.*)\)", q["where"]).group(1).replace("'", "").split(",")
        match = [f for f in layer if f["properties"]["WD19CD"] in asked]
        start = int(q["resultOffset"])  # the fixture's layer pages every two features, as GeoJSON does
        more = start + 2 < len(match)
        return json.dumps({"type": "FeatureCollection", "features": match[start : start + 2],
                           "properties": {"exceededTransferLimit": True} if more else {}}).encode()  # fmt: skip

    lookup = files[LOOKUP]

    def lookup19(q):
        assert q["where"] == f"LAD19CD='{DISTRICT}'"
        page = json.loads(lookup({**q, "where": f"LAD15CD='{DISTRICT}'"}))
        for f in page["features"]:
            f["attributes"] = {k.replace("15", "19"): v for k, v in f["attributes"].items()}
        return json.dumps(page).encode()

    dft = {}
    for kind, body in stats19_files().items():
        text = body.decode().replace(",2012,", ",2019,").replace("/04/2012", "/10/2019").replace("/05/2012", "/11/2019")
        dft[kind.replace("1979-latest-published-year", "2019")] = text.encode()
    return {"/data/archive/2019-11.zip": buf.getvalue(), WARDS19: boundaries, LOOKUP19: lookup19,
            FILE7_2019: files[FILE7], **dft}  # fmt: skip


def test_a_later_period_gets_its_ward_vintage_from_the_layer_query_and_iod_2019(server, data, tmp_path, capsys):
    from geo.cli import main

    server.files.update(later_files(server.files, tmp_path / "made"))
    code = main(["fetch", "--data-dir", str(data), "--district", DISTRICT, "--start", LATER.start, "--end", LATER.end,
                 "--mirror", server.url, "--quiet"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0 and "the December 2019 vintage" in err, err
    got = json.loads((data / "boundaries" / "wards-2019" / f"{DISTRICT}.geojson").read_text())
    assert [f["properties"]["WD19CD"] for f in got["features"]] == ["E05000001", "E05000002", "E05000003"]
    asked = [r for r in server.requests if r.startswith(WARDS19)]
    assert len(asked) == 2  # three wards, two pages
    assert (data / "deprivation" / "imd-2019-lsoa11-england.csv").is_file()
    assert not (data / "deprivation" / "imd-2015-lsoa11-england.csv").exists()  # not the edition of 2019
    assert (data / "stats19" / f"collision-{DISTRICT}-2019.csv").is_file()
    out = tmp_path / "b"
    assert main(["build", "--data-dir", str(data), "--district", DISTRICT, "--start", LATER.start, "--end", LATER.end,
                 "--out-dir", str(out), "--data-only"]) == 0  # fmt: skip
    summary = json.loads((out / "summary.json").read_text())
    assert summary["deprivation_edition"] == "IMD 2019" and summary["reconciliation"]["in_ward"] == 9
    methods = (out / "pages" / "data-and-methods.md").read_text()
    assert md_text("Electoral wards (December 2019)") in methods and "English Indices of Deprivation 2019" in methods
    assert "the 2019 ward that contains each one" in " ".join(methods.split())
    assert "December 2019, WGS84" in (out / "pages" / "downloads.md").read_text()


def test_arcgis_geojson_asks_in_chunks_and_refuses_gaps(monkeypatch):
    from geo.fetch import query as fetch_query

    url = "https://h/arcgis/rest/services/W/FeatureServer/0/query?outFields=WD19CD,WD19NM&outSR=4326&f=geojson"
    layer = {c: {"type": "Feature", "properties": {"WD19CD": c}, "geometry": {"type": "Point", "coordinates": [0, 0]}}
             for c in ("E05000001", "E05000002", "E05000003")}  # fmt: skip
    asked = []

    def get(u):
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(u).query))
        codes = re.fullmatch(r"WD19CD IN \((.*)\)", q["where"]).group(1).replace("'", "").split(",")
        asked.append(codes)
        return json.dumps({"type": "FeatureCollection", "features": [layer[c] for c in codes if c in layer]}).encode()

    monkeypatch.setattr(fetch_query, "CODES_PER_QUERY", 2)
    body = json.loads(fetch_query.arcgis_geojson(get, url, sorted(layer)))
    assert asked == [["E05000001", "E05000002"], ["E05000003"]] and len(body["features"]) == 3
    with pytest.raises(fetch_query.QueryError, match="no boundary for ward.*E05000004"):
        fetch_query.arcgis_geojson(get, url, [*sorted(layer), "E05000004"])
    with pytest.raises(fetch_query.QueryError, match="answered"):
        fetch_query.arcgis_geojson(lambda u: b'{"error": {"code": 400}}', url, ["E05000001"])
    twice = json.dumps({"type": "FeatureCollection", "features": [layer["E05000001"]] * 2}).encode()
    with pytest.raises(fetch_query.QueryError, match="twice"):
        fetch_query.arcgis_geojson(lambda u: twice, url, ["E05000001"])


def test_ward_codes_come_from_a_lookup_of_the_same_vintage(tmp_path):
    from geo.errors import InputError
    from geo.fetch import query as fetch_query

    lookup = tmp_path / "lookup.csv"
    lookup.write_text("LSOA11CD,WD15CD,WD15NM,LAD15CD,LAD15NM\nE01000001,E05000001,A,E07000999,F\n")
    with pytest.raises(fetch_query.QueryError, match="has WD15CD, not WD19CD"):
        fetch_query.ward_codes(lookup, DISTRICT, "WD19CD")
    assert fetch_query.ward_codes(lookup, DISTRICT, "WD15CD") == ["E05000001"]
    lookup.write_text("LSOA11CD,WD15CD,WD15NM,LAD15CD,LAD15NM\nE01000001,E05') OR (1=1,A,E07000999,F\n")
    # nothing odd reaches a where clause: the build's lookup reader refuses it, naming the line and column
    with pytest.raises(InputError, match="not a E05xxxxxx code") as exc:
        fetch_query.ward_codes(lookup, DISTRICT, "WD15CD")
    assert exc.value.row == 2 and exc.value.column == "WD15CD"


def test_each_period_gets_the_newest_ward_vintage_not_after_it():
    def wards(period):
        return next(t for t in targets(period) if t.kind == "wards")

    assert wards(Period("2012-04", "2012-05")).year == 2013  # before every vintage listed: the oldest
    assert wards(Period("2014-04", "2014-11")).path == f"boundaries/wards-2013/{DISTRICT}.geojson"
    assert wards(LATER).year == 2019 and wards(Period("2022-01", "2022-03")).year == 2020
    assert wards(Period("2024-01", "2024-03")).year == 2024  # on 2021 LSOAs: the wards of a 2021-LSOA lookup
    for row in _rows(fetch.VINTAGES):
        yy = row["year"][2:]
        lsoa = "LSOA21" if row["lookup21"] else "LSOA11"
        assert bool(row["lookup"]) != bool(row["lookup21"])  # one geography's lookup a vintage, as ONS publishes
        lookup = urllib.parse.urlsplit(row["lookup21"] or row["lookup"])
        q = dict(urllib.parse.parse_qsl(lookup.query))
        assert lookup.path.endswith("/FeatureServer/0/query") and q["f"] == "json" and q["returnGeometry"] == "false"
        lk = re.fullmatch(r"LAD(\d\d)CD='\{district\}'", q["where"]).group(1)
        assert q["outFields"].split(",") == [f"{lsoa}CD", f"{lsoa}NM", f"WD{lk}CD", f"WD{lk}NM", f"LAD{lk}CD",
                                             f"LAD{lk}NM"]  # fmt: skip
        assert lsoa == "LSOA11" or lk == yy  # a 2021-LSOA lookup is to its own year's wards
        b = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(row["boundaries"]).query))
        assert "/FeatureServer/0/query" in row["boundaries"]  # every vintage from the portal's layer of its year
        assert b == {"outFields": f"WD{yy}CD,WD{yy}NM", "outSR": "4326", "f": "geojson"}
        if row["outline"]:  # cut by place: the district's outline of the same December, asked for by its code
            o = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(row["outline"]).query))
            assert o == {"where": f"LAD{yy}CD='{{district}}'", "outFields": f"LAD{yy}CD,LAD{yy}NM", "outSR": "4326",
                         "f": "geojson"}  # fmt: skip
        else:  # its wards are those of its lookup, so the lookup is to the same year's wards
            assert lk == yy
        assert not row["copy"] or row["copy"].endswith("/{district}.json")


def test_census_pages_through_every_lsoa_and_keeps_the_districts(server, data, monkeypatch):
    """Nomis answers 25,000 rows a call; with a page of two, the five fixture LSOAs take three calls a query."""
    from geo.fetch import query as fetch_query

    monkeypatch.setattr(fetch_query, "NOMIS_PAGE", 2)
    wanted = [t for t in targets() if t.source in ("lsoa11_ward", "population")]
    report = fetch.fetch(wanted, data, mirror=server.url, progress=False)
    assert report.failed == [], report.failed
    offsets = [dict(urllib.parse.parse_qsl(r.partition("?")[2])).get("recordOffset") for r in server.requests
               if "NM_144_1" in r]  # fmt: skip
    assert offsets == [None, "2", "4"]
    rows = _rows(data / "population" / f"census-2011-lsoa11-{DISTRICT}.csv")
    assert [r["lsoa11_code"] for r in rows] == ["E01000001", "E01000002", "E01000003", "E01000004"]
    assert {r["lad_code"] for r in rows} == {DISTRICT}  # E01000009, of another district, left out
    # an LSOA of the district that Nomis does not answer for is an error, and nothing is written
    pop = data / "population" / f"census-2011-lsoa11-{DISTRICT}.csv"
    pop.unlink()
    server.files[NOMIS.format("NM_605_1")] = b"GEOGRAPHY_CODE,OBS_VALUE\nE01000001,400\n"
    report = fetch.fetch(wanted, data, mirror=server.url, progress=False)
    assert "no figure for 3 LSOA(s) of E07000999, e.g. E01000002" in report.failed[0][1] and not pop.exists()


def test_the_police_force_is_the_one_whose_records_lie_in_the_district(server, tmp_path):
    from geo.fetch import force as fetch_force

    archive = tmp_path / "2017-04.zip"
    archive.write_bytes(server.files[ARCHIVE])
    kent, n = fetch_force.force_of(archive, "2012-05", {"E01000001", "E01000002", "E01000003", "E01000004"})
    assert kent == "kent" and n > 0
    assert fetch_force.force_of(archive, "2012-05", {"E01000009"})[0] == "surrey"
    assert fetch_force.force_of(archive, "2012-05", {"E01099999"}) == ("", 0)
    assert fetch_force.force_of(archive, "2012-06", {"E01000001"}) == ("", 0)  # no file of that month
    archive.write_bytes(b"not a zip")
    with pytest.raises(fetch.FetchError, match="not a complete zip"):
        fetch_force.force_of(archive, "2012-05", {"E01000001"})
    assert not archive.exists()


def test_a_vintage_listed_twice_is_named(tmp_path):
    from geo.errors import InputError

    table = tmp_path / "ward-vintages.csv"
    lines = fetch.VINTAGES.read_text().splitlines()
    table.write_text("\n".join([*lines, lines[2]]) + "\n")  # the 2019 row again
    with pytest.raises(InputError) as exc:
        fetch.ward_vintage(table, 2020)
    assert exc.value.row == len(lines) + 1 and exc.value.column == "year" and "2019 again" in str(exc.value)


def test_the_files_table_is_in_the_same_order_wherever_the_checkouts_lie(tmp_path):
    """Sorted by the name shown, so a repository beside or away from the data directory lists alike (the fixture's
    Data and methods page once differed between machines on this alone)."""
    from geo.read.manifest import file_checksums

    data, repo = tmp_path / "a-data", tmp_path / "zz-repo"
    (data / "police").mkdir(parents=True)
    repo.mkdir()
    (data / "police" / "2012-04-x-street.csv").write_text("x\n")
    (repo / "indicators.csv").write_text("y\n")
    files = [data / "police" / "2012-04-x-street.csv", repo / "indicators.csv"]
    assert file_checksums(files, data)["file"].tolist() == ["indicators.csv", "police/2012-04-x-street.csv"]


def test_a_renamed_lookup_service_is_found_in_the_portals_list(server, data):
    """The portal lists the lookup under a new hash suffix and no longer answers the last known name."""
    old = LOOKUP
    new = LOOKUP.replace(
        "LSOA11_WD15_LAD15_EW_LU_12219be330804a1eaec6fd0d88c590cb", "LSOA11_WD15_LAD15_EW_LU_v2_" + "a" * 32
    )
    server.files[new] = server.files.pop(old)
    listing = {
        "currentVersion": 11.1,
        "folders": [],
        "services": [
            {
                "name": "LSOA11_WD15_LAD15_EW_LU_v2_" + "a" * 32,
                "type": "FeatureServer",
                "url": "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/x/FeatureServer",
            },
            {"name": "Wards_December_2019_Boundaries_UK_BGC_2022", "type": "FeatureServer", "url": "u"},
        ],
    }
    server.files[SERVICES] = json.dumps(listing).encode()
    lookup = [t for t in targets() if t.source == "lsoa11_ward"]
    report = fetch.fetch(lookup, data, mirror=server.url, progress=False)
    assert report.failed == [] and report.fetched == [lookup[0].path]
    recorded = (data / fetch.MANIFEST).read_text()
    assert "LSOA11_WD15_LAD15_EW_LU_v2_" + "a" * 32 in recorded  # the address it came from, as found
    assert any(r.startswith(SERVICES) for r in server.requests)


def test_without_the_portals_list_the_last_known_name_is_tried(server, data):
    lookup = [t for t in targets() if t.source == "lsoa11_ward"]
    report = fetch.fetch(lookup, data, mirror=server.url, progress=False)  # no list served: 404
    assert report.failed == [] and "12219be330804a1eaec6fd0d88c590cb" in (data / fetch.MANIFEST).read_text()


# --- Real answers: Maidstone's current year on 2021 LSOAs, served from cuts of real published files -------------

NOW = Period("2025-11", "2025-12")


@pytest.fixture
def real_server():
    from tests import real_answers

    srv = Publisher(real_answers.publisher_files())
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def now_targets(district="E07000110", period=NOW, force="kent"):
    return fetch.plan(fetch.sources_from_csv(SOURCES), district=district, period=period, force=force)


def test_a_period_on_2021_lsoas_plans_todays_geography_and_nothing_of_2011():
    planned = {t.source: t for t in now_targets()}
    assert set(planned) == {"police", "lsoa21_ward", "census2021", "wards21", "iod2025", "stats19-collision",
                            "stats19-casualty"}  # fmt: skip
    assert "LSOA21_WD24_LAD24_EW_LU" in planned["lsoa21_ward"].url and "LAD24CD%3D%27E07000110%27" in planned[
        "lsoa21_ward"].url  # fmt: skip
    assert planned["lsoa21_ward"].path == "lookups/lsoa21-to-ward24-E07000110.csv"
    assert "Wards_December_2024_Boundaries_UK_BGC" in planned["wards21"].url and planned["wards21"].year == 2024
    assert planned["census2021"].needs == planned["wards21"].needs == planned["lsoa21_ward"].path
    assert "NM_2021_1" in planned["census2021"].url and "/68ff5daabcb10f6bf9bef911/" in planned["iod2025"].url
    # the ward vintage follows the LSOA geography: a 2011-LSOA period of 2022 takes the newest 2011-LSOA lookup's
    # wards (2020); a 2021-LSOA period ending in 2023 the 2023 wards
    old = {t.source: t for t in now_targets(period=Period("2022-01", "2022-12"))}
    assert old["wards"].year == 2020 and "lsoa11_ward" in old and "census2021" not in old
    assert {t.source: t for t in now_targets(period=Period("2023-07", "2023-12"))}["wards21"].year == 2023


def test_the_current_year_is_fetched_from_real_answers_and_the_build_reads_it(real_server, tmp_path):
    """Every input of a 2025 period, fetched from answers cut from the published files, then read by the build's
    own loader with all its cross-checks (the Census and the lookup agree, the boundaries and the lookup agree,
    each police record is placed in a ward or counted outside)."""
    from geo.config import Config
    from geo.read import tables
    from geo.read.inputs import load_inputs
    from tests import real_answers

    data = tmp_path / "data"
    wanted = [t for t in now_targets() if t.kind != "stats19"]
    report = fetch.fetch(wanted, data, mirror=real_server.url, progress=False)
    assert report.failed == [] and len(report.fetched) == 6, report.text()
    nomis = [r for r in real_server.requests if "NM_2021_1" in r]
    assert len(nomis) == 2  # 99 LSOAs and the district, 50 codes a call
    assert "E07000110" in real_answers.query(nomis[-1])["geography"].split(",")
    census = tables.census2021_from_csv(data / "population" / "census-2021-lsoa21-E07000110.csv")
    published = {r["Geography code"]: int(r["Total"]) for r in real_answers.rows("census-2021-ts001-E07000110.csv")}
    assert len(census) == 99 and census.attrs["district_totals"] == {"E07000110": 175_782}
    assert dict(zip(census["lsoa_code"], census["residents"], strict=True)) == {
        k: v for k, v in published.items() if k.startswith("E01")
    }
    inputs = load_inputs(Config(district="E07000110", period=NOW, data_dir=data, allow_partial=True))
    assert len(inputs.wards) == 22 and inputs.lsoa_year == 2021 and inputs.edition.year == 2025
    assert inputs.paths["imd2025"].name == "iod-2025-lsoa21-england.csv"
    served = [r for m in NOW.months() for r in real_answers.rows(f"{m}-kent-street.csv")]
    assert len(inputs.records) == len(served) == 72  # every row read, none dropped
    in_district = inputs.records["lsoa_code"].isin(set(inputs.lsoa_ward["lsoa_code"]))
    assert in_district.sum() == sum(r["LSOA name"].startswith("Maidstone ") for r in served) == 60


def test_the_force_is_found_by_2021_lsoa_codes(real_server, tmp_path):
    from geo.fetch import force as fetch_force

    force, n, found = fetch_force.resolve_force(
        fetch.sources_from_csv(SOURCES), tmp_path / "d", district="E07000110", period=NOW, mirror=real_server.url,
        progress=False,
    )  # fmt: skip
    assert (force, n) == ("kent", 30) and found.fetched == ["lookups/lsoa21-to-ward24-E07000110.csv"]


def test_census_2021_answers_that_miss_an_area_or_come_from_2011_lsoas_are_refused(real_server, tmp_path):
    from tests import real_answers

    data = tmp_path / "data"
    wanted = [t for t in now_targets() if t.source in ("lsoa21_ward", "census2021")]
    table = [r for r in real_answers.rows("census-2021-ts001-E07000110.csv") if r["Geography code"] != "E01024365"]
    real_server.files[real_answers.NOMIS] = real_answers.nomis_ts001(table)
    report = fetch.fetch(wanted, data, mirror=real_server.url, progress=False)
    assert len(report.failed) == 1 and "no complete TS001 figures for 1 area(s) of E07000110" in report.failed[0][1]
    assert not (data / "population").exists() and leftovers(data) == []
    lookup11 = tmp_path / "lsoa11.csv"
    lookup11.write_text("LSOA11CD,LSOA11NM,WD15CD,WD15NM,LAD15CD,LAD15NM\nE01024365,Maidstone 017B,E05005000,A,"
                        "E07000110,Maidstone\n")  # fmt: skip
    from geo.fetch import query as fetch_query

    with pytest.raises(fetch_query.QueryError, match="from 2011 LSOAs, not 2021"):
        fetch_query.census21(lambda url: b"", wanted[1].url, "E07000110", lookup11)


def test_stats19_is_cut_from_real_rows_to_the_district_and_year(real_server, tmp_path):
    """Rows of DfT's 2023 collision file as published: Eastbourne's two collisions are kept, nothing else."""
    period = Period("2023-01", "2023-05")  # on 2011 LSOAs; STATS19 is planned for every geography
    wanted = [t for t in now_targets(district="E07000061", period=period) if t.source == "stats19-collision"]
    report = fetch.fetch(wanted, tmp_path / "d", mirror=real_server.url, progress=False)
    assert report.failed == [], report.text()
    kept = _rows(tmp_path / "d" / "stats19" / "collision-E07000061-2023.csv")
    assert [r["collision_index"] for r in kept] == ["2023471276058", "2023471288712"]


def test_december_2013_wards_are_cut_by_place_from_the_portal(real_server, tmp_path, monkeypatch):
    """The portal's December 2013 wards have no district field and no lookup names them, so the fetch asks the
    ward layer for those meeting the district outline's box and keeps the ones inside the outline. Served here
    from ONS's real December 2013 wards of all Kent (283) and Kent's real 2013 district outlines: Maidstone's 26
    wards come back, as published, and the build's reader reads them; its neighbours' wards met by the box do not."""
    from geo.fetch import query as fetch_query
    from geo.read.boundaries import wards_from_geojson
    from tests import real_answers

    wards13, districts13 = real_answers.kent_2013()
    real_server.files[real_answers.WARDS13] = real_answers.arcgis_place(wards13)
    real_server.files[real_answers.DISTRICTS13] = real_answers.arcgis_place(districts13)
    monkeypatch.setattr(fetch_query, "PAGE", 25)  # several pages of the ward layer
    t = next(t for t in now_targets(period=Period("2012-04", "2013-03")) if t.kind == "wards")
    assert t.url.split()[0].endswith(
        "/WD_2013_GB_BGC/FeatureServer/0/query?outFields=WD13CD,WD13NM&outSR=4326&f=geojson"
    )
    assert "LAD_DEC_2013_GB_BFC" in t.member and "LAD13CD%3D%27E07000110%27" in t.member
    wanted = [dataclasses.replace(t, path="w.geojson", present="w.geojson")]
    report = fetch.fetch(wanted, tmp_path, mirror=real_server.url, progress=False)
    assert report.failed == [] and report.fetched == ["w.geojson"], report.text()
    got = json.loads((tmp_path / "w.geojson").read_text())["features"]
    published = json.loads((real_answers.BUNDLE / "wards-2013-kent" / "E07000110.geojson").read_text())["features"]
    assert [f["properties"]["WD13CD"] for f in got] == sorted(f["properties"]["WD13CD"] for f in published)
    by_code = {f["properties"]["WD13CD"]: f for f in published}
    for f in got:  # each ward as served: its code, name and shape unchanged
        want = by_code[f["properties"]["WD13CD"]]
        assert f["properties"]["WD13NM"] == want["properties"]["WD13NM"] and f["geometry"] == want["geometry"]
    asked = [real_answers.query(r) for r in real_server.requests if r.startswith(real_answers.WARDS13)]
    assert len(asked) >= 3 and len({q["geometry"] for q in asked}) == 1  # one box, page by page
    box_wards = json.loads(real_answers.arcgis_place(wards13)({**asked[0], "resultRecordCount": 1000}))["features"]
    assert len(box_wards) > len(got) == 26  # the box met neighbours' wards, which were left out
    assert len(wards_from_geojson(tmp_path / "w.geojson")) == 26
    rows = {r["path"]: r for r in csv.DictReader(io.StringIO((tmp_path / fetch.MANIFEST).read_text()))}
    assert rows["w.geojson"]["url"].startswith(real_server.url + real_answers.WARDS13)


def test_december_2013_wards_that_do_not_nest_are_refused_and_the_copy_is_tried(real_server, tmp_path):
    """An outline that cuts wards in two (Maidstone's real outline, its western half only) is not guessed at: the
    portal's answer is refused, naming a ward, and the public copy is fetched instead; with no copy, nothing lands."""
    import shapely
    from shapely.geometry import mapping, shape

    from geo.fetch import query as fetch_query
    from tests import real_answers

    wards13, districts13 = real_answers.kent_2013()
    mine = next(f for f in districts13["features"] if f["properties"]["LAD13CD"] == "E07000110")
    outline = shape(mine["geometry"])
    x0, y0, x1, y1 = outline.bounds
    half = {**mine, "geometry": mapping(outline.intersection(shapely.box(x0, y0, (x0 + x1) / 2, y1)))}
    real_server.files[real_answers.WARDS13] = real_answers.arcgis_place(wards13)
    real_server.files[real_answers.DISTRICTS13] = real_answers.arcgis_place({"features": [half]})
    copied = (real_answers.BUNDLE / "wards-2013-kent" / "E07000110.geojson").read_bytes()
    real_server.files["/copy/E07000110.json"] = copied
    t = next(t for t in now_targets(period=Period("2012-04", "2013-03")) if t.kind == "wards")
    portal = t.url.split()[0]
    with pytest.raises(fetch_query.QueryError, match=r"ward E05\d{6} lies \d+% inside the outline of E07000110"):
        fetch_query.arcgis_geojson_within(
            lambda u: real_server.files[urllib.parse.urlsplit(u).path](real_answers.query(u)),
            fetch.with_mirror(portal, real_server.url),
            t.member,
            "E07000110",
        )
    for copy, lands in (("https://example.org/copy/E07000110.json", True), ("", False)):
        one = dataclasses.replace(t, path="w.geojson", present="w.geojson", url=f"{portal} {copy}".strip())
        report = fetch.fetch([one], tmp_path / str(lands), mirror=real_server.url, progress=False)
        assert (tmp_path / str(lands) / "w.geojson").is_file() is lands and leftovers(tmp_path) == []
        if lands:  # the copy, as published, and the manifest says so
            assert (tmp_path / "True" / "w.geojson").read_bytes() == copied
            assert "/copy/E07000110.json" in (tmp_path / "True" / fetch.MANIFEST).read_text()
        else:
            assert "do not nest" in report.failed[0][1]
