"""Road safety: pedestrian casualties from STATS19 when present, else the report's named wards."""

from __future__ import annotations

import logging

import geopandas as gpd
import pandas as pd

from geo import charts, hotspots, indicators, narrative, pages, ward_pages, wards
from geo.common import MAP_DIR, period_words, rate_map
from geo.config import Config
from geo.hotspot_outputs import Hotspots, hotspot_html
from geo.maps.choropleth import category_map
from geo.outputs import Target, put
from geo.pipeline import WardTables
from geo.sources import stats19

log = logging.getLogger(__name__)

NAMED_PEDESTRIAN_WARDS = ("High Street", "Bridge", "East", "Park Wood")
"""Wards section 5.6 names for pedestrian casualties ("High Street, Bridge East and Park Wood")."""


def write_pedestrians(
    files: Target,
    snips: Target,
    t: WardTables,
    read: tuple[Config, pd.DataFrame | None],
    hs: Hotspots,
    place: pages.Place = pages.MAIDSTONE,
    skip: str = "#theft-shoplifting",
) -> str:
    """Pedestrian casualties from STATS19 when the data directory has them; otherwise the report's named wards
    (for the report's district) or a plain statement that there are no casualty data.

    Also writes one snippet per ward (``ped-<code>``) for the road safety section of the ward pages. ``skip`` is
    the heading after the returned block, the target of its skip-the-map links. ``read`` is the build's config
    and the pedestrian casualties the reading step found (None when there are none).
    """
    config, ped = read
    web = hs.web_wards
    how_to_add = (
        "To add them, download the accident and casualty CSV files for the years wanted from "
        f"[DfT's road safety data]({stats19.DFT_URL}), put them in a `stats19/` folder inside the data "
        "directory (plain or zipped; names containing 'accident' and 'casualty'), and rebuild with "
        "`python3 -m geo build`. The pedestrian map, hotspots and time-of-week chart then appear here.\n"
    )
    if ped is None:
        named_wards = NAMED_PEDESTRIAN_WARDS if place.report else ()
        link = "../assessment/emerging-issues.md#road-safety" if place.report else "../road-safety.md"
        for code, name in zip(t.wards["ward_code"], t.wards["ward_name"], strict=True):
            said = (
                " The assessment names this ward among those with most pedestrian casualties (section 5.6)."
                if name in named_wards
                else ""
            )
            put(
                snips / f"ped-{code.lower()}.md",
                "Record-level road casualty data (DfT STATS19) are not part of this site's data, so no casualty "
                f"counts are shown.{said} See [road safety]({link}).\n",
            )
        named = {
            c: "Named in section 5.6 among the wards with most pedestrian casualties"
            for c, n in zip(t.wards["ward_code"], t.wards["ward_name"], strict=True)
            if n in named_wards
        }
        if not place.report:
            return (
                "This build shows **no casualty counts**: its data do not include the Department for Transport's "
                "record-level STATS19 files. " + how_to_add
            )
        if not named:
            return ""
        put(
            files / MAP_DIR / "pedestrians-named.html",
            category_map(
                web,
                named,
                title="Wards the report names for pedestrian casualties",
                legend_title="Named in the report",
                named_label="Named in the report",
                note="Not casualty counts: record-level data are not included.",
                asset_prefix="../",
            ),
        )
        names = ", ".join(pages.md_text(n) for n in t.wards["ward_name"] if n in NAMED_PEDESTRIAN_WARDS)
        return (
            pages.iframe(
                pages.map_src("pedestrians-named"),
                "Map of the wards the report names for pedestrian casualties",
                height=420,
                skip=skip,
                skip_text="Skip past the map",
            )
            + f"\nNamed in the report (section 5.6): {names}. The map shows **no casualty counts**: this "
            "site's data do not include the Department for Transport's record-level STATS19 files. " + how_to_add
        )
    months = config.period.months()
    where = wards.assign_bng_points(ped["easting"], ped["northing"], t.wards, ped["month"].isin(months))
    ped = ped.reset_index(drop=True).assign(ward_code=where["ward_code"], status=where["status"])
    rec = wards.reconcile(ped.assign(), months)
    log.info("pedestrian casualties: %s", rec.text().replace("police.uk rows", "STATS19 casualties"))
    inside = ped[ped["status"] == "in_ward"]
    counts = inside.groupby("ward_code").size().reindex(t.wards["ward_code"], fill_value=0)
    table = pd.DataFrame(
        {
            "ward_code": counts.index,
            "ward_name": t.wards["ward_name"].to_numpy(),
            "indicator": "pedestrians",
            "count": counts.to_numpy(),
        }
    )
    rates = indicators.rates_by_ward(table, t.wards[["ward_code", "population"]])
    extra = inside.groupby("ward_code").agg(ksi=("ksi", "sum"), young=("age_11_16", "sum"))
    rates = rates.merge(extra, left_on="ward_code", right_index=True, how="left").fillna({"ksi": 0, "young": 0})
    for _, r in rates.iterrows():
        put(
            snips / f"ped-{r['ward_code'].lower()}.md",
            f"Pedestrian casualties (DfT STATS19), {pages.md_text(period_words(months[0], months[-1]))}: "
            f"**{int(r['count']):,}** ({int(r['ksi']):,} killed or seriously injured; {int(r['young']):,} aged "
            f"11-16); {pages.fmt_num(r['rate_per_1000'])} per 1,000 residents "
            f"({pages.fmt_ci(r['rate_lower_95'], r['rate_upper_95'])}), "
            f"compared with the {place.area}: {ward_pages.comparison_text(r['compared_with_borough'])}.\n",
        )
    ind = indicators.Indicator(
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
    tt = pages.crime_tooltip_table(rates, ind, len(t.wards))
    html = rate_map(web, tt, ind, place, title="Pedestrian casualties by ward", unit="casualties")
    put(files / MAP_DIR / "pedestrians.html", html)
    hours = list(range(24))
    weekday = inside[inside["day_of_week"].between(2, 6)].groupby("hour").size().reindex(hours, fill_value=0)
    weekend = inside[~inside["day_of_week"].between(2, 6)].groupby("hour").size().reindex(hours, fill_value=0)
    chart = charts.line_chart(
        [f"{h:02d}:00" for h in hours],
        {"Monday to Friday": [float(x) for x in weekday], "Saturday and Sunday": [float(x) for x in weekend]},
        title="Pedestrian casualties by hour of the day",
        ylabel="casualties",
        desc=f"{len(inside)} pedestrian casualties by the hour of their collision, weekdays and weekends separately.",
    )
    # hotspots through the same Gi* stage and grid as the police.uk records
    lonlat = gpd.GeoSeries.from_xy(inside["easting"], inside["northing"], crs=hs.grid.crs)
    wgs = lonlat.to_crs("EPSG:4326")
    recs = gpd.GeoDataFrame(
        {
            "indicator": "pedestrians",
            "location": [
                f"Collision at grid reference {e:.0f}, {n:.0f}"
                for e, n in zip(inside["easting"], inside["northing"], strict=True)
            ],
            "longitude": wgs.x.round(5).to_numpy(),
            "latitude": wgs.y.round(5).to_numpy(),
        },
        geometry=lonlat.values,
        crs=hs.grid.crs,
    )
    cells, points = hotspots.hotspot_analysis(
        recs, hs.grid, hs.ward_of_cell, "pedestrians", permutations=config.permutations, seed=config.seed
    )
    put(
        files / MAP_DIR / "hotspots-pedestrians.html",
        hotspot_html(hs, cells, points, recs, title="Pedestrian casualty hotspots", config=config),
    )
    rows = rates.sort_values(["count", "ward_name"], ascending=[False, True])
    body = pages.md_table(
        ["Ward", "Casualties", "Killed or seriously injured", "Aged 11-16", "Per 1,000 (95% CI)"],
        (
            [
                r["ward_name"],
                f"{int(r['count']):,}",
                f"{int(r['ksi']):,}",
                f"{int(r['young']):,}",
                f"{pages.fmt_num(r['rate_per_1000'])} ({pages.fmt_ci(r['rate_lower_95'], r['rate_upper_95'])})",
            ]
            for _, r in rows.iterrows()
        ),
        ["l", "r", "r", "r", "r"],
    )
    return (
        pages.iframe(
            pages.map_src("pedestrians"),
            "Map of pedestrian casualties by ward",
            height=460,
            skip=skip,
            skip_text="Skip past the map",
        )
        + f"\nFrom STATS19: {pages.md_text(rec.text().replace('police.uk rows', 'pedestrian casualties'))}.\n\n"
        + narrative.hotspot_block("pedestrians", "Map of pedestrian casualty hotspots", table_link=False)
        + f'\n<figure class="chart">\n{chart}\n<figcaption>Pedestrian casualties by hour.</figcaption>\n</figure>\n\n'
        + ("" if place.report else "## Pedestrian casualties by ward\n\n")
        + body
    )
