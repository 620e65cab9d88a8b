"""Outcome rates: one page per vintage with, for each priority crime that has outcomes (not anti-social
behaviour), the share of crimes with an outcome that ended in formal action, by ward, as a funnel plot and a table;
the ward pages show their own rows (:mod:`geo.sections.wards`)."""

from __future__ import annotations

from geo.analysis.outcomes import binomial_limits, outcome_indicators, pending_by_month
from geo.render.outcomes import district_table
from geo.render.output import Section
from geo.render.stat_charts import funnel_svg
from geo.render.templates import render
from geo.render.words import month_words

NAV = "Maps"
AXES = ("Crimes with an outcome", "crimes with an outcome", "formal-action share, % of them", "share")
"""The funnel's words for outcomes (see :func:`geo.render.stat_charts.funnel_svg`)."""
AS_FUNNEL = {"with_outcome": "population", "share_pct": "rate_per_1000", "district_share_pct": "borough_rate_per_1000"}
"""The outcome table's columns under the names the funnel plot reads."""


def section(ctx) -> Section:
    out = Section()
    ids = outcome_indicators(ctx.indicators)
    if not ids:
        return out
    rates = ctx.outcomes
    pending = pending_by_month(ctx.in_ward, ids)
    titles, area = ctx.crime_titles, ctx.place.area
    blocks = [_block(rates[rates["indicator"] == ind], titles[ind], area) for ind in ids]
    ends = [(month_words(m), pct) for m, pct in zip(pending["month"], pending["pending_pct"], strict=True)]
    ends = [ends[0], ends[-1]] if ends else []
    page = render("outcomes.md.j2", period_text=ctx.period_text, area=area, blocks=blocks, ends=ends)
    out.page("outcomes.md", page, NAV, "Outcomes by ward")
    return out


def _block(r, title: str, area: str) -> dict:
    """One priority crime's part of the page: its district totals, funnel plot and ward table."""
    plotted = r[r["with_outcome"] > 0].rename(columns=AS_FUNNEL)
    chart = f"Funnel plot: share of {title.lower()} ending in formal action, by ward"
    funnel = funnel_svg(plotted, title=chart, area=area, limits=binomial_limits, axes=AXES) if len(plotted) else ""
    return {
        "title": title,
        "crimes": int(r["crimes"].sum()),
        "with_outcome": int(r["with_outcome"].sum()),
        "formal": int(r["formal"].sum()),
        "share": r["district_share_pct"].iloc[0],
        "funnel": funnel,
        "table": district_table(r, title, area),
    }
