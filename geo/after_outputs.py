"""After the assessment: the 2014 monitoring page, the Kent comparison, the April-September change, and
the pages of districts other than the report's."""

from __future__ import annotations

import logging

import pandas as pd

from geo import change, charts, indicators, markup, monitoring, narrative, pages, trend_pages, ward_pages, wards
from geo.common import MAP_DIR, MAP_SCHEMES, period_words
from geo.config import IN_YEAR, KENT_PERIOD, MONITOR, REPORT_DISTRICT, Config, Period
from geo.extras import Extras, months_missing, records_of
from geo.hotspot_outputs import Hotspots
from geo.maps.base import web_geometry
from geo.maps.choropleth import Layer, choropleth
from geo.outputs import Target, put
from geo.pipeline import WardTables, period_counts
from geo.road_outputs import write_pedestrians

log = logging.getLogger(__name__)


PRIORITY_IDS = ("violence", "asb", "drugs", "shoplifting")
"""The indicators that stand for the 2014/15 priorities the open data can follow (titles from indicators.csv)."""


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
    inputs, extras = read
    missing = months_missing(extras, MONITOR)
    titles = {i.id: i.title for i in inputs.indicators}
    priorities = {i: titles[i] for i in PRIORITY_IDS}
    head = "# Monitoring the priorities in 2014\n\n"
    if missing:
        return head + f"The data directory has no police.uk files for {', '.join(missing)}, so this page is empty.\n"
    counts, monthly, recs = [], [], []
    for p in MONITOR:
        labelled = indicators.label_indicators(records_of(inputs, p), inputs.indicators)
        assigned = wards.assign_wards(labelled, t.wards, p.months())
        recs.append(wards.reconcile(assigned, p.months()))
        counts.append(indicators.counts_by_ward(assigned, t.wards, inputs.indicators))
        monthly.append(monitoring.monthly_totals(assigned, list(priorities), p.months()))
    names = dict(zip(t.wards["ward_code"], t.wards["ward_name"], strict=True))
    table = pd.DataFrame({"ward_code": t.wards["ward_code"]})
    sections, layers, tips = [], [], {"ward_name": "Ward"}
    for ind, title in priorities.items():
        cmp = monitoring.ward_change(counts[0], counts[1], [ind])
        tot = change.compare_counts(pd.Series([cmp["before"].sum()]), pd.Series([cmp["after"].sum()])).iloc[0]
        table[f"pct_{ind}"] = table["ward_code"].map(cmp["pct_change"])
        table[f"tip_{ind}"] = table["ward_code"].map(
            {c: f"{r['before']:,} → {r['after']:,} ({r['verdict']})" for c, r in cmp.iterrows()}
        )
        layers.append(Layer(title, f"pct_{ind}", f"{title}: % change, Apr-Nov 2012 to 2014", 0))
        tips[f"tip_{ind}"] = title
        sections.append(
            f"## {markup.md_text(title)}\n\nBorough: {tot['before']:,} in April-November 2012, {tot['after']:,} in "
            f"April-November 2014 ({tot['change']:+,}, {tot['pct_change']:+.1f} %; rate ratio {tot['ratio']:.2f}, "
            f"95 % interval {tot['ratio_lower']:.2f} to {tot['ratio_upper']:.2f}: "
            f"{'a real ' + tot['verdict'] if tot['verdict'] != 'no clear change' else 'no clear change'}).\n\n"
            + narrative.in_year_table(cmp, names, "Apr-Nov 2012", "Apr-Nov 2014")
        )
    table["ward_name"] = table["ward_code"].map(names)
    html = choropleth(
        web,
        table.drop(columns=["ward_name"]).merge(web[["ward_code", "ward_name"]], on="ward_code"),
        layers,
        tips,
        title="Change in the priorities by ward, April-November 2012 to 2014",
        classing=(MAP_SCHEMES["monitoring"], 6, "PuOr"),
        asset_prefix="../",
    )
    put(files / MAP_DIR / "monitoring.html", html)
    labels = [pd.Timestamp(f"{m}-01").strftime("%b") for m in MONITOR[1].months()]
    chart = charts.line_chart(
        labels,
        {"2012": [float(x) for x in monthly[0]], "2014": [float(x) for x in monthly[1]]},
        title="The four priorities together, by month",
        ylabel="records",
        desc=f"police.uk records of violent crime, anti-social behaviour, drug offences and "
        f"shoplifting in Maidstone each month from April to November: {int(monthly[0].sum()):,} "
        f"in 2012 and {int(monthly[1].sum()):,} in 2014.",
    )
    recon = "; ".join(f"{p.label}: {r.text()}" for p, r in zip(MONITOR, recs, strict=True))
    return (
        head + "The assessment set the 2014/15 priorities; the open data let them be followed month by month. "
        "This page compares April to November 2014 with the same months of 2012, the year the assessment "
        "looked back on, ward by ward. police.uk renamed some categories in May 2013; both sets of names are "
        "mapped to the same indicators (see [Data and methods](../data-and-methods.md#indicators)), so the "
        "years compare like with like. A change is called an increase or decrease only when the 95 % interval "
        "of its rate ratio (exact test for two Poisson counts) excludes 1.\n\n"
        + markup.iframe(
            markup.map_src("monitoring"),
            "Map of the change in each priority by ward",
            height=500,
            skip="#violent-crime",
            skip_text="Skip to the tables",
        )
        + f'\n<figure class="chart">\n{chart}\n<figcaption>The four priorities together by month, 2012 and '
        "2014.</figcaption>\n</figure>\n\n"
        + "\n".join(sections)
        + "\n\n## Month by month, April 2012 to November 2014\n\n"
        + trend_pages.borough_trends(t.series, priorities, t.district_name)
        + f"\n\nEvery row read is accounted for: {markup.md_text(recon)}.\n"
    )


