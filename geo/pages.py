"""Markdown pages generated from the ward tables (pure functions: data in, text out).

Every data value that goes into a page passes through :func:`geo.markup.md_text`, which escapes HTML and Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.config import IN_YEAR, MONITOR
from geo.deprivation import IMD_2010, Edition
from geo.indicators import Indicator
from geo.maps.choropleth import SCHEME_NAMES as SCHEME_WORDS
from geo.markup import (
    COMPARISON_WORDS,
    MAIDSTONE,
    Place,
    fmt_ci,
    fmt_num,
    iframe,
    md_table,
    md_text,
)
from geo.spc import MIN_POINTS, XMR_FACTOR
from geo.templates import render


def crime_map_page(
    ind: Indicator, t: pd.DataFrame, *, period_text: str, map_src: str, months: int, place: Place = MAIDSTONE
) -> str:
    """The page for one crime indicator: summary, the map, and the same figures as a table."""
    n = len(t)
    b_count = int(t["borough_count"].iloc[0])
    b_rate = float(t["borough_rate_per_1000"].iloc[0])
    ranked = t.sort_values(["rank", "ward_name"])
    high = ranked[ranked["compared_with_borough"] == "higher"]["ward_name"].tolist()
    low = ranked[ranked["compared_with_borough"] == "lower"]["ward_name"].tolist()
    out = [
        f"# {md_text(ind.title)} by ward\n",
        f"{md_text(ind.description)}\n",
        f"**Period:** {md_text(period_text)} ({months} months of police.uk records). "
        f"**{md_text(place.name)} as a whole:** {b_count:,} records, {b_rate:.1f} per 1,000 residents.\n",
        iframe(map_src, f"Map of {ind.title.lower()} per 1,000 residents by ward, {period_text}"),
        "\n## What the map shows\n",
        f"- Wards significantly **above** the {place.area} rate ({len(high)}): "
        f"{', '.join(md_text(w) for w in high) or 'none'}.",
        f"- Wards significantly **below** it ({len(low)}): {', '.join(md_text(w) for w in low) or 'none'}.",
        f"- The other {n - len(high) - len(low)} wards' intervals include the {place.area} rate, so their "
        "difference from it may be chance.",
        "- Rates use Census 2011 residents. Town-centre wards draw visitors, shoppers and the night-time "
        "economy, so a high rate per resident there does not mean residents are more at risk.\n",
        "## The figures behind the map\n",
        "This table holds the same figures as the map and is its text alternative for screen readers. "
        "It is sorted by rate, highest first.\n",
        md_table(
            [
                "Rank",
                "Ward",
                "Count",
                "Residents",
                "Rate per 1,000",
                "95% confidence interval",
                f"Compared with {place.area}",
                f"After allowing for {n} comparisons (FDR 5 %)",
            ],
            (
                [
                    f"{r['rank']} of {n}",
                    r["ward_name"],
                    fmt_num(r["count"], 0),
                    fmt_num(r["population"], 0),
                    fmt_num(r["rate_per_1000"]),
                    fmt_ci(r["rate_lower_95"], r["rate_upper_95"]),
                    COMPARISON_WORDS[r["compared_with_borough"]],
                    COMPARISON_WORDS[r["compared_fdr"]],
                ]
                for _, r in ranked.iterrows()
            ),
            ["r", "l", "r", "r", "r", "r", "l", "l"],
        ),
        "\n" + multiple_testing_note(t, place.area),
        "\nThe 95 % confidence interval allows for chance variation in counts: Byar's method for counts of "
        "10 or more, exact Poisson below 10. A ward is called significantly higher or lower only when its "
        f"interval excludes the {place.area} rate. See [Data and methods](../data-and-methods.md).\n",
    ]
    return "\n".join(out)


def deprivation_map_page(dep: pd.DataFrame, *, map_src: str, edition: Edition = IMD_2010) -> str:
    """The deprivation page: IMD score and share of residents in England's most deprived 20 %."""
    n = len(dep)
    e = edition
    about = "on income, employment, health, education, housing and access to services, crime and the living environment"
    if not e.domains:
        about += " (this build has the overall score only, not the seven domain scores)"
    ranked = dep.sort_values(["rank_imd", "ward_name"])
    top = ranked[ranked["imd_most_deprived_20pct"] > 0]
    out = [
        "# Deprivation by ward\n",
        f"The {e.title} score every small area ({e.lsoa_year} Lower Layer Super Output Area, about 1,500 "
        f"people) {about}. The ward figures here weight each area's score by its Census 2011 residents. A higher "
        "score means more deprived.\n",
        iframe(map_src, f"Map of {e.short} score by ward"),
        "\n## What the map shows\n",
        f"- Most deprived ward by score: **{md_text(ranked['ward_name'].iloc[0])}** "
        f"({ranked['imd_score'].iloc[0]:.1f}); least deprived: **{md_text(ranked['ward_name'].iloc[-1])}** "
        f"({ranked['imd_score'].iloc[-1]:.1f}).",
        f"- {len(top)} of {n} wards have residents living in areas among England's most deprived 20 %: "
        + (
            ", ".join(
                f"{md_text(w)} ({p:.0f} %)"
                for w, p in zip(top["ward_name"], top["imd_most_deprived_20pct"], strict=True)
            )
            or "none"
        )
        + ".\n",
        "## The figures behind the map\n",
        "This table holds the same figures as the map and is its text alternative for screen readers. "
        "It is sorted by IMD score, most deprived first.\n",
        md_table(
            [
                "Rank",
                "Ward",
                f"{e.short} score",
                "Residents in England's most deprived 20 %",
                *(["Crime domain score"] if e.domains else []),
                "Most deprived area's national rank",
                "Residents (2011)",
            ],
            (
                [
                    f"{r['rank_imd']} of {n}",
                    r["ward_name"],
                    fmt_num(r["imd_score"]),
                    f"{r['imd_most_deprived_20pct']:.0f} %",
                    *([fmt_num(r["crime_score"], 2)] if e.domains else []),
                    f"{r['most_deprived_lsoa_rank']:,} of {e.areas:,}",
                    fmt_num(r["residents"], 0),
                ]
                for _, r in ranked.iterrows()
            ),
            ["r", "l", "r", "r", *(["r"] if e.domains else []), "r", "r"],
        ),
        f"\nNational rank 1 is the most deprived of England's {e.areas:,} areas."
        + (
            " The crime domain score measures recorded crime risk against England's average (above 0 is worse).\n"
            if e.domains
            else "\n"
        ),
    ]
    return "\n".join(out)


