"""The open, static API (:mod:`geo.render.api`): a JSON document per ward of the vintage, an index of them, the
JSON Schema (once, at the site's root), the same data as CSV downloads, and the "Use the data" page."""

from __future__ import annotations

import pandas as pd

from geo.analysis.funnel import funnel_position
from geo.analysis.outcomes import GROUPS
from geo.analysis.repeat import MIN_RECORDS
from geo.render import api
from geo.render.feeds import WORDS, entry_id
from geo.render.markup import DOWNLOAD_DIR
from geo.render.output import Section
from geo.render.templates import render

OUTCOME_FIELDS = ["indicator", "crimes", *GROUPS, "with_outcome", "formal", "share_pct", "lower_pct", "upper_pct"]
OUTCOME_FIELDS += ["district_share_pct", "compared"]
REPEAT_FIELDS = ["rank", "location", "latitude", "longitude", "records", "months", "months_in_period", "categories"]


def section(ctx) -> Section:
    out = Section()
    n_months = len(ctx.config.period.months())
    repeats, outcomes = ctx.repeats.assign(months_in_period=n_months), ctx.outcomes
    positions = funnel_position(ctx.tables.crime)
    series = ctx.tables.series
    signals = series[series["signal"].isin(list(WORDS))]
    inputs = _inputs(ctx.inputs.checksums)
    crime = ctx.tables.crime.set_index(["ward_code", "indicator"])
    residents = dict(zip(ctx.tables.wards["ward_code"], ctx.tables.wards["population"].astype(int), strict=True))
    wards = []
    for code, slug in sorted(ctx.slugs.items()):
        doc = {
            **_head(ctx),
            "ward": _ward(ctx, code, slug, residents[code]),
            "indicators": _indicators(ctx, positions[positions["ward_code"] == code], crime),
            "signals": _signals(ctx, signals[signals["ward_code"] == code]),
            "repeat_locations": _repeats(repeats[repeats["ward_code"] == code]),
            "repeat_locations_min_records": MIN_RECORDS,
            "outcomes": outcomes.loc[outcomes["ward_code"] == code, OUTCOME_FIELDS].to_dict("records"),
            "provenance": {"inputs": inputs},
        }
        out.file(f"{api.API_DIR}/wards/{slug}.json", api.dumps(doc))
        wards.append({"code": code, "name": ctx.names[code], "document": f"wards/{slug}.json"})
    out.file(f"{api.API_DIR}/index.json", api.dumps(_index(ctx, wards)))
    out.file(api.SCHEMA_FILE, api.dumps(api.WARD_SCHEMA))  # one copy, at the root (geo.site.ROOT_ONLY)
    out.file(api.INDEX_SCHEMA_FILE, api.dumps(api.INDEX_SCHEMA))
    out.file(f"{DOWNLOAD_DIR}/ward-outcomes.csv", _csv(outcomes, ["ward_code", "ward_name", *OUTCOME_FIELDS]))
    flat = repeats.assign(
        ward_name=repeats["ward_code"].map(ctx.names),
        categories=["; ".join(f"{c} ({n})" for c, n in cats) for cats in repeats["categories"]],
    )
    out.file(f"{DOWNLOAD_DIR}/ward-repeat-locations.csv", _csv(flat, ["ward_code", "ward_name", *REPEAT_FIELDS]))
    if not ctx.prefix:
        vintages = ctx.vintages or (("", ctx.label),)
        page = render("use-the-data.md.j2", vintages=vintages, example=ctx.slugs[min(ctx.slugs)])
        out.page("use-the-data.md", page, "", "Use the data")
    return out


def _head(ctx) -> dict:
    p, place = ctx.config.period, ctx.place
    vintage = {
        "prefix": ctx.prefix,
        "period_start": p.start,
        "period_end": p.end,
        "label": ctx.label,
        "ward_set": str(place.wards_year),
        "census": int(place.census),
        "deprivation": place.edition.short,
    }
    district = {"code": ctx.config.district, "name": place.name}
    return {"api_version": api.API_VERSION, "district": district, "vintage": vintage}


def _ward(ctx, code: str, slug: str, residents: int) -> dict:
    page = f"{ctx.prefix}wards/{slug}.html"
    return {"code": code, "name": ctx.names[code], "slug": slug, "page": page, "residents": residents}


def _indicators(ctx, pos: pd.DataFrame, crime: pd.DataFrame) -> list[dict]:
    """The ward's rows of the funnel positions ``pos`` with their figures from ``crime`` (indexed by ward and
    indicator)."""
    out = []
    for r in pos.itertuples(index=False):
        c = crime.loc[(r.ward_code, r.indicator)]
        out.append(
            {
                "id": r.indicator,
                "title": ctx.crime_titles[r.indicator],
                "count": None if pd.isna(c["count"]) else int(c["count"]),
                "rate_per_1000": c["rate_per_1000"],
                "rate_lower_95": c["rate_lower_95"],
                "rate_upper_95": c["rate_upper_95"],
                "district_rate_per_1000": c["borough_rate_per_1000"],
                "compared_with_district": c["compared_with_borough"],
                "p_value": c["p_value"],
                "q_value": c["q_value"],
                "compared_fdr": c["compared_fdr"],
                "funnel": r.funnel,
                "rank": None if pd.isna(c["rank"]) else int(c["rank"]),
            }
        )
    return out


def _signals(ctx, rows: pd.DataFrame) -> list[dict]:
    """The ward's months outside their control limits, with the ids its Atom feed gives the same signals."""
    return [
        {
            "id": entry_id(ctx.config.district, r.ward_code, r.indicator, r.month),
            "indicator": r.indicator,
            "month": r.month,
            "count": int(r.count),
            "usual": r.centre,
            "lower_limit": r.lower,
            "upper_limit": r.upper,
            "direction": r.signal,
        }
        for r in rows.sort_values(["month", "indicator"]).itertuples(index=False)
    ]


def _repeats(rows: pd.DataFrame) -> list[dict]:
    out = rows[REPEAT_FIELDS].to_dict("records")
    for r in out:
        r["categories"] = [{"category": c, "records": int(n)} for c, n in r["categories"]]
    return out


def _inputs(checksums: pd.DataFrame) -> list[dict]:
    cols = ["file", "bytes", "sha256", "fetched_from"]
    rows = checksums[cols].astype(object).where(checksums[cols].notna(), None)
    return [{**r, "bytes": int(r["bytes"])} for r in rows.to_dict("records")]


def _index(ctx, wards: list[dict]) -> dict:
    here = f"{ctx.prefix}{api.API_DIR}/index.json"
    up = "../" * here.count("/")
    others = [
        {"label": lab, "index": f"{up}{pre}{api.API_DIR}/index.json"} for pre, lab in ctx.vintages if pre != ctx.prefix
    ]
    return {**_head(ctx), "schema": f"{up}{api.SCHEMA_FILE}", "wards": wards, "other_vintages": others}


def _csv(frame: pd.DataFrame, cols: list[str]) -> str:
    return frame[cols].to_csv(index=False, float_format="%.4f", lineterminator="\n")
