"""The input manifest (``data/manifest.csv``): what each source is, who publishes it, and its licence."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from geo.io import read_table

COLUMNS = {
    "id": "text",
    "path": "text",
    "title": "text",
    "publisher": "text",
    "official_url": "text",
    "licence": "text",
    "attribution": "text",
    "period": "text",
    "notes": "str",
}


def manifest_from_csv(path: Path) -> pd.DataFrame:
    """Read the manifest (one row per source)."""
    df = read_table(path, COLUMNS)
    return df[list(COLUMNS)]


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_checksums(files, data_dir: Path) -> pd.DataFrame:
    """``file`` (relative to the data directory), ``bytes`` and ``sha256`` of each input file, sorted."""
    rows = []
    for f in sorted({Path(f) for f in files}):
        try:
            rel = f.resolve().relative_to(Path(data_dir).resolve()).as_posix()
        except ValueError:
            rel = f.name
        rows.append({"file": rel, "bytes": f.stat().st_size, "sha256": sha256(f)})
    return pd.DataFrame(rows, columns=["file", "bytes", "sha256"])
