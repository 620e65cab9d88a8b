"""The assessment's own tables and charts as they appear in its chapters: each transcribed table with the checks
of its arithmetic, the charts drawn from them, and the abbreviations every page defines. Pure functions."""

from __future__ import annotations

import html

import pandas as pd

from geo.analysis.report import Flag, parse_num
from geo.render import charts
from geo.render.markup import md_table, md_text
from geo.render.words import month_words

_THREE_YEARS = {
    "category": "Category",
    "y2010_11": "2010/11",
    "y2011_12": "2011/12",
    "y2012_13": "2012/13",
    "volume_change": "Change",
    "pct_change": "% change",
}
_RANK = {"county_rank": "County rank", "direction": "Direction"}

TABLES = {
    "s1-1-5-community-safety-agreement": (
        "Kent Community Safety Agreement 2011-14: priorities and cross-cutting themes (section 1.1.5)",
        {"kind": "Kind", "item": "Item"},
    ),
    "s3-1-annual-changes": (
        "Annual changes, three-year series (section 3.1)",
        {**_THREE_YEARS, "per_1000": "Per 1,000", **_RANK},
    ),
    "s3-2-resolution-outcomes": (
        "Recorded crime and resolution outcomes by month (section 3.2)",
        {
            "month": "Month",
            "recorded_crime": "Recorded crime",
            "resolution_outcomes": "Outcomes",
            "outcome_rate": "Outcome rate",
            "charge": "Charge",
            "caution": "Caution",
            "taken_into_consideration": "Taken into consideration",
            "penalty_notice": "Penalty notice",
            "family_work_conflict": "Family work conflict",
        },
    ),
    "s3-2-resolution-totals": (
        "Published totals and baseline (section 3.2)",
        {
            "period": "Row",
            "first_month": "From",
            "last_month": "To",
            "recorded_crime": "Recorded crime",
            "resolution_outcomes": "Outcomes",
            "outcome_rate": "Outcome rate",
        },
    ),
    "s3-3-kcvs-perceptions": (
        "Kent Crime and Victimisation Survey: % saying each is a very or fairly big problem locally (section 3.3)",
        {
            "measure": "Problem",
            "y2010_11": "2010/11",
            "y2011_12": "2011/12",
            "y2012_13": "2012/13",
            "county_position": "County position",
            "kcc_average": "Kent average 2012/13",
        },
    ),
    "s5-1-5-world-cup-fixtures": (
        "England's 2014 World Cup group matches (section 5.1.5)",
        {
            "match": "Match",
            "date_published": "Date (as published)",
            "kick_off_local": "Kick-off, local",
            "kick_off_bst": "Kick-off, BST",
        },
    ),
    "s5-6-road-safety-ksi": (
        "Road casualties, killed or seriously injured (KSI) (section 5.6)",
        {**_THREE_YEARS, **_RANK},
    ),
    "s5-8-5-9-priorities-2014-15": (
        "Recommended priorities for 2014/15 and cross-cutting themes (sections 5.8 and 5.9)",
        {"kind": "Kind", "order": "Order", "item": "Item"},
    ),
    "appx2-table1-imd-district-ranks": (
        "Kent districts' IMD ranks, 2007 and 2010 (Appendix 2, Table 1)",
        {
            "la_code": "Code",
            "district": "District",
            "national_rank_2007": "National rank 2007",
            "kcc_rank_2007": "Kent rank 2007",
            "national_rank_2010": "National rank 2010",
            "kcc_rank_2010": "Kent rank 2010",
            "change_national": "Change, national",
            "change_kcc": "Change, Kent",
        },
    ),
    "appx2-table2-mosaic-groups": (
        "Kent and Medway Mosaic household groups (Appendix 2, Table 2)",
        {"group": "Group", "characteristics": "Characteristics"},
    ),
    "appx2-table3-unemployment": (
        "Claimant unemployment, July 2012 (Appendix 2, Table 3)",
        {
            "area": "Area",
            "unemployed_july_2012": "Unemployed",
            "rate": "Rate",
            "change_month_number": "Change on month",
            "change_month_pct": "%",
            "change_year_number": "Change on year",
            "change_year_pct": "% ",
        },
    ),
    "appx4-glossary": ("Abbreviations (Appendix 4)", {"abbreviation": "Abbreviation", "meaning": "Meaning"}),
}
"""Each transcribed table: its caption and the columns shown (CSV column -> heading)."""

_TABLE_OF_FLAG = {
    "annual changes": "s3-1-annual-changes",
    "road safety": "s5-6-road-safety-ksi",
    "monthly outcomes": "s3-2-resolution-outcomes",
    "outcome totals": "s3-2-resolution-totals",
    "IMD ranks": "appx2-table1-imd-district-ranks",
    "unemployment": "appx2-table3-unemployment",
}


def report_table(name: str, df: pd.DataFrame, flags: list[Flag]) -> str:
    """A transcribed table as Markdown, with the checks that disagree listed under it."""
    caption, cols = TABLES[name]
    mine = [f for f in flags if _TABLE_OF_FLAG.get(f.table) == name]
    body = md_table(list(cols.values()), ([r[c] for c in cols] for _, r in df.iterrows()))
    out = [
        f"**{md_text(caption)}.** Figures as published; source: the strategic assessment. "
        f"[Download the CSV](../downloads/report/{name}.csv).\n",
        body,
    ]
    if mine:
        out.append('\n!!! warning "Checked against its own figures"\n')
        for f in mine:
            out.append(
                f"    - **{md_text(f.item)}**: published {md_text(f.published)}, recomputed "
                f"{md_text(f.recomputed)}. {md_text(f.note)}."
            )
        out.append("")
    return "\n".join(out) + "\n"


