"""In the field: the in-page maps, "which ward am I in?", the ward search and the offline web app.

The maps on the home page, the Wards index, each ward page, each indicator's map page and each hotspot page are
drawn in the page by ``assets/field/field.js`` (Leaflet, served from this site) from data the build writes here:

- ``assets/field/field-data.js``: the ward outlines, and each ward's name and page;
- ``assets/field/finder.js``: each ward's priority figures and the significant hot cells (what the locate button
  and the ward panel show), loaded by the home page and the Wards index;
- ``assets/field/streets.js``: police.uk street names and the wards they lie in, loaded only when the ward
  search is used;
- in the page itself, its own map's data: one indicator's ward colours and tooltips, one ward's hot cells and
  records, or one indicator's significant cells and records across the district.

Every address the pages give these files carries ``?v=<fingerprint>`` (a hash of every file the build made), so a
phone never pairs a page with another build's data; ``sw.js``, the service worker, keeps its cache under the same
fingerprint. Text goes into the data as it is; the script escapes it where it builds HTML.
"""

from __future__ import annotations

import html
import json
import re
import struct
import zlib
from importlib import resources

import numpy as np
import pandas as pd

from geo.fingerprint import FINGERPRINT
from geo.render.maps.assets import VENDOR
from geo.render.maps.choropleth import classify
from geo.render.maps.hotspot import CLASS_COLOURS, RECORDS_MIN_ZOOM
from geo.render.markup import embed_code, fmt_ci, fmt_num
from geo.render.words import COMPARISON_WORDS, MARKERS

FIELD_DIR = "assets/field"
ICON_SIZES = (192, 512)
THEME_COLOUR = "#3f51b5"
"""Material's indigo, the site's primary colour."""
_STREET_PREFIX = re.compile(r"^On or near\s+", re.IGNORECASE)


def field_data(wards: pd.DataFrame, crime: pd.DataFrame, priorities, hot_cells: pd.DataFrame, context: dict):
    """What every in-page map needs (``geoField.data.field``: ward names and pages) and what the finder adds
    (``.finder``: the priority figures of each ward and of the district, and the significant hot cells near a located
    point).

    ``wards`` has ``ward_code``, ``ward_name`` and ``href`` (the ward page, from the site root);
    ``hot_cells`` has ``latitude``, ``longitude``, ``indicator``, ``hotspot``, ``ward_code``, ``top_location`` and
    ``count`` of the significant hot cells; ``context`` holds ``area``, ``district`` and ``period``.
    """
    ids = [p.id for p in priorities]
    figures: dict = {c: {} for c in wards["ward_code"]}
    for r in crime[crime["indicator"].isin(ids)].itertuples(index=False):
        figures[r.ward_code][r.indicator] = [
            None if pd.isna(r.count) else int(r.count),
            fmt_num(r.rate_per_1000),
            fmt_ci(r.rate_lower_95, r.rate_upper_95),
            r.compared_with_borough,
        ]
    borough = borough_figures(crime, priorities)
    base = {
        **context,
        "priorities": [{"id": p.id, "title": p.title} for p in priorities],
        "words": {k: f"{MARKERS[k]} {w[:1].lower()}{w[1:]}" for k, w in COMPARISON_WORDS.items()},
        "wards": {w.ward_code: {"name": str(w.ward_name), "href": w.href} for w in wards.itertuples(index=False)},
        "recordsMinZoom": RECORDS_MIN_ZOOM,
    }
    finder = {
        "borough": borough,
        "figures": figures,
        "hot": [
            [round(float(h.latitude), 5), round(float(h.longitude), 5), h.indicator, h.hotspot, h.ward_code]
            + [str(h.top_location), int(h.count)]
            for h in hot_cells.itertuples(index=False)
        ],
    }
    return base, finder


def borough_figures(crime: pd.DataFrame, priorities) -> dict:
    """Priority id -> [the district's records, its rate per 1,000 as text]."""
    ids = [p.id for p in priorities]
    rows = crime[crime["indicator"].isin(ids)].drop_duplicates("indicator")
    return {r.indicator: [int(r.borough_count), fmt_num(r.borough_rate_per_1000)] for r in rows.itertuples()}


def streets(records: pd.DataFrame) -> list:
    """``[[street, [ward codes]], …]`` from the police.uk locations of the records placed in wards, sorted.

    >>> streets(pd.DataFrame({"location": ["On or near High Street", "On or near High Street", "Bus Station"],
    ...                       "ward_code": ["E05000002", "E05000001", "E05000001"]}))
    [['Bus Station', ['E05000001']], ['High Street', ['E05000001', 'E05000002']]]
    """
    names = records["location"].astype(str).str.replace(_STREET_PREFIX, "", regex=True).str.strip()
    pairs = pd.DataFrame({"street": names, "ward_code": records["ward_code"]}).drop_duplicates()
    pairs = pairs[pairs["street"] != ""]
    grouped = pairs.groupby("street")["ward_code"].apply(lambda s: sorted(set(s)))
    return [[s, codes] for s, codes in sorted(grouped.items())]


