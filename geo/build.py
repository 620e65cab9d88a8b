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
from html import unescape
from pathlib import Path

import pandas as pd

from geo import data_pages, pages, site, trend_pages
from geo.after_outputs import write_after, write_district_pages
from geo.analysis import funnel
from geo.cache import STAMP, cached
from geo.common import (
    DOWNLOAD_DIR,
    MAP_DIR,
    MapSpec,
    build_facts,
    deprivation_layers,
    draw,
    period_words,
    place_of,
    rate_spec,
)
from geo.config import PROJECT_ROOT, Config
from geo.extras import Extras, load_extras
from geo.field_outputs import write_field
from geo.hotspot_outputs import write_hotspots
from geo.narrative_outputs import write_narrative
from geo.outdirs import check_output_dir, new_dir, protected_dirs, replace_dir
from geo.outputs import put, roots
from geo.pipeline import WardTables, load_inputs, ward_tables
from geo.read import police
from geo.read.manifest import manifest_from_csv
from geo.render import field, markup
from geo.render.field import stamp_fingerprint
from geo.render.maps import assets
from geo.render.maps.base import web_geometry
from geo.ward_outputs import write_wards

log = logging.getLogger(__name__)


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


def write_outputs(root: Path, t: WardTables, inputs, extras: Extras, config: Config) -> None:
    """Write tables, maps, pages and vendored assets for one build into ``root``."""
    store: dict = {}
    files, pages_dir, snips = roots(store)
    period_text = period_words(config.period.start, config.period.end, t.reconciliation.missing_months)
    place = place_of(t, config)
    for rel, src in assets.vendor_files().items():
        put(files / rel, src.read_bytes())
    manifest = write_downloads(files, t, inputs, config, place)
    web = web_geometry(t.wards[["ward_code", "ward_name", "geometry"]])
    map_list = [ind for ind in inputs.indicators if ind.headline]
    for ind in map_list:
        html, page = indicator_map(t, ind, web, place, period_text)
        put(files / MAP_DIR / f"{ind.id}.html", html)
        put(pages_dir / "maps" / f"{ind.id}.md", page)
    put(pages_dir / "maps" / "index.md", pages.maps_index(map_list, period_text, place, len(t.wards)))
    hs = write_hotspots(files, pages_dir, t, inputs.indicators, config, period_text, web, place)
    write_wards(files, pages_dir, t, inputs, config, period_text, hs, place)
    name = unescape(site.site_title(t.district_name, place.report)[0])
    write_field(files, snips, t, (inputs.indicators, name), hs, (place, period_text))
    if place.report:
        write_narrative(snips, files, t, (inputs, extras), config, hs)
        kent = write_after(files, pages_dir, t, (inputs, extras), config, hs.web_wards)
    else:
        kent = write_district_pages(snips, files, pages_dir, t, (inputs, extras), config, hs, place)
    put(pages_dir / "downloads.md", data_pages.downloads_page(manifest, period_text, place))
    put(
        pages_dir / "data-and-methods.md",
        data_pages.methods_page(
            manifest,
            extras.checksums,
            t.reconciliation,
            # deprivation indicators that this edition has (the 2015 file has no crime domain)
            [i for i in inputs.indicators if i.kind != "deprivation" or t.deprivation[i.id].notna().any()],
            period_text,
            facts=build_facts(config, place, extras, inputs),
            place=place,
        ),
    )
    store["summary.json"] = build_summary(t, inputs, config, len(hs.grid))
    stamp_fingerprint(store)  # last: it hashes every file made, and versions the addresses the pages give them
    write_files(root, store)
    declared = site.declare_site(
        t.district_name,
        report=place.report,
        indicators=inputs.indicators,
        kent=kent,
        missing_months=t.reconciliation.missing_months,
    )
    site.write_site_json(declared, root)
    site.render_docs(root, PROJECT_ROOT / "docs", declared)


