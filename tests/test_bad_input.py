"""Every kind of broken input gives one InputError naming the file, the line and the column."""

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest

from geo.config import Config, resolve_data_dir
from geo.context import tables_of
from geo.errors import InputError
from geo.read.inputs import load_inputs
from geo.read.io import read_table
from tests.fixtures import DISTRICT, POLICE_HEADER, X0, Y0, police_row, write_csv

APRIL = "police/2012-04-fixture-street.csv"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture has no {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _police(rows):
    def mutate(d):
        write_csv(d / APRIL, POLICE_HEADER, rows)

    return mutate


def _line_edit(rel, line_no, fn):
    def mutate(d):
        p = d / rel
        lines = p.read_text(encoding="utf-8").split("\n")
        lines[line_no - 1] = fn(lines[line_no - 1])
        p.write_text("\n".join(lines), encoding="utf-8")

    return mutate


def _set_field(rel, line_no, col, value):
    def fn(line):
        parts = line.split(",")
        parts[col] = value
        return ",".join(parts)

    return _line_edit(rel, line_no, fn)


def _wards_json(d):
    return d / "boundaries" / "wards-2013-kent" / f"{DISTRICT}.geojson"


def _wards_edit(fn):
    def mutate(d):
        p = _wards_json(d)
        gj = json.loads(p.read_text())
        fn(gj)
        p.write_text(json.dumps(gj, indent=1))  # one property a line, so each feature has lines of its own

    return mutate


def _dup_code(gj):
    gj["features"][1]["properties"]["WD13CD"] = gj["features"][0]["properties"]["WD13CD"]


def _overlap(gj):
    gj["features"][1]["geometry"] = gj["features"][0]["geometry"]  # Bravo drawn over Alpha


def _metres_no_crs(gj):
    gj.pop("crs", None)
    for f in gj["features"]:
        f["geometry"]["coordinates"] = [[[X0 + x, Y0 + y] for x, y in ((0, 0), (1000, 0), (1000, 1000), (0, 0))]]


def _point_geometry(gj):
    gj["features"][2]["geometry"] = {"type": "Point", "coordinates": [0.5, 51.2]}


def _bowtie(gj):
    (x0, y0), (x1, y1) = gj["features"][0]["geometry"]["coordinates"][0][0:3:2]
    gj["features"][0]["geometry"]["coordinates"] = [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]]