def kent_page(files: Target, read, config: Config, name: str = "Maidstone") -> str | None:
    """The build's district (``name``) among the twelve Kent districts from the complete Kent files (rates with
    intervals); None for a district outside Kent."""
    head = f"# {markup.md_text(name)} among the Kent districts\n\n"
    inputs, extras = read
    gone = set(months_missing(extras, [KENT_PERIOD]))
    months = [m for m in KENT_PERIOD.months() if m not in gone]
    districts = extras.kent_districts
    if districts is None and config.district != REPORT_DISTRICT:
        return None
    if districts is not None and config.district not in set(districts["district_code"]):
        return None
    if not months or districts is None:
        return head + "The data directory has no Kent-wide police.uk files for 2014, so this page is empty.\n"
    records = records_of(inputs, Period(months[0], months[-1]))
    rates, status = monitoring.kent_rates(records, inputs.lsoa11_ward, inputs.population, districts, inputs.indicators)
    named = {i.id: i.title for i in inputs.indicators}
    titles = {"all_crime": "All crime (excluding ASB)", **{i: named[i] for i in ("asb", "violence", "drugs")}}
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
    html = choropleth(
        web,
        wide,
        [Layer(titles[i], f"rate_{i}", f"{titles[i]} per 1,000 residents, 2014", 1) for i in titles],
        {"ward_name": "District", **{f"text_{i}": titles[i] for i in titles}},
        title="Kent districts, 2014",
        classing=(MAP_SCHEMES["kent"], 4, "Blues"),
        asset_prefix="../",
        unit="district",
    )
    put(files / MAP_DIR / "kent.html", html)
    allr = rates[rates["indicator"] == "all_crime"].sort_values("rank")
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
    cell = f"| {markup.md_text(name)} |"
    table = table.replace(cell, f"| **{markup.md_text(name)}** |")
    m = allr[allr["ward_name"] == name]
    where = (
        f"{markup.md_text(name)} ranks **{int(m['rank'].iloc[0])} of {len(allr)}** on all crime per 1,000 residents "
        "(1 = highest rate). "
        if len(m)
        else ""
    )
    counterpart = (
        "This is the open-data counterpart of the county ranks in the assessment, which used force systems and "
        "2012/13.\n\n"
        if config.district == REPORT_DISTRICT
        else "\n\n"
    )
    return (
        head + f"police.uk records for {markup.md_text(period_words(months[0], months[-1]))} from Kent Police's "
        "complete monthly files, placed in districts by the LSOA police.uk gives each record, and Census 2011 "
        f"residents. {where}"
        + counterpart
        + markup.iframe(
            markup.map_src("kent"),
            "Map of crime rates in the Kent districts, 2014",
            height=480,
            skip="#the-figures-behind-the-map",
        )
        + "\n## The figures behind the map\n\nThis table is the map's text alternative. ▲ and ▼ mark districts "
        "whose interval lies wholly above or below the Kent rate; ● means not significantly different.\n\n"
        + table
        + f"\nRecords read: {int(status.sum()):,} = in a Kent district {int(status.get('in_district', 0)):,} + "
        f"placed outside Kent {int(status.get('outside_kent', 0)):,} (other forces' areas, reported, not counted) "
        f"+ without an LSOA {int(status.get('no_lsoa', 0)):,}. District outlines are generalised (about 60 m).\n"
    )


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


def in_year_text(t: WardTables, in_year) -> str:
    """April-September 2013 against April-September 2012 by ward, if the data directory has those months."""
    counts, recs = in_year
    if counts is None:
        return (
            f"*The data directory has no police.uk files for {', '.join(recs)}, so the in-year comparison "
            "cannot be drawn from open data in this build.*\n"
        )
    names = dict(zip(t.wards["ward_code"], t.wards["ward_name"], strict=True))
    out = []
    for ind, label in (
        ("violence", "Violent crime (violence against the person and sexual offences)"),
        (None, "All police.uk crime (anti-social behaviour excluded)"),
    ):
        a, b = (c[c["indicator"] == ind] if ind else c[c["indicator"] != "asb"] for c in counts)
        a, b = a.groupby("ward_code")["count"].sum(), b.groupby("ward_code")["count"].sum()
        cmp = change.compare_counts(a, b)
        tot = change.compare_counts(pd.Series([a.sum()]), pd.Series([b.sum()])).iloc[0]
        out.append(f"#### {markup.md_text(label)}\n")
        out.append(
            f"Borough: {tot['before']:,} in April-September 2012, {tot['after']:,} in April-September 2013 "
            f"({tot['change']:+,}, {tot['pct_change']:+.1f} %; rate ratio {tot['ratio']:.2f}, 95 % interval "
            f"{tot['ratio_lower']:.2f} to {tot['ratio_upper']:.2f}).\n"
        )
        out.append(narrative.in_year_table(cmp, names, "Apr-Sep 2012", "Apr-Sep 2013"))
    rows = ", ".join(
        f"{p.label}: {r.rows_read:,} rows, {r.in_ward:,} in wards" for p, r in zip(IN_YEAR, recs, strict=True)
    )
    out.append(
        f"\nRecords read ({rows}). A ward's change is called an increase or decrease only when the 95 % "
        "interval of its rate ratio excludes 1 (exact test for the ratio of two Poisson counts); the last column "
        "keeps only the calls that survive control of the false discovery rate across the wards.\n"
    )
    return "\n".join(out)
