"""The assessment, retold: its chapters (hand-written in ``docs/assessment/``, in the report's order) and what
they show from data: the report's tables with the checks of their arithmetic, its charts, the ward maps and
hotspot maps placed in the narrative, the open-data counts beside the figures the report gives for named wards,
and the in-year comparison of April-September 2013 with the same months of 2012. Only for the report's district."""

from __future__ import annotations

import logging

import pandas as pd

from geo.analysis import change, spc
from geo.analysis.indicators import counts_by_ward
from geo.analysis.report import parse_num
from geo.analysis.wards import reconcile
from geo.config import IN_YEAR
from geo.render import report
from geo.render.changes import change_table
from geo.render.markup import DOWNLOAD_DIR, fmt_ci, fmt_num, hotspot_block, iframe, map_src, md_table
from geo.render.output import Section
from geo.render.templates import render
from geo.render.words import COMPARISON_WORDS, month_span_short

log = logging.getLogger(__name__)

NAV = "The assessment"
CHAPTERS = (
    ("Executive summary", "assessment/index.md"),
    ("Introduction", "assessment/introduction.md"),
    ("Crime, outcomes and perceptions", "assessment/crime-outcomes-perceptions.md"),
    ("Performance in 2012/13", "assessment/performance.md"),
    ("Emerging issues and priorities", "assessment/emerging-issues.md"),
    ("Implementation and monitoring", "assessment/implementation.md"),
    ("Review date", "assessment/review-date.md"),
    ("Further information", "assessment/further-information.md"),
    ("Appendix 1: methodology and sources", "assessment/methodology.md"),
    ("Appendix 2: context", "assessment/context.md"),
    ("Appendix 3: terrorism and Prevent", "assessment/terrorism.md"),
    ("Appendix 4: glossary", "assessment/glossary.md"),
    ("Checking the report's arithmetic", "assessment/checks.md"),
    ("The report's sections", "assessment/sections.md"),
)
"""The chapters that retell the assessment (hand-written, in ``docs/``), in the report's order."""
IN_YEAR_GROUPS = (
    ("violence", "Violent crime (violence against the person and sexual offences)"),
    (None, "All police.uk crime (anti-social behaviour excluded)"),
)
"""What the in-year comparison compares: the report's violent crime, and every recorded crime (None)."""


def section(ctx) -> Section:
    """The chapters (for the report's district) and the snippets their markers ask for."""
    out = Section()
    if not ctx.place.report:
        return out
    for title, path in CHAPTERS:
        out.page(path, None, NAV, title)
    tables, flags = ctx.inputs.report_tables, ctx.flags
    for name in report.TABLES:
        out.snippet(f"table-{name}", report.report_table(name, tables[name], flags))
        out.file(f"{DOWNLOAD_DIR}/report/{name}.csv", ctx.inputs.report_files[name])
    out.snippet("flags", report.flags_table(flags))
    out.snippet("abbreviations", report.abbreviations(tables["appx4-glossary"]))
    totals = tables["s3-2-resolution-totals"]
    baseline = parse_num(totals.loc[totals["period"] == "2012/13 baseline", "outcome_rate"].iloc[0])
    out.snippet("chart-resolution", report.resolution_charts(tables["s3-2-resolution-outcomes"], baseline))
    out.snippet("chart-kcvs", report.kcvs_chart(tables["s3-3-kcvs-perceptions"], ctx.place.name))
    out.snippet("chart-road", report.road_chart(tables["s5-6-road-safety-ksi"], ctx.place.name))
    in_year = in_year_counts(ctx)
    _map_snippets(out, ctx, in_year)
    out.snippet("in-year", in_year_text(ctx, in_year))
    return out


def _map_snippets(out: Section, ctx, in_year) -> None:
    """Each indicator's map, hotspot map and comparison with the report, where the chapters place them."""
    t = ctx.tables
    by_period = {ctx.config.period.label: t.crime}
    if in_year[0] is not None:  # the report's in-year ward figures are for April-September 2013
        by_period.setdefault(IN_YEAR[1].label, in_year[0][1])
    for i in (i for i in ctx.indicators if i.kind == "crime"):  # a snippet only where its map is built
        if i.headline:
            title = f"Map of {i.title.lower()} per 1,000 residents by ward"
            out.snippet(f"map-{i.id}", crime_map_block(t.crime, i.id, title, ctx.place.area))
        if i.hotspot:
            out.snippet(f"hotspot-{i.id}", hotspot_block(i.id, f"Map of {i.title.lower()} hotspots"))
        comparison = ward_comparison(ctx.inputs.mentions, by_period, i.id, i.title, i.description)
        if comparison:
            out.snippet(f"compare-{i.id}", comparison)
    dep = t.deprivation.copy()
    dep["_value"] = [fmt_num(x) for x in dep["imd_score"]]
    dep["_pct"] = [f"{x:.0f} %" for x in dep["imd_most_deprived_20pct"]]
    out.snippet(
        "map-imd_score",
        map_block(
            "imd_score",
            f"Map of deprivation ({t.edition.short}) by ward",
            dep,
            value_col="imd_score",
            value_title=f"{t.edition.short} score",
            extra_cols={"_pct": "In England's most deprived 20 %"},
        ),
    )


