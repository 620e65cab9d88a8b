"""The reading step: every input of one build, read and validated once. Nothing after it opens a file.

:func:`load_inputs` checks the data directory against its manifest, reads the boundaries, Census, lookups,
deprivation and every police.uk month (once each), checks them against each other, and reads what some pages need
(the Kent outlines, STATS19, the assessment's tables), with the SHA-256 of every file read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.analysis import deprivation, wards
from geo.analysis.indicators import Indicator
from geo.config import DEFAULT_PERIOD, REPORT_DISTRICT, Config
from geo.errors import InputError
from geo.read import agreement, boundaries, bundle, police, stats19, tables
from geo.read import indicators as indicator_table
from geo.read.manifest import fetched_from, file_checksums, manifest_from_csv
from geo.read.report_tables import report_tables

KENT_DISTRICTS = Path("boundaries") / "districts-2013-kent.geojson"
"""Kent's district outlines in the data directory (the Kent comparison's map)."""


def input_paths(data_dir: Path, district: str, period_end: str = DEFAULT_PERIOD.end) -> dict[str, Path]:
    """Where each non-police input lives in the data directory (laid out as ``data/bundle``).

    ``period_end`` (``YYYY-MM``) picks the ward boundaries' vintage where there are several, and the edition of
    the Indices of Deprivation on 2011 LSOAs (:func:`geo.analysis.deprivation.lsoa11_edition`).
    """
    d = Path(data_dir)
    local = "maidstone" if district == "E07000110" else district  # the open data name Maidstone's own lookups
    iod = deprivation.lsoa11_edition(period_end)
    return {
        "wards": boundaries.wards_path(d, district, int(period_end[:4])),
        "population": _one(d / "population", "census-2011-lsoa11-*.csv", "census-2011-lsoa11-kent.csv", district),
        "lsoa11_ward": _one(d / "lookups", "lsoa11-to-ward-*.csv", "lsoa11-to-ward-kent.csv", district),
        "lsoa01_ward": d / "lookups" / f"lsoa01-to-ward-{local}.csv",
        "lsoa01_lsoa11": d / "lookups" / f"lsoa01-to-lsoa11-{local}.csv",
        "imd2010": _one(d / "deprivation", "imd-2010-lsoa01-*.csv", "imd-2010-lsoa01-england.csv", district),
        f"imd{iod.year}": _one(
            d / "deprivation", f"imd-{iod.year}-lsoa11-*.csv", f"imd-{iod.year}-lsoa11-england.csv", district
        ),
    }


def _one(folder: Path, pattern: str, default: str, district: str) -> Path:
    """The file in ``folder`` matching ``pattern`` for this district.

    The bundle names its files after Kent; ``geo fetch`` names them after the district, so a data directory can
    hold several districts. A file named after the district (``…-<code>.csv``) is used first, then an
    England-wide file (``…-england.csv``), then the one file of whichever area the data cover; two candidates of
    the same kind are an error.
    """
    found = sorted(folder.glob(pattern))
    for suffix in (f"-{district}.csv", "-england.csv"):
        named = [p for p in found if p.name.endswith(suffix)]
        if named:
            return named[0]
    if len(found) > 1:
        raise InputError(found[1], f"more than one file matches {pattern} (also {found[0].name})", fix="keep one")
    return found[0] if found else folder / default


def deprivation_edition(paths: dict[str, Path], period_end: str = DEFAULT_PERIOD.end) -> deprivation.Edition:
    """IMD 2010 (the assessment's edition) when the district has 2001-LSOA lookups; else the edition on 2011
    LSOAs that was newest when the period ended (IoD 2015, or IoD 2019 from September 2019)."""
    if paths["lsoa01_ward"].is_file():
        return deprivation.IMD_2010
    return deprivation.lsoa11_edition(period_end)


@dataclass(frozen=True)
class Inputs:
    """Validated inputs of one build."""

    wards: gpd.GeoDataFrame
    records: pd.DataFrame
    missing_months: tuple[str, ...]
    population: pd.DataFrame
    lsoa11_ward: pd.DataFrame
    edition: deprivation.Edition
    imd: pd.DataFrame
    """The edition's IMD table (2001 LSOAs for IMD 2010, 2011 LSOAs for IoD 2015 and 2019)."""
    lsoa01_ward: pd.DataFrame | None
    """2001 LSOA -> ward (IMD 2010 only)."""
    lsoa01_lsoa11: pd.DataFrame | None
    """2001 -> 2011 LSOA (IMD 2010 only)."""
    indicators: tuple[Indicator, ...]
    files: tuple[Path, ...]
    paths: dict[str, Path]
    mentions: pd.DataFrame
    """What the assessment says about named wards (empty for other districts)."""
    series_records: pd.DataFrame | None = None
    """Every police.uk month in the data directory, for the monthly control charts (empty files are gaps)."""
    repeats: police.Repeats = police.Repeats({})
    """Records repeating an earlier record's Crime ID (counted once; Data and methods lists them)."""
    odd_months: dict = field(default_factory=dict)
    """Months whose police.uk file is not the district's, and why (left out; see
    :func:`geo.read.agreement.months_not_the_districts`)."""
    data_dir: Path = Path(".")
    """The data directory read (file names on the pages are relative to it)."""
    series_placed: gpd.GeoDataFrame | None = None
    """``series_records`` placed in wards (every month in the period of its own), for the monthly charts."""
    police_months: tuple[str, ...] = ()
    """Months with a police.uk file in the data directory (less those left out as not the district's)."""
    kent_districts: gpd.GeoDataFrame | None = None
    """Kent's district outlines (British National Grid), if the data directory has them."""
    pedestrians: pd.DataFrame | None = None
    """STATS19 pedestrian casualties (:func:`geo.read.stats19.pedestrian_casualties`), if present."""
    report_tables: dict = field(default_factory=dict)
    """The assessment's transcribed tables, name -> table (report district only)."""
    report_files: dict = field(default_factory=dict)
    """The same tables' CSV files as they are, for the downloads."""
    checksums: pd.DataFrame | None = None
    """``file``, ``bytes``, ``sha256`` and ``fetched_from`` of every input file read."""
    manifest: pd.DataFrame | None = None
    """``data/manifest.csv``: what each source is, who publishes it, and its licence."""


def series_records(pfiles: dict[str, Path], read) -> pd.DataFrame:
    """Records of every month that has a police.uk file with rows, in month order."""
    frames = [f for f in (read(pfiles[m]) for m in sorted(pfiles)) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=police.RECORD_COLUMNS)


def police_frames(pfiles: dict[str, Path], read) -> tuple[dict[Path, pd.DataFrame], police.Repeats]:
    """Every police.uk file of the data directory read once, checked across files for repeated records, and
    each record that repeats an earlier one's Crime ID marked (``repeat_of``)."""
    frames = {pfiles[m]: read(pfiles[m]) for m in sorted(pfiles)}
    repeats = police.repeated_records(frames.values())
    return {p: police.mark_repeats(f, repeats) for p, f in frames.items()}, repeats


@dataclass(frozen=True)
class PoliceRead:
    """Every police.uk file of the data directory, read and checked across files and against the wards."""

    files: dict
    """Month -> file."""
    records: pd.DataFrame
    """The period's records (months not the district's left out)."""
    missing: list
    """The period's months with no file, an empty one, or one that is not the district's."""
    series: pd.DataFrame
    """Every month's records, for the monthly charts and the comparisons."""
    placed: gpd.GeoDataFrame
    """``series`` placed in wards."""
    repeats: police.Repeats
    odd: dict
    """Months whose file is not the district's, and why."""


def read_police_files(config: Config, ward_gdf: gpd.GeoDataFrame, read) -> PoliceRead:
    """Read every police.uk file once, find repeated records across them, and leave out (or, for the period
    without ``--allow-partial``, refuse) months whose file is not the district's."""
    data_dir = Path(config.data_dir)
    pfiles = police.police_files(data_dir)
    frames, repeats = police_frames(pfiles, read)
    records, missing = police.crimes_for_period(
        data_dir, config.period, allow_missing=config.allow_partial, read=frames.__getitem__
    )
    series = series_records(pfiles, frames.__getitem__)
    placed = wards.assign_wards(series, ward_gdf, sorted(set(series["month"])))
    odd = agreement.months_not_the_districts(placed, config.period.months(), pfiles, config.allow_partial)
    if odd:  # left out everywhere, and named like months with no file
        records = records[~records["month"].isin(list(odd))].reset_index(drop=True)
        keep = ~series["month"].isin(list(odd)).to_numpy()
        series, placed = series[keep].reset_index(drop=True), placed[keep].reset_index(drop=True)
        missing = sorted(set(missing) | (set(odd) & set(config.period.months())))
    return PoliceRead(pfiles, records, missing, series, placed, repeats, odd)


def load_inputs(config: Config, read_police=None) -> Inputs:
    """Read and validate every input the build needs (raises :class:`InputError` on the first problem)."""
    data_dir = Path(config.data_dir)
    if not data_dir.is_dir() or not any(data_dir.iterdir()):
        raise InputError(
            data_dir,
            "the data directory is missing or empty",
            fix="point --data-dir at a folder laid out like data/bundle",
        )
    bundle.verify_bundle(data_dir)
    paths = input_paths(data_dir, config.district, config.period.end)
    edition = deprivation_edition(paths, config.period.end)
    used = (
        ["wards", "population", "lsoa11_ward"]
        + (["lsoa01_ward", "lsoa01_lsoa11"] if edition is deprivation.IMD_2010 else [])
        + [f"imd{edition.year}"]
    )  # the key is the manifest's id of the edition: imd2010, imd2015, imd2019
    paths = {k: paths[k] for k in used}
    ward_gdf = boundaries.wards_from_geojson(paths["wards"])
    population = tables.population_from_csv(paths["population"])
    lsoa11_ward = tables.lsoa11_ward_lookup_from_csv(paths["lsoa11_ward"])
    agreement.census_and_lookup_agree(
        population, lsoa11_ward, config.district, paths["population"], paths["lsoa11_ward"]
    )
    agreement.boundaries_and_lookup_agree(ward_gdf, lsoa11_ward, config.district, paths["wards"], paths["lsoa11_ward"])
    pol = read_police_files(config, ward_gdf, read_police or police.crimes_from_csv)
    mentions = (
        tables.report_mentions_from_csv(config.mentions_file, set(ward_gdf["ward_name"]))
        if config.mentions_file
        else pd.DataFrame(columns=list(tables.MENTION_COLUMNS))
    )
    return Inputs(
        wards=ward_gdf,
        population=population,
        lsoa11_ward=lsoa11_ward,
        edition=edition,
        imd=(
            tables.imd2010_from_csv(paths["imd2010"])
            if edition is deprivation.IMD_2010
            else tables.lsoa11_iod_from_csv(paths[f"imd{edition.year}"], edition.areas)
        ),
        lsoa01_ward=tables.lsoa01_ward_lookup_from_csv(paths["lsoa01_ward"]) if "lsoa01_ward" in paths else None,
        lsoa01_lsoa11=tables.lsoa01_to_lsoa11_from_csv(paths["lsoa01_lsoa11"]) if "lsoa01_lsoa11" in paths else None,
        indicators=indicator_table.indicators_from_csv(config.indicators_file),
        **page_inputs(config, pol, paths),
        files=tuple(sorted(paths.values()))
        + tuple(pol.files[m] for m in config.period.months() if m in pol.files)
        + (Path(config.indicators_file),),
        paths=paths,
        mentions=mentions,
        series_records=pol.series,
        repeats=pol.repeats,
        odd_months=pol.odd,
        data_dir=data_dir,
        series_placed=pol.placed,
        records=pol.records,
        missing_months=tuple(pol.missing),
    )


def page_inputs(config: Config, pol: PoliceRead, paths: dict[str, Path]) -> dict:
    """What only some pages need: Kent's outlines, STATS19, the report's tables, and every file's checksum."""
    data_dir = Path(config.data_dir)
    kent_path = data_dir / KENT_DISTRICTS
    kent = boundaries.districts_from_geojson(kent_path) if kent_path.is_file() else None
    rd, own = Path(config.report_dir), config.district == REPORT_DISTRICT
    tables_ = report_tables(rd) if own else {}
    files = {
        *paths.values(),
        *pol.files.values(),
        Path(config.indicators_file),
        *([kent_path] if kent is not None else []),
    }
    checks = file_checksums(sorted(files), data_dir)
    checks["fetched_from"] = fetched_from(checks, data_dir)
    return {
        "police_months": tuple(m for m in sorted(pol.files) if m not in pol.odd),
        "kent_districts": kent,
        "pedestrians": stats19.pedestrian_casualties(data_dir),
        "report_tables": tables_,
        "report_files": {name: (rd / f"{name}.csv").read_bytes() for name in tables_},
        "checksums": checks,
        "manifest": manifest_from_csv(config.manifest_file),
    }
