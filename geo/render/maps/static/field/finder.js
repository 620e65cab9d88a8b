/* geoField finder: the front door's map of the wards, the panel that describes one ward, and the ward search
   (ward names at once, street names once the larger street list has loaded). */
(function (G) {
  'use strict';
  var D = G.data;

  function titleOf(id) {
    var P = D.field.priorities;
    for (var i = 0; i < P.length; i++) { if (P[i].id === id) { return P[i].title; } }
    return id;
  }
  function nearestHot(lat, lon, n) {
    return D.finder.hot.map(function (h) { return {h: h, d: G.metres(lat, lon, h[0], h[1])}; })
      .filter(function (x) { return x.d <= G.NEAR_M; })
      .sort(function (a, b) { return a.d - b.d; }).slice(0, n);
  }

  G.wardPanel = function (root, code, lead, point) {
    var F = D.field, el = G.el, w = F.wards[code], box = el('div', {'class': 'field-panel'});
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
      var f = (D.finder.figures[code] || {})[p.id]; if (!f) { return; }
      var tr = el('tr');
      tr.appendChild(el('th', {scope: 'row'}, p.title));
      tr.appendChild(el('td', {'class': 'num'}, f[0] === null ? '–' : f[0].toLocaleString('en-GB')));
      tr.appendChild(el('td', {'class': 'num'}, f[1] + ' (' + f[2] + ')'));
      tr.appendChild(el('td', {}, F.words[f[3]] || f[3]));
      t.appendChild(tr);
    });
    box.appendChild(t);
    var then = F.related && F.related.wards[code];
    if (then) {  /* the same ground in the site's other vintage: the assessment's wards, or today's */
      var rp = el('p', {'class': 'field-related'}, 'The same area in ' + F.related.label + ': ');
      then.forEach(function (r, i) {
        if (i) { rp.appendChild(document.createTextNode(', ')); }
        rp.appendChild(el('a', {href: root + r[1]}, r[0] + ' ward'));
      });
      box.appendChild(rp);
    }
    if (point) {
      var near = nearestHot(point[0], point[1], 3);
      box.appendChild(el('h3', {}, 'Significant hot spots near you'));
      if (!near.length) {
        box.appendChild(el('p', {}, 'No significant hot cell within ' + (G.NEAR_M / 1000) + ' km.'));
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
  };

  G.drawFinder = function (box, root) {
    var map = G.baseMap(box.querySelector('.field-map'));
    var result = box.querySelector('.field-result'), marks = L.layerGroup().addTo(map), picked = null;
    var layer = G.outlines(map, null, show);
    map.fitBounds(layer.getBounds());
    function show(code, point, lead) {
      if (picked) { layer.resetStyle(picked); }
      layer.eachLayer(function (l) {
        if (l.feature.properties.code === code) { picked = l; l.setStyle({fillColor: '#fdae61', fillOpacity: 0.5, weight: 3}); }
      });
      result.textContent = '';
      result.appendChild(G.wardPanel(root, code, lead || '', point));
    }
    setTimeout(function () {
      search(box, root);
      if (G.locate) { G.locate(box, map, layer, marks, show); }
    }, 0);
  };

  function search(box, root) {
    var F = D.field, el = G.el, result = box.querySelector('.field-result');
    var form = box.querySelector('.field-search'), input = box.querySelector('#field-q');
    var list = box.querySelector('#field-options'), streets = null, loading = false;
    function loadStreets() {
      if (streets || loading) { return; }
      loading = true;
      var s = document.createElement('script');
      s.src = box.getAttribute('data-streets');
      s.onload = function () { streets = D.streets || []; fill(); };
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
      if (!q) { G.say(result, 'Type a ward name or a street name.'); return; }
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
        G.say(result, streets ? 'No ward or street of that name in ' + F.district + '.'
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
  }
})(window.geoField);
