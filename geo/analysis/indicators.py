"""The indicator table (``data/indicators.csv``) and the stages that turn ward counts into rates.

Indicators are data: one row per indicator says which police.uk categories it counts, how to classify it
on a map and which palette to use. Adding an indicator is one row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.analysis.funnel import verdicts
from geo.analysis.stats import fdr_adjust, rate_per_1000
from geo.errors import InputError


@dataclass(frozen=True)
class Indicator:
    """One row of the indicator table."""

    id: str
    title: str
    kind: str
    headline: bool
    hotspot: bool
    police_categories: tuple[str, ...]
    scheme: str
    k: int
    palette: str
    suppress_below: int
    description: str
    priority: int | None = None
    """Its place among the assessment's priorities (1 first), or None if it is not one."""
    lead: bool = False
    """Whether ward pages and the Wards index lead with it (anti-social behaviour)."""
    recorded_crime: bool = True
    """Whether police.uk counts it as a crime (anti-social behaviour incidents are not, and have no outcomes)."""


def priorities_of(indicators) -> list[Indicator]:
    """The priority indicators, in priority order (``priority`` column of the indicator table)."""
    return sorted((i for i in indicators if i.priority is not None), key=lambda i: i.priority)


def lead_of(indicators) -> str | None:
    """The id of the indicator the ward pages lead with, if any."""
    return next((i.id for i in indicators if i.lead), None)


def category_map(indicators) -> dict[str, str]:
    """police.uk category -> indicator id, for the crime indicators."""
    return {c: i.id for i in indicators if i.kind == "crime" for c in i.police_categories}


def label_indicators(records: pd.DataFrame, indicators) -> pd.DataFrame:
    """Add an ``indicator`` column to police.uk records from their ``crime_type``.

    Raises
    ------
    InputError
        If a record's category belongs to no indicator (nothing is dropped silently).
    """
    cmap = category_map(indicators)
    ind = records["crime_type"].map(cmap)
    unknown = ind.isna()
    if unknown.any():
        r = records[unknown].iloc[0]
        raise InputError(
            r["source_file"],
            f"police.uk category {r['crime_type']!r} belongs to no indicator",
            row=int(r["line"]),
            column="Crime type",
            fix="add it to police_categories of one row in data/indicators.csv",
        )
    return records.assign(indicator=ind)


def counts_by_ward(records: pd.DataFrame, wards: pd.DataFrame, indicators) -> pd.DataFrame:
    """Count records per ward and crime indicator, with zeros where a ward has none.

    Parameters
    ----------
    records : pandas.DataFrame
        Records with ``ward_code`` (NaN outside the district) and ``indicator``.
    wards : pandas.DataFrame
        ``ward_code``, ``ward_name``.

    Returns
    -------
    pandas.DataFrame
        ``ward_code``, ``ward_name``, ``indicator``, ``count``: one row per ward and crime indicator, sorted.
    """
    ids = [i.id for i in indicators if i.kind == "crime"]
    inside = records[records["ward_code"].notna()]
    counts = inside.groupby(["ward_code", "indicator"]).size()
    grid = pd.MultiIndex.from_product([sorted(wards["ward_code"]), ids], names=["ward_code", "indicator"])
    out = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    out["count"] = out["count"].astype("int64")
    names = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    out.insert(1, "ward_name", out["ward_code"].map(names))
    return out


def district_totals(records: pd.DataFrame, district_lsoas, residents: int, indicators) -> pd.DataFrame:
    """The district's own count of each crime indicator as police.uk attributes it (records whose LSOA is one of
    the district's, wherever their snap point falls) over its Census district row: ``borough_count`` and
    ``borough_pop``, indexed by indicator.

    ``records`` are the period's placed records (``status``, ``lsoa_code``, ``indicator``); repeats and records with
    no location are not counted (police.uk gives those no LSOA either).
    """
    ids = [i.id for i in indicators if i.kind == "crime"]
    located = records[records["status"].isin(["in_ward", "outside_district"])]
    mine = located[located["lsoa_code"].isin(set(district_lsoas))]
    counts = mine.groupby("indicator").size().reindex(ids, fill_value=0).astype("int64")
    return pd.DataFrame({"borough_count": counts, "borough_pop": residents}, index=pd.Index(ids, name="indicator"))