CRIME_COLUMNS = {
    "ward_code": "ONS code of the 2013 electoral ward (E05…)",
    "ward_name": "ward name",
    "indicator": "indicator id (see the indicator table below)",
    "period": "first and last month counted (YYYY-MM)",
    "count": "police.uk records in the ward in the period (blank if suppressed)",
    "population": "Census 2011 usual residents (sum of the ward's best-fit 2011 LSOAs)",
    "rate_per_1000": "count per 1,000 residents",
    "rate_lower_95": "lower limit of the 95 % confidence interval of the rate",
    "rate_upper_95": "upper limit of the 95 % confidence interval of the rate",
    "borough_count": "records in the whole district",
    "borough_rate_per_1000": "district rate per 1,000 residents",
    "compared_with_borough": "higher / lower (interval excludes the whole district's rate) or similar",
    "p_value": "exact Poisson test of the count against the district's rate applied to the ward's residents",
    "q_value": "the p-value adjusted for the number of wards (Benjamini-Hochberg false discovery rate)",
    "compared_fdr": "compared_with_borough, kept only where q_value is under 0.05 (else similar)",
    "rank": "rank of the ward's rate among the district's wards (1 = highest)",
    "suppressed": "true where the count was withheld as a small number",
}
DEPRIVATION_COLUMNS = {
    "ward_code": "ONS ward code",
    "ward_name": "ward name",
    "lsoas": "number of LSOAs (2001 for IMD 2010, 2011 for IMD 2015) best-fitted to the ward",
    "residents": "Census 2011 residents of those LSOAs",
    "imd_score": "IMD score, weighted by residents (higher = more deprived)",
    "<domain>_score": "the same for each domain: income, employment, health, education, housing_and_access, "
    "crime, environment (IMD 2010 builds only)",
    "imd_most_deprived_20pct": "% of residents in LSOAs among England's most deprived 20 % (deciles 1-2)",
    "most_deprived_lsoa_rank": "national IMD rank of the ward's most deprived LSOA (1 = most deprived)",
    "rank_imd": "rank of the ward's score among the district's wards (1 = most deprived)",
}


