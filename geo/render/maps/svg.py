"""Static SVG maps drawn at build time (for print, where an interactive map cannot go)."""

from __future__ import annotations

import html

import shapely
from shapely.geometry.base import BaseGeometry


def _path(geom: BaseGeometry, tx) -> str:
    parts = []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            pts = [tx(x, y) for x, y in ring.coords]
            parts.append("M" + " ".join(f"{x:.0f} {y:.0f}" for x, y in pts) + "Z")
    return "".join(parts)


def ward_svg(
    ward: BaseGeometry,
    neighbours: list[tuple[BaseGeometry, str]],
    cells: list[tuple[BaseGeometry, str]],
    *,
    title: str,
    width: int = 600,
) -> str:
    """An SVG map of one ward (British National Grid geometry): its outline, neighbours and shaded cells.

    Parameters
    ----------
    ward : shapely geometry
        The ward, in metres (EPSG:27700).
    neighbours : list of (geometry, name)
        Surrounding wards, drawn thin and labelled.
    cells : list of (geometry, fill colour)
        Hotspot cells to shade.
    title : str
        The accessible name (escaped here).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> svg = ward_svg(box(0, 0, 1000, 500), [], [(box(0, 0, 100, 100), "#b2182b")], title="A & B")
    >>> svg.startswith('<svg') and 'A &amp; B' in svg and '#b2182b' in svg
    True
    """
    minx, miny, maxx, maxy = shapely.buffer(
        ward, max(ward.bounds[2] - ward.bounds[0], ward.bounds[3] - ward.bounds[1]) * 0.06
    ).bounds
    scale = width / (maxx - minx)
    height = round((maxy - miny) * scale)

    def tx(x, y):
        return (x - minx) * scale, (maxy - y) * scale

    clip = shapely.box(minx, miny, maxx, maxy)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="svg-title"><title id="svg-title">{html.escape(title)}</title>',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    for geom, colour in cells:
        g = geom.intersection(clip)
        if not g.is_empty:
            out.append(f'<path d="{_path(g, tx)}" fill="{html.escape(colour)}" stroke="#777" stroke-width="0.5"/>')
    for geom, name in neighbours:
        g = geom.intersection(clip)
        if g.is_empty or g.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        out.append(f'<path d="{_path(g, tx)}" fill="none" stroke="#888" stroke-width="1"/>')
        px, py = tx(*g.representative_point().coords[0])
        out.append(
            f'<text x="{px:.0f}" y="{py:.0f}" font-size="11" fill="#555" text-anchor="middle">'
            f"{html.escape(name)}</text>"
        )
    out.append(f'<path d="{_path(ward, tx)}" fill="none" stroke="#000" stroke-width="2.5"/>')
    out.append("</svg>")
    return "".join(out)
