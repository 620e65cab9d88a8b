"""After the assessment: the 2014 monitoring page, the Kent comparison, the April-September change, and
the pages of districts other than the report's."""

from __future__ import annotations

import logging

import pandas as pd

from geo import narrative, pages, trend_pages, ward_pages
from geo.analysis import change, monitoring
from geo.common import MAP_DIR, MAP_SCHEMES, period_words
from geo.config import IN_YEAR, KENT_PERIOD, MONITOR, REPORT_DISTRICT, Config, Period
from geo.extras import Extras, months_missing, records_of
from geo.hotspot_outputs import Hotspots
from geo.outputs import Target, put
from geo.pipeline import WardTables, period_counts
from geo.render import charts, markup
from geo.render.field import PRIORITIES
from geo.render.maps.base import web_geometry
from geo.render.maps.choropleth import Layer, choropleth
from geo.render.templates import render
from geo.road_outputs import write_pedestrians

log = logging.getLogger(__name__)


def write_district_pages(
    snips: Target,
    files: Target,
    pages_dir: Target,
    t: WardTables,
    read,
    config: Config,
    hs: Hotspots,
    place: markup.Place,
) -> bool:
    """Pages of a district other than the report's: a home page, road safety and (in Kent) the county comparison.
    Returns whether the Kent comparison was written."""
    period_text = period_words(config.period.start, config.period.end, t.reconciliation.missing_months)
    inputs, extras = read
    road = write_pedestrians(files, snips, t, (config, extras.pedestrians), hs, place, "#pedestrian-casualties-by-ward")
    put(
        pages_dir / "road-safety.md",
        "# Road safety\n\nPedestrians injured in road collisions, by ward, from the Department for Transport's "
        "STATS19 records.\n\n" + road,
    )
    kent = kent_page(files, read, config, name=place.name)
    in_kent = kent is not None
    if in_kent:
        put(pages_dir / "after" / "kent.md", kent)
    put(
        pages_dir / "index.md",
        pages.district_home(
            place,
            period_text,
            t.crime,
            inputs.indicators,
            n_wards=len(t.wards),
            population=int(t.wards["population"].sum()),
            hotspots=[i for i in inputs.indicators if i.id in hs.results],
            kent=in_kent,
        ),
    )
    return in_kent


def write_after(files: Target, pages_dir: Target, t: WardTables, read, config: Config, web) -> bool:
    """The 'after the assessment' pages: monitoring the priorities in 2014, and the Kent comparison (returns
    whether that was written). ``read`` is the reading step's (inputs, extras)."""
    put(pages_dir / "after" / "monitoring.md", monitoring_page(files, t, read, web))
    kent = kent_page(files, read, config)
    if kent is not None:
        put(pages_dir / "after" / "kent.md", kent)
    return kent is not None


def monitoring_page(files: Target, t: WardTables, read, web) -> str:
    """The 2014 monitoring page (and its change map): April-November 2014 against the same months of 2012."""
    inputs, extras = read
    missing = months_missing(extras, MONITOR)
    titles = {i.id: i.title for i in inputs.indicators}
    priorities = {i: titles[i] for i in PRIORITIES}
    if missing:
        return render("monitoring.md.j2", missing=missing)
    res = monitoring.priority_change(
        tuple((p, records_of(inputs, p)) for p in MONITOR), t.wards, inputs.indicators, priorities
    )
    names = dict(zip(t.wards["ward_code"], t.wards["ward_name"], strict=True))
    put(files / MAP_DIR / "monitoring.html", _change_map(web, t.wards, res, priorities))
    labels = [pd.Timestamp(f"{m}-01").strftime("%b") for m in MONITOR[1].months()]
    before, after = res.monthly
    chart = charts.line_chart(
        labels,
        {"2012": [float(x) for x in before], "2014": [float(x) for x in after]},
        title="The four priorities together, by month",
        ylabel="records",
        desc=f"police.uk records of violent crime, anti-social behaviour, drug offences and "
        f"shoplifting in Maidstone each month from April to November: {int(before.sum()):,} "
        f"in 2012 and {int(after.sum()):,} in 2014.",
    )
    return render(
        "monitoring.md.j2",
        missing=[],
        map_embed=markup.iframe(
            markup.map_src("monitoring"),
            "Map of the change in each priority by ward",
            height=500,
            skip="#violent-crime",
            skip_text="Skip to the tables",
        ),
        chart=chart,
        sections=[
            {
                "title": title,
                "total": res.totals[ind].to_dict(),
                "table": narrative.in_year_table(res.wards[ind], names, "Apr-Nov 2012", "Apr-Nov 2014"),
            }
            for ind, title in priorities.items()
        ],
        trends=trend_pages.borough_trends(t.series, priorities, t.district_name),
        reconciled="; ".join(f"{p.label}: {r.text()}" for p, r in zip(MONITOR, res.reconciliations, strict=True)),
    )


