"""The assessment's own tables (``data/report/*.csv``), read and checked at the edge.

Every table is transcribed as published, text and all (``1,056``, ``-19.6%``, ``N/A``, ``=11``); :data:`SCHEMAS`
says what each column may hold, so a mistyped figure is named by file, line and column before anything is
computed from it. The checks of the report's arithmetic are in :mod:`geo.analysis.report`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from geo.analysis.report import OUTCOME_COUNTS
from geo.errors import InputError
from geo.read.io import LINE, raise_first, read_table

_THREE_YEARS = {f"y20{a}_{a + 1}": "figure?" for a in (10, 11, 12)}
_COUNTS = {c: "count" for c in OUTCOME_COUNTS}
SCHEMAS = {
    "s1-1-5-community-safety-agreement": {"kind": "text", "item": "text"},
    "s3-1-annual-changes": {
        "category": "text", **_THREE_YEARS, "volume_change": "figure?", "pct_change": "figure?", "per_1000": "figure?",
        "county_rank": "figure?", "direction": "str", "denominator": "str",
    },
    "s3-2-resolution-outcomes": {"month": "month", **_COUNTS, "outcome_rate": "figure"},
    "s3-2-resolution-totals": {
        "period": "text", "months_in_label": "count", "first_month": "month", "last_month": "month",
        **{c: "count?" for c in OUTCOME_COUNTS}, "outcome_rate": "figure", "note": "str",
    },
    "s3-3-kcvs-perceptions": {
        "measure": "text", **_THREE_YEARS, "county_position": "figure?", "kcc_average": "figure?",
    },
    "s5-1-5-world-cup-fixtures": {
        "match": "text", "date_published": "day", "kick_off_local": "figure", "kick_off_bst": "figure",
    },
    "s5-6-road-safety-ksi": {
        "category": "text", **_THREE_YEARS, "volume_change": "figure?", "pct_change": "figure?",
        "county_rank": "figure?", "direction": "str",
    },
    "s5-8-5-9-priorities-2014-15": {"kind": "text", "order": "str", "item": "text"},
    "appx2-table1-imd-district-ranks": {
        "la_code": "text", "district": "text", "national_rank_2007": "count", "kcc_rank_2007": "count",
        "national_rank_2010": "count", "kcc_rank_2010": "count", "change_national": "figure", "change_kcc": "figure",
    },
    "appx2-table2-mosaic-groups": {"group": "text", "characteristics": "text"},
    "appx2-table3-unemployment": {
        "area": "text", "unemployed_july_2012": "count", "rate": "figure", "change_month_number": "figure",
        "change_month_pct": "figure", "change_year_number": "figure", "change_year_pct": "figure",
    },
    "appx4-glossary": {"abbreviation": "text", "meaning": "text"},
    "text-checks": {
        "section": "text", "claim": "text", "published": "text", "kind": "text", "check": "str", "note": "text",
    },
}  # fmt: skip
"""Each transcribed table's columns and what each may hold: ``figure`` a number as the report prints it (``1,056``,
``-19.6%``, ``=11``, ``18.00``), ``count`` a whole number (``8,986``), ``?`` also blank or ``N/A`` (as the report
prints a figure it does not have), ``month`` ``YYYY-MM``, ``day`` a date as printed (``Saturday 14 June``)."""
_FIGURE = re.compile(r"^[=+\-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")
_COUNT = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAY = re.compile(rf"^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day ([1-9]|[12]\d|3[01]) ({_MONTHS})$")
_SHAPES = {
    "figure": (_FIGURE, "a number as the report prints it, e.g. 1,056 or -19.6% or =11"),
    "count": (_COUNT, "a whole number, e.g. 8,986"),
    "day": (_DAY, "a date as the report prints it, e.g. Saturday 14 June"),
}


def load_table(report_dir: Path, name: str) -> pd.DataFrame:
    """One transcribed table (file ``<name>.csv``), all columns as published text, each value checked against
    the table's :data:`SCHEMAS` entry.

    Raises
    ------
    InputError
        Naming the file, line and column of a value that is not what the column holds (``n/a`` where a count
        belongs, ``75B`` where a number does).
    """
    path = Path(report_dir) / f"{name}.csv"
    schema = SCHEMAS.get(name)
    if schema is None:
        raise InputError(path, f"no table {name!r} is known", fix=f"the tables are {', '.join(SCHEMAS)}")
    kinds = {c: (k if k in ("text", "str", "month") else "str") for c, k in schema.items()}
    df = read_table(path, kinds)
    for col, kind in schema.items():
        shape = _SHAPES.get(kind.rstrip("?"))
        if shape is None:
            continue
        pattern, what = shape
        values = df[col].astype(str).str.strip()
        ok = values.str.match(pattern)
        if kind.endswith("?"):
            ok |= values.isin(["", "N/A"])
            what += " (or blank, or N/A)"
        raise_first(
            path, df, ~ok, col, lambda i, v=values, w=what: f"{v.iloc[i]!r} is not {w}", "transcribe it as printed"
        )
    out = df.drop(columns=[LINE])
    out.attrs["lines"] = [int(x) for x in df[LINE]]  # for messages about a row
    return out


CHECK_KINDS = {
    "lookup": (r"^[a-z0-9-]+\|[^|]+\|[a-z0-9_]+$", "table|row|column, e.g. s3-1-annual-changes|All Crime|y2012_13"),
    "pct": (r"^[\d,.]+\|[\d,.]+$", "before|after, e.g. 89|58"),
    "per1000": (r"^[\d,.]+\|[\d,.]+$", "count|thousands of residents, e.g. 5382|155.8"),
    "weekday": (r"^[a-z0-9-]+$", "the name of a table with a date_published column"),
    "share": (r"^[\d.]+\|[\d,]+$", "percentage|whole, e.g. 15.6|85 (the share must be a whole number of the whole)"),
    "text": (r"^$", "nothing (a text check is noted by hand)"),
}
"""The kinds of check in ``text-checks.csv`` and the shape of each one's ``check`` field."""