def flags_table(flags: list[Flag]) -> str:
    return md_table(
        ["Section", "What", "Published", "Recomputed", "Note"],
        ([f.section, f.item, f.published, f.recomputed, f.note] for f in flags),
    )


def resolution_charts(monthly: pd.DataFrame, baseline: float) -> str:
    m = monthly[monthly["month"] >= "2012-04"]
    labels = [pd.Timestamp(f"{x}-01").strftime("%b %y") for x in m["month"]]
    rate = [parse_num(x) for x in m["outcome_rate"]]
    crimes = [parse_num(x) for x in m["recorded_crime"]]
    hi = max(rate)
    months = list(m["month"])
    span = f"{month_words(months[0])} to {month_words(months[-1])}"
    below_from = next((i for i in range(len(rate)) if all(r < baseline for r in rate[i:])), None)
    desc = (
        f"Monthly resolution outcome rate from {span}, between {min(rate):.1f}% and {hi:.1f}%, against the "
        f"2012/13 baseline of {baseline:.1f}%."
    )
    if below_from is not None:
        desc += f" Every month from {month_words(months[below_from])} is below it."
    a = charts.line_chart(
        labels,
        {"Outcome rate (%)": rate},
        title="Resolution outcome rate by month",
        desc=desc,
        ylabel="% of crimes",
        reference=("2012/13 baseline", baseline),
        ymax=50,
    )
    b = charts.line_chart(
        labels,
        {"Recorded crime": crimes},
        title="Recorded crime by month",
        ylabel="crimes",
        desc=f"Crimes recorded each month, {span}: from {min(crimes):,.0f} to {max(crimes):,.0f}; the highest "
        f"month is {month_words(months[crimes.index(max(crimes))])}.",
    )
    return (
        f'<figure class="chart">\n{a}\n<figcaption>Resolution outcome rate by month (section 3.2). The '
        f'figures are in the table below.</figcaption>\n</figure>\n\n<figure class="chart">\n{b}\n'
        "<figcaption>Recorded crime by month (section 3.2).</figcaption>\n</figure>\n"
    )


def kcvs_chart(df: pd.DataFrame, name: str) -> str:
    cats = list(df["measure"])
    m = [parse_num(x) for x in df["y2012_13"]]
    k = [parse_num(x) for x in df["kcc_average"]]
    below = [c for c, a, b in zip(cats, m, k, strict=True) if a < b]
    svg = charts.bar_chart(
        cats,
        {f"{name} 2012/13": m, "Kent average": k},
        title="Perceptions of local problems",
        ylabel="% saying a big problem",
        desc=f"{name} against the Kent average for seven local problems in 2012/13; {name} "
        f"is below the Kent average for {len(below)} of the 7.",
    )
    return (
        f'<figure class="chart">\n{svg}\n<figcaption>{html.escape(name)} and the Kent average, 2012/13 (section 3.3).'
        "</figcaption>\n</figure>\n"
    )


def _road_desc(rows: pd.DataFrame) -> str:
    """The road chart's description from its own rows: the all-ages KSI path and the groups that rose last year."""
    years = ("y2010_11", "y2011_12", "y2012_13")
    by = rows.set_index("category")
    total = " to ".join(by.loc["KSI casualties All ages", y] for y in years)
    rose = [
        f"{c} ({by.loc[c, 'y2011_12']} to {by.loc[c, 'y2012_13']})"
        for c in by.index
        if c != "KSI casualties All ages" and parse_num(by.loc[c, "y2012_13"]) > parse_num(by.loc[c, "y2011_12"])
    ]
    return f"KSI casualties by group for three years; the all-ages total went from {total}" + (
        f"; rising in 2012/13: {', '.join(rose)}." if rose else "."
    )


def road_chart(df: pd.DataFrame, name: str) -> str:
    rows = df[~df["category"].str.startswith("RTCs")]
    cats = list(rows["category"])
    series = {
        y: [parse_num(v) for v in rows[c]]
        for y, c in (("2010/11", "y2010_11"), ("2011/12", "y2011_12"), ("2012/13", "y2012_13"))
    }
    svg = charts.bar_chart(
        cats,
        series,
        title=f"People killed or seriously injured on {name}'s roads",
        ylabel="casualties",
        desc=_road_desc(rows),
    )
    return (
        f'<figure class="chart">\n{svg}\n<figcaption>KSI casualties by road-user group (section 5.6).'
        "</figcaption>\n</figure>\n"
    )


def abbreviations(glossary: pd.DataFrame) -> str:
    """Markdown abbreviation definitions (``*[ASB]: Anti-Social Behaviour``) for every page."""
    lines = [
        f"*[{r['abbreviation']}]: {r['meaning'].replace(']', ')')}"
        for _, r in glossary.iterrows()
        if r["abbreviation"] != "PCSO"
    ]
    lines.append("*[PCSO]: Police Community Support Officer")
    lines.append("*[KSI]: Killed or Seriously Injured")
    lines.append("*[IMD]: Index of Multiple Deprivation")
    lines.append("*[LSOA]: Lower Layer Super Output Area")
    return "\n".join(lines) + "\n"
