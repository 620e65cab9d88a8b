"""Ward profile pages for PCSOs: one phone-first, printable page per ward (pure: data in, Markdown out)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from geo.render import field
from geo.render.markup import COMPARISON_WORDS, MAIDSTONE, Place, fmt_ci, fmt_num, html_table
from geo.render.templates import render

MARKERS = {"higher": "▲", "lower": "▼", "similar": "●", "suppressed": "–", "unknown": "–"}
DOMAINS = [
    ("income_score", "Income"),
    ("employment_score", "Employment"),
    ("health_score", "Health and disability"),
    ("education_score", "Education and skills"),
    ("housing_and_access_score", "Barriers to housing and services"),
    ("crime_score", "Crime"),
    ("environment_score", "Living environment"),
]


def slugify(name: str, code: str) -> str:
    """File name for a ward page: the name in lower case with hyphens, or the code if nothing is left.

    >>> slugify("Boughton Monchelsea and Chart Sutton", "E05004985")
    'boughton-monchelsea-and-chart-sutton'
    >>> slugify("<script>", "E05000001")
    'script'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")
    return slug or code


def ward_slugs(wards: pd.DataFrame) -> dict[str, str]:
    """Ward code -> unique page slug (a clash gets the code appended)."""
    out, seen = {}, set()
    for code, name in sorted(zip(wards["ward_code"], wards["ward_name"], strict=True)):
        slug = slugify(name, code)
        if slug in seen:
            slug = f"{slug}-{code.lower()}"
        seen.add(slug)
        out[code] = slug
    return out


def comparison_text(compared: str) -> str:
    """Marker and words; 'significantly' appears only for intervals that exclude the borough rate.

    >>> comparison_text("higher")
    '▲ Significantly higher'
    >>> comparison_text("similar")
    '● Not significantly different'
    """
    return f"{MARKERS[compared]} {COMPARISON_WORDS[compared]}"


@dataclass(frozen=True)
class WardFacts:
    """What one ward page shows about its ward."""

    code: str
    name: str
    population: int
    crime: pd.DataFrame
    """This ward's rows of the crime table (one per indicator)."""
    dep: pd.Series
    """The ward's deprivation row."""
    tops: pd.DataFrame
    """``indicator``, ``location``, ``count`` of the busiest locations in the ward."""
    mentions: pd.DataFrame
    """What the assessment says about the ward (see ``data/report-ward-mentions.csv``)."""
    open_counts: dict
    """Indicator id -> police.uk count in this ward for the build's period (to set beside report figures)."""
    hot_cells: dict
    """Indicator id -> number of significant hot cells touching the ward."""
    map_src: str
    svg: str
    """The printable static map."""
    trends: str = ""
    """The "Month by month" section (:func:`geo.trend_pages.ward_trends`)."""
    map_data: str = ""
    """The in-page map's hot cells and records (:func:`geo.render.maps.ward.ward_data_script`)."""


@dataclass(frozen=True)
class WardSetting:
    """What every ward page of a build shares."""

    titles: dict
    """Indicator id -> title, in display order."""
    borough_dep: pd.Series
    """The district's resident-weighted averages of the deprivation columns."""
    period_text: str
    period_label: str
    n_wards: int
    place: Place = MAIDSTONE


def ward_page(ward: WardFacts, setting: WardSetting) -> str:
    """The Markdown of one ward page (words in ``templates/ward.md.j2``)."""
    titles, n_wards, place = setting.titles, setting.n_wards, setting.place
    c = ward.crime.set_index("indicator")
    return render(
        "ward.md.j2",
        name=ward.name,
        code=ward.code,
        population=ward.population,
        period_text=setting.period_text,
        n_wards=n_wards,
        place=place,
        edition=place.edition,
        asb=c.loc["asb"].to_dict() if "asb" in c.index else None,
        higher=[titles[i] for i in titles if i in c.index and c.loc[i, "compared_with_borough"] == "higher"],
        lower=[titles[i] for i in titles if i in c.index and c.loc[i, "compared_with_borough"] == "lower"],
        map_embed=field.map_block(
            "ward",
            root="../",
            title=f"Map of {ward.name} ward",
            ward=ward.code,
            full_screen=ward.map_src,
            data=ward.map_data,
            extra=("", field.hotspot_legend()),
        ),
        svg=ward.svg,
        hot_cells=[(titles[i], n) for i, n in ward.hot_cells.items()],
        crime_table=_crime_table(ward, setting),
        trends=ward.trends,
        dep=ward.dep.to_dict(),
        dep_table=_deprivation_table(ward, setting),
        top_table=_top_table(ward, titles),
        mentions=[
            {
                **m,
                "open": ward.open_counts[m["indicator"]]
                if m["indicator"] in ward.open_counts and m["period"] == setting.period_label
                else None,
            }
            for m in ward.mentions.to_dict("records")
        ],
    )


