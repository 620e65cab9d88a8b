"""Department for Transport road safety data (STATS19): accident and casualty files, as DfT publishes them.

Both layouts are read: the older one (``Accident_Index`` or ``Acc_Index``, ``Location_Easting_OSGR``,
``Local_Authority_(District)``, ``Casualty_Class`` …) and the current lower-case one (``accident_index``,
``location_easting_osgr``, ``casualty_class`` …); per-year or multi-year files, plain, gzipped or zipped. Files
live in ``<data_dir>/stats19/`` and are told apart by name: ``…accident…`` or ``…collision…``, and ``…casualt…``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from geo.errors import InputError
from geo.read.io import LINE, read_table

DIR = "stats19"
ALIASES = {
    "acc_index": "accident_index",
    "collision_index": "accident_index",
    "local_authority_(district)": "local_authority_district",
}
ACCIDENT_COLUMNS = {
    "accident_index": "text",
    "location_easting_osgr": "float?",
    "location_northing_osgr": "float?",
    "date": "text",
    "time": "str",
    "day_of_week": "int",
}
CASUALTY_COLUMNS = {
    "accident_index": "text",
    "casualty_class": "int",
    "casualty_severity": "int",
    "age_of_casualty": "int",
}
RANGES = {
    "casualty_class": (1, 3),
    "casualty_severity": (1, 3),
    "age_of_casualty": (-1, 120),
    "day_of_week": (1, 7),
    "location_easting_osgr": (0, 700_000),
    "location_northing_osgr": (0, 1_300_000),
}
"""What DfT's STATS19 guide allows in each column the build reads (-1 is DfT's code for an unknown age; the
grid reference lies on the British National Grid)."""
SEVERITY = {1: "Fatal", 2: "Serious", 3: "Slight"}
PEDESTRIAN = 3
"""``casualty_class`` of a pedestrian."""
DFT_URL = "https://www.data.gov.uk/dataset/cb7ae6f0-4be6-4935-9277-47e5ce24a11f/road-safety-data"
"""Where DfT publishes the files (accident, casualty and vehicle CSVs per year and for 1979 onwards)."""
_MANGLED = re.compile(r"^\d(\.\d+)?[eE][+-]?\d+$")


def _name(header: str) -> str:
    h = header.strip().lower()
    return ALIASES.get(h, h)


def stats19_files(data_dir: Path) -> dict[str, list[Path]]:
    """The accident and casualty files in ``<data_dir>/stats19`` (empty lists if there are none)."""
    root = Path(data_dir) / DIR
    out: dict[str, list[Path]] = {"accidents": [], "casualties": []}
    if root.is_dir():
        for p in sorted(root.rglob("*")):
            name = p.name.lower()
            if p.is_file() and name.endswith((".csv", ".zip", ".csv.gz")):
                if "casualt" in name:
                    out["casualties"].append(p)
                elif "accident" in name or "collision" in name:
                    out["accidents"].append(p)
    return out


def _read(path: Path, columns: dict[str, str]) -> pd.DataFrame:
    """One DfT file (or every CSV inside a zip) with its columns checked; adds ``source_file``."""
    frames = []
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as z:
                members = [
                    (m, z.read(m).decode("utf-8-sig")) for m in sorted(z.namelist()) if m.lower().endswith(".csv")
                ]
        except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
            raise InputError(
                path, f"not a readable zip of UTF-8 CSV files ({exc})", fix="download it again from DfT"
            ) from None
        for member, text in members:
            df = read_table(path / member, columns, text=text, rename=_name)
            frames.append(df.assign(source_file=str(path / member)))
    else:
        frames.append(read_table(path, columns, rename=_name).assign(source_file=str(path)))
    out = pd.concat(frames, ignore_index=True)
    for col in (c for c in columns if c in RANGES):
        lo, hi = RANGES[col]
        v = out[col]
        bad = v.notna() & ~v.between(lo, hi)
        if bad.any():
            r = out[bad.to_numpy()].iloc[0]
            raise InputError(r["source_file"], f"{col} {r[col]:g} is outside {lo:,} to {hi:,}", row=int(r[LINE]),
                             column=col, fix="use the file as DfT publishes it (see its STATS19 guide)")  # fmt: skip
    _refuse(
        out,
        out["accident_index"].str.match(_MANGLED),
        "accident index {!r} was turned into a number",
        "a spreadsheet changed it; use the file as DfT publishes it",
    )
    return out


def _refuse(df: pd.DataFrame, bad: pd.Series, message: str, fix: str) -> None:
    """Raise an InputError for the first ``bad`` row, naming its file, line and accident index."""
    if bad.any():
        r = df[bad.to_numpy()].iloc[0]
        raise InputError(
            r["source_file"], message.format(r["accident_index"]), row=int(r[LINE]), column="accident_index", fix=fix
        )


def _dates(merged: pd.DataFrame) -> pd.Series:
    """The accidents' dates (DD/MM/YYYY or YYYY-MM-DD); an unreadable one is an error naming its accident."""
    dates = pd.to_datetime(merged["date"], format="mixed", dayfirst=True, errors="coerce")
    if dates.isna().any():
        r = merged[dates.isna()].iloc[0]
        raise InputError(
            r["source_file"],
            f"accident {r['accident_index']!r} has an unreadable date",
            column="date",
            fix="dates are DD/MM/YYYY or YYYY-MM-DD",
        )
    return dates


