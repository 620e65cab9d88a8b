"""Where the report says it: a sentence that tells what the report says carries the report's section number.

A page's source writes the marker ``{§5.1.3}`` after the claim, or ``{§5.1.3 suggested workshop}`` with a few of
the report's own words that the claim depends on (kept for the claim test, ``tests/claims.py``; readers do not
see them). The built page shows a small link, ``§5.1.3``, to that section in the list of the report's sections
(``assessment/sections.md``), which names the site's page that retells it.
"""

from __future__ import annotations

import re

from geo.config import SECTION_REF

SECTIONS_PAGE = "assessment/sections.md"
"""The list of the report's sections, each with an anchor ``s5-1-3`` (``sA2`` for Appendix 2)."""
CLAIM = re.compile(r"\{§(?P<sec>A?\d+(?:\.\d+)*)(?P<words>(?: [\w']+)*)\}")
"""A marker in a page's source."""
CLAIM_LINK = re.compile(
    r"\[§(?P<sec>A?\d+(?:\.\d+)*)\]\([^)\s]*\)\{: \.cite title=\"[^\"]*\"(?: data-words=\"(?P<words>[^\"]*)\")? \}"
)
"""A marker as the built page's Markdown has it (see :func:`link_claims`)."""


def anchor(section: str) -> str:
    """The anchor of a section in the list of sections.

    >>> anchor("5.1.3"), anchor("A2")
    ('s5-1-3', 'sA2')
    """
    return "s" + section.replace(".", "-")


def link_claims(markdown: str, page: str) -> str:
    """Every marker of a page (at ``page``, a path in the docs folder) as a link to its section.

    >>> link_claims("Ranked third {§4.2 ranked}.", "assessment/performance.md")
    'Ranked third [§4.2](sections.md#s4-2){: .cite title="The report, section 4.2" data-words="ranked" }.'
    >>> link_claims("As said {§A2}.", "wards/fant.md")
    'As said [§A2](../assessment/sections.md#sA2){: .cite title="The report, Appendix 2" }.'
    """
    here = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    same_folder = here and SECTIONS_PAGE.startswith(here)
    target = SECTIONS_PAGE.removeprefix(here) if same_folder else "../" * page.count("/") + SECTIONS_PAGE

    def sub(m: re.Match) -> str:
        sec, words = m.group("sec"), m.group("words").strip()
        name = f"Appendix {sec[1:]}" if sec.startswith("A") else f"section {sec}"
        extra = f' data-words="{words}"' if words else ""
        return f'[§{sec}]({target}#{anchor(sec)}){{: .cite title="The report, {name}"{extra} }}'

    return CLAIM.sub(sub, markdown)


def markers(sections: str) -> str:
    """The claim markers for a data file's section references, ``;``-separated.

    >>> markers("1.2 Key facts; 4.1")
    '{§1.2} {§4.1}'
    """
    refs = [SECTION_REF.match(part.strip()) for part in sections.split(";")]
    if not all(refs):
        raise ValueError(f"{sections!r} does not start each part with a section number of the report")
    return " ".join(f"{{§{m.group(1)}}}" for m in refs)


def cited(text: str, sections: str) -> str:
    """``text`` with the markers of ``sections`` before its closing full stop.

    >>> cited("Named in 2013.", "5.6 Road safety")
    'Named in 2013 {§5.6}.'
    """
    body = text.rstrip()
    end = "." if body.endswith(".") else ""
    return f"{body.removesuffix(end)} {markers(sections)}{end}"