def in_year_counts(ctx):
    """Ward counts and reconciliations of April-September 2012 and 2013, or the months missing for them."""
    missing = ctx.months_missing(IN_YEAR)
    if missing:
        return None, missing
    counts, recs = [], []
    for p in IN_YEAR:
        rows = ctx.records_of(p)  # placed in wards once, by the build context
        rec = reconcile(rows, p.months())
        log.info("in-year %s: %s", p.label, rec.text())
        counts.append(counts_by_ward(rows, ctx.tables.wards, ctx.indicators))
        recs.append(rec)
    return counts, recs


def in_year_text(ctx, in_year) -> str:
    """April-September 2013 against April-September 2012 by ward, if the data directory has those months."""
    counts, recs = in_year
    if counts is None:
        return render("in-year.md.j2", missing=recs)
    every_crime = [i.id for i in ctx.indicators if i.kind == "crime" and i.recorded_crime]
    cats = {i.id: i.police_categories for i in ctx.indicators}
    groups = []
    for ind, label in IN_YEAR_GROUPS:
        cmp, total = change.group_change(counts[0], counts[1], [ind] if ind else every_crime)
        ok = ind is None or spc.comparable(cats[ind], *IN_YEAR)  # all crime together: no renaming moves scope
        table = change_table(cmp, ctx.names, *(month_span_short(p) for p in IN_YEAR), comparable=ok)
        groups.append({"label": label, "total": total.to_dict(), "table": table, "comparable": ok})
    return render(
        "in-year.md.j2", missing=[], groups=groups, recs=[(p.label, r) for p, r in zip(IN_YEAR, recs, strict=True)]
    )


def map_block(
    ind_id: str, title: str, table: pd.DataFrame, *, value_col: str, value_title: str, extra_cols: dict[str, str]
) -> str:
    """A map from the Maps section placed in the narrative, with its figures in a collapsible table."""
    rows = table.sort_values(value_col, ascending=False)
    body = md_table(
        ["Ward", value_title, *extra_cols.values()],
        ([r["ward_name"], r["_value"], *[r[c] for c in extra_cols]] for _, r in rows.iterrows()),
    )
    return (
        iframe(map_src(ind_id), title, 460, skip=f"../maps/{ind_id}.html", skip_text="the map's page", lazy=True)
        + '\n??? info "The figures behind this map (text alternative)"\n\n'
        + "\n".join("    " + line for line in body.splitlines())
        + "\n"
    )


def crime_map_block(crime: pd.DataFrame, ind_id: str, title: str, area: str) -> str:
    t = crime[crime["indicator"] == ind_id].copy()
    t["_value"] = [fmt_num(x) for x in t["rate_per_1000"]]
    t["_count"] = [fmt_num(x, 0) for x in t["count"]]
    t["_ci"] = [fmt_ci(a, b) for a, b in zip(t["rate_lower_95"], t["rate_upper_95"], strict=True)]
    t["_cmp"] = t["compared_with_borough"].map(COMPARISON_WORDS)
    return map_block(
        ind_id,
        title,
        t,
        value_col="rate_per_1000",
        value_title="Rate per 1,000",
        extra_cols={"_count": "Records", "_ci": "95% interval", "_cmp": f"Compared with {area}"},
    )


def ward_comparison(
    mentions: pd.DataFrame, by_period: dict[str, pd.DataFrame], indicator: str, title: str, description: str = ""
) -> str:
    """The report's ward figures beside the open-data counts for the same wards and period.

    ``by_period`` maps a period label (``"2013-04 to 2013-09"``) to ward counts of that period (``ward_name``,
    ``indicator``, ``count``); a mention whose period the build has no counts for says so.
    """
    m = mentions[(mentions["indicator"] == indicator) & (mentions["report_figure"] != "")]
    rows = []
    for _, r in m.iterrows():
        rep = parse_num(r["report_figure"])
        counts = by_period.get(r["period"])
        c = None if counts is None else counts[counts["indicator"] == indicator].set_index("ward_name")
        open_n = int(c.loc[r["ward_name"], "count"]) if c is not None and r["ward_name"] in c.index else None
        rows.append(
            [
                r["ward_name"],
                r["period"],
                f"{r['report_figure']} ({r['topic'].lower()})",
                fmt_num(open_n, 0) if open_n is not None else "not in this build's data",
                f"{100 * (open_n - rep) / rep:+.0f}%" if open_n is not None and rep else "–",
            ]
        )
    if not rows:
        return ""
    topics = sorted(set(m["topic"]))
    same_category = topics == [title]
    out = md_table(
        ["Ward", "Period", "Report (force systems)", f"police.uk open data ({title.lower()})", "Difference"],
        rows,
        ["l", "l", "r", "r", "r"],
    )
    out += (
        "\nThe two columns differ in where they come from: the report counts from Kent Police's own systems {§A1}, "
        "while police.uk publishes a subset later, leaves out some records (for example where a location cannot be "
        "made anonymous) and moves each to a nearby snap point, which can sit just across a ward boundary. So the "
        "two agree on the order of wards more than on the exact numbers.\n"
    )
    if not same_category:
        out += (
            f"\nThey also differ in what they count. The report's figures are {', '.join(topics).lower()}; "
            f"police.uk's street-level files have no such category, and the closest they allow is the column shown, "
            f"{title.lower()}: {description.rstrip('.')[:1].lower()}{description.rstrip('.')[1:]}. The gap "
            "between the columns therefore mixes a difference of category with the differences of source above, "
            "and the open data cannot separate the two.\n"
        )
    return out
