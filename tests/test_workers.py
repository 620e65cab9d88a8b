"""The site's vintages built in processes of their own (issue 29, item 3): the same output, byte for byte, as one
process; a worker's error raised in the build as it was; bad ``--jobs`` refused."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from geo.build import build
from geo.cli import main
from geo.config import Period
from geo.errors import InputError
from tests.fixtures import APRIL_BY_LSOA, make_data_dir


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_vintages_in_two_processes_make_the_same_files_as_one(config, tmp_path):
    data = make_data_dir(tmp_path / "data", april=APRIL_BY_LSOA)  # every LSOA has a record, as comparing needs
    cfg = replace(config, data_dir=data, also=(config.period,))  # the same months again, as a second vintage
    one = build(replace(cfg, out_dir=tmp_path / "one"), jobs=1).out_dir
    two = build(replace(cfg, out_dir=tmp_path / "two"), jobs=2).out_dir
    a, b = _files(one), _files(two)
    assert any(k.startswith("docs/2012-04-to-2012-05/wards/") for k in a), sorted(a)[:5]
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_a_workers_input_error_is_raised_as_it_was(config, tmp_path):
    cfg = replace(config, out_dir=tmp_path / "b", also=(Period("2012-07", "2012-08"),))  # no such files
    with pytest.raises(InputError) as err:
        build(cfg, jobs=2)
    assert "no police.uk file for 2012-07" in str(err.value) and err.value.path.endswith("police")
    assert not (tmp_path / "b").exists()  # nothing was written


@pytest.mark.parametrize("jobs", [1, 2])
def test_years_that_cannot_be_compared_are_an_input_error(config, tmp_path, jobs):
    """The fixture's LSOA E01000004 has no record in the period, so the comparison of two vintages cannot place
    its residents by snap points: an error naming the police files, not a traceback."""
    cfg = replace(config, out_dir=tmp_path / "b", also=(config.period,))
    with pytest.raises(InputError) as err:
        build(cfg, jobs=jobs)
    assert "E01000004" in str(err.value) and err.value.path.endswith("police") and err.value.fix
    assert not (tmp_path / "b").exists()


def test_an_input_error_survives_pickling_whole():
    exc = InputError("police/2012-04.csv", "not a number: 'x'", row=3, column="Longitude", fix="fix it")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is InputError and str(back) == str(exc)
    assert (back.path, back.detail, back.row, back.column, back.fix) == (exc.path, exc.detail, 3, "Longitude", "fix it")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_bad_jobs_are_refused(jobs, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--jobs", jobs])
    assert exit_.value.code == 2 and "--jobs" in capsys.readouterr().err
