/* A standalone map's view in its address (geo/render/maps/base.py calls geoView for every map page).
   The page's path names the map (its indicator and vintage) and its query the ward; the hash adds the view,
   #zoom/latitude/longitude, so a link opens the same view. Opened on its own, each move adds a history entry
   and Back and Forward step through the views; inside another page (an iframe) it only replaces its own
   address, so the reader's Back button still leaves the page. The in-page maps carry this file in field.js, so
   their "open full screen" link writes the same address (docs/javascripts/share.js). */
window.geoViewHash = function (map) {
  var c = map.getCenter();
  return '#' + Math.round(map.getZoom() * 100) / 100 + '/' + c.lat.toFixed(5) + '/' + c.lng.toFixed(5);
};

window.geoView = function (map) {
  var alone = window.top === window;
  var VIEW = /^#(\d{1,2}(?:\.\d+)?)\/(-?\d{1,2}\.\d+)\/(-?\d{1,3}\.\d+)$/;
  var applying = false;
  window.geoViewMap = map;

  function apply() {
    var m = VIEW.exec(window.location.hash);
    if (!m) return;
    applying = true;
    map.setView([+m[2], +m[3]], +m[1], { animate: false });
    applying = false;
  }
  apply();
  map.on('moveend', function () {
    if (applying) return;
    var hash = window.geoViewHash(map);
    if (hash === window.location.hash) return;
    if (alone) history.pushState(null, '', hash);
    else history.replaceState(null, '', hash);
  });
  window.addEventListener('popstate', apply);
};
