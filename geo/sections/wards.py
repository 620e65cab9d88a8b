"""The Wards section: one phone-first, printable profile page per ward for PCSOs (its figures beside the
district's, its hot cells and records drawn in the page, its months, its deprivation, its busiest locations and
what the assessment says about it), the full-screen ward map with each ward's data script, and the Wards index."""

from __future__ import annotations

import pandas as pd

from geo.analysis import hotspots
from geo.analysis.repeat import MIN_RECORDS
from geo.render import field, markup
from geo.render.maps import ward as ward_map
from geo.render.maps.hotspot import CLASS_COLOURS, significant_cells
from geo.render.maps.svg import ward_svg
from geo.render.markup import fmt_ci, fmt_num, geo_link, html_table
from geo.render.outcomes import ward_outcome_table
from geo.render.output import Section
from geo.render.templates import render
from geo.render.trends import ward_trends
from geo.render.words import comparison_text

DOMAINS = [
    ("income_score", "Income"),
    ("employment_score", "Employment"),
    ("health_score", "Health and disability"),
    ("education_score", "Education and skills"),
    ("housing_and_access_score", "Barriers to housing and services"),
    ("crime_score", "Crime"),
    ("environment_score", "Living environment"),
]


def section(ctx) -> Section:
    """The ward map, each ward's data script and profile page, and the Wards index."""
    out = Section()
    t = ctx.tables
    out.file(f"{markup.MAP_DIR}/ward.html", ward_map.ward_map(ctx.web_wards.total_bounds, asset_prefix="../"))
    dep = t.deprivation.set_index("ward_code")
    cols = [c for c in dep.columns if c.endswith("_score")]
    borough_dep = dep[cols].mul(dep["residents"], axis=0).sum(min_count=1) / dep["residents"].sum()
    repeats, outcomes = ctx.repeats, ctx.outcomes
    n_months = len(ctx.config.period.months())
    significant = {ind: significant_cells(ctx.grid.web_cells, res) for ind, (res, _) in ctx.grid.results.items()}
    hot_titles = _hot_titles(ctx)
    snaps, tops = ward_snap_points(ctx.in_ward, ctx.grid.results), ward_tops(ctx.in_ward, hot_titles)
    for _, w in t.wards.iterrows():
        code = w["ward_code"]
        cells, points = ward_layers(ctx, code, significant, snaps)
        map_data = ward_map.ward_data_script(cells, points, hot_titles)
        out.file(f"{ward_map.DATA_DIR}/ward-data/{code}.js", map_data)
        hot = {ind: int(c["hotspot"].str.startswith("Hot").sum()) for ind, c in cells.items()}
        tables = {
            "repeat_table": _repeat_table(w["ward_name"], repeats[repeats["ward_code"] == code], n_months),
            "top_table": _top_table(w["ward_name"], tops.get(code, NO_TOPS), ctx.crime_titles),
            "outcome_table": ward_outcome_table(
                outcomes[outcomes["ward_code"] == code], ctx.crime_titles, w["ward_name"], ctx.place.area
            ),
        }
        page = ward_page(ctx, w, (dep.loc[code], borough_dep), map_data, hot, tables)
        out.page(f"wards/{ctx.slugs[code]}.md", page, listed=False)
    out.page("wards/index.md", wards_index(ctx), "", "Wards")
    return out


def _hot_titles(ctx) -> dict[str, str]:
    titles = ctx.crime_titles
    return {i: titles[i] for i in ctx.grid.results}


NO_POINTS = pd.DataFrame(columns=["latitude", "longitude", "location", "count"])
"""The snap points of a ward with no record of an indicator."""
NO_TOPS = pd.DataFrame(columns=["indicator", "rank", "location", "ward_code", "ward_name", "count"])
"""The busiest locations of a ward with no record of a hotspot indicator."""


def ward_snap_points(in_ward: pd.DataFrame, inds) -> dict[str, dict[str, pd.DataFrame]]:
    """Indicator -> ward code -> the ward's snap points with their counts (:func:`hotspots.snap_points`), counted
    once for the district; a ward with no record of an indicator has none."""
    out = {}
    for ind in inds:
        snaps = hotspots.snap_points(in_ward[in_ward["indicator"] == ind], by=("ward_code",))
        out[ind] = {c: g.drop(columns="ward_code") for c, g in snaps.groupby("ward_code", sort=False)}
    return out


