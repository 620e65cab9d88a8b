"""Benchmark: prints pipeline and site build times, spatial-join throughput and map page sizes.

Run ``python3 scripts/benchmark.py [--data-dir DIR]``. Targets (issues 2 and 3): whole 2012/13 pipeline under
5 s cold; each map page at most 100 KB gzip excluding tiles; full site build at most 20 s cold and 3 s warm.
Nothing runs at import time.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed_run(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


def _loads(html_path: Path, site: Path) -> list[Path]:
    """Local files a page loads: scripts, stylesheets, images and iframes (recursively for iframes)."""
    text = html_path.read_text(encoding="utf-8")
    out = []
    for tag in re.findall(r"<(?:script|link|iframe|img)\b[^>]*>", text):
        if tag.startswith("<link") and "stylesheet" not in tag:
            continue
        m = re.search(r"""\b(?:src|href)="([^"#?]+)""", tag)
        if not m or "//" in m.group(1):
            continue
        p = (html_path.parent / m.group(1)).resolve()
        if p.is_file() and site.resolve() in p.parents:
            out.append(p)
            if tag.startswith("<iframe"):
                out += _loads(p, site)
    return out


def _gz(p: Path) -> int:
    return len(gzip.compress(p.read_bytes(), 9, mtime=0))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data-dir")
    ap.add_argument("--only", choices=["districts", "phone", "build"], help="run one section only")
    ap.add_argument("--compare", help="with --only build: a git revision whose cold build is measured beside")
    ap.add_argument("--compare-data-dir", help="with --compare: its data directory, if it has no embedded bundle")
    ap.add_argument("--site", help="with --only phone: an already built site folder to measure")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # the package, and tests.browser's loopback server for the browser figures
    from geo.analysis.wards import assign_wards
    from geo.config import Config, resolve_data_dir
    from geo.context import tables_of
    from geo.read.inputs import load_inputs

    data_dir = resolve_data_dir(args.data_dir)
    dd = ["--data-dir", str(data_dir)]
    print(f"data: {data_dir}")
    if args.only:
        return _only(args, data_dir, dd)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        code = (
            "from geo.config import Config, resolve_data_dir; from geo.context import tables_of; "
            f"c = Config(data_dir=resolve_data_dir({str(data_dir)!r})); tables_of(c)"
        )
        cold = min(_timed_run(["-c", code]) for _ in range(2))
        print(f"pipeline 2012/13, cold (new process, imports included): {cold:.2f} s  (target < 5 s)")

        cfg = Config(data_dir=data_dir, out_dir=tmp / "b")
        t = time.perf_counter()
        inp = load_inputs(cfg)
        t_load = time.perf_counter() - t
        t = time.perf_counter()
        tables_of(cfg, inp)
        t_stages = time.perf_counter() - t
        print(f"pipeline, warm process: read+validate {t_load:.2f} s, stages {t_stages:.2f} s")

        months = cfg.period.months()
        best = min(_time(lambda: assign_wards(inp.records, inp.wards, months)) for _ in range(5))
        n = len(inp.records)
        print(f"spatial join: {n:,} rows in {best * 1000:.0f} ms = {n / best:,.0f} rows/s")

        _hotspot_benchmark(cfg, inp)

        site, out = tmp / "site", tmp / "build"
        build = ["-m", "geo", "build", *dd, "--out-dir", str(out), "--site-dir", str(site)]
        print(f"site build cold (no cache): {_timed_run(build):.2f} s  (target <= 20 s)")
        print(f"site build warm (cached data): {_timed_run(build):.2f} s  (target <= 3 s)")

        _page_sizes(site)
        _browser_benchmark(site, out, tmp)
        _phone(site, dd)
    _district_benchmark(data_dir)
    return 0


def _only(args, data_dir: Path, dd: list[str]) -> int:
    """One section of the benchmark (``--only``)."""
    if args.only == "districts":
        _district_benchmark(data_dir)
    elif args.only == "phone":
        _phone(Path(args.site) if args.site else None, dd)
    else:
        from build_benchmark import build_figures

        build_figures(args.compare, compare_data=args.compare_data_dir)
    return 0


WARD_POINT = (51.2525, 0.5456)
"""A point in Shepway South ward (for the time to a located ward)."""
STREET = "Earl Street"
"""A police.uk street name in Maidstone's town centre (for the search timings)."""


