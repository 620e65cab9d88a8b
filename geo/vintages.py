"""The vintages of one site: the assessment's context at the site root and a context per further period
(``Config.also``) at its own addresses, each told which of the other's wards cover the same ground, and the newest
told what changed since the assessment (:mod:`geo.analysis.since`); then each vintage's sections.

A vintage is built in three steps, so that each can run in a process of its own (:mod:`geo.workers`):
:func:`make_vintage` makes its context, :func:`link_of` is what it tells the other vintages (its wards, their
pages, its label, and for the first vintage its year of records), and :func:`linked` then :func:`site_part` run its
sections once it has heard from every vintage. Only small, plain data crosses between the steps.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import os
import pickle
import sys
import traceback
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import geopandas as gpd

from geo.analysis import since, wards
from geo.config import LOG_FORMAT, Config
from geo.context import BuildContext, make_context
from geo.errors import InputError
from geo.render.output import Page
from geo.render.words import site_title
from geo.sections import (
    after,
    api,
    app,
    assessment,
    data,
    feeds,
    home,
    hotspots,
    maps,
    outcomes,
    road,
    trends,
)
from geo.sections import since as since_section
from geo.sections import wards as wards_section
from geo.site import FRONT_DOOR, MARKER, ROOT_ONLY, Part, _once
from geo.timing import TIMES, stage
from geo.workers import FAILED, OK, read, send

log = logging.getLogger(__name__)

SECTIONS = (
    home, assessment, maps, wards_section, hotspots, road, outcomes, after, since_section, trends, data, api, feeds, app
)  # fmt: skip
"""The sections of a vintage's site, in nav order; each exposes ``section(ctx) -> Section``."""


def make_vintage(config: Config, prefix: str = "", read_police=None) -> BuildContext:
    """One vintage's context (raises InputError on bad input), with its reconciliation logged."""
    ctx = make_context(config, read_police, prefix=prefix)
    log.info("%s%s", ctx.prefix, ctx.tables.reconciliation.text())
    if not ctx.tables.lookup_note.startswith("ONS best-fit lookup"):  # a repair: say so (Data and methods too)
        log.warning("ward lookup derived, not read: %s", ctx.tables.lookup_note)
    return ctx


@dataclass(frozen=True)
class Link:
    """What a vintage tells the site's other vintages."""

    prefix: str
    label: str
    wards: gpd.GeoDataFrame
    """Its wards (``ward_code``, ``ward_name``, ``geometry``; EPSG:27700)."""
    slugs: dict
    """Ward code -> the file name of its page."""
    year: since.Year | None
    """Its year of placed records, for the newest vintage's comparison (the first vintage's only)."""


def link_of(ctx: BuildContext, first: bool) -> Link:
    year = _year(ctx) if first else None
    return Link(ctx.prefix, ctx.label, ctx.tables.wards[["ward_code", "ward_name", "geometry"]], ctx.slugs, year)


def _year(ctx: BuildContext) -> since.Year:
    return since.Year(ctx.config.period, ctx.tables.records, ctx.tables.wards, ctx.inputs.population, ctx.place.census)


def linked(ctx: BuildContext, index: int, links: list[Link]) -> BuildContext:
    """The context of vintage ``index`` given every vintage's :class:`Link`: the wards of another vintage that
    cover the same ground (``related``; the newest vintage points to the oldest, every other one to the newest),
    every vintage's label, and for the newest, the assessment's year against its own (``since``)."""
    if len(links) < 2:
        return ctx
    newest = index == len(links) - 1
    other = links[0] if newest else links[-1]
    ctx = replace(ctx, related=overlapping_wards(ctx, other), vintages=tuple((k.prefix, k.label) for k in links))
    if not newest:
        return ctx
    first, last = links[0].year, _year(ctx)
    district, priorities, inds = ctx.config.district, ctx.priorities, ctx.indicators
    try:
        views = tuple(since.compare_years(first, last, native, district, priorities, inds) for native in (1, 0))
    except ValueError as exc:  # a year's records do not reach every LSOA of the district: say so, exit 2
        raise InputError(
            Path(ctx.config.data_dir) / "police",
            f"comparing {first.period.label} with {last.period.label}: {exc}",
            fix="give both years' police.uk files for the whole district, or build one vintage (--start/--end)",
        ) from None
    return replace(ctx, since=(*views, first.period, first.census))


