"""The one orchestrator: runs the pipeline, makes maps and pages, and is the only module that writes files.

Output layout under ``config.out_dir`` (default ``build/``)::

    pages/   Markdown pages that MkDocs adds to the site (maps, downloads, data and methods)
    files/   static files copied as they are (map HTML, vendored Leaflet, downloads)
    summary.json   reconciliation and coverage of the build
    .stamp   hash of every input; a build with the same hash is skipped (cache)

The build writes into a temporary folder beside ``out_dir`` and swaps it in at the end, so a failed build
never leaves a half-written output in place of the last good one.
"""

from __future__ import annotations

import functools
import json
import logging
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import (
    change,
    charts,
    funnel,
    hotspots,
    indicators,
    monitoring,
    narrative,
    pages,
    report,
    site,
    trend_pages,
    ward_pages,
    wards,
)
from geo.cache import STAMP, cached
from geo.config import DEFAULT_PERIOD, PROJECT_ROOT, REPORT_DISTRICT, Config, Period
from geo.extras import Extras, load_extras, months_missing, records_of
from geo.manifest import manifest_from_csv
from geo.maps import assets
from geo.maps import ward as ward_map_mod
from geo.maps.base import label_points, web_geometry
from geo.maps.choropleth import DIVERGING, SCHEME_NAMES, Layer, category_map, choropleth
from geo.maps.hotspot import CLASS_COLOURS, hotspot_map, kde_classes
from geo.maps.svg import ward_svg
from geo.outdirs import check_output_dir, new_dir, protected_dirs, replace_dir
from geo.pipeline import WardTables, load_inputs, period_counts, ward_tables
from geo.sources import police, stats19

log = logging.getLogger(__name__)

MAP_DIR = pages.MAP_DIR
DOWNLOAD_DIR = "downloads"


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    cached: bool
    stamp: str


def build(config: Config, *, force: bool = False, stamp: str | None = None) -> BuildResult:
    """Build every generated file for ``config`` unless an identical build is already in ``out_dir``.

    ``stamp`` is the input hash when the caller has just computed it (:func:`geo.cache.cached`), so that a build
    hashes its inputs once.

    Raises
    ------
    geo.errors.InputError
        On bad input; ``out_dir`` is then left as it was.
    """
    out = check_output_dir(config.out_dir, option="--out-dir", inside_forbidden=protected_dirs(config))
    is_cached, stamp = (False, stamp) if stamp else cached(config)
    if is_cached and not force:
        log.info("inputs unchanged: using the cached build in %s", out)
        return BuildResult(out, True, stamp)
    read_police = functools.cache(police.crimes_from_csv)  # each month is parsed once per build
    inputs = load_inputs(config, read_police)
    extras = load_extras(config, inputs)  # the rest of the reading step: nothing after this opens an input
    tables = ward_tables(inputs, config)
    log.info(tables.reconciliation.text())
    if not tables.lookup_note.startswith("ONS best-fit lookup"):  # a repair: say so (Data and methods says it too)
        log.warning("ward lookup derived, not read: %s", tables.lookup_note)
    tmp = new_dir(out)
    try:
        write_outputs(tmp, tables, inputs, extras, config)
        (tmp / STAMP).write_text(stamp)
        replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(out, False, stamp)


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="\n")
    else:
        path.write_bytes(content)


