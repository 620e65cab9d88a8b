"""Fingerprints of a built site's figures, to prove that a refactor leaves every number where it was.

For each page: the numbers in its article text and tables (charts' SVG drawing and HTML attributes left out), in
order; for each CSV download: its SHA-256. ``GEO_UPDATE_GOLDEN=1 python -m pytest tests/test_figures_unchanged.py``
rewrites the stored fingerprints after a deliberate change (say which in the commit).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

GOLDEN = Path(__file__).parent / "data" / "golden"
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_NUM = re.compile(r"[-−]?\d+(?:,\d{3})*(?:\.\d+)?")


def page_numbers(html_text: str) -> list[str]:
    """Numbers in a page's article, in order, outside SVG drawings, scripts and tag attributes."""
    m = _ARTICLE.search(html_text)
    body = m.group(1) if m else html_text
    for tag in ("svg", "script", "style", "iframe"):
        body = re.sub(rf"<{tag}\b.*?</{tag}>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    body = re.sub(r"&#?\w+;", " ", body)
    return _NUM.findall(body)


def fingerprint(site: Path) -> dict:
    pages = {}
    for p in sorted(site.rglob("*.html")):
        rel = p.relative_to(site).as_posix()
        if rel.startswith(("map-files/", "assets/")) or rel in ("404.html", "search.html"):
            continue
        nums = page_numbers(p.read_text(encoding="utf-8"))
        pages[rel] = hashlib.sha256(" ".join(nums).encode()).hexdigest()[:16] + f":{len(nums)}"
    downloads = {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()[:16]
        for p in sorted((site / "downloads").rglob("*.csv"))
    }
    return {"pages": pages, "downloads": downloads}


def compare(name: str, site: Path) -> list[str]:
    """Differences from the stored fingerprint ``name`` (rewritten first when ``GEO_UPDATE_GOLDEN=1``)."""
    path = GOLDEN / f"{name}.json"
    now = fingerprint(site)
    if os.environ.get("GEO_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
    before = json.loads(path.read_text())
    out = []
    for kind in ("pages", "downloads"):
        for key in sorted(set(before[kind]) | set(now[kind])):
            if before[kind].get(key) != now[kind].get(key):
                out.append(f"{kind}: {key}: {before[kind].get(key)} -> {now[kind].get(key)}")
    return out
