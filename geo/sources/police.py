"""data.police.uk street-level crime and anti-social behaviour files.

police.uk publishes one CSV per force per month (``YYYY-MM-<force>-street.csv``). Locations are snapped to
anonymous map points ("On or near …"); anti-social behaviour rows have no Crime ID and no outcome.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from geo.config import Period
from geo.errors import InputError
from geo.io import LINE, raise_first, read_table

COLUMNS = {
    "Month": "month",
    "Longitude": "float?",
    "Latitude": "float?",
    "Location": "str",
    "LSOA code": "str",
    "LSOA name": "str",
    "Crime type": "text",
}
"""The police.uk columns the build uses, and how each is checked (see :func:`geo.io.read_table`)."""

RECORD_COLUMNS = [
    "month",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "lsoa_name",
    "crime_type",
    "source_file",
    "line",
]
"""Columns of the frame :func:`crimes_from_csv` returns."""

_FILE = re.compile(r"^(\d{4}-\d{2})-[a-z0-9-]+-street\.csv(\.gz)?$")


def crimes_from_csv(path: Path) -> pd.DataFrame:
    """Read one police.uk street-level file.

    Returns
    -------
    pandas.DataFrame
        One row per record: ``month``, ``longitude``, ``latitude`` (NaN where police.uk gives no location),
        ``location``, ``lsoa_code``, ``lsoa_name``, ``crime_type``, ``source_file`` (path) and ``line``.

    Raises
    ------
    InputError
        Missing columns, a month that is not ``YYYY-MM`` or not the file's month, unparsable, swapped or
        out-of-range coordinates, a coordinate given without its partner, an empty crime type.
    """
    path = Path(path)
    df = read_table(path, COLUMNS, allow_empty=True)
    m = _FILE.match(path.name)
    if m:
        raise_first(
            path,
            df,
            df["Month"] != m.group(1),
            "Month",
            lambda i: f"month {df['Month'].iloc[i]!r} in a file named for {m.group(1)}",
            "each police.uk file holds one month; rename or replace the file",
        )
    _check_coordinates(df, path)
    lon, lat = df["Longitude"], df["Latitude"]
    out = pd.DataFrame(
        {
            "month": df["Month"],
            "longitude": lon,
            "latitude": lat,
            "location": df["Location"],
            "lsoa_code": df["LSOA code"],
            "lsoa_name": df["LSOA name"],
            "crime_type": df["Crime type"],
            "source_file": str(path),
            "line": df[LINE],
        }
    )
    return out[RECORD_COLUMNS]


def _check(df: pd.DataFrame, bad: pd.Series, path: Path, column, what: str, fix: str) -> None:
    """Raise for the first ``bad`` row; ``column(i)`` names the column at fault in row ``i``."""
    raise_first(path, df, bad, column, lambda i: f"{what}: ({df['Longitude'].iloc[i]}, {df['Latitude'].iloc[i]})", fix)


def police_files(data_dir: Path) -> dict[str, Path]:
    """Map each month to its police.uk file under ``<data_dir>/police`` (plain or gzipped, any sub-folder).

    Raises
    ------
    InputError
        If two files claim the same month (e.g. a district subset and the whole force's file).
    """
    root = Path(data_dir) / "police"
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts) or not path.is_file():
            continue  # e.g. fetch's download cache
        m = _FILE.match(path.name)
        if not m:
            if _FILE.match(path.name.lower()):
                raise InputError(
                    path,
                    "named almost like a police.uk file, but not quite, so it would be ignored",
                    fix=f"rename it {path.name.lower()} (police.uk names are lower case)",
                )
            continue
        month = m.group(1)
        if month in found:
            raise InputError(
                path,
                f"a second file for {month} (the first is {found[month]})",
                fix="keep one file per month: remove or move the other",
            )
        found[month] = path
    return found


def crimes_for_period(
    data_dir: Path, period: Period, *, allow_missing: bool = False, read=None
) -> tuple[pd.DataFrame, list[str]]:
    """Read the police.uk files of every month in ``period``.

    Returns
    -------
    (pandas.DataFrame, list of str)
        All rows of the period's files (as :func:`crimes_from_csv`), and the months of the period that have
        no file or an empty one.

    Raises
    ------
    InputError
        If a month has no file or an empty one and ``allow_missing`` is false, or any file is bad.

    ``read`` replaces :func:`crimes_from_csv` (the build passes a cached one, so a month read for several
    periods is parsed once; the frames it returns must not be modified).
    """
    files = police_files(data_dir)
    months = period.months()
    missing = [m for m in months if m not in files]
    if missing and not allow_missing:
        raise InputError(
            Path(data_dir) / "police",
            f"no police.uk file for {', '.join(missing)} "
            f"(period {period.label}; files cover {', '.join(sorted(files)) or 'nothing'})",
            fix="add YYYY-MM-<force>-street.csv files for those months, or choose a period the "
            "files cover (--start/--end)",
        )
    read = read or crimes_from_csv
    frames = []
    for m in months:
        if m not in files:
            continue
        frame = read(files[m])
        if frame.empty:  # a header and no rows: police.uk never publishes an empty month for a force
            if not allow_missing:
                raise InputError(
                    files[m],
                    f"the file for {m} has a header but no records",
                    row=2,
                    fix="download the month again, or build with --allow-partial (the pages then name the "
                    "months without data)",
                )
            missing.append(m)
            continue
        frames.append(frame)
    missing = sorted(missing)
    if not frames:
        return pd.DataFrame(columns=RECORD_COLUMNS), missing
    return pd.concat(frames, ignore_index=True), missing


def _check_coordinates(df: pd.DataFrame, path: Path) -> None:
    """Refuse a coordinate without its partner, swapped coordinates and points outside the United Kingdom."""
    lon, lat = df["Longitude"], df["Latitude"]
    half = lon.isna() != lat.isna()
    _check(
        df,
        half,
        path,
        lambda i: "Longitude" if pd.isna(lon.iloc[i]) else "Latitude",
        "a coordinate without its partner",
        "each row needs both longitude and latitude, or neither",
    )
    swapped = lon.between(49, 61) & lat.between(-9, 2.5)
    _check(
        df,
        swapped,
        path,
        lambda i: "Longitude",
        "longitude and latitude look swapped",
        "Longitude is east-west (about -6 to 2 in England), Latitude north-south (about 50 to 56)",
    )
    outside = lon.notna() & ~(lon.between(-9, 2.5) & lat.between(49, 61))
    _check(
        df,
        outside,
        path,
        lambda i: "Latitude" if -9 <= lon.iloc[i] <= 2.5 else "Longitude",
        "coordinates outside the United Kingdom",
        "coordinates must be WGS84 degrees",
    )
