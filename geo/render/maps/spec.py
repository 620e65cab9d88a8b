"""What a ward choropleth shows, made once and drawn twice: the full-screen folium page (:func:`draw`) and the
in-page map (:func:`geo.render.field.choropleth_data`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.render.maps.choropleth import DIVERGING, Layer, choropleth

MAP_SCHEMES = {"monitoring": DIVERGING, "kent": "Quantiles"}
"""Classification of the maps that are not an indicator's own (indicators name theirs in indicators.csv)."""


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


def rate_spec(web, tt: pd.DataFrame, ind, place, *, title: str, unit: str = "records") -> MapSpec:
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


def rate_map(web, tt: pd.DataFrame, ind, place, *, title: str, unit: str = "records") -> str:
    """The rate and count choropleth of one indicator (:func:`geo.render.markup.crime_tooltip_table` rows ``tt``)."""
    return draw(web, rate_spec(web, tt, ind, place, title=title, unit=unit))
