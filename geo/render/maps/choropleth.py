"""Ward choropleths: one folium map per indicator with two switchable layers (e.g. rate and count)."""

from __future__ import annotations

import html
import json
import warnings
from dataclasses import dataclass

import folium
import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
from branca.element import MacroElement
from branca.utilities import color_brewer
from jinja2 import Template

from geo.render.maps.base import DATA_ATTRIBUTION, MISSING_COLOUR, Legend, LegendEntry, base_map, render


@dataclass(frozen=True)
class Layer:
    """One switchable layer of a choropleth: which column it colours by and how to label it."""

    name: str
    column: str
    legend_title: str
    decimals: int


@dataclass(frozen=True)
class Classes:
    """The result of classifying one column."""

    colours: list[str]
    """Fill colour per row (``MISSING_COLOUR`` where the value is missing)."""
    legend: list[LegendEntry]
    scheme: str


DIVERGING = "DivergingAtZero"
"""Scheme name for changes: classes on each side of zero that never straddle it (see :func:`classify_change`)."""
NO_CHANGE_COLOUR = "#f7f7f7"


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'s' if n != 1 else ''}"


def _side_classes(vals: pd.Series, n: int, ramp: str, falling: bool, decimals: int, unit: str):
    """Quantile classes of the values on one side of zero: (colour per value, legend entries, low to high)."""
    uniq = np.unique(vals)
    n = min(n, len(uniq))
    if n == 1:
        bins = np.array([uniq[-1]])
    else:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Numba not installed", category=UserWarning)
            bins = np.asarray(mapclassify.Quantiles(vals.to_numpy(), k=n).bins)
    yb = np.searchsorted(bins, vals.to_numpy(), side="left")
    pal = color_brewer(ramp, max(3, len(bins)))[-len(bins) :]  # the darker end: readable on the basemap
    shade = pal[::-1] if falling else pal  # darkest for the largest fall and for the largest rise
    entries, lower = [], float(vals.min())
    for i, upper in enumerate(bins):
        label = f"{lower:,.{decimals}f} to {upper:,.{decimals}f} ({_plural(int((yb == i).sum()), unit)})"
        entries.append(LegendEntry(shade[i], label))
        lower = float(upper)
    return [shade[i] for i in yb], entries


