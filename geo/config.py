"""The build's one frozen configuration object and where the data directory comes from."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import InputError

SECTION_REF = re.compile(r"^(A\d|\d+(?:\.\d+)*)\b")
"""A reference to a section of the assessment as a data file gives it: ``4.1``, ``1.2 Key facts``, ``A2
Deprivation``."""
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
"""How the build's messages are written (by the command and by its build workers alike)."""

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR_ENV = "GEO_DATA_DIR"
"""Environment variable naming the raw data directory (an explicit option wins over it)."""
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "bundle"
"""The embedded default data bundle the repository carries (see :mod:`geo.read.bundle`)."""
REPORT_DISTRICT = "E07000110"
"""The district whose strategic assessment the site narrates (Maidstone)."""
REPORT_TITLE = "Safer Maidstone Partnership Strategic Assessment 2014-15"
"""The report the site retells, as its cover names it (other districts' pages name it from here)."""

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_DISTRICT = re.compile(r"E0[6-9]\d{6}|W06\d{6}")
_ELSEWHERE = {
    "S12": "a Scottish council area: police.uk publishes no street-level data for Scotland",
    "N09": "a Northern Irish district: the build reads English and Welsh small areas (LSOAs), which it has not",
}


@dataclass(frozen=True)
class Period:
    """An inclusive run of calendar months, written ``YYYY-MM``.

    Both months are checked when the period is made: ``YYYY-MM`` with a month from 01 to 12, and the start not
    after the end; anything else is an :class:`~geo.errors.InputError` naming the option (``--start``/``--end``).

    Examples
    --------
    >>> Period("2012-04", "2013-03").months()[:2]
    ('2012-04', '2012-05')
    >>> len(Period("2012-04", "2013-03").months())
    12
    >>> Period("2012-13", "2013-03")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: --start: '2012-13' is not a month written YYYY-MM with a month from 01 to 12 ...
    """

    start: str
    end: str

    def __post_init__(self) -> None:
        for option, value in (("--start", self.start), ("--end", self.end)):
            if not isinstance(value, str) or not _MONTH.fullmatch(value):
                raise InputError(
                    option,
                    f"{value!r} is not a month written YYYY-MM with a month from 01 to 12",
                    fix="write months like 2012-04",
                )
        if self.start > self.end:  # zero-padded YYYY-MM strings sort as the months do
            raise InputError("--start", f"the period starts ({self.start}) after it ends ({self.end})", fix="swap them")

    def months(self) -> tuple[str, ...]:
        y, m = (int(x) for x in self.start.split("-"))
        ey, em = (int(x) for x in self.end.split("-"))
        out = []
        while (y, m) <= (ey, em):
            out.append(f"{y:04d}-{m:02d}")
            m += 1
            if m == 13:
                y, m = y + 1, 1
        return tuple(out)

    @property
    def label(self) -> str:
        return f"{self.start} to {self.end}"

    @property
    def lsoa_year(self) -> int:
        """The LSOA geography of the period's police.uk records, and so of its Census, lookups and deprivation:
        2011 before :data:`LSOA21_FROM`, 2021 from it. A period on both is refused (its records would need two
        geographies at once).

        >>> Period("2012-04", "2013-03").lsoa_year, Period("2025-01", "2025-12").lsoa_year
        (2011, 2021)
        """
        before, after = self.start < LSOA21_FROM, self.end >= LSOA21_FROM
        if before and after:
            raise InputError(
                "--start",
                f"the period {self.label} spans police.uk's move from 2011 to 2021 LSOAs in {LSOA21_FROM}",
                fix=f"end the period before {LSOA21_FROM} or start it then",
            )
        return 2021 if after else 2011


def vintage_prefix(period: Period) -> str:
    """Where a further vintage's pages go in the site: its year for a calendar year, else its months.

    >>> vintage_prefix(Period("2025-01", "2025-12")), vintage_prefix(Period("2024-04", "2025-03"))
    ('2025/', '2024-04-to-2025-03/')
    """
    if period.start.endswith("-01") and period.end == period.start[:4] + "-12":
        return period.start[:4] + "/"
    return f"{period.start}-to-{period.end}/"


def latest_full_year(months, lsoa_year: int = 2021) -> Period | None:
    """The newest calendar year all of whose months are among ``months`` and on ``lsoa_year``'s LSOAs.

    >>> latest_full_year([f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01"])
    Period(start='2025-01', end='2025-12')
    >>> latest_full_year(["2025-01"]) is None
    True
    """
    have = set(months)
    years = sorted({m[:4] for m in have}, reverse=True)
    for y in years:
        p = Period(f"{y}-01", f"{y}-12")
        if set(p.months()) <= have and all(lsoa_year_of_month(m) == lsoa_year for m in p.months()):
            return p
    return None


def lsoa_year_of_month(month: str) -> int:
    """The LSOA geography police.uk gives a month's records (``YYYY-MM``).

    >>> lsoa_year_of_month("2023-05"), lsoa_year_of_month("2023-06")
    (2011, 2021)
    """
    return 2021 if month >= LSOA21_FROM else 2011


LSOA21_FROM = "2023-06"
"""police.uk's first month on 2021 LSOAs (its changelog, June 2023; the Kent 2025 files carry 2021 codes only)."""


