"""Month by month: the monthly series of every ward and indicator with its control limits as a download, and
for the report's district the borough's control charts of its priorities in the chapter on 2012/13 performance
(each ward's own charts are on its page)."""

from __future__ import annotations

from geo.render.markup import DOWNLOAD_DIR
from geo.render.output import Section
from geo.render.trends import borough_trends, series_download


def section(ctx) -> Section:
    """The monthly series download and, for the report's district, the borough charts' snippet."""
    out = Section()
    t = ctx.tables
    out.file(f"{DOWNLOAD_DIR}/ward-monthly-series.csv", series_download(t.series, ctx.names, ctx.config.district))
    if ctx.place.report:
        headline = {i.id: i.title for i in ctx.indicators if i.kind == "crime" and i.headline}
        out.snippet("spc-borough", borough_trends(t.series, headline, ctx.place.name, "###", ctx.place.area))
    return out
