"""The assessment's own tables (``data/report/*.csv``) and checks of their arithmetic.

Every table is transcribed as published, text and all ("1,056", "-19.6%", "N/A", "=11"). The checks
recompute each change, percentage, rate and total from the table's own figures and return a
:class:`Flag` wherever the published figure differs by more than its rounding allows.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import pandas as pd

POPULATION_K = {"population": 155.8, "households": 63.4, "adults": 122.0}
"""Denominators (thousands) the report says it used for rates per 1,000 (section 3.1, note 4)."""
OUTCOME_COUNTS = (
    "recorded_crime",
    "resolution_outcomes",
    "charge",
    "caution",
    "taken_into_consideration",
    "penalty_notice",
    "family_work_conflict",
)
"""The count columns of the resolution outcome tables (section 3.2)."""
REPORT_YEAR = 2014  # the World Cup fixtures are in June 2014


@dataclass(frozen=True)
class Flag:
    """A published figure that its own table (or text) does not support."""

    section: str
    table: str
    item: str
    published: str
    recomputed: str
    note: str


def parse_num(text) -> float | None:
    """A published figure as a number: thousands separators, %, = (tied rank) and minus signs handled.

    >>> parse_num("-1,056"), parse_num("19.6%"), parse_num("=11"), parse_num("N/A")
    (-1056.0, 19.6, 11.0, None)
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    s = str(text).strip().replace(",", "").replace("%", "").replace("=", "").replace("−", "-")
    if s in ("", "N/A", "n/a", "-"):
        return None
    try:
        return float(s)
    except ValueError:
        return None


def decimals(text) -> int:
    """Number of decimal places a published figure was given to.

    >>> decimals("19.6%"), decimals("2.66"), decimals("1,056")
    (1, 2, 0)
    """
    m = re.search(r"\.(\d+)", str(text))
    return len(m.group(1)) if m else 0


def _agrees(published: str, value: float, slack: float = 0.0) -> bool:
    """True if ``value`` rounds to the published figure (half a unit of its last digit, plus ``slack``)."""
    p = parse_num(published)
    return p is not None and abs(p - value) <= 0.5 * 10 ** -decimals(published) + slack + 1e-9


def check_changes(df: pd.DataFrame, *, section: str, table: str, per_1000: bool) -> list[Flag]:
    """Volume change, % change and (optionally) rate per 1,000 of a three-year table."""
    flags = []
    for _, r in df.iterrows():
        a, b = parse_num(r["y2011_12"]), parse_num(r["y2012_13"])
        item = r["category"]
        if a is None or b is None or "%" in str(r["y2012_13"]):
            continue
        change = b - a
        if parse_num(r["volume_change"]) is not None and parse_num(r["volume_change"]) != change:
            flags.append(
                Flag(
                    section,
                    table,
                    f"{item}: volume change",
                    r["volume_change"],
                    f"{change:+,.0f}",
                    f"{b:,.0f} - {a:,.0f} = {change:+,.0f}",
                )
            )
        pct = 100 * change / a if a else float("nan")
        if parse_num(r["pct_change"]) is not None and not _agrees(r["pct_change"], pct):
            flags.append(
                Flag(
                    section,
                    table,
                    f"{item}: % change",
                    r["pct_change"],
                    f"{pct:+.1f}%",
                    f"({b:,.0f} - {a:,.0f}) / {a:,.0f} = {pct:+.1f}%",
                )
            )
        if per_1000 and parse_num(r.get("per_1000")) is not None and r.get("denominator") in POPULATION_K:
            pop = POPULATION_K[r["denominator"]]
            rate = b / pop
            if not _agrees(r["per_1000"], rate, slack=0.006):
                flags.append(
                    Flag(
                        section,
                        table,
                        f"{item}: per 1,000",
                        r["per_1000"],
                        f"{rate:.2f}",
                        f"{b:,.0f} / {pop * 1000:,.0f} x 1,000 = {rate:.2f} (the report's {r['denominator']} figure)",
                    )
                )
    return flags


def _monthly_rate_flags(m: pd.DataFrame, section: str) -> list[Flag]:
    """Each month whose published outcome rate is not its outcomes over its recorded crime."""
    flags = []
    for _, r in m.iterrows():
        rate = 100 * r["resolution_outcomes"] / r["recorded_crime"]
        if not _agrees(r["outcome_rate"], rate):
            flags.append(
                Flag(
                    section,
                    "monthly outcomes",
                    f"{r['month']}: outcome rate",
                    r["outcome_rate"],
                    f"{rate:.1f}%",
                    "outcomes / recorded crime",
                )
            )
    return flags


