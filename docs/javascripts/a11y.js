/* Accessibility fixes for the Material theme, found by the axe-core audit in tests/test_browser.py:
   - the search overlay is a dialog with no name;
   - wide tables scroll sideways inside a box that keyboard users could not focus. */
(function () {
  function fix() {
    document.querySelectorAll('.md-search[role="dialog"]').forEach(function (el) {
      el.setAttribute('aria-label', 'Search this site');
    });
    // measure every box first, then mark the ones that scroll: one layout, not one per table
    var boxes = Array.prototype.slice.call(document.querySelectorAll('.md-typeset__scrollwrap, .md-typeset table'));
    var wide = boxes.filter(function (el) {
      return el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute('tabindex');
    });
    wide.forEach(function (el) {
      el.setAttribute('tabindex', '0');
      if (el.tagName !== 'TABLE') { el.setAttribute('role', 'region'); }
      el.setAttribute('aria-label', 'Table: scroll sideways to see every column');
    });
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(fix);
  } else if (document.readyState !== 'complete') {
    window.addEventListener('load', fix);
  } else {  /* loaded after the page (as the site loads its scripts), under an engine without document$ */
    fix();
  }
})();
