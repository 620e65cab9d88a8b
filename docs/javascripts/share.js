/* Share and embed a map (geo/render/markup.py's iframe): the "full screen" link opens the map at the view the
   reader has moved it to, and the embed code names the map by its full address. */
(function () {
  function setup() {
    document.querySelectorAll('.map-embed iframe').forEach(function (frame) {
      var links = frame.parentNode.nextElementSibling;
      var open = links && links.querySelector('a[href="' + frame.getAttribute('src') + '"]');
      if (open) {
        open.addEventListener('click', function () {
          try {
            open.href = frame.contentWindow.location.href;
          } catch (e) {
            /* another origin: keep the plain link */
          }
        });
      }
    });
    document.querySelectorAll('.field').forEach(function (block) {
      var div = block.querySelector('.field-map'), links = block.nextElementSibling;
      var open = links && links.classList.contains('map-links') && links.querySelector('a');
      if (!div || !open) return;
      open.addEventListener('click', function () {
        var map = div.geoMap;
        if (!map || !window.geoViewHash) return;  /* both come with the page's map script (field.js) */
        open.href = open.getAttribute('href').split('#')[0] + window.geoViewHash(map);
      });
    });
    document.querySelectorAll('code.embed-code').forEach(function (code) {
      var src = new URL(code.getAttribute('data-src'), window.location.href).href;
      code.textContent = code.textContent.replace(code.getAttribute('data-src'), src);
    });
  }
  /* Material's pages announce each page on document$; with another engine (Zensical), or once the page has
     loaded (these scripts load after it), set up at once */
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setup);
  } else {
    setup();
  }
})();
