"""The site's vintages built in processes of their own (issue 29, item 3): the same output, byte for byte, as one
process; a worker's error raised in the build as it was; bad ``--jobs`` refused."""

from __future__ import annotations

import os
import pickle
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest

from geo import workers
from geo.build import build
from geo.cli import main
from geo.config import Period
from geo.errors import InputError
from tests.fixtures import APRIL_BY_LSOA, make_data_dir


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fork", [True, False] if workers.FORK else [False])
def test_two_vintages_in_two_processes_make_the_same_files_as_one(config, tmp_path, monkeypatch, fork):
    """Forked from one process that imported the analysis (Linux), or each a new process (elsewhere)."""
    monkeypatch.setattr(workers, "FORK", fork)
    data = make_data_dir(tmp_path / "data", april=APRIL_BY_LSOA)  # every LSOA has a record, as comparing needs
    cfg = replace(config, data_dir=data, also=(config.period,))  # the same months again, as a second vintage
    one = build(replace(cfg, out_dir=tmp_path / "one"), jobs=1).out_dir
    two = build(replace(cfg, out_dir=tmp_path / "two"), jobs=2).out_dir
    a, b = _files(one), _files(two)
    assert any(k.startswith("docs/2012-04-to-2012-05/wards/") for k in a), sorted(a)[:5]
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


@pytest.mark.parametrize("fork", [True, False] if workers.FORK else [False])
def test_a_workers_input_error_is_raised_as_it_was(config, tmp_path, monkeypatch, fork):
    monkeypatch.setattr(workers, "FORK", fork)
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


def _processes(field: int, value: int) -> list[int]:
    """Live (not zombie) processes whose ``/proc/<pid>/stat`` field after the name is ``value`` (1: the parent,
    2: the process group)."""
    out = []
    for d in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if stat[0] != "Z" and int(stat[field]) == value:
            out.append(int(d))
    return out


def _children(pid: int) -> list[int]:
    return _processes(1, pid)


@pytest.mark.skipif(not workers.FORK, reason="workers are forked on Linux only")
def test_a_forked_worker_killed_stops_the_build_and_leaves_nothing_running(config, tmp_path, monkeypatch):
    """A worker killed mid-build (as the out-of-memory killer would): the build stops with an error naming its
    vintage, the other worker and the process they were forked from are stopped, and no folder is left."""
    data = make_data_dir(tmp_path / "data", april=APRIL_BY_LSOA)
    cfg = replace(config, data_dir=data, out_dir=tmp_path / "b", also=(config.period,))
    started = []
    real = workers.Forked.__init__

    def forked(self, count):
        real(self, count)
        started.append(self.proc.pid)
        deadline = time.monotonic() + 60
        while len(_children(self.proc.pid)) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(_children(self.proc.pid)) == count, "the workers were not forked"
        os.kill(max(_children(self.proc.pid)), signal.SIGKILL)  # the second vintage's worker

    monkeypatch.setattr(workers.Forked, "__init__", forked)
    with pytest.raises(RuntimeError, match="build worker of vintage 2012-04-to-2012-05/? stopped without a result"):
        build(cfg, jobs=2)
    # nothing of the process group outlives the build: each was sent SIGKILL, which a loaded machine may take a
    # moment to carry out (a killed process frees its memory before it is gone)
    deadline = time.monotonic() + 30
    while _processes(2, started[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes(2, started[0]) == []
    assert not (tmp_path / "b").exists()


def test_a_message_to_a_worker_that_is_gone_is_an_error_naming_its_vintage():
    """A worker that died before it read its job (its end of the pipe closed): the build says which, instead of a
    BrokenPipeError."""

    class Gone:
        def __init__(self):
            r, w = os.pipe()
            os.close(r)
            self.channels = [(os.fdopen(w, "wb"), None)]

        def exit_code(self, i):
            return 9

    gone = Gone()
    with pytest.raises(RuntimeError, match=r"vintage 2025 stopped without a result \(exit code 9\)"):
        workers._send(gone.channels[0], b"x" * 100, "2025", gone)
    workers._close(gone.channels[0][0])  # the bytes it could not take are dropped, not raised


@pytest.mark.skipif(not workers.FORK, reason="workers are forked on Linux only")
def test_a_forking_process_that_cannot_start_leaves_no_pipe_open(monkeypatch):
    def cannot(*args, **kwargs):
        raise OSError("cannot start")

    before = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(workers.subprocess, "Popen", cannot)
    with pytest.raises(OSError, match="cannot start"):
        workers.Forked(2)
    assert len(os.listdir("/proc/self/fd")) == before
