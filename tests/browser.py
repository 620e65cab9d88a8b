"""Helpers for the browser tests: a loopback HTTP server for a built site and Chromium driven by Playwright.

Every request a page makes must go to the loopback server; OpenStreetMap tile requests are answered here with a
blank tile (so the tests need no network) and anything else is refused and recorded.
"""

from __future__ import annotations

import base64
import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Names to look for on PATH: Debian's Chromium here, the Chrome preinstalled on GitHub's Ubuntu runners there."""


def find_chromium() -> str | None:
    """``$CHROMIUM`` if set, else the first of :data:`BROWSERS` on PATH, else ``/usr/bin/chromium`` if present."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    found = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None)


CHROMIUM = find_chromium() or "/usr/bin/chromium"
ENGINE = os.environ.get("GEO_TEST_ENGINE", "mkdocs")
"""The site engine the session's site is built with (``mkdocs`` or ``zensical``; `.ci/run` runs the browser tests
on both)."""
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@contextmanager
def serve(root: Path):
    """Serve ``root`` on 127.0.0.1 (a free port) for the duration of the block; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_or_skip():
    """Chromium's path; in CI its absence is a failure, elsewhere the browser tests are skipped."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).is_file():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"no Chromium or Chrome found ({', '.join(BROWSERS)}, or $CHROMIUM): .ci/run installs Debian's")
    pytest.skip(f"{CHROMIUM} not installed")


@dataclass
class Watch:
    """What a page did: console errors, uncaught errors, failed and off-site requests, dialogs."""

    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    bytes: int = 0

    @property
    def clean(self) -> bool:
        return not (self.errors or self.failed or self.external or self.dialogs)


def watch(page) -> Watch:
    w = Watch()
    page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(str(e)))

    def failed(r):
        if r.failure == "net::ERR_ABORTED" and not needed(r):
            return
        w.failed.append(f"{r.url} {r.failure}")

    def needed(r) -> bool:
        """Whether an aborted request was one the page needed. Not needed: tiles Leaflet cancels when the view
        changes, the browser's own favicon request, and requests of a document the frame has since left (a
        navigation cancels what the previous page still had in flight, more often on a loaded machine)."""
        if "tile.openstreetmap.org" in r.url or urlparse(r.url).path.endswith(("favicon.ico", "favicon.png")):
            return False
        try:
            referer, now = r.headers.get("referer"), r.frame.url
        except Exception:  # the frame is gone: its document was left
            return False
        return not (referer and now and referer.split("#")[0] != now.split("#")[0])

    page.on("requestfailed", failed)
    page.on("dialog", lambda d: (w.dialogs.append(d.message), d.dismiss()))

    def route(r):
        host = urlparse(r.request.url).hostname
        if host in ("127.0.0.1", "localhost") or r.request.url.startswith("data:"):
            r.continue_()
        elif host and host.endswith("tile.openstreetmap.org"):
            r.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        else:
            w.external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return w