def attribution_text(manifest: pd.DataFrame, place: Place = MAIDSTONE) -> str:
    """Plain-text licence and attribution notice shipped with the downloads."""
    lines = [
        f"{place.name} ward indicators - licence and attribution",
        "",
        "The figures are derived from open data published under the Open Government Licence v3.0",
        "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).",
        "",
        "Contains National Statistics data © Crown copyright and database right 2013-2015.",
        "Contains Ordnance Survey data © Crown copyright and database right 2013.",
        "Contains public sector information licensed under the Open Government Licence v3.0",
        "(police.uk data, Indices of Deprivation, Census 2011).",
        "",
        "police.uk locations are snapped to anonymous map points; counts by ward follow those points.",
        "",
        "Sources:",
    ]
    for _, r in manifest.iterrows():
        lines.append(f"- {r['title']} ({r['publisher']}, {r['period']}): {r['official_url']} - {r['licence']}")
    return "\n".join(lines) + "\n"


def maps_index(indicators, period_text: str, place: Place = MAIDSTONE, n_wards: int = 26) -> str:
    rows = "\n".join(f"- [{md_text(i.title)}]({i.id}.md): {md_text(i.description)}" for i in indicators)
    when = ", the period the 2014-15 strategic assessment looked back on" if place.report_period else ""
    return (
        f"# Ward maps\n\nChoropleth maps of {md_text(place.name)}'s {n_wards} wards for {md_text(period_text)}{when}. "
        "Each map can switch between the rate per 1,000 "
        "residents and the number of records, and each has a table with the same figures below it.\n\n"
        f"{rows}\n\n"
        "On a phone, scroll the page with one finger and move the map with two. The maps draw the wards "
        "without the background map when OpenStreetMap cannot be reached.\n"
    )


DOWNLOADS = [
    (
        "ward-indicators.csv",
        "one row per ward and crime or anti-social behaviour indicator, {period}: count, "
        "residents, rate per 1,000 with 95 % interval, comparison with the {area}, rank",
    ),
    (
        "ward-deprivation.csv",
        "one row per ward: {edition} score (and domain scores where the edition has them) weighted by residents, "
        "share of residents in England's most deprived 20 %",
    ),
    (
        "ward-monthly-series.csv",
        "one row per ward (and the whole {area}), indicator and month with police.uk records: count, the "
        "control chart's average and limits, and whether the month is a signal",
    ),
    ("wards.geojson", "the ward boundaries (December 2013, WGS84) with code, name and Census 2011 residents"),
    ("ATTRIBUTION.txt", "the licence and attribution text to keep with the files"),
]


def downloads_page(manifest: pd.DataFrame, period_text: str, place: Place = MAIDSTONE) -> str:
    words = {"period": period_text, "edition": place.edition.short, "area": place.area}
    rows = "\n".join(f"| [{name}](downloads/{name}) | {md_text(what.format(**words))} |" for name, what in DOWNLOADS)
    report = (
        "\nThe assessment's own tables, transcribed as published, are in `downloads/report/`, one CSV per table "
        "named by\nsection (for example [s3-1-annual-changes.csv](downloads/report/s3-1-annual-changes.csv)); the\n"
        "[checks of their arithmetic](assessment/checks.md) say where they disagree with themselves.\n"
        if place.report
        else ""
    )
    table = "| File | What it holds |\n| :-- | :-- |\n" + rows + "\n"
    return f"""# Downloads

The tables and boundaries behind the maps, free to reuse under the Open Government Licence v3.0 with the
attribution below.

{table}{report}
The columns are described on [Data and methods](data-and-methods.md#columns-of-the-downloads).

## Attribution

- Contains National Statistics data © Crown copyright and database right 2013–2015.
- Contains Ordnance Survey data © Crown copyright and database right 2013.
- Contains public sector information licensed under the Open Government Licence v3.0 (police.uk data,
  Indices of Deprivation, Census 2011).
"""


ROAD_WITHOUT = (
    "The Department for Transport's record-level STATS19 files are not among this build's inputs. The site shows "
    "the report's own casualty figures and, as a separate labelled layer, the wards the report names; it shows no "
    "casualty counts of its own unless DfT's files are added to the data directory (see the README)."
)
ROAD_WITH = (
    "Pedestrian casualties (casualty class 3) come from the Department for Transport's STATS19 accident and "
    "casualty files in the data directory, placed in wards by their accident's grid reference."
)


