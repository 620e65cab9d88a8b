"""Road safety: pedestrian casualties from STATS19 when present, else the report's named wards."""

from __future__ import annotations

import logging

import pandas as pd

from geo import narrative, ward_pages
from geo.analysis import indicators, road
from geo.common import MAP_DIR, period_words, rate_map
from geo.config import Config
from geo.hotspot_outputs import Hotspots, hotspot_html
from geo.outputs import Target, put
from geo.pipeline import WardTables
from geo.read import stats19
from geo.render import charts, markup
from geo.render.maps.choropleth import category_map
from geo.render.templates import render

log = logging.getLogger(__name__)

NAMED_PEDESTRIAN_WARDS = ("High Street", "Bridge", "East", "Park Wood")
"""Wards section 5.6 names for pedestrian casualties ("High Street, Bridge East and Park Wood")."""


PEDESTRIANS = indicators.Indicator(
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


def write_pedestrians(
    files: Target,
    snips: Target,
    t: WardTables,
    read: tuple[Config, pd.DataFrame | None],
    hs: Hotspots,
    place: markup.Place = markup.MAIDSTONE,
    skip: str = "#theft-shoplifting",
) -> str:
    """Pedestrian casualties from STATS19 when the data directory has them; otherwise the report's named wards
    (for the report's district) or a plain statement that there are no casualty data.

    Also writes one snippet per ward (``ped-<code>``) for the road safety section of the ward pages. ``skip`` is
    the heading after the returned block, the target of its skip-the-map links. ``read`` is the build's config
    and the pedestrian casualties the reading step found (None when there are none).
    """
    config, ped = read
    if ped is None:
        return _without_stats19(files, snips, t, hs, place, skip)
    months = config.period.months()
    res = road.pedestrian_results(ped, t.wards, months, (hs.grid, hs.ward_of_cell), (config.permutations, config.seed))
    log.info("pedestrian casualties: %s", res.reconciliation.text().replace("police.uk rows", "STATS19 casualties"))
    for r in res.rates.to_dict("records"):
        put(
            snips / f"ped-{r['ward_code'].lower()}.md",
            render(
                "ped-ward.md.j2",
                r=r,
                period=period_words(months[0], months[-1]),
                area=place.area,
                comparison=ward_pages.comparison_text(r["compared_with_borough"]),
            ),
        )
    tt = markup.crime_tooltip_table(res.rates, PEDESTRIANS, len(t.wards))
    html = rate_map(hs.web_wards, tt, PEDESTRIANS, place, title="Pedestrian casualties by ward", unit="casualties")
    put(files / MAP_DIR / "pedestrians.html", html)
    put(
        files / MAP_DIR / "hotspots-pedestrians.html",
        hotspot_html(hs, res.cells, res.points, res.records, title="Pedestrian casualty hotspots", config=config),
    )
    return render(
        "pedestrians.md.j2",
        results=res,
        place=place,
        dft_url=stats19.DFT_URL,
        map_embed=_embed("pedestrians", "Map of pedestrian casualties by ward", 460, skip),
        reconciled=res.reconciliation.text().replace("police.uk rows", "pedestrian casualties"),
        hotspot_block=narrative.hotspot_block("pedestrians", "Map of pedestrian casualty hotspots", table_link=False),
        chart=_hour_chart(res.by_hour),
        table=_pedestrian_table(res.rates),
    )


def _without_stats19(files: Target, snips: Target, t: WardTables, hs: Hotspots, place: markup.Place, skip: str):
    """Without STATS19: ward snippets that say so, and for the report's district a map of the wards it names."""
    named_wards = NAMED_PEDESTRIAN_WARDS if place.report else ()
    link = "../assessment/emerging-issues.md#road-safety" if place.report else "../road-safety.md"
    named = {}
    for code, name in zip(t.wards["ward_code"], t.wards["ward_name"], strict=True):
        put(snips / f"ped-{code.lower()}.md", render("ped-ward.md.j2", r=None, named=name in named_wards, link=link))
        if name in named_wards:
            named[code] = "Named in section 5.6 among the wards with most pedestrian casualties"
    if named:
        put(
            files / MAP_DIR / "pedestrians-named.html",
            category_map(
                hs.web_wards,
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
        place=place,
        dft_url=stats19.DFT_URL,
        named=[n for n in t.wards["ward_name"] if n in NAMED_PEDESTRIAN_WARDS] if named else [],
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