def overlapping_wards(ctx: BuildContext, other: Link) -> dict:
    """Ward code of ``ctx`` -> ``(name, page from ``ctx``'s root, share)`` of each of ``other``'s wards holding
    at least :data:`geo.analysis.wards.MIN_SHARED_AREA` of it, largest share first."""
    parts = wards.shared_ground(ctx.tables.wards, other.wards)
    out: dict = {}
    for r in parts.itertuples(index=False):
        page = "../" * ctx.prefix.count("/") + f"{other.prefix}wards/{other.slugs[r.other]}.html"
        out.setdefault(r.ward_code, []).append((str(r.ward_name), page, round(float(r.share), 3)))
    return {k: tuple(v) for k, v in out.items()}


def site_part(ctx: BuildContext, several: bool) -> Part:
    """Run every section on ``ctx`` and gather what they make, under the vintage's prefix.

    The first vintage's pages are at the site root; a further vintage's go under its prefix, in the nav under a
    section of its own, with its snippets named ``<tag>.<name>`` (its pages' markers likewise). With ``several``
    vintages, every generated page says which vintage it shows and links to the other's.
    """
    tag = ctx.prefix.strip("/")
    ward_pages = {f"wards/{s}.md": c for c, s in ctx.slugs.items()}
    part = Part([], {}, {}, {})
    for module in SECTIONS:
        with stage(f"[{tag or 'assessment'}] section {module.__name__.rsplit('.', 1)[-1]}"):
            out = module.section(ctx)
        for p in out.pages:
            path = ctx.prefix + p.path
            section = "/".join(filter(None, (vintage_nav(ctx) if tag else "", p.section)))
            title = "Overview" if tag and p.path == "index.md" else p.title
            part.declared.append(Page(path, section, title, listed=p.listed))
            if p.markdown is not None:
                text = MARKER.sub(rf"<!-- geo:{tag}.\1 -->", p.markdown) if tag else p.markdown
                _once(part.pages, path, banner(text, ctx, p.path, ward_pages) if several else text)
        for rel, content in out.files.items():
            if not (tag and rel in ROOT_ONLY):
                _once(part.files, ctx.prefix + rel, content)
        for name, text in out.snippets.items():
            if name == FRONT_DOOR:
                part.front_door = text
            else:
                _once(part.snippets, f"{tag}.{name}" if tag else name, text)
    part.name, part.description = site_title(ctx.place)
    part.missing_months = tuple(ctx.tables.reconciliation.missing_months)
    part.summary = build_summary(ctx)
    part.times = {k: v for k, v in TIMES.items() if k.startswith(f"[{tag or 'assessment'}]")}
    return part


def vintage_nav(ctx) -> str:
    """The nav section of a further vintage: ``Maidstone in 2025``."""
    return f"{ctx.place.name} in {ctx.prefix.strip('/')}"


def banner(markdown: str, ctx, path: str, ward_pages: dict) -> str:
    """The page with a line under its title naming its vintage (period, ward set, Census) and linking to the
    same district's other vintage; ``ward_pages`` maps each ward page's path to its ward code."""
    up = "../" * (ctx.prefix + path).count("/")
    others = [(pre, label) for pre, label in ctx.vintages if pre != ctx.prefix]
    links = " ".join(
        f"[{'The assessment' if not pre else 'Today'} ({html.escape(label.split(' · ')[0])})]({up}{pre}index.md)"
        for pre, label in others
    )
    code = ward_pages.get(path)
    if code in ctx.related:  # a ward page: the wards of the other vintage on the same ground
        where = "in the assessment" if ctx.prefix else "today"
        names = ", ".join(
            f"[{html.escape(name)}]({'../' * path.count('/')}{page.removesuffix('.html')}.md)"
            for name, page, _ in ctx.related[code]
        )
        links += f" · The same ground {where}: {names}."
    what = "Today's figures" if ctx.prefix else "The assessment's years"
    line = f'<p class="vintage" markdown>{what}: {html.escape(ctx.label)}. {links}</p>\n'
    head, sep, rest = markdown.partition("\n") if markdown.startswith("# ") else ("", "", markdown)
    return head + sep + "\n" + line + rest


