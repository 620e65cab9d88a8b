/* geoField main: each map is drawn in a task of its own, after the one that evaluated the scripts, so that no single
   task keeps a slow phone's main thread busy for long. */
(function (G) {
  'use strict';
  document.querySelectorAll('.field').forEach(function (box) {
    var mode = box.getAttribute('data-mode'), root = box.getAttribute('data-root') || '';
    setTimeout(function () {
      if (mode === 'home' || mode === 'index') { G.drawFinder(box, root); }
      else if (mode === 'ward') { G.drawWard(box, root, box.getAttribute('data-ward')); }
      else if (mode === 'choropleth') { G.drawChoropleth(box, box.getAttribute('data-map')); }
      else if (mode === 'hotspots') { G.drawHotspots(box); }
    }, 0);
  });
})(window.geoField);
