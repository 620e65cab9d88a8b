/* The site's in-page maps, "Which ward am I in?" and the ward search (geo/field.py writes the data).
   Everything runs in the page: the ward polygons are in WARDS, so finding a ward needs no server and no outside
   service. Data text is escaped here wherever it goes into HTML. */
(function () {
  'use strict';
  var F = window.FIELD, W = window.WARDS;
  var COARSE_M = 500;        // a position less certain than this cannot tell neighbouring wards apart
  var NEAR_M = 1500;         // hot cells further away than this are not "nearby"
  var TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  /* --- geometry: which ward holds a point (ray casting over each polygon, holes included) --- */
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
  function wardAt(lat, lon) {
    for (var i = 0; i < W.features.length; i++) {
      var g = W.features[i].geometry;
      var polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      for (var p = 0; p < polys.length; p++) {
        if (inPolygon(lon, lat, polys[p])) { return W.features[i].properties.code; }
      }
    }
    return null;
  }
  function metres(lat1, lon1, lat2, lon2) {
    var k = Math.PI / 180, x = (lon2 - lon1) * k * Math.cos((lat1 + lat2) / 2 * k), y = (lat2 - lat1) * k;
    return 6371000 * Math.sqrt(x * x + y * y);
  }
  function nearestHot(lat, lon, n) {
    return window.FINDER.hot.map(function (h) { return {h: h, d: metres(lat, lon, h[0], h[1])}; })
      .filter(function (x) { return x.d <= NEAR_M; })
      .sort(function (a, b) { return a.d - b.d; }).slice(0, n);
  }

  /* --- the panel that describes one ward --- */
  var WORDS = {higher: '▲ significantly higher', lower: '▼ significantly lower',
               similar: '● not significantly different', suppressed: '– suppressed', unknown: '–'};
  function titleOf(id) {
    for (var i = 0; i < F.priorities.length; i++) { if (F.priorities[i].id === id) { return F.priorities[i].title; } }
    return id;
  }
  function wardPanel(root, code, lead, point) {
    var w = F.wards[code], box = el('div', {'class': 'field-panel'});
    var h = el('h2', {'class': 'field-panel-title'}), a = el('a', {href: root + w.href}, w.name + ' ward');
    h.appendChild(document.createTextNode(lead)); h.appendChild(a); box.appendChild(h);
    var t = el('table', {'class': 'field-figures'});
    t.appendChild(el('caption', {}, F.period + ', police.uk records'));
    var head = el('tr');
    ['Priority', 'Records', 'Per 1,000 (95% CI)', 'Compared with ' + F.area].forEach(function (c) {
      head.appendChild(el('th', {scope: 'col'}, c));
    });
    t.appendChild(head);
    F.priorities.forEach(function (p) {
      var f = (window.FINDER.figures[code] || {})[p.id]; if (!f) { return; }
      var tr = el('tr');
      tr.appendChild(el('th', {scope: 'row'}, p.title));
      tr.appendChild(el('td', {'class': 'num'}, f[0] === null ? '–' : f[0].toLocaleString('en-GB')));
      tr.appendChild(el('td', {'class': 'num'}, f[1] + ' (' + f[2] + ')'));
      tr.appendChild(el('td', {}, WORDS[f[3]] || f[3]));
      t.appendChild(tr);
    });
    box.appendChild(t);
    if (point) {
      var near = nearestHot(point[0], point[1], 3);
      box.appendChild(el('h3', {}, 'Significant hot spots near you'));
      if (!near.length) {
        box.appendChild(el('p', {}, 'No significant hot cell within ' + (NEAR_M / 1000) + ' km.'));
      } else {
        var ul = el('ul', {'class': 'field-near'});
        near.forEach(function (x) {
          var hh = x.h, li = el('li');
          li.textContent = titleOf(hh[2]) + ' hot spot (' + hh[3].replace('Hot ', '') + ' confidence), about ' +
            (Math.round(x.d / 10) * 10) + ' m away: ' + hh[6] + ' records, most at ' + hh[5] + '.';
          ul.appendChild(li);
        });
        box.appendChild(ul);
      }
    }
    var go = el('p'); go.appendChild(el('a', {href: root + w.href, 'class': 'md-button md-button--primary'},
                                          'Open the ' + w.name + ' ward page'));
    box.appendChild(go);
    return box;
  }
  function say(result, text, cls) {
    result.textContent = '';
    var p = el('p', {'class': 'field-message ' + (cls || '')}, text);
    result.appendChild(p);
    return p;
  }

  /* --- the map --- */
  function baseMap(div) {
    var map = L.map(div, {gestureHandling: true, zoomSnap: 0.25, attributionControl: true, keyboard: true});
    L.tileLayer(TILES, {maxZoom: 19, attribution: '© <a href="https://www.openstreetmap.org/copyright">' +
      'OpenStreetMap</a> contributors'}).addTo(map);
    map.attributionControl.addAttribution('Contains OS and ONS data © Crown copyright 2013');
    L.control.scale({imperial: false}).addTo(map);
    return map;
  }
  function outlines(map, chosen, onPick) {
    return L.geoJSON(W, {
      style: function (f) {
        if (chosen) { return f.properties.code === chosen ? {color: '#000', weight: 3, fillOpacity: 0}
                                                          : {color: '#666', weight: 1, fillOpacity: 0}; }
        return {color: '#333', weight: 1.5, fillColor: '#9ecae1', fillOpacity: 0.35};
      },
      interactive: !chosen,
      onEachFeature: function (f, layer) {
        var name = F.wards[f.properties.code] ? F.wards[f.properties.code].name : '';
        layer.bindTooltip(esc(name), chosen ? {} : {direction: 'center', className: 'ward-label'});
        if (onPick) { layer.on('click', function () { onPick(f.properties.code, null); }); }
      }
    }).addTo(map);
  }

  function drawFinder(box, root) {
    var map = baseMap(box.querySelector('.field-map'));
    var result = box.querySelector('.field-result'), marks = L.layerGroup().addTo(map), picked = null;
    var layer = outlines(map, null, show);
    map.fitBounds(layer.getBounds());
    function show(code, point, lead) {
      if (picked) { layer.resetStyle(picked); }
      layer.eachLayer(function (l) {
        if (l.feature.properties.code === code) { picked = l; l.setStyle({fillColor: '#fdae61', fillOpacity: 0.5, weight: 3}); }
      });
      result.textContent = '';
      result.appendChild(wardPanel(root, code, lead || '', point));
    }
    setTimeout(function () { finderControls(box, root, map, layer, marks, show); }, 0);
  }

  function finderControls(box, root, map, layer, marks, show) {
    var result = box.querySelector('.field-result');
    // the ward search: ward names at once, street names once the (larger) street list has loaded
    var form = box.querySelector('.field-search'), input = box.querySelector('#field-q');
    var list = box.querySelector('#field-options'), streets = null, loading = false;
    function loadStreets() {
      if (streets || loading) { return; }
      loading = true;
      var s = document.createElement('script');
      s.src = box.getAttribute('data-streets');
      s.onload = function () { streets = window.STREETS || []; fill(); };
      s.onerror = function () { loading = false; };
      document.head.appendChild(s);
    }
    function fill() {
      list.textContent = '';
      Object.keys(F.wards).map(function (c) { return F.wards[c].name; }).sort().forEach(function (n) {
        list.appendChild(el('option', {value: n}));
      });
      (streets || []).forEach(function (s) { list.appendChild(el('option', {value: s[0]})); });
    }
    fill();
    input.addEventListener('focus', loadStreets);
    input.addEventListener('input', loadStreets);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var q = input.value.trim().toLowerCase().replace(/^on or near\s+/, '');
      if (!q) { say(result, 'Type a ward name or a street name.'); return; }
      var wardHits = Object.keys(F.wards).filter(function (c) { return F.wards[c].name.toLowerCase().indexOf(q) >= 0; });
      var exact = wardHits.filter(function (c) { return F.wards[c].name.toLowerCase() === q; });
      if (exact.length === 1) { window.location.href = root + F.wards[exact[0]].href; return; }
      var streetHits = (streets || []).filter(function (s) { return s[0].toLowerCase().indexOf(q) >= 0; });
      var exactStreet = streetHits.filter(function (s) { return s[0].toLowerCase() === q; });
      if (!wardHits.length && exactStreet.length === 1 && exactStreet[0][1].length === 1) {
        window.location.href = root + F.wards[exactStreet[0][1][0]].href; return;
      }
      result.textContent = '';
      if (!wardHits.length && !streetHits.length) {
        say(result, streets ? 'No ward or street of that name in ' + F.district + '.'
                            : 'No ward of that name; the street list has not loaded yet, so try again in a moment.');
        return;
      }
      result.appendChild(el('p', {'class': 'field-message'}, 'Matches for “' + input.value.trim() + '”:'));
      var ul = el('ul', {'class': 'field-matches'});
      wardHits.slice(0, 10).forEach(function (c) {
        var li = el('li'); li.appendChild(el('a', {href: root + F.wards[c].href}, F.wards[c].name + ' ward'));
        ul.appendChild(li);
      });
      streetHits.slice(0, 15).forEach(function (s) {
        var li = el('li'); li.appendChild(document.createTextNode(s[0] + ': '));
        s[1].forEach(function (c, i) {
          if (i) { li.appendChild(document.createTextNode(', ')); }
          li.appendChild(el('a', {href: root + F.wards[c].href}, F.wards[c].name + ' ward'));
        });
        ul.appendChild(li);
      });
      result.appendChild(ul);
    });
    // "Which ward am I in?"
    var locate = box.querySelector('.field-locate');
    locate.addEventListener('click', function () {
      if (!navigator.geolocation) { say(result, 'This browser cannot share its position. Search by ward or street instead.', 'field-warn'); return; }
      say(result, 'Finding your position…');
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        locate.disabled = false;
        var lat = pos.coords.latitude, lon = pos.coords.longitude, acc = pos.coords.accuracy || 0;
        marks.clearLayers();
        L.circle([lat, lon], {radius: acc, color: '#1f78b4', weight: 1, fillOpacity: 0.1, interactive: false}).addTo(marks);
        L.circleMarker([lat, lon], {radius: 7, color: '#fff', weight: 2, fillColor: '#1f78b4', fillOpacity: 1,
                                    interactive: false}).addTo(marks);
        var code = wardAt(lat, lon);
        if (!code) {
          map.fitBounds(layer.getBounds().extend([lat, lon]));
          say(result, 'You appear to be outside ' + F.district + ': this site covers only its ' +
              Object.keys(F.wards).length + ' wards. Search by ward or street instead.', 'field-warn');
          return;
        }
        map.setView([lat, lon], Math.max(map.getZoom(), 14));
        if (acc > COARSE_M) {
          show(code, [lat, lon], 'Position too coarse (within about ' + Math.round(acc) + ' m): perhaps ');
          result.insertBefore(el('p', {'class': 'field-message field-warn'},
            'Your position is only known to within about ' + Math.round(acc).toLocaleString('en-GB') +
            ' m, which cannot tell neighbouring wards apart. Its centre is in the ward below; check the map or ' +
            'search by street.'), result.firstChild);
          return;
        }
        show(code, [lat, lon], 'You are in ');
      }, function (err) {
        locate.disabled = false;
        var why = {1: 'You have not allowed this site to know your position. Allow location for this site in the ' +
                      'browser settings, or search by ward or street instead.',
                   2: 'Your position is not available right now (no GPS or network fix). Try again outside, or ' +
                      'search by ward or street.',
                   3: 'Finding your position took too long. Try again, or search by ward or street.'};
        say(result, why[err.code] || 'Your position could not be found.', 'field-warn');
      }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
    });
  }

  function drawWard(box, root, code) {
    var map = baseMap(box.querySelector('.field-map'));
    var all = outlines(map, code, null), chosen = null;
    all.eachLayer(function (l) { if (l.feature.properties.code === code) { chosen = l; } });
    map.fitBounds((chosen || all).getBounds(), {padding: [12, 12]});
    setTimeout(function () { wardLayers(box, map, chosen); }, 0);
  }

  // a hotspot page: every ward's outline (no fill, so the cells read clearly) under one indicator's cells
  function drawHotspots(box) {
    var map = baseMap(box.querySelector('.field-map'));
    var all = L.geoJSON(W, {style: {color: '#333', weight: 1.5, fill: false}, interactive: false}).addTo(map);
    map.fitBounds(all.getBounds());
    setTimeout(function () { wardLayers(box, map, all); }, 0);
  }

  function wardLayers(box, map, chosen) {
    var data = window.WARD_DATA, overlays = {}, first = true;
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
      overlays[d.title + ' records (zoom ' + F.recordsMinZoom + '+)'] = dots;
      map.on('overlayadd', function (e) {
        if (e.layer === dots && map.getZoom() < F.recordsMinZoom) { map.setZoom(F.recordsMinZoom); }
      });
    });
    L.control.layers(null, overlays, {collapsed: true}).addTo(map);
    keepControl(box);
  }

  function drawChoropleth(box, id) {
    var spec = (window.FIELD_MAPS || {})[id];
    var map = baseMap(box.querySelector('.field-map'));
    if (!spec) { return; }
    var current = 0;
    var layer = L.geoJSON(W, {
      style: function (f) {
        return {fillColor: spec.layers[current].fill[f.properties.code] || '#ccc', fillOpacity: 0.8,
                color: '#333', weight: 1};
      },
      onEachFeature: function (f, l) {
        var rows = spec.tips[f.properties.code] || [];
        l.bindTooltip('<table>' + rows.map(function (r) {
          return '<tr><th>' + esc(r[0]) + '</th><td>' + esc(r[1]) + '</td></tr>';
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
  }

  /* --- "Keep this ward offline": the service worker stores the page and every file it needs --- */
  function keepControl(box) {
    var button = box.parentNode.querySelector('.field-keep'), status = box.parentNode.querySelector('.field-keep-status');
    if (!button) { return; }
    if (!('serviceWorker' in navigator) || !('caches' in window)) {
      status.textContent = 'This browser cannot keep pages for offline use.';
      return;
    }
    var page = location.href.split('#')[0];
    function ask(msg) {
      return navigator.serviceWorker.ready.then(function (reg) {
        return new Promise(function (resolve, reject) {
          var ch = new MessageChannel();
          ch.port1.onmessage = function (e) { (e.data && e.data.ok ? resolve : reject)(e.data); };
          reg.active.postMessage(msg, [ch.port2]);
        });
      });
    }
    function state(kept, files) {
      button.setAttribute('aria-pressed', kept ? 'true' : 'false');
      button.textContent = kept ? 'Kept offline (tap to stop keeping)' : 'Keep this ward offline';
      if (files !== undefined) {
        status.textContent = kept ? 'Kept on this device: this page and the ' + files +
          ' files it needs open without a signal.' : 'No longer kept; it may still open offline until the next update.';
      }
    }
    ask({type: 'is-kept', url: page}).then(function (r) { state(r.kept); button.disabled = false; })
      .catch(function () { status.textContent = 'Offline keeping is not ready yet.'; });
    button.addEventListener('click', function () {
      var keep = button.getAttribute('aria-pressed') !== 'true';
      button.disabled = true;
      status.textContent = keep ? 'Storing…' : '';
      ask({type: keep ? 'keep' : 'forget', url: page}).then(function (r) { state(keep, r.files); })
        .catch(function () { status.textContent = 'Could not store the page: is there a signal?'; })
        .then(function () { button.disabled = false; });
    });
  }

  // each map is drawn in a task of its own, after the one that evaluated this script, so that no single task
  // keeps a slow phone's main thread busy for long
  document.querySelectorAll('.field').forEach(function (box) {
    var mode = box.getAttribute('data-mode'), root = box.getAttribute('data-root') || '';
    setTimeout(function () {
      if (mode === 'home' || mode === 'index') { drawFinder(box, root); }
      else if (mode === 'ward') { drawWard(box, root, box.getAttribute('data-ward')); }
      else if (mode === 'choropleth') { drawChoropleth(box, box.getAttribute('data-map')); }
      else if (mode === 'hotspots') { drawHotspots(box); }
    }, 0);
  });
  window.geoField = {wardAt: wardAt};  // for the browser tests and the curious
})();
