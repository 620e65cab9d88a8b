"""Markdown for the analyst views: monthly control charts, funnel plots, multiple-testing notes, the series download.

Every function takes computed frames (from :mod:`geo.analysis.spc`, :mod:`geo.analysis.funnel`,
:mod:`geo.analysis.indicators`) and returns text; none reads a file or computes a statistic beyond counting what it
is given.
"""

from __future__ import annotations

import html
import io

import pandas as pd

from geo.analysis.spc import CATEGORY_CHANGE, MIN_POINTS, STATUS_WORDS, latest_status, stretches
from geo.config import Period
from geo.render.markup import fmt_num, html_table, md_text
from geo.render.stat_charts import funnel_svg, spc_svg
from geo.render.words import month_ranges, month_words


def spc_method(charts: pd.DataFrame) -> str:
    """How to read the control charts, naming the gaps and the category change that fall inside these charts' months
    (none, either or both), so the words hold for any period.

    >>> c = pd.DataFrame({"month": ["2013-04", "2013-05", "2013-09"]})
    >>> t = spc_method(c)
    >>> "(June 2013 to August 2013 has none)" in t, "in May 2013" in t
    (True, True)
    >>> t = spc_method(pd.DataFrame({"month": ["2025-01", "2025-02"]}))
    >>> "has none" in t, "May 2013" in t
    (False, False)
    """
    months = sorted(charts["month"].unique()) if len(charts) else []
    span = Period(months[0], months[-1]).months() if months else ()
    missing = sorted(set(span) - set(months))
    across = []
    if missing:
        runs = len(stretches(missing))
        across.append(f"a gap in the data ({month_ranges(missing)} {'has' if runs == 1 else 'have'} none)")
    if months and months[0] < CATEGORY_CHANGE <= months[-1]:
        across.append(f"police.uk's change of crime categories in {month_words(CATEGORY_CHANGE)}")
    joined = f"The lines are not joined across {' or across '.join(across)}; a" if across else "A"
    return (
        "Each chart is an XmR (individuals) control chart: the solid grey line is the average month, the dashed lines "
        "are the limits (the average plus or minus 2.66 times the average change from one month to the next, i.e. "
        "three sigma). A month outside them (a vermilion square) is unusual rather than chance. "
        f"{joined} stretch needs {MIN_POINTS} months before it gets limits."
    )


def _chart(charts: pd.DataFrame, code: str, ind: str) -> pd.DataFrame:
    return charts[(charts["ward_code"] == code) & (charts["indicator"] == ind)].reset_index(drop=True)


def _month_table(chart: pd.DataFrame, caption: str) -> str:
    rows = [
        [
            month_words(r["month"]),
            f"{r['count']:,}",
            fmt_num(r["centre"]),
            f"{fmt_num(r['lower'])} to {fmt_num(r['upper'])}" if pd.notna(r["upper"]) else "–",
            {"above": "▲ above", "below": "▼ below"}.get(r["signal"], ""),
        ]
        for _, r in chart.iterrows()
    ]
    return html_table(["Month", "Records", "Average", "Limits", "Signal"], rows, caption=caption, numeric=(1, 2))


def status_sentence(chart: pd.DataFrame, title: str, whose: str = "this ward's") -> str:
    """``'Anti-social behaviour: 12 in November 2014, within this ward's usual range.'`` (``whose`` names the area
    whose range it is: the ward's, or on the whole district's chart "the borough's").

    >>> c = pd.DataFrame({"month": ["2014-11"], "count": [12], "upper": [20.0], "signal": [""]})
    >>> status_sentence(c, "ASB", "the borough's")
    "**ASB:** 12 in November 2014, within the borough's usual range."
    """
    last = chart.iloc[-1]
    words = STATUS_WORDS[latest_status(chart)].format(whose=whose)
    return f"**{md_text(title)}:** {last['count']:,} in {month_words(last['month'])}, {words}."


