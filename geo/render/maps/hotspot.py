"""Hotspot maps: Gi* classes on hexagons, kernel density as context, ward outlines and the records themselves."""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.plugins import FastMarkerCluster
from jinja2 import Template

from geo.analysis.hotspots import CLASSES
from geo.render.maps import assets
from geo.render.maps.base import DATA_ATTRIBUTION, Legend, LegendEntry, WardLabels, base_map, render

CLASS_COLOURS = dict(
    zip(CLASSES, ["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"], strict=True)
)
"""ColorBrewer RdBu (7 classes), a diverging scheme that stays distinct for colour-blind readers."""
KDE_COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"]
RECORDS_MIN_ZOOM = 14
SNAP_NOTE = "police.uk places each record at an anonymous snap point near where it happened, never at an address."


class ZoomGate(MacroElement):
    """Show a layer only from ``min_zoom`` up (while it is ticked in the layer control)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function(){
  var map = {{ this._parent.get_name() }}, layer = {{ this.layer_name }}, wanted = true;
  map.on('overlayadd', function (e) { if (e.layer === layer) { wanted = true; gate(); } });
  map.on('overlayremove', function (e) { if (e.layer === layer) { wanted = false; } });
  function gate() {
    var show = wanted && map.getZoom() >= {{ this.min_zoom }};
    if (show && !map.hasLayer(layer)) { map.addLayer(layer); }
    if (!show && map.hasLayer(layer) && map.getZoom() < {{ this.min_zoom }}) { map.removeLayer(layer); wanted = true; }
  }
  map.on('zoomend', gate);
  gate();
})();
{% endmacro %}
""")

    def __init__(self, layer, min_zoom: int):
        super().__init__()
        self._name = "ZoomGate"
        self._layer = layer
        self.min_zoom = int(min_zoom)

    @property
    def layer_name(self):
        return self._layer.get_name()


def hotspot_map(
    cells: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame,
    labels,
    points: pd.DataFrame,
    *,
    title: str,
    cell_m: float,
    asset_prefix: str,
) -> str:
    """Draw a hotspot map and return the standalone HTML page.

    Parameters
    ----------
    cells : geopandas.GeoDataFrame
        WGS84 hexagons with ``hotspot`` (a class of :data:`geo.analysis.hotspots.CLASSES`), ``count``, ``ward_name``,
        ``top_location`` and ``kde_class`` (0-4, or -1 where the density is negligible).
    wards : geopandas.GeoDataFrame
        WGS84 ward outlines.
    labels : list of (latitude, longitude, name)
        Where to write each ward's name (see :func:`geo.render.maps.base.label_points`).
    points : pandas.DataFrame
        Snap points: ``latitude``, ``longitude``, ``count``, ``location``.
    """
    m = base_map(wards.total_bounds, title=title, asset_prefix=asset_prefix)
    sig = cells[cells["hotspot"] != "Not significant"]
    _add_cells(m, cells, sig)
    outline = folium.GeoJson(
        wards[["geometry"]].to_json(drop_id=True),
        name="Ward boundaries and names",
        interactive=False,
        style_function=lambda f: {"fill": False, "color": "#222", "weight": 1.5},
    ).add_to(m)
    m.add_child(WardLabels(outline, labels))
    cluster = _record_cluster(points, asset_prefix)
    cluster.add_to(m)
    m.add_child(ZoomGate(cluster, RECORDS_MIN_ZOOM))
    counts = sig["hotspot"].value_counts()
    entries = [
        LegendEntry(CLASS_COLOURS[c], f"{c} ({int(counts.get(c, 0))} cells)") for c in CLASSES if c != "Not significant"
    ]
    note = (
        f"Getis-Ord Gi* on {cell_m:.0f} m hexagons, false-discovery-rate corrected. Uncoloured cells are not "
        f"significant. Records show from zoom {RECORDS_MIN_ZOOM}; {SNAP_NOTE}"
    )
    m.add_child(Legend([("Hotspots (Getis-Ord Gi*)", "Hotspot cells", entries, note)], attribution=DATA_ATTRIBUTION))
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return render(m, label=f"Map: {title}. The hot cells and top locations are listed in tables below the map.")


