"""Hotspot maps, pages and downloads: the hexagon grid, Gi* per indicator and the top locations."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo import data_pages, pages
from geo.analysis import hotspots
from geo.analysis.bng import points_to_wgs84
from geo.common import DOWNLOAD_DIR, KDE_BANDWIDTH_CELLS, MAP_DIR
from geo.config import Config
from geo.outputs import Target, put
from geo.pipeline import WardTables
from geo.render import markup
from geo.render.maps.base import label_points, web_geometry
from geo.render.maps.hotspot import hotspot_map, kde_classes
from geo.render.maps.ward import ward_data_script


@dataclass(frozen=True)
class Hotspots:
    """The hexagon grid and everything derived from it once per build, shared by the maps and pages."""

    grid: gpd.GeoDataFrame
    """The hexagons (EPSG:27700)."""
    ward_of_cell: pd.DataFrame
    """Each cell's ward (the one holding most of its area)."""
    web_cells: gpd.GeoDataFrame
    """The same hexagons in WGS84."""
    web_wards: gpd.GeoDataFrame
    """The ward outlines simplified for the web, in WGS84."""
    labels: list
    """Where each ward's name is written on a map."""
    results: dict
    """Indicator id -> (cells, points) from :func:`geo.analysis.hotspots.hotspot_analysis`."""
    centres: pd.DataFrame
    """Each cell's centre in WGS84 (``cell_id``, ``longitude``, ``latitude``, 5 decimals), in grid order."""


def write_hotspots(
    files: Target,
    pages_dir: Target,
    t: WardTables,
    indicators,
    config: Config,
    period_text: str,
    web_wards,
    place: markup.Place = markup.MAIDSTONE,
) -> Hotspots:
    """Hex grid, Gi* and top locations for each hotspot indicator: maps, pages and CSV downloads."""
    grid = hotspots.hex_grid(t.wards, config.hotspot_cell_m)
    hs = Hotspots(
        grid,
        hotspots.cell_wards(grid, t.wards),
        web_geometry(grid[["cell_id", "geometry"]], tolerance_m=0),
        web_wards,
        label_points(t.wards),
        {},
        cell_centres(grid),
    )
    inside = t.records[t.records["status"] == "in_ward"]
    tops = hotspots.top_locations(inside, n=10)
    put(files / DOWNLOAD_DIR / "top-locations.csv", tops.to_csv(index=False, lineterminator="\n"))
    chosen = [i for i in indicators if i.hotspot]
    for ind in chosen:
        cells, points = hotspots.hotspot_analysis(
            inside, grid, hs.ward_of_cell, ind.id, permutations=config.permutations, seed=config.seed
        )
        hs.results[ind.id] = (cells, points)
        recs = inside[inside["indicator"] == ind.id]
        html = hotspot_html(hs, cells, points, recs, title=f"{ind.title} hotspots, {period_text}", config=config)
        put(files / MAP_DIR / f"hotspots-{ind.id}.html", html)
        table = cells.assign(
            centre_longitude=hs.centres["longitude"].to_numpy(), centre_latitude=hs.centres["latitude"].to_numpy()
        )
        put(
            files / DOWNLOAD_DIR / f"hotspots-{ind.id}.csv",
            table.to_csv(index=False, lineterminator="\n", float_format="%.6g"),
        )
        page = indicator_page(hs, ind, recs, tops[tops["indicator"] == ind.id], period_text, config)
        put(pages_dir / "hotspots" / f"{ind.id}.md", page)
    put(
        pages_dir / "hotspots" / "index.md",
        pages.hotspots_index(chosen, period_text, config.hotspot_cell_m, report=place.report),
    )
    return hs


def indicator_page(hs: Hotspots, ind, recs, tops, period_text: str, config: Config) -> str:
    """One indicator's hotspot page, its map drawn in the page from the significant cells and the records."""
    cells = hs.results[ind.id][0]
    layer = {ind.id: significant_cells(hs, cells)}
    map_data = ward_data_script(layer, {ind.id: snap_points(recs)}, {ind.id: ind.title})
    return pages.hotspot_page(
        ind,
        cells,
        tops,
        period_text=period_text,
        map_src=markup.map_src(f"hotspots-{ind.id}"),
        map_data=map_data,
        facts=data_pages.BuildFacts([], cell_m=config.hotspot_cell_m, permutations=config.permutations),
        counts=(len(hs.grid), len(recs)),
    )


def significant_cells(hs: Hotspots, res: pd.DataFrame, cell_ids=None) -> gpd.GeoDataFrame:
    """The hot and cold cells of one indicator's Gi* results (of ``cell_ids`` only, if given), in WGS84."""
    sig = res[res["hotspot"] != "Not significant"]
    if cell_ids is not None:
        sig = sig[sig["cell_id"].isin(cell_ids)]
    return hs.web_cells[["cell_id", "geometry"]].merge(sig, on="cell_id")


def snap_points(recs: pd.DataFrame) -> pd.DataFrame:
    """Records counted per snap point: ``latitude``, ``longitude``, ``location``, ``count``, in a stable order."""
    return (
        recs.groupby(["latitude", "longitude", "location"])
        .size()
        .rename("count")
        .reset_index()
        .sort_values(["latitude", "longitude", "location"])
    )


def cell_centres(grid: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each hexagon's centre in WGS84, rounded to 5 decimals (about 1 m)."""
    lon, lat = points_to_wgs84(grid["x"], grid["y"], 5)
    return pd.DataFrame({"cell_id": grid["cell_id"].to_numpy(), "longitude": lon, "latitude": lat})


def hotspot_html(hs: Hotspots, cells: pd.DataFrame, points: pd.DataFrame, recs, *, title: str, config: Config) -> str:
    """A hotspot map of Gi* ``cells``, with kernel density of ``recs`` as context and ``points`` as records."""
    kde = kde_classes(
        hs.grid[["x", "y"]].to_numpy(),
        recs.geometry.get_coordinates().to_numpy(),
        bandwidth_m=KDE_BANDWIDTH_CELLS * config.hotspot_cell_m,
    )
    layer = hs.web_cells[["cell_id", "geometry"]].merge(cells.assign(kde_class=kde), on="cell_id", validate="1:1")
    return hotspot_map(
        layer, hs.web_wards, hs.labels, points, title=title, cell_m=config.hotspot_cell_m, asset_prefix="../"
    )
