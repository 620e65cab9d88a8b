"""What changed since the assessment (the newest vintage of a site with several): each priority's rate in the
assessment's year and in this one, ward by ward, on this vintage's wards and on the assessment's, with the rate
ratio's exact interval, the verdict after the false discovery rate, a change map centred on no change and the
caveats; where police.uk's categories differ between the years, both years are shown and no trend is claimed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.analysis.change import ratio_text
from geo.render import markup
from geo.render.maps.base import web_geometry
from geo.render.maps.choropleth import Layer, choropleth
from geo.render.maps.spec import MAP_SCHEMES
from geo.render.markup import MAP_DIR, md_table
from geo.render.output import Section
from geo.render.templates import render
from geo.render.words import period_words

WORDS = {
    "increase": "▲ higher",
    "decrease": "▼ lower",
    "no clear change": "● no clear change",
    "no records": "– no records",
    "categories differ": "– not compared: the categories differ",
}


def section(ctx) -> Section:
    out = Section()
    if not ctx.since:
        return out
    own, theirs, period, census = ctx.since
    before = period_words(period.start, period.end)
    views = []
    for key, view, where in (("change", own, "today's wards"), ("change-assessment", theirs, "the assessment's wards")):
        if view.totals["comparable"].any():  # a map of the change needs a priority whose categories match
            out.file(f"{MAP_DIR}/{key}.html", change_map(view, ctx.priorities, before, where))
        views.append({"where": where, "note": view.note, "sections": _sections(view, ctx.priorities), "key": key})
    page = render(
        "since.md.j2",
        place=ctx.place,
        before=before,
        after=ctx.period_text,
        census_before=census,
        views=[{**v, "map": _embed(v["key"], v["where"]) if own.totals["comparable"].any() else ""} for v in views],
        totals=_totals(own, ctx.priorities, before, ctx.period_text),
    )
    out.page("change.md", page, "", "What changed since the assessment")
    return out


def _embed(key: str, where: str) -> str:
    src = markup.map_src(key).removeprefix("../")  # the page is at the vintage's root
    return markup.iframe(src, f"Map of the change in each priority on {where}", height=480, skip=f"#{key}-tables",
                         skip_text="Skip to the tables")  # fmt: skip


def _totals(view, priorities, before: str, after: str) -> str:
    rows = []
    for ind in priorities:
        r = view.totals.loc[ind.id]
        rows.append(
            [
                ind.title,
                f"{int(r['before']):,} ({r['rate_before']:.1f})",
                f"{int(r['after']):,} ({r['rate_after']:.1f})",
                ratio_text(r) if r["comparable"] else "–",
                WORDS[r["verdict"]],
            ]
        )
    head = ["Priority", f"{before} (per 1,000)", f"{after} (per 1,000)", "Rate ratio (95% interval)", "Verdict"]
    return md_table(head, rows, ["l", "r", "r", "r", "l"])


def _sections(view, priorities) -> list[dict]:
    names = dict(zip(view.wards["ward_code"], view.wards["ward_name"], strict=True))
    out = []
    for ind in priorities:
        t = view.table[view.table["indicator"] == ind.id].copy()
        t["ward_name"] = t["ward_code"].map(names)
        t = t.sort_values(["ratio", "ward_name"], ascending=[False, True], na_position="last")
        rows = [
            [
                r["ward_name"],
                f"{int(r['before']):,} ({r['rate_before']:.1f})",
                f"{int(r['after']):,} ({r['rate_after']:.1f})",
                ratio_text(r) if r["comparable"] else "–",
                WORDS[r["verdict"]],
                WORDS[r["fdr_verdict"]],
            ]
            for _, r in t.iterrows()
        ]
        table = md_table(
            ["Ward", "Before (per 1,000)", "After (per 1,000)", "Rate ratio (95% interval)", "Verdict", "After FDR"],
            rows,
            ["l", "r", "r", "r", "l", "l"],
        )
        kept = int(t["fdr_verdict"].isin(["increase", "decrease"]).sum())
        out.append({"title": ind.title, "table": table, "comparable": bool(t["comparable"].all()), "kept": kept})
    return out


def change_map(view, priorities, before: str, where: str) -> str:
    """Each comparable priority's % change in rate by ward, on the diverging scale centred on no change."""
    web = web_geometry(view.wards)
    table = pd.DataFrame({"ward_code": view.wards["ward_code"], "ward_name": view.wards["ward_name"]})
    layers, tips = [], {"ward_name": "Ward"}
    for ind in (i for i in priorities if view.totals.loc[i.id, "comparable"]):
        t = view.table[view.table["indicator"] == ind.id].set_index("ward_code")
        pct = 100 * (t["ratio"].replace([np.inf, -np.inf], np.nan) - 1)  # no ratio where none before
        table[f"pct_{ind.id}"] = table["ward_code"].map(pct)
        table[f"tip_{ind.id}"] = table["ward_code"].map(
            {
                c: f"{r['rate_before']:.1f} → {r['rate_after']:.1f} per 1,000 ({WORDS[r['fdr_verdict']]})"
                for c, r in t.iterrows()
            }  # fmt: skip
        )
        layers.append(Layer(ind.title, f"pct_{ind.id}", f"{ind.title}: % change in the rate since {before}", 0))
        tips[f"tip_{ind.id}"] = ind.title
    return choropleth(
        web,
        table,
        layers,
        tips,
        title=f"Change in the priorities since the assessment, on {where}",
        classing=(MAP_SCHEMES["monitoring"], 6, "PuOr"),
        asset_prefix="../",
    )