def ward_trends(charts: pd.DataFrame, code: str, name: str, titles: dict[str, str]) -> str:
    """The ward page's "Month by month" section: a status line, a small chart and its table per priority."""
    out = [
        "## Month by month\n",
        f"Is this month unusual in {md_text(name)}? Each priority's latest month against the ward's own usual range:\n",
    ]
    blocks = []
    for ind, title in titles.items():
        chart = _chart(charts, code, ind)
        if chart.empty:
            continue
        out.append(f"- {status_sentence(chart, title)}")
        svg = spc_svg(chart, title=f"{title} per month in {name}", small=True)
        blocks.append(
            f'\n<figure class="spc-small">\n{svg}\n<figcaption>{html.escape(title)}, police.uk records per month'
            "</figcaption>\n</figure>\n\n<details><summary>"
            f"{html.escape(title)}: the months as a table</summary>\n\n"
            f"{_month_table(chart, f'{title} per month, {name}')}\n</details>\n"
        )
    out.append("\n" + spc_method(charts) + "\n")
    return "\n".join(out + blocks)


def borough_trends(
    charts: pd.DataFrame, titles: dict[str, str], area_name: str, heading: str = "###", area: str = "district"
) -> str:
    """Full-size charts of the whole district's monthly counts, one per priority, each with its table (``area`` is
    what the pages call the whole district: borough or district)."""
    out = [spc_method(charts) + "\n"]
    for ind, title in titles.items():
        chart = _chart(charts, "*", ind)
        if chart.empty:
            continue
        signals = chart[chart["signal"] != ""]
        said = ", ".join(f"{month_words(r['month'])} ({r['signal']})" for _, r in signals.iterrows()) or "none"
        out.append(f"{heading} {md_text(title)}\n")
        whose = f"the {area}'s"
        out.append(f"Months outside their limits: {md_text(said)}. {status_sentence(chart, title, whose)}\n")
        out.append(
            f'<figure class="chart">\n{spc_svg(chart, title=f"{title} per month, {area_name}")}\n</figure>\n\n'
            f"<details><summary>{html.escape(title)}: the months as a table</summary>\n\n"
            f"{_month_table(chart, f'{title} per month, {area_name}')}\n</details>\n"
        )
    return "\n".join(out)


def funnel_section(positions: pd.DataFrame, title: str, area: str, census: int = 2011) -> str:
    """The map page's funnel plot with the wards outside its limits named, and how to read it."""
    out99 = positions[positions["funnel"].str.contains("99.8")].sort_values("rate_per_1000", ascending=False)
    out95 = positions[positions["funnel"].isin(["above 95 %", "below 95 %"])]
    sides = [
        f"{side} ({len(g)}): " + ", ".join(md_text(w) for w in g["ward_name"])
        for side, g in ((s, out99[out99["funnel"].str.startswith(s)]) for s in ("above", "below"))
        if len(g)
    ]
    named = "; ".join(sides) or "none"
    return "\n".join(
        [
            "## Funnel plot: which differences are more than chance?\n",
            f"Each ward's rate against its number of residents. The funnel is the range a ward of that size would "
            f"fall in if its true rate were the {area}'s (black line): dashed for 95 %, solid for 99.8 %, the exact "
            "limits of the Poisson distribution (in steps, as counts are whole numbers). A ward is outside them "
            "exactly when the test behind the map's verdicts says so. Small wards have wide limits because a few "
            "records move their rate a lot.\n",
            f"**Outside the 99.8 % limits:** {named}. Between the 95 % and 99.8 % limits: {len(out95)} ward(s); "
            f"chance alone would put about {0.05 * len(positions):.1f} of {len(positions)} wards outside the 95 % "
            f"limits and about {0.002 * len(positions):.2f} outside the 99.8 % limits.\n",
            '<figure class="chart">\n'
            + funnel_svg(positions, title=f"{title}: funnel plot of ward rates", area=area, census=census)
            + "\n</figure>\n",
        ]
    )


def series_download(charts: pd.DataFrame, names: dict[str, str], district: str) -> str:
    """The monthly series as tidy CSV: one row per ward (or the district), indicator and month."""
    out = charts.copy()
    out.insert(1, "ward_name", out["ward_code"].map(names).fillna("(whole district)"))
    out["ward_code"] = out["ward_code"].replace("*", district)
    out = out.rename(columns={"centre": "average", "lower": "lower_limit", "upper": "upper_limit"})
    buf = io.StringIO()
    out.to_csv(buf, index=False, float_format="%.3f", lineterminator="\n")
    return buf.getvalue()
