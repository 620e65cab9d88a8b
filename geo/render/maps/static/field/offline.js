/* geoField offline: "Keep this ward offline" asks the service worker to store the page and every file it needs. */
(function (G) {
  'use strict';

  G.keepControl = function (box) {
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
  };
})(window.geoField);