def _change_map(web, ward_table: pd.DataFrame, res: monitoring.PriorityChange, priorities: dict) -> str:
    """The % change of each priority by ward, on the diverging scale centred on no change."""
    table = pd.DataFrame({"ward_code": ward_table["ward_code"]})
    layers, tips = [], {"ward_name": "Ward"}
    for ind, title in priorities.items():
        cmp = res.wards[ind]
        table[f"pct_{ind}"] = table["ward_code"].map(cmp["pct_change"])
        table[f"tip_{ind}"] = table["ward_code"].map(
            {c: f"{r['before']:,} → {r['after']:,} ({r['verdict']})" for c, r in cmp.iterrows()}
        )
        layers.append(Layer(title, f"pct_{ind}", f"{title}: % change, Apr-Nov 2012 to 2014", 0))
        tips[f"tip_{ind}"] = title
    return choropleth(
        web,
        table.merge(web[["ward_code", "ward_name"]], on="ward_code"),
        layers,
        tips,
        title="Change in the priorities by ward, April-November 2012 to 2014",
        classing=(MAP_SCHEMES["monitoring"], 6, "PuOr"),
        asset_prefix="../",
    )


def kent_page(files: Target, read, config: Config, name: str = "Maidstone") -> str | None:
    """The build's district (``name``) among the twelve Kent districts from the complete Kent files (rates with
    intervals); None for a district outside Kent."""
    inputs, extras = read
    gone = set(months_missing(extras, [KENT_PERIOD]))
    months = [m for m in KENT_PERIOD.months() if m not in gone]
    districts = extras.kent_districts
    if districts is None and config.district != REPORT_DISTRICT:
        return None
    if districts is not None and config.district not in set(districts["district_code"]):
        return None
    if not months or districts is None:
        return render("kent.md.j2", name=name, table=None)
    records = records_of(inputs, Period(months[0], months[-1]))
    rates, status = monitoring.kent_rates(records, inputs.lsoa11_ward, inputs.population, districts, inputs.indicators)
    named = {i.id: i.title for i in inputs.indicators}
    titles = {"all_crime": "All crime (excluding ASB)", **{i: named[i] for i in ("asb", "violence", "drugs")}}
    put(files / MAP_DIR / "kent.html", _kent_map(districts, rates, titles))
    allr = rates[rates["indicator"] == "all_crime"].sort_values("rank")
    m = allr[allr["ward_name"] == name]
    return render(
        "kent.md.j2",
        name=name,
        period_text=period_words(months[0], months[-1]),
        rank=int(m["rank"].iloc[0]) if len(m) else None,
        n=len(allr),
        report=config.district == REPORT_DISTRICT,
        map_embed=markup.iframe(
            markup.map_src("kent"),
            "Map of crime rates in the Kent districts, 2014",
            height=480,
            skip="#the-figures-behind-the-map",
        ),
        table=_kent_table(rates, allr, titles, name),
        status={k: int(v) for k, v in status.items()},
    )


