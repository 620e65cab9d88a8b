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

_CODE = re.compile(r"^([EW]\d{2})\d{6}$")
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
    if path.suffix != ".gz" and raw[:2] == b"\x1f\x8b":
        raise InputError(
            path, "the file is gzip-compressed but its name does not end in .gz", fix=f"rename it {path.name}.gz"
        )
    if raw[:4] == b"PK\x03\x04":
        raise InputError(
            path, "the file is a zip archive, not CSV or GeoJSON text", fix="unzip it and use the file inside"
        )
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


def _check_header(path: Path, header: list[str], columns, line: int) -> None:
    """Refuse a header that lacks a required column, naming a wrong delimiter when that is the cause."""
    missing = [c for c in columns if c not in header]
    if not missing:
        return
    if len(header) == 1 and any(d in header[0] for d in (";", "\t", "|")):
        raise InputError(
            path,
            f"the header is one column {header[0][:60]!r}: wrong delimiter",
            row=line,
            fix="save it as comma-separated CSV",
        )
    raise InputError(
        path,
        f"missing column(s) {', '.join(map(repr, missing))}; found {header}",
        row=line,
        column=missing[0],
        fix="use the file as its publisher provides it",
    )


def read_table(
    path: Path,
    columns: Mapping[str, str],
    *,
    allow_empty: bool = False,
    text: str | None = None,
    rename=None,
    short_rows: bool = True,
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
    short_rows : bool
        Accept rows with fewer fields than the header (the missing fields read as blank). Files that always have
        every field (police.uk's) pass False: a short row is then an error, and a short last line with no
        newline after it is named as a truncated file.

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
        text = _renamed(text, rename)
    if not text.strip():
        raise InputError(path, "file is empty", fix="the file has no header or rows; download it again")
    header, rows, lines = _records(path, text, short_rows)
    _check_header(path, header, columns, lines[0])
    df = pd.DataFrame(rows, columns=_unique_names(header), dtype=str)
    if df.empty and not allow_empty:
        raise InputError(path, "file has a header but no rows", row=2, fix="download the file again")
    df[LINE] = np.asarray(lines[1:], dtype="int64")
    for name, kind in columns.items():
        df[name] = _convert(df, name, kind, path)
    return df


def _renamed(text: str, rename) -> str:
    """The CSV text with ``rename`` applied to each name of its header line."""
    first, _, rest = text.partition("\n")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(rename(h) for h in next(csv.reader([first])))
    return out.getvalue() + rest


def _records(path: Path, text: str, short_rows: bool = True) -> tuple[list[str], list[list[str]], list[int]]:
    """Parse CSV text: the header, the rows (short rows padded with blanks), and the line a text editor shows for
    the start of each record (header first), counting blank lines and newlines inside quoted fields.

    Examples
    --------
    >>> _records(Path("t.csv"), 'a,b\\n\\n1,"x\\ny"\\n2\\n')
    (['a', 'b'], [['1', 'x\\ny'], ['2', '']], [1, 3, 5])
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    end = 0  # physical lines consumed so far
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line: skipped, but counted
            if header is None:
                header = [h.strip() for h in record]
            elif len(record) > len(header):
                raise InputError(
                    path,
                    f"{len(record)} fields where the header has {len(header)}",
                    row=start,
                    fix="a field may hold an unquoted comma, or the file may be damaged",
                )
            else:
                if len(record) < len(header) and not short_rows:
                    _short_row(path, text, record, header, start, reader.line_num)
                rows.append(record + [""] * (len(header) - len(record)))
            lines.append(start)
    except csv.Error as exc:
        raise InputError(
            path, f"malformed CSV: {exc}", row=end + 1, fix="the file may be truncated or use a different delimiter"
        ) from None
    if header is None:
        raise InputError(path, "file is empty", fix="the file has no header or rows; download it again")
    return header, rows, lines


def _short_row(path: Path, text: str, record: list, header: list, line: int, end: int) -> None:
    """Refuse a row with fewer fields than the header, naming a cut-off file when it is the last line."""
    last = end >= text.count("\n") + (0 if text.endswith("\n") else 1)
    cut = last and not text.endswith("\n")
    raise InputError(
        path,
        f"{len(record)} fields where the header has {len(header)}"
        + ("; the file ends inside this line, so it may be truncated" if cut else ""),
        row=line,
        column=header[len(record)],
        fix="download the file again" if cut else "every row of this file has all the header's fields",
    )


def _unique_names(header: list[str]) -> list[str]:
    """Column names made unique (a repeated name gets ``.1``, ``.2``, as pandas does)."""
    seen: dict[str, int] = {}
    out = []
    for h in header:
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h}.{n}")
    return out


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


def _stripped(values) -> pd.Series:
    """Text values stripped of surrounding spaces, equal values sharing one string object.

    A police.uk month repeats a few thousand places and a few dozen categories over some 15,000 rows; one object
    per distinct value, not per row, is most of the memory a read month holds (and no slower than stripping).
    """
    shared: dict[str, str] = {}
    keep = shared.setdefault
    out = [keep(t, t) for t in map(str.strip, values.to_numpy(dtype=object))]  # text from _records: never missing
    return pd.Series(out, index=values.index, dtype=str)


def _convert(df: pd.DataFrame, name: str, kind: str, path: Path) -> pd.Series:
    col = _stripped(df[name])
    blank = col == ""
    if kind == "str":
        return col
    if kind == "text":
        _fail(df, blank, name, path, "empty value", "every row needs this field; the file may be truncated")
        return col
    if kind.startswith("code:"):
        prefix = kind.split(":", 1)[1]  # an English prefix; the Welsh code of the same kind (W…) is accepted too
        ok = col.str.match(_CODE) & (col.str.startswith(prefix) | col.str.startswith("W" + prefix[1:]))
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
        _fail(df, np.isinf(num.fillna(0)), name, path, "not a finite number", "give the value as published")
        if kind == "int":
            _fail(df, (num % 1) != 0, name, path, "not a whole number", "counts must be whole numbers")
            return num.astype("int64")
        return num.astype("float64")
    raise ValueError(f"unknown column kind {kind!r}")  # programming error, not input
