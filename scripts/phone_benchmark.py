"""Phone-profile browser figures (issue 15): first map paint, bytes per page type, time to a located ward and
time until search answers, in headless Chromium on a 390x844 screen with Lighthouse's Slow 4G (150 ms, 1.6 Mbit/s
down) and a 4x slower CPU. The site is served on loopback with gzip, as GitHub Pages serves it.

Run ``python scripts/benchmark.py --only phone`` (or import :func:`phone_figures`).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import re
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
        return io.BytesIO(body)


_GzipHandler.extensions_map = {
    **http.server.SimpleHTTPRequestHandler.extensions_map,
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript",
}


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


PAINT_PROBE = (
    "(() => {"
    "  const mark = () => {"  # the first ward outline added to a map in this document (the page or a map frame)
    f"    if (!window.__geoPaint && document.querySelector('{MAP_SELECTOR}')) {{"
    "      window.__geoPaint = performance.timeOrigin + performance.now();"
    "    }"
    "  };"
    "  new MutationObserver(mark).observe(document, {childList: true, subtree: true});"
    "})();"
)


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


def _median(values):
    ok = sorted(v for v in values if v is not None)
    return ok[len(ok) // 2] if ok else None


def page_figures(browser, url: str, runs: int = 3) -> tuple[float | None, int]:
    """Median first map paint (s) over ``runs`` cold loads, and the bytes on the wire of one load."""
    paints, sizes = [], []
    for _ in range(runs):
        page, received = phone_page(browser)
        paints.append(first_map_paint(page, url))
        page.wait_for_load_state("networkidle")
        sizes.append(transfer_bytes(received))
        page.context.close()
    return _median(paints), sizes[0]


def located_ward(browser, url: str, point: tuple[float, float]) -> float | None:
    """Seconds from pressing "Which ward am I in?" on the loaded home page until the ward is named."""
    page, _ = phone_page(
        browser, permissions=["geolocation"], geolocation={"latitude": point[0], "longitude": point[1]}
    )
    page.goto(url + "index.html", wait_until="load")
    button = page.get_by_role("button", name="Which ward am I in?")
    if not button.count():
        page.context.close()
        return None
    start = time.perf_counter()
    button.click()
    page.locator(".field-panel h2").wait_for()
    took = time.perf_counter() - start
    page.context.close()
    return took


def site_search(browser, url: str, words: str) -> float | None:
    """Seconds from opening the site's search (Material's) on a loaded page until it lists results for ``words``."""
    page, _ = phone_page(browser)
    page.goto(url + "index.html", wait_until="load")
    page.wait_for_timeout(1500)  # Material's script has started
    start = time.perf_counter()
    page.locator("label[for=__search]").first.click()
    page.locator(".md-search__input").fill(words)
    try:
        page.locator(".md-search-result__item").first.wait_for(timeout=30000)
        took = time.perf_counter() - start
    except Exception:
        took = None
    page.context.close()
    return took


def ward_search(browser, url: str, street: str) -> float | None:
    """Seconds from typing a street name into the home page's ward search until it answers: the ward page opens
    (a street in one ward) or the wards the street runs through are listed."""
    page, _ = phone_page(browser)
    page.goto(url + "index.html", wait_until="load")
    box = page.get_by_label("Find a ward by its name or a street")
    if not box.count():
        page.context.close()
        return None
    start = time.perf_counter()
    box.fill(street)
    page.wait_for_function("() => window.geoField.data.streets !== undefined")
    box.press("Enter")
    while time.perf_counter() - start < 30:  # the answer: a ward page, or a list of the street's wards
        try:
            if re.search(r"/wards/[^/]+\.html$", page.url) or page.locator(".field-matches").count():
                break
        except Exception:  # the page is navigating to the ward
            pass
        time.sleep(0.02)
    took = time.perf_counter() - start
    page.context.close()
    return took


def phone_figures(site: Path, point: tuple[float, float], street: str) -> None:
    """Print the phone-profile figures of a built site (the benchmark's "phone" section)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import ARGS, CHROMIUM

    print("\nphone profile (390x844, Slow 4G 150 ms 1.6 Mbit/s, CPU 4x slower; gzip; tiles answered blank):")
    print(f"{'page type':10} {'first map paint':>16} {'bytes on the wire':>18}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with gzip_server(site) as url:
            for kind, rel in PAGE_TYPES.items():
                paint, size = page_figures(browser, url + rel)
                shown = f"{paint:.2f} s" if paint is not None else "(no map)"
                print(f"{kind:10} {shown:>16} {size:>18,}")
            figures = {
                "located ward (after the press)": located_ward(browser, url, point),
                "ward search answers a street": ward_search(browser, url, street),
                "site search answers a street": site_search(browser, url, street),
            }
        browser.close()
    for what, took in figures.items():
        print(f"{what:32} {f'{took:.2f} s' if took is not None else 'n/a':>10}")
    print("(target: first map paint <= 1.5 s on ward and map pages)")
