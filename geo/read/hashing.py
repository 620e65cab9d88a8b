"""SHA-256 of files and streams: the one place the project computes it (no heavy imports, so the cache check
stays fast)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

CHUNK = 1 << 16


def sha256_of_parts(parts) -> str:
    """Hex SHA-256 of the bytes in ``parts`` one after another, without joining them in memory.

    >>> import io
    >>> sha256_of_parts([b"a", b"bc"]) == copy_hashing(io.BytesIO(b"abc"))[0]
    True
    """
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.hexdigest()


def copy_hashing(src, out=None, on_chunk=None) -> tuple[str, int]:
    """Read ``src`` to its end in chunks, writing each to ``out`` if given; return (hex SHA-256, bytes).

    >>> import io
    >>> copy_hashing(io.BytesIO(b"abc"))[0][:12], copy_hashing(io.BytesIO(b"abc"))[1]
    ('ba7816bf8f01', 3)
    """
    h, size = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        if out is not None:
            out.write(chunk)
        h.update(chunk)
        size += len(chunk)
        if on_chunk is not None:
            on_chunk(len(chunk))
    if out is not None:
        out.flush()
        os.fsync(out.fileno())
    return h.hexdigest(), size


def sha256(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes."""
    with open(Path(path), "rb") as f:
        return copy_hashing(f)[0]