def write_outputs(root: Path, t: WardTables, inputs, extras: Extras, config: Config) -> None:
    """Write tables, maps, pages and vendored assets for one build into ``root``."""
    files, pages_dir = root / "files", root / "pages"
    inds = {i.id: i for i in inputs.indicators}
    n_wards = len(t.wards)
    months = len(t.reconciliation.months)
    period_text = period_words(config.period.start, config.period.end, t.reconciliation.missing_months)
    place = place_of(t, config)
    e = place.edition

    for rel, src in assets.vendor_files().items():
        _write(files / rel, src.read_bytes())

    # downloads
    crime_csv = crime_download(t.crime)
    dep_csv = deprivation_download(t.deprivation)
    _write(files / DOWNLOAD_DIR / "ward-indicators.csv", crime_csv)
    _write(files / DOWNLOAD_DIR / "ward-deprivation.csv", dep_csv)
    _write(files / DOWNLOAD_DIR / "wards.geojson", wards_geojson(t.wards))
    names = dict(zip(t.wards["ward_code"], t.wards["ward_name"], strict=True))
    _write(
        files / DOWNLOAD_DIR / "ward-monthly-series.csv",
        trend_pages.series_download(t.series, names, config.district),
    )
    manifest = manifest_from_csv(config.manifest_file)
    manifest = manifest[manifest["id"].isin({*inputs.paths, "police"})].reset_index(drop=True)
    _write(files / DOWNLOAD_DIR / "ATTRIBUTION.txt", pages.attribution_text(manifest, place))

    # maps and their pages
    web = web_geometry(t.wards[["ward_code", "ward_name", "geometry"]])
    map_list = []
    for ind in inputs.indicators:
        if not ind.headline:
            continue
        src = pages.map_src(ind.id)
        if ind.kind == "crime":
            tt = pages.crime_tooltip_table(t.crime, ind, n_wards)
            html = rate_map(web, tt, ind, place, title=f"{ind.title} by ward, {period_text}")
            page = pages.crime_map_page(ind, tt, period_text=period_text, map_src=src, months=months, place=place)
            positions = funnel.funnel_position(t.crime[t.crime["indicator"] == ind.id])
            page += "\n" + trend_pages.funnel_section(positions, ind.title, place.area)
        else:
            dep = t.deprivation.copy()
            dep["score_text"] = [pages.fmt_num(x) for x in dep["imd_score"]]
            dep["pct_text"] = [f"{x:.0f} %" for x in dep["imd_most_deprived_20pct"]]
            dep["rank_text"] = [f"{r} of {n_wards}" for r in dep["rank_imd"]]
            dep["crime_text"] = [pages.fmt_num(x, 2) for x in dep["crime_score"]]
            tips = {
                "ward_name": "Ward",
                "score_text": f"{e.short} score",
                "rank_text": "Rank (1 = most deprived)",
                "pct_text": "In England's most deprived 20 %",
            }
            if e.domains:
                tips["crime_text"] = "Crime domain score"
            html = choropleth(
                web,
                dep.drop(columns=["ward_name"]).merge(web[["ward_code", "ward_name"]], on="ward_code"),
                deprivation_layers(ind.id, e),
                tips,
                title=f"Deprivation by ward ({e.short})",
                scheme=ind.scheme,
                k=ind.k,
                palette=ind.palette,
                asset_prefix="../",
            )
            page = pages.deprivation_map_page(t.deprivation, map_src=src, edition=e)
        _write(files / MAP_DIR / f"{ind.id}.html", html)
        _write(pages_dir / "maps" / f"{ind.id}.md", page)
        map_list.append(ind)
    _write(pages_dir / "maps" / "index.md", pages.maps_index(map_list, period_text, place, n_wards))

    hs = write_hotspots(files, pages_dir, t, inputs.indicators, config, period_text, web, place)
    write_wards(files, pages_dir, t, inputs, config, period_text, hs, place)
    if place.report:
        write_narrative(root / "snippets", files, t, (inputs, extras), config, hs)
        kent = write_after(files, pages_dir, t, (inputs, extras), config, hs.web_wards)
    else:
        kent = write_district_pages(root / "snippets", files, pages_dir, t, (inputs, extras), config, hs, place)

    checks = extras.checksums
    _write(pages_dir / "downloads.md", pages.downloads_page(manifest, period_text, place))
    _write(
        pages_dir / "data-and-methods.md",
        pages.methods_page(
            manifest,
            checks,
            t.reconciliation,
            # deprivation indicators that this edition has (the 2015 file has no crime domain)
            [i for i in inputs.indicators if i.kind != "deprivation" or t.deprivation[i.id].notna().any()],
            period_text,
            facts=build_facts(config, place, extras),
            place=place,
        ),
    )
    summary = {
        "hotspot_cells": len(hs.grid),
        "district": config.district,
        "district_name": t.district_name,
        "deprivation_edition": e.short,
        "ward_lookup": t.lookup_note,
        "period": [config.period.start, config.period.end],
        "reconciliation": asdict(t.reconciliation),
        "missing_months": list(t.reconciliation.missing_months),
        "wards": n_wards,
        "indicators": sorted(inds),
        "population": int(t.wards["population"].sum()),
    }
    _write(root / "summary.json", json.dumps(summary, indent=2, sort_keys=True) + "\n")
    declared = site.declare_site(
        t.district_name,
        report=place.report,
        indicators=inputs.indicators,
        kent=kent,
        missing_months=t.reconciliation.missing_months,
    )
    site.write_site_json(declared, root)
    site.render_docs(root, PROJECT_ROOT / "docs", declared)


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
    """Indicator id -> (cells, points) from :func:`geo.hotspots.hotspot_analysis`."""


def write_hotspots(
    files: Path,
    pages_dir: Path,
    t: WardTables,
    indicators,
    config: Config,
    period_text: str,
    web_wards,
    place: pages.Place = pages.MAIDSTONE,
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
    )
    inside = t.records[t.records["status"] == "in_ward"]
    tops = hotspots.top_locations(inside, n=10)
    _write(files / DOWNLOAD_DIR / "top-locations.csv", tops.to_csv(index=False, lineterminator="\n"))
    centre_ll = gpd.GeoSeries.from_xy(grid["x"], grid["y"], crs=grid.crs).to_crs("EPSG:4326").get_coordinates()
    chosen = [i for i in indicators if i.hotspot]
    for ind in chosen:
        cells, points = hotspots.hotspot_analysis(
            inside, grid, hs.ward_of_cell, ind.id, permutations=config.permutations, seed=config.seed
        )
        hs.results[ind.id] = (cells, points)
        recs = inside[inside["indicator"] == ind.id]
        html = _hotspot_html(hs, cells, points, recs, title=f"{ind.title} hotspots, {period_text}", config=config)
        _write(files / MAP_DIR / f"hotspots-{ind.id}.html", html)
        table = cells.assign(
            centre_longitude=centre_ll["x"].round(5).to_numpy(), centre_latitude=centre_ll["y"].round(5).to_numpy()
        )
        _write(
            files / DOWNLOAD_DIR / f"hotspots-{ind.id}.csv",
            table.to_csv(index=False, lineterminator="\n", float_format="%.6g"),
        )
        _write(
            pages_dir / "hotspots" / f"{ind.id}.md",
            pages.hotspot_page(
                ind,
                cells,
                tops[tops["indicator"] == ind.id],
                period_text=period_text,
                map_src=pages.map_src(f"hotspots-{ind.id}"),
                facts=pages.BuildFacts([], cell_m=config.hotspot_cell_m, permutations=config.permutations),
                n_cells=len(grid),
                n_records=len(recs),
            ),
        )
    _write(
        pages_dir / "hotspots" / "index.md",
        pages.hotspots_index(chosen, period_text, config.hotspot_cell_m, report=place.report),
    )
    return hs


def _hotspot_html(hs: Hotspots, cells: pd.DataFrame, points: pd.DataFrame, recs, *, title: str, config: Config) -> str:
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


def build_facts(config: Config, place: pages.Place, extras: Extras) -> pages.BuildFacts:
    """The settings and inputs that Data and methods and the hotspot pages state."""
    return pages.BuildFacts(
        police_months=list(extras.police_months),
        has_stats19=extras.pedestrians is not None,
        cell_m=config.hotspot_cell_m,
        permutations=config.permutations,
        kde_bandwidth_m=KDE_BANDWIDTH_CELLS * config.hotspot_cell_m,
        other_maps=tuple(
            (what, SCHEME_NAMES[MAP_SCHEMES[key]])
            for key, what in (("monitoring", "2014 change map"), ("kent", "Kent comparison map"))
            if place.report or key == "kent"
        ),
    )


