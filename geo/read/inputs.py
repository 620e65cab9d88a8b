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
from geo.config import DEFAULT_PERIOD, REPORT_DISTRICT, Config, lsoa_year_of_month
from geo.errors import InputError
from geo.read import agreement, boundaries, bundle, police, stats19, tables
from geo.read import indicators as indicator_table
from geo.read.manifest import fetched_from, file_checksums, manifest_from_csv
from geo.read.report_tables import report_tables

KENT_DISTRICTS = {
    2011: Path("boundaries") / "districts-2013-kent.geojson",
    2021: Path("boundaries") / "districts-2024-kent.geojson",
}
"""Kent's district outlines in the data directory (the Kent comparison's map), by the period's LSOA geography."""
SOURCE_IDS = {2011: {"lsoa_ward": "lsoa11_ward"}, 2021: {"population": "census2021", "lsoa_ward": "lsoa21_ward"}}
"""The manifest's id (``data/manifest.csv``) of an input whose role has one name on every LSOA geography."""


def source_id(key: str, lsoa_year: int) -> str:
    """The manifest id of the input ``key`` of :func:`input_paths` on ``lsoa_year``'s geography.

    >>> source_id("population", 2021), source_id("lsoa_ward", 2011), source_id("imd2010", 2011)
    ('census2021', 'lsoa11_ward', 'imd2010')
    """
    return SOURCE_IDS[lsoa_year].get(key, key)