def check_resolution(monthly: pd.DataFrame, totals: pd.DataFrame, *, section: str = "3.2") -> list[Flag]:
    """Monthly outcome rates, the published totals and the 2012/13 baseline."""
    flags = []
    m = monthly.copy()
    for c in OUTCOME_COUNTS:
        m[c] = m[c].map(parse_num)
    flags += _monthly_rate_flags(m, section)
    for _, t in totals.iterrows():
        sel = m[(m["month"] >= t["first_month"]) & (m["month"] <= t["last_month"])]
        n_months = len(sel)
        rec, out = sel["recorded_crime"].sum(), sel["resolution_outcomes"].sum()
        for col in OUTCOME_COUNTS:
            if parse_num(t[col]) is not None and parse_num(t[col]) != sel[col].sum():
                flags.append(
                    Flag(
                        section,
                        "outcome totals",
                        f"{t['period']}: {col.replace('_', ' ')}",
                        t[col],
                        f"{sel[col].sum():,.0f}",
                        f"sum of the {n_months} months {t['first_month']} to {t['last_month']}",
                    )
                )
        if parse_num(t["months_in_label"]) != n_months:
            flags.append(
                Flag(
                    section,
                    "outcome totals",
                    f"{t['period']}: months covered",
                    f"{n_months} months ({t['first_month']} to {t['last_month']})",
                    f"{parse_num(t['months_in_label']):.0f} months",
                    f"the row is labelled {t['period']!r} but adds up {n_months} months; the 12 months "
                    "April 2012 to March 2013 give "
                    f"{_fy(m, 'recorded_crime'):,.0f} crimes and {_fy(m, 'resolution_outcomes'):,.0f} "
                    f"outcomes ({100 * _fy(m, 'resolution_outcomes') / _fy(m, 'recorded_crime'):.1f}%)",
                )
            )
        rate = 100 * out / rec
        if not _agrees(t["outcome_rate"], rate):
            flags.append(
                Flag(
                    section,
                    "outcome totals",
                    f"{t['period']}: outcome rate",
                    t["outcome_rate"],
                    f"{rate:.1f}%",
                    f"{out:,.0f} outcomes / {rec:,.0f} crimes, {t['first_month']} to "
                    f"{t['last_month']} ({n_months} months)",
                )
            )
    return flags


def _fy(m: pd.DataFrame, col: str) -> float:
    """Sum of a column over the financial year April 2012 to March 2013."""
    return float(m.loc[(m["month"] >= "2012-04") & (m["month"] <= "2013-03"), col].sum())


def check_imd_ranks(df: pd.DataFrame, *, section: str = "Appendix 2, Table 1") -> list[Flag]:
    flags = []
    for _, r in df.iterrows():
        for level in ("national", "kcc"):
            change = parse_num(r[f"{level}_rank_2007"]) - parse_num(r[f"{level}_rank_2010"])
            if parse_num(r[f"change_{level}"]) != change:
                flags.append(
                    Flag(
                        section,
                        "IMD ranks",
                        f"{r['district']}: change in {level} rank",
                        r[f"change_{level}"],
                        f"{change:+.0f}",
                        "2007 rank - 2010 rank",
                    )
                )
    return flags


def check_unemployment(df: pd.DataFrame, *, section: str = "Appendix 2, Table 3") -> list[Flag]:
    flags = []
    for _, r in df.iterrows():
        total = parse_num(r["unemployed_july_2012"])
        for span in ("month", "year"):
            n = parse_num(r[f"change_{span}_number"])
            pct = 100 * n / (total - n)
            if not _agrees(r[f"change_{span}_pct"], pct, slack=0.01):
                flags.append(
                    Flag(
                        section,
                        "unemployment",
                        f"{r['area']}: change since last {span}",
                        r[f"change_{span}_pct"],
                        f"{pct:+.2f}%",
                        f"{n:+,.0f} on {total - n:,.0f}",
                    )
                )
    return flags


def check_text(checks: pd.DataFrame, tables: dict) -> list[Flag]:
    """Claims in the report's text checked against its ``tables`` (name -> table, as read and cross-checked by
    :func:`geo.read.report_tables.report_tables`), against arithmetic, or noted by hand."""
    flags = []
    for _, c in checks.iterrows():
        kind, spec = c["kind"], c["check"]
        recomputed = "—"
        if kind == "lookup":
            table, row, col = spec.split("|")
            t = tables[table]
            recomputed = str(t[t[t.columns[0]] == row].iloc[0][col])
            if parse_num(recomputed) == parse_num(c["published"]) and str(c["published"]).strip() == recomputed:
                continue
        elif kind == "pct":
            a, b = (parse_num(x) for x in spec.split("|"))
            value = 100 * (b - a) / a
            if _agrees(c["published"], value):
                continue
            recomputed = f"{value:+.1f}%"
        elif kind == "per1000":
            n, pop = (parse_num(x) for x in spec.split("|"))
            value = n / pop
            if _agrees(c["published"], value):
                continue
            recomputed = f"{value:.1f}"
        elif kind == "share":
            pct, whole = (parse_num(x) for x in spec.split("|"))
            value = pct * whole / 100
            if abs(value - round(value)) < 0.5 * whole * 10 ** -decimals(spec.split("|")[0]) / 100:
                continue  # some whole number of the whole rounds to the published share
            recomputed = f"{value:.1f} of {whole:,.0f}"
        elif kind == "weekday":
            t = tables[spec]
            wrong = []
            for _, r in t.iterrows():
                day, num, month = r["date_published"].split()
                actual = dt.date(REPORT_YEAR, dt.datetime.strptime(month, "%B").month, int(num)).strftime("%A")
                if actual != day:
                    wrong.append(f"{num} {month} {REPORT_YEAR} was a {actual}")
            if not wrong:
                continue
            recomputed = "; ".join(wrong)
        flags.append(Flag(c["section"], "text", c["claim"], c["published"], recomputed, c["note"]))
    return flags


def all_flags(tables: dict) -> list[Flag]:
    """Every disagreement found in the transcribed tables (name -> table) and the text checks."""
    t = tables
    flags = check_changes(t["s3-1-annual-changes"], section="3.1", table="annual changes", per_1000=True)
    flags += check_resolution(t["s3-2-resolution-outcomes"], t["s3-2-resolution-totals"])
    flags += check_changes(t["s5-6-road-safety-ksi"], section="5.6", table="road safety", per_1000=False)
    flags += check_imd_ranks(t["appx2-table1-imd-district-ranks"])
    flags += check_unemployment(t["appx2-table3-unemployment"])
    flags += check_text(t["text-checks"], t)
    return flags
