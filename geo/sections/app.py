"""The web app every in-page map stands on: Leaflet and its plugins copied from Python packages, the shared ward
outlines and names, the finder's figures and hot cells, the street list for the ward search, the icons, the web
app manifest and the offline service worker (:mod:`geo.render.field`)."""

from __future__ import annotations

from html import unescape

import pandas as pd

from geo.fingerprint import FINGERPRINT
from geo.render import field
from geo.render.field import FIELD_DIR
from geo.render.maps import assets
from geo.render.maps.ward import wards_script
from geo.render.markup import js_data
from geo.render.output import Section
from geo.render.words import site_title


def section(ctx) -> Section:
    """The shared map scripts and styles, the finder's data, the icons, manifest and service worker."""
    out = Section()
    for rel, src in assets.vendor_files().items():
        out.file(rel, src.read_bytes())
    data, finder = field_data(ctx)
    # the outlines, with each ward page's address as seen from map-files/ward.html (the full-screen ward map)
    outlines = wards_script(ctx.web_wards, {c: f"../wards/{s}.html" for c, s in ctx.slugs.items()})
    out.file(f"{FIELD_DIR}/field-data.js", outlines + js_data("field", data))
    out.file(f"{FIELD_DIR}/finder.js", js_data("finder", finder))
    out.file(f"{FIELD_DIR}/streets.js", js_data("streets", field.streets(ctx.in_ward)))
    for rel, content in field.static_files().items():
        out.file(rel, content)
    for n in field.ICON_SIZES:
        out.file(f"{FIELD_DIR}/icon-{n}.png", field.icon_png(n))
    name = unescape(site_title(ctx.place)[0])
    short = f"Safer {ctx.place.name}" if ctx.place.report else f"{ctx.place.name} wards"
    out.file("manifest.webmanifest", field.manifest(name, short, f"Community safety by ward in {ctx.place.name}"))
    out.file("sw.js", field.service_worker(shell(tuple(pre for pre, _ in ctx.vintages) or ("",))))
    return out


def field_data(ctx) -> tuple[dict, dict]:
    """``geoField.data.field`` (ward names and pages, the comparison words) and ``.finder`` (figures and hot cells)."""
    wards = ctx.tables.wards[["ward_code", "ward_name"]].assign(
        href=[f"wards/{ctx.slugs[c]}.html" for c in ctx.tables.wards["ward_code"]]
    )
    context = {
        "area": ctx.place.area,
        "district": ctx.place.name,
        "period": ctx.period_text,
        "attribution": f"Contains OS and ONS data © Crown copyright {ctx.place.wards_year}",
    }
    data, finder = field.field_data(wards, ctx.tables.crime, ctx.priorities, hot_cells(ctx), context)
    if ctx.related:  # the same ground in the site's other vintage (the assessment's wards, or today's)
        newest = ctx.prefix == ctx.vintages[-1][0]  # as link_vintages pairs them: newest -> oldest, else -> newest
        data["related"] = {
            "label": (ctx.vintages[0] if newest else ctx.vintages[-1])[1],
            "wards": {c: [[name, page] for name, page, _ in v] for c, v in sorted(ctx.related.items())},
        }
    return data, finder


def shell(prefixes=("",)) -> list[str]:
    """What the service worker stores when it installs: the home page and the files every in-page map of each
    vintage loads (the front door draws the newest vintage's map)."""
    v = f"?v={FINGERPRINT}"
    names = ("field-data.js", "finder.js", "field.js", "field.css")
    return ["index.html", *(f"{pre}{FIELD_DIR}/{name}{v}" for pre in prefixes for name in names)]


def hot_cells(ctx) -> pd.DataFrame:
    """Every significant hot cell of every hotspot indicator, with its centre in WGS84."""
    cols = ["latitude", "longitude", "indicator", "hotspot", "ward_code", "top_location", "count"]
    frames = []
    for ind, (cells, _) in ctx.grid.results.items():
        hot = cells[cells["hotspot"].str.startswith("Hot")]
        frames.append(hot[["cell_id", "hotspot", "ward_code", "top_location", "count"]].assign(indicator=ind))
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True).merge(ctx.grid.centres, on="cell_id")
    return out.sort_values(["indicator", "cell_id"])[cols]