def ward_layers(ctx, code: str, significant: dict, snaps: dict) -> tuple[dict, dict]:
    """A ward map's layers per hotspot indicator: of the district's ``significant`` cells (WGS84, per indicator)
    those touching the ward, and the ward's snap points with their counts (``snaps``, :func:`ward_snap_points`)."""
    mine = list(ctx.grid.cells_of_ward.get(code, set()))
    cells, points = {}, {}
    for ind in ctx.grid.results:
        sig = significant[ind]
        cells[ind] = sig[sig["cell_id"].isin(mine)]
        points[ind] = snaps[ind].get(code, NO_POINTS)
    return cells, points


def print_map(ctx, w: pd.Series) -> str:
    """The printable SVG of one ward: its outline, its neighbours within 1.5 km and the lead indicator's hot cells."""
    wards, grid = ctx.tables.wards, ctx.grid
    code, geom = w["ward_code"], w.geometry
    near = wards[wards.geometry.intersects(geom.buffer(1500)) & (wards["ward_code"] != code)]
    res = grid.results.get(ctx.lead, (None,))[0]
    shade = []
    if res is not None:
        mine = grid.cells_of_ward.get(code, set())
        hot = res[res["hotspot"].str.startswith("Hot") & res["cell_id"].isin(mine)]
        geoms = grid.cells.geometry.to_numpy()  # cell ids are the grid's row positions
        shade = [(geoms[c], CLASS_COLOURS[h]) for c, h in zip(hot["cell_id"], hot["hotspot"], strict=True)]
    neighbours = list(zip(near.geometry, near["ward_name"], strict=True))
    return ward_svg(geom, neighbours, shade, title=f"Map of {w['ward_name']} ward")


def ward_tops(in_ward: pd.DataFrame, hot_titles: dict) -> dict[str, pd.DataFrame]:
    """Ward code -> the three busiest locations of each hotspot indicator in the ward, in the indicators' order
    (counted once for the district)."""
    recs = in_ward[in_ward["indicator"].isin(list(hot_titles))]
    tops = hotspots.top_locations(recs, n=3, per=("indicator", "ward_code"))
    order = {k: i for i, k in enumerate(hot_titles)}
    tops = tops.sort_values(["indicator", "rank"], key=lambda s: s.map(order) if s.name == "indicator" else s)
    return {code: part for code, part in tops.groupby("ward_code", sort=False)}


def ward_page(ctx, w: pd.Series, deps: tuple, map_data: str, hot_cells: dict, tables: dict[str, str]) -> str:
    """The Markdown of one ward page (words in ``templates/ward.md.j2``): ``deps`` is the ward's deprivation row and
    the district's averages, ``hot_cells`` the number of hot cells touching the ward per hotspot indicator,
    ``tables`` its busiest locations, repeat locations and outcome tables (``top_table``, ``repeat_table``,
    ``outcome_table``)."""
    dep, borough_dep = deps
    code, name = w["ward_code"], w["ward_name"]
    titles, place, n_wards = ctx.crime_titles, ctx.place, len(ctx.tables.wards)
    crime = ctx.tables.crime[ctx.tables.crime["ward_code"] == code]
    c = crime.set_index("indicator")
    mentions = ctx.inputs.mentions[ctx.inputs.mentions["ward_name"] == name]
    open_counts = {r["indicator"]: int(r["count"]) for _, r in crime.iterrows() if pd.notna(r["count"])}
    headline_titles = {i.id: i.title for i in ctx.indicators if i.kind == "crime" and i.headline}
    return render(
        "ward.md.j2",
        census=ctx.place.census,
        slug=ctx.slugs[code],
        name=name,
        code=code,
        population=int(w["population"]),
        period_text=ctx.period_text,
        n_wards=n_wards,
        place=place,
        edition=place.edition,
        asb=c.loc[ctx.lead].to_dict() if ctx.lead in c.index else None,
        higher=[titles[i] for i in titles if i in c.index and c.loc[i, "compared_with_borough"] == "higher"],
        lower=[titles[i] for i in titles if i in c.index and c.loc[i, "compared_with_borough"] == "lower"],
        n_tests=n_wards * len(titles),
        n_indicators=len(titles),
        fdr_kept=int(c["compared_fdr"].isin(["higher", "lower"]).sum()),
        map_embed=field.map_block(
            "ward",
            root="../",
            title=f"Map of {name} ward",
            ward=code,
            full_screen=markup.map_src("ward", f"ward={code}"),
            data=map_data,
            extra=("", field.hotspot_legend()),
        ),
        svg=print_map(ctx, w),
        hot_cells=[(titles[i], n) for i, n in hot_cells.items()],
        crime_table=_crime_table(ctx, name, c),
        trends=ward_trends(ctx.tables.series, code, name, headline_titles),
        dep=dep.to_dict(),
        dep_table=_deprivation_table(ctx, name, dep, borough_dep),
        min_records=MIN_RECORDS,
        **tables,
        mentions=[
            {
                **m,
                "open": open_counts[m["indicator"]]
                if m["indicator"] in open_counts and m["period"] == ctx.config.period.label
                else None,
            }
            for m in mentions.to_dict("records")
        ],
    )


