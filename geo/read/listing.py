"""Which police.uk files a data directory holds, by month: light (no pandas), so that the command line can ask
without importing the heavy libraries."""

from __future__ import annotations

import os
import re
from pathlib import Path

from geo.errors import InputError

_FILE = re.compile(r"^(\d{4}-\d{2})-[a-z0-9-]+-street\.csv(\.gz)?$")


def police_files(data_dir: Path) -> dict[str, Path]:
    """Map each month to its police.uk file under ``<data_dir>/police`` (plain or gzipped, any sub-folder).

    Raises
    ------
    InputError
        If two files claim the same month (e.g. a district subset and the whole force's file).
    """
    root = Path(data_dir) / "police"
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    for path in _files_under(root):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue  # e.g. fetch's download cache
        m = _FILE.match(path.name)
        if not m:
            if _FILE.match(path.name.lower()):
                raise InputError(
                    path,
                    "named almost like a police.uk file, but not quite, so it would be ignored",
                    fix=f"rename it {path.name.lower()} (police.uk names are lower case)",
                )
            continue
        month = m.group(1)
        if month in found:
            raise InputError(
                path,
                f"a second file for {month} (the first is {found[month]})",
                fix="keep one file per month: remove or move the other",
            )
        found[month] = path
    return found


def _files_under(root: Path) -> list[Path]:
    """Every file under ``root``, sorted, following symbolic links to folders (a police folder kept elsewhere and
    linked in is read like any other), each real folder once so that a link loop cannot recurse forever."""
    out, seen = [], set()
    for here, dirs, names in os.walk(root, followlinks=True):
        real = os.path.realpath(here)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        out += [Path(here) / n for n in names if (Path(here) / n).is_file()]
    return sorted(out)