def rate_map(web, tt: pd.DataFrame, ind, place: pages.Place, *, title: str, unit: str = "records") -> str:
    """The rate and count choropleth of one indicator (:func:`geo.pages.crime_tooltip_table` rows ``tt``)."""
    return choropleth(
        web,
        tt.drop(columns=["ward_name"]).merge(web[["ward_code", "ward_name"]], on="ward_code"),
        [
            Layer("Rate per 1,000 residents", "rate_per_1000", f"{ind.title} per 1,000 residents", 1),
            Layer(f"Number of {unit}", "count", f"{ind.title}: number of {unit}", 0),
        ],
        {
            "ward_name": "Ward",
            "count_text": unit.capitalize(),
            "rate_text": "Rate per 1,000 (95% CI)",
            "rank_text": "Rank (1 = highest rate)",
            "compared_text": f"Compared with {place.area}",
        },
        title=title,
        scheme=ind.scheme,
        k=ind.k,
        palette=ind.palette,
        asset_prefix="../",
    )


def place_of(t: WardTables, config: Config) -> pages.Place:
    """What the pages say about the build's district; the assessment's narrative only for its own district."""
    report = config.district == REPORT_DISTRICT
    return pages.Place(t.district_name, report, t.edition, t.lookup_note, report and config.period == DEFAULT_PERIOD)


def write_wards(
    files: Path,
    pages_dir: Path,
    t: WardTables,
    inputs,
    config: Config,
    period_text: str,
    hs: Hotspots,
    place: pages.Place = pages.MAIDSTONE,
) -> None:
    """The ward map, its shared data scripts, and one profile page per ward plus the Wards index."""
    slugs = ward_pages.ward_slugs(t.wards)
    web_wards = hs.web_wards
    _write(
        files / ward_map_mod.DATA_DIR / "wards.js",
        ward_map_mod.wards_script(web_wards, {c: f"../wards/{s}.html" for c, s in slugs.items()}),
    )
    _write(files / MAP_DIR / "ward.html", ward_map_mod.ward_map(web_wards.total_bounds, asset_prefix="../"))
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
    for _, w in t.wards.iterrows():
        code, name = w["ward_code"], w["ward_name"]
        mine = cells_of.get(code, set())
        ward_recs = inside[inside["ward_code"] == code]
        cells, points, hot_cells = {}, {}, {}
        for ind, (res, _) in hs.results.items():
            sig = res[(res["hotspot"] != "Not significant") & res["cell_id"].isin(mine)]
            hot_cells[ind] = int(sig["hotspot"].str.startswith("Hot").sum())
            cells[ind] = hs.web_cells[["cell_id", "geometry"]].merge(sig, on="cell_id")
            r = ward_recs[ward_recs["indicator"] == ind]
            points[ind] = (
                r.groupby(["latitude", "longitude", "location"])
                .size()
                .rename("count")
                .reset_index()
                .sort_values(["latitude", "longitude", "location"])
            )
        _write(
            files / ward_map_mod.DATA_DIR / "ward-data" / f"{code}.js",
            ward_map_mod.ward_data_script(cells, points, hot_titles),
        )
        geom = w.geometry
        near = t.wards[t.wards.geometry.intersects(geom.buffer(1500)) & (t.wards["ward_code"] != code)]
        asb = hs.results.get("asb", (None,))[0]
        shade = []
        if asb is not None:
            hot = asb[asb["hotspot"].str.startswith("Hot") & asb["cell_id"].isin(mine)]
            g = hs.grid.set_index("cell_id").geometry
            shade = [(g.loc[c], CLASS_COLOURS[h]) for c, h in zip(hot["cell_id"], hot["hotspot"], strict=True)]
        svg = ward_svg(
            geom, list(zip(near.geometry, near["ward_name"], strict=True)), shade, title=f"Map of {name} ward"
        )
        tops = hotspots.top_locations(ward_recs[ward_recs["indicator"].isin(list(hs.results))], n=3)
        order = {k: i for i, k in enumerate(hot_titles)}
        tops = tops.sort_values(["indicator", "rank"], key=lambda s: s.map(order) if s.name == "indicator" else s)
        crime = t.crime[t.crime["ward_code"] == code]
        page = ward_pages.ward_page(
            code=code,
            name=name,
            population=int(w["population"]),
            crime=crime,
            titles=titles,
            dep=dep.loc[code],
            borough_dep=borough_dep,
            tops=tops,
            mentions=inputs.mentions[inputs.mentions["ward_name"] == name],
            open_counts={r["indicator"]: int(r["count"]) for _, r in crime.iterrows() if pd.notna(r["count"])},
            period_text=period_text,
            period_label=config.period.label,
            map_src=pages.map_src("ward", f"ward={code}"),
            svg=svg,
            n_wards=n_wards,
            hot_cells=hot_cells,
            place=place,
            trends=trend_pages.ward_trends(t.series, code, name, headline_titles),
        )
        _write(pages_dir / "wards" / f"{slugs[code]}.md", page)
    _write(
        pages_dir / "wards" / "index.md",
        ward_pages.wards_index(
            t.wards, slugs, t.crime, map_src=pages.map_src("ward"), period_text=period_text, place=place
        ),
    )


IN_YEAR = (Period("2012-04", "2012-09"), Period("2013-04", "2013-09"))
"""The report's in-year comparison: April-September 2013 against the same months of 2012."""


