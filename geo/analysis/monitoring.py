"""After the assessment: monitoring the priorities in 2014, and Maidstone among the Kent districts (pure stages)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.analysis.change import compare_counts
from geo.analysis.indicators import Indicator, counts_by_ward, label_indicators, rates_by_ward
from geo.analysis.wards import reconcile

STATUS = ("in_district", "outside_kent", "no_lsoa", "repeated")


def records_by_district(records: pd.DataFrame, lookup: pd.DataFrame, indicators) -> pd.DataFrame:
    """Give each police.uk record its district through its LSOA (police.uk's own placing) and its indicator.

    Parameters
    ----------
    records : pandas.DataFrame
        police.uk records (``lsoa_code``, ``crime_type``, …) from a whole-force file.
    lookup : pandas.DataFrame
        ``lsoa_code``, ``lad_code`` of the force area.

    Returns
    -------
    pandas.DataFrame
        ``records`` with ``indicator``, ``lad_code`` (NaN unless in a district) and ``status`` (one of
        :data:`STATUS`): records placed in LSOAs outside the lookup (other forces' areas) are ``outside_kent``,
        records with no LSOA are ``no_lsoa``, records repeating an earlier one's Crime ID ``repeated``; none is
        dropped.
    """
    out = label_indicators(records, indicators)
    lad = out["lsoa_code"].map(dict(zip(lookup["lsoa_code"], lookup["lad_code"], strict=True)))
    out = out.assign(lad_code=lad)
    repeated = out["repeat_of"].ne("") if "repeat_of" in out else pd.Series(False, index=out.index)
    out["status"] = np.select(
        [repeated, out["lsoa_code"].eq(""), lad.isna()], ["repeated", "no_lsoa", "outside_kent"], default="in_district"
    )
    return out


def district_rates(placed: pd.DataFrame, districts: pd.DataFrame, population: pd.DataFrame, indicators) -> pd.DataFrame:
    """Rates per 1,000 residents with 95 % intervals for every district and crime indicator, ranked.

    ``districts`` has ``district_code``, ``district_name``; ``population`` has ``lad_code``, ``residents``.
    The result has the columns of :func:`geo.analysis.indicators.rates_by_ward` with ``ward_*`` read as district.
    """
    units = districts.rename(columns={"district_code": "ward_code", "district_name": "ward_name"})
    by_lad = placed.drop(columns=["ward_code", "ward_name"], errors="ignore").rename(columns={"lad_code": "ward_code"})
    counts = counts_by_ward(by_lad, units, indicators)
    pop = population.groupby("lad_code", as_index=False)["residents"].sum()
    pop = pop.rename(columns={"lad_code": "ward_code", "residents": "population"})
    return rates_by_ward(counts, pop)


def ward_change(before: pd.DataFrame, after: pd.DataFrame, indicator_ids) -> pd.DataFrame:
    """Counts per ward of two periods (from :func:`geo.analysis.indicators.counts_by_ward`) summed over
    ``indicator_ids`` and compared with :func:`geo.analysis.change.compare_counts`; indexed by ward code."""
    a = before[before["indicator"].isin(indicator_ids)].groupby("ward_code")["count"].sum()
    b = after[after["indicator"].isin(indicator_ids)].groupby("ward_code")["count"].sum()
    return compare_counts(a, b.reindex(a.index, fill_value=0))


def monthly_totals(records: pd.DataFrame, indicator_ids, months) -> pd.Series:
    """Records in the district per month for the given indicators (zeros for empty months)."""
    inside = records[(records["status"] == "in_ward") & records["indicator"].isin(indicator_ids)]
    return inside.groupby("month").size().reindex(list(months), fill_value=0)


def kent_rates(records: pd.DataFrame, lookup: pd.DataFrame, population: pd.DataFrame, districts, indicators):
    """Rates per 1,000 of each district for every crime indicator and for all crime but ASB, with how the records
    were placed (pure).

    Returns
    -------
    (pandas.DataFrame, pandas.Series)
        :func:`district_rates` rows for each indicator and ``all_crime``; and the count of records by placing
        status (``in_district``, ``outside_kent``, ``no_lsoa``), which adds up to the records given.
    """

    placed = records_by_district(records, lookup[["lsoa_code", "lad_code"]], indicators)
    inside = placed[placed["status"] == "in_district"]
    pop = population[population["lad_code"].isin(districts["district_code"])]
    totals = population.attrs.get("district_totals")
    if totals is not None:  # Census 2021: each district's own row, not its perturbed LSOAs' sum
        pop = pd.DataFrame({"lad_code": list(totals), "residents": list(totals.values())})
        pop = pop[pop["lad_code"].isin(districts["district_code"])]
    rates = district_rates(inside, districts, pop, indicators)
    crimes = [i.id for i in indicators if i.kind == "crime" and i.recorded_crime]  # anti-social behaviour is not
    everything = inside[inside["indicator"].isin(crimes)].assign(indicator="all_crime")
    all_crime = [Indicator("all_crime", "All crime", "crime", True, False, (), "FisherJenks", 5, "Blues", 0, "")]
    rates = pd.concat([rates, district_rates(everything, districts, pop, all_crime)], ignore_index=True)
    return rates, placed["status"].value_counts()


@dataclass(frozen=True)
class PriorityChange:
    """The priorities in two equal periods, ward by ward (the 2014 monitoring page)."""

    wards: dict
    """Indicator id -> :func:`ward_change` table (one row per ward, by ``ward_code``)."""
    totals: dict
    """Indicator id -> the district's :func:`geo.analysis.change.compare_counts` row (before, after, ratio,
    verdict…)."""
    monthly: tuple
    """Per period, the priorities' records together by month (:func:`monthly_totals`)."""
    reconciliations: tuple
    """Per period, how every row read was accounted for (:class:`geo.analysis.wards.Reconciliation`)."""


def priority_change(records: tuple, ward_table: pd.DataFrame, indicators, priorities) -> PriorityChange:
    """Compare ``priorities`` (indicator ids) between two periods.

    ``records`` is ``((period, records of that period already labelled and placed in wards), …)`` for the two
    periods, earlier first (:func:`geo.analysis.wards.assign_wards`; nothing is placed again here).
    """
    counts, monthly, recs = [], [], []
    for period, rows in records:
        recs.append(reconcile(rows, period.months()))
        counts.append(counts_by_ward(rows, ward_table, indicators))
        monthly.append(monthly_totals(rows, list(priorities), period.months()))
    by_ward, totals = {}, {}
    for ind in priorities:
        cmp = ward_change(counts[0], counts[1], [ind])
        by_ward[ind] = cmp
        totals[ind] = compare_counts(pd.Series([cmp["before"].sum()]), pd.Series([cmp["after"].sum()])).iloc[0]
    return PriorityChange(by_ward, totals, tuple(monthly), tuple(recs))
