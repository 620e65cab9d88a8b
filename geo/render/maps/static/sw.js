/* The site's service worker: pages seen online open again offline, with their maps (no background tiles).

   One cache per build, named by the build's fingerprint. Pages and unversioned files come from the network
   first (falling back to the cache after a few seconds or offline); files whose address carries the build's
   fingerprint (?v=…) or a content hash never change, so they come from the cache first. A new build's worker
   waits until no tab uses the old one, so a phone never mixes two builds' files; when it installs it stores the
   kept ward pages afresh, and when it takes over it deletes the old build's cache. */
'use strict';
var VERSION = '__GEO_FINGERPRINT__';
var CACHE = 'geo-' + VERSION;
var KEPT = 'geo-kept';            // the list of pages kept offline (survives new builds)
var SHELL = __SHELL__;            // site paths stored at install
var WAIT_MS = 3500;

function scoped(path) { return new URL(path, self.registration.scope).href; }

function assetsOf(html, base) {
  // every script and stylesheet a page loads, so that a kept page has all it needs
  var out = [], re = /<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/g, m;
  while ((m = re.exec(html))) {
    var url = new URL(m[1].replace(/&amp;/g, '&'), base);
    if (url.origin === self.location.origin && !/\.(?:png|ico|xml|webmanifest)$/.test(url.pathname)) {
      out.push(url.href);
    }
  }
  return out;
}

function storePage(cache, url) {
  return fetch(url, {cache: 'no-cache'}).then(function (res) {
    if (!res.ok) { throw new Error(res.status); }
    return res.clone().text().then(function (text) {
      var files = assetsOf(text, url);
      return cache.put(url, res).then(function () {
        return Promise.all(files.map(function (f) {
          return cache.match(f).then(function (hit) { return hit || cache.add(f); });
        }));
      }).then(function () { return files.length; });
    });
  });
}

function keptList() {
  return caches.open(KEPT).then(function (c) { return c.match(scoped('kept.json')); })
    .then(function (r) { return r ? r.json() : []; });
}
function saveKept(list) {
  return caches.open(KEPT).then(function (c) {
    return c.put(scoped('kept.json'), new Response(JSON.stringify(list), {headers: {'Content-Type': 'application/json'}}));
  });
}

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL.map(scoped)).then(keptList).then(function (list) {
      return Promise.all(list.map(function (url) { return storePage(cache, url).catch(function () {}); }));
    });
  }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf('geo-') === 0 && n !== CACHE && n !== KEPT; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function immutable(url) {
  return url.searchParams.has('v') || /\/assets\/(?:javascripts|stylesheets)\/.+\.[0-9a-f]{8}\.min\.(?:js|css)$/.test(url.pathname);
}

function fromCache(request) {
  return caches.open(CACHE).then(function (c) { return c.match(request, {ignoreVary: true}); });
}

function networkFirst(request) {
  var network = fetch(request).then(function (res) {
    if (res.ok) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { return c.put(request, copy); });
    }
    return res;
  });
  var timer = new Promise(function (resolve) { setTimeout(resolve, WAIT_MS); }).then(function () {
    return fromCache(request).then(function (hit) { return hit || network; });
  });
  return Promise.race([network, timer]).catch(function () {
    return fromCache(request).then(function (hit) {
      if (hit) { return hit; }
      if (request.mode === 'navigate') {
        return new Response('<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" ' +
          'content="width=device-width"><title>Offline</title><h1>You are offline</h1><p>This page was not ' +
          'opened or kept on this device while there was a signal. <a href="' + self.registration.scope +
          'index.html">The home page</a> and the ward pages you opened or kept are available.</p></html>',
          {status: 503, headers: {'Content-Type': 'text/html; charset=utf-8'}});
      }
      return Response.error();
    });
  });
}

function cacheFirst(request) {
  return fromCache(request).then(function (hit) {
    return hit || fetch(request).then(function (res) {
      if (res.ok) { var copy = res.clone(); caches.open(CACHE).then(function (c) { return c.put(request, copy); }); }
      return res;
    });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) { return; }  // tiles: the network alone
  event.respondWith(immutable(url) ? cacheFirst(request) : networkFirst(request));
});

self.addEventListener('message', function (event) {
  var msg = event.data || {}, port = event.ports[0], reply = function (r) { if (port) { port.postMessage(r); } };
  var url = msg.url && new URL(msg.url, self.registration.scope).href;
  if (!url || new URL(url).origin !== self.location.origin) { reply({ok: false}); return; }
  if (msg.type === 'cache') {
    event.waitUntil(caches.open(CACHE).then(function (c) { return storePage(c, url); })
      .then(function (n) { reply({ok: true, files: n}); }, function () { reply({ok: false}); }));
  } else if (msg.type === 'keep') {
    event.waitUntil(caches.open(CACHE).then(function (c) { return storePage(c, url); }).then(function (n) {
      return keptList().then(function (list) {
        if (list.indexOf(url) < 0) { list.push(url); }
        return saveKept(list);
      }).then(function () { reply({ok: true, files: n}); });
    }).catch(function () { reply({ok: false}); }));
  } else if (msg.type === 'forget') {
    event.waitUntil(keptList().then(function (list) {
      return saveKept(list.filter(function (u) { return u !== url; }));
    }).then(function () { reply({ok: true}); }));
  } else if (msg.type === 'is-kept') {
    event.waitUntil(keptList().then(function (list) { reply({ok: true, kept: list.indexOf(url) >= 0}); }));
  } else {
    reply({ok: false});
  }
});