def classify_change(values: pd.Series, k: int, decimals: int, unit: str = "ward") -> Classes:
    """Classes for a change that may be negative or positive: quantiles of the falls in purples, of the rises in
    oranges (a colour-blind-safe diverging pair), exactly zero in a neutral grey of its own. No class spans zero.

    Examples
    --------
    >>> c = classify_change(pd.Series([-50.0, -10.0, 0.0, 5.0, 25.0, None]), 4, 0)
    >>> [e.label for e in c.legend][:3]
    ['-50 to -30 (1 ward)', '-30 to -10 (1 ward)', '0 (no change) (1 ward)']
    >>> [e.label for e in c.legend][3:]
    ['5 to 15 (1 ward)', '15 to 25 (1 ward)', 'No data (1 ward)']
    """
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    colours = np.full(len(v), MISSING_COLOUR, dtype=object)
    legend: list[LegendEntry] = []
    half = max(1, k // 2)
    for side, ramp, falling in ((v < 0, "Purples", True), (v == 0, None, False), (v > 0, "Oranges", False)):
        if not side.any():
            continue
        if ramp is None:
            colours[side.to_numpy()] = NO_CHANGE_COLOUR
            legend.append(LegendEntry(NO_CHANGE_COLOUR, f"0 (no change) ({_plural(int(side.sum()), unit)})"))
            continue
        cols, entries = _side_classes(v[side], half, ramp, falling, decimals, unit)
        colours[side.to_numpy()] = cols
        legend.extend(entries)
    missing = int(v.isna().sum())
    if missing:
        legend.append(LegendEntry(MISSING_COLOUR, f"No data ({_plural(missing, unit)})"))
    return Classes(list(colours), legend, DIVERGING)


def classify(values: pd.Series, scheme: str, k: int, palette: str, decimals: int, unit: str = "ward") -> Classes:
    """Class breaks from mapclassify and a ColorBrewer palette; missing values get their own colour.

    Examples
    --------
    >>> c = classify(pd.Series([1.0, 2.0, 9.0, None]), "Quantiles", 2, "Blues", 0)
    >>> c.colours[-1] == MISSING_COLOUR, [e.label for e in c.legend]
    (True, ['1 to 2 (2 wards)', '2 to 9 (1 ward)', 'No data (1 ward)'])
    """
    if scheme == DIVERGING:
        return classify_change(values, k, decimals, unit)
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    ok = v.notna().to_numpy()
    colours = np.full(len(v), MISSING_COLOUR, dtype=object)
    legend: list[LegendEntry] = []
    uniq = np.unique(v[ok])
    if len(uniq):
        k = max(1, min(k, len(uniq)))
        if k == 1:
            bins, yb = np.array([uniq[-1]]), np.zeros(int(ok.sum()), dtype=int)
        else:
            with warnings.catch_warnings():  # mapclassify warns that numba would be faster; 26 wards need none
                warnings.filterwarnings("ignore", message="Numba not installed", category=UserWarning)
                c = mapclassify.classify(v[ok].to_numpy(), scheme, k=k)
            bins, yb = np.asarray(c.bins), np.asarray(c.yb)
        pal = color_brewer(palette, max(3, len(bins)))
        if len(bins) < 3:  # ColorBrewer's smallest palette has 3 colours: use its darker end
            pal = pal[-len(bins) :]
        colours[ok] = [pal[i] for i in yb]
        lower = float(np.min(v[ok]))
        for i, upper in enumerate(bins):
            n = int((yb == i).sum())
            legend.append(
                LegendEntry(
                    pal[i], f"{lower:,.{decimals}f} to {upper:,.{decimals}f} ({n} {unit}{'s' if n != 1 else ''})"
                )
            )
            lower = float(upper)
    missing = int((~ok).sum())
    if missing:
        legend.append(LegendEntry(MISSING_COLOUR, f"No data ({missing} {unit}{'s' if missing != 1 else ''})"))
    return Classes(list(colours), legend, scheme)


SCHEME_NAMES = {
    "FisherJenks": "natural breaks (Fisher-Jenks)",
    "Quantiles": "quantiles",
    "EqualInterval": "equal intervals",
    "NaturalBreaks": "natural breaks",
    "JenksCaspall": "Jenks-Caspall",
    DIVERGING: "quantiles of the falls and of the rises, on either side of zero",
}


def choropleth(
    wards: gpd.GeoDataFrame,
    table: pd.DataFrame,
    layers: list[Layer],
    tooltip: dict[str, str],
    *,
    title: str,
    classing: tuple[str, int, str],
    asset_prefix: str = "../",
    unit: str = "ward",
) -> str:
    """Draw a ward choropleth and return the standalone HTML page.

    Parameters
    ----------
    wards : geopandas.GeoDataFrame
        ``ward_code`` and WGS84 ``geometry`` (already simplified for the web).
    table : pandas.DataFrame
        One row per ward with ``ward_code``, the layers' columns and the tooltip columns (already formatted).
    layers : list of Layer
        The layers; the first is shown first. Each is classified on its own.
    tooltip : dict
        Column -> label of the tooltip rows (values are escaped here).
    classing : (str, int, str)
        The mapclassify scheme (or :data:`DIVERGING`), the number of classes and the ColorBrewer palette.
    """
    scheme, k, palette = classing
    data = wards[["ward_code", "geometry"]].merge(table, on="ward_code", how="left", validate="1:1")
    m = base_map(data.total_bounds, title=title, asset_prefix=asset_prefix)
    # one layer holds the geometry once; each measure is a fill colour per ward that a switch applies
    props = pd.DataFrame(index=range(len(data)))
    blocks = []
    for n, layer in enumerate(layers):
        cls = classify(data[layer.column], scheme, k, palette, layer.decimals, unit)
        props[f"fill{n}"] = cls.colours
        blocks.append((layer.name, layer.legend_title, cls.legend, f"Classes: {SCHEME_NAMES.get(scheme, scheme)}."))
    props["fill"] = props["fill0"]
    for col in tooltip:
        props[col] = [html.escape(str(x)) for x in data[col]]
    gj = folium.GeoJson(
        gpd.GeoDataFrame(props, geometry=data.geometry.values, crs=data.crs).to_json(drop_id=True),
        name="Wards",
        control=False,
        style_function=_style,
        highlight_function=lambda f: {"weight": 3, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(fields=list(tooltip), aliases=list(tooltip.values()), sticky=False),
        smooth_factor=0.5,
    ).add_to(m)
    m.add_child(Legend(blocks, attribution=DATA_ATTRIBUTION))
    if len(layers) > 1:
        m.add_child(MeasureSwitch(gj, [layer.name for layer in layers]))
    folium.LayerControl(collapsed=True, position="topleft").add_to(m)
    return render(m, label=f"Map: {title}. The same figures are in the table below the map.")


class MeasureSwitch(MacroElement):
    """Radio buttons (a labelled fieldset) that recolour the ward layer by another measure and switch the legend."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }}, layer = {{ this.layer_name }}, names = {{ this.names_json }};
  var control = L.control({position: 'topright'});
  control.onAdd = function () {
    var box = L.DomUtil.create('fieldset', 'leaflet-control-layers leaflet-control measure-switch');
    var html = '<legend>Show</legend>';
    names.forEach(function (name, i) {
      html += '<label><input type="radio" name="{{ this.get_name() }}" value="' + i + '"' +
              (i === 0 ? ' checked' : '') + '> ' + name + '</label>';
    });
    box.innerHTML = html;
    L.DomEvent.disableClickPropagation(box);
    box.addEventListener('change', function (e) {
      var i = e.target.value, base = layer.options.style;
      layer.options.style = function (f) {
        var s = base(f);
        s.fillColor = f.properties['fill' + i];
        return s;
      };
      layer.setStyle(layer.options.style);
      map.fire('baselayerchange', {name: names[i]});
    });
    return box;
  };
  control.addTo(map);
})();
{% endmacro %}
""")

    def __init__(self, layer, names: list[str]):
        super().__init__()
        self._name = "MeasureSwitch"
        self._layer = layer
        self.names_json = json.dumps([html.escape(n) for n in names]).replace("</", "<\\/")

    @property
    def layer_name(self):
        return self._layer.get_name()


def _style(feature):
    return {"fillColor": feature["properties"]["fill"], "fillOpacity": 0.75, "color": "#333", "weight": 1}


def category_map(
    wards: gpd.GeoDataFrame,
    labels: dict[str, str],
    *,
    title: str,
    legend_title: str,
    named_label: str,
    note: str,
    asset_prefix: str,
) -> str:
    """Wards picked out by category (e.g. named in the report), with no counts: ``labels`` is code -> label."""
    named = [c in labels for c in wards["ward_code"]]
    props = pd.DataFrame(
        {
            "fill": ["#e66101" if n else "#f7f7f7" for n in named],
            "ward_name": [html.escape(str(x)) for x in wards["ward_name"]],
            "said": [html.escape(labels.get(c, "Not named")) for c in wards["ward_code"]],
        }
    )
    m = base_map(wards.total_bounds, title=title, asset_prefix=asset_prefix)
    folium.GeoJson(
        gpd.GeoDataFrame(props, geometry=wards.geometry.values, crs=wards.crs).to_json(drop_id=True),
        name=legend_title,
        control=False,
        style_function=_style,
        highlight_function=lambda f: {"weight": 3, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(fields=["ward_name", "said"], aliases=["Ward", "In the report"]),
    ).add_to(m)
    n = sum(named)
    m.add_child(
        Legend(
            [
                (
                    legend_title,
                    legend_title,
                    [
                        LegendEntry("#e66101", f"{named_label} ({n} wards)"),
                        LegendEntry("#f7f7f7", f"Not named ({len(named) - n} wards)"),
                    ],
                    note,
                )
            ],
            attribution=DATA_ATTRIBUTION,
        )
    )
    folium.LayerControl(collapsed=True, position="topleft").add_to(m)
    return render(m, label=f"Map: {title}. The wards are listed in the text beside the map.")