DEFAULT_PERIOD = Period("2012-04", "2013-03")
"""The assessment's year: April 2012 to March 2013."""
IN_YEAR = (Period("2012-04", "2012-09"), Period("2013-04", "2013-09"))
"""The report's in-year comparison: April-September 2013 against the same months of 2012."""
MONITOR = (Period("2012-04", "2012-11"), Period("2014-04", "2014-11"))
"""Monitoring the 2014/15 priorities: April-November 2014 against the same months of 2012."""
KENT_PERIOD = Period("2014-01", "2014-11")
"""The Kent comparison's months (the complete Kent files)."""


@dataclass(frozen=True)
class Config:
    """Everything a build needs, passed explicitly to the orchestrator.

    Attributes
    ----------
    district : str
        ONS code of the local authority district (Maidstone is ``E07000110``).
    period : Period
        The months whose police.uk records are counted (default: financial year 2012/13,
        the assessment's period).
    data_dir : Path
        Directory holding the raw inputs, laid out as ``data/bundle`` (the default).
    out_dir : Path
        Where the build writes its generated files (tables, maps, pages).
    indicators_file : Path
        The indicator table (one row per indicator).
    manifest_file : Path
        The input manifest (one row per source).
    allow_partial : bool
        Accept months of the period that have no police.uk file.
    hotspot_cell_m, permutations, seed
        The hotspot grid's cell width (m), and Gi*'s permutations and their seed.
    """

    district: str = "E07000110"
    period: Period = DEFAULT_PERIOD
    data_dir: Path = field(default_factory=lambda: resolve_data_dir())
    out_dir: Path = PROJECT_ROOT / "build"
    indicators_file: Path = PROJECT_ROOT / "data" / "indicators.csv"
    manifest_file: Path = PROJECT_ROOT / "data" / "manifest.csv"
    outcomes_file: Path = PROJECT_ROOT / "data" / "outcome-categories.csv"
    """Each police.uk last-outcome category and its group, for the outcome rates."""
    allow_partial: bool = False
    """Build even when some months of the period have no police.uk file (they are then listed)."""
    hotspot_cell_m: float = 400.0
    """Width of the hotspot hexagons across flats, in metres."""
    permutations: int = 999
    """Conditional permutations for Gi* significance."""
    seed: int = 12345
    """Seed of the permutations, so that builds are identical."""
    report_dir: Path = PROJECT_ROOT / "data" / "report"
    """The assessment's tables, transcribed (one CSV per table, named by section)."""
    mentions_file: Path | None = None
    """What the assessment says about named wards; only for the report's own district (Maidstone)."""
    also: tuple[Period, ...] = ()
    """Further vintages built into the same site, each at its own addresses (:func:`vintage_prefix`): the
    default build adds the latest full year of police.uk data on today's geography ("Maidstone now")."""

    def __post_init__(self) -> None:
        check_district(self.district)


def check_district(code: str) -> str:
    """Return an ONS district code if it is well formed (England's ``E06``-``E09`` or Wales's ``W06`` and six
    digits), else raise, saying why a real code of Scotland or Northern Ireland cannot be built.

    Examples
    --------
    >>> check_district("E07000110")
    'E07000110'
    >>> check_district("W06000015")
    'W06000015'
    >>> check_district("e07000110")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: --district: 'e07000110' is not an ONS district code (did you mean 'E07000110'?) ...
    """
    if isinstance(code, str) and _DISTRICT.fullmatch(code):
        return code
    if isinstance(code, str) and re.fullmatch(r"(S12|N09)\d{6}", code):
        raise InputError(
            "--district", f"{code!r} is {_ELSEWHERE[code[:3]]}", fix="choose a district of England or Wales"
        )
    near = code.strip().upper() if isinstance(code, str) else ""
    hint = f" (did you mean {near!r}?)" if _DISTRICT.fullmatch(near) else ""
    raise InputError(
        "--district",
        f"{code!r} is not an ONS district code{hint}",
        fix="district codes are 9 characters, e.g. E07000110 for Maidstone or W06000015 for Cardiff",
    )


def resolve_data_dir(option: str | os.PathLike | None = None, env: dict | None = None) -> Path:
    """Find the raw data directory: an option, then ``$GEO_DATA_DIR``, then the embedded bundle ``data/bundle``.

    Raises
    ------
    InputError
        If the chosen directory does not exist (or, in a damaged checkout, the bundle is missing).
    """
    env = os.environ if env is None else env
    for source, value in (("option", option), (DATA_DIR_ENV, env.get(DATA_DIR_ENV))):
        if value:
            path = Path(value).expanduser().resolve()
            if not path.is_dir():
                raise InputError(
                    path,
                    f"data directory given by {source} does not exist",
                    fix="point it at a folder laid out like data/bundle (see its README.md)",
                )
            return path
    if not DEFAULT_DATA_DIR.is_dir():
        raise InputError(
            DEFAULT_DATA_DIR,
            "the embedded data bundle is missing from this checkout",
            fix=f"restore it (git checkout data/bundle), or pass --data-dir or set {DATA_DIR_ENV}",
        )
    return DEFAULT_DATA_DIR


def ward_vintage_for(vintages, year: int) -> int | None:
    """Of the ward vintages (years) at hand, the one for a period ending in ``year``: the newest not after it,
    or for a period before them all the oldest (the nearest known); None if there are none. ``geo fetch`` and
    the build choose alike.

    >>> ward_vintage_for([2013, 2019, 2020], 2014), ward_vintage_for([2013, 2019], 2012), ward_vintage_for([], 2014)
    (2013, 2013, None)
    """
    years = sorted(set(vintages))
    fit = [v for v in years if v <= year] or years[:1]
    return fit[-1] if fit else None
