"""The Hotspots section: per hotspot indicator, a page with the tested hot cells drawn in the page, the hottest
cells and the busiest locations as tables, the full-screen map and the downloads; and the Hotspots index."""

from __future__ import annotations

import pandas as pd

from geo.analysis.hotspots import snap_points, top_locations
from geo.render import field, markup
from geo.render.maps.hotspot import hotspot_html, significant_cells
from geo.render.maps.ward import ward_data_script
from geo.render.markup import DOWNLOAD_DIR, MAP_DIR, md_table
from geo.render.output import Section
from geo.render.templates import render

NAV = "Hotspots"
SHOW_HOT_CELLS = 20
"""Hot cells listed on a hotspot page (all of them are in its download)."""


def section(ctx) -> Section:
    """The Hotspots index, and for each hotspot indicator its page, full-screen map and downloads."""
    out = Section()
    grid = ctx.grid
    chosen = [i for i in ctx.indicators if i.hotspot]
    out.page(
        "hotspots/index.md",
        render(
            "hotspots-index.md.j2",
            indicators=chosen,
            period_text=ctx.period_text,
            cell_m=ctx.config.hotspot_cell_m,
            report=ctx.place.report,
        ),
        NAV,
    )
    tops = top_locations(ctx.in_ward, n=10)
    out.file(f"{DOWNLOAD_DIR}/top-locations.csv", tops.to_csv(index=False, lineterminator="\n"))
    for ind in chosen:
        cells, points = grid.results[ind.id]
        recs = ctx.in_ward[ctx.in_ward["indicator"] == ind.id]
        title = f"{ind.title} hotspots, {ctx.period_text}"
        out.file(
            f"{MAP_DIR}/hotspots-{ind.id}.html",
            hotspot_html(grid, ctx.web_wards, ctx.labels, cells, points, recs, title=title),
        )
        table = cells.assign(
            centre_longitude=grid.centres["longitude"].to_numpy(), centre_latitude=grid.centres["latitude"].to_numpy()
        )
        out.file(
            f"{DOWNLOAD_DIR}/hotspots-{ind.id}.csv",
            table.to_csv(index=False, lineterminator="\n", float_format="%.6g"),
        )
        page = hotspot_page(ctx, ind, recs, tops[tops["indicator"] == ind.id])
        out.page(f"hotspots/{ind.id}.md", page, NAV, ind.title)
    return out


def hotspot_page(ctx, ind, recs: pd.DataFrame, tops: pd.DataFrame) -> str:
    """The hotspot page of one indicator: the map drawn in the page from the significant cells and the records
    (the data a ward page has, for the whole district), its hottest cells and the top locations."""
    cells = ctx.grid.results[ind.id][0]
    layer = {ind.id: significant_cells(ctx.grid.web_cells, cells)}
    map_data = ward_data_script(layer, {ind.id: snap_points(recs)}, {ind.id: ind.title})
    hot = cells[cells["hotspot"].str.startswith("Hot")].sort_values(["gi_z", "cell_id"], ascending=[False, True])
    shown = hot.head(SHOW_HOT_CELLS)
    return render(
        "hotspot.md.j2",
        ind=ind,
        period_text=ctx.period_text,
        cell_m=ctx.config.hotspot_cell_m,
        permutations=ctx.config.permutations,
        n_cells=len(ctx.grid.cells),
        n_records=len(recs),
        map_embed=field.map_block(
            "hotspots",
            root="../",
            title=f"Map of {ind.title.lower()} hotspots, {ctx.period_text}",
            full_screen=markup.map_src(f"hotspots-{ind.id}"),
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
