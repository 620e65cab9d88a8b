"""Signal feeds: an Atom feed per ward and one for the district, each entry a month that broke the control
limits of a crime indicator's monthly chart (:mod:`geo.render.feeds`); the ward pages and the Wards index link them."""

from __future__ import annotations

from geo.render import feeds
from geo.render.output import Section

FEED_DIR = "feeds"


def section(ctx) -> Section:
    out = Section()
    series = ctx.tables.series
    signals = series[series["signal"].isin(list(feeds.WORDS))]
    titles, district = ctx.crime_titles, ctx.config.district
    latest = f"{ctx.config.period.end}-01T00:00:00Z"
    places = [(c, ctx.names[c], s, f"../wards/{s}.html") for c, s in sorted(ctx.slugs.items())]
    places.append(("*", ctx.place.name, "district", "../wards/index.html"))
    for code, name, slug, page in places:
        items = feeds.entries(signals[signals["ward_code"] == code], titles, name, district, page)
        title = f"{name}{' ward' if code != '*' else ''}: months outside the usual range ({ctx.period_text})"
        updated = max([latest, *(i["updated"] for i in items)])
        feed_id = feeds.entry_id(district, ctx.prefix, code, "feed")
        out.file(f"{FEED_DIR}/{slug}.xml", feeds.atom(feed_id, title, f"{slug}.xml", page, items, updated))
    return out
