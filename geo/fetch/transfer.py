"""Moving bytes safely: downloads written to a ``.part`` file and renamed into place once complete and checked,
archive members extracted the same way, HTTP and network errors named with their address, and the portal's
service list read once per fetch."""

from __future__ import annotations

import contextlib
import http.client
import io
import logging
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

from tqdm import tqdm

from geo.read.hashing import copy_hashing

log = logging.getLogger(__name__)
TIMEOUT_S = 60


class FetchError(Exception):
    """A download or extraction that failed; nothing was written."""


def write_atomic(dest: Path, data: bytes) -> tuple[str, int]:
    """Write ``data`` to ``dest`` through a ``.part`` file; returns (sha256, bytes)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(f"{dest.name}.part")
    try:
        with open(part, "wb") as out:
            digest, size = copy_hashing(io.BytesIO(data), out)
        os.replace(part, dest)
        return digest, size
    finally:
        part.unlink(missing_ok=True)


def with_mirror(url: str, mirror: str | None) -> str:
    """``url`` with its scheme and host replaced by ``mirror``'s (path and query kept).

    >>> with_mirror("https://data.police.uk/data/archive/2014-11.zip", "http://127.0.0.1:8000")
    'http://127.0.0.1:8000/data/archive/2014-11.zip'
    """
    if not mirror:
        return url
    u, m = urllib.parse.urlsplit(url), urllib.parse.urlsplit(mirror)
    return urllib.parse.urlunsplit((m.scheme, m.netloc, m.path.rstrip("/") + u.path, u.query, ""))


def download_to(opener, url: str, dest: Path, *, sha256: str = "", progress: bool = True) -> tuple[str, int]:
    """Stream ``url`` to ``dest`` atomically; returns (sha256, bytes). Raises FetchError, leaving nothing."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(f"{dest.name}.part")
    try:
        with http_errors(url), opener.open(url, timeout=TIMEOUT_S) as resp, open(part, "wb") as out:
            total = resp.headers.get("Content-Length")
            total = int(total) if total and total.isdigit() else None
            with tqdm(
                total=total, unit="B", unit_scale=True, desc=dest.name, file=sys.stderr, disable=not progress
            ) as bar:
                digest, size = copy_hashing(resp, out, bar.update)
            if total is not None and size != total:
                raise FetchError(f"{url}: got {size:,} of {total:,} bytes")
        if sha256 and digest != sha256.lower():
            raise FetchError(f"{url}: SHA-256 {digest} is not the pinned {sha256}")
        os.replace(part, dest)
        return digest, size
    finally:
        part.unlink(missing_ok=True)


@contextlib.contextmanager
def http_errors(url: str):
    """Turn what can go wrong with a request for ``url`` into a FetchError that names it."""
    try:
        yield
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, TimeoutError) as exc:
        raise FetchError(f"{url}: {getattr(exc, 'reason', exc)}") from None


def extract(archive: Path, member: str, dest: Path) -> tuple[str, int]:
    """Copy one member of a zip to ``dest`` atomically; returns (sha256, bytes)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(f"{dest.name}.part")
    try:
        with zipfile.ZipFile(archive) as z, z.open(member) as src, open(part, "wb") as out:
            digest, size = copy_hashing(src, out)
        os.replace(part, dest)
        return digest, size
    except KeyError:
        raise FetchError(f"{archive.name} has no member {member}") from None
    except zipfile.BadZipFile:
        archive.unlink(missing_ok=True)  # a broken archive is not kept for next time
        raise FetchError(f"{archive.name} is not a complete zip file (deleted; run again)") from None
    finally:
        part.unlink(missing_ok=True)


def service_list(opener, url: str, mirror, lists: dict) -> bytes:
    """The portal's service list (once per fetch); empty when it cannot be read, so the last known name is tried."""
    if url not in lists:
        try:
            with http_errors(url), opener.open(with_mirror(url, mirror), timeout=TIMEOUT_S) as resp:
                lists[url] = resp.read()
        except FetchError as exc:
            log.warning("cannot read the portal's service list (%s): trying the last known names", exc)
            lists[url] = b""
    return lists[url]