def _phone(site: Path | None, dd: list[str]) -> None:
    """The phone-profile figures (scripts/phone_benchmark.py) of ``site``, or of a fresh build."""
    try:
        from phone_benchmark import phone_figures
    except ImportError:
        print("\nphone figures skipped: playwright is not installed")
        return
    if site is not None:
        phone_figures(site, WARD_POINT, STREET)
        return
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build = ["-m", "geo", "build", *dd, "--out-dir", str(Path(tmp) / "b"), "--site-dir", str(site)]
        subprocess.run([sys.executable, *build], check=True, capture_output=True)
        phone_figures(site, WARD_POINT, STREET)


def _page_sizes(site: Path) -> None:
    """Bytes of each map and hotspot page with everything it loads (gzip), tiles excluded."""
    print("\nmap pages (loopback, tiles excluded):")
    print(f"{'page':28} {'map html':>10} {'map gzip':>9} {'files':>6} {'page total gzip':>16}")
    pages = [(p, site / "map-files" / p.name) for p in sorted((site / "maps").glob("*.html"))]
    pages += [(p, site / "map-files" / f"hotspots-{p.name}") for p in sorted((site / "hotspots").glob("*.html"))]
    for page, mapfile in pages:
        if page.name == "index.html":
            continue
        files = [page, *_loads(page, site)]
        total = sum(_gz(f) for f in dict.fromkeys(files))
        print(
            f"{page.relative_to(site).as_posix():28} {mapfile.stat().st_size:>10,} {_gz(mapfile):>9,} "
            f"{len(set(files)):>6} {total:>16,}"
        )
    print("(targets: map gzip <= 100 KB; 'files' counts the page, its scripts, styles and the map frame's)")


KENT_2014 = ("2014-01", "2014-11")


def _district_benchmark(data_dir: Path) -> None:
    """Build time for Maidstone alone and for each of the 12 Kent districts for 2014 (Kent Police's complete
    files), and rows per second: each as the README's build command in a new process, then the pipeline for all
    12 in one process that parses each month once."""
    import functools
    import json

    from geo.config import Config, Period
    from geo.context import tables_of
    from geo.read import police
    from geo.read.inputs import load_inputs

    codes = sorted(p.stem for p in Path(data_dir).glob("boundaries/wards-*/E0*.geojson"))
    start, end = KENT_2014
    print(f"\ndistricts, {start} to {end} (data-only build: tables, maps, pages; new process each, cold):")
    print(f"{'district':24} {'wards':>5} {'rows read':>10} {'in wards':>9} {'seconds':>8} {'rows/s':>9}")
    total_t = total_rows = 0
    with tempfile.TemporaryDirectory() as tmp:
        for code in codes:
            out = Path(tmp) / code
            args = ["-m", "geo", "build", "--data-dir", str(data_dir), "--district", code]
            secs = _timed_run([*args, "--start", start, "--end", end, "--out-dir", str(out), "--data-only", "--force"])
            s = json.loads((out / "summary.json").read_text())
            rec = s["reconciliation"]
            total_t += secs
            total_rows += rec["rows_read"]
            print(
                f"{s['district_name']:24} {s['wards']:>5} {rec['rows_read']:>10,} {rec['in_ward']:>9,} {secs:>8.1f} "
                f"{rec['rows_read'] / secs:>9,.0f}"
            )
            if code == "E07000110":
                maidstone = secs
    print(f"Maidstone alone: {maidstone:.1f} s; all {len(codes)} districts one after another: {total_t:.1f} s "
          f"({total_rows / total_t:,.0f} rows/s over {total_rows:,} rows read)")  # fmt: skip
    read = functools.cache(police.crimes_from_csv)
    t0 = time.perf_counter()
    rows = 0
    for code in codes:
        cfg = Config(district=code, period=Period(start, end), data_dir=data_dir)
        rows += tables_of(cfg, load_inputs(cfg, read)).reconciliation.rows_read
    secs = time.perf_counter() - t0
    print(
        f"pipeline only (read, place in wards, rates, deprivation), all {len(codes)} districts in one process "
        f"sharing the parsed months: {secs:.1f} s = {rows / secs:,.0f} rows/s"
    )


