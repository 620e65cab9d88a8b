"""The pipeline: read every input (the only reading step), then run the pure stages in order.

``load_inputs`` does the I/O and validation; ``ward_tables`` is pure and returns every table the site needs.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.analysis import deprivation, indicators, spc, wards
from geo.config import DEFAULT_PERIOD, Config
from geo.errors import InputError
from geo.read import agreement, boundaries, bundle, police, tables
from geo.read import indicators as indicator_table


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
    indicators: tuple[indicators.Indicator, ...]
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


@dataclass(frozen=True)
class WardTables:
    """Everything the pipeline computes."""

    wards: gpd.GeoDataFrame
    """Ward boundaries (EPSG:27700) with ``population``."""
    crime: pd.DataFrame
    """One row per ward and crime indicator (see :func:`geo.analysis.indicators.rates_by_ward`)."""
    deprivation: pd.DataFrame
    """One row per ward (see :func:`geo.analysis.deprivation.imd_by_ward`)."""
    records: gpd.GeoDataFrame
    """Every police.uk row with its ``status``, ``ward_code`` and ``indicator``."""
    reconciliation: wards.Reconciliation
    edition: deprivation.Edition
    """The Indices of Deprivation edition of ``deprivation``."""
    lookup_note: str
    """Where the 2011 LSOA -> ward lookup came from (ONS file, or derived from snap points)."""
    district_name: str
    series: pd.DataFrame | None = None
    """Monthly counts with control limits by ward and indicator (``ward_code`` ``"*"`` is the whole district);
    see :func:`geo.analysis.spc.charts_by_ward`."""
    wards_vintage: str = "2013"
    """The year of the ward boundaries' codes (``WD13CD`` -> ``"2013"``): the December of that year's wards."""


def monthly_charts(inp: Inputs) -> pd.DataFrame:
    """Control charts of every crime indicator's monthly counts, by ward and for the district (pure)."""
    inds = [i for i in inp.indicators if i.kind == "crime"]
    rec = inp.series_records if inp.series_records is not None else inp.records
    months = sorted(set(rec["month"]))
    if inp.series_placed is not None:  # placed in wards once, by the reading step's check of each month
        assigned = indicators.label_indicators(inp.series_placed, inds)
    else:
        assigned = wards.assign_wards(indicators.label_indicators(rec, inds), inp.wards, months)
    monthly = spc.monthly_counts(assigned, inp.wards["ward_code"], [i.id for i in inds], months)
    return spc.charts_by_ward(monthly, {i.id: spc.breaks_of(i.police_categories) for i in inds})


def ward_tables(inp: Inputs, config: Config) -> WardTables:
    """Run the stages: assign records to wards, count, rate, and summarise deprivation (pure)."""
    months = config.period.months()
    labelled = indicators.label_indicators(inp.records, inp.indicators)
    assigned = wards.assign_wards(labelled, inp.wards, months)
    rec = wards.reconcile(assigned, months, inp.missing_months)
    district_lsoas = inp.population.loc[inp.population["lad_code"] == config.district, "lsoa11_code"]
    agreement.boundaries_cover_records(assigned, district_lsoas, inp.paths["wards"])
    lookup, lookup_note = ward_lookup(inp, assigned, config.district)
    with _blame(
        inp.paths["lsoa11_ward"],
        "the lookup needs every LSOA of every ward, and the Census file every LSOA of the lookup",
    ):
        pop = wards.ward_population(inp.population, lookup, inp.wards)
    agreement.residents_add_up(pop, inp.population, config.district, inp.paths["lsoa11_ward"])
    counts = indicators.counts_by_ward(assigned, inp.wards, inp.indicators)
    crime = indicators.suppress_small(indicators.rates_by_ward(counts, pop), inp.indicators)
    crime.insert(3, "period", config.period.label)
    dep = ward_deprivation(inp, lookup)
    w = inp.wards.merge(pop, on="ward_code", validate="1:1")
    return WardTables(
        w,
        crime,
        dep,
        assigned,
        rec,
        inp.edition,
        lookup_note,
        district_name(inp, config.district),
        monthly_charts(inp),
        inp.wards.attrs.get("vintage", "2013"),
    )


