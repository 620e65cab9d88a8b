"""The data section: Data and methods (sources, every input file with its SHA-256, how every police.uk row was
accounted for, the statistics and every column), the Downloads page, and the ward tables and boundaries as
downloads with their attribution."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.analysis.bng import frame_to_wgs84
from geo.read import agreement
from geo.render.maps.choropleth import SCHEME_NAMES
from geo.render.maps.hotspot import KDE_BANDWIDTH_CELLS
from geo.render.maps.spec import MAP_SCHEMES
from geo.render.markup import DOWNLOAD_DIR
from geo.render.methods import BuildFacts, attribution_text, downloads_page, methods_page
from geo.render.output import Section
from geo.render.words import month_ranges, period_words


def section(ctx) -> Section:
    """Data and methods, Downloads, and the ward downloads."""
    out = Section()
    t, place = ctx.tables, ctx.place
    out.file(f"{DOWNLOAD_DIR}/ward-indicators.csv", crime_download(t.crime))
    out.file(f"{DOWNLOAD_DIR}/ward-deprivation.csv", deprivation_download(t.deprivation))
    out.file(f"{DOWNLOAD_DIR}/wards.geojson", wards_geojson(t.wards))
    manifest = sources_used(ctx)
    out.file(f"{DOWNLOAD_DIR}/ATTRIBUTION.txt", attribution_text(manifest, place))
    # deprivation indicators that this edition has (the 2015 file has no crime domain)
    shown = [i for i in ctx.indicators if i.kind != "deprivation" or t.deprivation[i.id].notna().any()]
    methods = methods_page(
        manifest,
        ctx.inputs.checksums,
        t.reconciliation,
        shown,
        ctx.period_text,
        facts=build_facts(ctx),
        place=place,
    )
    out.page("data-and-methods.md", methods, "", "Data and methods")
    out.page("downloads.md", downloads_page(manifest, ctx.period_text, place), "", "Downloads")
    return out


def sources_used(ctx) -> pd.DataFrame:
    """The manifest's rows of the sources this build read, naming the boundaries' vintage."""
    manifest = ctx.inputs.manifest
    manifest = manifest[manifest["id"].isin(ctx.inputs.source_ids)].reset_index(drop=True)
    for col in ("title", "attribution", "period"):  # the wards row names the boundaries' vintage
        manifest[col] = [v.replace("{wards_year}", ctx.place.wards_year) for v in manifest[col]]
    return manifest


def repairs(ctx) -> tuple[str, ...]:
    """What the build repaired or left out rather than read as it was (the log says the same): the derived lookup,
    the repaired Kent outlines, the police.uk records that repeat an earlier record's Crime ID and the months whose
    file is not the district's."""
    place, inputs, period_months = ctx.place, ctx.inputs, ctx.config.period.months()
    out = []
    repeated = inputs.repeats.notes(Path(inputs.data_dir))
    odd = inputs.odd_months
    empty = sorted(m for m, why in odd.items() if why.startswith("only 0 ") and m not in set(period_months))
    if empty:
        out.append(
            f"The police.uk files for {month_ranges(empty)} hold no record in the district's wards (another area's "
            "files), so they were left out of the monthly charts and the comparisons."
        )
    for m, why in sorted((m, w) for m, w in odd.items() if m not in empty):
        out.append(f"The police.uk file for {period_words(m, m)} was left out: {why}.")
    if repeated:
        out.append(
            f"{len(repeated)} police.uk record(s) repeat the Crime ID of an earlier record, as police.uk itself "
            "sometimes does (a crime published again the next month with its later outcome, or one ID given to two "
            "records); each crime is counted once, at its first appearance: " + "; ".join(repeated) + "."
        )
    if not place.lookup_note.startswith("ONS best-fit lookup"):
        out.append(f"The 2011 LSOA -> ward lookup was derived, not read: {place.lookup_note}.")
    kent = inputs.kent_districts
    if kent is not None and kent.attrs.get("repaired"):
        out.append(
            f"{kent.attrs['repaired']} of the {len(kent)} Kent district outlines were invalid polygons (a coarse "
            "conversion of the source) and were repaired with a zero-width buffer before use."
        )
    return tuple(out)


def build_facts(ctx) -> BuildFacts:
    """The settings and inputs that Data and methods states."""
    config, place = ctx.config, ctx.place
    return BuildFacts(
        police_months=list(ctx.inputs.police_months),
        has_stats19=ctx.inputs.pedestrians is not None,
        cell_m=config.hotspot_cell_m,
        permutations=config.permutations,
        kde_bandwidth_m=KDE_BANDWIDTH_CELLS * config.hotspot_cell_m,
        other_maps=tuple(
            (what, SCHEME_NAMES[MAP_SCHEMES[key]])
            for key, what in (("monitoring", "2014 change map"), ("kent", "Kent comparison map"))
            if place.report or key == "kent"
        ),
        repairs=repairs(ctx),
        lookup_agreement=agreement.lookup_agreement(ctx.tables.records, ctx.inputs.lsoa_ward, config.district),
        outcome_groups=tuple(ctx.inputs.outcome_groups.items()),
    )


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
    """Ward boundaries (WGS84, coordinates to 6 places) with code, name and population, as RFC 7946 GeoJSON.

    RFC 7946 section 3.1.6: exterior rings run counter-clockwise, holes clockwise. Rounding comes first, since
    reducing precision can rebuild rings, and orienting last is what the file then keeps.
    """
    import shapely

    w = frame_to_wgs84(wards[["ward_code", "ward_name", "population", "geometry"]])
    w["geometry"] = shapely.orient_polygons(shapely.set_precision(w.geometry.values, 1e-6))
    return w.to_json(drop_id=True, sort_keys=True) + "\n"