def _crime_table(ctx, name: str, c: pd.DataFrame) -> str:
    """The ward's figures for each indicator beside the district's, as a stacking HTML table."""
    n_wards, area = len(ctx.tables.wards), ctx.place.area
    rows = []
    for ind, title in ctx.crime_titles.items():
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
        caption=f"Police.uk records in {name}, {ctx.period_text}",
        numeric=(1, 2, 3),
    )


def _deprivation_table(ctx, name: str, dep: pd.Series, borough_dep: pd.Series) -> str:
    """The ward's domain scores beside the district's averages ("" when the edition has no domains)."""
    e = ctx.place.edition
    if not e.domains:
        return ""
    return html_table(
        [f"Domain ({e.short})", "Ward score", f"{ctx.place.area.capitalize()} average"],
        [[label, fmt_num(dep[col], 2), fmt_num(borough_dep[col], 2)] for col, label in DOMAINS],
        caption=f"Deprivation domain scores, {name}",
        numeric=(1, 2),
    )


def _top_table(name: str, tops: pd.DataFrame, titles: dict) -> str:
    """The busiest locations of each priority in the ward."""
    rows = [
        [titles.get(r["indicator"], r["indicator"]), r["location"], fmt_num(r["count"], 0)] for _, r in tops.iterrows()
    ]
    if not rows:
        return "No records at any location in this period.\n"
    return html_table(
        ["Priority", "Location", "Records"], rows, caption=f"Busiest police.uk locations in {name}", numeric=(2,)
    )


def _repeat_table(name: str, repeats: pd.DataFrame, n_months: int) -> str:
    """The ward's repeat locations: records, the months they came in, the main categories ("" when none)."""
    rows = [
        [
            r.location,
            geo_link(r.latitude, r.longitude),
            fmt_num(r.records, 0),
            f"{r.months} of {n_months}",
            "; ".join(f"{cat} {n}" for cat, n in r.categories),
        ]
        for r in repeats.itertuples()
    ]
    if not rows:
        return ""
    return html_table(
        ["Snap point", "Where (latitude, longitude)", "Records", "Months with a record", "Main categories (records)"],
        rows,
        caption=f"Repeat locations in {name}: police.uk snap points with most records, all categories",
        numeric=(2,),
    )


def wards_index(ctx) -> str:
    """The Wards index: a clickable map of all wards and an A–Z table with each ward's lead indicator."""
    t = ctx.tables
    lead = t.crime[t.crime["indicator"] == ctx.lead].set_index("ward_code")
    rows = []
    for code, name in sorted(zip(t.wards["ward_code"], t.wards["ward_name"], strict=True), key=lambda x: str(x[1])):
        r = lead.loc[code] if code in lead.index else None
        cells = (
            [fmt_num(r["population"], 0), fmt_num(r["rate_per_1000"]), comparison_text(r["compared_with_borough"])]
            if r is not None
            else ["–", "–", "–"]
        )
        rows.append({"name": name, "slug": ctx.slugs[code], "cells": cells})
    return render(
        "wards-index.md.j2",
        period_text=ctx.period_text,
        place=ctx.place,
        wards=rows,
        map_embed=field.map_block(
            "index",
            root="../",
            title="Map of all wards: choose a ward to see its figures",
            full_screen=markup.map_src("ward"),
        ),
    )
