"""Static SVG control charts and funnel plots (no chart library; each with a title and a text alternative).

Colours are Okabe-Ito and every signal also has a shape, so nothing depends on seeing colour. The page puts the
chart's data table next to it.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from geo.analysis.funnel import funnel_limits
from geo.analysis.spc import CATEGORY_CHANGE, month_index
from geo.render.charts import _nice_max
from geo.render.words import month_words

BLUE, ORANGE, VERMILION, GREY = "#0072b2", "#e69f00", "#d55e00", "#6b6b6b"


def _svg_open(w: int, h: int, title: str, desc: str, cls: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" class="{cls}" '
        f'aria-label="{html.escape(title)}"><title>{html.escape(title)}</title><desc>{html.escape(desc)}</desc>',
        f'<rect width="{w}" height="{h}" fill="#fff"/>',
    ]


def _y_axis(ymax: float, w: int, h: int, m: tuple[int, int, int, int], fs: int) -> list[str]:
    left, right, top, bottom = m
    out = []
    for i in range(6):
        v = ymax * i / 5
        y = top + (h - top - bottom) * (1 - i / 5)
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e4e4"/>')
        out.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="{fs}" text-anchor="end" fill="#333">'
            f"{v:,.{0 if ymax >= 10 else 1}f}</text>"
        )
    return out


def spc_svg(chart: pd.DataFrame, *, title: str, small: bool = False) -> str:
    """An XmR chart of one series (:func:`geo.analysis.spc.control_chart`): points, centre line, limits, signals.

    Stretches are drawn apart and never joined; a gap in the months leaves a gap on the axis, and the category
    change is marked.

    Examples
    --------
    >>> from geo.analysis.spc import control_chart
    >>> c = control_chart(pd.Series([3, 4, 3, 5, 4, 3, 4, 12], index=[f"2014-0{m}" for m in range(1, 9)]))
    >>> svg = spc_svg(c, title="T")
    >>> svg.count("<polyline"), "above its upper limit" in svg
    (1, True)
    """
    w, h = (360, 150) if small else (640, 300)
    m = (34, 8, 10, 30) if small else (48, 12, 16, 44)
    fs = 10 if small else 11
    left, right, top, bottom = m
    idx = [month_index(x) for x in chart["month"]]
    x0, x1 = min(idx), max(idx)
    ymax = _nice_max(float(np.nanmax([chart["count"].max(), chart["upper"].max(skipna=True) or 0])) * 1.05)

    def px(i):
        return left + (w - left - right) * ((i - x0) / max(1, x1 - x0))

    def py(v):
        return top + (h - top - bottom) * (1 - v / ymax)

    signals = chart[chart["signal"] != ""]
    desc = _spc_desc(chart, signals)
    out = _svg_open(w, h, title, desc, "chart spc") + _y_axis(ymax, w, h, m, fs)
    if CATEGORY_CHANGE in set(chart["month"]) and chart["month"].min() < CATEGORY_CHANGE:
        x = px(month_index(CATEGORY_CHANGE)) - 0.5 * (w - left - right) / max(1, x1 - x0)
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{h - bottom}" stroke="#555" stroke-dasharray="2 3"/>'
        )
        out.append(f'<text x="{x + 3:.1f}" y="{top + fs}" font-size="{fs}" fill="#333">new categories</text>')
    for _, run in chart.groupby("stretch", sort=True):
        out += _spc_stretch(run, [px(month_index(x)) for x in run["month"]], py)
    years = sorted({x[:4] for x in chart["month"]})
    for y in years:
        first = min(x for x in chart["month"] if x.startswith(y))
        out.append(
            f'<text x="{px(month_index(first)):.1f}" y="{h - bottom + fs + 4}" font-size="{fs}" fill="#333">'
            f"{html.escape(first)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _spc_desc(chart: pd.DataFrame, signals: pd.DataFrame) -> str:
    parts = [
        f"Monthly counts from {month_words(chart['month'].iloc[0])} to {month_words(chart['month'].iloc[-1])} in "
        f"{chart['stretch'].nunique()} stretch(es) that are not joined."
    ]
    for k, run in chart.groupby("stretch", sort=True):
        if run["upper"].notna().all():
            parts.append(
                f"Stretch {k}: centre {run['centre'].iloc[0]:.1f}, limits {run['lower'].iloc[0]:.1f} to "
                f"{run['upper'].iloc[0]:.1f}."
            )
        else:
            parts.append(f"Stretch {k}: too few months for limits.")
    for _, r in signals.iterrows():
        parts.append(
            f"{month_words(r['month'])}: {r['count']} is "
            f"{'above its upper' if r['signal'] == 'above' else 'below its lower'} limit."
        )
    if signals.empty:
        parts.append("No month is outside its limits.")
    return " ".join(parts)


def funnel_svg(
    positions: pd.DataFrame, *, title: str, area: str, census: int = 2011, limits=funnel_limits, axes=None
) -> str:
    """A funnel plot of one indicator (:func:`geo.analysis.funnel.funnel_position`): wards by population and rate, the
    district's rate, and its 95 % and 99.8 % exact Poisson limits. Wards outside 99.8 % are named on the chart.

    Another measure plots the same way with its own ``limits`` (``limits(rate, sizes)`` as
    :func:`geo.analysis.funnel.funnel_limits`) and ``axes``: the label across, and the words of the text
    alternative for the size, the measure's axis and the measure (``"population"``, ``"rate per 1,000"``,
    ``"rate"`` by default).

    Examples
    --------
    >>> pos = pd.DataFrame({"ward_name": ["A", "B"], "population": [1000, 4000], "rate_per_1000": [60.0, 19.0],
    ...                     "borough_rate_per_1000": [20.0, 20.0], "funnel": ["above 99.8 %", "within"]})
    >>> svg = funnel_svg(pos, title="T", area="borough")
    >>> ">A</text>" in svg, svg.count("<polyline")
    (True, 4)
    """
    w, h = 640, 320
    left, right, top, bottom = 52, 16, 16, 48
    pts = positions[positions["rate_per_1000"].notna()]
    rate = float(positions["borough_rate_per_1000"].iloc[0])
    pmax = float(pts["population"].max()) * 1.08
    pmin = max(1.0, float(pts["population"].min()) * 0.7)
    grid = np.linspace(pmin, pmax, 60)
    lim = limits(rate, grid)
    across, words = (axes or (f"Residents (Census {census})",))[0], (axes or ())[1:]
    ymax = _nice_max(max(float(pts["rate_per_1000"].max()), float(lim["upper_99_8"].max())) * 1.05)

    def px(p):
        return left + (w - left - right) * (p / pmax)

    def py(v):
        return top + (h - top - bottom) * (1 - min(v, ymax) / ymax)

    desc = _funnel_desc(pts, rate, area, *words)
    out = _svg_open(w, h, title, desc, "chart funnel") + _y_axis(ymax, w, h, (left, right, top, bottom), 11)
    y = py(rate)
    out.append(f'<line x1="{left}" x2="{w - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#222" stroke-width="1.5"/>')
    for col, dash in (("95", ' stroke-dasharray="6 4"'), ("99_8", "")):
        for side in ("lower", "upper"):
            line = " ".join(f"{px(p):.1f},{py(v):.1f}" for p, v in zip(grid, lim[f"{side}_{col}"], strict=True))
            out.append(f'<polyline points="{line}" fill="none" stroke="{GREY}"{dash}/>')
    out += _funnel_marks(pts, px, py, w)
    step = _nice_max(pmax / 5)
    for p in np.arange(0, pmax, step):
        out.append(
            f'<text x="{px(p):.1f}" y="{h - bottom + 16}" font-size="11" text-anchor="middle" fill="#333">'
            f"{p:,.0f}</text>"
        )
    out.append(
        f'<text x="{left + (w - left - right) / 2:.0f}" y="{h - 8}" font-size="11" text-anchor="middle" fill="#333">'
        f"{html.escape(across)}</text></svg>"
    )
    return "".join(out)


def _funnel_desc(pts, rate: float, area: str, size="population", up="rate per 1,000", measure="rate") -> str:
    """The funnel plot's text alternative: what is plotted, and every ward outside the 99.8 % limits."""
    outside = pts[pts["funnel"].str.contains("99.8")]
    if len(outside):
        named = "; ".join(f"{r['ward_name']} ({r['rate_per_1000']:.1f}, {r['funnel']})" for _, r in outside.iterrows())
        verdict = f"Outside the 99.8 % limits: {named}."
    else:
        verdict = "No ward is outside the 99.8 % limits."
    return (
        f"{len(pts)} wards plotted by {size} (across) and {up} (up), against the {area} {measure} of "
        f"{rate:.1f} and its 95 % and 99.8 % limits. " + verdict
    )