def write_narrative(snips: Path, files: Path, t: WardTables, read, config: Config, hs: Hotspots) -> None:
    """Snippets for the narrative pages: the report's tables and checks, charts, maps, comparisons.

    ``read`` is the reading step's (inputs, extras)."""
    inputs, extras = read
    flags, tables = extras.report_flags, extras.report_tables
    for name, df in tables.items():
        _write(snips / f"table-{name}.md", narrative.report_table(name, df, flags))
        _write(files / DOWNLOAD_DIR / "report" / f"{name}.csv", extras.report_files[name])
    _write(snips / "flags.md", narrative.flags_table(flags))
    _write(snips / "abbreviations.md", narrative.abbreviations(tables["appx4-glossary"]))
    totals = tables["s3-2-resolution-totals"]
    baseline = report.parse_num(totals.loc[totals["period"] == "2012/13 baseline", "outcome_rate"].iloc[0])
    _write(snips / "chart-resolution.md", narrative.resolution_charts(tables["s3-2-resolution-outcomes"], baseline))
    _write(snips / "chart-kcvs.md", narrative.kcvs_chart(tables["s3-3-kcvs-perceptions"]))
    _write(snips / "chart-road.md", narrative.road_chart(tables["s5-6-road-safety-ksi"]))
    titles = {i.id: i.title for i in inputs.indicators}
    in_year = in_year_counts(t, inputs, extras)
    by_period = {config.period.label: t.crime}
    if in_year[0] is not None:  # the report's in-year ward figures are for April-September 2013
        by_period.setdefault(IN_YEAR[1].label, in_year[0][1])
    for i in (i for i in inputs.indicators if i.kind == "crime"):  # a snippet only where its map is built
        if i.headline:
            title = f"Map of {i.title.lower()} per 1,000 residents by ward"
            _write(snips / f"map-{i.id}.md", narrative.crime_map_block(t.crime, i.id, title))
        if i.hotspot:
            _write(snips / f"hotspot-{i.id}.md", narrative.hotspot_block(i.id, f"Map of {i.title.lower()} hotspots"))
        comparison = narrative.ward_comparison(inputs.mentions, by_period, i.id, i.title, i.description)
        if comparison:
            _write(snips / f"compare-{i.id}.md", comparison)
    dep = t.deprivation.copy()
    dep["_value"] = [pages.fmt_num(x) for x in dep["imd_score"]]
    dep["_pct"] = [f"{x:.0f} %" for x in dep["imd_most_deprived_20pct"]]
    _write(
        snips / "map-imd_score.md",
        narrative.map_block(
            "imd_score",
            f"Map of deprivation ({t.edition.short}) by ward",
            dep,
            value_col="imd_score",
            value_title=f"{t.edition.short} score",
            extra_cols={"_pct": "In England's most deprived 20 %"},
        ),
    )
    _write(snips / "in-year.md", in_year_text(t, in_year))
    priorities = {i: titles[i] for i in ("asb", "drugs", "violence")}
    _write(snips / "spc-borough.md", trend_pages.borough_trends(t.series, priorities, t.district_name, "###"))
    _write(snips / "pedestrians.md", write_pedestrians(files, snips, t, (config, extras.pedestrians), hs))


NAMED_PEDESTRIAN_WARDS = ("High Street", "Bridge", "East", "Park Wood")
"""Wards section 5.6 names for pedestrian casualties ("High Street, Bridge East and Park Wood")."""


