"""Snippets for the assessment's chapters: its tables and checks, charts, maps and comparisons."""

from __future__ import annotations

from geo import narrative, trend_pages
from geo.after_outputs import in_year_counts, in_year_text
from geo.analysis import report
from geo.common import DOWNLOAD_DIR
from geo.config import IN_YEAR, Config
from geo.hotspot_outputs import Hotspots
from geo.outputs import Target, put
from geo.pipeline import WardTables
from geo.render import markup
from geo.road_outputs import write_pedestrians


def write_narrative(snips: Target, files: Target, t: WardTables, read, config: Config, hs: Hotspots) -> None:
    """Snippets for the narrative pages: the report's tables and checks, charts, maps, comparisons.

    ``read`` is the reading step's (inputs, extras)."""
    inputs, extras = read
    flags, tables = extras.report_flags, extras.report_tables
    for name, df in tables.items():
        put(snips / f"table-{name}.md", narrative.report_table(name, df, flags))
        put(files / DOWNLOAD_DIR / "report" / f"{name}.csv", extras.report_files[name])
    put(snips / "flags.md", narrative.flags_table(flags))
    put(snips / "abbreviations.md", narrative.abbreviations(tables["appx4-glossary"]))
    totals = tables["s3-2-resolution-totals"]
    baseline = report.parse_num(totals.loc[totals["period"] == "2012/13 baseline", "outcome_rate"].iloc[0])
    put(snips / "chart-resolution.md", narrative.resolution_charts(tables["s3-2-resolution-outcomes"], baseline))
    put(snips / "chart-kcvs.md", narrative.kcvs_chart(tables["s3-3-kcvs-perceptions"]))
    put(snips / "chart-road.md", narrative.road_chart(tables["s5-6-road-safety-ksi"]))
    titles = {i.id: i.title for i in inputs.indicators}
    in_year = in_year_counts(t, inputs, extras)
    by_period = {config.period.label: t.crime}
    if in_year[0] is not None:  # the report's in-year ward figures are for April-September 2013
        by_period.setdefault(IN_YEAR[1].label, in_year[0][1])
    for i in (i for i in inputs.indicators if i.kind == "crime"):  # a snippet only where its map is built
        if i.headline:
            title = f"Map of {i.title.lower()} per 1,000 residents by ward"
            put(snips / f"map-{i.id}.md", narrative.crime_map_block(t.crime, i.id, title))
        if i.hotspot:
            put(snips / f"hotspot-{i.id}.md", narrative.hotspot_block(i.id, f"Map of {i.title.lower()} hotspots"))
        comparison = narrative.ward_comparison(inputs.mentions, by_period, i.id, i.title, i.description)
        if comparison:
            put(snips / f"compare-{i.id}.md", comparison)
    dep = t.deprivation.copy()
    dep["_value"] = [markup.fmt_num(x) for x in dep["imd_score"]]
    dep["_pct"] = [f"{x:.0f} %" for x in dep["imd_most_deprived_20pct"]]
    put(
        snips / "map-imd_score.md",
        narrative.map_block(
            "imd_score",
            f"Map of deprivation ({t.edition.short}) by ward",
            dep,
            value_col="imd_score",
            value_title=f"{t.edition.short} score",
            extra_cols={"_pct": "In England's most deprived 20 %"},
        ),
    )
    put(snips / "in-year.md", in_year_text(t, in_year))
    priorities = {i: titles[i] for i in ("asb", "drugs", "violence")}
    put(snips / "spc-borough.md", trend_pages.borough_trends(t.series, priorities, t.district_name, "###"))
    put(snips / "pedestrians.md", write_pedestrians(files, snips, t, (config, extras.pedestrians), hs))
