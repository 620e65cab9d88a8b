"""Each vintage of the site built in a process of its own, so that a two-core machine builds the assessment and
today at once (issue 29).

A worker makes its vintage's context, sends what the other vintages need of it (:func:`geo.vintages.link_of`),
waits for theirs, then runs its sections and sends back their :class:`geo.site.Part`. This process only relays the
links (as the bytes they came in) and gathers the parts in vintage order, so the output is the same, byte for byte,
as a build in one process (``--jobs 1``), which runs the same steps one after another.

On Linux the workers are forked from one new Python process (``python -m geo.vintages --fork``:
:func:`geo.vintages.fork_workers`) that imports the analysis once, so that they share the memory of those imports
(:class:`Forked`); elsewhere each is a new process of its own (``python -m geo.vintages``, :class:`Spawned`). Either
way a worker runs :func:`geo.vintages.work` and talks in length-prefixed pickles. Not a fork of this process: a
forked copy of a process that has used convertbng inherits its Rust thread pool locked and hangs (as a test process
would); and not :mod:`multiprocessing`'s spawn, which runs the caller's main script again in each worker, so a
script calling the build without a ``__main__`` guard would build in a loop. The workers are started before this
process imports any heavy library, so that their work overlaps its own. A worker that fails sends its exception,
raised here as it was (an :class:`~geo.errors.InputError` stays one, with exit 2); a worker that dies is an error
naming its vintage; on any error, or a SIGTERM here, every worker is stopped.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from subprocess import PIPE

from geo.config import Config, vintage_prefix
from geo.timing import TIMES

log = logging.getLogger(__name__)

OK, FAILED = b"K", b"E"
"""The first byte of every message from a worker: what follows is its result, or its exception."""


def default_jobs() -> int:
    """Processes to build vintages in: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan(config: Config) -> list[tuple[Config, str]]:
    """Each vintage's configuration and prefix: ``config``'s at the site root, then one per ``config.also``."""
    later = [(replace(config, period=p, mentions_file=None, also=()), vintage_prefix(p)) for p in config.also]
    return [(config, ""), *later]


FORK = sys.platform == "linux"
"""Whether the workers are forked from one process that has imported the analysis once (see :class:`Forked`);
elsewhere each is a new process (:class:`Spawned`)."""


def run(vintages: list) -> list:
    """Every vintage's :class:`geo.site.Part`, in vintage order, each made in a worker of its own (see the
    module's docstring); ``vintages`` is :func:`plan`'s."""
    level = logging.getLogger().getEffectiveLevel()
    names = [prefix.strip("/") or "assessment" for _, prefix in vintages]
    workers = (Forked if FORK else Spawned)(len(vintages))
    try:
        for i, ((cfg, prefix), c, name) in enumerate(zip(vintages, workers.channels, names, strict=True)):
            _send(c, pickle.dumps((cfg, prefix, i, len(vintages), level)), name, workers)
        links = [_receive(c, name, workers) for c, name in zip(workers.channels, names, strict=True)]
        every = pickle.dumps(links)
        for c, name in zip(workers.channels, names, strict=True):
            _send(c, every, name, workers)
        parts = [pickle.loads(_receive(c, name, workers)) for c, name in zip(workers.channels, names, strict=True)]
        workers.finish(names)
    finally:
        workers.stop()
    for part in parts:
        for name, secs in part.times.items():
            TIMES[name] = TIMES.get(name, 0.0) + secs
    return parts


def _environment() -> dict:
    """This environment, with this very package first on the path of the process started."""
    root = str(Path(__file__).resolve().parents[1])
    return os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}