def write_pedestrians(
    files: Path,
    snips: Path,
    t: WardTables,
    read: tuple[Config, pd.DataFrame | None],
    hs: Hotspots,
    place: pages.Place = pages.MAIDSTONE,
    skip: str = "#theft-shoplifting",
) -> str:
    """Pedestrian casualties from STATS19 when the data directory has them; otherwise the report's named wards
    (for the report's district) or a plain statement that there are no casualty data.

    Also writes one snippet per ward (``ped-<code>``) for the road safety section of the ward pages. ``skip`` is
    the heading after the returned block, the target of its skip-the-map links. ``read`` is the build's config
    and the pedestrian casualties the reading step found (None when there are none).
    """
    config, ped = read
    web = hs.web_wards
    how_to_add = (
        "To add them, download the accident and casualty CSV files for the years wanted from "
        f"[DfT's road safety data]({stats19.DFT_URL}), put them in a `stats19/` folder inside the data "
        "directory (plain or zipped; names containing 'accident' and 'casualty'), and rebuild with "
        "`python3 -m geo build`. The pedestrian map, hotspots and time-of-week chart then appear here.\n"
    )
    if ped is None:
        named_wards = NAMED_PEDESTRIAN_WARDS if place.report else ()
        link = "../assessment/emerging-issues.md#road-safety" if place.report else "../road-safety.md"
        for code, name in zip(t.wards["ward_code"], t.wards["ward_name"], strict=True):
            said = (
                " The assessment names this ward among those with most pedestrian casualties (section 5.6)."
                if name in named_wards
                else ""
            )
            _write(
                snips / f"ped-{code.lower()}.md",
                "Record-level road casualty data (DfT STATS19) are not part of this site's data, so no casualty "
                f"counts are shown.{said} See [road safety]({link}).\n",
            )
        named = {
            c: "Named in section 5.6 among the wards with most pedestrian casualties"
            for c, n in zip(t.wards["ward_code"], t.wards["ward_name"], strict=True)
            if n in named_wards
        }
        if not place.report:
            return (
                "This build shows **no casualty counts**: its data do not include the Department for Transport's "
                "record-level STATS19 files. " + how_to_add
            )
        if not named:
            return ""
        _write(
            files / MAP_DIR / "pedestrians-named.html",
            category_map(
                web,
                named,
                title="Wards the report names for pedestrian casualties",
                legend_title="Named in the report",
                named_label="Named in the report",
                note="Not casualty counts: record-level data are not included.",
                asset_prefix="../",
            ),
        )
        names = ", ".join(pages.md_text(n) for n in t.wards["ward_name"] if n in NAMED_PEDESTRIAN_WARDS)
        return (
            pages.iframe(
                pages.map_src("pedestrians-named"),
                "Map of the wards the report names for pedestrian casualties",
                height=420,
                skip=skip,
                skip_text="Skip past the map",
            )
            + f"\nNamed in the report (section 5.6): {names}. The map shows **no casualty counts**: this "
            "site's data do not include the Department for Transport's record-level STATS19 files. " + how_to_add
        )
    months = config.period.months()
    where = wards.assign_bng_points(ped["easting"], ped["northing"], t.wards, ped["month"].isin(months))
    ped = ped.reset_index(drop=True).assign(ward_code=where["ward_code"], status=where["status"])
    rec = wards.reconcile(ped.assign(), months)
    log.info("pedestrian casualties: %s", rec.text().replace("police.uk rows", "STATS19 casualties"))
    inside = ped[ped["status"] == "in_ward"]
    counts = inside.groupby("ward_code").size().reindex(t.wards["ward_code"], fill_value=0)
    table = pd.DataFrame(
        {
            "ward_code": counts.index,
            "ward_name": t.wards["ward_name"].to_numpy(),
            "indicator": "pedestrians",
            "count": counts.to_numpy(),
        }
    )
    rates = indicators.rates_by_ward(table, t.wards[["ward_code", "population"]])
    extra = inside.groupby("ward_code").agg(ksi=("ksi", "sum"), young=("age_11_16", "sum"))
    rates = rates.merge(extra, left_on="ward_code", right_index=True, how="left").fillna({"ksi": 0, "young": 0})
    for _, r in rates.iterrows():
        _write(
            snips / f"ped-{r['ward_code'].lower()}.md",
            f"Pedestrian casualties (DfT STATS19), {pages.md_text(period_words(months[0], months[-1]))}: "
            f"**{int(r['count']):,}** ({int(r['ksi']):,} killed or seriously injured; {int(r['young']):,} aged "
            f"11-16); {pages.fmt_num(r['rate_per_1000'])} per 1,000 residents "
            f"({pages.fmt_ci(r['rate_lower_95'], r['rate_upper_95'])}), "
            f"compared with the {place.area}: {ward_pages.comparison_text(r['compared_with_borough'])}.\n",
        )
    ind = indicators.Indicator(
        "pedestrians",
        "Pedestrian casualties",
        "crime",
        True,
        False,
        (),
        "FisherJenks",
        5,
        "Reds",
        0,
        "Pedestrian casualties (STATS19 casualty class 3).",
    )
    tt = pages.crime_tooltip_table(rates, ind, len(t.wards))
    html = rate_map(web, tt, ind, place, title="Pedestrian casualties by ward", unit="casualties")
    _write(files / MAP_DIR / "pedestrians.html", html)
    hours = list(range(24))
    weekday = inside[inside["day_of_week"].between(2, 6)].groupby("hour").size().reindex(hours, fill_value=0)
    weekend = inside[~inside["day_of_week"].between(2, 6)].groupby("hour").size().reindex(hours, fill_value=0)
    chart = charts.line_chart(
        [f"{h:02d}:00" for h in hours],
        {"Monday to Friday": [float(x) for x in weekday], "Saturday and Sunday": [float(x) for x in weekend]},
        title="Pedestrian casualties by hour of the day",
        ylabel="casualties",
        desc=f"{len(inside)} pedestrian casualties by the hour of their collision, weekdays and weekends separately.",
    )
    # hotspots through the same Gi* stage and grid as the police.uk records
    lonlat = gpd.GeoSeries.from_xy(inside["easting"], inside["northing"], crs=hs.grid.crs)
    wgs = lonlat.to_crs("EPSG:4326")
    recs = gpd.GeoDataFrame(
        {
            "indicator": "pedestrians",
            "location": [
                f"Collision at grid reference {e:.0f}, {n:.0f}"
                for e, n in zip(inside["easting"], inside["northing"], strict=True)
            ],
            "longitude": wgs.x.round(5).to_numpy(),
            "latitude": wgs.y.round(5).to_numpy(),
        },
        geometry=lonlat.values,
        crs=hs.grid.crs,
    )
    cells, points = hotspots.hotspot_analysis(
        recs, hs.grid, hs.ward_of_cell, "pedestrians", permutations=config.permutations, seed=config.seed
    )
    _write(
        files / MAP_DIR / "hotspots-pedestrians.html",
        _hotspot_html(hs, cells, points, recs, title="Pedestrian casualty hotspots", config=config),
    )
    rows = rates.sort_values(["count", "ward_name"], ascending=[False, True])
    body = pages.md_table(
        ["Ward", "Casualties", "Killed or seriously injured", "Aged 11-16", "Per 1,000 (95% CI)"],
        (
            [
                r["ward_name"],
                f"{int(r['count']):,}",
                f"{int(r['ksi']):,}",
                f"{int(r['young']):,}",
                f"{pages.fmt_num(r['rate_per_1000'])} ({pages.fmt_ci(r['rate_lower_95'], r['rate_upper_95'])})",
            ]
            for _, r in rows.iterrows()
        ),
        ["l", "r", "r", "r", "r"],
    )
    return (
        pages.iframe(
            pages.map_src("pedestrians"),
            "Map of pedestrian casualties by ward",
            height=460,
            skip=skip,
            skip_text="Skip past the map",
        )
        + f"\nFrom STATS19: {pages.md_text(rec.text().replace('police.uk rows', 'pedestrian casualties'))}.\n\n"
        + narrative.hotspot_block("pedestrians", "Map of pedestrian casualty hotspots", table_link=False)
        + f'\n<figure class="chart">\n{chart}\n<figcaption>Pedestrian casualties by hour.</figcaption>\n</figure>\n\n'
        + ("" if place.report else "## Pedestrian casualties by ward\n\n")
        + body
    )