def pedestrian_casualties(data_dir: Path) -> pd.DataFrame | None:
    """Pedestrian casualties with their accident's location, date and time, or ``None`` if no files are present.

    Returns
    -------
    pandas.DataFrame or None
        ``accident_index``, ``date`` (datetime), ``month`` (``YYYY-MM``), ``hour``, ``day_of_week`` (1 = Sunday),
        ``easting``, ``northing`` (British National Grid; NaN where DfT gives no location), ``severity``
        (Fatal/Serious/Slight), ``ksi`` (bool), ``age``, ``age_11_16`` (bool), ``source_file``, ``line``.

    Raises
    ------
    InputError
        A casualty file without an accident file (or the reverse), an accident index missing from the accident
        files, a mangled index, or any of the checks of :func:`geo.read.io.read_table`.
    """
    files = stats19_files(data_dir)
    if not files["accidents"] and not files["casualties"]:
        return None
    for have, need in (("accidents", "casualties"), ("casualties", "accidents")):
        if files[have] and not files[need]:
            raise InputError(
                Path(data_dir) / DIR,
                f"{have} file(s) but no {need} file",
                fix=f"add DfT's {need} file for the same years ({DFT_URL})",
            )
    acc = pd.concat([_read(p, ACCIDENT_COLUMNS) for p in files["accidents"]], ignore_index=True)
    cas = pd.concat([_read(p, CASUALTY_COLUMNS) for p in files["casualties"]], ignore_index=True)
    _refuse(
        acc, acc["accident_index"].duplicated(), "accident {!r} appears twice", "do not add the same year's file twice"
    )
    ped = cas[cas["casualty_class"] == PEDESTRIAN]
    merged = ped.merge(acc.drop(columns=["source_file", LINE]), on="accident_index", how="left", indicator=True)
    _refuse(
        merged,
        merged["_merge"] == "left_only",
        "accident {!r} is not in the accident files",
        "add the accident file of the same year as the casualty file",
    )
    dates = _dates(merged)
    hour = pd.to_numeric(merged["time"].str.slice(0, 2), errors="coerce")
    return pd.DataFrame(
        {
            "accident_index": merged["accident_index"],
            "date": dates,
            "month": dates.dt.strftime("%Y-%m"),
            "hour": hour,
            "day_of_week": merged["day_of_week"],
            "easting": merged["location_easting_osgr"],
            "northing": merged["location_northing_osgr"],
            "severity": merged["casualty_severity"].map(SEVERITY),
            "ksi": merged["casualty_severity"].isin([1, 2]),
            "age": merged["age_of_casualty"],
            "age_11_16": merged["age_of_casualty"].between(11, 16),
            "source_file": merged["source_file"],
            "line": merged[LINE],
        }
    )