def district_name(inp: Inputs, district: str) -> str:
    """The district's name as the ONS lookup spells it (its code if the lookup has no row for it)."""
    names = inp.lsoa11_ward.loc[inp.lsoa11_ward["lad_code"] == district, "lad_name"]
    return str(names.iloc[0]) if len(names) else district


def ward_lookup(inp: Inputs, assigned: pd.DataFrame, district: str) -> tuple[pd.DataFrame, str]:
    """The 2011 LSOA -> ward lookup for this build, and a sentence saying where it came from.

    The ONS file is used when its wards of the district are the boundaries' wards. When they differ and the file
    is of another ward vintage (e.g. 2015 wards against 2013 boundaries, as for the Kent districts redrawn in
    2015), the lookup is derived from police.uk snap points (:func:`geo.analysis.wards.best_fit_from_points`). A file of
    the boundaries' own vintage that disagrees with them is an error.
    """
    path = inp.paths["lsoa11_ward"]
    lk = inp.lsoa11_ward[inp.lsoa11_ward["lad_code"] == district]
    have, want = inp.lsoa11_ward.attrs.get("vintage"), inp.wards.attrs.get("vintage")
    if set(lk["ward_code"]) == set(inp.wards["ward_code"]) or have == want or not have or not want:
        check_lookup_covers(inp.lsoa11_ward, inp.wards, district, path)
        return inp.lsoa11_ward, f"ONS best-fit lookup ({path.name})"
    lsoas = inp.population.loc[inp.population["lad_code"] == district, "lsoa11_code"]
    if lsoas.empty:
        raise InputError(
            inp.paths["population"],
            f"no 2011 LSOA of district {district} in the Census file",
            column="lad_code",
            fix="use a Census file that covers the district",
        )
    with _blame(path, "give an ONS 2011 LSOA -> ward lookup of the same ward vintage as the boundaries"):
        derived = wards.best_fit_from_points(assigned, lsoas)
    note = (
        f"{path.name} has {have} wards and the boundaries {want} wards, which differ for {district}, so each of "
        f"the {len(derived)} 2011 LSOAs was placed in the ward holding most of its police.uk snap points in the "
        f"period (at least {derived['share'].min():.0%} of an LSOA's points fell in its ward; median "
        f"{derived['share'].median():.0%})"
    )
    return derived, note


def ward_deprivation(inp: Inputs, lookup: pd.DataFrame) -> pd.DataFrame:
    """Deprivation by ward in the build's edition (IMD 2010 via 2001 LSOAs, else IoD 2015 or 2019 via 2011
    LSOAs)."""
    if inp.edition is not deprivation.IMD_2010:
        why = f"every 2011 LSOA of a ward needs an {inp.edition.short} score"
        with _blame(inp.paths[f"imd{inp.edition.year}"], why):
            return deprivation.lsoa11_imd_by_ward(inp.imd, lookup, inp.population, inp.wards, inp.edition)
    ward01 = inp.lsoa01_ward[inp.lsoa01_ward["ward_code"].isin(inp.wards["ward_code"])]
    for key, table in (("lsoa01_lsoa11", inp.lsoa01_lsoa11), ("imd2010", inp.imd)):
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
        return deprivation.imd_by_ward(inp.imd, inp.lsoa01_ward, pop01, inp.wards)


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
            column=f"WD{lookup.attrs.get('vintage', '2015')[2:]}CD",
            fix="use a lookup and boundaries of the same ward vintage",
        )


def period_counts(
    records: pd.DataFrame, ward_gdf: gpd.GeoDataFrame, inds, months
) -> tuple[pd.DataFrame, wards.Reconciliation]:
    """Ward counts per crime indicator for one period's records, with its reconciliation (pure)."""
    labelled = indicators.label_indicators(records, inds)
    assigned = wards.assign_wards(labelled, ward_gdf, months)
    return indicators.counts_by_ward(assigned, ward_gdf, inds), wards.reconcile(assigned, months)
