"""Safe by construction, second round: each fault a careless analyst plants is answered with exit 2 naming the
file, line and column with the right fix and no traceback, or, where the honest answer is to build, with a site
that says what happened. Faults are planted in FIXTURE data (tests/fixtures.py) or in a throwaway copy of the
repository's tables; the real bundle is only read.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.config import PROJECT_ROOT
from tests.fixtures import POLICE_HEADER, X0, Y0, make_data_dir, police_row, write_csv
from tests.repo_copy import PERIOD, SENTINEL, refused, run

APRIL = "police/2012-04-fixture-street.csv"
MAY = "police/2012-05-fixture-street.csv"


def _build(repo: Path, data: Path, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    site, out = tmp / "site", tmp / "b"
    return run(
        ["build", "--data-dir", str(data), *PERIOD, "--site-dir", str(site), "--out-dir", str(out), *extra], repo
    )


def _rows_with_ids(month: str, n: int, prefix: str = "id") -> list[list]:
    """``n`` located burglaries in Alpha with Crime IDs ``<prefix>-0`` … (FIXTURE)."""
    rows = []
    for i in range(n):
        row = police_row(month, X0 + 100 + 30 * i, Y0 + 500, "Burglary")
        row[0] = f"{prefix}-{i}"
        rows.append(row)
    return rows


# ---- duplicates -----------------------------------------------------------------------------------------------


def test_a_month_pasted_into_the_next_is_an_error_naming_both_places(repo, tmp_path):
    data = make_data_dir(tmp_path / "data")
    write_csv(data / APRIL, POLICE_HEADER, _rows_with_ids("2012-04", 15))
    write_csv(data / MAY, POLICE_HEADER, _rows_with_ids("2012-05", 15))  # April's crimes again, relabelled May
    proc = _build(repo, data, tmp_path)
    refused(proc, f"error: {data / MAY}, line 2, column 'Crime ID'", "line 2 of 2012-04-fixture-street.csv")
    assert "pasted twice" in proc.stderr and "fix: remove the repeated rows" in proc.stderr


def test_a_month_twice_in_one_file_is_an_error(repo, tmp_path):
    data = make_data_dir(tmp_path / "data")
    rows = _rows_with_ids("2012-04", 12)
    write_csv(data / APRIL, POLICE_HEADER, rows + rows)
    proc = _build(repo, data, tmp_path)
    refused(proc, f"error: {data / APRIL}, line 14, column 'Crime ID'", "line 2 of 2012-04-fixture-street.csv")


def test_pasted_records_without_an_id_are_an_error(repo, tmp_path):
    """Rule: identical ASB rows are normal (separate incidents at one snap point); a run of 20 or more that repeats
    an earlier run row for row, over three or more snap points, is a paste."""
    data = make_data_dir(tmp_path / "data")
    block = [
        police_row("2012-04", X0 + 30 * i + 50, Y0 + 400 + 7 * (i % 3), "Anti-social behaviour") for i in range(25)
    ]
    write_csv(data / APRIL, POLICE_HEADER, block + block)
    proc = _build(repo, data, tmp_path)
    refused(proc, f"error: {data / APRIL}, line 27, column 'Location'", "from line 2 of 2012-04-fixture-street.csv")


def test_identical_asb_rows_at_one_snap_point_are_counted_each(repo, tmp_path):
    data = make_data_dir(tmp_path / "data")
    same = [police_row("2012-04", X0 + 500, Y0 + 500, "Anti-social behaviour")] * 30  # 30 incidents, one point
    write_csv(data / APRIL, POLICE_HEADER, same)
    write_csv(data / MAY, POLICE_HEADER, [police_row("2012-05", X0 + 1500, Y0 + 500, "Anti-social behaviour")] * 25)
    proc = _build(repo, data, tmp_path, "--data-only")
    assert proc.returncode == 0, proc.stderr[-2000:]
    rec = json.loads((tmp_path / "b" / "summary.json").read_text())["reconciliation"]
    assert rec["in_ward"] == 55 and rec["repeated"] == 0


def test_a_few_repeated_ids_are_counted_once_and_named(repo, tmp_path):
    data = make_data_dir(tmp_path / "data")
    write_csv(data / APRIL, POLICE_HEADER, _rows_with_ids("2012-04", 6))
    may = _rows_with_ids("2012-05", 2) + [police_row("2012-05", X0 + 1500, Y0 + 600, "Anti-social behaviour")]
    write_csv(data / MAY, POLICE_HEADER, may)  # two of April's crimes published again in May, as police.uk does
    proc = _build(repo, data, tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads((tmp_path / "b" / "summary.json").read_text())
    rec = summary["reconciliation"]
    assert rec["repeated"] == 2 and rec["in_ward"] == 7 and rec["rows_read"] == 9
    methods = (tmp_path / "site" / "data-and-methods.html").read_text()
    assert "2012-05-fixture-street.csv, line 2 repeats the Crime ID of police/2012-04-fixture-street.csv, line 2" in (
        methods
    )
    assert "Repeating an earlier Crime ID (counted once)" in methods


# ---- a month that is not the district's ----------------------------------------------------------------------


def _another_forces_may(data: Path) -> None:
    far = [police_row("2012-05", 383_000 + 10 * i, 398_000, "Burglary") for i in range(40)]  # Manchester
    write_csv(data / MAY, POLICE_HEADER, far)


def _may_without_locations(data: Path) -> None:
    write_csv(data / MAY, POLICE_HEADER, [police_row("2012-05", None, None, "Burglary") for _ in range(40)])


@pytest.mark.parametrize(
    "plant,words",
    [(_another_forces_may, "only 0 of its 40 records fall in the district"), (_may_without_locations, "only 0 of")],
)
def test_a_month_that_is_not_the_districts_stops_the_build(repo, tmp_path, plant, words):
    data = make_data_dir(tmp_path / "data")
    plant(data)
    proc = _build(repo, data, tmp_path)
    refused(proc, f"error: {data / MAY}: the file for 2012-05 is not the district's", words, "--allow-partial")


def test_with_allow_partial_that_month_is_named_on_every_page(repo, tmp_path):
    data = make_data_dir(tmp_path / "data")
    _another_forces_may(data)
    proc = _build(repo, data, tmp_path, "--allow-partial")
    assert proc.returncode == 0, proc.stderr[-2000:]
    pages = [p for p in (tmp_path / "site").rglob("*.html") if "map-files" not in p.parts and p.name != "404.html"]
    assert len(pages) > 10 and all("without police.uk records for 2012-05" in p.read_text() for p in pages)
    summary = json.loads((tmp_path / "b" / "summary.json").read_text())
    assert summary["missing_months"] == ["2012-05"]
    assert "another force&#x27;s" in (tmp_path / "site" / "data-and-methods.html").read_text()


# ---- the indicator table -------------------------------------------------------------------------------------


def _indicators(tmp_path: Path, line: int, column: str, value: str) -> Path:
    import csv

    with open(PROJECT_ROOT / "data" / "indicators.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[line - 1][rows[0].index(column)] = value
    path = tmp_path / "indicators.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


@pytest.mark.parametrize(
    "column,value,words,fix",
    [
        ("police_categories", "Knife crimes", "'Knife crimes' is not a police.uk category", "use police.uk's names"),
        ("police_categories", "Drug", "(did you mean 'Drugs'?)", "use police.uk's names"),
        ("k", "99", "k=99: a map has 3 to 9 classes", "give k from 3 to 9"),
        ("palette", "Rainbow", "palette 'Rainbow' is not a ColorBrewer sequential palette", "use one of Blues"),
        ("suppress_below", "-3", "suppress_below=-3", "0 hides nothing"),
    ],
)
def test_indicator_table_mistakes_name_line_and_column(repo, tmp_path, column, value, words, fix):
    data = make_data_dir(tmp_path / "data")
    table = _indicators(tmp_path, 3, column, value)
    proc = _build(repo, data, tmp_path, "--indicators", str(table))
    refused(proc, f"error: {table}, line 3, column '{column}'", words, f"fix: {fix}")


# ---- impossible values --------------------------------------------------------------------------------------


def _set_cell(path: Path, line: int, column: str, value: str) -> None:
    lines = path.read_text().split("\n")
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    path.write_text("\n".join(lines))


IMPOSSIBLE = {
    "IMD score inf": ("deprivation/imd-2010-lsoa01-england.csv", 2, "IMD_score", "inf", "not a finite number"),
    "IMD score 1e6": ("deprivation/imd-2010-lsoa01-england.csv", 3, "IMD_score", "1e6", "outside 0 to 100"),
    "income rate above 1": ("deprivation/imd-2010-lsoa01-england.csv", 2, "Income_score", "1.7", "outside 0 to 1"),
    "rank beyond England's LSOAs": ("deprivation/imd-2010-lsoa01-england.csv", 4, "IMD_rank", "40000", "outside 1"),
    "negative households": ("population/census-2011-lsoa11-kent.csv", 2, "households", "-400", "outside 0"),
    "more households than residents": ("population/census-2011-lsoa11-kent.csv", 3, "households", "2500", "2,500"),
    "a district's residents on one LSOA": (
        "population/census-2011-lsoa11-kent.csv",
        4,
        "all_usual_residents",
        "150000",
        "outside 1 to 25000",
    ),
    "longitude inf": (APRIL, 3, "Longitude", "inf", "not a finite number"),
}


@pytest.mark.parametrize("case", list(IMPOSSIBLE))
def test_impossible_values_name_line_and_column(repo, tmp_path, case):
    rel, line, column, value, words = IMPOSSIBLE[case]
    data = make_data_dir(tmp_path / "data")
    _set_cell(data / rel, line, column, value)
    proc = _build(repo, data, tmp_path)
    refused(proc, f"error: {data / rel}, line {line}, column '{column}'", words, "fix: ")


# ---- the report's tables -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table,line,column,value",
    [
        ("s3-2-resolution-outcomes", 4, "recorded_crime", "n/a"),
        ("appx2-table3-unemployment", 2, "unemployed_july_2012", "75B"),
        ("s3-1-annual-changes", 3, "pct_change", "about 20%"),
        ("s5-1-5-world-cup-fixtures", 2, "date_published", "14/06"),
    ],
)
def test_report_table_values_are_checked(tmp_path, table, line, column, value):
    from geo.analysis import report
    from geo.errors import InputError
    from geo.read.report_tables import report_tables

    copy = tmp_path / "report"
    shutil.copytree(PROJECT_ROOT / "data" / "report", copy)
    import csv

    path = copy / f"{table}.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[line - 1][rows[0].index(column)] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    with pytest.raises(InputError) as exc:
        report.all_flags(report_tables(copy))
    err = exc.value
    assert (Path(err.path), err.row, err.column) == (path, line, column), str(err)
    assert repr(value) in str(err) and err.fix


def test_a_damaged_report_table_stops_the_real_build_with_exit_2(tmp_path):
    """Through the command line on the real bundle: the report's tables are read for Maidstone only."""
    root = tmp_path / "repo"
    for name in ("geo", "docs", "scripts", "overrides"):
        shutil.copytree(PROJECT_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PROJECT_ROOT / "data", root / "data", ignore=shutil.ignore_patterns("raw", "bundle"))
    shutil.copy2(PROJECT_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    p = root / "data" / "report" / "appx2-table3-unemployment.csv"
    p.write_text(p.read_text().replace('Maidstone,"2,430",2.5%,', 'Maidstone,"2,430",2.5 percent,'))
    proc = run(
        ["build", "--data-dir", str(PROJECT_ROOT / "data" / "bundle"), "--out-dir", str(tmp_path / "b"),
         "--site-dir", str(tmp_path / "s")],
        root,
    )  # fmt: skip
    refused(proc, "appx2-table3-unemployment.csv, line 2, column 'rate': '2.5 percent' is not a number as the report")


# ---- the machine ----------------------------------------------------------------------------------------------


def _main(args) -> tuple[int, str]:
    from geo.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(args)
    return code, err.getvalue()


def test_a_site_folder_whose_parent_cannot_be_written_is_refused_before_any_work(tmp_path, monkeypatch):
    import geo.build

    data = make_data_dir(tmp_path / "data")
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if Path(p) == locked else real(p, mode, **k))
    monkeypatch.setattr(geo.build, "build", lambda *a, **k: pytest.fail("the pipeline ran"))
    code, err = _main(["build", "--data-dir", str(data), *PERIOD, "--force", "--out-dir", str(tmp_path / "b"),
                       "--site-dir", str(locked / "site")])  # fmt: skip
    assert code == 2 and f"error: {locked}: --site-dir: the build cannot write here" in err, err
    assert "Traceback" not in err and not (tmp_path / "b").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the check above covers root")