def rates_by_ward(counts: pd.DataFrame, population: pd.DataFrame, district: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rates per 1,000 residents with 95 % intervals, compared with the borough and ranked.

    Parameters
    ----------
    counts : pandas.DataFrame
        As returned by :func:`counts_by_ward`.
    population : pandas.DataFrame
        ``ward_code``, ``population``.

    Returns
    -------
    pandas.DataFrame
        ``counts`` plus ``population``, ``rate_per_1000``, ``rate_lower_95``, ``rate_upper_95``,
        ``borough_count``, ``borough_rate_per_1000``, ``compared_with_borough`` (``higher``/``lower``/
        ``similar``: higher or lower only when the exact Poisson test below gives p < 0.05; the same test places
        the ward on the funnel plot, :func:`geo.analysis.funnel.verdicts`), ``p_value`` (exact
        Poisson test of the ward's count against the borough rate applied to its population), ``q_value`` and
        ``compared_fdr`` (the same verdict kept only where the Benjamini-Hochberg false discovery rate across the
        indicator's wards stays under 5 %; else ``similar``) and ``rank`` (1 = highest rate of the district's
        wards; ties share the best rank).

        The borough's count and rate are the wards' own totals, unless ``district`` (from
        :func:`district_totals`) gives the district's: then the wards are compared with that rate.
    """
    df = counts.merge(population[["ward_code", "population"]], on="ward_code", how="left", validate="m:1")
    if df["population"].isna().any():
        missing = sorted(df.loc[df["population"].isna(), "ward_code"].unique())
        raise ValueError(f"no population for ward(s) {missing}")
    rate, lo, hi = rate_per_1000(df["count"], df["population"])
    df["rate_per_1000"], df["rate_lower_95"], df["rate_upper_95"] = rate, lo, hi
    tot = df.groupby("indicator").agg(borough_count=("count", "sum"), borough_pop=("population", "sum"))
    if district is not None:
        tot = district.reindex(tot.index)
    tot["borough_rate_per_1000"] = tot["borough_count"] * 1000 / tot["borough_pop"]
    df = df.merge(tot[["borough_count", "borough_rate_per_1000"]], left_on="indicator", right_index=True)
    tested = verdicts(df["count"], df["borough_rate_per_1000"] * df["population"] / 1000)  # one exact test
    df["compared_with_borough"] = np.where(np.isnan(lo) | np.isnan(hi), "unknown", tested["compared"].to_numpy())
    df["p_value"] = tested["p_value"].to_numpy()
    df["q_value"], keep = np.nan, np.zeros(len(df), dtype=bool)
    for _, idx in df.groupby("indicator").indices.items():
        q, k = fdr_adjust(df["p_value"].to_numpy()[idx])
        df.iloc[idx, df.columns.get_loc("q_value")] = q
        keep[idx] = k
    df["compared_fdr"] = np.where(keep, df["compared_with_borough"], "similar")
    df["rank"] = df.groupby("indicator")["rate_per_1000"].rank(ascending=False, method="min").astype("int64")
    return df.sort_values(["indicator", "ward_code"]).reset_index(drop=True)


def suppress_small(table: pd.DataFrame, indicators) -> pd.DataFrame:
    """Blank counts and rates below each indicator's ``suppress_below`` threshold (1 to threshold-1)."""
    thresholds = {i.id: i.suppress_below for i in indicators}
    t = table["indicator"].map(thresholds).fillna(0)
    hide = (table["count"] > 0) & (table["count"] < t)
    out = table.copy()
    out["suppressed"] = hide
    out["count"] = out["count"].astype("Int64").mask(hide)
    for c in ("rate_per_1000", "rate_lower_95", "rate_upper_95"):
        out[c] = out[c].astype("float64").where(~hide, np.nan)
    out.loc[hide, "compared_with_borough"] = "suppressed"
    out.loc[hide, "compared_fdr"] = "suppressed"
    out.loc[hide, ["p_value", "q_value"]] = np.nan
    return out
