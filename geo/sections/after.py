"""After the assessment: following its priorities in 2014 (April-November 2014 against the same months of 2012,
ward by ward, with the change map and the district's monthly charts), and the district among the twelve Kent
districts from Kent Police's complete files."""

from __future__ import annotations

import pandas as pd

from geo.analysis import monitoring, spc
from geo.config import KENT_PERIOD, MONITOR, Period
from geo.render import charts, markup
from geo.render.changes import change_table
from geo.render.maps.base import web_geometry
from geo.render.maps.choropleth import Layer, choropleth
from geo.render.maps.spec import MAP_SCHEMES
from geo.render.markup import MAP_DIR
from geo.render.output import Section
from geo.render.templates import render
from geo.render.trends import borough_trends
from geo.render.words import MARKERS, month_span_short, number_words, period_words, period_words_short

NAV = "After the assessment"


def section(ctx) -> Section:
    """The monitoring page (report's district) and the Kent comparison (a Kent district)."""
    out = Section()
    if ctx.place.report:
        out.page("after/monitoring.md", monitoring_page(out, ctx), NAV, "Monitoring in 2014")
    if ctx.kent_comparison:
        out.page("after/kent.md", kent_page(out, ctx), NAV if ctx.place.report else "", "Kent comparison")
    return out


def _comparable(ctx, ind: str) -> bool:
    """Whether the two monitoring periods count the same police.uk categories for ``ind``."""
    return spc.comparable(next(i.police_categories for i in ctx.indicators if i.id == ind), *MONITOR)


def _listed(items) -> str:
    """``['a', 'b', 'c']`` -> ``'a, b and c'``."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def monitoring_page(out: Section, ctx) -> str:
    """The 2014 monitoring page (and its change map): April-November 2014 against the same months of 2012."""
    t = ctx.tables
    missing = ctx.months_missing(MONITOR)
    priorities = {i.id: i.title for i in ctx.priorities}
    if missing:
        return render("monitoring.md.j2", missing=missing)
    res = monitoring.priority_change(
        tuple((p, ctx.records_of(p)) for p in MONITOR), t.wards, ctx.indicators, priorities
    )
    names = ctx.names
    out.file(f"{MAP_DIR}/monitoring.html", _change_map(ctx.web_wards, t.wards, res, priorities))
    labels = [pd.Timestamp(f"{m}-01").strftime("%b") for m in MONITOR[1].months()]
    before, after = res.monthly
    chart = charts.line_chart(
        labels,
        {"2012": [float(x) for x in before], "2014": [float(x) for x in after]},
        title=f"The {number_words(len(priorities))} priorities together, by month",
        ylabel="records",
        desc=f"police.uk records of {_listed(priorities.values()).lower()} in {ctx.place.name} each month from "
        f"April to November: {int(before.sum()):,} in 2012 and {int(after.sum()):,} in 2014.",
    )
    return render(
        "monitoring.md.j2",
        missing=[],
        n_priorities=number_words(len(priorities)),
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
                "table": change_table(res.wards[ind], names, *(month_span_short(p) for p in MONITOR), comparable=ok),
                "comparable": ok,
            }
            for ind, title, ok in ((i, title, _comparable(ctx, i)) for i, title in priorities.items())
        ],
        trends=borough_trends(t.series, priorities, ctx.place.name, area=ctx.place.area),
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


def kent_page(out: Section, ctx) -> str:
    """The build's district among the twelve Kent districts from the complete Kent files (rates with intervals)."""
    name, inputs = ctx.place.name, ctx.inputs
    kent = KENT_PERIOD if ctx.place.report else ctx.config.period  # the assessment's site: the complete 2014 files
    gone = set(ctx.months_missing([kent]))
    months = [m for m in kent.months() if m not in gone]
    districts = inputs.kent_districts
    if not months or districts is None:
        return render("kent.md.j2", name=name, table=None)
    records = ctx.records_of(Period(months[0], months[-1]))
    rates, status = monitoring.kent_rates(records, inputs.lsoa_ward, inputs.population, districts, inputs.indicators)
    headline = {i.id: i.title for i in ctx.indicators if i.kind == "crime" and i.headline}
    titles = {"all_crime": "All crime (excluding ASB)", **headline}
    when = period_words_short(Period(months[0], months[-1]))
    out.file(f"{MAP_DIR}/kent.html", _kent_map(districts, rates, titles, when))
    allr = rates[rates["indicator"] == "all_crime"].sort_values("rank")
    m = allr[allr["ward_name"] == name]
    return render(
        "kent.md.j2",
        name=name,
        period_text=period_words(months[0], months[-1]),
        rank=int(m["rank"].iloc[0]) if len(m) else None,
        n=len(allr),
        report=ctx.place.report,
        census=ctx.place.census,
        map_embed=markup.iframe(
            markup.map_src("kent"),
            f"Map of crime rates in the Kent districts, {when}",
            height=480,
            skip="#the-figures-behind-the-map",
        ),
        table=_kent_table(rates, allr, titles, name),
        status={k: int(v) for k, v in status.items()},
    )


def _kent_map(districts, rates: pd.DataFrame, titles: dict, when: str) -> str:
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
        [Layer(titles[i], f"rate_{i}", f"{titles[i]} per 1,000 residents, {when}", 1) for i in titles],
        {"ward_name": "District", **{f"text_{i}": titles[i] for i in titles}},
        title=f"Kent districts, {when}",
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
                f"{MARKERS[x['compared_with_borough']]}"
            )
        rows.append(cells)
    table = markup.md_table(
        ["Rank (all crime)", "District", *[f"{t} per 1,000 (95% CI)" for t in titles.values()]],
        rows,
        ["r", "l", "r", "r", "r", "r"],
    )
    return table.replace(f"| {markup.md_text(name)} |", f"| **{markup.md_text(name)}** |")
