"""data.police.uk street-level crime and anti-social behaviour files.

police.uk publishes one CSV per force per month (``YYYY-MM-<force>-street.csv``). Locations are snapped to
anonymous map points ("On or near …"); anti-social behaviour rows have no Crime ID and no outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.config import Period
from geo.errors import InputError
from geo.read.io import LINE, raise_first, read_table
from geo.read.listing import _FILE, police_files  # noqa: F401 (police_files is this module's too)

COLUMNS = {
    "Crime ID": "str",
    "Month": "month",
    "Longitude": "float?",
    "Latitude": "float?",
    "Location": "str",
    "LSOA code": "str",
    "LSOA name": "str",
    "Crime type": "text",
    "Last outcome category": "str",
}
"""The police.uk columns the build uses, and how each is checked (see :func:`geo.read.io.read_table`)."""

RECORD_COLUMNS = [
    "crime_id",
    "month",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "lsoa_name",
    "crime_type",
    "outcome",
    "source_file",
    "line",
    "repeat_of",
]
"""Columns of the frame :func:`crimes_from_csv` returns."""


def crimes_from_csv(path: Path) -> pd.DataFrame:
    """Read one police.uk street-level file.

    Returns
    -------
    pandas.DataFrame
        One row per record: ``month``, ``longitude``, ``latitude`` (NaN where police.uk gives no location),
        ``location``, ``lsoa_code``, ``lsoa_name``, ``crime_type``, ``outcome`` (the last outcome category,
        blank for anti-social behaviour), ``source_file`` (path) and ``line``.

    Raises
    ------
    InputError
        Missing columns, a month that is not ``YYYY-MM`` or not the file's month, unparsable, swapped or
        out-of-range coordinates, a coordinate given without its partner, an empty crime type.
    """
    path = Path(path)
    df = read_table(path, COLUMNS, allow_empty=True, short_rows=False)
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
            "crime_id": df["Crime ID"],
            "month": df["Month"],
            "longitude": lon,
            "latitude": lat,
            "location": df["Location"],
            "lsoa_code": df["LSOA code"],
            "lsoa_name": df["LSOA name"],
            "crime_type": df["Crime type"],
            "outcome": df["Last outcome category"],
            "source_file": str(path),
            "line": df[LINE],
            "repeat_of": "",
        }
    )
    return out[RECORD_COLUMNS]


def _check(df: pd.DataFrame, bad: pd.Series, path: Path, column, what: str, fix: str) -> None:
    """Raise for the first ``bad`` row; ``column(i)`` names the column at fault in row ``i``."""
    raise_first(path, df, bad, column, lambda i: f"{what}: ({df['Longitude'].iloc[i]}, {df['Latitude'].iloc[i]})", fix)


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


MAX_REPEATED_IDS = 10
"""Crime IDs two files (or one) may share before the build calls it a paste. police.uk itself repeats a few: in
the Kent files of January to November 2014, three crimes of January appear again in February with their later
outcome, and in May 2025 one ID is given to two records; a month pasted twice repeats hundreds."""
BLOCK_ROWS = 20
"""Records without a Crime ID (anti-social behaviour; every record before 2013) that repeat, row for row and in
the same order, a run of this many earlier ones, spanning at least three snap points, are a paste. Identical rows
on their own are normal: police.uk gives separate incidents at one snap point in one month identical rows (9,000 of
the 31,237 Kent ASB rows of 2025). In the bundle's and the 2025 Kent files no run of 15 or more such rows repeats."""


@dataclass(frozen=True)
class Repeats:
    """Records that repeat an earlier record's Crime ID: they are counted once, at their first place."""

    first: dict
    """(source file, line) of each later copy -> where its Crime ID first appears (``file, line N``)."""

    def notes(self, root: Path) -> list[str]:
        """One sentence per repeated record, for Data and methods (file names relative to ``root``)."""

        def rel(f):
            p = Path(f)
            return p.relative_to(root).as_posix() if p.is_relative_to(root) else p.name

        return [f"{rel(f)}, line {line} repeats the Crime ID of {rel(at[0])}, line {at[1]}" for (f, line), at in
                sorted(self.first.items())]  # fmt: skip


