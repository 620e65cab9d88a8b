"""The build command as a careless or hostile user drives it, in a subprocess: it never deletes what it did not
make, never hangs, never publishes a silently wrong site, and answers bad input with a named error and exit 2.

Data-loss cases run against a throwaway copy of the repository (code, docs, tables), so that a regression could
only ever delete the copy. Each protected folder holds a sentinel file that must survive.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.errors import InputError
from geo.outdirs import MARKER, check_output_dir
from tests.fixtures import DISTRICT, POLICE_HEADER, X0, Y0, lonlat, make_data_dir, police_row, write_csv
from tests.repo_copy import PERIOD, SENTINEL, refused, run


def survivors(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob(SENTINEL))


DATA_LOSS = {
    # name: (extra arguments, words of the refusal)
    "site dir is docs/ (GitHub Pages' 'deploy from /docs')": (["--site-dir", "docs"], "--site-dir is, contains"),
    "site dir is the repository root": (["--site-dir", "."], "the repository"),
    "site dir contains the repository": (["--site-dir", ".."], "the repository"),
    "site dir is the data directory": (["--site-dir", "fixture-data"], "--site-dir is, contains"),
    "out dir is the data directory": (["--out-dir", "fixture-data"], "--out-dir is, contains"),
    "site dir inside the data directory": (["--site-dir", "fixture-data/site"], "lies inside"),
    "out dir inside docs/": (["--out-dir", "docs/build"], "lies inside"),
    "out dir is the repository's data/": (["--out-dir", "data"], "--out-dir is, contains"),
    "site dir is the out dir": (["--site-dir", "b", "--out-dir", "b"], "--site-dir is, contains"),
    "site dir is the package": (["--site-dir", "geo"], "did not make"),
}


@pytest.mark.parametrize("case", list(DATA_LOSS))
def test_build_refuses_to_replace_what_it_did_not_make(case, repo):
    before = survivors(repo)
    docs = sorted(p.relative_to(repo) for p in (repo / "docs").rglob("*"))
    args, words = DATA_LOSS[case]
    proc = run(["build", "--data-dir", "fixture-data", *PERIOD, *args], repo)
    refused(proc, words, "fix: ")
    assert survivors(repo) == before and len(before) == 5
    assert sorted(p.relative_to(repo) for p in (repo / "docs").rglob("*")) == docs
    assert (repo / "geo" / "cli.py").is_file()


def test_home_folder_is_never_replaced(repo, tmp_path):
    home = tmp_path / "home"
    (home / "work").mkdir(parents=True)
    (home / SENTINEL).write_text("must survive")
    proc = run(["build", "--data-dir", str(repo / "fixture-data"), *PERIOD, "--site-dir", str(home)], repo, home=home)
    refused(proc, "the home folder")
    assert (home / SENTINEL).is_file()


@pytest.mark.parametrize("target", ["/", "~", "{repo}", "{repo}/..", "{repo}/docs/x", "{data}/x"])
def test_protected_folders_are_refused_before_any_work(target, tmp_path):
    repo, data = tmp_path / "repo", tmp_path / "data"
    path = Path(target.format(repo=repo, data=data)).expanduser()
    with pytest.raises(InputError):
        check_output_dir(path, option="--site-dir", inside_forbidden=(data, repo / "docs"), project_root=repo)


def test_a_folder_of_other_files_is_refused_and_kept(repo, tmp_path):
    mine = tmp_path / "my-site"
    mine.mkdir()
    (mine / SENTINEL).write_text("my own notes")
    proc = run(["build", "--data-dir", "fixture-data", *PERIOD, "--site-dir", str(mine)], repo)
    refused(proc, "did not make", MARKER, str(mine))
    assert (mine / SENTINEL).read_text() == "my own notes"


def test_site_dir_naming_a_file_is_refused_on_every_run(repo, tmp_path):
    f = tmp_path / "site.txt"
    f.write_text("a file, not a folder")
    for _ in range(2):
        refused(run(["build", "--data-dir", "fixture-data", *PERIOD, "--site-dir", str(f)], repo), "names a file")
    assert f.read_text() == "a file, not a folder"


def test_build_replaces_its_own_folders_and_respects_the_umask(repo, tmp_path):
    site, out = tmp_path / "site", tmp_path / "b"
    site.mkdir()  # an empty folder may be used
    args = ["build", "--data-dir", "fixture-data", *PERIOD, "--site-dir", str(site), "--out-dir", str(out)]
    old = os.umask(0o022)
    try:
        first = run(args, repo)
        assert first.returncode == 0, first.stderr[-2000:]
        assert (site / MARKER).is_file() and (out / MARKER).is_file()
        (site / "stale.html").write_text("from an earlier build")
        again = run([*args, "--force"], repo)
        assert again.returncode == 0, again.stderr[-2000:]
    finally:
        os.umask(old)
    assert not (site / "stale.html").exists()  # the whole folder was replaced
    for d in (site, out, site / "wards"):
        assert stat.S_IMODE(d.stat().st_mode) == 0o755, d
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_sigterm_removes_the_temporary_folders(repo, tmp_path):
    site, out = tmp_path / "site", tmp_path / "b"
    env = {**os.environ, "PYTHONPATH": str(repo)}
    args = ["build", "--data-dir", "fixture-data", *PERIOD, "--site-dir", str(site), "--out-dir", str(out)]
    proc = subprocess.Popen([sys.executable, "-m", "geo", *args], cwd=repo, env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not [p for p in tmp_path.iterdir() if p.name.startswith(".b-")] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the build ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []  # no temporary folder, no half-built site


# ---- hangs: periods are parsed strictly, in both commands --------------------------------------------------------

BAD_PERIODS = {
    "month 13": (["--start", "2012-13"], "--start: '2012-13'"),
    "month 00": (["--end", "2013-00"], "--end: '2013-00'"),
    "slashes": (["--start", "2012/04"], "--start: '2012/04'"),
    "no zero padding": (["--start", "2012-4"], "--start: '2012-4'"),
    "start after end": (["--start", "2013-03", "--end", "2012-04"], "after it ends"),
}


@pytest.mark.parametrize("command", ["build", "fetch"])
@pytest.mark.parametrize("case", list(BAD_PERIODS))
def test_bad_periods_are_named_errors_not_hangs(command, case, repo, tmp_path):
    args, words = BAD_PERIODS[case]
    extra = ["--site-dir", str(tmp_path / "s"), "--out-dir", str(tmp_path / "b")] if command == "build" else []
    proc = run([command, "--data-dir", str(tmp_path / "data"), *args, *extra], repo, timeout=60)
    refused(proc, words)
    assert not (tmp_path / "s").exists() and not (tmp_path / "data").exists()


@pytest.mark.parametrize("command", ["build", "fetch"])
def test_district_in_lower_case_names_the_near_miss(command, repo, tmp_path):
    extra = ["--site-dir", str(tmp_path / "s"), "--out-dir", str(tmp_path / "b")] if command == "build" else []
    proc = run([command, "--data-dir", "fixture-data", "--district", "e07000110", *extra], repo, timeout=60)
    refused(proc, "did you mean 'E07000110'")


# ---- silently wrong sites, tracebacks and misleading messages: each a named error, exit 2 ------------------------


def _wards_file(d: Path) -> Path:
    return d / "boundaries" / "wards-2013-kent" / f"{DISTRICT}.geojson"


def _edit_wards(fn):
    def mutate(d):
        gj = json.loads(_wards_file(d).read_text())
        fn(gj)
        _wards_file(d).write_text(json.dumps(gj))

    return mutate


def _degrees_declared_as_bng(gj):
    for f in gj["features"]:  # the fixture's metres written as degrees, still declared as British National Grid
        f["geometry"]["coordinates"] = [[list(lonlat(x, y)) for x, y in f["geometry"]["coordinates"][0]]]
    gj["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}


def _drop_ward(gj):
    del gj["features"][1]


def _third_dimension(gj):
    ring = gj["features"][0]["geometry"]["coordinates"][0]
    gj["features"][0]["geometry"]["coordinates"][0] = [[x, y, 12.5] for x, y in ring]


def _ward_in_two_districts(d):
    p = d / "lookups" / "lsoa11-to-ward-kent.csv"
    p.write_text(p.read_text().replace("E05009999", "E05000002"))


def _drop_lookup_row(d):
    p = d / "lookups" / "lsoa11-to-ward-kent.csv"
    p.write_text("\n".join(line for line in p.read_text().split("\n") if not line.startswith("E01000004")))


def _drop_census_row(d):
    p = d / "population" / "census-2011-lsoa11-kent.csv"
    p.write_text("\n".join(line for line in p.read_text().split("\n") if not line.startswith("E01000004")))


def _empty_month(d):
    write_csv(d / "police" / "2012-05-fixture-street.csv", POLICE_HEADER, [])


def _zero_residents(d):
    p = d / "population" / "census-2011-lsoa11-kent.csv"
    p.write_text(p.read_text().replace("E01000003,E07000999,500,200", "E01000003,E07000999,0,0"))


def _blank_line_and_quoted_newline(d):
    rows = [police_row("2012-04", X0 + 500, Y0 + 500, "Drugs", 'On or near "Mill\nLane"')] * 2
    rows.append(police_row("2012-04", X0 + 500, Y0 + 500, "Drugs", "x")[:4] + ["0.5x"] + ["51.2"] + ["x"] * 6)
    write_csv(d / "police" / "2012-04-fixture-street.csv", POLICE_HEADER, [])
    p = d / "police" / "2012-04-fixture-street.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    p.write_text(p.read_text() + "\n" + buf.getvalue())  # header, a blank line, two rows of two lines each, bad row


def _gzip_named_csv(d):
    p = d / "police" / "2012-04-fixture-street.csv"
    p.write_bytes(gzip.compress(p.read_bytes()))


def _wrong_case_name(d):
    p = d / "police" / "2012-04-fixture-street.csv"
    p.rename(p.with_name("2012-04-Fixture-street.csv"))


def _mentions_elsewhere(d):  # another district's boundaries saved under this district's name
    src = _wards_file(d)
    gj = json.loads(src.read_text())
    for i, f in enumerate(gj["features"]):
        f["properties"]["WD13CD"] = f"E0500999{i}"
    src.write_text(json.dumps(gj))
    p = d / "lookups" / "lsoa11-to-ward-kent.csv"
    p.write_text(p.read_text().replace("E05009999,Elsewhere", "E05009990,Elsewhere"))


WRONG = {
    # name: (mutation, file that must be named, words)
    "boundary degrees declared as EPSG:27700": (
        _edit_wards(_degrees_declared_as_bng),
        _wards_file,
        "look like degrees",
    ),
    "a ward missing from the boundaries": (_edit_wards(_drop_ward), _wards_file, "'E05000002' (Bravo"),
    "another district's boundaries under this name": (_mentions_elsewhere, _wards_file, "belongs to district"),
    "boundaries with 3D coordinates": (_edit_wards(_third_dimension), _wards_file, "third (height) value"),
    "a district LSOA missing from the lookup": (_drop_lookup_row, "lookups/lsoa11-to-ward-kent.csv", "E01000004"),
    "a district LSOA missing from the Census": (
        _drop_census_row,
        "population/census-2011-lsoa11-kent.csv",
        "E01000004",
    ),
    "a ward in two districts in the lookup": (
        _ward_in_two_districts,
        "lookups/lsoa11-to-ward-kent.csv",
        "line 6, column 'ward code': ward 'E05000002' is in district E07000111",
    ),
    "an LSOA with no residents": (_zero_residents, "population/census-2011-lsoa11-kent.csv", "line 4"),
    "an empty month": (_empty_month, "police/2012-05-fixture-street.csv", "header but no records"),
    "line after a blank line and quoted newlines": (
        _blank_line_and_quoted_newline,
        "police/2012-04-fixture-street.csv",
        "line 7, column 'Longitude'",
    ),
    "gzip saved as .csv": (_gzip_named_csv, "police/2012-04-fixture-street.csv", "gzip-compressed"),
    "police file name in the wrong case": (_wrong_case_name, "police/2012-04-Fixture-street.csv", "rename it"),
}


@pytest.mark.parametrize("case", list(WRONG))
def test_wrong_input_stops_the_build_naming_the_file(case, repo, tmp_path):
    data = make_data_dir(tmp_path / "data")
    mutate, rel, words = WRONG[case]
    mutate(data)
    site = tmp_path / "site"
    proc = run(
        ["build", "--data-dir", str(data), *PERIOD, "--site-dir", str(site), "--out-dir", str(tmp_path / "b")], repo
    )
    expected = rel(data) if callable(rel) else data / rel
    refused(proc, f"error: {expected}", words)
    assert not site.exists()


def test_an_empty_month_is_named_on_every_page_when_allowed(repo, tmp_path):
    data = make_data_dir(tmp_path / "data")
    _empty_month(data)
    site = tmp_path / "site"
    args = ["build", "--data-dir", str(data), *PERIOD, "--site-dir", str(site), "--out-dir", str(tmp_path / "b")]
    proc = run([*args, "--allow-partial"], repo)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pages = [p for p in site.rglob("*.html") if "map-files" not in p.parts and p.name != "404.html"]
    assert len(pages) > 10
    for page in pages:
        assert "without police.uk records for 2012-05" in page.read_text(), page
    summary = json.loads((tmp_path / "b" / "summary.json").read_text())
    assert summary["missing_months"] == ["2012-05"] and summary["reconciliation"]["rows_read"] == 9
