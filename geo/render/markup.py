"""Markdown and HTML pieces that every page uses: escaping, number formats, tables and the map embed.

Every data value that goes into a page passes through :func:`md_text` (Markdown) or :func:`html.escape` (HTML).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

import pandas as pd
from markupsafe import Markup

from geo.analysis.indicators import Indicator
from geo.render.words import COMPARISON_WORDS

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!])")
"""Characters Python-Markdown treats specially and lets a backslash escape."""


def md_text(value) -> str:
    """Escape a data value for Markdown with raw HTML allowed: HTML entities, Markdown specials, pipes.

    Examples
    --------
    >>> md_text('<img src=x onerror="alert(1)"> | *a*')
    '&lt;img src=x onerror=&quot;alert\\\\(1\\\\)&quot;&gt; &#124; \\\\*a\\\\*'
    """
    text = _MD_SPECIAL.sub(r"\\\1", str(value))  # Markdown first, so that entities stay intact
    return html.escape(text, quote=True).replace("|", "&#124;")


def fmt_num(x, decimals: int = 1) -> str:
    """Format a number with thousands separators, or an en dash when missing."""
    if x is None or pd.isna(x):
        return "–"
    return f"{x:,.{decimals}f}"


def fmt_ci(lo, hi, decimals: int = 1) -> str:
    if pd.isna(lo) or pd.isna(hi):
        return "–"
    return f"{lo:,.{decimals}f} to {hi:,.{decimals}f}"


def md_table(header: Iterable[str], rows: Iterable[Iterable], align: Iterable[str] | None = None) -> str:
    """A Markdown table; cells are escaped with :func:`md_text`."""
    header = list(header)
    align = list(align) if align else ["l"] * len(header)
    sep = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = ["| " + " | ".join(md_text(h) for h in header) + " |", "| " + " | ".join(sep[a] for a in align) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(md_text(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def crime_tooltip_table(crime: pd.DataFrame, indicator: Indicator, n_wards: int) -> pd.DataFrame:
    """Formatted per-ward figures of one crime indicator (for the map's tooltip and layers)."""
    t = crime[crime["indicator"] == indicator.id].copy()
    t["count_text"] = [fmt_num(c, 0) for c in t["count"]]
    t["rate_text"] = [
        f"{fmt_num(r)} ({fmt_ci(lo, hi)})"
        for r, lo, hi in zip(t["rate_per_1000"], t["rate_lower_95"], t["rate_upper_95"], strict=True)
    ]
    t["rank_text"] = [f"{r} of {n_wards}" for r in t["rank"]]
    t["compared_text"] = t["compared_with_borough"].map(COMPARISON_WORDS)
    return t


MAP_DIR = "map-files"
"""Folder of the standalone map pages in the site."""
DOWNLOAD_DIR = "downloads"
"""Folder of the downloads in the site."""


def map_src(name: str, query: str = "") -> str:
    """Link from a page one folder down (``maps/``, ``wards/``, ``assessment/``…) to a standalone map page.

    >>> map_src("asb"), map_src("ward", "ward=E05000001")
    ('../map-files/asb.html', '../map-files/ward.html?ward=E05000001')
    """
    return f"../{MAP_DIR}/{name}.html" + (f"?{query}" if query else "")


def iframe(
    src: str,
    title: str,
    height: int = 520,
    *,
    skip: str | None = "#the-figures-behind-the-map",
    skip_text: str = "Skip to the table of figures",
    lazy: bool = False,
) -> str:
    """The embed for a standalone map page: explicit height, accessible title, a full-screen link and a second
    link (by default, a skip link to the figures; ``skip`` may be any page or anchor, or None for plain text)."""
    src_e, title_e = html.escape(src), html.escape(title)
    loading = ' loading="lazy"' if lazy else ""
    return (
        f'<div class="map-embed">\n<iframe src="{src_e}" title="{title_e}" height="{height}"{loading}'
        f"></iframe>\n</div>\n\n"
        + f'<p class="map-links"><a href="{src_e}">Open the map full screen</a> · '
        + (f'<a href="{html.escape(skip)}">{html.escape(skip_text)}</a>' if skip else html.escape(skip_text))
        + "</p>\n"
        + embed_code(src, title, height)
    )


def embed_code(src: str, title: str, height: int) -> str:
    """A folded "share or embed" note under an embedded map: the full-screen link keeps the view the reader moved
    the map to, and the code shows the map in another page (``docs/javascripts/share.js`` writes the map's full
    address into it).

    >>> "&lt;iframe src=&quot;../map-files/asb.html&quot;" in embed_code("../map-files/asb.html", "Map", 400)
    True
    """
    frame = f'<iframe src="{src}" title="{title}" width="100%" height="{height}" style="border:0"></iframe>'
    return (
        '<details class="map-share"><summary>Share or embed this map</summary>\n'
        "<p>The full-screen link opens the map as you have moved it, and its address keeps that view for sharing. "
        "To show the map in another web page, paste:</p>\n"
        f'<pre><code class="embed-code" data-src="{html.escape(src)}">{html.escape(frame)}</code></pre>\n'
        "</details>\n"
    )


def html_table(headers, rows, *, caption: str | None = None, cls: str = "stack", numeric=()) -> str:
    """A raw HTML table (escaped) whose cells carry ``data-label`` so that narrow screens can stack them.

    ``numeric`` lists the column positions to right-align. A cell given as :class:`markupsafe.Markup` (made
    with its data escaped, as :func:`geo_link` does) is placed as it is.
    """
    headers = list(headers)
    out = [f'<table class="{html.escape(cls)}">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append(
        "<thead><tr>" + "".join(f'<th scope="col">{html.escape(str(h))}</th>' for h in headers) + "</tr></thead><tbody>"
    )
    for row in rows:
        cells = []
        for i, (h, v) in enumerate(zip(headers, row, strict=True)):
            tag = "th" if i == 0 else "td"
            extra = ' scope="row"' if i == 0 else ""
            align = ' class="num"' if i in numeric else ""
            cells.append(f'<{tag}{extra}{align} data-label="{html.escape(str(h))}">{_cell(v)}</{tag}>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out) + "\n"


def _cell(v) -> str:
    return str(v) if isinstance(v, Markup) else html.escape(str(v))


def geo_link(lat: float, lon: float) -> Markup:
    """A ``geo:`` link to a point (a phone opens its map app there), shown as its coordinates to 4 decimals.

    >>> geo_link(51.27312, 0.52254)
    Markup('<a href="geo:51.27312,0.52254">51.2731, 0.5225</a>')
    """
    return Markup('<a href="geo:{0:.5f},{1:.5f}">{0:.4f}, {1:.4f}</a>').format(float(lat), float(lon))


def hotspot_block(ind_id: str, title: str, *, table_link: bool = True) -> str:
    """A hotspot map in the narrative, linking to its page of hot cells and top locations when there is one."""
    if table_link:
        link, text = f"../hotspots/{ind_id}.html", "the hot cells and top locations as tables"
    else:
        link, text = None, "the figures are in the table below"
    return iframe(map_src(f"hotspots-{ind_id}"), title, 460, skip=link, skip_text=text, lazy=True)


def js_assign(name: str, value) -> str:
    """``window.NAME = <json>;`` safe inside a script element of a page.

    >>> js_assign("X", {"a": "</script>&"})
    'window.X = {"a":"\\\\u003c/script\\\\u003e\\\\u0026"};\\n'
    """
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, allow_nan=False)  # NaN is not JSON
    # <, > and & as JSON escapes: the text can never close a script element or read as markup in the page
    return f"window.{name} = " + text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + ";\n"


def js_data(key: str, value, item: str | None = None) -> str:
    """A data script putting ``value`` at ``geoField.data[key]`` (or ``geoField.data[key][item]``), the one
    namespace the site's map script reads (no other global is made); safe inside a script element.

    >>> js_data("field", {"a": 1})
    '((window.geoField=window.geoField||{}).data=window.geoField.data||{}).field={"a":1};\\n'
    """
    head = "((window.geoField=window.geoField||{}).data=window.geoField.data||{})"
    text = js_assign("X", value).removeprefix("window.X = ")
    if item is None:
        return f"{head}.{key}={text}"
    return f"({head}.{key}={head}.{key}||{{}})[{json.dumps(item)}]={text}"
