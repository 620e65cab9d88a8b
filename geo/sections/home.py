"""The front door: the map of the wards with the ward search and "Which ward am I in?", then the district's
figures for the priorities; for a district other than the report's, the whole home page."""

from __future__ import annotations

from geo.config import REPORT_TITLE
from geo.render import field, markup
from geo.render.output import Section
from geo.render.templates import render
from geo.render.words import period_words_short


def section(ctx) -> Section:
    """The home page (hand-written for the report's district, whose page has the map's marker) and its map block."""
    out = Section()
    out.snippet("field-home", home_block(ctx))
    if not ctx.vintages or ctx.prefix == ctx.vintages[-1][0]:  # the site's home page shows the newest vintage
        out.snippet("front-door", home_block(ctx, root=ctx.prefix))
    out.page("index.md", None if ctx.place.report else district_home(ctx), "", "Home")
    return out


def home_block(ctx, root: str = "") -> str:
    """The front door's map block and the district's figures for the priorities; ``root`` leads from the page
    it goes on to this vintage's root."""
    return render(
        "field-home.md.j2",
        map_block=field.map_block(
            "home",
            root=root,
            title=f"Map of {ctx.place.name}'s wards",
            full_screen=root + markup.map_src("ward").removeprefix("../"),
        ),
        more=f"{root}index.html" if root else "",  # raw HTML: MkDocs does not rewrite .md addresses in it
        change=f"{root}change.html" if root and ctx.since else "",
        label=ctx.label if ctx.vintages else "",
        priorities=[{"id": p.id, "title": p.title} for p in ctx.priorities],
        borough=field.borough_figures(ctx.tables.crime, ctx.priorities),
        place=ctx.place,
        period=ctx.period_text,
    )


def district_home(ctx) -> str:
    """The home page of a district other than the report's: what the site shows and the headline figures."""
    crime, rows = ctx.tables.crime, []
    for i in ctx.indicators:
        t = crime[crime["indicator"] == i.id]
        if i.kind == "crime" and not t.empty:
            rate = float(t["borough_rate_per_1000"].iloc[0])
            high = int((t["compared_with_borough"] == "higher").sum())
            rows.append({"ind": i, "count": int(t["borough_count"].iloc[0]), "rate": rate, "high": high})
    return render(
        "district-home.md.j2",
        place=ctx.place,
        period_text=ctx.period_text,
        n_wards=len(ctx.tables.wards),
        population=int(ctx.tables.wards["population"].sum()),
        hotspots=[i for i in ctx.indicators if i.id in ctx.grid.results],
        kent=ctx.kent_comparison,
        kent_when=period_words_short(ctx.config.period),
        rows=rows,
        report_title=REPORT_TITLE,
    )
