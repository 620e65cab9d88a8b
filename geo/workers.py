"""Each vintage of the site built in a process of its own, so that a two-core machine builds the assessment and
today at once (issue 29).

A worker makes its vintage's context, sends what the other vintages need of it (:func:`geo.vintages.link_of`),
waits for theirs, then runs its sections and sends back their :class:`geo.site.Part`. This process only relays the
links (as the bytes they came in) and gathers the parts in vintage order, so the output is the same, byte for byte,
as a build in one process (``--jobs 1``), which runs the same steps one after another.

A worker is a new Python process (``python -m geo.vintages``: :func:`geo.vintages.work`) that talks over its
standard input and output in length-prefixed pickles. Not a fork: a forked copy of a process that has used
convertbng inherits its Rust thread pool locked and hangs (as a test process would); and not
:mod:`multiprocessing`'s spawn, which runs the caller's main script again in each worker, so a script calling the
build without a ``__main__`` guard would build in a loop. Workers are started before this process imports any heavy
library, so their imports overlap. A worker that fails sends its exception, raised here as it was (an
:class:`~geo.errors.InputError` stays one, with exit 2); a worker that dies is an error naming its vintage; on any
error, or a SIGTERM here, every worker is stopped.
"""

from __future__ import annotations

import logging
import os
import pickle
import struct
import subprocess
import sys
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


def run(vintages: list) -> list:
    """Every vintage's :class:`geo.site.Part`, in vintage order, each made in a worker of its own (see the
    module's docstring); ``vintages`` is :func:`plan`'s."""
    level = logging.getLogger().getEffectiveLevel()
    root = str(Path(__file__).resolve().parents[1])  # the worker imports this very package
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
    procs = []
    try:
        for i, (cfg, prefix) in enumerate(vintages):
            proc = subprocess.Popen([sys.executable, "-m", "geo.vintages"], stdin=PIPE, stdout=PIPE, env=env)
            procs.append(proc)
            send(proc.stdin, pickle.dumps((cfg, prefix, i, len(vintages), level)))
        names = [prefix.strip("/") or "assessment" for _, prefix in vintages]
        links = [_receive(p, name) for p, name in zip(procs, names, strict=True)]
        every = pickle.dumps(links)
        for proc in procs:
            send(proc.stdin, every)
        parts = [pickle.loads(_receive(p, name)) for p, name in zip(procs, names, strict=True)]
        for proc, name in zip(procs, names, strict=True):
            if proc.wait() != 0:
                raise RuntimeError(f"the build worker of vintage {name} ended with exit code {proc.returncode}")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                pipe.close()
    for part in parts:
        for name, secs in part.times.items():
            TIMES[name] = TIMES.get(name, 0.0) + secs
    return parts


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


def _receive(proc, name: str) -> bytes:
    """A worker's next result as bytes, or its exception raised here."""
    message = read(proc.stdout)
    if message is None:
        raise RuntimeError(
            f"the build worker of vintage {name} stopped without a result (exit code {proc.wait()}); "
            "run `python -m geo build --jobs 1` to see the error in this process"
        )
    if message[:1] == FAILED:
        exc, where = pickle.loads(message[1:])
        log.debug("in the build worker of %s:\n%s", name, where)
        raise exc
    return message[1:]
