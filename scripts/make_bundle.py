"""Cut the embedded default data bundle (data/bundle/) from a folder of open data laid out as the build reads it.

Usage: ``python scripts/make_bundle.py SOURCE_DIR [--dest DIR]``. It prints each file's size and writes
``MANIFEST.csv`` with publisher, licence, source URL and SHA-256; see :mod:`geo.read.bundle` for what is cut and how.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from geo.read.bundle import BUNDLE_DIR, cut_bundle

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("source", type=Path, help="the open-data folder to cut from")
    p.add_argument("--dest", type=Path, default=BUNDLE_DIR, help="where to write the bundle (default data/bundle)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    rows = cut_bundle(args.source, args.dest)
    for r in rows:
        logging.info("%9d  %s", r["bytes"], r["path"])
    logging.info("%9d  bytes in %d files", sum(r["bytes"] for r in rows), len(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
