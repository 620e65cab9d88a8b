"""The pipeline: read every input (the only reading step), then run the pure stages in order.

``load_inputs`` does the I/O and validation; ``ward_tables`` is pure and returns every table the site needs.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import deprivation, indicators, wards
from geo.config import Config
from geo.errors import InputError
from geo.sources import boundaries, police, tables


def input_paths(data_dir: Path, district: str) -> dict[str, Path]:
    """Where each non-police input lives in the data directory (laid out as ``../shared/data``)."""
    d = Path(data_dir)
    local = "maidstone" if district == "E07000110" else district  # the shared data name Maidstone's own lookups
    return {
        "wards": boundaries.wards_path(d, district),
        "population": d / "population" / "census-2011-lsoa11-kent.csv",
        "lsoa11_ward": d / "lookups" / "lsoa11-to-ward-kent.csv",
        "lsoa01_ward": d / "lookups" / f"lsoa01-to-ward-{local}.csv",
        "lsoa01_lsoa11": d / "lookups" / f"lsoa01-to-lsoa11-{local}.csv",
        "imd2010": d / "deprivation" / "imd-2010-lsoa01-england.csv",
    }


@dataclass(frozen=True)
class Inputs:
    """Validated inputs of one build."""

    wards: gpd.GeoDataFrame
    records: pd.DataFrame
    missing_months: tuple[str, ...]
    population: pd.DataFrame
    lsoa11_ward: pd.DataFrame
    lsoa01_ward: pd.DataFrame
    lsoa01_lsoa11: pd.DataFrame
    imd2010: pd.DataFrame
    indicators: tuple[indicators.Indicator, ...]
    files: tuple[Path, ...]
    paths: dict[str, Path]
    mentions: pd.DataFrame
    """What the assessment says about named wards (empty for other districts)."""


def load_inputs(config: Config, read_police=None) -> Inputs:
    """Read and validate every input the build needs (raises :class:`InputError` on the first problem)."""
    data_dir = Path(config.data_dir)
    if not data_dir.is_dir() or not any(data_dir.iterdir()):
        raise InputError(
            data_dir,
            "the data directory is missing or empty",
            fix="point --data-dir at a folder laid out like ../shared/data",
        )
    paths = input_paths(data_dir, config.district)
    records, missing = police.crimes_for_period(
        data_dir, config.period, allow_missing=config.allow_partial, read=read_police
    )
    pfiles = police.police_files(data_dir)
    ward_gdf = boundaries.wards_from_geojson(paths["wards"])
    mentions = (
        tables.report_mentions_from_csv(config.mentions_file, set(ward_gdf["ward_name"]))
        if config.mentions_file
        else pd.DataFrame(columns=list(tables.MENTION_COLUMNS))
    )
    return Inputs(
        wards=ward_gdf,
        records=records,
        missing_months=tuple(missing),
        population=tables.population_from_csv(paths["population"]),
        lsoa11_ward=tables.lsoa11_ward_lookup_from_csv(paths["lsoa11_ward"]),
        lsoa01_ward=tables.lsoa01_ward_lookup_from_csv(paths["lsoa01_ward"]),
        lsoa01_lsoa11=tables.lsoa01_to_lsoa11_from_csv(paths["lsoa01_lsoa11"]),
        imd2010=tables.imd2010_from_csv(paths["imd2010"]),
        indicators=indicators.indicators_from_csv(config.indicators_file),
        files=tuple(sorted(paths.values()))
        + tuple(pfiles[m] for m in config.period.months() if m in pfiles)
        + (Path(config.indicators_file),),
        paths=paths,
        mentions=mentions,
    )


@dataclass(frozen=True)
class WardTables:
    """Everything the pipeline computes."""

    wards: gpd.GeoDataFrame
    """Ward boundaries (EPSG:27700) with ``population``."""
    crime: pd.DataFrame
    """One row per ward and crime indicator (see :func:`geo.indicators.rates_by_ward`)."""
    deprivation: pd.DataFrame
    """One row per ward (see :func:`geo.deprivation.imd_by_ward`)."""
    records: gpd.GeoDataFrame
    """Every police.uk row with its ``status``, ``ward_code`` and ``indicator``."""
    reconciliation: wards.Reconciliation


def ward_tables(inp: Inputs, config: Config) -> WardTables:
    """Run the stages: assign records to wards, count, rate, and summarise deprivation (pure)."""
    months = config.period.months()
    check_lookup_covers(inp.lsoa11_ward, inp.wards, config.district, inp.paths["lsoa11_ward"])
    labelled = indicators.label_indicators(inp.records, inp.indicators)
    assigned = wards.assign_wards(labelled, inp.wards, months)
    rec = wards.reconcile(assigned, months, inp.missing_months)
    with _blame(
        inp.paths["lsoa11_ward"],
        "the lookup needs every LSOA of every ward, and the Census file every LSOA of the lookup",
    ):
        pop = wards.ward_population(inp.population, inp.lsoa11_ward, inp.wards)
    counts = indicators.counts_by_ward(assigned, inp.wards, inp.indicators)
    crime = indicators.suppress_small(indicators.rates_by_ward(counts, pop), inp.indicators)
    crime.insert(3, "period", config.period.label)
    ward01 = inp.lsoa01_ward[inp.lsoa01_ward["ward_code"].isin(inp.wards["ward_code"])]
    for key, table in (("lsoa01_lsoa11", inp.lsoa01_lsoa11), ("imd2010", inp.imd2010)):
        gap = ward01[~ward01["lsoa01_code"].isin(table["lsoa01_code"])]
        if not gap.empty:
            raise InputError(
                inp.paths[key],
                f"2001 LSOA {gap['lsoa01_code'].iloc[0]!r} (line "
                f"{gap['line'].iloc[0]} of {inp.paths['lsoa01_ward'].name}) is missing",
                fix="use files of the same LSOA vintage (2001)",
            )
    with _blame(inp.paths["lsoa01_lsoa11"], "every 2011 LSOA it names needs a Census population"):
        pop01 = deprivation.lsoa01_population(inp.population, inp.lsoa01_lsoa11)
    with _blame(inp.paths["lsoa01_ward"], "every 2001 LSOA of a ward needs an IMD score and a 2001->2011 lookup row"):
        dep = deprivation.imd_by_ward(inp.imd2010, inp.lsoa01_ward, pop01, inp.wards)
    w = inp.wards.merge(pop, on="ward_code", validate="1:1")
    return WardTables(w, crime, dep, assigned, rec)


@contextmanager
def _blame(path: Path, fix: str):
    """Turn a stage's ValueError about gaps between tables into an InputError naming the file."""
    try:
        yield
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(path, str(exc), fix=fix) from None


def check_lookup_covers(lookup: pd.DataFrame, ward_gdf: pd.DataFrame, district: str, path: Path) -> None:
    """Every ward of the boundaries is in the lookup, and the lookup's wards of the district are all known."""
    lk = lookup[lookup["lad_code"] == district]
    unknown = sorted(set(lk["ward_code"]) - set(ward_gdf["ward_code"]))
    if unknown:
        row = lk[lk["ward_code"] == unknown[0]].iloc[0]
        raise InputError(
            path,
            f"ward code {unknown[0]!r} is not in the ward boundaries",
            row=int(row["line"]),
            column="WD15CD",
            fix="use a lookup and boundaries of the same ward vintage",
        )


def period_counts(
    records: pd.DataFrame, ward_gdf: gpd.GeoDataFrame, inds, months
) -> tuple[pd.DataFrame, wards.Reconciliation]:
    """Ward counts per crime indicator for one period's records, with its reconciliation (pure)."""
    labelled = indicators.label_indicators(records, inds)
    assigned = wards.assign_wards(labelled, ward_gdf, months)
    return indicators.counts_by_ward(assigned, ward_gdf, inds), wards.reconcile(assigned, months)
