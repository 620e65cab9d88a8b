"""Markdown pages generated from the ward tables (pure functions: data in, text out).

Every data value that goes into a page passes through :func:`geo.render.markup.md_text`, which escapes HTML and
Markdown.
"""

from __future__ import annotations

import pandas as pd

from geo.analysis.deprivation import IMD_2010, Edition
from geo.analysis.indicators import Indicator
from geo.data_pages import BuildFacts
from geo.render import field
from geo.render.markup import COMPARISON_WORDS, MAIDSTONE, Place, fmt_ci, fmt_num, md_table
from geo.render.templates import render


def crime_map_page(
    ind: Indicator, t: pd.DataFrame, *, period_text: str, map_embed: str, months: int, place: Place = MAIDSTONE
) -> str:
    """The page for one crime indicator: summary, the map, and the same figures as a table."""
    n = len(t)
    ranked = t.sort_values(["rank", "ward_name"])
    return render(
        "crime-map.md.j2",
        ind=ind,
        place=place,
        period_text=period_text,
        months=months,
        n=n,
        b_count=int(t["borough_count"].iloc[0]),
        b_rate=float(t["borough_rate_per_1000"].iloc[0]),
        high=ranked[ranked["compared_with_borough"] == "higher"]["ward_name"].tolist(),
        low=ranked[ranked["compared_with_borough"] == "lower"]["ward_name"].tolist(),
        map_embed=map_embed,
        table=md_table(
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
        fdr_note=multiple_testing_note(t, place.area),
    )


def deprivation_map_page(dep: pd.DataFrame, *, map_embed: str, edition: Edition = IMD_2010) -> str:
    """The deprivation page: IMD score and share of residents in England's most deprived 20 %."""
    n, e = len(dep), edition
    ranked = dep.sort_values(["rank_imd", "ward_name"])
    top = ranked[ranked["imd_most_deprived_20pct"] > 0]
    table = md_table(
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
    )
    return render(
        "deprivation-map.md.j2",
        e=e,
        n=n,
        map_embed=map_embed,
        most=ranked.iloc[0].to_dict(),
        least=ranked.iloc[-1].to_dict(),
        top=list(zip(top["ward_name"], top["imd_most_deprived_20pct"], strict=True)),
        table=table,
    )


def maps_index(indicators, period_text: str, place: Place = MAIDSTONE, n_wards: int = 26) -> str:
    """The Ward maps index: one line per map."""
    return render("maps-index.md.j2", indicators=indicators, period_text=period_text, place=place, n_wards=n_wards)


SHOW_HOT_CELLS = 20
"""Hot cells listed on a hotspot page (all of them are in its download)."""


def hotspot_page(
    ind,
    cells: pd.DataFrame,
    tops: pd.DataFrame,
    *,
    period_text: str,
    map_src: str,
    map_data: str,
    facts: BuildFacts,
    counts: tuple[int, int],
) -> str:
    """The hotspot page of one indicator: the map, its hottest cells and the top locations.

    ``map_data`` is the in-page map's script (the significant cells and the snap points, as a ward page has);
    ``counts`` is (hexagons in the grid, records counted in them)."""
    hot = cells[cells["hotspot"].str.startswith("Hot")].sort_values(["gi_z", "cell_id"], ascending=[False, True])
    shown = hot.head(SHOW_HOT_CELLS)
    return render(
        "hotspot.md.j2",
        ind=ind,
        period_text=period_text,
        facts=facts,
        n_cells=counts[0],
        n_records=counts[1],
        map_embed=field.map_block(
            "hotspots",
            root="../",
            title=f"Map of {ind.title.lower()} hotspots, {period_text}",
            full_screen=map_src,
            data=map_data,
            extra=("", field.hotspot_legend("the layer button on the map shows the records (zoom in to see them).")),
        ),
        n_hot=len(hot),
        n_cold=int(cells["hotspot"].str.startswith("Cold").sum()),
        levels={k: int((hot["hotspot"] == k).sum()) for k in ("Hot 99%", "Hot 95%", "Hot 90%")},
        by_ward=list(hot.groupby("ward_name").size().sort_values(ascending=False).items()),
        shown=len(shown),
        hot_table=md_table(
            ["Rank", "Confidence", "Ward", "Records in cell", "Location with most records in the cell"],
            (
                [i + 1, r["hotspot"], r["ward_name"], f"{int(r['count']):,}", r["top_location"]]
                for i, (_, r) in enumerate(shown.iterrows())
            ),
            ["r", "l", "l", "r", "l"],
        ),
        top_table=md_table(
            ["Rank", "Location", "Ward", "Records"],
            ([r["rank"], r["location"], r["ward_name"], f"{int(r['count']):,}"] for _, r in tops.iterrows()),
            ["r", "l", "l", "r"],
        ),
    )


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
    rows = []
    for i in indicators:
        t = crime[crime["indicator"] == i.id]
        if i.kind == "crime" and not t.empty:
            rate = float(t["borough_rate_per_1000"].iloc[0])
            high = int((t["compared_with_borough"] == "higher").sum())
            rows.append({"ind": i, "count": int(t["borough_count"].iloc[0]), "rate": rate, "high": high})
    return render(
        "district-home.md.j2",
        place=place,
        period_text=period_text,
        n_wards=n_wards,
        population=population,
        hotspots=hotspots,
        kent=kent,
        rows=rows,
    )


def hotspots_index(indicators, period_text: str, cell_m: float, report: bool = True) -> str:
    """The Hotspots index: one line per indicator with a hotspot page."""
    return render("hotspots-index.md.j2", indicators=indicators, period_text=period_text, cell_m=cell_m, report=report)


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