def write_downloads(files, t: WardTables, inputs, config: Config, place) -> pd.DataFrame:
    """The CSV, GeoJSON and attribution downloads; returns the manifest rows of the sources this build used."""
    put(files / DOWNLOAD_DIR / "ward-indicators.csv", crime_download(t.crime))
    put(files / DOWNLOAD_DIR / "ward-deprivation.csv", deprivation_download(t.deprivation))
    put(files / DOWNLOAD_DIR / "wards.geojson", wards_geojson(t.wards))
    names = dict(zip(t.wards["ward_code"], t.wards["ward_name"], strict=True))
    put(
        files / DOWNLOAD_DIR / "ward-monthly-series.csv",
        trend_pages.series_download(t.series, names, config.district),
    )
    manifest = manifest_from_csv(config.manifest_file)
    manifest = manifest[manifest["id"].isin({*inputs.paths, "police"})].reset_index(drop=True)
    for col in ("title", "attribution", "period"):  # the wards row names the boundaries' vintage
        manifest[col] = [v.replace("{wards_year}", place.wards_year) for v in manifest[col]]
    put(files / DOWNLOAD_DIR / "ATTRIBUTION.txt", data_pages.attribution_text(manifest, place))
    return manifest


def indicator_map(t: WardTables, ind, web, place, period_text: str) -> tuple[str, str]:
    """One headline indicator's full-screen map (HTML) and its page (Markdown) with the in-page map and its data:
    rates and counts, or deprivation scores."""
    n_wards = len(t.wards)
    if ind.kind == "crime":
        tt = markup.crime_tooltip_table(t.crime, ind, n_wards)
        spec = rate_spec(web, tt, ind, place, title=f"{ind.title} by ward, {period_text}")
    else:
        spec = deprivation_spec(t, ind, web, place.edition)
    data = field.choropleth_data(spec.table, spec.layers, spec.tooltip, spec.classing)
    block = field.map_block(
        "choropleth",
        root="../",
        title=f"Map: {spec.title}",
        map_id=ind.id,
        full_screen=markup.map_src(ind.id),
        extra=field.choropleth_controls(ind.id, data),
        data="window.FIELD_MAPS = window.FIELD_MAPS || {};\n" + field.js_assign(f"FIELD_MAPS.{ind.id}", data),
    )
    if ind.kind == "crime":
        months = len(t.reconciliation.months)
        page = pages.crime_map_page(ind, tt, period_text=period_text, map_embed=block, months=months, place=place)
        positions = funnel.funnel_position(t.crime[t.crime["indicator"] == ind.id])
        page += "\n" + trend_pages.funnel_section(positions, ind.title, place.area)
    else:
        page = pages.deprivation_map_page(t.deprivation, map_embed=block, edition=place.edition)
    return draw(web, spec), page


def deprivation_spec(t: WardTables, ind, web, e) -> MapSpec:
    """The deprivation map's layers and tooltip, the indicator's own measure first."""
    n_wards = len(t.wards)
    dep = t.deprivation.copy()
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
        dep.drop(columns=["ward_name"]).merge(web[["ward_code", "ward_name"]], on="ward_code"),
        deprivation_layers(ind.id, e),
        tips,
        (ind.scheme, ind.k, ind.palette),
        f"Deprivation by ward ({e.short})",
    )


def build_summary(t: WardTables, inputs, config: Config, hotspot_cells: int) -> str:
    """``summary.json``: what was built, for the benchmark and for people checking a build."""
    summary = {
        "hotspot_cells": hotspot_cells,
        "district": config.district,
        "district_name": t.district_name,
        "deprivation_edition": t.edition.short,
        "ward_lookup": t.lookup_note,
        "period": [config.period.start, config.period.end],
        "reconciliation": asdict(t.reconciliation),
        "missing_months": list(t.reconciliation.missing_months),
        "wards": len(t.wards),
        "indicators": sorted(i.id for i in inputs.indicators),
        "population": int(t.wards["population"].sum()),
    }
    return json.dumps(summary, indent=2, sort_keys=True) + "\n"


def write_files(root: Path, store: dict) -> None:
    """Write what the stages made (:mod:`geo.outputs`) into ``root``, the folder :func:`build` made."""
    for rel, content in sorted(store.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="\n")
        else:
            path.write_bytes(content)


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

    from geo.analysis.bng import frame_to_wgs84

    w = frame_to_wgs84(wards[["ward_code", "ward_name", "population", "geometry"]])
    w["geometry"] = shapely.set_precision(w.geometry.values, 1e-6)
    return w.to_json(drop_id=True, sort_keys=True) + "\n"
