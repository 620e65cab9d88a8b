"""Ward profile pages for PCSOs: one phone-first, printable page per ward (pure: data in, Markdown out)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from geo.pages import COMPARISON_WORDS, MAIDSTONE, Place, fmt_ci, fmt_num, html_table, iframe, md_text

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
    """The Markdown of one ward page."""
    code, name, population, crime, dep = ward.code, ward.name, ward.population, ward.crime, ward.dep
    tops, mentions, open_counts, hot_cells = ward.tops, ward.mentions, ward.open_counts, ward.hot_cells
    map_src, svg, trends = ward.map_src, ward.svg, ward.trends
    titles, borough_dep, period_text = setting.titles, setting.borough_dep, setting.period_text
    period_label, n_wards, place = setting.period_label, setting.n_wards, setting.place
    c = crime.set_index("indicator")
    higher = [titles[i] for i in titles if i in c.index and c.loc[i, "compared_with_borough"] == "higher"]
    lower = [titles[i] for i in titles if i in c.index and c.loc[i, "compared_with_borough"] == "lower"]
    asb = c.loc["asb"] if "asb" in c.index else None
    summary = [f"**{population:,} residents** (Census 2011) · ward code {md_text(code)} · [all wards A–Z](index.md)\n"]
    if asb is not None:
        summary.append(
            f"In {md_text(period_text)} police.uk recorded **{fmt_num(asb['count'], 0)}** anti-social "
            f"behaviour incidents here ({fmt_num(asb['rate_per_1000'])} per 1,000 residents, rank "
            f"{asb['rank']} of {n_wards})."
        )
    summary.append(
        f" Significantly above the {place.area} rate: **{md_text(', '.join(higher) or 'none')}**."
        f" Significantly below: {md_text(', '.join(lower) or 'none')}.\n"
    )
    rows = []
    for ind, title in titles.items():
        if ind not in c.index:
            continue
        r = c.loc[ind]
        rows.append(
            [
                title,
                fmt_num(r["count"], 0),
                f"{fmt_num(r['rate_per_1000'])} ({fmt_ci(r['rate_lower_95'], r['rate_upper_95'])})",
                fmt_num(r["borough_rate_per_1000"]),
                comparison_text(r["compared_with_borough"])
                + (
                    f" (not once all {n_wards} wards' comparisons are allowed for)"
                    if r["compared_with_borough"] in ("higher", "lower") and r.get("compared_fdr") == "similar"
                    else ""
                ),
                f"{r['rank']} of {n_wards}",
            ]
        )
    crime_table = html_table(
        [
            "Indicator",
            "Records",
            "Rate per 1,000 (95% CI)",
            f"{place.area.capitalize()} rate",
            f"Compared with {place.area}",
            "Rank (1 = highest)",
        ],
        rows,
        caption=f"Police.uk records in {name}, {period_text}",
        numeric=(1, 2, 3),
    )
    e = place.edition
    dom_rows = [[label, fmt_num(dep[col], 2), fmt_num(borough_dep[col], 2)] for col, label in DOMAINS]
    dep_table = (
        html_table(
            [f"Domain ({e.short})", "Ward score", f"{place.area.capitalize()} average"],
            dom_rows,
            caption=f"Deprivation domain scores, {name}",
            numeric=(1, 2),
        )
        if e.domains
        else ""
    )
    top_rows = [
        [titles.get(r["indicator"], r["indicator"]), r["location"], fmt_num(r["count"], 0)] for _, r in tops.iterrows()
    ]
    top_table = (
        html_table(
            ["Priority", "Location", "Records"],
            top_rows,
            caption=f"Busiest police.uk locations in {name}",
            numeric=(2,),
        )
        if top_rows
        else "No records at any location in this period.\n"
    )
    hot_text = "; ".join(f"{md_text(titles[i])} {n}" for i, n in hot_cells.items()) or "none"
    out = [
        f"# {md_text(name)}\n",
        *summary,
        iframe(
            map_src,
            f"Map of {name} ward",
            height=420,
            skip="#crime-and-anti-social-behaviour",
            skip_text="Skip to the figures",
        ),
        f'\n<figure class="print-only">\n{svg}\n<figcaption>{html.escape(name)}: ward boundary (bold) and '
        "anti-social behaviour hotspot cells (shaded).</figcaption>\n</figure>\n",
        f"Significant hot cells touching the ward: {hot_text}.\n",
        "## Crime and anti-social behaviour\n",
        f"How {md_text(name)} compares with the whole {place.area}, {md_text(period_text)}. ▲ and ▼ mark rates "
        f"whose 95 % confidence interval lies wholly above or below the {place.area} rate; ● means the difference "
        "could be chance. Rates are per resident, so wards with a town centre or a busy station look high.\n",
        crime_table,
        "\n" + trends,
        "\n## Deprivation\n",
        f"Index of Multiple Deprivation ({e.short}) score **{fmt_num(dep['imd_score'])}** (rank "
        f"{dep['rank_imd']} of {n_wards}, 1 = most deprived); **{dep['imd_most_deprived_20pct']:.0f} %** of "
        "residents live in areas among England's most deprived 20 %."
        + (" Higher domain scores mean more deprived.\n" if e.domains else "\n"),
        dep_table,
        "\n## Road safety\n",
        f"<!-- geo:ped-{code.lower()} -->\n",
        "\n## Where the records are\n",
        "The police.uk locations in the ward with most records for each priority. Each is an anonymous "
        "snap point near where incidents happened, not an address.\n",
        top_table,
    ]
    if not place.report:
        return "\n".join(out)
    out.append("\n## What the assessment says about this ward\n")
    if mentions.empty:
        out.append("The 2014-15 strategic assessment does not name this ward.\n")
    else:
        for _, m in mentions.iterrows():
            line = f"- **{md_text(m['topic'])}** (section {md_text(m['section'])}): {md_text(m['summary'])}"
            ind = m["indicator"]
            if ind and ind in open_counts and m["period"] == period_label:
                line += (
                    f" *Open data for the same period: {open_counts[ind]:,} police.uk records "
                    f"(report: {md_text(m['report_figure'])}).*"
                )
            out.append(line)
        out.append(
            "\nThe report counted from Kent Police and partner systems; police.uk publishes a subset of "
            "records moved to anonymous snap points, so its counts differ somewhat.\n"
        )
    return "\n".join(out)


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
    rows = [f"| Ward | Residents | ASB per 1,000 | Compared with {place.area} |", "| :-- | --: | --: | :-- |"]
    for code, name in sorted(zip(wards["ward_code"], wards["ward_name"], strict=True), key=lambda x: str(x[1])):
        r = asb.loc[code] if code in asb.index else None
        cells = (
            [fmt_num(r["population"], 0), fmt_num(r["rate_per_1000"]), comparison_text(r["compared_with_borough"])]
            if r is not None
            else ["–", "–", "–"]
        )
        rows.append(f"| [{md_text(name)}]({slugs[code]}.md) | " + " | ".join(md_text(c) for c in cells) + " |")
    return (
        f"# Wards\n\nOne page per ward for {md_text(period_text)}: a map of the ward's hotspots, how each kind "
        f"of crime compares with the {place.area}, deprivation, the busiest locations"
        + (" and what the assessment says about it" if place.report else "")
        + ". Pick a ward on the map or in the table.\n\n"
        + iframe(
            map_src,
            "Map of all wards: choose a ward to open its page",
            height=480,
            skip="#wards-az",
            skip_text="Skip to the table of wards",
        )
        + "\n## Wards A–Z\n\nEvery ward with its anti-social behaviour rate; this table is the text alternative to "
        "the map.\n\n" + "\n".join(rows) + "\n"
    )