def _funnel_marks(pts: pd.DataFrame, px, py, w: float) -> list[str]:
    """One mark per ward (square outside 99.8 %, triangle outside 95 %, dot within); high outliers named where
    there is room."""
    out = []
    labelled: list[tuple[float, float]] = []
    for _, r in pts.sort_values("rate_per_1000", ascending=False).iterrows():
        x, yv = px(r["population"]), py(r["rate_per_1000"])
        if "99.8" in r["funnel"]:
            out.append(f'<rect x="{x - 4.5:.1f}" y="{yv - 4.5:.1f}" width="9" height="9" fill="{VERMILION}"/>')
            if r["funnel"].startswith("above") and all(abs(yv - y0) > 12 or abs(x - x0) > 90 for x0, y0 in labelled):
                labelled.append((x, yv))  # name the high outliers where there is room; the text names them all
                right_side = x < w * 0.7  # near the right edge the name goes to the left of its square
                out.append(
                    f'<text x="{x + 7 if right_side else x - 7:.1f}" y="{yv + 4:.1f}" font-size="11" fill="#222" '
                    f'text-anchor="{"start" if right_side else "end"}">' + html.escape(r["ward_name"]) + "</text>"
                )
        elif "95" in r["funnel"]:
            out.append(
                f'<path d="M{x:.1f},{yv - 5:.1f} L{x + 5:.1f},{yv + 4:.1f} L{x - 5:.1f},{yv + 4:.1f} Z" '
                f'fill="{ORANGE}"/>'
            )
        else:
            out.append(f'<circle cx="{x:.1f}" cy="{yv:.1f}" r="3.5" fill="{BLUE}"/>')
    return out


def _spc_stretch(run: pd.DataFrame, xs: list[float], py) -> list[str]:
    """One stretch of an XmR chart: its centre line and limits (once it has them), its line and its points, a
    signal drawn as a larger vermilion square, not only a colour."""
    out = []
    if run["upper"].notna().all():
        for col, dash in (("centre", ""), ("upper", ' stroke-dasharray="6 4"'), ("lower", ' stroke-dasharray="6 4"')):
            y = py(float(run[col].iloc[0]))
            out.append(f'<line x1="{xs[0]:.1f}" x2="{xs[-1]:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GREY}"{dash}/>')
    pts = " ".join(f"{x:.1f},{py(v):.1f}" for x, v in zip(xs, run["count"], strict=True))
    out.append(f'<polyline points="{pts}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    for x, v, s in zip(xs, run["count"], run["signal"], strict=True):
        if s:
            out.append(f'<rect x="{x - 4:.1f}" y="{py(v) - 4:.1f}" width="8" height="8" fill="{VERMILION}"/>')
        else:
            out.append(f'<circle cx="{x:.1f}" cy="{py(v):.1f}" r="2.5" fill="{BLUE}"/>')
    return out
