/* Accessibility fixes for the Material theme, found by the axe-core audit in tests/test_browser.py:
   - the search overlay is a dialog with no name;
   - wide tables scroll sideways inside a box that keyboard users could not focus. */
(function () {
  function fix() {
    document.querySelectorAll('.md-search[role="dialog"]').forEach(function (el) {
      el.setAttribute('aria-label', 'Search this site');
    });
    document.querySelectorAll('.md-typeset__scrollwrap, .md-typeset table').forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '0');
        if (el.tagName !== 'TABLE') { el.setAttribute('role', 'region'); }
        el.setAttribute('aria-label', 'Table: scroll sideways to see every column');
      }
    });
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(fix);
  } else {
    window.addEventListener('load', fix);
  }
})();
