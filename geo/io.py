"""Reading CSV and GeoJSON files with validation at the edge.

Every problem becomes an :class:`~geo.errors.InputError` naming the file, the line (header = line 1) and the
column. Tables are read as text and converted column by column, so that a bad value can be reported exactly.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import InputError

LINE = "_line"
"""Name of the column that carries each row's line number in its file (header = line 1)."""

_CODE = re.compile(r"^(E\d{2})\d{6}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def read_text(path: Path) -> str:
    """Return a file's text (gzip inflated, UTF-8 with or without BOM), or raise InputError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found", fix="check the data directory layout") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror})", fix="check its permissions") from None
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(path, f"not a complete gzip file ({exc})", fix="download the file again") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(path, "text is not UTF-8", row=line, fix="save the file as UTF-8 CSV") from None


def read_header(path: Path) -> list[str]:
    """The column names of a CSV file, read from its first line only (for files whose column names vary)."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as f:
            return next(csv.reader([f.readline()]), [])
    except (OSError, EOFError, UnicodeDecodeError):
        read_text(path)  # raises the InputError that says what is wrong with the file
        raise


def read_table(
    path: Path, columns: Mapping[str, str], *, allow_empty: bool = False, text: str | None = None, rename=None
) -> pd.DataFrame:
    """Read a CSV file and convert the named columns, checking every value.

    Parameters
    ----------
    path : Path
        A ``.csv`` or ``.csv.gz`` file.
    columns : mapping of str to str
        Required column name -> kind. Kinds: ``"str"`` (any text, may be blank), ``"text"`` (non-blank text),
        ``"int"``, ``"float"``, ``"float?"`` (number or blank), ``"month"`` (``YYYY-MM``), ``"code:E05"``
        (a GSS code with that prefix).
    allow_empty : bool
        Accept a file with a header and no rows.
    text : str, optional
        The file's text, when it has already been read (e.g. from inside a zip); ``path`` then only names it.
    rename : callable, optional
        Applied to every header name before the columns are looked up (e.g. to accept two spellings).

    Returns
    -------
    pandas.DataFrame
        The required columns converted, other columns as text, and ``_line`` (line number in the file).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("code,n\\nE05000001,3\\n")
    >>> read_table(p, {"code": "code:E05", "n": "int"})["n"].tolist()
    [3]
    """
    path = Path(path)
    text = read_text(path) if text is None else text
    if rename is not None and text.strip():
        first, _, rest = text.partition("\n")
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(rename(h) for h in next(csv.reader([first])))
        text = out.getvalue() + rest
    if not text.strip():
        raise InputError(path, "file is empty", fix="the file has no header or rows; download it again")
    header = next(csv.reader(io.StringIO(text.splitlines()[0])))
    missing = [c for c in columns if c not in header]
    if missing:
        if len(header) == 1 and any(d in header[0] for d in (";", "\t", "|")):
            raise InputError(
                path,
                f"the header is one column {header[0][:60]!r}: wrong delimiter",
                row=1,
                fix="save it as comma-separated CSV",
            )
        raise InputError(
            path,
            f"missing column(s) {', '.join(map(repr, missing))}; found {header}",
            row=1,
            column=missing[0],
            fix="use the file as its publisher provides it",
        )
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(
            path,
            f"malformed CSV: {exc}",
            row=int(m.group(1)) if m else None,
            fix="the file may be truncated or use a different delimiter",
        ) from None
    if df.empty and not allow_empty:
        raise InputError(path, "file has a header but no rows", row=2, fix="download the file again")
    df[LINE] = np.arange(2, len(df) + 2)
    for name, kind in columns.items():
        df[name] = _convert(df, name, kind, path)
    return df


def raise_first(path: Path, df: pd.DataFrame, bad, column, message, fix: str) -> None:
    """Raise an :class:`InputError` for the first row where ``bad`` is true, naming its line; else return.

    ``message(i)`` words the problem of row position ``i``; ``column`` is the column's name or ``column(i)``.
    """
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        col = column(i) if callable(column) else column
        raise InputError(path, message(i), row=int(df[LINE].iloc[i]), column=col, fix=fix)


def _fail(df: pd.DataFrame, bad: pd.Series, name: str, path: Path, what: str, fix: str) -> None:
    more = f" ({int(bad.sum())} rows in all)" if bad.sum() > 1 else ""
    raise_first(path, df, bad, name, lambda i: f"{what}: {df[name].iloc[i]!r}{more}", fix)


def _convert(df: pd.DataFrame, name: str, kind: str, path: Path) -> pd.Series:
    col = df[name].fillna("").astype(str).str.strip()
    blank = col == ""
    if kind == "str":
        return col
    if kind == "text":
        _fail(df, blank, name, path, "empty value", "every row needs this field; the file may be truncated")
        return col
    if kind.startswith("code:"):
        prefix = kind.split(":", 1)[1]
        ok = col.str.match(_CODE) & col.str.startswith(prefix)
        _fail(
            df,
            ~ok,
            name,
            path,
            f"not a {prefix}xxxxxx code",
            f"codes are 9 characters, e.g. {prefix}000001; check the column was not reformatted",
        )
        return col
    if kind == "month":
        _fail(
            df,
            ~col.str.match(_MONTH),
            name,
            path,
            "not a month YYYY-MM",
            "months are written 2012-04; a spreadsheet may have reformatted them",
        )
        return col
    if kind in ("int", "float", "float?"):
        num = pd.to_numeric(col.where(~blank, None), errors="coerce")
        bad = num.isna() & ~blank if kind == "float?" else num.isna()
        _fail(
            df,
            bad,
            name,
            path,
            "not a number",
            "numbers must be plain digits with a '.' decimal point, with no thousands separators",
        )
        if kind == "int":
            _fail(df, (num % 1) != 0, name, path, "not a whole number", "counts must be whole numbers")
            return num.astype("int64")
        return num.astype("float64")
    raise ValueError(f"unknown column kind {kind!r}")  # programming error, not input
