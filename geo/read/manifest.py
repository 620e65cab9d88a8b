"""The input manifest (``data/manifest.csv``): what each source is, who publishes it, and its licence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.read.hashing import sha256
from geo.read.io import read_table

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


FETCHED = "fetch-manifest.csv"
"""Written by ``python -m geo fetch`` in the data directory: path, url, bytes, sha256 of each file it fetched."""


def fetched_from(checksums: pd.DataFrame, data_dir: Path) -> pd.Series:
    """For each row of :func:`file_checksums`, where ``python -m geo fetch`` got the file, if it did.

    The URL, or the URL with a note when the file's SHA-256 is no longer the one recorded when it was fetched;
    ``(added by hand)`` for files put in the data directory another way, ``(this project's data/ folder)`` for
    the tables the project maintains.
    """
    path = Path(data_dir) / FETCHED
    rec = pd.read_csv(path, dtype=str).set_index("path") if path.is_file() else pd.DataFrame(columns=["url"])
    bundle = Path(data_dir) / "MANIFEST.csv"  # the embedded bundle's manifest (geo.read.bundle)
    cut = pd.read_csv(bundle, dtype=str).set_index("path") if bundle.is_file() else pd.DataFrame(columns=["url"])
    out = []
    for f, digest in zip(checksums["file"], checksums["sha256"], strict=True):
        if not (Path(data_dir) / f).is_file():
            out.append("(this project's data/ folder)")
        elif f in cut.index:
            out.append(f"{cut.loc[f, 'source_url']} (embedded bundle: {cut.loc[f, 'how_cut']})")
        elif f not in rec.index:
            out.append("(added by hand)")
        elif rec.loc[f, "sha256"] == digest:
            out.append(rec.loc[f, "url"])
        else:
            out.append(f"{rec.loc[f, 'url']} (changed since it was fetched)")
    return pd.Series(out, index=checksums.index, dtype=object)


def file_checksums(files, data_dir: Path) -> pd.DataFrame:
    """``file`` (relative to the data directory; the project's own tables by name), ``bytes`` and ``sha256`` of
    each input file, sorted by that name. Sorting by the name shown, not by the full path, keeps the page the same
    wherever the repository and the data directory lie (a checkout in /tmp and one in /work once listed the
    indicator table in different places)."""
    rows = []
    for f in {Path(f) for f in files}:
        try:
            rel = f.resolve().relative_to(Path(data_dir).resolve()).as_posix()
        except ValueError:
            rel = f.name
        rows.append({"file": rel, "bytes": f.stat().st_size, "sha256": sha256(f)})
    return pd.DataFrame(sorted(rows, key=lambda r: r["file"]), columns=["file", "bytes", "sha256"])
