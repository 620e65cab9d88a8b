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

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from geo import site, workers
from geo.cache import STAMP, cached
from geo.config import PROJECT_ROOT, Config
from geo.fingerprint import stamp_fingerprint
from geo.outdirs import check_output_dir, deferred_sigterm, new_dir, protected_dirs, replace_dir
from geo.timing import stage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    cached: bool
    stamp: str


def build(config: Config, *, force: bool = False, stamp: str | None = None, jobs: int | None = None) -> BuildResult:
    """Build every generated file for ``config`` unless an identical build is already in ``out_dir``.

    ``stamp`` is the input hash when the caller has just computed it (:func:`geo.cache.cached`), so that a build
    hashes its inputs once. ``jobs`` is how many processes build the site's vintages (:mod:`geo.workers`; the
    output is the same for any number).

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
    vintages = workers.plan(config)
    jobs = workers.default_jobs() if jobs is None else jobs
    if jobs > 1 and len(vintages) > 1:
        with stage("vintages, in parallel"):
            parts = workers.run(vintages)  # before this process imports the analysis, so that it overlaps theirs
    else:
        from geo.vintages import in_process

        parts = in_process(vintages)
    store = site_files(parts)
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


def site_files(parts: list[site.Part]) -> dict[str, str | bytes]:
    """Every file of the build's output folder, made in memory from every vintage's part: the sections' files,
    pages and snippets, the summary, the fingerprint stamped into every address, the declaration and the rendered
    docs folder."""
    made = site.merge(parts)
    store: dict[str, str | bytes] = {}
    store.update({f"files/{rel}": content for rel, content in made.files.items()})
    store.update({f"pages/{rel}": text for rel, text in made.pages.items()})
    store.update({f"snippets/{name}.md": text for name, text in made.snippets.items()})
    store["summary.json"] = parts[0].summary
    stamp_fingerprint(store)  # it hashes every file made, and versions the addresses the pages give them
    made.files = {k.removeprefix("files/"): v for k, v in store.items() if k.startswith("files/")}
    made.pages = {k.removeprefix("pages/"): v for k, v in store.items() if k.startswith("pages/")}
    made.snippets = {k.removeprefix("snippets/")[:-3]: v for k, v in store.items() if k.startswith("snippets/")}
    store["site.json"] = site.site_json(made.site)
    with stage("render docs"):
        for rel, content in site.render_docs(made, PROJECT_ROOT / "docs").items():
            store[f"docs/{rel}"] = content
    return store


def write_files(root: Path, store: dict) -> None:
    """Write what the sections made into ``root``, the folder :func:`build` made."""
    for rel, content in sorted(store.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="\n")
        else:
            path.write_bytes(content)
