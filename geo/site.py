"""The site's structure as data: one declaration of every page, gathered from what each vintage's sections made.

Each vintage of the site runs the sections on its build context (:func:`geo.vintages.site_part`, in a process of
its own when there are several: :mod:`geo.workers`) and hands back a :class:`Part`; :func:`merge` joins the parts in
vintage order into the site's declaration (:class:`Site`: the pages in nav order) and its generated pages, files and
snippets, from which :func:`mkdocs_nav` gives MkDocs its nav and :func:`render_docs` the complete docs folder
(hand-written pages from ``docs/`` with their ``<!-- geo:NAME -->`` markers filled, ``{§5.1.3}`` claim markers
linked, and the generated pages and files), in memory. Adding a page is one entry in a section; giving an indicator
a map or a hotspot page is one flag in ``data/indicators.csv``.

This module imports no analysis or map library, so that ``mkdocs serve``'s hook and a warm build stay light.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import InputError
from geo.render.claims import link_claims
from geo.render.output import Page

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


@dataclass
class Part:
    """What one vintage's sections made (:func:`geo.vintages.site_part`), its addresses already under the
    vintage's prefix and its snippets named with its tag."""

    declared: list[Page]
    pages: dict[str, str]
    files: dict[str, str | bytes]
    snippets: dict[str, str]
    front_door: str | None = None
    """The vintage's :data:`FRONT_DOOR` snippet, if it made one (the newest vintage's is the site's)."""
    name: str = ""
    """The site's name and description, and the months the build had no police.uk file for, as the first
    vintage (the site root's) gives them."""
    description: str = ""
    missing_months: tuple[str, ...] = ()
    summary: str = ""
    """``summary.json`` of the vintage (the first vintage's is the build's)."""
    times: dict[str, float] = field(default_factory=dict)
    """Seconds per stage of the vintage (:mod:`geo.timing`), for the build's profile."""


def merge(parts: list[Part]) -> Assembled:
    """The site of every vintage's part, in vintage order: the first's pages at the site root, its name, and its
    months without data; the newest vintage's front door. An address made twice is an error."""
    pages, files, snippets, declared = {}, {}, {}, []
    for part in parts:
        declared += part.declared
        for store, made in ((pages, part.pages), (files, part.files), (snippets, part.snippets)):
            for key, value in made.items():
                _once(store, key, value)
        if part.front_door is not None:
            snippets[FRONT_DOOR] = part.front_door  # the newest vintage's stays
    first = parts[0]
    site = Site(first.name, first.description, tuple(declared), tuple(first.missing_months))
    return Assembled(site, pages, files, snippets)


ROOT_ONLY = frozenset({"sw.js", "manifest.webmanifest", "api/ward.schema.json", "api/index.schema.json"})
"""Files of which a site has one, at its root: a further vintage's copies are not made."""
FRONT_DOOR = "front-door"
"""The snippet of the site's home page map: the newest vintage's (the front door serves today)."""


def _once(store: dict, key: str, value) -> None:
    if key in store:
        raise ValueError(f"{key} was made twice")
    store[key] = value


def mkdocs_nav(site: Site) -> list:
    """MkDocs' nav for the declaration: sections in the order they first appear, index pages first; a section
    named ``A/B`` is section B inside section A."""
    nav: list = []
    sections: dict[str, list] = {}

    def entries(section: str) -> list:
        if not section:
            return nav
        if section not in sections:
            parent, _, name = section.rpartition("/")
            sections[section] = []
            entries(parent).append({name: sections[section]})
        return sections[section]

    for p in site.pages:
        if p.listed:
            entries(p.section).append(p.path if p.title is None and p.section else {p.title: p.path})
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


def _fill(markdown: str, snippets: dict, src: str, missing, path: str) -> str:
    def sub(m):
        if m.group(1) not in snippets:
            raise InputError(src, f"no generated snippet {m.group(1)!r} for its marker", fix="rebuild, or fix it")
        return snippets[m.group(1)]

    markdown = link_claims(MARKER.sub(sub, markdown), path)
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
        out[path] = _fill(text, made.snippets, where, site.missing_months, path).encode()
    for f in sorted(p for p in docs_src.rglob("*") if p.is_file() and p.suffix != ".md"):
        out[f.relative_to(docs_src).as_posix()] = f.read_bytes()
    for rel, content in sorted(made.files.items()):
        out[rel] = content.encode() if isinstance(content, str) else content
    return out


def stale_docs(out_dir: Path, docs_src: Path) -> dict[str, bytes]:
    """The files of ``out_dir``'s docs folder that differ from what its generated pages, files and snippets and
    ``docs_src``'s hand-written pages render to now, path -> content (so that an edit to ``docs/`` reaches the
    site without the analysis, and ``mkdocs serve`` sees it); the caller writes them
    (:func:`geo.build.write_files`)."""
    out = Path(out_dir)

    def folder(name: str, suffix: str = "") -> dict:
        root = out / name
        found = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        return {p.relative_to(root).as_posix().removesuffix(suffix): p.read_bytes() for p in found}

    pages = {k: v.decode() for k, v in folder("pages").items()}
    snippets = {k: v.decode() for k, v in folder("snippets", ".md").items()}
    made = Assembled(site_from_json(read_site_json(out)), pages, folder("files"), snippets)
    docs = out / "docs"
    return {
        rel: data
        for rel, data in render_docs(made, docs_src).items()
        if not ((docs / rel).is_file() and (docs / rel).read_bytes() == data)
    }
