"""The indicator table (``data/indicators.csv``): one row per indicator, read and checked against what the data
and the libraries can do (police.uk's categories, ColorBrewer's palettes, mapclassify's schemes)."""

from __future__ import annotations

import difflib
from pathlib import Path

from geo.analysis.indicators import Indicator
from geo.errors import InputError
from geo.read.io import LINE, read_table

KINDS = ("crime", "deprivation")
SCHEMES = ("FisherJenks", "Quantiles", "EqualInterval", "NaturalBreaks", "JenksCaspall")
PALETTES = (
    "Blues", "BuGn", "BuPu", "GnBu", "Greens", "Greys", "OrRd", "Oranges", "PuBu", "PuBuGn", "PuRd", "Purples",
    "RdPu", "Reds", "YlGn", "YlGnBu", "YlOrBr", "YlOrRd",
)  # fmt: skip
"""ColorBrewer's 18 sequential palettes, all marked colour-blind safe by ColorBrewer (colorbrewer2.org)."""
CLASSES = (3, 9)
"""The fewest and most map classes: ColorBrewer's sequential palettes have 3 to 9 colours (more are interpolated
and no longer tell neighbouring classes apart)."""
POLICE_CATEGORIES = (
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
    "Other theft", "Possession of weapons", "Public disorder and weapons", "Public order", "Robbery", "Shoplifting",
    "Theft from the person", "Vehicle crime", "Violence and sexual offences", "Violent crime",
)  # fmt: skip
"""Every category police.uk's street-level files have used: the 14 of today (data.police.uk's crime-categories
list) and the two it replaced in May 2013, 'Violent crime' and 'Public disorder and weapons'."""


COLUMNS = {
    "id": "text",
    "title": "text",
    "kind": "text",
    "headline": "text",
    "hotspot": "text",
    "police_categories": "str",
    "priority": "str",
    "lead": "text",
    "recorded_crime": "text",
    "scheme": "text",
    "k": "int",
    "palette": "text",
    "suppress_below": "int",
    "description": "text",
}
"""The indicator table's columns and how each is read (see ``data/indicators.csv``)."""


def indicators_from_csv(path: Path) -> tuple[Indicator, ...]:
    """Read and check the indicator table; no police.uk category may belong to two indicators."""
    df = read_table(path, COLUMNS)
    out, owner = [], {}
    for rec in df.to_dict("records"):
        row, line = _Row(rec), rec[LINE]
        _check_row(row, line, path)
        cats = _categories(row, line, path, owner)
        out.append(
            Indicator(
                row.id,
                row.title,
                row.kind,
                row.headline == "yes",
                row.hotspot == "yes",
                cats,
                row.scheme,
                int(row.k),
                row.palette,
                int(row.suppress_below),
                row.description,
                _priority(row, line, path),
                row.lead == "yes",
                row.recorded_crime == "yes",
            )
        )
    ids = [i.id for i in out]
    if len(set(ids)) != len(ids):
        raise InputError(path, "indicator ids must be unique", column="id")
    ranks = [i.priority for i in out if i.priority is not None]
    if sorted(ranks) != list(range(1, len(ranks) + 1)):
        raise InputError(path, f"priorities {sorted(ranks)} are not 1, 2, 3 …", column="priority",
                         fix="number the priorities from 1, each once")  # fmt: skip
    if sum(i.lead for i in out) > 1:
        raise InputError(path, "more than one indicator has lead=yes", column="lead", fix="lead with one")
    return tuple(out)


def _priority(row, line: int, path: Path) -> int | None:
    """The row's place among the priorities: blank, or a whole number from 1, on a police.uk indicator."""
    text = row.priority.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1 or row.kind != "crime":
        raise InputError(path, f"priority {text!r}: blank, or a whole number from 1 for a police.uk indicator",
                         row=line, column="priority", fix="number the priorities 1, 2, 3 …")  # fmt: skip
    return int(text)


class _Row(dict):
    __getattr__ = dict.__getitem__


def _categories(row: _Row, line: int, path: Path, owner: dict) -> tuple[str, ...]:
    """The row's police.uk categories, each a real one and in no other row (``owner``: category -> indicator)."""
    cats = tuple(c.strip() for c in row.police_categories.split(";") if c.strip())
    if row.kind == "crime" and not cats:
        raise InputError(
            path, f"crime indicator {row.id!r} counts no police.uk category", row=line, column="police_categories"
        )
    for c in cats:
        if c not in POLICE_CATEGORIES:
            near = difflib.get_close_matches(c, POLICE_CATEGORIES, n=1, cutoff=0.6)
            raise InputError(
                path,
                f"{c!r} is not a police.uk category" + (f" (did you mean {near[0]!r}?)" if near else ""),
                row=line,
                column="police_categories",
                fix=f"use police.uk's names, separated by ';': {', '.join(POLICE_CATEGORIES)}",
            )
        if c in owner:
            raise InputError(
                path, f"category {c!r} is in both {owner[c]!r} and {row.id!r}", row=line, column="police_categories"
            )
        owner[c] = row.id
    return cats


def _check_row(row: _Row, line: int, path: Path) -> None:
    """The row's kind, flags, scheme, classes, palette and disclosure threshold are ones the maps and the libraries
    can honour."""
    if row.kind not in KINDS:
        raise InputError(path, f"kind {row.kind!r} is not one of {KINDS}", row=line, column="kind")
    if row.scheme not in SCHEMES:
        raise InputError(path, f"scheme {row.scheme!r} is not one of {SCHEMES}", row=line, column="scheme")
    for flag in ("headline", "hotspot", "lead", "recorded_crime"):
        if row[flag] not in ("yes", "no"):
            raise InputError(path, f"{flag} must be yes or no, not {row[flag]!r}", row=line, column=flag)
    if row.hotspot == "yes" and row.kind != "crime":
        raise InputError(path, "only police.uk indicators have hotspots", row=line, column="hotspot")
    lo, hi = CLASSES
    if not lo <= int(row.k) <= hi:
        raise InputError(
            path,
            f"k={row.k}: a map has {lo} to {hi} classes",
            row=line,
            column="k",
            fix=f"give k from {lo} to {hi} (ColorBrewer's sequential palettes have at most {hi} colours)",
        )
    if row.palette not in PALETTES:
        near = difflib.get_close_matches(row.palette, PALETTES, n=1)
        raise InputError(
            path,
            f"palette {row.palette!r} is not a ColorBrewer sequential palette"
            + (f" (did you mean {near[0]!r}?)" if near else ""),
            row=line,
            column="palette",
            fix=f"use one of {', '.join(PALETTES)}",
        )
    if not 0 <= int(row.suppress_below) <= 100:
        raise InputError(
            path,
            f"suppress_below={row.suppress_below}: counts from 1 up to this are hidden; it must be 0 to 100",
            row=line,
            column="suppress_below",
            fix="0 hides nothing; police.uk's own small-number rule is 5",
        )
