"""The pages about the data: Data and methods, Downloads and the attribution text (pure: data in, text out)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.analysis.bng import LIBRARY, TRANSFORMATION
from geo.analysis.outcomes import GROUPS
from geo.analysis.repeat import MIN_RECORDS, TOP
from geo.analysis.spc import MIN_POINTS, XMR_FACTOR
from geo.config import IN_YEAR, MONITOR
from geo.render.maps.choropleth import SCHEME_NAMES as SCHEME_WORDS
from geo.render.markup import md_table
from geo.render.templates import render
from geo.render.words import Place, period_words_short

CRIME_COLUMNS = {
    "ward_code": "ONS code of the {wards_year} electoral ward (E05…)",
    "ward_name": "ward name",
    "indicator": "indicator id (see the indicator table below)",
    "period": "first and last month counted (YYYY-MM)",
    "count": "police.uk records in the ward in the period (blank if suppressed)",
    "population": "Census {census} usual residents (sum of the ward's best-fit {census} LSOAs)",
    "rate_per_1000": "count per 1,000 residents",
    "rate_lower_95": "lower limit of the 95 % confidence interval of the rate",
    "rate_upper_95": "upper limit of the 95 % confidence interval of the rate",
    "borough_count": "records in the whole district",
    "borough_rate_per_1000": "district rate per 1,000 residents",
    "compared_with_borough": "higher / lower (exact Poisson test of the count against the district's rate, "
    "p < 0.05) or similar",
    "p_value": "exact Poisson test of the count against the district's rate applied to the ward's residents",
    "q_value": "the p-value adjusted for the number of wards (Benjamini-Hochberg false discovery rate)",
    "compared_fdr": "compared_with_borough, kept only where q_value is under 0.05 (else similar)",
    "rank": "rank of the ward's rate among the district's wards (1 = highest)",
    "suppressed": "true where the count was withheld as a small number",
}
DEPRIVATION_COLUMNS = {
    "ward_code": "ONS ward code",
    "ward_name": "ward name",
    "lsoas": "number of LSOAs (2001 for IMD 2010, 2011 for IMD 2015 and 2019, 2021 for IMD 2025) best-fitted to the "
    "ward",
    "residents": "Census {census} residents of those LSOAs",
    "imd_score": "IMD score, weighted by residents (higher = more deprived)",
    "<domain>_score": "the same for each domain: income, employment, health, education, housing_and_access, "
    "crime, environment (IMD 2010 and IMD 2025 builds only)",
    "imd_most_deprived_20pct": "% of residents in LSOAs among England's most deprived 20 % (deciles 1-2)",
    "most_deprived_lsoa_rank": "national IMD rank of the ward's most deprived LSOA (1 = most deprived)",
    "rank_imd": "rank of the ward's score among the district's wards (1 = most deprived)",
}


def attribution_text(manifest: pd.DataFrame, place: Place) -> str:
    """Plain-text licence and attribution notice shipped with the downloads."""
    lines = [
        f"{place.name} ward indicators - licence and attribution",
        "",
        "The figures are derived from open data published under the Open Government Licence v3.0",
        "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).",
        "",
        *dict.fromkeys(
            str(a).replace("{wards_year}", place.wards_year) + ("" if str(a).endswith(".") else ".")
            for a in manifest["attribution"]
        ),
        "",
        "police.uk locations are snapped to anonymous map points; counts by ward follow those points.",
        "",
        "Sources:",
    ]
    for _, r in manifest.iterrows():
        lines.append(f"- {r['title']} ({r['publisher']}, {r['period']}): {r['official_url']} - {r['licence']}")
    return "\n".join(lines) + "\n"


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
        "ward-outcomes.csv",
        "one row per ward and priority crime with outcomes: crimes by last outcome group, the formal-action share "
        "with its exact 95 % interval, and its comparison with the {area} (the API's field names)",
    ),
    (
        "ward-repeat-locations.csv",
        "the repeat locations of every ward: snap point, coordinates, records, months with a record and main "
        "categories (the API's field names)",
    ),
    (
        "ward-monthly-series.csv",
        "one row per ward (and the whole {area}), indicator and month with police.uk records: count, the "
        "control chart's average and limits, and whether the month is a signal",
    ),
    (
        "wards.geojson",
        "the ward boundaries (December {wards_year}, WGS84) with code, name and Census {census} residents",
    ),
    ("ATTRIBUTION.txt", "the licence and attribution text to keep with the files"),
]


def downloads_page(manifest: pd.DataFrame, period_text: str, place: Place) -> str:
    """The Downloads page: each file and what it holds, and the attribution to keep with them."""
    words = {
        "period": period_text,
        "edition": place.edition.short,
        "area": place.area,
        "wards_year": place.wards_year,
        "census": place.census,
    }
    return render("downloads.md.j2", files=[(n, what.format(**words)) for n, what in DOWNLOADS], place=place)


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
    lookup_agreement: tuple[int, int] = (0, 0)
    """Records of the district's LSOAs compared, and those whose snap point lies in another ward than the lookup
    gives their LSOA (:func:`geo.read.agreement.lookup_agreement`)."""
    outcome_groups: tuple[tuple[str, str], ...] = ()
    """(police.uk last outcome, group) as ``data/outcome-categories.csv`` gives them."""


def methods_page(
    manifest: pd.DataFrame,
    checksums: pd.DataFrame,
    rec,
    indicators,
    period_text: str,
    *,
    facts: BuildFacts,
    place: Place,
) -> str:
    """The Data and methods page: sources, coverage, reconciliation, statistics and column definitions."""
    return render(
        "data-and-methods.md.j2",
        sources=md_table(
            ["Source", "Publisher", "Period", "Licence", "Official address"],
            (
                [r["title"], r["publisher"], r["period"], r["licence"], r["official_url"]]
                for _, r in manifest.iterrows()
            ),
        ),
        manifest=manifest.to_dict("records"),
        period_text=period_text,
        months=", ".join(facts.police_months) if facts.police_months else "none",
        rows_table=_rows_table(rec),
        place=place,
        facts=facts,
        indicators=_indicator_table(indicators),
        schemes=sorted({SCHEME_WORDS.get(i.scheme, i.scheme) for i in indicators}),
        min_points=MIN_POINTS,
        repeat=(MIN_RECORDS, TOP),
        outcome_groups=md_table(
            ["police.uk last outcome", "Group"],
            sorted(facts.outcome_groups, key=lambda kv: (GROUPS.index(kv[1]), kv[0])),
        ),
        xmr_factor=XMR_FACTOR,
        change_periods="; ".join(f"{period_words_short(a)} and {b.start[:4]}" for a, b in (IN_YEAR, MONITOR)),
        crime_columns=md_table(["Column", "Meaning"], _columns(CRIME_COLUMNS, place)),
        deprivation_columns=md_table(["Column", "Meaning"], _columns(DEPRIVATION_COLUMNS, place)),
        files=_files_table(checksums),
        transformation=TRANSFORMATION,
        transformation_library=LIBRARY,
    )


def _columns(columns: dict, place: Place) -> list:
    """A column table's rows in the build's vintage (its ward year and Census)."""
    return [(c, what.format(wards_year=place.wards_year, census=place.census)) for c, what in columns.items()]


def _rows_table(rec) -> str:
    """Where every police.uk row read went (the repeated-ID column only when some record repeats another)."""
    cols = {
        "Rows read": rec.rows_read,
        "In a ward": rec.in_ward,
        "Outside the district": rec.outside_district,
        "Without a location": rec.no_location,
        "Outside the period": rec.out_of_period,
    }
    if rec.repeated:
        cols["Repeating an earlier Crime ID (counted once)"] = rec.repeated
    return md_table(list(cols), [[f"{n:,}" for n in cols.values()]], ["r"] * len(cols))


def _indicator_table(indicators) -> str:
    return md_table(
        ["Id", "Indicator", "police.uk categories counted", "Map classes"],
        (
            [
                i.id,
                i.title,
                "; ".join(i.police_categories) or "(Indices of Deprivation)",
                f"{SCHEME_WORDS.get(i.scheme, i.scheme)}, {i.k} classes (fewer where fewer wards differ), "
                f"ColorBrewer {i.palette}",
            ]
            for i in indicators
        ),
    )


def _files_table(checksums: pd.DataFrame) -> str:
    """The build's input files with their sizes and hashes (and where they were fetched from, if they were)."""
    fetched = "fetched_from" in checksums and checksums["fetched_from"].str.contains("://").any()
    return md_table(
        ["File", "Bytes", "SHA-256", *(["Fetched from"] if fetched else [])],
        (
            [r["file"], f"{r['bytes']:,}", r["sha256"][:16] + "…", *([r["fetched_from"]] if fetched else [])]
            for _, r in checksums.iterrows()
        ),
        ["l", "r", "l", *(["l"] if fetched else [])],
    )