@dataclass(frozen=True)
class BuildFacts:
    """Settings and findings of one build that the Data and methods page states (never retyped in its prose)."""

    police_months: list[str]
    has_stats19: bool = False
    cell_m: float = 400.0
    """Hotspot hexagon width (m)."""
    permutations: int = 999
    """Gi* conditional permutations."""
    kde_bandwidth_m: float = 800.0
    """Kernel density bandwidth (m) of the hotspot maps' context layer."""
    other_maps: tuple[tuple[str, str], ...] = ()
    """(which map, how its classes are made) for maps that are not an indicator's own."""
    repairs: tuple[str, ...] = ()
    """Every repair the build made to its inputs, in words (empty when it made none)."""


def period_words_short(p) -> str:
    """``Period("2012-04", "2012-09")`` -> ``'April-September 2012'``.

    >>> from geo.config import Period
    >>> period_words_short(Period("2012-04", "2012-09"))
    'April-September 2012'
    """
    import calendar

    a, b = (calendar.month_name[int(m[5:])] for m in (p.start, p.end))
    return f"{a}-{b} {p.start[:4]}"


def methods_page(
    manifest: pd.DataFrame,
    checksums: pd.DataFrame,
    rec,
    indicators,
    period_text: str,
    *,
    facts: BuildFacts,
    place: Place = MAIDSTONE,
) -> str:
    """The Data and methods page: sources, coverage, reconciliation, statistics and column definitions."""
    src = md_table(
        ["Source", "Publisher", "Period", "Licence", "Official address"],
        ([r["title"], r["publisher"], r["period"], r["licence"], r["official_url"]] for _, r in manifest.iterrows()),
    )
    att = "\n".join(
        f"- **{md_text(r['title'])}**: {md_text(r['attribution'])}. {md_text(r['notes'])}"
        for _, r in manifest.iterrows()
    )
    files = md_table(
        ["File", "Bytes", "SHA-256"],
        ([r["file"], f"{r['bytes']:,}", r["sha256"][:16] + "…"] for _, r in checksums.iterrows()),
        ["l", "r", "l"],
    )
    if "fetched_from" in checksums and checksums["fetched_from"].str.contains("://").any():
        files = md_table(
            ["File", "Bytes", "SHA-256", "Fetched from"],
            (
                [r["file"], f"{r['bytes']:,}", r["sha256"][:16] + "…", r["fetched_from"]]
                for _, r in checksums.iterrows()
            ),
            ["l", "r", "l", "l"],
        )
    ind = md_table(
        ["Id", "Indicator", "police.uk categories counted", "Map classes"],
        (
            [
                i.id,
                i.title,
                "; ".join(i.police_categories) or "(Indices of Deprivation)",
                f"{SCHEME_WORDS.get(i.scheme, i.scheme)}, {i.k} classes, ColorBrewer {i.palette}",
            ]
            for i in indicators
        ),
    )
    cols = md_table(["Column", "Meaning"], CRIME_COLUMNS.items())
    dcols = md_table(["Column", "Meaning"], DEPRIVATION_COLUMNS.items())
    months = ", ".join(facts.police_months) if facts.police_months else "none"
    road = ROAD_WITH if facts.has_stats19 else ROAD_WITHOUT
    schemes = sorted({SCHEME_WORDS.get(i.scheme, i.scheme) for i in indicators})
    other = "".join(f" The {what} uses {how}." for what, how in facts.other_maps)
    when = ", the financial year the assessment looks back on" if place.report_period else ""
    e = place.edition
    if e.lsoa_year == 2001:
        dep_how = (
            f"The {e.title} score 2001 Lower Layer Super Output Areas. Each area's Census 2011 population is the sum "
            "of its 2011 areas (areas that were split in 2011 are added back together)."
        )
    else:
        dep_how = (
            f"The {e.title} score 2011 Lower Layer Super Output Areas, the same areas as the Census 2011 "
            "populations, using the same 2011 LSOA -> ward lookup as the rates. The data directory's file has "
            "the overall score only, so no domain scores are shown. The assessment itself used the 2010 edition."
        )
    rows_table = md_table(
        ["Rows read", "In a ward", "Outside the district", "Without a location", "Outside the period"],
        [[f"{n:,}" for n in (rec.rows_read, rec.in_ward, rec.outside_district, rec.no_location, rec.out_of_period)]],
        ["r"] * 5,
    )
    return render(
        "data-and-methods.md.j2",
        sources=src,
        attributions=att,
        period_text=period_text,
        when=when,
        months=months,
        rows_table=rows_table,
        place=place,
        dep_how=dep_how,
        facts=facts,
        road=road,
        indicators=ind,
        schemes=schemes,
        other=other,
        min_points=MIN_POINTS,
        xmr_factor=XMR_FACTOR,
        change_periods="; ".join(f"{period_words_short(a)} and {b.start[:4]}" for a, b in (IN_YEAR, MONITOR)),
        crime_columns=cols,
        deprivation_columns=dcols,
        files=files,
    )