def repeated_records(frames) -> Repeats:
    """Find records that repeat others, across all police.uk frames read (in month order).

    A Crime ID repeated between two files (or within one) up to :data:`MAX_REPEATED_IDS` times is police.uk's own
    repetition: each later copy is marked to be counted once. More is a file pasted twice, and an error naming
    both places. Records without an ID are checked for pasted runs (:data:`BLOCK_ROWS`).

    Raises
    ------
    InputError
        Naming the file and line of a pasted copy and where its original is.
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        return Repeats({})
    cols = ["crime_id", "source_file", "line"]
    ids = pd.concat([f.loc[f["crime_id"] != "", cols] for f in frames], ignore_index=True)
    firsts = ids.drop_duplicates("crime_id").set_index("crime_id")
    later = ids[ids["crime_id"].duplicated(keep="first")]
    origin = firsts.loc[later["crime_id"], ["source_file", "line"]].to_numpy()
    pairs = pd.Series(list(zip(origin[:, 0], later["source_file"], strict=True)))
    for pair, n in pairs.value_counts(sort=False).items():
        if n > MAX_REPEATED_IDS:
            i = int(np.flatnonzero((pairs == pair).to_numpy())[0])
            row = later.iloc[i]
            raise InputError(
                row["source_file"],
                f"Crime ID {row['crime_id'][:12]}… is also on line {origin[i][1]} of {Path(origin[i][0]).name}, and "
                f"{n} records here repeat that file's Crime IDs: a month's records pasted twice?",
                row=int(row["line"]),
                column="Crime ID",
                fix="remove the repeated rows, or download the month again",
            )
    _no_pasted_runs(frames)
    first = {
        (f, int(line)): (o_f, int(o_line))
        for f, line, (o_f, o_line) in zip(later["source_file"], later["line"], origin, strict=True)
    }
    return Repeats(first)


def mark_repeats(frame: pd.DataFrame, repeats: Repeats) -> pd.DataFrame:
    """``frame`` with ``repeat_of`` filled for the records :func:`repeated_records` found (a copy if any)."""
    if not repeats.first or frame.empty:
        return frame
    keys = zip(frame["source_file"].to_numpy(dtype=object), frame["line"].astype(int).tolist(), strict=True)
    hit = [repeats.first.get(k) for k in keys]
    if not any(hit):
        return frame
    return frame.assign(repeat_of=[f"{Path(h[0]).name}, line {h[1]}" if h else "" for h in hit])


_ROW_FIELDS = ["longitude", "latitude", "location", "lsoa_code", "crime_type"]


def _no_pasted_runs(frames) -> None:
    """Raise if a run of :data:`BLOCK_ROWS` records without a Crime ID repeats an earlier run, row for row."""
    seen: dict[int, tuple[str, int, int]] = {}
    for f in frames:
        rows = f[f["crime_id"] == ""]
        n = len(rows) - BLOCK_ROWS + 1
        if n <= 0:
            continue
        h = pd.util.hash_pandas_object(rows[_ROW_FIELDS].fillna(-999.0), index=False).to_numpy()
        acc = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for k in range(BLOCK_ROWS):
                acc = acc * np.uint64(1_000_003) + h[k : k + n]
        point = pd.util.hash_pandas_object(rows[["location", "latitude", "longitude"]], index=False).to_numpy()
        change = np.r_[0, (point[1:] != point[:-1]).astype(int)]  # a new snap point (NaN hashes alike)
        runs = np.convolve(change, np.ones(BLOCK_ROWS - 1, dtype=int), mode="valid")[1 : n + 1]  # changes inside
        lines, path = rows["line"].to_numpy(), rows["source_file"].iloc[0]
        for i in np.flatnonzero(runs >= 2):
            key = int(acc[i])
            first = seen.setdefault(key, (path, int(lines[i]), int(i)))
            if first[0] != path or i - first[2] >= BLOCK_ROWS:  # a copy, not the same run seen again
                raise InputError(
                    path,
                    f"{BLOCK_ROWS} records without a Crime ID from this line on repeat, row for row, the records "
                    f"from line {first[1]} of {Path(first[0]).name}: rows pasted twice?",
                    row=int(lines[i]),
                    column="Location",
                    fix="remove the repeated rows, or download the month again",
                )