class Spawned:
    """A new process per vintage (``python -m geo.vintages``), talking over its standard input and output."""

    def __init__(self, count: int):
        self.procs = []
        try:
            for _ in range(count):
                cmd = [sys.executable, "-m", "geo.vintages"]
                self.procs.append(subprocess.Popen(cmd, stdin=PIPE, stdout=PIPE, env=_environment()))
        except BaseException:
            self.stop()
            raise
        self.channels = [(p.stdin, p.stdout) for p in self.procs]

    def exit_code(self, i: int) -> int | None:
        return self.procs[i].wait()

    def finish(self, names: list[str]) -> None:
        for proc, name in zip(self.procs, names, strict=True):
            if proc.wait() != 0:
                raise RuntimeError(f"the build worker of vintage {name} ended with exit code {proc.returncode}")

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            _close(proc.stdin, proc.stdout)


class Forked:
    """One new process (``python -m geo.vintages --fork``) imports the analysis once, then forks a worker per
    vintage, which shares those imports' memory with it and with the other workers; each worker talks over a pair
    of pipes of its own. Nothing has run convertbng in that process before it forks (see the module's docstring).
    The process and its workers form a process group of their own, stopped together."""

    def __init__(self, count: int):
        self.finished = False
        pipes = [(os.pipe(), os.pipe()) for _ in range(count)]  # (to the worker, from the worker)
        theirs = [(to[0], back[1]) for to, back in pipes]
        cmd = [sys.executable, "-m", "geo.vintages", "--fork"]
        try:
            self.proc = subprocess.Popen(
                cmd, stdin=PIPE, env=_environment(), pass_fds=[fd for pair in theirs for fd in pair], process_group=0
            )
        except BaseException:  # no process: this end of every pipe is nobody's either
            for to, back in pipes:
                os.close(to[1])
                os.close(back[0])
            raise
        finally:  # the workers' ends are theirs alone
            for fd in (fd for pair in theirs for fd in pair):
                os.close(fd)
        self.channels = [(os.fdopen(to[1], "wb"), os.fdopen(back[0], "rb")) for to, back in pipes]
        send(self.proc.stdin, pickle.dumps(theirs))
        self.proc.stdin.close()

    def exit_code(self, i: int) -> int | None:
        return None  # a worker is the forking process's child, not this one's

    def finish(self, names: list[str]) -> None:
        if self.proc.wait() != 0:
            raise RuntimeError(f"a build worker ended badly (the forking process's exit code {self.proc.returncode})")
        self.finished = True  # it waited for every worker

    def stop(self) -> None:
        if not self.finished:  # it, and any worker still running even if it died
            with suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        for pipes in self.channels:
            _close(*pipes)


def send(pipe, payload: bytes) -> None:
    pipe.write(struct.pack(">Q", len(payload)) + payload)
    pipe.flush()


def read(pipe) -> bytes | None:
    head = pipe.read(8)
    if len(head) < 8:
        return None
    size = struct.unpack(">Q", head)[0]
    payload = pipe.read(size)
    return payload if len(payload) == size else None


def _close(*pipes) -> None:
    """Close pipes to and from a worker that may have died (data still buffered for it cannot be written)."""
    for pipe in pipes:
        with suppress(OSError):
            pipe.close()


def _gone(channel, name: str, workers) -> RuntimeError:
    code = workers.exit_code(workers.channels.index(channel))
    return RuntimeError(
        f"the build worker of vintage {name} stopped without a result"
        + (f" (exit code {code})" if code is not None else "")
        + "; run `python -m geo build --jobs 1` to see the error in this process"
    )


def _send(channel, payload: bytes, name: str, workers) -> None:
    """Send a worker a message; a worker that is gone is an error naming its vintage."""
    try:
        send(channel[0], payload)
    except BrokenPipeError:
        raise _gone(channel, name, workers) from None


def _receive(channel, name: str, workers) -> bytes:
    """A worker's next result as bytes, or its exception raised here."""
    message = read(channel[1])
    if message is None:
        raise _gone(channel, name, workers)
    if message[:1] == FAILED:
        exc, where = pickle.loads(message[1:])
        log.debug("in the build worker of %s:\n%s", name, where)
        raise exc
    return message[1:]
