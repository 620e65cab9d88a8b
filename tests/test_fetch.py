"""The fetch command against a loopback HTTP server serving small FIXTURE files (nothing here is real data).

The server stands in for the publishers: ``--mirror`` keeps each official URL's path and swaps its host, so the
files sit at the same paths as on data.police.uk, GitHub and gov.uk.
"""

from __future__ import annotations

import csv
import hashlib
import http.server
import io
import json
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from geo import fetch
from geo.config import PROJECT_ROOT, Period
from geo.markup import md_text
from tests.fixtures import DISTRICT, IMD2015, make_data_dir

SOURCES = PROJECT_ROOT / "data" / "sources.csv"
FILE7 = (
    "/government/uploads/system/uploads/attachment_data/file/467774/File_7_ID_2015_All_ranks__deciles_and_scores"
    "_for_the_Indices_of_Deprivation__and_population_denominators.csv"
)
WARDS = f"/martinjc/UK-GeoJSON/master/json/electoral/eng/wards_by_lad/{DISTRICT}.json"
ARCHIVE = "/data/archive/2012-05.zip"


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
        body = srv.files.get(self.path)
        if body is None or self.path in srv.fail:
            self.send_error(404 if body is None else 500)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if self.path in srv.truncate else body)

    def log_message(self, *args):
        pass


def publisher_files(tmp_path: Path) -> dict[str, bytes]:
    """The fixture district's files as their publishers would serve them."""
    src = make_data_dir(tmp_path / "made")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # police.uk's archive: one folder named after the archive month
        for m in ("2012-04", "2012-05"):
            z.write(src / "police" / f"{m}-fixture-street.csv", f"2012-05/{m}-kent-street.csv")
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
    }


def fetch_columns():
    from geo.sources.tables import IOD2015_FILE7

    return [k for k in IOD2015_FILE7 if k != "LSOA code (2011)"]


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
    """A data directory holding only what cannot be fetched (Census and the ONS lookup, as a user saves them)."""
    made = make_data_dir(tmp_path / "src")
    d = tmp_path / "data"
    for rel in ("population/census-2011-lsoa11-kent.csv", "lookups/lsoa11-to-ward-kent.csv"):
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(made / rel, d / rel)
    return d


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
    assert t["police/2012-04-kent-street.csv"].url == "https://data.police.uk/data/archive/2012-05.zip"
    assert t["police/2012-04-kent-street.csv"].member == "2012-05/2012-04-kent-street.csv"
    assert t[f"boundaries/wards-2013/{DISTRICT}.geojson"].url.endswith(f"/{DISTRICT}.json")
    assert t["population/census-2011-lsoa11-england.csv"].manual


def test_fetch_downloads_records_checksums_and_then_builds(server, data, tmp_path, capsys):
    from geo.cli import main

    code = main(["fetch", "--data-dir", str(data), "--district", DISTRICT, "--start", "2012-04", "--end", "2012-05",
                 "--mirror", server.url])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    assert "fetched 4, already present 2, failed 0" in err and "100%" in err  # tqdm's bar reached the end
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
        ]
    )
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
    assert md_text("(added by hand)") in methods and md_text("(this project's data/ folder)") in methods


def test_files_changed_after_fetching_are_flagged(tmp_path):
    import pandas as pd

    from geo.manifest import fetched_from, file_checksums

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


def test_second_fetch_uses_the_files_by_name(server, data):
    fetch.fetch(targets(), data, mirror=server.url, progress=False)
    server.requests.clear()
    report = fetch.fetch(targets(), data, mirror=server.url, progress=False)
    assert server.requests == [] and report.fetched == [] and len(report.cached) == 6
    # --refresh downloads again; the archive once for both months
    report = fetch.fetch(targets(), data, mirror=server.url, progress=False, refresh=True)
    assert sorted(server.requests) == sorted([ARCHIVE, ARCHIVE, WARDS, FILE7]) and len(report.fetched) == 4


def test_failed_download_is_not_cached(server, data):
    server.fail.add(FILE7)
    report = fetch.fetch(targets(), data, mirror=server.url, progress=False)
    imd = data / "deprivation" / "imd-2015-lsoa11-england.csv"
    assert [p for p, _ in report.failed] == ["deprivation/imd-2015-lsoa11-england.csv"]
    assert "HTTP 500" in report.failed[0][1]
    assert not imd.exists() and leftovers(data) == []
    assert "imd-2015" not in (data / fetch.MANIFEST).read_text()
    assert len(report.fetched) == 3  # the other files still came
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
    pinned = [
        fetch.Target(t.source, t.path, t.present, t.url, t.member, "0" * 64, t.manual) if t.source == "wards" else t
        for t in targets()
    ]
    report = fetch.fetch(pinned, data, mirror=server.url, progress=False)
    assert report.failed and "pinned" in report.failed[0][1]
    assert not (data / "boundaries" / "wards-2013" / f"{DISTRICT}.geojson").exists() and leftovers(data) == []


def test_missing_or_broken_archive(server, data):
    period = Period("2012-05", "2012-06")  # months come from the archive of the last month, 2012-06.zip
    report = fetch.fetch(targets(period), data, mirror=server.url, progress=False)
    police = ["police/2012-05-kent-street.csv", "police/2012-06-kent-street.csv"]
    assert [p for p, why in report.failed if "HTTP 404" in why] == police
    server.files["/data/archive/2012-06.zip"] = b"not a zip"
    report = fetch.fetch(targets(period), data, mirror=server.url, progress=False)
    assert [p for p, why in report.failed if "not a complete zip" in why] == police
    assert not (data / fetch.CACHE / "2012-06.zip").exists()  # a broken archive is not kept
    assert not (data / "police").exists() or not list((data / "police").iterdir())


def test_absent_month_member_is_reported(server, data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # the June archive, but without June's file
        z.writestr("2012-06/2012-05-kent-street.csv", zipfile.ZipFile(io.BytesIO(server.files[ARCHIVE])).read(
            "2012-05/2012-05-kent-street.csv"))  # fmt: skip
    server.files["/data/archive/2012-06.zip"] = buf.getvalue()
    report = fetch.fetch(targets(Period("2012-05", "2012-06")), data, mirror=server.url, progress=False)
    assert report.failed == [
        ("police/2012-06-kent-street.csv", "2012-06.zip has no member 2012-06/2012-06-kent-street.csv")
    ]
    assert (data / "police" / "2012-05-kent-street.csv").is_file() and leftovers(data) == []


def test_manual_sources_are_listed_and_fail_the_command(server, tmp_path, capsys):
    from geo.cli import main

    empty = tmp_path / "empty"
    code = main(["fetch", "--data-dir", str(empty), "--district", DISTRICT, "--start", "2012-04", "--end", "2012-05",
                 "--mirror", server.url, "--quiet"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "not fetched (get it by hand): population/census-2011-lsoa11-england.csv" in err
    assert "nomisweb" in err


def test_unknown_source_kind_names_the_row(tmp_path):
    from geo.errors import InputError

    bad = tmp_path / "sources.csv"
    bad.write_text(SOURCES.read_text().replace("police,police-archive", "police,ftp", 1))
    with pytest.raises(InputError) as exc:
        fetch.sources_from_csv(bad)
    assert exc.value.row == 2 and exc.value.column == "kind"