def choropleth_data(table: pd.DataFrame, layers, tooltip: dict[str, str], classing: tuple[str, int, str]) -> dict:
    """One indicator's in-page map: per layer the fill of each ward and the legend; the tooltip rows per ward.

    Uses the same classification (:func:`geo.render.maps.choropleth.classify`) as the full-screen map.
    """
    scheme, k, palette = classing
    out = {"layers": [], "tips": {}}
    for layer in layers:
        cls = classify(table[layer.column], scheme, k, palette, layer.decimals)
        out["layers"].append(
            {
                "name": layer.name,
                "title": layer.legend_title,
                "fill": dict(zip(table["ward_code"], cls.colours, strict=True)),
                "legend": [[e.colour, e.label] for e in cls.legend],
            }
        )
    for _, r in table.iterrows():
        out["tips"][r["ward_code"]] = [[label, str(r[col])] for col, label in tooltip.items()]
    return out


def map_block(mode: str, *, root: str, title: str, full_screen: str = "", **where) -> str:
    """The HTML of an in-page map with its controls and scripts (``mode``: home, index, ward, choropleth or
    hotspots).

    ``root`` leads from the page to the site root (``""`` or ``"../"``). ``where`` may give the ``ward`` code (ward
    mode), the ``map_id`` (choropleth mode), ``data``, a script of the page's own map data to put in the page,
    and ``extra``, HTML to put before and after the map (a choropleth's measure switch and legend).
    Scripts are ordinary (not deferred) and come straight after the map, so that it is drawn as soon as they
    arrive.
    """
    ward, map_id, extra = where.get("ward", ""), where.get("map_id", ""), where.get("extra", ("", ""))
    v, e = f"?v={FINGERPRINT}", html.escape
    links = f'<link rel="stylesheet" href="{e(root + FIELD_DIR + "/field.css" + v)}">'
    controls = _find_controls() if mode in ("home", "index") else ""
    attrs = f'data-mode="{e(mode)}" data-root="{e(root)}" data-ward="{e(ward)}" data-map="{e(map_id)}"'
    parts = [
        f'<div class="field" {attrs} data-streets="{e(root + FIELD_DIR + "/streets.js" + v)}">{links}{controls}'
        f'{extra[0]}<div class="field-map" role="region" aria-label="{e(title)}" tabindex="0"></div>{extra[1]}'
        '<div class="field-result" aria-live="polite"></div>'
        "<noscript><p>The map needs JavaScript; the tables on this page hold the same figures.</p></noscript></div>"
    ]
    if full_screen:
        parts.append(f'<p class="map-links"><a href="{e(full_screen)}">Open the map full screen</a></p>')
        parts.append(embed_code(full_screen, title, 520).rstrip("\n"))
    if mode == "ward":
        parts.append(
            '<p class="field-keep-row"><button type="button" class="md-button field-keep" aria-pressed="false" '
            'disabled>Keep this ward offline</button> <span class="field-keep-status" role="status"></span></p>'
        )
    if where.get("data"):  # this page's own map data, in the page: no extra request
        parts.append(f"<script>{where['data']}</script>")
    for script in ("field-data.js", *(["finder.js"] if mode in ("home", "index") else []), "field.js"):
        parts.append(f'<script src="{e(root + FIELD_DIR + "/" + script + v)}"></script>')
    return "\n".join(parts) + "\n"


def choropleth_controls(map_id: str, data: dict) -> tuple[str, str]:
    """A choropleth's measure switch (radio buttons, when it has more than one layer) and its legend (HTML)."""
    e, name = html.escape, f"field-measure-{map_id}"
    switch = ""
    if len(data["layers"]) > 1:
        switch = (
            '<fieldset class="field-measure"><legend>Show</legend>'
            + "".join(
                f'<label><input type="radio" name="{e(name)}" value="{i}"{" checked" if i == 0 else ""}> '
                f"{e(layer['name'])}</label>"
                for i, layer in enumerate(data["layers"])
            )
            + "</fieldset>"
        )
    blocks = "".join(
        f'<div data-layer="{i}"{" hidden" if i else ""}><p><strong>{e(layer["title"])}</strong></p><ul>'
        + "".join(f'<li><i style="background:{e(c)}"></i>{e(label)}</li>' for c, label in layer["legend"])
        + "</ul></div>"
        for i, layer in enumerate(data["layers"])
    )
    return switch, f'<div class="field-legend" data-map="{e(map_id)}">{blocks}</div>'


LAYER_HINT = "use the layer button on the map to switch priorities or show the records."


def hotspot_legend(hint: str = LAYER_HINT) -> str:
    """The legend of a map's hot and cold cells (Getis-Ord Gi*, the classes of the hotspot maps)."""
    e = html.escape
    items = "".join(
        f'<li><i style="background:{e(colour)}"></i>{e(name)}</li>'
        for name, colour in CLASS_COLOURS.items()
        if name != "Not significant"
    )
    return f'<div class="field-legend"><p><strong>Hotspot cells (Gi*)</strong>: {e(hint)}</p><ul>{items}</ul></div>'