def _kent_map(districts, rates: pd.DataFrame, titles: dict) -> str:
    """Each indicator's rate by Kent district, with its interval and rank in the tooltip."""
    # the district outlines are already generalised (about 60 m): no further simplification
    web = web_geometry(
        districts.rename(columns={"district_code": "ward_code", "district_name": "ward_name"}), tolerance_m=0
    )
    wide = pd.DataFrame({"ward_code": districts["district_code"], "ward_name": districts["district_name"]})
    for ind in titles:
        r = rates[rates["indicator"] == ind].set_index("ward_code")
        wide[f"rate_{ind}"] = wide["ward_code"].map(r["rate_per_1000"])
        wide[f"text_{ind}"] = wide["ward_code"].map(
            {
                c: f"{x['rate_per_1000']:.1f} ({x['rate_lower_95']:.1f} to {x['rate_upper_95']:.1f}), rank {x['rank']}"
                for c, x in r.iterrows()
            }
        )
    return choropleth(
        web,
        wide,
        [Layer(titles[i], f"rate_{i}", f"{titles[i]} per 1,000 residents, 2014", 1) for i in titles],
        {"ward_name": "District", **{f"text_{i}": titles[i] for i in titles}},
        title="Kent districts, 2014",
        classing=(MAP_SCHEMES["kent"], 4, "Blues"),
        asset_prefix="../",
        unit="district",
    )


def _kent_table(rates: pd.DataFrame, allr: pd.DataFrame, titles: dict, name: str) -> str:
    """The districts by all-crime rank with each indicator's rate and interval; the build's district in bold."""
    rows = []
    for _, r in allr.iterrows():
        cells = [f"{r['rank']}", r["ward_name"]]
        for ind in titles:
            x = rates[(rates["indicator"] == ind) & (rates["ward_code"] == r["ward_code"])].iloc[0]
            cells.append(
                f"{x['rate_per_1000']:.1f} ({x['rate_lower_95']:.1f}-{x['rate_upper_95']:.1f}) "
                f"{ward_pages.MARKERS[x['compared_with_borough']]}"
            )
        rows.append(cells)
    table = markup.md_table(
        ["Rank (all crime)", "District", *[f"{t} per 1,000 (95% CI)" for t in titles.values()]],
        rows,
        ["r", "l", "r", "r", "r", "r"],
    )
    return table.replace(f"| {markup.md_text(name)} |", f"| **{markup.md_text(name)}** |")


def in_year_counts(t: WardTables, inputs, extras: Extras):
    """Ward counts and reconciliations of April-September 2012 and 2013, or the months missing for them."""
    missing = months_missing(extras, IN_YEAR)
    if missing:
        return None, missing
    counts, recs = [], []
    for p in IN_YEAR:
        c, rec = period_counts(records_of(inputs, p), t.wards, inputs.indicators, p.months())
        log.info("in-year %s: %s", p.label, rec.text())
        counts.append(c)
        recs.append(rec)
    return counts, recs


IN_YEAR_GROUPS = (
    ("violence", "Violent crime (violence against the person and sexual offences)"),
    (None, "All police.uk crime (anti-social behaviour excluded)"),
)
"""What the in-year comparison compares: the report's violent crime, and all crime (indicator None)."""


def in_year_text(t: WardTables, in_year) -> str:
    """April-September 2013 against April-September 2012 by ward, if the data directory has those months."""
    counts, recs = in_year
    if counts is None:
        return render("in-year.md.j2", missing=recs)
    names = dict(zip(t.wards["ward_code"], t.wards["ward_name"], strict=True))
    groups = []
    for ind, label in IN_YEAR_GROUPS:
        cmp, total = change.group_change(counts[0], counts[1], ind)
        table = narrative.in_year_table(cmp, names, "Apr-Sep 2012", "Apr-Sep 2013")
        groups.append({"label": label, "total": total.to_dict(), "table": table})
    return render(
        "in-year.md.j2", missing=[], groups=groups, recs=[(p.label, r) for p, r in zip(IN_YEAR, recs, strict=True)]
    )
