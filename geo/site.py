"""The site's structure as data: one declaration of every page, from which the docs folder, nav and name follow.

:func:`declare_site` lists the pages of a district's site (path, nav section, title) from the indicator table's
flags and the build's place; :func:`render_docs` writes the complete docs folder MkDocs reads (hand-written
pages from ``docs/`` with their ``<!-- geo:NAME -->`` markers filled, and the generated pages and files), and
:func:`mkdocs_nav` turns the declaration into MkDocs' nav. Adding a page is one entry here; giving an indicator a
map or a hotspot page is one flag in ``data/indicators.csv``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from geo.errors import InputError

MARKER = re.compile(r"<!-- geo:([a-z0-9_.-]+) -->")
UNLISTED = ("wards/",)
"""Generated pages reached from an index page rather than the nav (26 ward profiles)."""

ASSESSMENT = (
    ("Executive summary", "assessment/index.md"),
    ("Introduction", "assessment/introduction.md"),
    ("Crime, outcomes and perceptions", "assessment/crime-outcomes-perceptions.md"),
    ("Performance in 2012/13", "assessment/performance.md"),
    ("Emerging issues and priorities", "assessment/emerging-issues.md"),
    ("Implementation and monitoring", "assessment/implementation.md"),
    ("Review date", "assessment/review-date.md"),
    ("Further information", "assessment/further-information.md"),
    ("Appendix 1: methodology and sources", "assessment/methodology.md"),
    ("Appendix 2: context", "assessment/context.md"),
    ("Appendix 3: terrorism and Prevent", "assessment/terrorism.md"),
    ("Appendix 4: glossary", "assessment/glossary.md"),
    ("Checking the report's arithmetic", "assessment/checks.md"),
)
"""The chapters that retell the assessment (hand-written, in ``docs/``), in the report's order."""


@dataclass(frozen=True)
class Page:
    """One page of the site."""

    path: str
    """Markdown path in the docs folder (``maps/asb.md``)."""
    section: str = ""
    """Nav section it sits in ('' for the top level)."""
    title: str | None = None
    """Nav title; None for a section's own index page."""


@dataclass(frozen=True)
class Site:
    name: str
    description: str
    pages: tuple[Page, ...]
    missing_months: tuple[str, ...] = ()


def declare_site(district_name: str, *, report: bool, indicators, kent: bool, missing_months=()) -> Site:
    """Every page of a district's site, in nav order.

    Parameters
    ----------
    district_name : str
        The district, as the ONS lookup names it.
    report : bool
        Whether this is the assessment's own district (its chapters and the 2014 monitoring page appear).
    indicators : iterable of geo.analysis.indicators.Indicator
        Headline indicators get a map page, hotspot indicators a hotspot page.
    kent : bool
        Whether the Kent comparison page was built.

    Examples
    --------
    >>> from types import SimpleNamespace as I
    >>> inds = [I(id="asb", title="ASB", headline=True, hotspot=True), I(id="x", title="X", headline=False,
    ...         hotspot=True)]
    >>> s = declare_site("Fixture", report=False, indicators=inds, kent=False)
    >>> [p.path for p in s.pages if p.section in ("Maps", "Hotspots")]
    ['maps/index.md', 'maps/asb.md', 'hotspots/index.md', 'hotspots/asb.md', 'hotspots/x.md']
    """
    pages = [Page("index.md", "", "Home")]
    if report:
        pages += [Page(path, "The assessment", title) for title, path in ASSESSMENT]
    pages.append(Page("maps/index.md", "Maps"))
    pages += [Page(f"maps/{i.id}.md", "Maps", i.title) for i in indicators if i.headline]
    pages.append(Page("wards/index.md", "", "Wards"))
    pages.append(Page("hotspots/index.md", "Hotspots"))
    pages += [Page(f"hotspots/{i.id}.md", "Hotspots", i.title) for i in indicators if i.hotspot]
    if report:
        pages.append(Page("after/monitoring.md", "After the assessment", "Monitoring in 2014"))
        if kent:
            pages.append(Page("after/kent.md", "After the assessment", "Kent comparison"))
    else:
        pages.append(Page("road-safety.md", "", "Road safety"))
        if kent:
            pages.append(Page("after/kent.md", "", "Kent comparison"))
    pages += [Page("data-and-methods.md", "", "Data and methods"), Page("downloads.md", "", "Downloads")]
    title, about = site_title(district_name, report)
    return Site(title, about, tuple(pages), tuple(missing_months))


def site_title(district_name: str, report: bool) -> tuple[str, str]:
    """The site's name and description (escaped: MkDocs' templates do not escape the site name)."""
    name = html.escape(district_name)
    if report:
        title, about = (
            "Safer Maidstone - community safety by ward",
            (
                "The Safer Maidstone Partnership Strategic Assessment 2014-15 told as a website, with ward maps of "
                "anti-social behaviour, drug offences, violence and deprivation from open data."
            ),
        )
    else:
        title = f"{name} - community safety by ward"
        about = f"Ward maps of crime, anti-social behaviour and deprivation in {name}, from open data."
    return title, about