SHOW_HOT_CELLS = 20
"""Hot cells listed on a hotspot page (all of them are in its download)."""


def hotspot_page(
    ind,
    cells: pd.DataFrame,
    tops: pd.DataFrame,
    *,
    period_text: str,
    map_src: str,
    facts: BuildFacts,
    n_cells: int,
    n_records: int,
) -> str:
    """The hotspot page of one indicator: the map, its hottest cells and the top locations."""
    cell_m, show = facts.cell_m, SHOW_HOT_CELLS
    hot = cells[cells["hotspot"].str.startswith("Hot")].sort_values(["gi_z", "cell_id"], ascending=[False, True])
    cold = cells[cells["hotspot"].str.startswith("Cold")]
    by_ward = hot.groupby("ward_name").size().sort_values(ascending=False)
    wards_text = ", ".join(f"{md_text(w)} ({n})" for w, n in by_ward.items()) or "none"
    out = [
        f"# {md_text(ind.title)} hotspots\n",
        f"Where {md_text(ind.title.lower())} records cluster more tightly than chance would explain, "
        f"{md_text(period_text)}: {n_records:,} police.uk records on a grid of {n_cells:,} hexagons "
        f"{cell_m:.0f} m across. The ward maps say which wards have most; this map says where in them.\n",
        iframe(
            map_src,
            f"Map of {ind.title.lower()} hotspots, {period_text}",
            height=560,
            skip="#hot-spots",
            skip_text="Skip to the tables of hot spots and top locations",
        ),
        '\n!!! note "Locations are approximate"\n    police.uk moves every record to an anonymous snap point '
        "(the middle of a street, a car park, a shopping area) so that no address can be identified. "
        "Counts at a point are all the records snapped to it.\n",
        "## Hot spots\n",
        f"{len(hot)} cells are significant hot spots (99 %: {int((hot['hotspot'] == 'Hot 99%').sum())}, "
        f"95 %: {int((hot['hotspot'] == 'Hot 95%').sum())}, 90 %: {int((hot['hotspot'] == 'Hot 90%').sum())})"
        f" and {len(cold)} are cold spots. Hot cells by ward: {wards_text}.\n",
        f"The {min(show, len(hot))} strongest hot spots (the full list is in the "
        f"[downloads](../downloads.md)). This table and the next are the text alternative to the map.\n",
        md_table(
            ["Rank", "Confidence", "Ward", "Records in cell", "Location with most records in the cell"],
            (
                [i + 1, r["hotspot"], r["ward_name"], f"{int(r['count']):,}", r["top_location"]]
                for i, (_, r) in enumerate(hot.head(show).iterrows())
            ),
            ["r", "l", "l", "r", "l"],
        )
        if len(hot)
        else "No cell is a significant hot spot.\n",
        "\n## Top locations\n",
        "The snap points with most records: where a patrol or a problem-solving visit would reach most incidents.\n",
        md_table(
            ["Rank", "Location", "Ward", "Records"],
            ([r["rank"], r["location"], r["ward_name"], f"{int(r['count']):,}"] for _, r in tops.iterrows()),
            ["r", "l", "l", "r"],
        ),
        "\n## How the hotspots are found\n",
        f"Records are counted in {cell_m:.0f} m hexagons. For each hexagon, the Getis-Ord Gi* statistic compares "
        f"the records in it and its six neighbours with the district-wide average; {facts.permutations:,} random "
        "rearrangements "
        "of the counts (with a fixed seed, so every build gives the same answer) show how unusual that is. "
        "Because thousands of cells are tested at once, p-values are adjusted with the Benjamini-Hochberg "
        "false discovery rate before a cell is called hot or cold at 99, 95 or 90 % confidence. The kernel "
        "density layer only smooths the records for context and carries no test. "
        "See [Data and methods](../data-and-methods.md).\n",
    ]
    return "\n".join(out)