def test_a_read_only_parent_is_refused_for_real(tmp_path):
    data = make_data_dir(tmp_path / "data")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, err = _main(["build", "--data-dir", str(data), *PERIOD, "--out-dir", str(tmp_path / "b"),
                           "--site-dir", str(locked / "site")])  # fmt: skip
    finally:
        locked.chmod(0o755)
    assert code == 2 and "cannot write here" in err


def test_a_full_disk_is_a_named_error_and_leaves_the_last_site(tmp_path, monkeypatch):
    import geo.build

    data = make_data_dir(tmp_path / "data")
    args = ["build", "--data-dir", str(data), *PERIOD, "--out-dir", str(tmp_path / "b"), "--site-dir",
            str(tmp_path / "site")]  # fmt: skip
    assert _main(args)[0] == 0
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    def full(root, store):
        raise OSError(errno.ENOSPC, "No space left on device", str(Path(root) / "files" / "x.html"))

    monkeypatch.setattr(geo.build, "write_files", full)
    code, err = _main([*args, "--force"])
    assert code == 2, err
    assert re.search(r"error: .*x\.html: no space left on the disk while writing the build \(fix: free some", err)
    assert "Traceback" not in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing left behind, site kept


def test_a_users_backup_beside_the_site_survives_a_rebuild(repo, tmp_path):
    data = make_data_dir(tmp_path / "data")
    assert _build(repo, data, tmp_path).returncode == 0
    backup = tmp_path / ".site-old"
    shutil.copytree(tmp_path / "site", backup, symlinks=True)  # cp -a site .site-old: the marker comes along
    (backup / "my-notes.txt").write_text("keep")
    for _ in range(2):
        proc = _build(repo, data, tmp_path, "--force")
        assert proc.returncode == 0, proc.stderr[-2000:]
    assert (backup / "my-notes.txt").read_text() == "keep" and (backup / "index.html").is_file()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p != backup]
    assert leftovers == []  # this run's own temporary folders are gone


