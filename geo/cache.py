"""The build cache key: a hash of every input, computed without importing the heavy libraries.

A warm build (nothing changed) checks the key and stops here, which keeps it fast.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from geo.config import Config
from geo.read.hashing import sha256

STAMP = ".stamp"


def input_hash(config: Config) -> str:
    """Hash of everything a build depends on: config, input files (by content), tables and code."""
    h = hashlib.sha256()
    h.update(
        repr(
            (
                config.district,
                config.period,
                config.allow_partial,
                config.hotspot_cell_m,
                config.permutations,
                config.seed,
                config.also,
            )
        ).encode()
    )
    pkg, data_dir = Path(__file__).parent, Path(config.data_dir)
    files = [(Path(config.indicators_file), "indicators"), (Path(config.manifest_file), "manifest")]
    files.append((Path(config.outcomes_file), "outcomes"))
    files += [(p, "report/" + p.name) for p in sorted(Path(config.report_dir).glob("*.csv"))]
    if config.mentions_file:
        files.append((Path(config.mentions_file), "mentions"))
    files += [
        (p, p.relative_to(pkg).as_posix()) for p in sorted(pkg.rglob("*")) if p.suffix in (".py", ".j2", ".css", ".js")
    ]
    if data_dir.is_dir():
        files += [
            (p, p.relative_to(data_dir).as_posix())
            for p in sorted(data_dir.rglob("*"))
            if p.is_file()
            and p.name != "README.md"
            and not any(part.startswith(".") for part in p.relative_to(data_dir).parts)  # e.g. .fetch-cache
        ]
    for f, name in files:
        h.update(name.encode())
        try:
            h.update(sha256(f).encode())
        except OSError:  # unreadable: load_inputs reports it properly
            h.update(b"unreadable")
    return h.hexdigest()


def cached(config: Config) -> tuple[bool, str]:
    """Whether ``config.out_dir`` already holds the build of exactly these inputs, and their hash."""
    stamp = input_hash(config)
    f = Path(config.out_dir) / STAMP
    return (f.is_file() and f.read_text() == stamp), stamp