def input_paths(data_dir: Path, district: str, period_end: str = DEFAULT_PERIOD.end, lsoa_year: int | None = None):
    """Where each non-police input lives in the data directory (laid out as ``data/bundle``), by role.

    ``period_end`` (``YYYY-MM``) picks the ward boundaries' vintage where there are several, and the edition of
    the Indices of Deprivation (:func:`deprivation_edition`); ``lsoa_year`` (the period's, by default that of
    ``period_end``'s month) the small-area geography: Census 2011 and the 2011 LSOA lookups, or Census 2021, the
    2021 LSOA lookup to the boundaries' ward vintage and IoD 2025.
    """
    d = Path(data_dir)
    lsoa_year = lsoa_year or lsoa_year_of_month(period_end)
    wards = boundaries.wards_path(d, district, int(period_end[:4]))
    if lsoa_year == 2021:
        yy = str(boundaries.folder_year(wards) or period_end[:4])[2:]
        return {
            "wards": wards,
            "population": _one(d / "population", "census-2021-lsoa21-*.csv", "census-2021-lsoa21-kent.csv", district),
            "lsoa_ward": _one(d / "lookups", f"lsoa21-to-ward{yy}-*.csv", f"lsoa21-to-ward{yy}-kent.csv", district),
            "imd2025": _one(d / "deprivation", "iod-2025-lsoa21-*.csv", "iod-2025-lsoa21-england.csv", district),
        }
    local = "maidstone" if district == "E07000110" else district  # the open data name Maidstone's own lookups
    iod = deprivation.lsoa11_edition(period_end)
    return {
        "wards": wards,
        "population": _one(d / "population", "census-2011-lsoa11-*.csv", "census-2011-lsoa11-kent.csv", district),
        "lsoa_ward": _one(d / "lookups", "lsoa11-to-ward-*.csv", "lsoa11-to-ward-kent.csv", district),
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


def deprivation_edition(
    paths: dict[str, Path], period_end: str = DEFAULT_PERIOD.end, lsoa_year: int = 2011
) -> deprivation.Edition:
    """IoD 2025 on 2021 LSOAs; else IMD 2010 (the assessment's edition) when the district has 2001-LSOA lookups;
    else the edition on 2011 LSOAs that was newest when the period ended (IoD 2015, or IoD 2019 from September
    2019)."""
    if lsoa_year == 2021:
        return deprivation.IOD_2025
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
    """Census residents by LSOA (2011 or 2021, the period's geography)."""
    lsoa_ward: pd.DataFrame
    """ONS best-fit LSOA -> ward lookup of the same LSOA geography."""
    edition: deprivation.Edition
    imd: pd.DataFrame
    """The edition's IMD table (2001 LSOAs for IMD 2010, 2011 LSOAs for IoD 2015 and 2019, 2021 for IoD 2025)."""
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
    lsoa_year: int = 2011
    """The small-area geography of the period (2011 or 2021 LSOAs)."""
    outcome_groups: dict = field(default_factory=dict)
    """Each police.uk last-outcome category and its group (``data/outcome-categories.csv``)."""

    @property
    def source_ids(self) -> set[str]:
        """The manifest ids of the sources read."""
        return {source_id(k, self.lsoa_year) for k in self.paths} | {"police"}


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
    lsoa = config.period.lsoa_year  # months on the other LSOA geography belong to another vintage's build
    pfiles = {m: p for m, p in police.police_files(data_dir).items() if lsoa_year_of_month(m) == lsoa}
    frames, repeats = police_frames(pfiles, read)
    records, missing = police.crimes_for_period(
        data_dir, config.period, allow_missing=config.allow_partial, read=frames.__getitem__
    )
    series = series_records(pfiles, frames.__getitem__)
    placed = wards.assign_wards(series, ward_gdf, sorted(series["month"].unique()))
    odd = agreement.months_not_the_districts(placed, config.period.months(), pfiles, config.allow_partial)
    if odd:  # left out everywhere, and named like months with no file
        records = records[~records["month"].isin(list(odd))].reset_index(drop=True)
        keep = ~series["month"].isin(list(odd)).to_numpy()
        series, placed = series[keep].reset_index(drop=True), placed[keep].reset_index(drop=True)
        missing = sorted(set(missing) | (set(odd) & set(config.period.months())))
    return PoliceRead(pfiles, records, missing, series, placed, repeats, odd)


def small_areas(paths: dict[str, Path], lsoa: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Census residents and the LSOA -> ward lookup on ``lsoa``'s geography (a lookup of the other is refused)."""
    read_census = tables.census2021_from_csv if lsoa == 2021 else tables.population_from_csv
    population = read_census(paths["population"])
    lsoa_ward = tables.lsoa_ward_lookup_from_csv(paths["lsoa_ward"])
    if lsoa_ward.attrs["lsoa_year"] != lsoa:
        raise InputError(
            paths["lsoa_ward"],
            f"a {lsoa_ward.attrs['lsoa_year']} LSOA lookup for a period on {lsoa} LSOAs",
            row=1,
            fix=f"give the ONS lookup from {lsoa} LSOAs to wards",
        )
    return population, lsoa_ward


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
    lsoa = config.period.lsoa_year
    paths = input_paths(data_dir, config.district, config.period.end, lsoa)
    edition = deprivation_edition(paths, config.period.end, lsoa)
    used = (
        ["wards", "population", "lsoa_ward"]
        + (["lsoa01_ward", "lsoa01_lsoa11"] if edition is deprivation.IMD_2010 else [])
        + [f"imd{edition.year}"]
    )  # the key is the manifest's id of the edition: imd2010, imd2015, imd2019, imd2025
    paths = {k: paths[k] for k in used}
    ward_gdf = boundaries.wards_from_geojson(paths["wards"])
    population, lsoa_ward = small_areas(paths, lsoa)
    agreement.census_and_lookup_agree(population, lsoa_ward, config.district, paths["population"], paths["lsoa_ward"])
    agreement.boundaries_and_lookup_agree(ward_gdf, lsoa_ward, config.district, paths["wards"], paths["lsoa_ward"])
    pol = read_police_files(config, ward_gdf, read_police or police.crimes_from_csv)
    mentions = (
        tables.report_mentions_from_csv(config.mentions_file, set(ward_gdf["ward_name"]))
        if config.mentions_file
        else pd.DataFrame(columns=list(tables.MENTION_COLUMNS))
    )
    return Inputs(
        wards=ward_gdf,
        population=population,
        lsoa_ward=lsoa_ward,
        edition=edition,
        imd=(
            tables.imd2010_from_csv(paths["imd2010"])
            if edition is deprivation.IMD_2010
            else tables.lsoa_iod_from_csv(paths[f"imd{edition.year}"], edition.areas, edition.domains)
        ),
        lsoa_year=lsoa,
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
    kent_path = data_dir / KENT_DISTRICTS[config.period.lsoa_year]
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
        "outcome_groups": tables.outcome_groups_from_csv(config.outcomes_file),
    }
