"""The site engines: MkDocs with Material for MkDocs (the default), or Zensical, Material's successor by the same
team, which reads the same ``mkdocs.yml``.

Material for MkDocs says it reaches end of life on 5 May 2027, so the site can be built with either:
``python -m geo build --engine zensical``. Both take the nav, the site name and its description from the one
site declaration (``build/site.json``) and the rendered docs folder (``build/docs``).

MkDocs builds every page; when only some files of the docs folder changed since it built the site it is given
(:func:`geo.cache.last_site`), it builds those pages alone (:class:`Pages`): the other pages keep the titles they
had (so the nav every page shows is the same), the search index keeps their entries in their places, and if a page
built again has a new title (which every page's nav shows) :func:`build_with_mkdocs` builds every page after all.
The result is the whole site's, byte for byte (tested). Zensical always builds the whole site (with its own page
cache).

What Zensical (0.0.73, pinned in ``pyproject.toml``) does differently, and the fallback chosen for each:

- It runs no MkDocs hooks. The hook (``scripts/mkdocs_hooks.py``) only hands MkDocs the declaration's nav and
  name and re-renders ``docs/`` for ``mkdocs serve``; here the nav and name are written into the configuration
  Zensical reads, and the build brings the docs folder up to date with ``docs/`` before either engine runs.
- It refuses a docs folder, theme folder or site folder outside the folder of its configuration file. So its
  project is the build's output folder: the configuration (``zensical.yml``) and a copy of ``overrides/`` are
  written there, the site is built into ``.zensical-site`` there, and then moved into place like MkDocs' site
  (a temporary folder swapped in only when the build succeeded). Its page cache (``.cache``) stays in the output
  folder, so a rebuild from the same output is quicker.
- It uses Material's newer "modern" look, in which the current page's nav link (the accent colour on its tint,
  2.5:1) and the light footer's copyright line (1.9:1) fall short of WCAG's 4.5:1. A small stylesheet for
  Zensical only (:data:`ZENSICAL_CSS`, written into its copy of the theme folder, which it copies to the site)
  gives both the page's text colours.
- It writes its search index to ``search.json``; the site's own scripts, maps, service worker and offline copies
  are the same files on either engine.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from geo.config import PROJECT_ROOT

log = logging.getLogger(__name__)

ENGINES = ("mkdocs", "zensical")
ZENSICAL_SITE = ".zensical-site"
"""Where Zensical builds inside the output folder, before the site is moved to its folder."""
ZENSICAL_CONFIG = "zensical.yml"
ZENSICAL_CSS_PATH = "assets/stylesheets/zensical.css"
ZENSICAL_CSS = """/* Zensical's modern look only (geo/engines.py): text colours with WCAG AA contrast */
.md-nav__link--active, .md-nav__link--active .md-ellipsis { color: var(--md-primary-fg-color--dark); }
.md-copyright, .md-copyright__highlight { color: var(--md-default-fg-color); }
"""


def zensical_config(declared: dict, site_url: str | None = None) -> dict:
    """``mkdocs.yml`` as Zensical should read it for the build's output folder: the declaration's nav, name and
    description, the docs, theme and site folders inside that folder, and no MkDocs hooks."""
    import yaml

    cfg = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("hooks", "watch"):
        cfg.pop(key, None)
    cfg.update(
        docs_dir="docs",
        site_dir=ZENSICAL_SITE,
        nav=declared["nav"],
        site_name=declared["name"],
        site_description=declared["description"],
    )
    cfg["theme"]["custom_dir"] = "overrides"
    cfg["extra_css"] = [*cfg.get("extra_css", []), ZENSICAL_CSS_PATH]
    if site_url:
        cfg["site_url"] = site_url.rstrip("/") + "/"
    return cfg


def build_with_zensical(out_dir: Path, into: Path, declared: dict, site_url: str | None = None) -> None:
    """Build ``out_dir``'s docs folder with Zensical, strictly, and put the site into ``into`` (an empty folder
    the caller made and will swap in)."""
    import yaml
    import zensical

    out_dir = Path(out_dir)
    shutil.rmtree(out_dir / "overrides", ignore_errors=True)
    shutil.copytree(PROJECT_ROOT / "overrides", out_dir / "overrides")
    css = out_dir / "overrides" / ZENSICAL_CSS_PATH
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(ZENSICAL_CSS, encoding="utf-8")
    shutil.rmtree(out_dir / ZENSICAL_SITE, ignore_errors=True)
    config = out_dir / ZENSICAL_CONFIG
    text = yaml.safe_dump(zensical_config(declared, site_url), sort_keys=False, allow_unicode=True)
    config.write_text(text, encoding="utf-8")
    try:
        zensical.build(str(config), {"strict": True, "clean": False})
        shutil.copytree(out_dir / ZENSICAL_SITE, into, dirs_exist_ok=True)
    finally:
        shutil.rmtree(out_dir / ZENSICAL_SITE, ignore_errors=True)


def build_with_mkdocs(out_dir: Path, into: Path, declared: dict, site_url: str | None, epoch: str, since=None) -> dict:
    """``mkdocs build --strict`` of ``out_dir``'s docs folder, with the declaration's nav and name, into ``into``
    (an empty folder the caller made and will swap in); ``epoch`` dates the sitemap.

    ``since`` is ``(site_dir, changed, titles)`` when ``site_dir`` is the site MkDocs last built from this docs
    folder and only the files ``changed`` differ: ``into`` then starts as its copy and only those pages are built
    (:class:`Pages`). Returns the titles of the nav's pages, for the next build."""
    if since is not None:
        site_dir, changed, titles = since
        shutil.copytree(site_dir, into, dirs_exist_ok=True)
        try:
            index = (Path(into) / "search" / "search_index.json").read_bytes()
            pages = _mkdocs(out_dir, into, declared, site_url, epoch, Pages(changed, titles, index))
            if pages.titles_now == titles:
                return titles
            log.info("a page's title changed, and every page's nav shows it: building every page")
        except (KeyError, OSError) as exc:  # no title or place known for a page: build them all
            log.info("building every page (%s)", exc)
    return _mkdocs(out_dir, into, declared, site_url, epoch, Pages()).titles_now