def _check_specs(checks: pd.DataFrame, path: Path) -> None:
    lines = checks.attrs.get("lines", [None] * len(checks))
    for (_, c), line in zip(checks.iterrows(), lines, strict=True):
        if c["kind"] not in CHECK_KINDS:
            raise InputError(path, f"unknown kind {c['kind']!r}", row=line, column="kind",
                             fix=f"use one of {', '.join(CHECK_KINDS)}")  # fmt: skip
        pattern, what = CHECK_KINDS[c["kind"]]
        if not re.match(pattern, str(c["check"]).strip()):
            raise InputError(path, f"{c['check']!r} is not a {c['kind']} check", row=line, column="check",
                             fix=f"write it as {what}")  # fmt: skip


def report_tables(report_dir: Path) -> dict:
    """Every transcribed table (name -> table, as :func:`load_table` reads it), with the text checks' references
    to them checked: each names a table, row and column that exist."""
    d = Path(report_dir)
    tables = {name: load_table(d, name) for name in SCHEMAS}
    checks = tables["text-checks"]
    path = d / "text-checks.csv"
    _check_specs(checks, path)
    for (_, c), line in zip(checks.iterrows(), checks.attrs["lines"], strict=True):
        if c["kind"] == "lookup":
            name, row, col = str(c["check"]).split("|")
            t = tables.get(name)
            if t is None or col not in t.columns or not (t[t.columns[0]] == row).any():
                raise InputError(path, f"no table {name!r} with row {row!r} and column {col!r}", row=line,
                                 column="check", fix="name a table, its first column's value and a column")  # fmt: skip
        elif c["kind"] == "weekday" and "date_published" not in tables.get(str(c["check"]), pd.DataFrame()).columns:
            raise InputError(path, f"no table {c['check']!r} with a date_published column", row=line, column="check",
                             fix="name the fixtures table")  # fmt: skip
    return tables