def _gz_truncated(d):
    p = d / APRIL
    data = gzip.compress(p.read_bytes())
    p.unlink()
    (d / (APRIL + ".gz")).write_bytes(data[: len(data) // 2])


def _delete(rel):
    return lambda d: (d / rel).unlink()


def _semicolons(d):
    p = d / APRIL
    p.write_text(p.read_text().replace(",", ";"))


def _truncate_last_row(d):
    p = d / APRIL
    text = p.read_text().rstrip("\n")
    p.write_text(text[: text.rfind(",Other crime")] + "\n")


def _second_april(d):
    (d / "police" / "kent").mkdir()
    (d / "police" / "kent" / "2012-04-kent-street.csv").write_text((d / APRIL).read_text())


def _unreadable(d):
    p = d / "population" / "census-2011-lsoa11-kent.csv"
    p.unlink()
    p.mkdir()  # a folder where the file should be: cannot be read, even as root


CASES = {
    "missing column": (
        _line_edit(APRIL, 1, lambda s: s.replace("Crime type", "Crime kind")),
        APRIL,
        1,
        "Crime type",
        "missing column",
    ),
    "unparsable coordinate": (_set_field(APRIL, 3, 4, "0.5x"), APRIL, 3, "Longitude", "not a number"),
    "swapped longitude/latitude": (
        _police([["", "2012-04", "K", "K", "51.27", "0.52", "x", "", "", "Drugs", "", ""]]),
        APRIL,
        2,
        "Longitude",
        "swapped",
    ),
    "coordinate outside the UK": (
        _police([["", "2012-04", "K", "K", "10.5", "51.2", "x", "", "", "Drugs", "", ""]]),
        APRIL,
        2,
        "Longitude",
        "outside the United Kingdom",
    ),
    "half a coordinate": (_set_field(APRIL, 2, 5, ""), APRIL, 2, "Latitude", "without its partner"),
    "month not the file's": (_set_field(APRIL, 4, 1, "2012-06"), APRIL, 4, "Month", "2012-06"),
    "excel month": (_set_field(APRIL, 4, 1, "Apr-12"), APRIL, 4, "Month", "not a month"),
    "empty police file": (lambda d: (d / APRIL).write_text(""), APRIL, None, None, "empty"),
    "truncated row": (_truncate_last_row, APRIL, 10, "Crime type", "9 fields where the header has 12"),
    "wrong delimiter": (_semicolons, APRIL, 1, None, "delimiter"),
    "truncated gzip": (_gz_truncated, APRIL + ".gz", None, None, "gzip"),
    "unknown crime category": (_set_field(APRIL, 2, 9, "Jaywalking"), APRIL, 2, "Crime type", "Jaywalking"),
    "unknown outcome": (
        _set_field(APRIL, 3, 10, "Given a stern look"),
        APRIL,
        3,
        "Last outcome category",
        "Given a stern look",
    ),
    "two files for one month": (_second_april, "police/kent/2012-04-kent-street.csv", None, None, "second file"),
    "missing month": (_delete("police/2012-05-fixture-street.csv"), "police", None, None, "2012-05"),
    "duplicate ward codes": (_wards_edit(_dup_code), _wards_json, 48, "WD13CD", "feature 2: duplicate"),
    "metres without a CRS": (_wards_edit(_metres_no_crs), _wards_json, None, "geometry", "not longitude/latitude"),
    "not polygons": (_wards_edit(_point_geometry), _wards_json, 83, "geometry", "feature 3 (E05000003)"),
    "invalid polygon": (_wards_edit(_bowtie), _wards_json, 13, "geometry", "invalid polygon"),
    "overlapping wards": (_wards_edit(_overlap), _wards_json, 48, "geometry", "overlaps ward E05000001 (feature 1)"),
    "missing boundary file": (lambda d: _wards_json(d).unlink(), _wards_json, None, None, "not found"),
    "non-numeric population": (
        _set_field("population/census-2011-lsoa11-kent.csv", 3, 2, '"2,000"'),
        "population/census-2011-lsoa11-kent.csv",
        3,
        "all_usual_residents",
        "not a number",
    ),
    "excel-mangled LSOA code": (
        _set_field("population/census-2011-lsoa11-kent.csv", 2, 0, "1.00E+06"),
        "population/census-2011-lsoa11-kent.csv",
        2,
        "lsoa11_code",
        "not a E01",
    ),
    "unknown ward code in lookup": (
        _set_field("lookups/lsoa11-to-ward-kent.csv", 3, 2, "E05000777"),
        "lookups/lsoa11-to-ward-kent.csv",
        3,
        "WD13CD",
        "E05000777",
    ),
    "LSOA missing from the 2001-2011 lookup": (
        _line_edit(f"lookups/lsoa01-to-lsoa11-{DISTRICT}.csv", 3, lambda s: ""),
        f"lookups/lsoa01-to-lsoa11-{DISTRICT}.csv",
        None,
        None,
        "E01000002",
    ),
    "district LSOA missing from the lookup": (
        _line_edit("lookups/lsoa11-to-ward-kent.csv", 2, lambda s: ""),
        "lookups/lsoa11-to-ward-kent.csv",
        None,
        "LSOA11CD",
        "'E01000001' of district E07000999 (line 2 of census-2011-lsoa11-kent.csv) is missing",
    ),
    "ward with no LSOA in the lookup": (
        _set_field("lookups/lsoa11-to-ward-kent.csv", 2, 2, "E05000002"),
        "lookups/lsoa11-to-ward-kent.csv",
        None,
        None,
        "E05000001",
    ),
    "duplicate LSOA in IMD": (
        _line_edit("deprivation/imd-2010-lsoa01-england.csv", 3, lambda s: s.replace("E01000002", "E01000001")),
        "deprivation/imd-2010-lsoa01-england.csv",
        3,
        "lsoa01_code",
        "duplicate",
    ),
    "IMD decile out of range": (
        _set_field("deprivation/imd-2010-lsoa01-england.csv", 2, 12, "11"),
        "deprivation/imd-2010-lsoa01-england.csv",
        2,
        "IMD_decile",
        "outside",
    ),
    "unreadable file": (_unreadable, "population/census-2011-lsoa11-kent.csv", None, None, "cannot read"),
    "not UTF-8": (
        lambda d: (d / APRIL).write_bytes((d / APRIL).read_bytes().replace(b"Test", b"T\xe9st")),
        APRIL,
        2,
        None,
        "UTF-8",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_names_file_row_and_column(case, data_dir, config):
    mutate, rel, row, column, words = CASES[case]
    mutate(data_dir)
    with pytest.raises(InputError) as exc:
        tables_of(config)
    err = exc.value
    expected = rel(data_dir) if callable(rel) else data_dir / rel
    assert Path(err.path).resolve() == expected.resolve(), str(err)
    assert err.row == row, str(err)
    assert err.column == column, str(err)
    assert words in str(err)
    assert str(expected.name) in str(err)


def test_bom_is_accepted(data_dir, config):
    p = data_dir / APRIL
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    assert tables_of(config).reconciliation.rows_read == 11


def test_gzipped_police_file_is_read(data_dir, config):
    p = data_dir / APRIL
    (data_dir / (APRIL + ".gz")).write_bytes(gzip.compress(p.read_bytes()))
    p.unlink()
    assert tables_of(config).reconciliation.rows_read == 11


def test_partial_period_allowed_on_request(config, data_dir):
    (data_dir / "police/2012-05-fixture-street.csv").unlink()
    cfg = replace(config, allow_partial=True)
    rec = tables_of(cfg).reconciliation
    assert rec.missing_months == ("2012-05",) and "no file: 2012-05" in rec.text()


def test_empty_data_dir(tmp_path):
    (tmp_path / "empty").mkdir()
    cfg = Config(district=DISTRICT, data_dir=tmp_path / "empty", out_dir=tmp_path / "b")
    with pytest.raises(InputError, match="missing or empty"):
        load_inputs(cfg)


def test_data_dir_resolution(tmp_path):
    assert resolve_data_dir(tmp_path) == tmp_path.resolve()
    assert resolve_data_dir(None, {"GEO_DATA_DIR": str(tmp_path)}) == tmp_path.resolve()
    assert resolve_data_dir(tmp_path / "x" if False else tmp_path, {"GEO_DATA_DIR": "/nonexistent"}) == tmp_path
    with pytest.raises(InputError, match="does not exist"):
        resolve_data_dir(tmp_path / "nope")
    with pytest.raises(InputError, match="GEO_DATA_DIR"):
        resolve_data_dir(None, {"GEO_DATA_DIR": str(tmp_path / "nope")})


def test_read_table_reports_malformed_csv(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('a,b\n1,2\n3,"4\n')
    with pytest.raises(InputError) as exc:
        read_table(p, {"a": "int"})
    assert "t.csv" in str(exc.value)


def test_fixture_police_row_shape():
    assert len(police_row("2012-04", X0, Y0, "Drugs")) == len(POLICE_HEADER)
