"""The Maps section: one page per headline indicator (a ward choropleth drawn in the page, its table and funnel
plot), the full-screen maps, and the Maps index."""

from __future__ import annotations

import pandas as pd

from geo.analysis import funnel
from geo.render import field, markup
from geo.render.maps.choropleth import Layer
from geo.render.maps.spec import MapSpec, draw, rate_spec
from geo.render.markup import fmt_ci, fmt_num, js_data, md_table
from geo.render.output import Section
from geo.render.templates import render
from geo.render.trends import funnel_section
from geo.render.words import COMPARISON_WORDS

NAV = "Maps"


def section(ctx) -> Section:
    """The Maps index and a page and full-screen map per headline indicator of ``ctx``."""
    out = Section()
    headline = [ind for ind in ctx.indicators if ind.headline]
    out.page(
        "maps/index.md",
        render(
            "maps-index.md.j2",
            indicators=headline,
            period_text=ctx.period_text,
            place=ctx.place,
            n_wards=len(ctx.tables.wards),
        ),
        NAV,
    )
    for ind in headline:
        html, page = indicator_map(ctx, ind)
        out.file(f"{markup.MAP_DIR}/{ind.id}.html", html)
        out.page(f"maps/{ind.id}.md", page, NAV, ind.title)
    return out


def indicator_map(ctx, ind) -> tuple[str, str]:
    """One headline indicator's full-screen map (HTML) and its page (Markdown) with the in-page map and its data:
    rates and counts, or deprivation scores."""
    t = ctx.tables
    if ind.kind == "crime":
        tt = markup.crime_tooltip_table(t.crime, ind, len(t.wards))
        spec = rate_spec(ctx.web_wards, tt, ind, ctx.place, title=f"{ind.title} by ward, {ctx.period_text}")
    else:
        spec = deprivation_spec(ctx, ind)
    data = field.choropleth_data(spec.table, spec.layers, spec.tooltip, spec.classing)
    block = field.map_block(
        "choropleth",
        root="../",
        title=f"Map: {spec.title}",
        map_id=ind.id,
        full_screen=markup.map_src(ind.id),
        extra=field.choropleth_controls(ind.id, data),
        data=js_data("maps", data, ind.id),
    )
    if ind.kind == "crime":
        page = crime_map_page(ctx, ind, tt, block)
        positions = funnel.funnel_position(t.crime[t.crime["indicator"] == ind.id])
        page += "\n" + funnel_section(positions, ind.title, ctx.place.area, ctx.place.census)
    else:
        page = deprivation_map_page(t.deprivation, block, ctx.place.edition, ctx.place.census)
    return draw(ctx.web_wards, spec), page


def deprivation_layers(first: str, e) -> list[Layer]:
    """The deprivation map's layers, the indicator's own column first (IMD score, share in the most deprived 20 %,
    or the crime domain where the edition has it)."""
    layers = {
        "imd_score": Layer(f"{e.short} score", "imd_score", f"{e.short} score (higher = more deprived)", 1),
        "imd_most_deprived_20pct": Layer(
            "% in England's most deprived 20 %",
            "imd_most_deprived_20pct",
            "% of residents in England's most deprived 20 % of areas",
            0,
        ),
    }
    if e.domains:
        layers["crime_score"] = Layer("Crime domain score", "crime_score", "Crime domain score (higher = more)", 2)
    if first not in layers:
        raise ValueError(f"no deprivation map layer for indicator {first!r}")
    return [layers[first], *(v for k, v in layers.items() if k != first and k != "crime_score")]


def deprivation_spec(ctx, ind) -> MapSpec:
    """The deprivation map's layers and tooltip, the indicator's own measure first."""
    n_wards, e = len(ctx.tables.wards), ctx.place.edition
    dep = ctx.tables.deprivation.copy()
    dep["score_text"] = [markup.fmt_num(x) for x in dep["imd_score"]]
    dep["pct_text"] = [f"{x:.0f} %" for x in dep["imd_most_deprived_20pct"]]
    dep["rank_text"] = [f"{r} of {n_wards}" for r in dep["rank_imd"]]
    dep["crime_text"] = [markup.fmt_num(x, 2) for x in dep["crime_score"]]
    tips = {
        "ward_name": "Ward",
        "score_text": f"{e.short} score",
        "rank_text": "Rank (1 = most deprived)",
        "pct_text": "In England's most deprived 20 %",
    }
    if e.domains:
        tips["crime_text"] = "Crime domain score"
    return MapSpec(
        dep.drop(columns=["ward_name"]).merge(ctx.web_wards[["ward_code", "ward_name"]], on="ward_code"),
        deprivation_layers(ind.id, e),
        tips,
        (ind.scheme, ind.k, ind.palette),
        f"Deprivation by ward ({e.short})",
    )


def crime_map_page(ctx, ind, t: pd.DataFrame, map_embed: str) -> str:
    """The page for one crime indicator: summary, the map, and the same figures as a table."""
    n, place = len(t), ctx.place
    ranked = t.sort_values(["rank", "ward_name"])
    return render(
        "crime-map.md.j2",
        ind=ind,
        place=place,
        period_text=ctx.period_text,
        months=len(ctx.tables.reconciliation.months),
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


def deprivation_map_page(dep: pd.DataFrame, map_embed: str, e, census: int = 2011) -> str:
    """The deprivation page: IMD score and share of residents in England's most deprived 20 %."""
    n = len(dep)
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
        census=census,
        n=n,
        map_embed=map_embed,
        most=ranked.iloc[0].to_dict(),
        least=ranked.iloc[-1].to_dict(),
        top=list(zip(top["ward_name"], top["imd_most_deprived_20pct"], strict=True)),
        table=table,
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
