"""The embedded default data bundle: complete, small, checked against its manifest, and the default."""

import csv
import shutil

import pytest

from geo.config import resolve_data_dir
from geo.errors import InputError
from geo.read.bundle import BUNDLE_DIR, MANIFEST, MANIFEST_COLUMNS, verify_bundle
from geo.read.manifest import sha256


def _rows():
    with open(BUNDLE_DIR / MANIFEST, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_bundle_is_the_default_data_directory():
    assert resolve_data_dir(None, {}) == BUNDLE_DIR
    assert verify_bundle(BUNDLE_DIR) == len(_rows())


def test_manifest_lists_every_file_with_publisher_licence_source_and_checksum():
    rows = _rows()
    assert tuple(rows[0]) == MANIFEST_COLUMNS
    files = sorted(p.relative_to(BUNDLE_DIR).as_posix() for p in BUNDLE_DIR.rglob("*") if p.is_file())
    assert sorted(r["path"] for r in rows) == [f for f in files if f not in (MANIFEST, "README.md")]
    for r in rows:
        assert r["publisher"] and r["licence"] == "Open Government Licence v3.0", r
        assert r["source_url"].startswith("https://"), r
        assert (
            sha256(BUNDLE_DIR / r["path"]) == r["sha256"] and int(r["bytes"]) == (BUNDLE_DIR / r["path"]).stat().st_size
        )
    assert sum(int(r["bytes"]) for r in rows) < 20_000_000


@pytest.fixture
def copy(tmp_path):
    return shutil.copytree(BUNDLE_DIR, tmp_path / "bundle")


def test_a_changed_file_is_named(copy):
    f = copy / "lookups" / "lsoa11-to-ward-kent.csv"
    f.write_text(f.read_text().replace("Maidstone", "Maidstone ", 1))
    with pytest.raises(InputError, match="lsoa11-to-ward-kent.csv: differs from the bundle"):
        verify_bundle(copy)


def test_a_missing_file_is_named(copy):
    (copy / "police" / "maidstone" / "2012-07-maidstone-street.csv.gz").unlink()
    with pytest.raises(InputError, match="2012-07-maidstone-street.csv.gz: listed on line .* but missing"):
        verify_bundle(copy)


def test_an_unlisted_file_is_named(copy):
    (copy / "police" / "maidstone" / "2013-10-maidstone-street.csv").write_text("Month\n")
    with pytest.raises(InputError, match="2013-10-maidstone-street.csv: not listed"):
        verify_bundle(copy)


def test_the_build_stops_on_a_changed_bundle(copy, tmp_path, capsys):
    from geo.cli import main

    f = copy / "population" / "census-2011-lsoa11-kent.csv"
    f.write_bytes(f.read_bytes().replace(b",", b",", 1) + b"\n")
    code = main(["build", "--data-dir", str(copy), "--out-dir", str(tmp_path / "b"), "--data-only"])
    assert code == 2 and "census-2011-lsoa11-kent.csv: differs from the bundle" in capsys.readouterr().err