def _hotspot_benchmark(cfg, inp) -> None:
    """Time the hotspot stage on the real records, then on 10x and 100x synthetic points."""
    import geopandas as gpd
    import numpy as np

    from geo.analysis import hotspots
    from geo.context import tables_of

    t = tables_of(cfg, inp)
    start = time.perf_counter()
    grid = hotspots.hex_grid(t.wards, cfg.hotspot_cell_m)
    ward_of_cell = hotspots.cell_wards(grid, t.wards)
    t_grid = time.perf_counter() - start
    inside = t.records[t.records["status"] == "in_ward"]
    print(f"hotspot grid: {len(grid):,} cells of {cfg.hotspot_cell_m:.0f} m in {t_grid:.2f} s")
    for ind in [i.id for i in inp.indicators if i.hotspot]:
        secs = _time(lambda ind=ind: hotspots.hotspot_analysis(inside, grid, ward_of_cell, ind))
        n = int((inside["indicator"] == ind).sum())
        print(f"  Gi* {ind:16} {n:>7,} records  {secs:.2f} s")
    asb = inside[inside["indicator"] == "asb"]
    xy = asb.geometry.get_coordinates().to_numpy()
    rng = np.random.default_rng(0)
    print("hotspot scaling (synthetic: ASB points repeated with 50 m jitter; any that leave the grid are skipped):")
    for factor in (1, 10, 100):
        pts = np.repeat(xy, factor, axis=0) + rng.normal(0, 50, (len(xy) * factor, 2))
        geo = gpd.GeoSeries(gpd.points_from_xy(pts[:, 0], pts[:, 1]), crs=grid.crs)
        start = time.perf_counter()
        cid = hotspots.cell_of_points(geo, grid)
        t_assign = time.perf_counter() - start
        hotspots.getis_ord(hotspots.counts_by_cell(cid, grid), grid)
        total = time.perf_counter() - start
        print(
            f"  x{factor:<4} {len(pts):>9,} points: assign {t_assign:.2f} s, total {total:.2f} s "
            f"({len(pts) / total:,.0f} points/s)"
        )


BROWSER_PAGES = {
    "home": ("index.html", None),
    "chapter": ("assessment/emerging-issues.html", ".leaflet-overlay-pane path"),
    "map": ("maps/asb.html", ".leaflet-overlay-pane path"),
    "hotspot": ("hotspots/asb.html", ".leaflet-overlay-pane path"),
    "ward": ("wards/high-street.html", ".leaflet-overlay-pane path"),
    "downloads": ("downloads.html", None),
}


