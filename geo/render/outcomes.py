"""Outcome rates on the pages: the district's outcomes page per vintage (a funnel plot and a table per priority
crime) and the small table on each ward page (:func:`ward_outcome_table`)."""

from __future__ import annotations

import pandas as pd

from geo.analysis.outcomes import EXCLUDED, exact_interval
from geo.render.markup import fmt_num, html_table
from geo.render.words import comparison_text

COLUMNS = (
    "Crimes",
    "With an outcome",
    "Formal action: share (95 % CI)",
    "Charge or summons: share (95 % CI)",
    "Caution",
    "Community resolution",
    "Other formal action",
    "No outcome yet",
)
"""The district table's columns after the ward's name (a ward page's table has the indicator first)."""


def share_text(k, n) -> str:
    """``'23.1 % (19.0–27.6)'`` for ``k`` of ``n`` with its exact interval; ``'–'`` with nothing to share.

    >>> share_text(5, 10), share_text(0, 0)
    ('50.0 % (18.7–81.3)', '–')
    """
    if not n:
        return "–"
    lo, hi = exact_interval([k], [n])
    return f"{100 * k / n:.1f} % ({100 * lo[0]:.1f}–{100 * hi[0]:.1f})"


def _cells(r) -> list[str]:
    return [
        fmt_num(r["crimes"], 0),
        fmt_num(r["with_outcome"], 0),
        share_text(r["formal"], r["with_outcome"]),
        share_text(r["charge_summons"], r["with_outcome"]),
        fmt_num(r["caution"], 0),
        fmt_num(r["community_resolution"], 0),
        fmt_num(r["other_formal"], 0),
        fmt_num(sum(r[g] for g in EXCLUDED), 0),
    ]


def district_table(rates: pd.DataFrame, title: str, area: str) -> str:
    """One priority crime's outcomes for every ward, with how each compares with the district (exact test)."""
    rows = [
        [r["ward_name"], *_cells(r), "–" if r["compared"] == "no outcomes" else comparison_text(r["compared"])]
        for _, r in rates.iterrows()
    ]
    return html_table(
        ["Ward", *COLUMNS, f"Formal action compared with {area}"],
        rows,
        caption=f"Last outcomes of {title.lower()} by ward",
        numeric=tuple(range(1, 9)),
    )


def ward_outcome_table(rates: pd.DataFrame, titles: dict[str, str], name: str, area: str) -> str:
    """A ward's outcomes for each priority crime beside the district's share ("" with no such crime)."""
    rows = [
        [
            titles[r["indicator"]],
            *_cells(r)[:4],
            f"{r['district_share_pct']:.1f} %" if pd.notna(r["district_share_pct"]) else "–",
            "–" if r["compared"] == "no outcomes" else comparison_text(r["compared"]),
        ]
        for _, r in rates.iterrows()
    ]
    if not rows:
        return ""
    return html_table(
        ["Crime", *COLUMNS[:4], f"{area.capitalize()} formal share", f"Compared with {area}"],
        rows,
        caption=f"Last outcomes of priority crimes in {name}",
        numeric=(1, 2, 3, 4, 5),
    )
