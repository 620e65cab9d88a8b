"""Command line: ``python -m geo build`` runs the pipeline and builds the site into ``site/``."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import shutil
import signal
import sys
from pathlib import Path
from types import SimpleNamespace

from geo.config import DATA_DIR_ENV, DEFAULT_DATA_DIR, DEFAULT_PERIOD, LOG_FORMAT, PROJECT_ROOT, Period
from geo.engines import ENGINES
from geo.errors import InputError
from geo.outdirs import MARKER, MARKER_TEXT, check_output_dir, deferred_sigterm, new_dir, replace_dir

log = logging.getLogger("geo")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser(
        "build",
        help="run the pipeline and build the site",
        description="Read the open data, compute the ward tables, draw the maps and build the "
        "MkDocs site. The data directory is --data-dir, else $GEO_DATA_DIR, else the embedded bundle "
        "data/bundle, whose README.md describes the layout.",
    )
    b.add_argument("--data-dir", help="folder holding the raw inputs")
    b.add_argument("--district", help="ONS code of the district (default E07000110, Maidstone)")
    b.add_argument("--start", help="first month YYYY-MM (default 2012-04)")
    b.add_argument("--end", help="last month YYYY-MM (default 2013-03)")
    b.add_argument("--allow-partial", action="store_true", help="build even if months of the period have no file")
    b.add_argument("--out-dir", help="folder for generated files (default build/)")
    b.add_argument("--site-dir", default=str(PROJECT_ROOT / "site"), help="where the site goes (default site/)")
    b.add_argument("--data-only", action="store_true", help="write the tables, maps and pages but not the site")
    b.add_argument(
        "--site-url",
        default=os.environ.get("GEO_SITE_URL") or None,
        help="the address the site is published at, for canonical links and the sitemap (default $GEO_SITE_URL; "
        "none if unset; the Pages workflow passes the Pages base URL)",
    )
    b.add_argument("--force", action="store_true", help="rebuild even if the inputs are unchanged")
    b.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="the site engine: MkDocs with Material (default) or Zensical, Material's successor",
    )
    b.add_argument(
        "--jobs",
        type=_jobs,
        help="processes to build the site's vintages in, one per vintage at most (default: the cores this process "
        "may use; 1 builds them one after another in this process, with the same result)",
    )
    b.add_argument(
        "--indicators",
        default=str(PROJECT_ROOT / "data" / "indicators.csv"),
        help="the indicator table (default data/indicators.csv): one row per indicator, see its columns there",
    )
    _fetch_parser(sub)
    return p


def _fetch_parser(sub) -> None:
    """The ``fetch`` command's options."""
    f = sub.add_parser(
        "fetch",
        help="download the inputs from their publishers into the data directory",
        description="Download what a build of the district and period needs and is missing from the data "
        "directory (police.uk archive months, the ward boundaries and LSOA -> ward lookup of the period's vintage, "
        "Census 2011 and IoD 2015 or 2019 before June 2023, Census 2021 and IoD 2025 from then, and STATS19), as "
        "data/sources.csv and data/ward-vintages.csv list. Files already there are kept; downloads are written "
        "atomically and recorded with their SHA-256 in fetch-manifest.csv.",
    )
    f.add_argument("--data-dir", help="folder to fill (default: as for build, else data/raw)")
    f.add_argument("--district", default="E07000110", help="ONS code of the district (default Maidstone)")
    f.add_argument("--start", default=DEFAULT_PERIOD.start, help=f"first month (default {DEFAULT_PERIOD.start})")
    f.add_argument("--end", default=DEFAULT_PERIOD.end, help=f"last month (default {DEFAULT_PERIOD.end})")
    f.add_argument(
        "--police-force",
        default="auto",
        help="police.uk force name in file names (default: found in the archive, as the force whose records lie "
        "in the district's LSOAs)",
    )
    f.add_argument("--mirror", default=os.environ.get("GEO_FETCH_MIRROR"), help="fetch from this host instead")
    f.add_argument("--refresh", action="store_true", help="download again even if the file is there")
    f.add_argument("--quiet", action="store_true", help="no progress bars")
    f.add_argument("--dry-run", action="store_true", help="print every address it would call and download nothing")
    f.add_argument(
        "--check",
        action="store_true",
        help="ask each publisher address of the plan for its headers and report any that moved (no download)",
    )
    f.add_argument("--sources", default=str(PROJECT_ROOT / "data" / "sources.csv"), help=argparse.SUPPRESS)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    previous = signal.signal(signal.SIGTERM, _terminate)  # so that temporary folders are removed on SIGTERM too
    try:
        return _fetch(args) if args.command == "fetch" else _build_command(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of processes, at least 1: {text!r}")
    return int(text)


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


DISK_ERRORS = {
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted",
    errno.EIO: "the disk reported an input/output error",
    errno.EFBIG: "the file is too large for the disk",
}
"""Errors of the machine rather than the data, while writing: named with exit 2, like bad input."""


def _build_command(args) -> int:
    try:
        cfg = config_from_args(args)
        return _build(args, cfg)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if exc.errno not in DISK_ERRORS:
            raise
        where = exc.filename or "the output folder"
        print(
            f"error: {where}: {DISK_ERRORS[exc.errno]} while writing the build (fix: free some space or give "
            "--out-dir and --site-dir on another disk; the last good site was left as it was)",
            file=sys.stderr,
        )
        return 2


def config_from_args(args):
    """The build's one :class:`~geo.config.Config`, after checking every option and both output folders (before
    anything is read or written)."""
    from geo.config import REPORT_DISTRICT, Config, check_district, resolve_data_dir
    from geo.outdirs import check_output_dir, protected_dirs

    district = check_district(args.district) if args.district else REPORT_DISTRICT
    period = Period(args.start or DEFAULT_PERIOD.start, args.end or DEFAULT_PERIOD.end)
    data_dir = resolve_data_dir(args.data_dir)
    out_dir = Path(args.out_dir or PROJECT_ROOT / "build").expanduser().resolve()
    protected = protected_dirs(SimpleNamespace(data_dir=data_dir))
    check_output_dir(out_dir, option="--out-dir", inside_forbidden=protected)
    if not args.data_only:
        site = Path(args.site_dir).expanduser().resolve()
        check_output_dir(site, option="--site-dir", inside_forbidden=(*protected, out_dir))
    report_wards = district == REPORT_DISTRICT and period.lsoa_year == 2011  # the wards the assessment names
    mentions = PROJECT_ROOT / "data" / "report-ward-mentions.csv" if report_wards else None
    return Config(
        district=district,
        period=period,
        data_dir=data_dir,
        out_dir=out_dir,
        allow_partial=args.allow_partial,
        mentions_file=mentions,
        indicators_file=Path(args.indicators).expanduser().resolve(),
        also=now_vintage(data_dir) if report_wards and period == DEFAULT_PERIOD else (),
    )


def now_vintage(data_dir: Path) -> tuple:
    """The assessment's site also shows today: the latest full calendar year of police.uk files on 2021 LSOAs in
    the data directory ("Maidstone now"), if it has one, with the ward boundaries of that year's vintage."""
    from geo.config import latest_full_year
    from geo.read.listing import police_files

    latest = latest_full_year(police_files(data_dir))
    return (latest,) if latest else ()


def _build(args, cfg) -> int:
    from geo.cache import cached
    from geo.outdirs import protected_dirs

    is_cached, stamp = cached(cfg)  # the inputs are hashed once per build
    if args.force or not is_cached:  # a warm build never imports the heavy libraries
        from geo.build import build

        build(cfg, force=True, stamp=stamp, jobs=args.jobs)
    log.info("generated files in %s", cfg.out_dir)
    if not args.data_only:
        build_site(
            cfg.out_dir,
            Path(args.site_dir),
            forbidden=(*protected_dirs(cfg), cfg.out_dir),
            site_url=args.site_url,
            engine=args.engine,
        )
    return 0


def _fetch(args) -> int:
    from geo.config import check_district, resolve_data_dir
    from geo.fetch import core as fetch
    from geo.fetch import force as fetch_force

    try:
        check_district(args.district)
        if args.data_dir:
            data_dir = Path(args.data_dir).expanduser().resolve()
        else:
            data_dir = (  # never the embedded bundle: fetched files go to data/raw unless told otherwise
                resolve_data_dir() if os.environ.get(DATA_DIR_ENV) else PROJECT_ROOT / "data" / "raw"
            )
        bundle = DEFAULT_DATA_DIR.resolve()
        if data_dir.resolve() == bundle or bundle in data_dir.resolve().parents:
            raise InputError(
                data_dir,
                "geo fetch never writes into the embedded data bundle (its files are checked against MANIFEST.csv)",
                fix="fetch into another folder, e.g. --data-dir data/raw (the default), and build with --data-dir",
            )
        period = Period(args.start, args.end)  # checks both months and their order
        sources = fetch.sources_from_csv(Path(args.sources))
        if args.dry_run or args.check:
            targets = fetch.plan(sources, district=args.district, period=period, force=_force(args) or "<force>")
            return _plan_only(args, targets)
        force, found = args.police_force, None
        if force == "auto":
            force, n, found = fetch_force.resolve_force(
                sources, data_dir, district=args.district, period=period, mirror=args.mirror, progress=not args.quiet
            )
            if force:
                print(f"police force: {force} ({n:,} records in the district's LSOAs in {period.end})", file=sys.stderr)
        targets = fetch.plan(sources, district=args.district, period=period, force=force)
        report = fetch.fetch(targets, data_dir, mirror=args.mirror, refresh=args.refresh, progress=not args.quiet)
        if found:  # what was fetched to find the force counts as fetched, not as already there
            report.cached = [p for p in report.cached if p not in found.fetched]
            report.fetched = found.fetched + report.fetched
    except (InputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except fetch.FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{data_dir}: {report.text()}", file=sys.stderr)
    vintage = next((t.year for t in targets if t.kind == "wards"), None)
    if vintage:
        print(f"  ward boundaries and lookup: the December {vintage} vintage (data/ward-vintages.csv)", file=sys.stderr)
    return 1 if report.failed or report.manual else 0


def _force(args) -> str:
    return "" if args.police_force == "auto" else args.police_force


def _plan_only(args, targets) -> int:
    """``--dry-run``: the plan; ``--check``: whether each address still answers (1 if any does not)."""
    from geo.fetch import plan_check

    vintage = next((t.year for t in targets if t.kind == "wards"), None)
    if args.dry_run:
        print(plan_check.describe(targets, force=_force(args), vintage=vintage))
        return 0
    from geo.fetch.core import with_mirror

    answers = plan_check.check([with_mirror(u, args.mirror) for u in plan_check.addresses(targets)])
    for a in answers:
        print(f"{'ok' if a.ok else 'FAILED':6} {a.publisher}: {a.url}: {a.words}")
    if plan_check.unreachable(answers):
        print(
            f"error: cannot reach the publishers from here ({answers[0].words}); nothing was checked (fix: run where "
            "the network reaches them, as the weekly workflow job does)",
            file=sys.stderr,
        )
        return 1
    bad = [a for a in answers if not a.ok]
    if bad:
        print(f"error: {len(bad)} of {len(answers)} publisher addresses did not answer as planned (fix: find the "
              "new address and update data/sources.csv or data/ward-vintages.csv)", file=sys.stderr)  # fmt: skip
    return 1 if bad else 0


def _commit_time() -> str:
    """Seconds since 1970 of the checkout's last commit (MkDocs dates the sitemap with it), else of 2014-04-01."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    return out if out.isdigit() else "1396310400"


def build_site(
    out_dir: Path, site_dir: Path, forbidden=(), site_url: str | None = None, engine: str = "mkdocs"
) -> None:
    """Run ``mkdocs build --strict`` (or Zensical, strictly: :mod:`geo.engines`) on the build's docs folder, nav
    and name (``site.json``) into a temporary folder, and swap it in for ``site_dir`` only when it succeeds.

    The docs folder is first brought up to date with ``docs/``. If nothing the site is made from has changed since
    it built ``site_dir``, the site is left as it is; if only files of the docs folder did, MkDocs builds only
    their pages (:mod:`geo.cache`, :func:`geo.engines.build_with_mkdocs`)."""
    from geo import cache
    from geo.build import write_files
    from geo.site import read_site_json, stale_docs
    from geo.timing import stage

    declared = read_site_json(out_dir)
    site_dir = check_output_dir(site_dir, option="--site-dir", inside_forbidden=forbidden)
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _commit_time()  # sitemap dates: the same on every rebuild
    with stage("docs folder"):
        write_files(Path(out_dir) / "docs", stale_docs(out_dir, PROJECT_ROOT / "docs"))
        frame, docs = cache.site_frame(out_dir, engine, site_url, epoch), cache.docs_digest(out_dir)
        last = cache.last_site(out_dir, site_dir, engine)
    same = last is not None and last["frame"] == frame
    if same and last["docs"] == docs:
        log.info("site unchanged: %s is already the site of these files", site_dir)
        return
    since = None
    if same and engine == "mkdocs" and last["docs"].keys() == docs.keys():
        since = (site_dir, {k for k, v in docs.items() if last["docs"][k] != v}, last["titles"])
    tmp, titles = None, {}
    try:
        with deferred_sigterm():  # a SIGTERM while the folder is made is raised after it is named, and it is removed
            tmp = new_dir(site_dir)
        if engine == "zensical":
            from geo.engines import build_with_zensical

            with stage("Zensical"):
                build_with_zensical(out_dir, tmp, declared, site_url)
        else:
            from geo.engines import build_with_mkdocs

            with stage("MkDocs"):
                titles = build_with_mkdocs(out_dir, tmp, declared, site_url, epoch, since)
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # the engines empty the folder they build into
        replace_dir(tmp, site_dir)
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    write_files(Path(out_dir), {cache.site_stamp(engine): cache.site_record(site_dir, frame, docs, titles)})
    log.info("site built in %s (%s)", site_dir, "Zensical" if engine == "zensical" else "MkDocs")