def mkdocs_nav(site: Site) -> list:
    """MkDocs' nav for the declaration: sections in the order they first appear, index pages first."""
    nav: list = []
    sections: dict[str, list] = {}
    for p in site.pages:
        if not p.section:
            nav.append({p.title: p.path})
            continue
        if p.section not in sections:
            sections[p.section] = []
            nav.append({p.section: sections[p.section]})
        sections[p.section].append(p.path if p.title is None else {p.title: p.path})
    return nav


def write_site_json(site: Site, out_dir: Path) -> None:
    data = {"name": site.name, "description": site.description, "nav": mkdocs_nav(site), **asdict(site)}
    (Path(out_dir) / "site.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def read_site_json(out_dir: Path) -> dict:
    """The declaration a build wrote (``site.json`` in its out folder)."""
    path = Path(out_dir) / "site.json"
    if not path.is_file():
        raise InputError(path, "no site declaration here", fix="run `python -m geo build` first")
    return json.loads(path.read_text(encoding="utf-8"))


def site_from_json(data: dict) -> Site:
    """The declaration back from :func:`read_site_json`'s dict."""
    return Site(
        data["name"], data["description"], tuple(Page(**p) for p in data["pages"]), tuple(data["missing_months"])
    )


def _fill(markdown: str, snippets: Path, src: str, missing) -> str:
    def sub(m):
        path = snippets / f"{m.group(1)}.md"
        if not path.is_file():
            raise InputError(src, f"no generated snippet {m.group(1)!r} for its marker", fix="rebuild, or fix it")
        return path.read_text(encoding="utf-8")

    markdown = MARKER.sub(sub, markdown)
    if missing:  # a partial build (--allow-partial) says so on every page
        note = (
            f'\n!!! warning "Incomplete data"\n    This site was built without police.uk records for '
            f"{', '.join(missing)}: every count, rate and map leaves those months out.\n\n"
        )
        head, sep, rest = markdown.partition("\n") if markdown.startswith("# ") else ("", "", markdown)
        markdown = head + sep + note + rest
    abbr = snippets / "abbreviations.md"
    return markdown + ("\n\n" + abbr.read_text(encoding="utf-8") if abbr.is_file() else "")


def _put(path: Path, data: bytes) -> None:
    """Write only when the content differs, so that ``mkdocs serve`` does not see unchanged files as edits."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def render_docs(out_dir: Path, docs_src: Path, site: Site) -> Path:
    """Write the complete docs folder ``out_dir/docs`` for the declared site and return it.

    Declared pages come from the generated ``pages/`` when built there, else from ``docs_src``; every generated
    page and file is copied; ``docs_src``'s stylesheets and scripts are copied; markers are filled from
    ``snippets/``. A declared page with no source, or a generated page that is neither declared nor under
    :data:`UNLISTED`, is an error: the nav and the files cannot drift apart.
    """
    out_dir, docs_src = Path(out_dir), Path(docs_src)
    gen, snippets, dest = out_dir / "pages", out_dir / "snippets", out_dir / "docs"
    declared = {p.path for p in site.pages}
    generated = {p.relative_to(gen).as_posix() for p in gen.rglob("*.md")} if gen.is_dir() else set()
    stray = sorted(g for g in generated - declared if not g.startswith(UNLISTED))
    if stray:
        raise InputError(gen / stray[0], "a generated page that the site declaration does not list", fix="declare it")
    wanted = {}
    for path in sorted(declared | generated):
        src = gen / path if path in generated else docs_src / path
        if not src.is_file():
            raise InputError(src, "a page the site declaration lists has no source", fix="write it or undeclare it")
        wanted[path] = _fill(src.read_text(encoding="utf-8"), snippets, str(src), site.missing_months).encode()
    for f in sorted(p for p in docs_src.rglob("*") if p.is_file() and p.suffix != ".md"):
        wanted[f.relative_to(docs_src).as_posix()] = f.read_bytes()
    files = out_dir / "files"
    for f in sorted(p for p in files.rglob("*") if p.is_file()) if files.is_dir() else ():
        wanted[f.relative_to(files).as_posix()] = f.read_bytes()
    for rel, data in wanted.items():
        _put(dest / rel, data)
    for old in sorted((p for p in dest.rglob("*") if p.is_file()), reverse=True):  # pages no longer declared
        if old.relative_to(dest).as_posix() not in wanted:
            old.unlink()
    for d in sorted((p for p in dest.rglob("*") if p.is_dir()), reverse=True):
        if not any(d.iterdir()):
            shutil.rmtree(d)
    return dest