def _crime_table(ward: WardFacts, setting: WardSetting) -> str:
    """The ward's figures for each indicator beside the district's, as a stacking HTML table."""
    c, n_wards, area = ward.crime.set_index("indicator"), setting.n_wards, setting.place.area
    rows = []
    for ind, title in setting.titles.items():
        if ind not in c.index:
            continue
        r = c.loc[ind]
        fdr_note = (
            f" (not once all {n_wards} wards' comparisons are allowed for)"
            if r["compared_with_borough"] in ("higher", "lower") and r.get("compared_fdr") == "similar"
            else ""
        )
        rows.append(
            [
                title,
                fmt_num(r["count"], 0),
                f"{fmt_num(r['rate_per_1000'])} ({fmt_ci(r['rate_lower_95'], r['rate_upper_95'])})",
                fmt_num(r["borough_rate_per_1000"]),
                comparison_text(r["compared_with_borough"]) + fdr_note,
                f"{r['rank']} of {n_wards}",
            ]
        )
    return html_table(
        [
            "Indicator",
            "Records",
            "Rate per 1,000 (95% CI)",
            f"{area.capitalize()} rate",
            f"Compared with {area}",
            "Rank (1 = highest)",
        ],
        rows,
        caption=f"Police.uk records in {ward.name}, {setting.period_text}",
        numeric=(1, 2, 3),
    )


def _deprivation_table(ward: WardFacts, setting: WardSetting) -> str:
    """The ward's domain scores beside the district's averages ("" when the edition has no domains)."""
    e = setting.place.edition
    if not e.domains:
        return ""
    return html_table(
        [f"Domain ({e.short})", "Ward score", f"{setting.place.area.capitalize()} average"],
        [[label, fmt_num(ward.dep[col], 2), fmt_num(setting.borough_dep[col], 2)] for col, label in DOMAINS],
        caption=f"Deprivation domain scores, {ward.name}",
        numeric=(1, 2),
    )


def _top_table(ward: WardFacts, titles: dict) -> str:
    """The busiest locations of each priority in the ward."""
    rows = [
        [titles.get(r["indicator"], r["indicator"]), r["location"], fmt_num(r["count"], 0)]
        for _, r in ward.tops.iterrows()
    ]
    if not rows:
        return "No records at any location in this period.\n"
    return html_table(
        ["Priority", "Location", "Records"], rows, caption=f"Busiest police.uk locations in {ward.name}", numeric=(2,)
    )


def wards_index(
    wards: pd.DataFrame,
    slugs: dict[str, str],
    crime: pd.DataFrame,
    *,
    map_src: str,
    period_text: str,
    place: Place = MAIDSTONE,
) -> str:
    """The Wards index: a clickable map of all wards and an A–Z table with each ward's headline figures."""
    asb = crime[crime["indicator"] == "asb"].set_index("ward_code")
    rows = []
    for code, name in sorted(zip(wards["ward_code"], wards["ward_name"], strict=True), key=lambda x: str(x[1])):
        r = asb.loc[code] if code in asb.index else None
        cells = (
            [fmt_num(r["population"], 0), fmt_num(r["rate_per_1000"]), comparison_text(r["compared_with_borough"])]
            if r is not None
            else ["–", "–", "–"]
        )
        rows.append({"name": name, "slug": slugs[code], "cells": cells})
    return render(
        "wards-index.md.j2",
        period_text=period_text,
        place=place,
        wards=rows,
        map_embed=field.map_block(
            "index", root="../", title="Map of all wards: choose a ward to see its figures", full_screen=map_src
        ),
    )
