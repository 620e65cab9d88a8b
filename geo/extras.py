"""The rest of the reading step: inputs that only some pages need (Kent outlines, STATS19, the report's tables)
and the provenance of every file read. After :func:`load_extras` and :func:`geo.pipeline.load_inputs`, no stage
and no page opens a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import narrative
from geo.analysis import report
from geo.config import REPORT_DISTRICT, Config, Period
from geo.pipeline import Inputs
from geo.read import boundaries, police, stats19
from geo.read.manifest import fetched_from, file_checksums
from geo.read.report_tables import report_tables

KENT_DISTRICTS = Path("boundaries") / "districts-2013-kent.geojson"


@dataclass(frozen=True)
class Extras:
    """Inputs read for particular pages, and the checksums of every input file."""

    police_months: tuple[str, ...]
    """Months with a police.uk file in the data directory."""
    kent_districts: gpd.GeoDataFrame | None
    """Kent's district outlines (British National Grid), if the data directory has them."""
    pedestrians: pd.DataFrame | None
    """STATS19 pedestrian casualties (:func:`geo.read.stats19.pedestrian_casualties`), if present."""
    report_tables: dict[str, pd.DataFrame]
    """The assessment's transcribed tables (report district only)."""
    report_files: dict[str, bytes]
    """The same tables' CSV files as they are, for the downloads."""
    report_flags: list
    """Checks of the report's arithmetic (:func:`geo.analysis.report.all_flags`)."""
    checksums: pd.DataFrame
    """``file``, ``bytes``, ``sha256`` and ``fetched_from`` of every input file read."""


def load_extras(config: Config, inputs: Inputs) -> Extras:
    """Read the page-specific inputs and checksum every file the build read."""
    data_dir = Path(config.data_dir)
    pfiles = police.police_files(data_dir)
    kent_path = data_dir / KENT_DISTRICTS
    kent = boundaries.districts_from_geojson(kent_path) if kent_path.is_file() else None
    rd, own = Path(config.report_dir), config.district == REPORT_DISTRICT
    every = report_tables(rd) if own else {}
    tables = {name: every[name] for name in narrative.TABLES} if own else {}
    raw = {name: (rd / f"{name}.csv").read_bytes() for name in tables}
    files = {*inputs.files, *pfiles.values(), *([kent_path] if kent is not None else [])}
    checks = file_checksums(sorted(files), data_dir)
    checks["fetched_from"] = fetched_from(checks, data_dir)
    flags = report.all_flags(every) if own else []
    months = tuple(m for m in sorted(pfiles) if m not in inputs.odd_months)  # a month not the district's: left out
    return Extras(months, kent, stats19.pedestrian_casualties(data_dir), tables, raw, flags, checks)


def records_of(inputs: Inputs, period: Period) -> pd.DataFrame:
    """The police.uk records of ``period``'s months, from the records the reading step already holds (pure)."""
    rec = inputs.series_records if inputs.series_records is not None else inputs.records
    return rec[rec["month"].isin(period.months())].reset_index(drop=True)


def months_missing(extras: Extras, periods) -> list[str]:
    """The months of ``periods`` with no police.uk file (pure)."""
    have = set(extras.police_months)
    return [m for p in periods for m in p.months() if m not in have]