def _find_controls() -> str:
    """The ward search and the locate button (a form with a visible label; results are links)."""
    return (
        '<div class="field-find">'
        '<form class="field-search" role="search" action="#">'
        '<label for="field-q">Find a ward by its name or a street</label>'
        '<span class="field-search-row"><input id="field-q" name="q" type="search" autocomplete="off" '
        'list="field-options" placeholder="e.g. High Street" enterkeyhint="search">'
        '<datalist id="field-options"></datalist>'
        '<button type="submit" class="md-button">Find</button></span></form>'
        '<button type="button" class="md-button md-button--primary field-locate">Which ward am I in?</button>'
        "</div>"
    )


def manifest(name: str, short_name: str, description: str) -> str:
    """The web app manifest (installable; opens at the home page, standalone)."""
    icons = [{"src": f"{FIELD_DIR}/icon-{n}.png", "sizes": f"{n}x{n}", "type": "image/png"} for n in ICON_SIZES]
    icons.append({"src": f"{FIELD_DIR}/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"})
    body = {
        "name": name,
        "short_name": short_name,
        "description": description,
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def icon_png(size: int) -> bytes:
    """A square PNG icon: a white map pin on the site's indigo, drawn here so the build needs no image files."""
    bg, fg = np.array([0x3F, 0x51, 0xB5], dtype=np.uint8), np.array([0xFF, 0xFF, 0xFF], dtype=np.uint8)
    cx, cy, r = size / 2, size * 0.42, size * 0.2
    y, x = np.mgrid[0:size, 0:size].astype(np.float64) + 0.5  # pixel centres
    dx, d2 = x - cx, (x - cx) ** 2 + (y - cy) ** 2
    in_head = (d2 <= r * r) & (d2 >= (r * 0.45) ** 2)
    tip = cy + r * 1.9  # the pin narrows from the circle's widest point to its tip
    in_tail = (cy <= y) & (y <= tip) & (np.abs(dx) <= r * (tip - y) / (tip - cy) * 0.85)
    in_hole = d2 < (r * 0.45) ** 2
    pixels = np.where((in_head | (in_tail & ~in_hole))[..., None], fg, bg)
    rows = [b"\x00" + row.tobytes() for row in pixels]  # each row's filter byte (none), then its RGB
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


SCRIPT_PARTS = ("core", "map", "finder", "locate", "offline", "main")
"""The parts of the site's map script (``geo/render/maps/static/field/``), in load order, bundled into field.js."""


def strip_comments(js: bytes) -> bytes:
    """A part of the map script without its whole-line comments (``/* … */`` blocks and ``//`` lines): fewer bytes
    on a phone's connection; comments after code on a line are kept.

    >>> strip_comments(b"/* a\\n   b */\\n  // c\\nvar x = 1;  // d\\n")
    b'var x = 1;  // d\\n'
    """
    text = re.sub(rb"(?m)^[ \t]*/\*.*?\*/[ \t]*\n", b"", js, flags=re.S)
    return re.sub(rb"(?m)^[ \t]*//[^\n]*\n", b"", text)


def static_files() -> dict[str, bytes]:
    """Site path -> content of the field's two bundles.

    ``field.js`` (one request instead of three) is Leaflet, its gesture handling and the site's map script (with
    the map pages' ``view.js``, whose address of a view the page's "open full screen" link uses);
    ``field.css`` the same for their styles, with Leaflet's image addresses pointed at the vendored images.
    """
    from geo.render.maps.assets import vendor_files

    vendor, own = vendor_files(), resources.files("geo.render.maps") / "static"
    leaflet, gesture = f"{VENDOR}/leaflet/leaflet", f"{VENDOR}/gesture-handling/leaflet-gesture-handling.min"
    parts = [own / "view.js", *(own / "field" / f"{part}.js" for part in SCRIPT_PARTS)]  # view.js: the view's address
    script = b"\n".join(strip_comments(p.read_bytes()) for p in parts)
    js = [vendor[f"{leaflet}.js"].read_bytes(), vendor[f"{gesture}.js"].read_bytes(), script]
    leaflet_css = vendor[f"{leaflet}.css"].read_bytes().replace(b"url(images/", b"url(../vendor/leaflet/images/")
    css = [leaflet_css, vendor[f"{gesture}.css"].read_bytes(), (own / "field.css").read_bytes()]
    return {
        f"{FIELD_DIR}/field.js": b"\n;\n".join(js),
        f"{FIELD_DIR}/field.css": b"\n".join(css),
    }


def service_worker(shell: list[str]) -> str:
    """``sw.js``: the offline cache, named by the build's fingerprint, precaching ``shell`` (site paths)."""
    src = (resources.files("geo.render.maps") / "static" / "sw.js").read_text(encoding="utf-8")
    return src.replace("__SHELL__", json.dumps(shell, separators=(",", ":")))
