"""Road safety: pedestrian casualties by ward, by hour and in hot cells from STATS19 when the data directory has
them; otherwise, for the report's district, the wards the report names, and for every district a plain statement
that the record-level data are not here. Also each ward page's road safety paragraph (``ped-<code>`` snippets)."""

from __future__ import annotations

import logging

import pandas as pd

from geo.analysis.indicators import Indicator
from geo.read.stats19 import DFT_URL
from geo.render import charts, markup
from geo.render.maps.choropleth import category_map
from geo.render.maps.hotspot import hotspot_html
from geo.render.maps.spec import rate_map
from geo.render.markup import MAP_DIR, hotspot_block
from geo.render.output import Section
from geo.render.templates import render
from geo.render.words import comparison_text, period_words

log = logging.getLogger(__name__)

PEDESTRIANS = Indicator(
    "pedestrians",
    "Pedestrian casualties",
    "crime",
    True,
    False,
    (),
    "FisherJenks",
    5,
    "Reds",
    0,
    "Pedestrian casualties (STATS19 casualty class 3).",
)
"""How the pedestrian map is titled and classed (pedestrians are not a police.uk indicator)."""
NAMED_TOPIC = "Pedestrian casualties"
"""The topic of ``data/report-ward-mentions.csv`` under which the report names wards for pedestrian casualties."""


def section(ctx) -> Section:
    """The pedestrians block (a snippet of the assessment's road safety chapter, or the Road safety page of
    another district) and each ward's road safety paragraph."""
    out = Section()
    skip = "#theft-shoplifting" if ctx.place.report else "#pedestrian-casualties-by-ward"
    block = pedestrians(out, ctx, skip) if ctx.pedestrians is not None else without_stats19(out, ctx, skip)
    if ctx.place.report:
        out.snippet("pedestrians", block)
    else:
        intro = (
            "# Road safety\n\nPedestrians injured in road collisions, by ward, from the Department for Transport's "
            "STATS19 records.\n\n"
        )
        out.page("road-safety.md", intro + block, "", "Road safety")
    return out


def pedestrians(out: Section, ctx, skip: str) -> str:
    """Pedestrian casualties from STATS19: maps, the hour chart, the ward table and each ward's paragraph."""
    res, months = ctx.pedestrians, ctx.config.period.months()
    log.info("pedestrian casualties: %s", res.reconciliation.text().replace("police.uk rows", "STATS19 casualties"))
    for r in res.rates.to_dict("records"):
        out.snippet(
            f"ped-{r['ward_code'].lower()}",
            render(
                "ped-ward.md.j2",
                r=r,
                period=period_words(months[0], months[-1]),
                area=ctx.place.area,
                comparison=comparison_text(r["compared_with_borough"]),
            ),
        )
    tt = markup.crime_tooltip_table(res.rates, PEDESTRIANS, len(ctx.tables.wards))
    title = "Pedestrian casualties by ward"
    out.file(f"{MAP_DIR}/pedestrians.html", rate_map(ctx.web_wards, tt, PEDESTRIANS, ctx.place, title=title,
                                                     unit="casualties"))  # fmt: skip
    out.file(
        f"{MAP_DIR}/hotspots-pedestrians.html",
        hotspot_html(
            ctx.grid,
            ctx.web_wards,
            ctx.labels,
            res.cells,
            res.points,
            res.records,
            title="Pedestrian casualty hotspots",
        ),  # fmt: skip
    )
    return render(
        "pedestrians.md.j2",
        results=res,
        place=ctx.place,
        dft_url=DFT_URL,
        map_embed=_embed("pedestrians", "Map of pedestrian casualties by ward", 460, skip),
        reconciled=res.reconciliation.text().replace("police.uk rows", "pedestrian casualties"),
        hotspot_block=hotspot_block("pedestrians", "Map of pedestrian casualty hotspots", table_link=False),
        chart=_hour_chart(res.by_hour),
        table=_pedestrian_table(res.rates),
    )


def without_stats19(out: Section, ctx, skip: str) -> str:
    """Without STATS19: ward paragraphs that say so, and for the report's district a map of the wards it names."""
    m = ctx.inputs.mentions[ctx.inputs.mentions["topic"] == NAMED_TOPIC]
    named_wards = dict(zip(m["ward_name"], m["summary"], strict=True))  # what the report says, in its own caution
    link = "../assessment/emerging-issues.md#road-safety" if ctx.place.report else "../road-safety.md"
    named = {}
    for code, name in ctx.names.items():
        out.snippet(f"ped-{code.lower()}", render("ped-ward.md.j2", r=None, named=named_wards.get(name), link=link))
        if name in named_wards:
            named[code] = "Named in section 5.6 among the wards with most pedestrian casualties"
    if named:
        out.file(
            f"{MAP_DIR}/pedestrians-named.html",
            category_map(
                ctx.web_wards,
                named,
                title="Wards the report names for pedestrian casualties",
                legend_title="Named in the report",
                named_label="Named in the report",
                note="Not casualty counts: record-level data are not included.",
                asset_prefix="../",
            ),
        )
    return render(
        "pedestrians.md.j2",
        results=None,
        place=ctx.place,
        dft_url=DFT_URL,
        named=[n for n in ctx.tables.wards["ward_name"] if n in named_wards] if named else [],
        map_embed=_embed("pedestrians-named", "Map of the wards the report names for pedestrian casualties", 420, skip),
    )


def _embed(map_id: str, title: str, height: int, skip: str) -> str:
    """A road safety map's embed, whose second link skips past it to ``skip``."""
    return markup.iframe(markup.map_src(map_id), title, height=height, skip=skip, skip_text="Skip past the map")


def _hour_chart(by_hour: pd.DataFrame) -> str:
    return charts.line_chart(
        [f"{h:02d}:00" for h in by_hour.index],
        {
            "Monday to Friday": [float(x) for x in by_hour["weekday"]],
            "Saturday and Sunday": [float(x) for x in by_hour["weekend"]],
        },
        title="Pedestrian casualties by hour of the day",
        ylabel="casualties",
        desc=f"{int(by_hour.to_numpy().sum())} pedestrian casualties by the hour of their collision, weekdays and "
        "weekends separately.",
    )


def _pedestrian_table(rates: pd.DataFrame) -> str:
    rows = rates.sort_values(["count", "ward_name"], ascending=[False, True])
    return markup.md_table(
        ["Ward", "Casualties", "Killed or seriously injured", "Aged 11-16", "Per 1,000 (95% CI)"],
        (
            [
                r["ward_name"],
                f"{int(r['count']):,}",
                f"{int(r['ksi']):,}",
                f"{int(r['young']):,}",
                f"{markup.fmt_num(r['rate_per_1000'])} ({markup.fmt_ci(r['rate_lower_95'], r['rate_upper_95'])})",
            ]
            for _, r in rows.iterrows()
        ),
        ["l", "r", "r", "r", "r"],
    )