MONITOR = (Period("2012-04", "2012-11"), Period("2014-04", "2014-11"))
"""Monitoring the 2014/15 priorities: April-November 2014 against the same months of 2012."""
KENT_PERIOD = Period("2014-01", "2014-11")
KDE_BANDWIDTH_CELLS = 2
"""The hotspot maps' kernel density bandwidth, in hexagon widths."""
MAP_SCHEMES = {"monitoring": DIVERGING, "kent": "Quantiles"}
"""Classification of the maps that are not an indicator's own (indicators name theirs in indicators.csv)."""
PRIORITY_IDS = ("violence", "asb", "drugs", "shoplifting")
"""The indicators that stand for the 2014/15 priorities the open data can follow (titles from indicators.csv)."""


def write_district_pages(
    snips: Path,
    files: Path,
    pages_dir: Path,
    t: WardTables,
    read,
    config: Config,
    hs: Hotspots,
    place: pages.Place,
) -> bool:
    """Pages of a district other than the report's: a home page, road safety and (in Kent) the county comparison.
    Returns whether the Kent comparison was written."""
    period_text = period_words(config.period.start, config.period.end, t.reconciliation.missing_months)
    inputs, extras = read
    road = write_pedestrians(files, snips, t, (config, extras.pedestrians), hs, place, "#pedestrian-casualties-by-ward")
    _write(
        pages_dir / "road-safety.md",
        "# Road safety\n\nPedestrians injured in road collisions, by ward, from the Department for Transport's "
        "STATS19 records.\n\n" + road,
    )
    kent = kent_page(files, read, config, name=place.name)
    in_kent = kent is not None
    if in_kent:
        _write(pages_dir / "after" / "kent.md", kent)
    _write(
        pages_dir / "index.md",
        pages.district_home(
            place,
            period_text,
            t.crime,
            inputs.indicators,
            n_wards=len(t.wards),
            population=int(t.wards["population"].sum()),
            hotspots=[i for i in inputs.indicators if i.id in hs.results],
            kent=in_kent,
        ),
    )
    return in_kent


def write_after(files: Path, pages_dir: Path, t: WardTables, read, config: Config, web) -> bool:
    """The 'after the assessment' pages: monitoring the priorities in 2014, and the Kent comparison (returns
    whether that was written). ``read`` is the reading step's (inputs, extras)."""
    _write(pages_dir / "after" / "monitoring.md", monitoring_page(files, t, read, web))
    kent = kent_page(files, read, config)
    if kent is not None:
        _write(pages_dir / "after" / "kent.md", kent)
    return kent is not None


def monitoring_page(files: Path, t: WardTables, read, web) -> str:
    inputs, extras = read
    missing = months_missing(extras, MONITOR)
    titles = {i.id: i.title for i in inputs.indicators}
    priorities = {i: titles[i] for i in PRIORITY_IDS}
    head = "# Monitoring the priorities in 2014\n\n"
    if missing:
        return head + f"The data directory has no police.uk files for {', '.join(missing)}, so this page is empty.\n"
    counts, monthly, recs = [], [], []
    for p in MONITOR:
        labelled = indicators.label_indicators(records_of(inputs, p), inputs.indicators)
        assigned = wards.assign_wards(labelled, t.wards, p.months())
        recs.append(wards.reconcile(assigned, p.months()))
        counts.append(indicators.counts_by_ward(assigned, t.wards, inputs.indicators))
        monthly.append(monitoring.monthly_totals(assigned, list(priorities), p.months()))
    names = dict(zip(t.wards["ward_code"], t.wards["ward_name"], strict=True))
    table = pd.DataFrame({"ward_code": t.wards["ward_code"]})
    sections, layers, tips = [], [], {"ward_name": "Ward"}
    for ind, title in priorities.items():
        cmp = monitoring.ward_change(counts[0], counts[1], [ind])
        tot = change.compare_counts(pd.Series([cmp["before"].sum()]), pd.Series([cmp["after"].sum()])).iloc[0]
        table[f"pct_{ind}"] = table["ward_code"].map(cmp["pct_change"])
        table[f"tip_{ind}"] = table["ward_code"].map(
            {c: f"{r['before']:,} → {r['after']:,} ({r['verdict']})" for c, r in cmp.iterrows()}
        )
        layers.append(Layer(title, f"pct_{ind}", f"{title}: % change, Apr-Nov 2012 to 2014", 0))
        tips[f"tip_{ind}"] = title
        sections.append(
            f"## {pages.md_text(title)}\n\nBorough: {tot['before']:,} in April-November 2012, {tot['after']:,} in "
            f"April-November 2014 ({tot['change']:+,}, {tot['pct_change']:+.1f} %; rate ratio {tot['ratio']:.2f}, "
            f"95 % interval {tot['ratio_lower']:.2f} to {tot['ratio_upper']:.2f}: "
            f"{'a real ' + tot['verdict'] if tot['verdict'] != 'no clear change' else 'no clear change'}).\n\n"
            + narrative.in_year_table(cmp, names, "Apr-Nov 2012", "Apr-Nov 2014")
        )
    table["ward_name"] = table["ward_code"].map(names)
    html = choropleth(
        web,
        table.drop(columns=["ward_name"]).merge(web[["ward_code", "ward_name"]], on="ward_code"),
        layers,
        tips,
        title="Change in the priorities by ward, April-November 2012 to 2014",
        scheme=MAP_SCHEMES["monitoring"],
        k=6,
        palette="PuOr",
        asset_prefix="../",
    )
    _write(files / MAP_DIR / "monitoring.html", html)
    labels = [pd.Timestamp(f"{m}-01").strftime("%b") for m in MONITOR[1].months()]
    chart = charts.line_chart(
        labels,
        {"2012": [float(x) for x in monthly[0]], "2014": [float(x) for x in monthly[1]]},
        title="The four priorities together, by month",
        ylabel="records",
        desc=f"police.uk records of violent crime, anti-social behaviour, drug offences and "
        f"shoplifting in Maidstone each month from April to November: {int(monthly[0].sum()):,} "
        f"in 2012 and {int(monthly[1].sum()):,} in 2014.",
    )
    recon = "; ".join(f"{p.label}: {r.text()}" for p, r in zip(MONITOR, recs, strict=True))
    return (
        head + "The assessment set the 2014/15 priorities; the open data let them be followed month by month. "
        "This page compares April to November 2014 with the same months of 2012, the year the assessment "
        "looked back on, ward by ward. police.uk renamed some categories in May 2013; both sets of names are "
        "mapped to the same indicators (see [Data and methods](../data-and-methods.md#indicators)), so the "
        "years compare like with like. A change is called an increase or decrease only when the 95 % interval "
        "of its rate ratio (exact test for two Poisson counts) excludes 1.\n\n"
        + pages.iframe(
            pages.map_src("monitoring"),
            "Map of the change in each priority by ward",
            height=500,
            skip="#violent-crime",
            skip_text="Skip to the tables",
        )
        + f'\n<figure class="chart">\n{chart}\n<figcaption>The four priorities together by month, 2012 and '
        "2014.</figcaption>\n</figure>\n\n"
        + "\n".join(sections)
        + "\n\n## Month by month, April 2012 to November 2014\n\n"
        + trend_pages.borough_trends(t.series, priorities, t.district_name)
        + f"\n\nEvery row read is accounted for: {pages.md_text(recon)}.\n"
    )