def _add_cells(m: folium.Map, cells: gpd.GeoDataFrame, sig: gpd.GeoDataFrame) -> None:
    """The kernel density layer (hidden, context only) and the significant cells with their tooltips."""
    kde = cells[cells["kde_class"] >= 0]
    kde_gj = gpd.GeoDataFrame(
        {"fill": [KDE_COLOURS[int(k)] for k in kde["kde_class"]]}, geometry=kde.geometry.values, crs=cells.crs
    )
    folium.GeoJson(
        kde_gj.to_json(drop_id=True),
        name="Kernel density (context only)",
        show=False,
        interactive=False,
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.6, "weight": 0},
    ).add_to(m)
    if not len(sig):
        return
    props = pd.DataFrame(
        {
            "fill": [CLASS_COLOURS[c] for c in sig["hotspot"]],
            "hotspot": [html.escape(c) for c in sig["hotspot"]],
            "records": [f"{int(c):,}" for c in sig["count"]],
            "ward": [html.escape(str(w)) for w in sig["ward_name"]],
            "where": [html.escape(str(t)) for t in sig["top_location"]],
        }
    )
    gj = gpd.GeoDataFrame(props, geometry=sig.geometry.values, crs=cells.crs)
    folium.GeoJson(
        gj.to_json(drop_id=True),
        name="Hotspots (Getis-Ord Gi*)",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.6,
            "color": "#555",
            "weight": 0.5,
        },
        highlight_function=lambda f: {"weight": 2, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["hotspot", "records", "ward", "where"],
            aliases=["Cell", "Records in cell", "Ward", "Most records at"],
        ),
    ).add_to(m)


def _record_cluster(points: pd.DataFrame, asset_prefix: str) -> FastMarkerCluster:
    """The snap points as numbered dots, clustered with their records summed, drawn from the site's own scripts."""
    data = [
        [round(float(r.latitude), 5), round(float(r.longitude), 5), int(r.count), html.escape(str(r.location))]
        for r in points.itertuples(index=False)
    ]
    cluster = FastMarkerCluster(
        data,
        name=f"Records (zoom in to level {RECORDS_MIN_ZOOM} to see them)",
        callback="""function (row) {
            var icon = L.divIcon({className: 'record-dot', html: String(row[2]), iconSize: [20, 20]});
            var m = L.marker(new L.LatLng(row[0], row[1]), {icon: icon, keyboard: false, records: row[2]});
            m.bindTooltip(row[3] + ': ' + row[2] + (row[2] === 1 ? ' record' : ' records'));
            return m;
        }""",
        options={"disableClusteringAtZoom": 17, "maxClusterRadius": 40},
        icon_create_function="""function (cluster) {
            var n = 0;
            cluster.getAllChildMarkers().forEach(function (m) { n += m.options.records || 0; });
            var size = n < 10 ? 'small' : (n < 100 ? 'medium' : 'large');
            return L.divIcon({html: '<div><span>' + n + '</span></div>', iconSize: new L.Point(40, 40),
                              className: 'marker-cluster marker-cluster-' + size});
        }""",
    )
    cluster.default_js = assets.cluster_scripts(asset_prefix)
    cluster.default_css = assets.cluster_stylesheets(asset_prefix)
    return cluster


def kde_classes(cell_xy: np.ndarray, point_xy: np.ndarray, bandwidth_m: float) -> np.ndarray:
    """Kernel density (Epanechnikov, scikit-learn) at cell centres, in 5 equal classes of the maximum.

    Cells below 5 % of the maximum density get -1 (not drawn). Context only: it has no significance test.
    """
    from sklearn.neighbors import KernelDensity

    out = np.full(len(cell_xy), -1, dtype=int)
    if len(point_xy) == 0:
        return out
    kd = KernelDensity(kernel="epanechnikov", bandwidth=bandwidth_m).fit(point_xy)
    dens = np.exp(kd.score_samples(cell_xy))
    top = dens.max()
    if top <= 0:
        return out
    rel = dens / top
    keep = rel >= 0.05
    out[keep] = np.minimum((rel[keep] * 5).astype(int), 4)
    return out


KDE_BANDWIDTH_CELLS = 2
"""The hotspot maps' kernel density bandwidth, in hexagon widths."""


def significant_cells(web_cells: gpd.GeoDataFrame, res: pd.DataFrame) -> gpd.GeoDataFrame:
    """The hot and cold cells of one indicator's Gi* results, in WGS84."""
    sig = res[res["hotspot"] != "Not significant"]
    return web_cells[["cell_id", "geometry"]].merge(sig, on="cell_id")


def hotspot_html(grid, web_wards, labels, cells: pd.DataFrame, points: pd.DataFrame, recs, *, title: str) -> str:
    """A full-screen hotspot map of Gi* ``cells`` on ``grid`` (the build context's hexagon grid), with kernel density
    of ``recs`` (points in British National Grid) as context and ``points`` as records."""
    kde = kde_classes(
        grid.cells[["x", "y"]].to_numpy(),
        recs.geometry.get_coordinates().to_numpy(),
        bandwidth_m=KDE_BANDWIDTH_CELLS * grid.cell_m,
    )
    layer = grid.web_cells[["cell_id", "geometry"]].merge(cells.assign(kde_class=kde), on="cell_id", validate="1:1")
    return hotspot_map(layer, web_wards, labels, points, title=title, cell_m=grid.cell_m, asset_prefix="../")
