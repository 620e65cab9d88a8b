"""The build's cache keys, computed without importing the heavy libraries, so that a warm build (nothing changed)
checks them and stops, which keeps it fast (issue 29: a maintainer runs the build a hundred times a day).

:func:`input_hash` keys the analysis: a hash of every input and of the code. :func:`site_frame` keys the site: a
hash of everything a site engine reads or is told but the docs folder (the engine and its version, the site's
address, the sitemap's date, the declaration, the MkDocs configuration, the theme's overrides, the hook and this
package's code); :func:`docs_digest` hashes each file of the docs folder. Both are kept in the build's output folder
(``.site-<engine>``) with the site folder's name, a listing of its files (path, size, modification time) and its
pages' titles, so that the site is left alone when nothing changed; only the changed pages are built again when
only files of the docs folder changed (:func:`geo.engines.build_with_mkdocs`); and a site folder rebuilt, replaced
or touched since, or a new analysis (a new output folder), builds the whole site again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from pathlib import Path

from geo.config import PROJECT_ROOT, Config
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


PACKAGES = {"mkdocs": ("mkdocs", "mkdocs-material"), "zensical": ("zensical",)}
"""The distributions each engine builds with: a new version builds the site again."""


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if root.is_dir() else []


def site_frame(out_dir: Path, engine: str, site_url: str | None, epoch: str) -> str:
    """The hash of everything a site is made from but its docs folder (see the module's docstring)."""
    h = hashlib.sha256()
    versions = [(name, importlib.metadata.version(name)) for name in PACKAGES[engine]]
    h.update(json.dumps([engine, site_url, epoch, versions]).encode())
    roots = [
        (Path(out_dir), ("site.json",)),
        (PROJECT_ROOT, ("mkdocs.yml", "overrides", "scripts/mkdocs_hooks.py", "geo")),
    ]
    for base, names in roots:
        for name in names:
            path = base / name
            for f in [path] if path.is_file() else _files(path):
                h.update(f.relative_to(base).as_posix().encode() + b"\0" + sha256(f).encode() + b"\0")
    return h.hexdigest()


def docs_digest(out_dir: Path) -> dict[str, str]:
    """Path -> SHA-256 of every file of the build's docs folder."""
    docs = Path(out_dir) / "docs"
    return {f.relative_to(docs).as_posix(): sha256(f) for f in _files(docs)}


def listing(site_dir: Path) -> str:
    """A hash of the site folder's files as they lie: path, size and modification time of each."""
    h = hashlib.sha256()
    for f in _files(Path(site_dir)):
        st = f.stat()
        h.update(f"{f.relative_to(site_dir).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def site_stamp(engine: str) -> str:
    """The name, in the build's output folder, of what the last site built with ``engine`` was made from."""
    return f".site-{engine}"


def last_site(out_dir: Path, site_dir: Path, engine: str) -> dict | None:
    """What the last build of ``site_dir`` with ``engine`` from this output folder recorded (``frame``, ``docs``,
    ``titles``: :func:`site_record`), if the site folder is as that build left it; else None."""
    try:
        kept = json.loads((Path(out_dir) / site_stamp(engine)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if kept.get("site_dir") != str(Path(site_dir).resolve()) or kept.get("listing") != listing(site_dir):
        return None
    return kept


def site_record(site_dir: Path, frame: str, docs: dict, titles: dict) -> str:
    """What ``site_dir`` was just built from, as :func:`last_site` reads it (the caller writes it, as
    :func:`site_stamp` names it)."""
    kept = {"site_dir": str(Path(site_dir).resolve()), "listing": listing(site_dir), "frame": frame, "docs": docs,
            "titles": titles}  # fmt: skip
    return json.dumps(kept, indent=1, sort_keys=True) + "\n"
