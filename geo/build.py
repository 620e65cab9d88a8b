"""The one orchestrator: makes the build context, asks the sections for the site, and is the only module that
writes files.

Output layout under ``config.out_dir`` (default ``build/``)::

    files/      static files copied as they are (map HTML, vendored Leaflet, downloads)
    pages/      the generated Markdown pages
    snippets/   generated pieces for the ``<!-- geo:NAME -->`` markers of hand-written pages
    docs/       the complete docs folder MkDocs reads
    site.json   the site's declaration (name, nav, pages)
    summary.json   reconciliation and coverage of the build
    .stamp      hash of every input; a build with the same hash is skipped (cache)

The build writes into a temporary folder beside ``out_dir`` and swaps it in at the end, so a failed build
never leaves a half-written output in place of the last good one.
"""

from __future__ import annotations

import functools
import json
import logging
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from geo import site, vintages
from geo.cache import STAMP, cached
from geo.config import PROJECT_ROOT, Config
from geo.outdirs import check_output_dir, deferred_sigterm, new_dir, protected_dirs, replace_dir
from geo.read import police
from geo.render.field import stamp_fingerprint
from geo.timing import stage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    cached: bool
    stamp: str


def build(config: Config, *, force: bool = False, stamp: str | None = None) -> BuildResult:
    """Build every generated file for ``config`` unless an identical build is already in ``out_dir``.

    ``stamp`` is the input hash when the caller has just computed it (:func:`geo.cache.cached`), so that a build
    hashes its inputs once.

    Raises
    ------
    geo.errors.InputError
        On bad input; ``out_dir`` is then left as it was.
    """
    out = check_output_dir(config.out_dir, option="--out-dir", inside_forbidden=protected_dirs(config))
    is_cached, stamp = (False, stamp) if stamp else cached(config)
    if is_cached and not force:
        log.info("inputs unchanged: using the cached build in %s", out)
        return BuildResult(out, True, stamp)
    read_police = functools.cache(police.crimes_from_csv)  # each month is parsed once per build
    with stage("contexts"):
        contexts = vintages.make_contexts(config, read_police)
    for ctx in contexts:
        log.info("%s%s", ctx.prefix, ctx.tables.reconciliation.text())
        if not ctx.tables.lookup_note.startswith("ONS best-fit lookup"):  # a repair: say so (Data and methods too)
            log.warning("ward lookup derived, not read: %s", ctx.tables.lookup_note)
    store = site_files(contexts)
    store[STAMP] = stamp
    tmp = None
    try:
        with deferred_sigterm():  # a SIGTERM while the folder is made is raised after, and the folder removed
            tmp = new_dir(out)
        with stage("write files"):
            write_files(tmp, store)
        replace_dir(tmp, out)
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(out, False, stamp)


def site_files(contexts) -> dict[str, str | bytes]:
    """Every file of the build's output folder, made in memory: the sections' files, pages and snippets, the
    summary, the fingerprint stamped into every address, the declaration and the rendered docs folder."""
    with stage("sections"):
        made = site.assemble(contexts)
    store: dict[str, str | bytes] = {}
    store.update({f"files/{rel}": content for rel, content in made.files.items()})
    store.update({f"pages/{rel}": text for rel, text in made.pages.items()})
    store.update({f"snippets/{name}.md": text for name, text in made.snippets.items()})
    store["summary.json"] = build_summary(contexts[0])
    stamp_fingerprint(store)  # it hashes every file made, and versions the addresses the pages give them
    made.files = {k.removeprefix("files/"): v for k, v in store.items() if k.startswith("files/")}
    made.pages = {k.removeprefix("pages/"): v for k, v in store.items() if k.startswith("pages/")}
    made.snippets = {k.removeprefix("snippets/")[:-3]: v for k, v in store.items() if k.startswith("snippets/")}
    store["site.json"] = site.site_json(made.site)
    with stage("render docs"):
        for rel, content in site.render_docs(made, PROJECT_ROOT / "docs").items():
            store[f"docs/{rel}"] = content
    return store


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


def write_files(root: Path, store: dict) -> None:
    """Write what the sections made into ``root``, the folder :func:`build` made."""
    for rel, content in sorted(store.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="\n")
        else:
            path.write_bytes(content)
