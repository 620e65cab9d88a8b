"""Where a build's time goes: named stages timed as they run, for the benchmark's profile
(``scripts/benchmark.py --only build``) and the debug log. Nothing here changes what a build writes.

>>> with stage("example"):
...     pass
>>> "example" in TIMES
True
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

log = logging.getLogger(__name__)

TIMES: dict[str, float] = {}
"""Seconds per stage name in this process, summed over repeats (e.g. a section run once per vintage)."""


@contextmanager
def stage(name: str):
    """Time the ``with`` block under ``name`` (added to :data:`TIMES`, logged at debug level)."""
    t = time.perf_counter()
    try:
        yield
    finally:
        took = time.perf_counter() - t
        TIMES[name] = TIMES.get(name, 0.0) + took
        log.debug("%s: %.2f s", name, took)
