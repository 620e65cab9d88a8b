"""Phone-profile browser figures (issue 15): first map paint, bytes per page type, time to a located ward and
time until search answers, in headless Chromium on a 390x844 screen with Lighthouse's Slow 4G (150 ms, 1.6 Mbit/s
down) and a 4x slower CPU. The site is served on loopback with gzip, as GitHub Pages serves it.

Run ``python scripts/benchmark.py --only phone`` (or import :func:`phone_figures`).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import statistics
import threading
import time
from contextlib import contextmanager
from pathlib import Path

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4
MAP_SELECTOR = ".leaflet-overlay-pane path"
PAGE_TYPES = {
    "home": "index.html",
    "ward map": "wards/index.html",
    "map": "maps/asb.html",
    "hotspot": "hotspots/asb.html",
    "ward": "wards/high-street.html",
}
TEXT_TYPES = (".html", ".js", ".css", ".json", ".svg", ".geojson", ".webmanifest", ".txt", ".xml")


@functools.lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """A file gzipped once (a static host keeps compressed copies; compressing on every request would slow the
    server, not the page)."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped for text types when the browser accepts it (as GitHub Pages does)."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.is_file() and path.suffix in TEXT_TYPES and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


_GzipHandler.extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".webmanifest": "application/manifest+json", ".js": "text/javascript"}


@contextmanager
def gzip_server(root: Path):
    """Serve ``root`` on 127.0.0.1 with gzip; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def phone_page(browser, **context_options):
    """A new page with the phone profile: screen, Slow 4G and a 4x slower CPU. Tiles are answered blank."""
    from tests.browser import BLANK_TILE

    context = browser.new_context(**PHONE, **context_options)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    context.route(
        "**/tile.openstreetmap.org/**",
        lambda r: r.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
    )
    received = []
    page.on("response", lambda r: received.append(r))
    return page, received


PAINT_PROBE = """
(() => {
  // record when the first ward outline is added to a map in this document (the page or a map frame)
  const seen = () => document.querySelector('%s');
  const mark = () => { if (!window.__geoPaint && seen()) { window.__geoPaint = performance.timeOrigin + performance.now(); } };
  new MutationObserver(mark).observe(document, {childList: true, subtree: true});
})();
""" % MAP_SELECTOR


def first_map_paint(page, url: str, timeout_s: float = 30.0) -> float | None:
    """Seconds from the start of navigation until a ward outline is drawn in the page or any of its frames,
    measured in the page (a MutationObserver), so that measuring does not slow the throttled page down."""
    page.context.add_init_script(PAINT_PROBE)
    page.goto(url, wait_until="load", timeout=timeout_s * 1000)
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        origin = page.evaluate("performance.timeOrigin")
        times = []
        for frame in page.frames:
            try:
                t = frame.evaluate("window.__geoPaint || null")
            except Exception:  # a frame navigating away
                t = None
            if t:
                times.append(t)
        if times:
            return (min(times) - origin) / 1000
        time.sleep(0.1)
    return None


def transfer_bytes(received) -> int:
    """Bytes on the wire (gzipped where served so) of the responses a page received."""
    total = 0
    for r in received:
        try:
            size = r.request.sizes()["responseBodySize"]
        except Exception:
            size = 0
        total += max(size, 0)
    return total