def district_home(
    place: Place,
    period_text: str,
    crime: pd.DataFrame,
    indicators,
    *,
    n_wards: int,
    population: int,
    hotspots,
    kent: bool,
) -> str:
    """The home page of a district other than the report's: what the site shows and the headline figures."""
    name = md_text(place.name)
    rows = []
    for i in indicators:
        t = crime[crime["indicator"] == i.id]
        if i.kind != "crime" or t.empty:
            continue
        link = f"[{md_text(i.title)}](maps/{i.id}.md)" if i.headline else md_text(i.title)
        high = int((t["compared_with_borough"] == "higher").sum())
        count, rate = int(t["borough_count"].iloc[0]), float(t["borough_rate_per_1000"].iloc[0])
        rows.append(f"| {link} | {count:,} | {rate:.1f} | {high} |")
    table = (
        "| Indicator | Records | Per 1,000 residents | Wards significantly above the district rate |\n"
        "| :-- | --: | --: | --: |\n" + "\n".join(rows) + "\n"
    )
    hot = ", ".join(f"[{md_text(i.title.lower())}](hotspots/{i.id}.md)" for i in hotspots)
    kent_line = f"- [Kent comparison](after/kent.md): {name} among the twelve Kent districts in 2014.\n" if kent else ""
    return (
        f"# Community safety in {name}, ward by ward\n\n"
        f"Open data on crime, anti-social behaviour and deprivation for {name}'s {n_wards} wards "
        f"({population:,} residents at the 2011 Census), {md_text(period_text)}. Every map has a table with the "
        "same figures beside it, and every rate comes with a 95 % confidence interval, so that a difference "
        "between wards is only called significant when chance cannot explain it.\n\n"
        "## Start here\n\n"
        f"- [Ward maps](maps/index.md): rates per 1,000 residents and counts by ward, and deprivation "
        f"({md_text(place.edition.short)}).\n"
        f"- [Wards](wards/index.md): one page per ward, for people who work in or look after one.\n"
        f"- [Hotspots](hotspots/index.md): statistically tested clusters of {hot}.\n"
        f"- [Road safety](road-safety.md): pedestrian casualties, where STATS19 records are in the data.\n"
        + kent_line
        + "- [Data and methods](data-and-methods.md) and [downloads](downloads.md).\n\n"
        f"## {name} as a whole\n\n" + table + "\n"
        "police.uk publishes each record at an anonymous point near where it happened, so these counts are "
        "close to, but not the same as, the force's own figures. This site was first made to retell the Safer "
        "Maidstone Partnership's strategic assessment; the pages that narrate that report appear only on the "
        "Maidstone build.\n"
    )


def hotspots_index(indicators, period_text: str, cell_m: float, report: bool = True) -> str:
    rows = "\n".join(f"- [{md_text(i.title)}]({i.id}.md)" for i in indicators)
    shop = (
        "\n\nShoplifting has its own page because the assessment set up a task-and-finish group for it."
        if report
        else ""
    )
    return (
        f"# Hotspots\n\nStatistically tested hot spots for {md_text(period_text)}: the places where records "
        f"cluster more than chance allows, found with the Getis-Ord Gi* statistic on {cell_m:.0f} m hexagons. "
        "Each page also lists the police.uk locations with most records, which is where patrols and "
        f"problem-solving start.\n\n{rows}{shop}\n"
    )


def multiple_testing_note(t: pd.DataFrame, area: str) -> str:
    """How many wards were compared, how many calls chance alone would make, and how many survive FDR control."""
    n = int(t["compared_with_borough"].isin(["higher", "lower", "similar"]).sum())
    called = int(t["compared_with_borough"].isin(["higher", "lower"]).sum())
    kept = int(t["compared_fdr"].isin(["higher", "lower"]).sum())
    return (
        f"{n} wards were each compared with the {area} rate, so about {0.05 * n:.1f} would be called different "
        f"by chance alone at the 5 % level. {called} were; {kept} of them stay significant when the false "
        "discovery rate across the wards is held at 5 % (Benjamini-Hochberg), shown in the last column."
    )