def build_summary(ctx) -> str:
    """``summary.json``: what was built, for the benchmark and for people checking a build."""
    t, config = ctx.tables, ctx.config
    summary = {
        "hotspot_cells": len(ctx.grid.cells),
        "district": config.district,
        "district_name": t.district_name,
        "deprivation_edition": t.edition.short,
        "ward_lookup": t.lookup_note,
        "period": [config.period.start, config.period.end],
        "reconciliation": asdict(t.reconciliation),
        "missing_months": list(t.reconciliation.missing_months),
        "wards": len(t.wards),
        "indicators": sorted(i.id for i in ctx.indicators),
        "population": int(t.wards["population"].sum()),
    }
    return json.dumps(summary, indent=2, sort_keys=True) + "\n"


def in_process(vintages: list) -> list[Part]:
    """Every vintage's part made here, one after another (``--jobs 1``, or a site of one vintage): the same steps
    as the workers take, so the same files; ``vintages`` is :func:`geo.workers.plan`'s."""
    from geo.read import police

    read_police = functools.cache(police.crimes_from_csv)  # each month is parsed once per build
    with stage("contexts"):
        contexts = [make_vintage(cfg, prefix, read_police) for cfg, prefix in vintages]
        links = [link_of(ctx, i == 0) for i, ctx in enumerate(contexts)]
    parts = []
    with stage("sections"):
        for i in range(len(contexts)):
            ctx, contexts[i] = contexts[i], None  # each context is let go once its pages are made
            parts.append(site_part(linked(ctx, i, links), len(contexts) > 1))
    return parts


def work(inbox, outbox) -> None:
    """A build worker (:mod:`geo.workers`): one vintage's context, its link, then its part; messages are
    length-prefixed pickles on ``inbox`` and ``outbox``."""
    cfg, prefix, index, count, level = pickle.loads(read(inbox))
    logging.basicConfig(level=level, format=LOG_FORMAT)
    try:
        ctx = make_vintage(cfg, prefix)
        send(outbox, OK + pickle.dumps(link_of(ctx, index == 0)))
        links = [pickle.loads(b) for b in pickle.loads(read(inbox))]
        part = site_part(linked(ctx, index, links), count > 1)
        send(outbox, OK + pickle.dumps(part))
    except BaseException as exc:  # noqa: BLE001  (every failure goes to the parent, which raises it)
        try:
            payload = pickle.dumps((exc, traceback.format_exc()))
        except Exception:  # noqa: BLE001  (an exception that cannot be pickled is sent as its text)
            payload = pickle.dumps((RuntimeError(f"{type(exc).__name__}: {exc}"), traceback.format_exc()))
        send(outbox, FAILED + payload)


PRELOAD = ("esda.getisord", "libpysal.weights", "scipy.stats", "sklearn.neighbors", "convertbng.cutil")
"""What the sections import only when they run, imported before the workers are forked so that they share it."""


def fork_workers(inbox) -> int:
    """Import the analysis once, then fork a worker (:func:`work`) per pair of pipes that ``inbox`` names, and
    wait for them (:class:`geo.workers.Forked`); the exit code is the first worker's that is not 0.

    Nothing here runs convertbng: its Rust thread pool starts on its first call, and a process forked after that
    hangs. ``gc.freeze`` keeps the collector of each worker off the shared objects, so that they stay shared."""
    import gc
    import importlib

    jobs = pickle.loads(read(inbox))
    for name in PRELOAD:
        importlib.import_module(name)
    gc.freeze()
    pids = []
    for i, (fd_in, fd_out) in enumerate(jobs):
        pid = os.fork()
        if pid == 0:  # a worker: its own pipes only
            code = 1
            try:
                for fd in (fd for j, pair in enumerate(jobs) if j != i for fd in pair):
                    os.close(fd)
                work(os.fdopen(fd_in, "rb"), os.fdopen(fd_out, "wb"))
                code = 0
            finally:
                os._exit(code)
        pids.append(pid)
    for fd in (fd for pair in jobs for fd in pair):
        os.close(fd)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    return next((c for c in codes if c != 0), 0)


if __name__ == "__main__":
    from geo import vintages  # the module by its name, so that what a worker pickles names geo.vintages

    # the messages have pipes to themselves: anything a library prints goes to standard error instead (a spawned
    # worker's messages go out on what was its standard output; forked workers have pipes of their own)
    forking = sys.argv[1:] == ["--fork"]
    outbox = None if forking else os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    if forking:
        sys.exit(vintages.fork_workers(sys.stdin.buffer))
    vintages.work(sys.stdin.buffer, outbox)
