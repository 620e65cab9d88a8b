/* geoField locate: "Which ward am I in?" asks the browser for its position and finds the ward in the page from the
   ward outlines it already has: no server and no outside service sees the position. */
(function (G) {
  'use strict';
  var D = G.data;

  G.locate = function (box, map, layer, marks, show) {
    var F = D.field, result = box.querySelector('.field-result'), button = box.querySelector('.field-locate');
    button.addEventListener('click', function () {
      if (!navigator.geolocation) { G.say(result, 'This browser cannot share its position. Search by ward or street instead.', 'field-warn'); return; }
      G.say(result, 'Finding your position…');
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        button.disabled = false;
        var lat = pos.coords.latitude, lon = pos.coords.longitude, acc = pos.coords.accuracy || 0;
        marks.clearLayers();
        L.circle([lat, lon], {radius: acc, color: '#1f78b4', weight: 1, fillOpacity: 0.1, interactive: false}).addTo(marks);
        L.circleMarker([lat, lon], {radius: 7, color: '#fff', weight: 2, fillColor: '#1f78b4', fillOpacity: 1,
                                    interactive: false}).addTo(marks);
        var code = G.wardAt(lat, lon);
        if (!code) {
          map.fitBounds(layer.getBounds().extend([lat, lon]));
          G.say(result, 'You appear to be outside ' + F.district + ': this site covers only its ' +
                Object.keys(F.wards).length + ' wards. Search by ward or street instead.', 'field-warn');
          return;
        }
        map.setView([lat, lon], Math.max(map.getZoom(), 14));
        if (acc > G.COARSE_M) {
          show(code, [lat, lon], 'Position too coarse (within about ' + Math.round(acc) + ' m): perhaps ');
          result.insertBefore(G.el('p', {'class': 'field-message field-warn'},
            'Your position is only known to within about ' + Math.round(acc).toLocaleString('en-GB') +
            ' m, which cannot tell neighbouring wards apart. Its centre is in the ward below; check the map or ' +
            'search by street.'), result.firstChild);
          return;
        }
        show(code, [lat, lon], 'You are in ');
      }, function (err) {
        button.disabled = false;
        var why = {1: 'You have not allowed this site to know your position. Allow location for this site in the ' +
                      'browser settings, or search by ward or street instead.',
                   2: 'Your position is not available right now (no GPS or network fix). Try again outside, or ' +
                      'search by ward or street.',
                   3: 'Finding your position took too long. Try again, or search by ward or street.'};
        G.say(result, why[err.code] || 'Your position could not be found.', 'field-warn');
      }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
    });
  };
})(window.geoField);
