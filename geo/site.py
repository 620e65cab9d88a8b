"""The site's structure as data: one declaration of every page, made by asking each section for its pages.

:func:`assemble` runs the sections of :data:`SECTIONS` on each build context and gathers their pages, files and
snippets; the pages, in nav order, are the declaration (:class:`Site`), from which :func:`mkdocs_nav` gives MkDocs
its nav and :func:`render_docs` the complete docs folder (hand-written pages from ``docs/`` with their
``<!-- geo:NAME -->`` markers filled, and the generated pages and files), in memory. Adding a page is one entry in
a section; giving an indicator a map or a hotspot page is one flag in ``data/indicators.csv``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from geo.errors import InputError
from geo.render.output import Page
from geo.render.words import site_title
from geo.sections import after, app, assessment, data, home, hotspots, maps, road, trends, wards

SECTIONS = (home, assessment, maps, wards, hotspots, road, after, trends, data, app)
"""The sections of a vintage's site, in nav order; each exposes ``section(ctx) -> Section``."""
MARKER = re.compile(r"<!-- geo:([a-z0-9_.-]+) -->")


@dataclass(frozen=True)
class Site:
    name: str
    description: str
    pages: tuple[Page, ...]
    missing_months: tuple[str, ...] = ()


@dataclass
class Assembled:
    """Everything the sections made for the site: its declaration, generated pages, files and snippets."""

    site: Site
    pages: dict[str, str]
    files: dict[str, str | bytes]
    snippets: dict[str, str]


def assemble(contexts) -> Assembled:
    """Run every section on every context (a vintage of the site each) and gather what they make."""
    pages, files, snippets, declared = {}, {}, {}, []
    for ctx in contexts:
        for module in SECTIONS:
            out = module.section(ctx)
            for p in out.pages:
                path = ctx.prefix + p.path
                declared.append(Page(path, p.section, p.title, listed=p.listed))
                if p.markdown is not None:
                    _once(pages, path, p.markdown)
            for rel, content in out.files.items():
                _once(files, ctx.prefix + rel, content)
            for name, text in out.snippets.items():
                _once(snippets, name, text)
    first = contexts[0]
    title, about = site_title(first.place)
    missing = first.tables.reconciliation.missing_months
    return Assembled(Site(title, about, tuple(declared), tuple(missing)), pages, files, snippets)


def _once(store: dict, key: str, value) -> None:
    if key in store:
        raise ValueError(f"{key} was made twice")
    store[key] = value


def mkdocs_nav(site: Site) -> list:
    """MkDocs' nav for the declaration: sections in the order they first appear, index pages first."""
    nav: list = []
    sections: dict[str, list] = {}
    for p in site.pages:
        if not p.listed:
            continue
        if not p.section:
            nav.append({p.title: p.path})
            continue
        if p.section not in sections:
            sections[p.section] = []
            nav.append({p.section: sections[p.section]})
        sections[p.section].append(p.path if p.title is None else {p.title: p.path})
    return nav


def site_json(site: Site) -> str:
    """``site.json``: the declaration MkDocs and ``mkdocs serve`` read (name, description, nav, pages)."""
    pages = [{"path": p.path, "section": p.section, "title": p.title, "listed": p.listed} for p in site.pages]
    data = {
        "name": site.name,
        "description": site.description,
        "nav": mkdocs_nav(site),
        "pages": pages,
        "missing_months": list(site.missing_months),
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def read_site_json(out_dir: Path) -> dict:
    """The declaration a build wrote (``site.json`` in its out folder)."""
    path = Path(out_dir) / "site.json"
    if not path.is_file():
        raise InputError(path, "no site declaration here", fix="run `python -m geo build` first")
    return json.loads(path.read_text(encoding="utf-8"))


def site_from_json(data: dict) -> Site:
    """The declaration back from :func:`read_site_json`'s dict."""
    pages = tuple(Page(p["path"], p["section"], p["title"], listed=p.get("listed", True)) for p in data["pages"])
    return Site(data["name"], data["description"], pages, tuple(data["missing_months"]))


def _fill(markdown: str, snippets: dict, src: str, missing) -> str:
    def sub(m):
        if m.group(1) not in snippets:
            raise InputError(src, f"no generated snippet {m.group(1)!r} for its marker", fix="rebuild, or fix it")
        return snippets[m.group(1)]

    markdown = MARKER.sub(sub, markdown)
    if missing:  # a partial build (--allow-partial) says so on every page
        note = (
            f'\n!!! warning "Incomplete data"\n    This site was built without police.uk records for '
            f"{', '.join(missing)}: every count, rate and map leaves those months out.\n\n"
        )
        head, sep, rest = markdown.partition("\n") if markdown.startswith("# ") else ("", "", markdown)
        markdown = head + sep + note + rest
    abbr = snippets.get("abbreviations")
    return markdown + ("\n\n" + abbr if abbr is not None else "")


def render_docs(made: Assembled, docs_src: Path) -> dict[str, bytes]:
    """The complete docs folder for the declared site, path -> content (nothing is written here).

    Declared pages come from the generated pages when made, else from ``docs_src``; every generated page and file
    is included; ``docs_src``'s stylesheets and scripts are copied; markers are filled from the snippets. A
    declared page with no source, or a generated page that is not declared, is an error: the nav and the files
    cannot drift apart.
    """
    docs_src, site = Path(docs_src), made.site
    declared = {p.path for p in site.pages}
    stray = sorted(set(made.pages) - declared)
    if stray:
        raise InputError(stray[0], "a generated page that the site declaration does not list", fix="declare it")
    out: dict[str, bytes] = {}
    for path in sorted(declared):
        src = docs_src / path
        if path in made.pages:
            text, where = made.pages[path], f"pages/{path}"
        elif src.is_file():
            text, where = src.read_text(encoding="utf-8"), str(src)
        else:
            raise InputError(src, "a page the site declaration lists has no source", fix="write it or undeclare it")
        out[path] = _fill(text, made.snippets, where, site.missing_months).encode()
    for f in sorted(p for p in docs_src.rglob("*") if p.is_file() and p.suffix != ".md"):
        out[f.relative_to(docs_src).as_posix()] = f.read_bytes()
    for rel, content in sorted(made.files.items()):
        out[rel] = content.encode() if isinstance(content, str) else content
    return out
