"""The field files of a build: the finder's data, the street list, the web app manifest, icons and service worker
(:mod:`geo.render.field`), and the home page's map block."""

from __future__ import annotations

import pandas as pd

from geo import ward_pages
from geo.hotspot_outputs import Hotspots
from geo.outputs import Target, put
from geo.pipeline import WardTables
from geo.render import field
from geo.render.field import FIELD_DIR, FINGERPRINT
from geo.render.maps.ward import wards_script
from geo.render.markup import Place, map_src
from geo.render.templates import render


def write_field(files: Target, snips: Target, t: WardTables, read: tuple, hs: Hotspots, words: tuple) -> None:
    """Everything the in-page maps, the finder and the offline web app load; the home page's map block.

    ``read`` is (indicators, site name); ``words`` is (place, period text).
    """
    indicators, site_name = read
    place, period_text = words
    slugs = ward_pages.ward_slugs(t.wards)
    wards = t.wards[["ward_code", "ward_name"]].assign(href=[f"wards/{slugs[c]}.html" for c in t.wards["ward_code"]])
    priorities = field.priorities_of(indicators)
    context = {"area": place.area, "district": place.name, "period": period_text}
    data, finder = field.field_data(wards, t.crime, priorities, hot_cells(hs), context)
    # the outlines, with each ward page's address as seen from map-files/ward.html (the full-screen ward map)
    outlines = wards_script(hs.web_wards, {c: f"../wards/{s}.html" for c, s in slugs.items()})
    put(files / FIELD_DIR / "field-data.js", outlines + field.js_assign("FIELD", data))
    put(files / FIELD_DIR / "finder.js", field.js_assign("FINDER", finder))
    inside = t.records[t.records["status"] == "in_ward"]
    put(files / FIELD_DIR / "streets.js", field.js_assign("STREETS", field.streets(inside)))
    for rel, content in field.static_files().items():
        put(files / rel, content)
    for n in field.ICON_SIZES:
        put(files / FIELD_DIR / f"icon-{n}.png", field.icon_png(n))
    short = "Safer Maidstone" if place.report else f"{place.name} wards"
    put(files / "manifest.webmanifest", field.manifest(site_name, short, f"Community safety by ward in {place.name}"))
    put(files / "sw.js", field.service_worker(shell()))
    put(snips / "field-home.md", home_block(data, finder["borough"], place))


def shell() -> list[str]:
    """What the service worker stores when it installs: the home page and the files every in-page map loads."""
    v = f"?v={FINGERPRINT}"
    files = [f"{FIELD_DIR}/{name}" for name in ("field-data.js", "finder.js", "field.js", "field.css")]
    return ["index.html", *(f + v for f in files)]


def hot_cells(hs: Hotspots) -> pd.DataFrame:
    """Every significant hot cell of every hotspot indicator, with its centre in WGS84."""
    frames = []
    for ind, (cells, _) in hs.results.items():
        hot = cells[cells["hotspot"].str.startswith("Hot")]
        frames.append(hot[["cell_id", "hotspot", "ward_code", "top_location", "count"]].assign(indicator=ind))
    if not frames:
        return pd.DataFrame(
            columns=["latitude", "longitude", "indicator", "hotspot", "ward_code", "top_location", "count"]
        )
    out = pd.concat(frames, ignore_index=True).merge(hs.centres, on="cell_id")
    return out.sort_values(["indicator", "cell_id"])[
        ["latitude", "longitude", "indicator", "hotspot", "ward_code", "top_location", "count"]
    ]


def home_block(data: dict, borough: dict, place: Place) -> str:
    """The front door: the finder and its map, then the district's figures for the priorities."""
    return render(
        "field-home.md.j2",
        map_block=field.map_block(
            "home", root="", title=f"Map of {place.name}'s wards", full_screen=map_src("ward").removeprefix("../")
        ),
        priorities=data["priorities"],
        borough=borough,
        place=place,
        period=data["period"],
    )
