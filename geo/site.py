"""The site's structure as data: one declaration of every page, made by asking each section for its pages.

:func:`assemble` runs the sections of :data:`SECTIONS` on each build context and gathers their pages, files and
snippets; the pages, in nav order, are the declaration (:class:`Site`), from which :func:`mkdocs_nav` gives MkDocs
its nav and :func:`render_docs` the complete docs folder (hand-written pages from ``docs/`` with their
``<!-- geo:NAME -->`` markers filled, ``{§5.1.3}`` claim markers linked, and the generated pages and files), in
memory. Adding a page is one entry in a section; giving an indicator a map or a hotspot page is one flag in
``data/indicators.csv``.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from geo.errors import InputError
from geo.render.claims import link_claims
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
    since,
    trends,
    wards,
)
from geo.timing import stage

SECTIONS = (home, assessment, maps, wards, hotspots, road, outcomes, after, since, trends, data, api, feeds, app)
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


ROOT_ONLY = frozenset({"sw.js", "manifest.webmanifest", "api/ward.schema.json", "api/index.schema.json"})
"""Files of which a site has one, at its root: a further vintage's copies are not made."""
FRONT_DOOR = "front-door"
"""The snippet of the site's home page map: the newest vintage's (the front door serves today)."""


def assemble(contexts) -> Assembled:
    """Run every section on every context (a vintage of the site each) and gather what they make.

    The first context's pages are at the site root; a further vintage's go under its prefix, in the nav under a
    section of its own, with its snippets named ``<tag>.<name>`` (its pages' markers likewise). With more than
    one vintage, every generated page says which vintage it shows and links to the other's.
    """
    pages, files, snippets, declared = {}, {}, {}, []
    for ctx in contexts:
        tag = ctx.prefix.strip("/")
        ward_pages = {f"wards/{s}.md": c for c, s in ctx.slugs.items()}
        for module in SECTIONS:
            with stage(f"[{tag or 'assessment'}] section {module.__name__.rsplit('.', 1)[-1]}"):
                out = module.section(ctx)
            for p in out.pages:
                path = ctx.prefix + p.path
                section = "/".join(filter(None, (vintage_nav(ctx) if tag else "", p.section)))
                title = "Overview" if tag and p.path == "index.md" else p.title
                declared.append(Page(path, section, title, listed=p.listed))
                if p.markdown is not None:
                    text = MARKER.sub(rf"<!-- geo:{tag}.\1 -->", p.markdown) if tag else p.markdown
                    _once(pages, path, banner(text, ctx, p.path, ward_pages) if len(contexts) > 1 else text)
            for rel, content in out.files.items():
                if not (tag and rel in ROOT_ONLY):
                    _once(files, ctx.prefix + rel, content)
            for name, text in out.snippets.items():
                if name == FRONT_DOOR:
                    snippets[FRONT_DOOR] = text  # the newest context's stays
                else:
                    _once(snippets, f"{tag}.{name}" if tag else name, text)
    first = contexts[0]
    title, about = site_title(first.place)
    missing = first.tables.reconciliation.missing_months
    return Assembled(Site(title, about, tuple(declared), tuple(missing)), pages, files, snippets)


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
        wards = ", ".join(
            f"[{html.escape(name)}]({'../' * path.count('/')}{page.removesuffix('.html')}.md)"
            for name, page, _ in ctx.related[code]
        )
        links += f" · The same ground {where}: {wards}."
    what = "Today's figures" if ctx.prefix else "The assessment's years"
    line = f'<p class="vintage" markdown>{what}: {html.escape(ctx.label)}. {links}</p>\n'
    head, sep, rest = markdown.partition("\n") if markdown.startswith("# ") else ("", "", markdown)
    return head + sep + "\n" + line + rest


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