def _mkdocs(out_dir: Path, into: Path, declared: dict, site_url: str | None, epoch: str, pages: Pages) -> Pages:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    extra = {"site_url": site_url.rstrip("/") + "/"} if site_url else {}
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    quiet = _DirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        cfg = load_config(
            str(PROJECT_ROOT / "mkdocs.yml"),
            site_dir=str(into),
            docs_dir=str(Path(out_dir) / "docs"),
            nav=declared["nav"],
            site_name=declared["name"],
            site_description=declared["description"],
            strict=True,
            **extra,
        )
        cfg.plugins["geo-pages"] = pages
        mkdocs_build(cfg, dirty=pages.changed is not None)
        return pages
    finally:  # leave the process's environment and MkDocs' logger as they were
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


class _DirtyWarning(logging.Filter):
    """MkDocs warns that a 'dirty' build may leave the nav inaccurate, which strict mode makes an error; here the
    nav is kept accurate (:class:`Pages`), so that one warning is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class Pages:
    """A MkDocs plugin (events only) for building some pages of a site again (``changed``: docs-folder paths),
    given the titles every nav page had (``titles``) and the search index (``index``, bytes) of the site it last
    built; or, with no arguments, for a whole build. Either way it gathers the nav pages' titles (``titles_now``)."""

    def __init__(self, changed: set | None = None, titles: dict | None = None, index: bytes | None = None):
        self.changed, self.titles, self.index = changed, titles or {}, index
        self.nav = None
        self.titles_now: dict = {}

    def on_files(self, files, config):
        if self.changed is not None:
            for f in files:  # MkDocs' own test is by modification time; this is by content
                f.is_modified = (lambda hit: lambda: hit)(f.src_uri in self.changed)
        return files

    def on_nav(self, nav, config, files):
        self.nav = nav
        if self.changed is not None:
            for page in nav.pages:
                if page.file.src_uri not in self.changed:
                    page.title = self.titles[page.file.src_uri]  # not read again: the title it had
        return nav

    def on_post_build(self, config):
        self.titles_now = {p.file.src_uri: p.title for p in self.nav.pages}
        if self.changed is None:
            return
        path = Path(config.site_dir) / "search" / "search_index.json"
        path.write_bytes(merged_index(self.index, path.read_bytes(), self.nav.pages, self.changed))


def merged_index(old: bytes, new: bytes, pages, changed: set) -> bytes:
    """The search index of the whole site from the last one (``old``) and that of the pages built again
    (``new``): each page's entries in the place its old ones had, in the bytes Material writes."""
    old_data, new_data = json.loads(old), json.loads(new)
    url_of = {p.file.src_uri: p.url for p in pages}
    again = {url_of.get(src) for src in changed}
    fresh: dict = {}
    for entry in new_data["docs"]:
        fresh.setdefault(entry["location"].split("#")[0], []).append(entry)
    docs, done = [], set()
    for entry in old_data["docs"]:
        page = entry["location"].split("#")[0]
        if page not in again:
            docs.append(entry)
        elif page not in done:
            docs += fresh.pop(page, [])
            done.add(page)
    if fresh:  # a page with entries now that had none: its place is unknown
        raise KeyError(sorted(fresh)[0])
    data = {"config": new_data["config"], "docs": docs}
    return json.dumps(data, separators=(",", ":"), default=str).encode("utf-8")
