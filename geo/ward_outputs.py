"""The ward map, its shared data scripts, one profile page per ward and the Wards index."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo import trend_pages, ward_pages
from geo.analysis import hotspots
from geo.common import MAP_DIR
from geo.config import Config
from geo.hotspot_outputs import Hotspots, significant_cells, snap_points
from geo.outputs import Target, put
from geo.pipeline import WardTables
from geo.render import markup
from geo.render.maps import ward as ward_map_mod
from geo.render.maps.hotspot import CLASS_COLOURS
from geo.render.maps.svg import ward_svg


def write_wards(
    files: Target,
    pages_dir: Target,
    t: WardTables,
    inputs,
    config: Config,
    period_text: str,
    hs: Hotspots,
    place: markup.Place = markup.MAIDSTONE,
) -> None:
    """The ward map, its shared data scripts, and one profile page per ward plus the Wards index."""
    slugs = ward_pages.ward_slugs(t.wards)
    web_wards = hs.web_wards
    put(files / MAP_DIR / "ward.html", ward_map_mod.ward_map(web_wards.total_bounds, asset_prefix="../"))
    titles = {i.id: i.title for i in inputs.indicators if i.kind == "crime"}
    headline_titles = {i.id: i.title for i in inputs.indicators if i.kind == "crime" and i.headline}
    hot_titles = {i: titles[i] for i in hs.results}
    inside = t.records[t.records["status"] == "in_ward"]
    pairs = gpd.sjoin(hs.grid[["cell_id", "geometry"]], t.wards[["ward_code", "geometry"]], predicate="intersects")
    cells_of = pairs.groupby("ward_code")["cell_id"].apply(set).to_dict()
    dep = t.deprivation.set_index("ward_code")
    cols = [c for c in dep.columns if c.endswith("_score")]
    borough_dep = dep[cols].mul(dep["residents"], axis=0).sum(min_count=1) / dep["residents"].sum()
    n_wards = len(t.wards)
    setting = ward_pages.WardSetting(titles, borough_dep, period_text, config.period.label, n_wards, place)
    for _, w in t.wards.iterrows():
        code, name = w["ward_code"], w["ward_name"]
        mine = cells_of.get(code, set())
        ward_recs = inside[inside["ward_code"] == code]
        cells, points, hot_cells = ward_layers(hs, mine, ward_recs)
        map_data = ward_map_mod.ward_data_script(cells, points, hot_titles)
        put(files / ward_map_mod.DATA_DIR / "ward-data" / f"{code}.js", map_data)
        crime = t.crime[t.crime["ward_code"] == code]
        ward = ward_pages.WardFacts(
            code=code,
            name=name,
            population=int(w["population"]),
            crime=crime,
            dep=dep.loc[code],
            tops=ward_tops(ward_recs, hot_titles),
            mentions=inputs.mentions[inputs.mentions["ward_name"] == name],
            open_counts={r["indicator"]: int(r["count"]) for _, r in crime.iterrows() if pd.notna(r["count"])},
            hot_cells=hot_cells,
            map_src=markup.map_src("ward", f"ward={code}"),
            svg=print_map(t.wards, hs, w, mine),
            map_data=map_data,
            trends=trend_pages.ward_trends(t.series, code, name, headline_titles),
        )
        put(pages_dir / "wards" / f"{slugs[code]}.md", ward_pages.ward_page(ward, setting))
    put(
        pages_dir / "wards" / "index.md",
        ward_pages.wards_index(
            t.wards, slugs, t.crime, map_src=markup.map_src("ward"), period_text=period_text, place=place
        ),
    )


def ward_layers(hs: Hotspots, mine: set, ward_recs: pd.DataFrame) -> tuple[dict, dict, dict]:
    """A ward map's layers per hotspot indicator: the significant cells touching the ward (WGS84), the ward's
    snap points with their counts, and the number of hot cells."""
    cells, points, hot_cells = {}, {}, {}
    for ind, (res, _) in hs.results.items():
        cells[ind] = significant_cells(hs, res, mine)
        hot_cells[ind] = int(cells[ind]["hotspot"].str.startswith("Hot").sum())
        points[ind] = snap_points(ward_recs[ward_recs["indicator"] == ind])
    return cells, points, hot_cells


def print_map(ward_table: gpd.GeoDataFrame, hs: Hotspots, w: pd.Series, mine: set) -> str:
    """The printable SVG of one ward: its outline, its neighbours within 1.5 km and its ASB hot cells."""
    code, geom = w["ward_code"], w.geometry
    near = ward_table[ward_table.geometry.intersects(geom.buffer(1500)) & (ward_table["ward_code"] != code)]
    asb = hs.results.get("asb", (None,))[0]
    shade = []
    if asb is not None:
        hot = asb[asb["hotspot"].str.startswith("Hot") & asb["cell_id"].isin(mine)]
        g = hs.grid.set_index("cell_id").geometry
        shade = [(g.loc[c], CLASS_COLOURS[h]) for c, h in zip(hot["cell_id"], hot["hotspot"], strict=True)]
    neighbours = list(zip(near.geometry, near["ward_name"], strict=True))
    return ward_svg(geom, neighbours, shade, title=f"Map of {w['ward_name']} ward")


def ward_tops(ward_recs: pd.DataFrame, hot_titles: dict) -> pd.DataFrame:
    """The three busiest locations of each hotspot indicator in the ward, in the indicators' order."""
    tops = hotspots.top_locations(ward_recs[ward_recs["indicator"].isin(list(hot_titles))], n=3)
    order = {k: i for i, k in enumerate(hot_titles)}
    return tops.sort_values(["indicator", "rank"], key=lambda s: s.map(order) if s.name == "indicator" else s)
