"""One map page for every ward, and the shared data it loads.

``ward.html?ward=E05…`` zooms to that ward; with no ``ward`` it shows every ward, each linking to its page
(the Wards index). Geometry lives in shared, cached scripts (``assets/field/field-data.js`` for all outlines,
``assets/maps/ward-data/<code>.js`` for one ward's hot cells and records), so a ward page loads little.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.render.maps import assets
from geo.render.maps.base import DATA_ATTRIBUTION, Legend, LegendEntry, base_map, render
from geo.render.maps.hotspot import CLASS_COLOURS, RECORDS_MIN_ZOOM, SNAP_NOTE
from geo.render.markup import js_data

DATA_DIR = "assets/maps"


def wards_script(wards: gpd.GeoDataFrame, hrefs: dict[str, str]) -> str:
    """``geoField.data.wards`` (in ``assets/field/field-data.js``): every ward outline (WGS84) with code, escaped name
    and its page's address."""
    gj = wards[["ward_code", "geometry"]].to_geo_dict(drop_id=True)
    names = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    for f in gj["features"]:
        code = f["properties"].pop("ward_code")
        f["properties"] = {"code": code, "name": html.escape(str(names[code])), "href": hrefs[code]}
    return js_data("wards", gj)


def ward_data_script(
    cells: dict[str, gpd.GeoDataFrame], points: dict[str, pd.DataFrame], titles: dict[str, str]
) -> str:
    """``assets/maps/ward-data/<code>.js``: one ward's significant hotspot cells and records per indicator.

    ``cells[id]`` has WGS84 ``geometry``, ``hotspot``, ``count``, ``top_location``; ``points[id]`` has
    ``latitude``, ``longitude``, ``count``, ``location``. Text is escaped here.
    """
    layers = []
    for ind, title in titles.items():
        c = cells[ind]
        props = pd.DataFrame(
            {
                "fill": [CLASS_COLOURS[h] for h in c["hotspot"]],
                "tip": [
                    f"<b>{html.escape(h)}</b><br>{int(n):,} records in cell<br>Most at: {html.escape(str(t))}"
                    for h, n, t in zip(c["hotspot"], c["count"], c["top_location"], strict=True)
                ],
            }
        )
        gj = gpd.GeoDataFrame(props, geometry=c.geometry.values, crs=c.crs).to_geo_dict(drop_id=True)
        p = points[ind]
        pts = [
            [round(float(r.latitude), 5), round(float(r.longitude), 5), int(r.count), html.escape(str(r.location))]
            for r in p.itertuples(index=False)
        ]
        layers.append({"id": ind, "title": html.escape(title), "cells": gj, "points": pts})
    return js_data("ward", {"layers": layers})


