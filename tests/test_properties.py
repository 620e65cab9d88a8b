"""Property: whatever damage is done to the fixture's inputs, the build either succeeds with every police.uk row
accounted for, or stops with exit 2 and a message naming the file. It never leaks a traceback.

Seeded (``derandomize``) and bounded, so that it runs in well under a minute and gives the same cases every time.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.cli import main
from geo.config import PROJECT_ROOT
from tests.fixtures import DISTRICT, make_data_dir

POLICE = "police/2012-04-fixture-street.csv"
MAY = "police/2012-05-fixture-street.csv"
IMD = "deprivation/imd-2010-lsoa01-england.csv"
INDICATORS = "indicators.csv"
"""A copy of data/indicators.csv put in the data directory and given to the build with --indicators."""
CENSUS = "population/census-2011-lsoa11-kent.csv"
LOOKUP = "lookups/lsoa11-to-ward-kent.csv"
WARDS = f"boundaries/wards-2013-kent/{DISTRICT}.geojson"

NASTY = [
    "",
    " ",
    "abc",
    "0",
    "-1",
    "1e999",
    "nan",
    "NULL",
    "2012-13",
    "E01000001",
    "E05000002",
    "E07000111",
    "51.27",
    "0.52",
    "10.5",
    'a "quoted" value',
    "two\nlines",
    "comma, inside",
    "\u00e9t\u00e9",
    "Anti-social behaviour",
    "Drugs",
    "inf",
    "1e6",
    "id-1",
    "Knife crimes",
    "99",
    "Rainbow",
]

cells = st.tuples(st.integers(0, 20), st.integers(0, 12), st.sampled_from(NASTY))


def _edit_csv(path: Path, row: int, col: int, value: str | None) -> None:
    """Set one cell (``value``), or delete the row (``None``); indices wrap so every draw hits the table."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    r = row % len(rows)
    if value is None:
        if r:
            del rows[r]
    else:
        rows[r][col % len(rows[r])] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _copy_row(data: Path, row: int, to_may: bool) -> None:
    """Append a copy of an April row to April (a duplicated row) or, relabelled, to May (a cross-month row)."""
    with open(data / POLICE, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    copy = list(rows[1 + row % (len(rows) - 1)])
    target = data / (MAY if to_may else POLICE)
    if to_may:
        copy[1] = "2012-05"
    with open(target, "a", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow(copy)


def _edit_wards(path: Path, feature: int, op: str) -> None:
    gj = json.loads(path.read_text())
    f = gj["features"][feature % len(gj["features"])]
    ring = f["geometry"]["coordinates"][0]
    if op == "drop":
        gj["features"].remove(f)
    elif op == "code":
        f["properties"]["WD13CD"] = "E05000777"
    elif op == "name":
        f["properties"]["WD13NM"] = ""
    elif op == "shift":  # 700 m east: overlaps a neighbour
        f["geometry"]["coordinates"][0] = [[x + 700, y] for x, y in ring]
    elif op == "swap":
        f["geometry"]["coordinates"][0] = [[y, x] for x, y in ring]
    elif op == "3d":
        f["geometry"]["coordinates"][0] = [[x, y, 0.0] for x, y in ring]
    elif op == "wgs84":  # the metres declared as degrees
        gj["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    path.write_text(json.dumps(gj))


mutations = st.lists(
    st.one_of(
        st.tuples(st.just(POLICE), cells),
        st.tuples(st.just(CENSUS), cells),
        st.tuples(st.just(LOOKUP), cells),
        st.tuples(st.just(IMD), cells),
        st.tuples(st.just(INDICATORS), cells),
        st.tuples(st.just("copy"), st.tuples(st.integers(0, 9), st.booleans())),
        st.tuples(st.sampled_from([POLICE, CENSUS, LOOKUP]), st.tuples(st.integers(1, 9), st.just(0), st.none())),
        st.tuples(
            st.just(WARDS),
            st.tuples(st.integers(0, 2), st.sampled_from(["drop", "code", "name", "shift", "swap", "3d", "wgs84"])),
        ),
    ),
    min_size=1,
    max_size=3,
)


def _police_rows(data: Path) -> int:
    n = 0
    for p in sorted((data / "police").glob("*.csv")):
        with open(p, newline="", encoding="utf-8") as f:
            n += sum(1 for row in list(csv.reader(f))[1:] if any(cell.strip() for cell in row))
    return n


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutations)
def test_damaged_inputs_build_balanced_or_stop_naming_the_file(changes):
    with tempfile.TemporaryDirectory() as tmp:
        data = make_data_dir(Path(tmp) / "data")
        shutil.copy(PROJECT_ROOT / "data" / "indicators.csv", data / INDICATORS)
        for rel, change in changes:
            if rel == WARDS:
                _edit_wards(data / rel, *change)
            elif rel == "copy":
                _copy_row(data, *change)
            else:
                _edit_csv(data / rel, *change)
        err = io.StringIO()
        args = ["build", "--data-dir", str(data), "--district", DISTRICT, "--start", "2012-04", "--end", "2012-05",
                "--indicators", str(data / INDICATORS)]  # fmt: skip
        with contextlib.redirect_stderr(err):
            code = main([*args, "--out-dir", str(Path(tmp) / "b"), "--data-only"])  # any other exception fails
        if code == 0:
            summary = json.loads((Path(tmp) / "b" / "summary.json").read_text())
            rec = summary["reconciliation"]
            parts = sum(rec[k] for k in ("in_ward", "outside_district", "no_location", "out_of_period", "repeated"))
            assert rec["rows_read"] == parts == _police_rows(data), (changes, rec)
            assert summary["wards"] == 3 and summary["population"] == 4000, changes
        else:
            assert code == 2, (changes, err.getvalue())
            message = err.getvalue()
            assert "error: " + str(data) in message and "Traceback" not in message, (changes, message)


REPORT_TABLES = sorted(p.stem for p in (PROJECT_ROOT / "data" / "report").glob("*.csv"))
report_cells = st.tuples(st.sampled_from(REPORT_TABLES), st.integers(0, 30), st.integers(0, 12), st.sampled_from(NASTY))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(report_cells, min_size=1, max_size=3))
def test_damaged_report_tables_check_and_render_or_name_the_file(changes):
    """Any damage to a copy of the assessment's tables: the checks run and every table renders, or an InputError
    names a file of the copy with its line and column (never a traceback of another kind)."""
    from geo.analysis import report
    from geo.errors import InputError
    from geo.read.report_tables import report_tables
    from geo.render import report as narrative

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "report"
        shutil.copytree(PROJECT_ROOT / "data" / "report", copy)
        for name, row, col, value in changes:
            _edit_csv(copy / f"{name}.csv", row, col, value)
        try:
            tables = report_tables(copy)
            flags = report.all_flags(tables)
            for name in narrative.TABLES:
                narrative.report_table(name, tables[name], flags)
        except InputError as exc:
            assert Path(exc.path).parent == copy, (changes, str(exc))
            assert exc.row is not None or "no row" in str(exc) or "empty" in str(exc), (changes, str(exc))
