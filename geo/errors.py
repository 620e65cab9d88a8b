"""The one error type raised for bad input."""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """Bad input data: names the file, the row and column where known, what was found and what to do.

    Parameters
    ----------
    path : str or Path
        The file (or directory) at fault.
    message : str
        What is wrong and what was expected.
    row : int, optional
        1-based line number in the file, counting the header as line 1.
    column : str, optional
        The column (or property) at fault.
    fix : str, optional
        What the user can do about it.

    Examples
    --------
    >>> str(InputError("police/2012-04.csv", "not a number: 'abc'", row=3, column="Longitude"))
    "police/2012-04.csv, line 3, column 'Longitude': not a number: 'abc'"
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.fix = fix
        self.detail = message
        where = [self.path]
        if row is not None:
            where.append(f"line {row}")
        if column is not None:
            where.append(f"column {column!r}")
        text = ", ".join(where) + f": {message}"
        if fix:
            text += f" (fix: {fix})"
        super().__init__(text)

    def __reduce__(self):  # pickled whole, so that a build worker's error is raised as it was (geo.workers)
        return _rebuild, (self.path, self.detail, self.row, self.column, self.fix, self.__class__)


def _rebuild(path, message, row, column, fix, cls=InputError) -> InputError:
    return cls(path, message, row=row, column=column, fix=fix)
