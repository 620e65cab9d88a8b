"""The words every page shares, defined once: the place, the period, the comparison verdicts and their markers.

Page code takes its place from the build context and never assumes one: :class:`Place` has no default, so a page
function that forgets it fails instead of borrowing another district's wording. The comparison words go to the
templates and, through the in-page map data, to the browser script.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from geo.analysis.deprivation import Edition


@dataclass(frozen=True)
class Place:
    """What the generated pages say about the build's district."""

    name: str
    """The district's name, as the ONS lookup spells it (``Maidstone``, ``Swale``)."""
    report: bool
    """Whether the site narrates the assessment (only for the report's own district)."""
    edition: Edition
    """The Indices of Deprivation edition the deprivation figures use."""
    lookup_note: str
    """Where the LSOA -> ward lookup came from."""
    report_period: bool
    """Whether the build covers the assessment's own year."""
    wards_year: str
    """The vintage of the ward boundaries (December of that year)."""
    census: int = 2011
    """The Census whose residents are the denominators (2011, or 2021 on 2021 LSOAs)."""

    @property
    def area(self) -> str:
        """What the pages call the whole district: the report says borough; 'district' fits every LAD."""
        return "borough" if self.report else "district"


COMPARISON_WORDS = {
    "higher": "Significantly higher",
    "lower": "Significantly lower",
    "similar": "Not significantly different",
    "suppressed": "Suppressed (small number)",
    "unknown": "Unknown",
}
"""How the comparison with the district is worded; 'significantly' only when the exact test gives p < 0.05."""
MARKERS = {"higher": "▲", "lower": "▼", "similar": "●", "suppressed": "–", "unknown": "–"}
"""The marker beside each verdict, for readers who do not see the colour."""


def comparison_text(compared: str) -> str:
    """Marker and words; 'significantly' appears only where the exact test finds the ward different.

    >>> comparison_text("higher")
    '▲ Significantly higher'
    >>> comparison_text("similar")
    '● Not significantly different'
    """
    return f"{MARKERS[compared]} {COMPARISON_WORDS[compared]}"


def number_words(n: int) -> str:
    """A small count in words, as prose writes it (``3`` -> ``'three'``); larger ones in figures.

    >>> number_words(4), number_words(12)
    ('four', '12')
    """
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[n] if 0 <= n < len(words) else f"{n:,}"


def month_words(month: str) -> str:
    """``'2014-11'`` -> ``'November 2014'``: how a person reads a month.

    >>> month_words("2014-11")
    'November 2014'
    """
    return f"{calendar.month_name[int(month[5:7])]} {month[:4]}"


def period_words(start: str, end: str, missing=()) -> str:
    """``'2012-04', '2013-03'`` -> ``'April 2012 to March 2013'``, naming any months without data.

    >>> period_words("2012-04", "2013-03", missing=["2012-05"])
    'April 2012 to March 2013 (no police.uk records for May 2012)'
    """
    text = month_words(start) if start == end else f"{month_words(start)} to {month_words(end)}"
    if missing:
        text += f" (no police.uk records for {', '.join(month_words(m) for m in missing)})"
    return text


def period_words_short(p) -> str:
    """``Period("2012-04", "2012-09")`` -> ``'April-September 2012'`` (both years where they differ).

    >>> from geo.config import Period
    >>> period_words_short(Period("2012-04", "2012-09")), period_words_short(Period("2012-04", "2013-03"))
    ('April-September 2012', 'April 2012-March 2013')
    """
    a, b = (calendar.month_name[int(m[5:])] for m in (p.start, p.end))
    if p.start[:4] != p.end[:4]:
        return f"{a} {p.start[:4]}-{b} {p.end[:4]}"
    return f"{a}-{b} {p.start[:4]}"


def month_span_short(p) -> str:
    """``Period("2012-04", "2012-11")`` -> ``'Apr-Nov 2012'`` (table headings).

    >>> from geo.config import Period
    >>> month_span_short(Period("2012-04", "2012-11"))
    'Apr-Nov 2012'
    """
    a, b = (calendar.month_abbr[int(m[5:])] for m in (p.start, p.end))
    return f"{a}-{b} {p.start[:4]}"


def month_ranges(months) -> str:
    """Months as runs: ``['2012-04', '2012-05', '2012-07']`` -> ``'April 2012 to May 2012 and July 2012'``.

    >>> month_ranges(["2012-04", "2012-05", "2012-07"])
    'April 2012 to May 2012 and July 2012'
    """
    from geo.analysis.spc import stretches

    runs = [period_words(r[0], r[-1]) for r in stretches(months)]
    return runs[0] if len(runs) == 1 else ", ".join(runs[:-1]) + " and " + runs[-1]


def slugify(name: str, code: str) -> str:
    """File name for a ward page: the name in lower case with hyphens, or the code if nothing is left.

    >>> slugify("Boughton Monchelsea and Chart Sutton", "E05004985")
    'boughton-monchelsea-and-chart-sutton'
    >>> slugify("<script>", "E05000001")
    'script'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")
    return slug or code


def ward_slugs(codes, names) -> dict[str, str]:
    """Ward code -> unique page slug (a clash gets the code appended)."""
    out, seen = {}, set()
    for code, name in sorted(zip(codes, names, strict=True)):
        slug = slugify(name, code)
        if slug in seen:
            slug = f"{slug}-{code.lower()}"
        seen.add(slug)
        out[code] = slug
    return out


def site_title(place: Place) -> tuple[str, str]:
    """The site's name and description (escaped: MkDocs' templates do not escape the site name). The report's
    site is named after its partnership, Safer <district>."""
    import html

    name = html.escape(place.name)
    if place.report:
        return (
            f"Safer {name} - community safety by ward",
            f"The Safer {name} Partnership Strategic Assessment 2014-15 told as a website, with ward maps of "
            "anti-social behaviour, drug offences, violence and deprivation from open data.",
        )
    return (
        f"{name} - community safety by ward",
        f"Ward maps of crime, anti-social behaviour and deprivation in {name}, from open data.",
    )