def _browser_benchmark(site: Path, build_dir: Path, tmp: Path) -> None:
    """Time to first map paint and bytes loaded per page type in headless Chromium on loopback, and the same
    for a plain folium choropleth of the same data with folium's defaults (CDN assets)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("\nbrowser figures skipped: playwright is not installed")
        return
    from tests.browser import ARGS, BLANK_TILE, CHROMIUM, serve

    plain = tmp / "plain"
    plain.mkdir()
    _plain_folium_map(build_dir, plain / "plain.html")
    print("\nin the browser (headless Chromium, loopback, tiles answered locally; median of 3 loads):")
    print(f"{'page type':12} {'first map paint':>16} {'requests':>9} {'bytes':>10} {'gzip bytes':>11}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with serve(site) as url:
            ours = {k: _measure(browser, url + rel, sel, site, BLANK_TILE) for k, (rel, sel) in BROWSER_PAGES.items()}
            for kind, m in ours.items():
                paint = f"{m['paint']:.3f} s" if m["paint"] is not None else "(no map)"
                print(f"{kind:12} {paint:>16} {m['requests']:>9} {m['bytes']:>10,} {m['gzip']:>11,}")
            frame = _measure(browser, url + "map-files/asb.html", ".leaflet-overlay-pane path", site, BLANK_TILE)
            print(
                f"{'map frame':12} {frame['paint']:>14.3f} s {frame['requests']:>9} {frame['bytes']:>10,} "
                f"{frame['gzip']:>11,}"
            )
        with serve(plain) as url:
            m = _measure(browser, url + "plain.html", ".leaflet-overlay-pane path", plain, BLANK_TILE, cdn=True)
        browser.close()
    print(
        f"{'plain folium':12} {m['paint']:>14.3f} s {m['requests']:>9} {m['bytes']:>10,} {m['gzip']:>11,}"
        f"   (+{m['cdn_missing']} CDN requests that cannot be fetched offline, not counted)"
    )
    print(
        f"ratio, our map frame / plain folium: paint {frame['paint'] / m['paint']:.2f}, "
        f"gzip bytes {frame['gzip'] / m['gzip']:.2f} (plain folium also loads jQuery, Bootstrap, Font Awesome "
        "and more from CDNs, which makes its real total larger than shown)"
    )
    print("(targets: first paint <= 0.5 s, <= 100 KB gzip per map page excluding tiles)")


def _measure(browser, url, selector, root: Path, tile: bytes, cdn: bool = False) -> dict:
    import statistics

    runs = []
    for _ in range(3):
        page = browser.new_page()
        loaded, missing = [], []

        page.route("**/*", _router(root, tile, cdn, loaded, missing))
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        paint = None
        if selector:
            frames = [page.main_frame] if cdn or "map-files" in url else None
            if frames is None:
                page.wait_for_selector("iframe")
                handle = page.locator("iframe").first.element_handle()
                handle.scroll_into_view_if_needed()
                target = handle.content_frame()
            else:
                target = page.main_frame
            target.wait_for_selector(selector, state="attached")
            paint = time.perf_counter() - start
        page.wait_for_load_state("networkidle")
        files = [f for f in dict.fromkeys(loaded) if f.is_file()]
        runs.append(
            {
                "paint": paint,
                "requests": len(loaded),
                "bytes": sum(f.stat().st_size for f in files),
                "gzip": sum(_gz(f) for f in files),
                "cdn_missing": len(set(missing)),
            }
        )
        page.close()
    out = runs[0].copy()
    if selector:
        out["paint"] = statistics.median(r["paint"] for r in runs)
    return out


def _router(root: Path, tile: bytes, cdn: bool, loaded: list, missing: list):
    """A Playwright route handler: loopback passes (and is recorded), tiles are answered, CDN Leaflet comes from
    xstatic when ``cdn``, anything else is refused and recorded."""
    from urllib.parse import urlparse

    def route(r):
        u = urlparse(r.request.url)
        if u.hostname in ("127.0.0.1", "localhost"):
            loaded.append(root / u.path.lstrip("/"))
            r.continue_()
        elif u.hostname and u.hostname.endswith("tile.openstreetmap.org"):
            r.fulfill(status=200, content_type="image/png", body=tile)
        elif cdn and u.path.endswith(("leaflet.js", "leaflet.css")):
            import xstatic.pkg.leaflet as leaflet

            body = (Path(leaflet.BASE_DIR) / Path(u.path).name).read_bytes()
            loaded.append(Path(leaflet.BASE_DIR) / Path(u.path).name)
            r.fulfill(
                status=200,
                body=body,
                content_type="text/css" if u.path.endswith(".css") else "application/javascript",
            )
        else:
            missing.append(r.request.url)
            r.abort()

    return route


def _plain_folium_map(build_dir: Path, dest: Path) -> None:
    """The same ASB rates as a folium Choropleth with every folium default (CDN assets, inline data)."""
    import folium
    import geopandas as gpd
    import mapclassify
    import pandas as pd
    from branca.utilities import color_brewer

    crime = pd.read_csv(build_dir / "files" / "downloads" / "ward-indicators.csv")
    asb = crime[crime["indicator"] == "asb"][["ward_code", "count", "rate_per_1000"]]
    wards = gpd.read_file(build_dir / "files" / "downloads" / "wards.geojson").merge(asb, on="ward_code")
    classes = mapclassify.FisherJenks(wards["rate_per_1000"].to_numpy(), k=5).yb
    wards["fill"] = [color_brewer("YlOrRd", 5)[i] for i in classes]
    m = folium.Map(location=[51.25, 0.55], zoom_start=11)  # every folium default: CDN assets, OSM tiles
    folium.GeoJson(
        wards.to_json(),
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.7, "weight": 1},
        tooltip=folium.GeoJsonTooltip(["ward_name", "count", "rate_per_1000"]),
    ).add_to(m)
    m.save(str(dest))


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    raise SystemExit(main())
