"""Every number in the chapter prose must be the report's own or be marked as the site's.

The report's numbers are ``tests/data/report-numbers.txt`` (every number in the report's text, normalised, made
once from the text with :func:`numbers_in`) plus every number in its transcribed tables under ``data/report/``
(the site's own notes in ``text-checks.csv`` excluded). A number that is the site's own carries a
``<!-- derived: how -->`` note right after it in the page's source.
"""

from __future__ import annotations

import re
from pathlib import Path

from geo.config import PROJECT_ROOT
from geo.render.claims import CLAIM

REPORT_NUMBERS = Path(__file__).parent / "data" / "report-numbers.txt"
CHAPTERS = PROJECT_ROOT / "docs" / "assessment"
_NUM = re.compile(r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?)(\s?%)?")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DERIVED = re.compile(r"\s*<!-- derived:")


def normalise(number: str, percent: bool = False) -> str:
    """``'1,570'`` -> ``'1570'``; ``'15.70'`` -> ``'15.7'``; a percentage keeps a leading ``%``.

    >>> normalise("1,570"), normalise("15.70", True), normalise("08")
    ('1570', '%15.7', '8')
    """
    v = number.replace(",", "")
    if "." in v:
        v = v.rstrip("0").rstrip(".")
    return ("%" if percent else "") + (v.lstrip("0") or "0")


def numbers_in(text: str) -> set[str]:
    """Every number in ``text``, normalised."""
    return {normalise(m.group(1), bool(m.group(2))) for m in _NUM.finditer(text)}


def report_numbers() -> set[str]:
    known = set(REPORT_NUMBERS.read_text().split())
    for table in sorted((PROJECT_ROOT / "data" / "report").glob("*.csv")):
        if table.stem != "text-checks":
            known |= numbers_in(table.read_text(encoding="utf-8"))
    return known


def unsourced(source: str, known: set[str]) -> list[tuple[int, str]]:
    """(line, number) for each number in a page's Markdown source that is neither the report's nor marked derived.

    Comments (the ``<!-- geo:… -->`` markers, ``derived`` notes), claim markers (``{§4.1}``) and link targets are
    not prose and are skipped.
    """
    blanked = _COMMENT.sub(lambda m: " " * len(m.group()), source)
    blanked = CLAIM.sub(lambda m: " " * len(m.group()), blanked)  # a claim marker's section number is no figure
    blanked = re.sub(r"\]\([^)]*\)", lambda m: " " * len(m.group()), blanked)
    out = []
    for m in _NUM.finditer(blanked):
        if normalise(m.group(1), bool(m.group(2))) in known or _DERIVED.match(source, m.end()):
            continue
        out.append((source.count("\n", 0, m.start()) + 1, m.group(0)))
    return out
