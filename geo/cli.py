"""Command line: ``python -m geo build`` runs the pipeline and builds the site into ``site/``."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from geo.config import DATA_DIR_ENV, DEFAULT_PERIOD, PROJECT_ROOT, Period
from geo.errors import InputError

log = logging.getLogger("geo")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser(
        "build",
        help="run the pipeline and build the site",
        description="Read the open data, compute the ward tables, draw the maps and build the "
        "MkDocs site. The data directory is --data-dir, else $GEO_DATA_DIR, else data/raw, else "
        "../shared/data, laid out as ../shared/data/README.md describes.",
    )
    b.add_argument("--data-dir", help="folder holding the raw inputs")
    b.add_argument("--district", help="ONS code of the district (default E07000110, Maidstone)")
    b.add_argument("--start", help="first month YYYY-MM (default 2012-04)")
    b.add_argument("--end", help="last month YYYY-MM (default 2013-03)")
    b.add_argument("--allow-partial", action="store_true", help="build even if months of the period have no file")
    b.add_argument("--out-dir", help="folder for generated files (default build/)")
    b.add_argument("--site-dir", default=str(PROJECT_ROOT / "site"), help="where the site goes (default site/)")
    b.add_argument("--data-only", action="store_true", help="write the tables, maps and pages but not the site")
    b.add_argument("--force", action="store_true", help="rebuild even if the inputs are unchanged")
    f = sub.add_parser(
        "fetch",
        help="download the inputs from their publishers into the data directory",
        description="Download what a build of the district and period needs and is missing from the data "
        "directory (police.uk archive months, ward boundaries, IoD 2015), as data/sources.csv lists. Files already "
        "there are kept; downloads are written atomically and recorded with their SHA-256 in fetch-manifest.csv.",
    )
    f.add_argument("--data-dir", help="folder to fill (default: as for build, else data/raw)")
    f.add_argument("--district", default="E07000110", help="ONS code of the district (default Maidstone)")
    f.add_argument("--start", default=DEFAULT_PERIOD.start, help=f"first month (default {DEFAULT_PERIOD.start})")
    f.add_argument("--end", default=DEFAULT_PERIOD.end, help=f"last month (default {DEFAULT_PERIOD.end})")
    f.add_argument("--police-force", default="kent", help="police.uk force name in file names (default kent)")
    f.add_argument("--mirror", default=os.environ.get("GEO_FETCH_MIRROR"), help="fetch from this host instead")
    f.add_argument("--refresh", action="store_true", help="download again even if the file is there")
    f.add_argument("--quiet", action="store_true", help="no progress bars")
    f.add_argument("--sources", default=str(PROJECT_ROOT / "data" / "sources.csv"), help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "fetch":
        return _fetch(args)
    env = {
        "GEO_DISTRICT": args.district,
        "GEO_START": args.start,
        "GEO_END": args.end,
        "GEO_OUT_DIR": args.out_dir,
        "GEO_ALLOW_PARTIAL": "1" if args.allow_partial else None,
    }
    saved = dict(os.environ)
    for k, v in env.items():
        if v:
            os.environ[k] = v
    try:
        return _build(args)
    finally:  # the options reach the MkDocs hook through the environment; leave it as it was
        os.environ.clear()
        os.environ.update(saved)


def _build(args) -> int:
    try:
        from geo.cache import cached
        from geo.config import config_from_env, resolve_data_dir

        if args.data_dir:
            os.environ[DATA_DIR_ENV] = str(resolve_data_dir(args.data_dir))
        cfg = config_from_env()
        if args.force or not cached(cfg)[0]:  # a warm build never imports the heavy libraries
            from geo.build import build

            build(cfg, force=args.force)
        log.info("generated files in %s", cfg.out_dir)
        if not args.data_only:
            build_site(Path(args.site_dir))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _fetch(args) -> int:
    from geo import fetch
    from geo.config import resolve_data_dir

    try:
        if args.data_dir:
            data_dir = Path(args.data_dir).expanduser().resolve()
        else:
            try:
                data_dir = resolve_data_dir()
            except InputError:  # a fresh machine: fill data/raw, which the build reads next
                data_dir = PROJECT_ROOT / "data" / "raw"
        period = Period(args.start, args.end)  # plan() checks its months
        targets = fetch.plan(
            fetch.sources_from_csv(Path(args.sources)),
            district=args.district,
            period=period,
            force=args.police_force,
        )
        report = fetch.fetch(targets, data_dir, mirror=args.mirror, refresh=args.refresh, progress=not args.quiet)
    except (InputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{data_dir}: {report.text()}", file=sys.stderr)
    return 1 if report.failed or report.manual else 0


def build_site(site_dir: Path) -> None:
    """Run ``mkdocs build --strict`` into a temporary folder and swap it in only when it succeeds."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    try:
        cfg = load_config(str(PROJECT_ROOT / "mkdocs.yml"), site_dir=str(tmp), strict=True)
        mkdocs_build(cfg)
        old = site_dir.with_name(f".{site_dir.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        if site_dir.exists():
            os.replace(site_dir, old)
        os.replace(tmp, site_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("site built in %s", site_dir)
