/* geoField: the site's in-page maps, "Which ward am I in?", the ward search and offline keeping, in one namespace
   (window.geoField) and split by what each part does: core.js (helpers, geometry, the base map), map.js (ward,
   hotspot and choropleth maps), finder.js (the ward search and the ward panel), locate.js ("Which ward am I
   in?"), offline.js ("Keep this ward offline") and main.js (which draws each map on the page). The build writes
   the data into geoField.data (geo/render/field.py); text from the data is escaped wherever it goes into HTML. */
(function (G) {
  'use strict';
  var D = G.data = G.data || {};
  G.COARSE_M = 500;       // a position less certain than this cannot tell neighbouring wards apart
  G.NEAR_M = 1500;        // hot cells further away than this are not "nearby"
  G.TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

  G.esc = function (s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  };
  G.el = function (tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  };
  G.say = function (result, text, cls) {
    result.textContent = '';
    var p = G.el('p', {'class': 'field-message ' + (cls || '')}, text);
    result.appendChild(p);
    return p;
  };

  /* which ward holds a point: ray casting over each polygon, holes included */
  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }
  function inPolygon(x, y, rings) {
    if (!inRing(x, y, rings[0])) { return false; }
    for (var h = 1; h < rings.length; h++) { if (inRing(x, y, rings[h])) { return false; } }
    return true;
  }
  G.wardAt = function (lat, lon) {
    var W = D.wards;
    for (var i = 0; i < W.features.length; i++) {
      var g = W.features[i].geometry;
      var polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      for (var p = 0; p < polys.length; p++) {
        if (inPolygon(lon, lat, polys[p])) { return W.features[i].properties.code; }
      }
    }
    return null;
  };
  G.metres = function (lat1, lon1, lat2, lon2) {
    var k = Math.PI / 180, x = (lon2 - lon1) * k * Math.cos((lat1 + lat2) / 2 * k), y = (lat2 - lat1) * k;
    return 6371000 * Math.sqrt(x * x + y * y);
  };

  G.baseMap = function (div) {
    var map = L.map(div, {gestureHandling: true, zoomSnap: 0.25, attributionControl: true, keyboard: true});
    div.geoMap = map;  // for the page's "open full screen" link, which carries the view (docs/javascripts/share.js)
    L.tileLayer(G.TILES, {maxZoom: 19, attribution: '© <a href="https://www.openstreetmap.org/copyright">' +
      'OpenStreetMap</a> contributors'}).addTo(map);
    map.attributionControl.addAttribution(G.esc(D.field.attribution));
    L.control.scale({imperial: false}).addTo(map);
    return map;
  };
  G.outlines = function (map, chosen, onPick) {
    var F = D.field;
    return L.geoJSON(D.wards, {
      style: function (f) {
        if (chosen) { return f.properties.code === chosen ? {color: '#000', weight: 3, fillOpacity: 0}
                                                          : {color: '#666', weight: 1, fillOpacity: 0}; }
        return {color: '#333', weight: 1.5, fillColor: '#9ecae1', fillOpacity: 0.35};
      },
      interactive: !chosen,
      onEachFeature: function (f, layer) {
        var name = F.wards[f.properties.code] ? F.wards[f.properties.code].name : '';
        layer.bindTooltip(G.esc(name), chosen ? {} : {direction: 'center', className: 'ward-label'});
        if (onPick) { layer.on('click', function () { onPick(f.properties.code, null); }); }
      }
    }).addTo(map);
  };
})(window.geoField = window.geoField || {});