# ---- messages that mislead ---------------------------------------------------------------------------------------


def test_a_symlinked_police_folder_is_read(repo, tmp_path):
    data = make_data_dir(tmp_path / "data")
    elsewhere = tmp_path / "kept-elsewhere"
    shutil.move(data / "police", elsewhere)
    (data / "police").mkdir()
    (data / "police" / "fixture").symlink_to(elsewhere, target_is_directory=True)
    proc = _build(repo, data, tmp_path, "--data-only")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads((tmp_path / "b" / "summary.json").read_text())["reconciliation"]["rows_read"] == 11


@pytest.mark.parametrize(
    "code,words",
    [
        ("W06000015", "W06000015.geojson: file not found"),  # well formed: the data directory lacks it
        ("S12000036", "'S12000036' is a Scottish council area: police.uk publishes no street-level data"),
    ],
)
def test_real_district_codes_outside_england_are_not_called_malformed(repo, tmp_path, code, words):
    proc = run(["build", "--data-dir", "fixture-data", "--district", code, "--site-dir", str(tmp_path / "s"),
                "--out-dir", str(tmp_path / "b")], repo)  # fmt: skip
    refused(proc, words)
    assert "is not an ONS district code" not in proc.stderr


def test_a_csv_cut_off_inside_its_last_row_is_called_truncated(repo, tmp_path):
    data = make_data_dir(tmp_path / "data")
    p = data / APRIL
    text = p.read_text().rstrip("\n")
    p.write_text(text[: text.rfind("Other crime") + 5])  # ends "…,Other": inside the Crime type, no newline
    proc = _build(repo, data, tmp_path)
    refused(proc, f"error: {p}, line 10, column 'Last outcome category'", "may be truncated", "download the file again")
    assert "indicators.csv" not in proc.stderr


