"""The pieces every map shares: a self-hosted folium map, a legend, stable ids and rendering."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import folium
from branca.element import Figure, MacroElement
from jinja2 import Template

from geo.analysis.bng import frame_to_wgs84, to_wgs84
from geo.render.maps import assets

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
DATA_ATTRIBUTION = "© Crown copyright 2013 (ONS, OS); police.uk, DCLG (OGL)"
MISSING_COLOUR = "#d9d9d9"
"""Fill for wards with no value (suppressed or missing), shown in the legend as 'No data'."""


def base_map(bounds, *, title: str, asset_prefix: str) -> folium.Map:
    """A folium map fitted to ``bounds`` (WGS84 ``minx, miny, maxx, maxy``) that loads only self-hosted assets.

    jQuery, Bootstrap, Font Awesome and glyphicons, which folium loads by default, are left out: these maps
    use none of them. Leaflet.GestureHandling makes one finger scroll the page on phones (two fingers move the
    map) and asks for Ctrl + scroll on desktops.
    """
    fig = Figure(title=html.escape(title))
    m = folium.Map(
        location=None,
        tiles=None,
        zoom_control=True,
        control_scale=True,
        gestureHandling=True,
        zoom_snap=0.25,
        attribution_control=True,
    )
    m.default_js = assets.scripts(asset_prefix)
    m.default_css = assets.stylesheets(asset_prefix)
    fig.add_child(m)
    folium.TileLayer(
        OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap background", overlay=True, control=True, max_zoom=19
    ).add_to(m)
    minx, miny, maxx, maxy = bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


class Legend(MacroElement):
    """A legend control: one block per layer, shown while that layer is the active base layer.

    Parameters
    ----------
    blocks : list of (layer_name, title, entries, note)
        ``entries`` is a list of :class:`LegendEntry`; all text is escaped here.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function(){
  var map = {{ this._parent.get_name() }};
  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'map-legend');
    div.innerHTML = {{ this.html_json }};
    if (map.getContainer().clientWidth < 480) {  // phones: the legend starts folded
      div.querySelectorAll('details').forEach(function (d) { d.open = false; });
    }
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
  map.attributionControl.addAttribution({{ this.attribution_json }});
  function show(name) {
    var blocks = legend.getContainer().querySelectorAll('[data-layer]');
    blocks.forEach(function (b) { b.hidden = b.getAttribute('data-layer') !== name; });
  }
  show({{ this.first_json }});
  map.on('baselayerchange', function (e) { show(e.name); });
})();
{% endmacro %}
""")

    def __init__(self, blocks, attribution: str = ""):
        super().__init__()
        self._name = "Legend"
        parts = []
        for layer, title, entries, note in blocks:
            items = "".join(
                f'<li><i style="background:{html.escape(e.colour)}"></i>{html.escape(e.label)}</li>' for e in entries
            )
            parts.append(
                f'<div data-layer="{html.escape(layer)}"><details open><summary>{html.escape(title)}</summary>'
                f"<ul>{items}</ul><p>{html.escape(note)}</p></details></div>"
            )
        self.html_json = json.dumps("".join(parts))
        self.attribution_json = json.dumps(html.escape(attribution))
        self.first_json = json.dumps(blocks[0][0] if blocks else "")


def stable_ids(root) -> None:
    """Replace folium's random element ids with ids numbered in tree order, so builds are identical."""
    counter = 0

    def walk(el):
        nonlocal counter
        el._id = f"{counter:03d}"
        counter += 1
        for child in el._children.values():
            walk(child)

    walk(root)

    # folium keys children by their (random) names; re-key them so the render order and names are stable
    def rekey(el):
        el._children = {c.get_name(): c for c in el._children.values()}
        for c in el._children.values():
            rekey(c)

    rekey(root)


class ViewState(MacroElement):
    """The map's view in its address (``assets/maps/view.js``): ``#zoom/latitude/longitude``, so a link opens
    the same view and Back and Forward step through views. Added last, so a view in the address wins over the
    map's own fitting."""

    _template = Template("""
{% macro script(this, kwargs) %}
geoView({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "ViewState"


def render(m: folium.Map, *, label: str) -> str:
    """Render a map to a standalone HTML page with stable ids, a language and an accessible name; its view is
    kept in its address (:class:`ViewState`)."""
    ViewState().add_to(m)
    root = m.get_root()
    stable_ids(root)
    out = root.render()
    out = out.replace("<html>", '<html lang="en">', 1)
    # the map container is a labelled region, reachable with the keyboard
    name = m.get_name()
    out = out.replace(
        f'<div class="folium-map" id="{name}" ></div>',
        f'<div class="folium-map" id="{name}" role="region" tabindex="0" aria-label="{html.escape(label)}"></div>',
        1,
    )
    # folium forbids zooming the page (user-scalable=no); WCAG 1.4.4 needs it allowed
    out = re.sub(
        r'<meta name="viewport"[^>]*>',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        out,
        count=1,
    )
    out = re.sub(r"[ \t]+\n", "\n", out)
    return out


def web_geometry(gdf, tolerance_m: float = 20.0, decimals: int = 5):
    """Simplify polygons for the web (shared borders stay shared) and convert to WGS84.

    ``tolerance_m`` is in metres of British National Grid; 20 m is below a pixel up to zoom 13 and keeps
    ward outlines recognisable at the street zooms a PCSO uses. Coordinates are rounded to ``decimals``
    places (5 places is about 1 m).
    """
    import shapely

    out = gdf.copy()
    if tolerance_m > 0:
        out["geometry"] = gdf.geometry.simplify_coverage(tolerance_m)
    out = frame_to_wgs84(out)
    out["geometry"] = shapely.set_precision(out.geometry.values, 10.0**-decimals)
    return out


class WardLabels(MacroElement):
    """Ward names as permanent labels at a point inside each ward, shown and hidden with ``outline``.

    ``labels`` is a list of (latitude, longitude, name); names are escaped here.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function(){
  var map = {{ this._parent.get_name() }}, outline = {{ this.outline_name }};
  var group = L.layerGroup({{ this.labels_json }}.map(function (d) {
    return L.tooltip({permanent: true, direction: 'center', className: 'ward-label', interactive: false})
      .setLatLng([d[0], d[1]]).setContent(d[2]);
  }));
  function sync() {
    var on = map.hasLayer(outline) && map.getZoom() >= {{ this.min_zoom }};
    if (on && !map.hasLayer(group)) { group.addTo(map); }
    if (!on && map.hasLayer(group)) { map.removeLayer(group); }
  }
  map.on('overlayadd overlayremove zoomend', sync);
  sync();
})();
{% endmacro %}
""")

    def __init__(self, outline, labels, min_zoom: int = 11):
        super().__init__()
        self._name = "WardLabels"
        self._outline = outline
        self.min_zoom = int(min_zoom)
        rows = [[round(float(lat), 5), round(float(lon), 5), html.escape(str(name))] for lat, lon, name in labels]
        self.labels_json = json.dumps(rows).replace("</", "<\\/")

    @property
    def outline_name(self):
        return self._outline.get_name()


def label_points(wards_bng) -> list[tuple[float, float, str]]:
    """(latitude, longitude, ward_name) of a point inside each ward, for :class:`WardLabels`."""
    pts = wards_bng.geometry.representative_point()
    lon, lat = to_wgs84(pts.x, pts.y)
    return [(y, x, n) for x, y, n in zip(lon, lat, wards_bng["ward_name"], strict=True)]