def kent_page(files: Path, read, config: Config, name: str = "Maidstone") -> str | None:
    """The build's district (``name``) among the twelve Kent districts from the complete Kent files (rates with
    intervals); None for a district outside Kent."""
    head = f"# {pages.md_text(name)} among the Kent districts\n\n"
    inputs, extras = read
    gone = set(months_missing(extras, [KENT_PERIOD]))
    months = [m for m in KENT_PERIOD.months() if m not in gone]
    districts = extras.kent_districts
    if districts is None and config.district != REPORT_DISTRICT:
        return None
    if districts is not None and config.district not in set(districts["district_code"]):
        return None
    if not months or districts is None:
        return head + "The data directory has no Kent-wide police.uk files for 2014, so this page is empty.\n"
    records = records_of(inputs, Period(months[0], months[-1]))
    lookup = inputs.lsoa11_ward[["lsoa11_code", "lad_code"]]
    placed = monitoring.records_by_district(records, lookup, inputs.indicators)
    status = placed["status"].value_counts()
    inside = placed[placed["status"] == "in_district"]
    pop = inputs.population[inputs.population["lad_code"].isin(districts["district_code"])]
    rates = monitoring.district_rates(inside, districts, pop, inputs.indicators)
    allc = inside[inside["indicator"] != "asb"].assign(indicator="all_crime")
    all_ind = [
        indicators.Indicator("all_crime", "All crime", "crime", True, False, (), "FisherJenks", 5, "Blues", 0, "")
    ]
    rates = pd.concat([rates, monitoring.district_rates(allc, districts, pop, all_ind)], ignore_index=True)
    named = {i.id: i.title for i in inputs.indicators}
    titles = {"all_crime": "All crime (excluding ASB)", **{i: named[i] for i in ("asb", "violence", "drugs")}}
    # the district outlines are already generalised (about 60 m): no further simplification
    web = web_geometry(
        districts.rename(columns={"district_code": "ward_code", "district_name": "ward_name"}), tolerance_m=0
    )
    wide = pd.DataFrame({"ward_code": districts["district_code"], "ward_name": districts["district_name"]})
    for ind in titles:
        r = rates[rates["indicator"] == ind].set_index("ward_code")
        wide[f"rate_{ind}"] = wide["ward_code"].map(r["rate_per_1000"])
        wide[f"text_{ind}"] = wide["ward_code"].map(
            {
                c: f"{x['rate_per_1000']:.1f} ({x['rate_lower_95']:.1f} to {x['rate_upper_95']:.1f}), rank {x['rank']}"
                for c, x in r.iterrows()
            }
        )
    html = choropleth(
        web,
        wide,
        [Layer(titles[i], f"rate_{i}", f"{titles[i]} per 1,000 residents, 2014", 1) for i in titles],
        {"ward_name": "District", **{f"text_{i}": titles[i] for i in titles}},
        title="Kent districts, 2014",
        scheme=MAP_SCHEMES["kent"],
        k=4,
        palette="Blues",
        asset_prefix="../",
        unit="district",
    )
    _write(files / MAP_DIR / "kent.html", html)
    allr = rates[rates["indicator"] == "all_crime"].sort_values("rank")
    rows = []
    for _, r in allr.iterrows():
        cells = [f"{r['rank']}", r["ward_name"]]
        for ind in titles:
            x = rates[(rates["indicator"] == ind) & (rates["ward_code"] == r["ward_code"])].iloc[0]
            cells.append(
                f"{x['rate_per_1000']:.1f} ({x['rate_lower_95']:.1f}-{x['rate_upper_95']:.1f}) "
                f"{ward_pages.MARKERS[x['compared_with_borough']]}"
            )
        rows.append(cells)
    table = pages.md_table(
        ["Rank (all crime)", "District", *[f"{t} per 1,000 (95% CI)" for t in titles.values()]],
        rows,
        ["r", "l", "r", "r", "r", "r"],
    )
    cell = f"| {pages.md_text(name)} |"
    table = table.replace(cell, f"| **{pages.md_text(name)}** |")
    m = allr[allr["ward_name"] == name]
    where = (
        f"{pages.md_text(name)} ranks **{int(m['rank'].iloc[0])} of {len(allr)}** on all crime per 1,000 residents "
        "(1 = highest rate). "
        if len(m)
        else ""
    )
    counterpart = (
        "This is the open-data counterpart of the county ranks in the assessment, which used force systems and "
        "2012/13.\n\n"
        if config.district == REPORT_DISTRICT
        else "\n\n"
    )
    return (
        head + f"police.uk records for {pages.md_text(period_words(months[0], months[-1]))} from Kent Police's "
        "complete monthly files, placed in districts by the LSOA police.uk gives each record, and Census 2011 "
        f"residents. {where}"
        + counterpart
        + pages.iframe(
            pages.map_src("kent"),
            "Map of crime rates in the Kent districts, 2014",
            height=480,
            skip="#the-figures-behind-the-map",
        )
        + "\n## The figures behind the map\n\nThis table is the map's text alternative. ▲ and ▼ mark districts "
        "whose interval lies wholly above or below the Kent rate; ● means not significantly different.\n\n"
        + table
        + f"\nRecords read: {len(placed):,} = in a Kent district {int(status.get('in_district', 0)):,} + "
        f"placed outside Kent {int(status.get('outside_kent', 0)):,} (other forces' areas, reported, not counted) "
        f"+ without an LSOA {int(status.get('no_lsoa', 0)):,}. District outlines are generalised (about 60 m).\n"
    )