def test_fetch_never_writes_into_the_bundle(repo, tmp_path):
    bundle = repo / "data" / "bundle"
    for args, env in ((["--data-dir", str(bundle)], {}), ([], {"GEO_DATA_DIR": str(bundle)})):
        proc = subprocess.run(
            [sys.executable, "-m", "geo", "fetch", *args, "--mirror", "http://127.0.0.1:9"],
            cwd=repo, env={**os.environ, "PYTHONPATH": str(repo), **env}, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        refused(proc, "never writes into the embedded data bundle", "fix: fetch into another folder")
        assert not (bundle / ".fetch-cache").exists()


# ---- no nan, inf, None or undefined on the built site ------------------------------------------------------------

_WORDS = re.compile(r"\b(nan|NaN|inf|Infinity|None|undefined)\b")


def _visible_text(html: str) -> str:
    m = re.search(r"<article.*?</article>", html, re.S)
    body = m.group(0) if m else html
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def _scan(site: Path) -> dict:
    found = {}
    for p in sorted(site.rglob("*")):
        if p.suffix == ".html" and "map-files" not in p.parts:
            text = _visible_text(p.read_text(encoding="utf-8"))
        elif p.suffix in (".csv", ".geojson", ".txt", ".json", ".webmanifest") and "search" not in p.name:
            text = p.read_text(encoding="utf-8")
        elif p.suffix == ".js" and any(part in ("field", "maps") for part in p.parts) and p.name != "field.js":
            text = p.read_text(encoding="utf-8")  # the data scripts the build writes (not the vendored library)
        else:
            continue
        hits = _WORDS.findall(text)
        if hits:
            found[p.relative_to(site).as_posix()] = hits[:5]
    return found


def test_the_default_site_has_no_nan_inf_none_or_undefined(site):
    assert _scan(site) == {}


def test_the_scan_finds_a_planted_nan(tmp_path):
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "x.csv").write_text("ward,rate\nA,nan\n")
    (tmp_path / "p.html").write_text('<article class="md-content__inner">ratio inf (0.19 to inf)</article>')
    assert _scan(tmp_path) == {"downloads/x.csv": ["nan"], "p.html": ["inf", "inf"]}


def test_a_ratio_with_nothing_before_reads_as_words():
    import pandas as pd

    from geo.analysis.change import compare_counts, ratio_text

    rows = compare_counts(pd.Series([0, 0, 5]), pd.Series([0, 3, 5]))
    assert [ratio_text(r) for _, r in rows.iterrows()] == [
        "no records in either period",
        "none before, so no ratio",
        "1.00 (0.23 to 4.35)",
    ]
    assert rows["verdict"].tolist()[0] == "no records" and rows["p_value"].isna().tolist() == [True, False, False]


def test_sentinels_of_the_shared_repo_copy_survive(repo):
    assert len(sorted(repo.rglob(SENTINEL))) == 5
