/* geoField maps: a ward's map (its outline, hot cells and records), a hotspot page's map and a choropleth. */
(function (G) {
  'use strict';
  var D = G.data;

  G.drawWard = function (box, root, code) {
    var map = G.baseMap(box.querySelector('.field-map'));
    var all = G.outlines(map, code, null), chosen = null;
    all.eachLayer(function (l) { if (l.feature.properties.code === code) { chosen = l; } });
    map.fitBounds((chosen || all).getBounds(), {padding: [12, 12]});
    setTimeout(function () { layers(box, map, chosen); }, 0);
  };

  // a hotspot page: every ward's outline (no fill, so the cells read clearly) under one indicator's cells
  G.drawHotspots = function (box) {
    var map = G.baseMap(box.querySelector('.field-map'));
    var all = L.geoJSON(D.wards, {style: {color: '#333', weight: 1.5, fill: false}, interactive: false}).addTo(map);
    map.fitBounds(all.getBounds());
    setTimeout(function () { layers(box, map, all); }, 0);
  };

  function layers(box, map, chosen) {
    var data = D.ward, overlays = {}, first = true, minZoom = D.field.recordsMinZoom;
    if (!data) { return; }
    // each layer is made when it is first shown, so that the page's first map costs little on a slow phone
    function lazy(make) {
      var group = L.layerGroup(), made = false;
      group.on('add', function () { if (!made) { made = true; make(group); } });
      return group;
    }
    data.layers.forEach(function (d) {
      var cells = lazy(function (g) {
        L.geoJSON(d.cells, {
          style: function (f) { return {fillColor: f.properties.fill, fillOpacity: 0.6, color: '#555', weight: 0.5}; },
          onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.tip); }
        }).addTo(g);
      });
      overlays[d.title + ' hotspots'] = cells;
      cells.on('add', function () { if (chosen) { chosen.bringToFront(); } });  // the ward's outline stays on top
      if (first) { cells.addTo(map); first = false; }
      var dots = lazy(function (g) {
        d.points.forEach(function (p) {
          L.circleMarker([p[0], p[1]], {radius: 5, color: '#fff', weight: 1.5, fillColor: '#222', fillOpacity: 1})
            .bindTooltip(d.title + ': ' + p[3] + ', ' + p[2] + (p[2] === 1 ? ' record' : ' records')).addTo(g);
        });
      });
      overlays[d.title + ' records (zoom ' + minZoom + '+)'] = dots;
      map.on('overlayadd', function (e) {
        if (e.layer === dots && map.getZoom() < minZoom) { map.setZoom(minZoom); }
      });
    });
    L.control.layers(null, overlays, {collapsed: true}).addTo(map);
    if (G.keepControl) { G.keepControl(box); }
  }

  G.drawChoropleth = function (box, id) {
    var spec = (D.maps || {})[id];
    var map = G.baseMap(box.querySelector('.field-map'));
    if (!spec) { return; }
    var current = 0;
    var layer = L.geoJSON(D.wards, {
      style: function (f) {
        return {fillColor: spec.layers[current].fill[f.properties.code] || '#ccc', fillOpacity: 0.8,
                color: '#333', weight: 1};
      },
      onEachFeature: function (f, l) {
        var rows = spec.tips[f.properties.code] || [];
        l.bindTooltip('<table>' + rows.map(function (r) {
          return '<tr><th>' + G.esc(r[0]) + '</th><td>' + G.esc(r[1]) + '</td></tr>';
        }).join('') + '</table>', {sticky: false});
        l.on('mouseover', function () { l.setStyle({weight: 3, color: '#000'}); });
        l.on('mouseout', function () { layer.resetStyle(l); });
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    var legend = box.parentNode.querySelector('.field-legend[data-map="' + id + '"]');
    function paint(i) {
      current = i;
      layer.setStyle(layer.options.style);
      if (legend) {
        legend.querySelectorAll('[data-layer]').forEach(function (b) { b.hidden = b.getAttribute('data-layer') !== String(i); });
      }
    }
    box.parentNode.querySelectorAll('input[name="field-measure-' + id + '"]').forEach(function (r) {
      r.addEventListener('change', function () { if (r.checked) { paint(Number(r.value)); } });
    });
  };
})(window.geoField);