def in_year_counts(t: WardTables, inputs, extras: Extras):
    """Ward counts and reconciliations of April-September 2012 and 2013, or the months missing for them."""
    missing = months_missing(extras, IN_YEAR)
    if missing:
        return None, missing
    counts, recs = [], []
    for p in IN_YEAR:
        c, rec = period_counts(records_of(inputs, p), t.wards, inputs.indicators, p.months())
        log.info("in-year %s: %s", p.label, rec.text())
        counts.append(c)
        recs.append(rec)
    return counts, recs


def in_year_text(t: WardTables, in_year) -> str:
    """April-September 2013 against April-September 2012 by ward, if the data directory has those months."""
    counts, recs = in_year
    if counts is None:
        return (
            f"*The data directory has no police.uk files for {', '.join(recs)}, so the in-year comparison "
            "cannot be drawn from open data in this build.*\n"
        )
    names = dict(zip(t.wards["ward_code"], t.wards["ward_name"], strict=True))
    out = []
    for ind, label in (
        ("violence", "Violent crime (violence against the person and sexual offences)"),
        (None, "All police.uk crime (anti-social behaviour excluded)"),
    ):
        a, b = (c[c["indicator"] == ind] if ind else c[c["indicator"] != "asb"] for c in counts)
        a, b = a.groupby("ward_code")["count"].sum(), b.groupby("ward_code")["count"].sum()
        cmp = change.compare_counts(a, b)
        tot = change.compare_counts(pd.Series([a.sum()]), pd.Series([b.sum()])).iloc[0]
        out.append(f"#### {pages.md_text(label)}\n")
        out.append(
            f"Borough: {tot['before']:,} in April-September 2012, {tot['after']:,} in April-September 2013 "
            f"({tot['change']:+,}, {tot['pct_change']:+.1f} %; rate ratio {tot['ratio']:.2f}, 95 % interval "
            f"{tot['ratio_lower']:.2f} to {tot['ratio_upper']:.2f}).\n"
        )
        out.append(narrative.in_year_table(cmp, names, "Apr-Sep 2012", "Apr-Sep 2013"))
    rows = ", ".join(
        f"{p.label}: {r.rows_read:,} rows, {r.in_ward:,} in wards" for p, r in zip(IN_YEAR, recs, strict=True)
    )
    out.append(
        f"\nRecords read ({rows}). A ward's change is called an increase or decrease only when the 95 % "
        "interval of its rate ratio excludes 1 (exact test for the ratio of two Poisson counts); the last column "
        "keeps only the calls that survive control of the false discovery rate across the wards.\n"
    )
    return "\n".join(out)


def period_words(start: str, end: str, missing=()) -> str:
    """``'2012-04', '2013-03'`` -> ``'April 2012 to March 2013'``, naming any months without data.

    Examples
    --------
    >>> period_words("2012-04", "2013-03", missing=["2012-05"])
    'April 2012 to March 2013 (no police.uk records for May 2012)'
    """

    def word(m):
        return pd.Timestamp(f"{m}-01").strftime("%B %Y")

    text = word(start) if start == end else f"{word(start)} to {word(end)}"
    if missing:
        text += f" (no police.uk records for {', '.join(word(m) for m in missing)})"
    return text


def crime_download(crime: pd.DataFrame) -> str:
    cols = [
        "ward_code",
        "ward_name",
        "indicator",
        "period",
        "count",
        "population",
        "rate_per_1000",
        "rate_lower_95",
        "rate_upper_95",
        "borough_count",
        "borough_rate_per_1000",
        "compared_with_borough",
        "p_value",
        "q_value",
        "compared_fdr",
        "rank",
        "suppressed",
    ]
    return (
        crime[cols]
        .sort_values(["indicator", "ward_code"])
        .to_csv(index=False, lineterminator="\n", float_format="%.4f")
    )


def deprivation_download(dep: pd.DataFrame) -> str:
    """The ward deprivation table; domain columns are left out when the edition has none (all empty)."""
    empty = [c for c in dep.columns if c.endswith("_score") and dep[c].isna().all()]
    return (
        dep.drop(columns=empty).sort_values("ward_code").to_csv(index=False, lineterminator="\n", float_format="%.4f")
    )


def wards_geojson(wards) -> str:
    """Ward boundaries (WGS84, coordinates to 6 places) with code, name and population, as GeoJSON."""
    import shapely

    w = wards[["ward_code", "ward_name", "population", "geometry"]].to_crs("EPSG:4326")
    w["geometry"] = shapely.set_precision(w.geometry.values, 1e-6)
    return w.to_json(drop_id=True, sort_keys=True) + "\n"