class WardView(MacroElement):
    """Reads ``?ward=`` and draws the outlines, the chosen ward, its hotspot layers and records."""

    _template = Template(r"""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var code = new URLSearchParams(window.location.search).get('ward') || '';
  var wards = window.geoField.data.wards, chosen = null;
  wards.features.forEach(function (f) { if (f.properties.code === code) { chosen = f; } });
  var outlines = L.geoJSON(wards, {
    style: function (f) {
      return chosen ? (f === chosen ? {color: '#000', weight: 3, fillOpacity: 0}
                                    : {color: '#666', weight: 1, fillOpacity: 0})
                    : {color: '#333', weight: 1.5, fillColor: '#9ecae1', fillOpacity: 0.35};
    },
    interactive: !chosen,
    onEachFeature: function (f, layer) {
      layer.bindTooltip(f.properties.name, chosen ? {} : {permanent: map.getSize().x > 600, direction: 'center',
                                                           className: 'ward-label'});
      if (!chosen) {
        layer.on('click', function () { window.top.location.href = new URL(f.properties.href, window.location.href); });
        layer.on('mouseover', function () { layer.setStyle({fillOpacity: 0.6}); });
        layer.on('mouseout', function () { outlines.resetStyle(layer); });
      }
    }
  }).addTo(map);
  var viewed = /^#\d/.test(window.location.hash);  // a view in the address (view.js) wins over fitting
  if (!chosen) {
    document.querySelectorAll('.map-legend').forEach(function (e) { e.hidden = true; });
    if (!viewed) { map.fitBounds(outlines.getBounds()); }
    return;
  }
  if (!viewed) { map.fitBounds(L.geoJSON(chosen).getBounds(), {padding: [12, 12]}); }
  if (!/^E05[0-9]{6}$/.test(code)) { return; }
  var s = document.createElement('script');
  s.src = '{{ this.data_prefix }}ward-data/' + code + '.js';
  s.onload = function () {
    var overlays = {'OpenStreetMap background': {{ this.tiles_name }}}, first = true;
    window.geoField.data.ward.layers.forEach(function (d) {
      var cells = L.geoJSON(d.cells, {
        style: function (f) { return {fillColor: f.properties.fill, fillOpacity: 0.6, color: '#555', weight: 0.5}; },
        onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.tip); }
      });
      overlays[d.title + ' hotspots'] = cells;
      // the legend names the priority whose hot cells are shown (titles are escaped at build time)
      var name = function () {
        var s = document.querySelector('.map-legend summary');
        if (s) { s.innerHTML = d.title + ' hotspots (Gi*)'; }
      };
      cells.on('add', name);
      if (first) { cells.addTo(map); first = false; }
      var cluster = L.markerClusterGroup({disableClusteringAtZoom: 17, maxClusterRadius: 40});
      d.points.forEach(function (p) {
        var icon = L.divIcon({className: 'record-dot', html: String(p[2]), iconSize: [20, 20]});
        cluster.addLayer(L.marker([p[0], p[1]], {icon: icon, keyboard: false})
          .bindTooltip(d.title + ': ' + p[3] + ', ' + p[2] + (p[2] === 1 ? ' record' : ' records')));
      });
      overlays[d.title + ' records (zoom {{ this.min_zoom }}+)'] = cluster;
      map.on('overlayadd', function (e) { if (e.layer === cluster && map.getZoom() < {{ this.min_zoom }}) {
        map.setZoom({{ this.min_zoom }}); } });
    });
    L.control.layers(null, overlays, {collapsed: true}).addTo(map);
  };
  document.head.appendChild(s);
})();
{% endmacro %}
""")

    def __init__(self, data_prefix: str, tiles):
        super().__init__()
        self._name = "WardView"
        self.data_prefix = data_prefix
        self._tiles = tiles
        self.min_zoom = RECORDS_MIN_ZOOM

    @property
    def tiles_name(self):
        return self._tiles.get_name()


def ward_map(bounds, *, asset_prefix: str) -> str:
    """The one ward map page (``map-files/ward.html``)."""
    m = base_map(bounds, title="Ward map", asset_prefix=asset_prefix)
    m.default_js = (
        m.default_js + assets.cluster_scripts(asset_prefix) + [("wards", f"{asset_prefix}assets/field/field-data.js")]
    )
    m.default_css = m.default_css + assets.cluster_stylesheets(asset_prefix)
    entries = [LegendEntry(CLASS_COLOURS[c], c) for c in CLASS_COLOURS if c != "Not significant"]
    m.add_child(
        Legend(
            [("Hotspots", "Hotspot cells (Gi*)", entries, "Use the layer button to switch priorities. " + SNAP_NOTE)],
            attribution=DATA_ATTRIBUTION,
        )
    )
    tiles = next(c for c in m._children.values() if isinstance(c, folium.TileLayer))
    m.add_child(WardView(f"{asset_prefix}{DATA_DIR}/", tiles))
    return render(
        m,
        label="Map of the ward: its boundary, hotspot cells and records. The same figures are in "
        "the tables on this page.",
    )
