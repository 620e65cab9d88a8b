"""Shared pieces of the page-making stages: output folders, map helpers and period wording."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo import data_pages
from geo.config import DEFAULT_PERIOD, REPORT_DISTRICT, Config
from geo.extras import Extras
from geo.pipeline import WardTables
from geo.render import markup
from geo.render.maps.choropleth import DIVERGING, SCHEME_NAMES, Layer, choropleth

MAP_DIR = markup.MAP_DIR


DOWNLOAD_DIR = "downloads"


KDE_BANDWIDTH_CELLS = 2
"""The hotspot maps' kernel density bandwidth, in hexagon widths."""


MAP_SCHEMES = {"monitoring": DIVERGING, "kent": "Quantiles"}
"""Classification of the maps that are not an indicator's own (indicators name theirs in indicators.csv)."""


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


@dataclass(frozen=True)
class MapSpec:
    """What a ward choropleth shows: one row per ward, its layers, its tooltip rows, its classes and title. The
    full-screen map (:func:`draw`) and the in-page map (:func:`geo.render.field.choropleth_data`) are made from it."""

    table: pd.DataFrame
    layers: list
    tooltip: dict
    classing: tuple
    title: str


def draw(web, spec: MapSpec, unit: str = "ward") -> str:
    """The full-screen (folium) page of a map."""
    return choropleth(
        web,
        spec.table,
        spec.layers,
        spec.tooltip,
        title=spec.title,
        classing=spec.classing,
        asset_prefix="../",
        unit=unit,
    )


def rate_spec(web, tt: pd.DataFrame, ind, place: markup.Place, *, title: str, unit: str = "records") -> MapSpec:
    """The rate and count layers of one indicator (:func:`geo.render.markup.crime_tooltip_table` rows ``tt``)."""
    return MapSpec(
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
        (ind.scheme, ind.k, ind.palette),
        title,
    )


def rate_map(web, tt: pd.DataFrame, ind, place: markup.Place, *, title: str, unit: str = "records") -> str:
    """The rate and count choropleth of one indicator (:func:`geo.render.markup.crime_tooltip_table` rows ``tt``)."""
    return draw(web, rate_spec(web, tt, ind, place, title=title, unit=unit))


def place_of(t: WardTables, config: Config) -> markup.Place:
    """What the pages say about the build's district; the assessment's narrative only for its own district."""
    report = config.district == REPORT_DISTRICT
    return markup.Place(
        t.district_name,
        report,
        t.edition,
        t.lookup_note,
        report and config.period == DEFAULT_PERIOD,
        t.wards_vintage,
    )


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


def month_ranges(months) -> str:
    """Months as runs: ``['2012-04', '2012-05', '2012-07']`` -> ``'April 2012 to May 2012 and July 2012'``.

    >>> month_ranges(["2012-04", "2012-05", "2012-07"])
    'April 2012 to May 2012 and July 2012'
    """
    from geo.analysis.spc import stretches

    runs = [period_words(r[0], r[-1]) for r in stretches(months)]
    return runs[0] if len(runs) == 1 else ", ".join(runs[:-1]) + " and " + runs[-1]


def repairs(place: markup.Place, extras: Extras, inputs=None, period_months=()) -> tuple[str, ...]:
    """What the build repaired or left out rather than read as it was (the log says the same): from ``inputs``,
    the police.uk records that repeat an earlier record's Crime ID and the months whose file is not the
    district's."""
    out = []
    repeated = inputs.repeats.notes(Path(inputs.data_dir)) if inputs is not None else []
    odd = inputs.odd_months if inputs is not None else {}
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
    kent = extras.kent_districts
    if kent is not None and kent.attrs.get("repaired"):
        out.append(
            f"{kent.attrs['repaired']} of the {len(kent)} Kent district outlines were invalid polygons (a coarse "
            "conversion of the source) and were repaired with a zero-width buffer before use."
        )
    return tuple(out)


def build_facts(config: Config, place: markup.Place, extras: Extras, inputs=None) -> data_pages.BuildFacts:
    """The settings and inputs that Data and methods and the hotspot pages state."""
    return data_pages.BuildFacts(
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
        repairs=repairs(place, extras, inputs, config.period.months()),
    )
