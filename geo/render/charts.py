"""Static SVG charts with a text alternative (no chart library, nothing loaded at run time).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that states what the chart shows;
the page puts the chart's data table next to it.
"""

from __future__ import annotations

import html
import math

PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]
"""Okabe-Ito colours, distinguishable with the common colour-vision deficiencies."""

W, H = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 24, 64


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return step * mag
    return 10 * mag


def _frame(title: str, desc: str, ymax: float, ylabel: str, ticks: int = 5) -> list[str]:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" role="img" class="chart" '
        f'aria-label="{html.escape(title)}"><title>{html.escape(title)}</title><desc>{html.escape(desc)}</desc>',
        f'<rect width="{W}" height="{H}" fill="#fff"/>',
    ]
    for i in range(ticks + 1):
        v = ymax * i / ticks
        y = TOP + (H - TOP - BOTTOM) * (1 - i / ticks)
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#333">'
            f"{v:,.{0 if ymax >= 10 else 1}f}</text>"
        )
    out.append(
        f'<text x="14" y="{TOP + (H - TOP - BOTTOM) / 2:.0f}" font-size="11" fill="#333" '
        f'transform="rotate(-90 14 {TOP + (H - TOP - BOTTOM) / 2:.0f})" text-anchor="middle">'
        f"{html.escape(ylabel)}</text>"
    )
    return out


def _legend(names: list[str], colours: list[str], dashed: set[str] = frozenset()) -> list[str]:
    out, x = [], LEFT
    for name, colour in zip(names, colours, strict=True):
        dash = ' stroke-dasharray="6 4"' if name in dashed else ""
        out.append(
            f'<line x1="{x}" x2="{x + 18}" y1="{H - 12}" y2="{H - 12}" stroke="{colour}" stroke-width="3"{dash}/>'
        )
        out.append(f'<text x="{x + 22}" y="{H - 8}" font-size="11" fill="#222">{html.escape(name)}</text>')
        x += 30 + 6.5 * len(name)
    return out


def line_chart(
    labels: list[str],
    series: dict[str, list[float | None]],
    *,
    title: str,
    desc: str,
    ylabel: str,
    reference: tuple[str, float] | None = None,
    ymax: float | None = None,
) -> str:
    """A line chart over categorical x labels (e.g. months); ``None`` leaves a gap.

    Examples
    --------
    >>> svg = line_chart(["Jan", "Feb"], {"A": [1, 2]}, title="T", desc="D", ylabel="n")
    >>> svg.count("<polyline"), "<desc>D</desc>" in svg
    (1, True)
    """
    values = [v for s in series.values() for v in s if v is not None]
    top = ymax or _nice_max(max(values + ([reference[1]] if reference else [])) * 1.05)
    out = _frame(title, desc, top, ylabel)
    n = len(labels)
    step = (W - LEFT - RIGHT) / max(n - 1, 1)

    def xy(i, v):
        return LEFT + i * step, TOP + (H - TOP - BOTTOM) * (1 - v / top)

    every = max(1, math.ceil(n / 12))
    for i, lab in enumerate(labels):
        if i % every == 0:
            x, _ = xy(i, 0)
            out.append(
                f'<text x="{x:.1f}" y="{H - BOTTOM + 16}" font-size="10" text-anchor="middle" fill="#333">'
                f"{html.escape(lab)}</text>"
            )
    names, colours = list(series), PALETTE[: len(series)]
    for (name, vals), colour in zip(series.items(), colours, strict=True):
        out += _series_marks(name, vals, colour, labels, xy)
    dashed = set()
    if reference:
        name, v = reference
        _, y = xy(0, v)
        out.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#000" stroke-width="1.5" '
            'stroke-dasharray="6 4"/>'
        )
        names.append(name)
        colours = [*colours, "#000"]
        dashed.add(name)
    out += _legend(names, colours, dashed)
    out.append("</svg>")
    return "".join(out)


def _wrap(text: str, width: int, lines: int = 2) -> list[str]:
    """Split a label into at most ``lines`` lines of about ``width`` characters (the last may end in …).

    >>> _wrap("Rubbish or litter lying around", 14)
    ['Rubbish or', 'litter lying…']
    """
    out, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            out.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    out.append(cur)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1] + "…"
    return out


def bar_chart(
    categories: list[str], series: dict[str, list[float | None]], *, title: str, desc: str, ylabel: str
) -> str:
    """Grouped vertical bars: one group per category, one bar per series.

    >>> svg = bar_chart(["a", "b"], {"x": [1, 2], "y": [2, 1]}, title="T", desc="D", ylabel="%")
    >>> svg.count("<rect") - 1
    4
    """
    values = [v for s in series.values() for v in s if v is not None]
    top = _nice_max(max(values) * 1.05)
    out = _frame(title, desc, top, ylabel)
    n, k = len(categories), len(series)
    group = (W - LEFT - RIGHT) / n
    bar = group * 0.8 / k
    for ci, cat in enumerate(categories):
        gx = LEFT + ci * group + group * 0.1
        for si, (name, vals) in enumerate(series.items()):
            v = vals[ci]
            if v is None:
                continue
            h = (H - TOP - BOTTOM) * v / top
            out.append(
                f'<rect x="{gx + si * bar:.1f}" y="{H - BOTTOM - h:.1f}" width="{bar - 1:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[si % len(PALETTE)]}"><title>{html.escape(cat)}, '
                f"{html.escape(name)}: {v:,.1f}</title></rect>"
            )
        words = cat if len(cat) <= 18 else cat[:17] + "…"
        out.append(
            f'<text x="{gx + group * 0.4:.1f}" y="{H - BOTTOM + 14}" font-size="10" text-anchor="middle" '
            f'fill="#333">{html.escape(words)}</text>'
        )
    out += _legend(list(series), [PALETTE[i % len(PALETTE)] for i in range(k)])
    out.append("</svg>")
    return "".join(out)


def _series_marks(name: str, vals: list, colour: str, labels: list[str], xy) -> list[str]:
    """One series of a line chart: its line (gaps where a value is None) and a titled dot per value."""
    pts = " ".join(f"{xy(i, v)[0]:.1f},{xy(i, v)[1]:.1f}" for i, v in enumerate(vals) if v is not None)
    out = [
        f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5">'
        f"<title>{html.escape(name)}</title></polyline>"
    ]
    for i, v in enumerate(vals):
        if v is not None:
            x, y = xy(i, v)
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>'
                f"{html.escape(labels[i])}: {v:,.1f}</title></circle>"
            )
    return out
