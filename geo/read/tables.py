"""Deprivation, population and ONS lookup tables (CSV)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from geo.analysis.deprivation import IMD_DOMAINS
from geo.analysis.outcomes import GROUPS
from geo.config import SECTION_REF
from geo.errors import InputError
from geo.read.io import LINE, raise_first, read_header, read_table

SCORE_RANGES = {
    "IMD": (0.0, 100.0),
    "Income": (0.0, 1.0),
    "Employment": (0.0, 1.0),
    "Health": (-10.0, 10.0),
    "Crime": (-10.0, 10.0),
    "Education": (0.0, 100.0),
    "Housing_and_Access": (0.0, 100.0),
    "Environment": (0.0, 100.0),
}
"""What each score can be, by the Indices' technical reports: the IMD and the education, barriers and living
environment scores are on 0 to 100; income and employment are the share of people deprived (0 to 1); health and
crime are standardised scores (about -3 to 4 in every edition so far; 10 leaves room and still catches errors)."""
LSOAS_2001, LSOAS_2011 = 32_482, 32_844
"""How many LSOAs England has, so the most a rank can be (IMD 2010 ranks 2001 LSOAs, IoD 2015 and 2019 2011 ones)."""
MAX_LSOA_RESIDENTS = 25_000
"""ONS draws LSOAs for 1,000 to 3,000 residents; the largest 2011 LSOA in Kent has 6,176. A figure above this is
a district's or a mistyped one."""


def imd2010_from_csv(path: Path) -> pd.DataFrame:
    """English Indices of Deprivation 2010 by 2001 LSOA.

    Returns
    -------
    pandas.DataFrame
        ``lsoa01_code``, ``imd_score``, ``imd_rank`` (1 = most deprived in England), ``imd_decile``
        (1 = most deprived 10 %), and ``<domain>_score`` for each of :data:`IMD_DOMAINS` (lower-case).
    """
    cols = {"lsoa01_code": "code:E01", "IMD_score": "float", "IMD_rank": "int", "IMD_decile": "int"}
    cols.update({f"{d}_score": "float" for d in IMD_DOMAINS})
    df = read_table(path, cols)
    _unique(df, "lsoa01_code", path)
    _range(df, "IMD_decile", 1, 10, path)
    _range(df, "IMD_rank", 1, LSOAS_2001, path)
    for d in ("IMD", *IMD_DOMAINS):
        _range(df, f"{d}_score", *SCORE_RANGES[d], path)
    out = pd.DataFrame(
        {"lsoa01_code": df.lsoa01_code, "imd_score": df.IMD_score, "imd_rank": df.IMD_rank, "imd_decile": df.IMD_decile}
    )
    for d in IMD_DOMAINS:
        out[f"{d.lower()}_score"] = df[f"{d}_score"]
    return out


IOD_FILE7 = {
    "LSOA code (2011)": "lsoa_code",
    "LSOA code (2021)": "lsoa_code",
    "Index of Multiple Deprivation (IMD) Score": "IMD_score",
    "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)": "IMD_rank",
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)": "IMD_decile",
}
"""Column names of the published IoD "File 7" CSV (what ``python -m geo fetch`` downloads) -> ours. IoD 2015
(DCLG), IoD 2019 and IoD 2025 (MHCLG) name these columns alike, but for the LSOA vintage in the code's header."""
IOD_FILE7_DOMAINS = {
    "Income Score (rate)": "Income_score",
    "Employment Score (rate)": "Employment_score",
    "Health Deprivation and Disability Score": "Health_score",
    "Education, Skills and Training Score": "Education_score",
    "Barriers to Housing and Services Score": "Housing_and_Access_score",
    "Crime Score": "Crime_score",
    "Living Environment Score": "Environment_score",
}
"""File 7's seven domain scores -> ours (:data:`geo.analysis.deprivation.IMD_DOMAINS`), read where the edition
has them (IoD 2025)."""


def lsoa_iod_from_csv(path: Path, areas: int = LSOAS_2011, domains: bool = False) -> pd.DataFrame:
    """English Indices of Deprivation 2015 or 2019 by 2011 LSOA, or 2025 by 2021 LSOA: the overall IMD, and the
    seven domain scores when ``domains`` (IoD 2025's File 7 has them; the 2015 and 2019 files here do not).

    Accepts the shared data's layout (``lsoa11_code``, ``IMD_score``, ``IMD_rank``, ``IMD_decile``) or the
    published File 7 (see :data:`IOD_FILE7`).

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code``, ``imd_score``, ``imd_rank`` (1 = most deprived in England), ``imd_decile``, and with
        ``domains`` ``<domain>_score`` for each of :data:`IMD_DOMAINS` (lower-case).
    """
    cols = {"lsoa_code": "code:E01", "IMD_score": "float", "IMD_rank": "int", "IMD_decile": "int"}
    if domains:
        cols.update({f"{d}_score": "float" for d in IMD_DOMAINS})
    names = {**IOD_FILE7, **IOD_FILE7_DOMAINS, "lsoa11_code": "lsoa_code"}
    df = read_table(path, cols, rename=lambda c: names.get(c, c))
    _unique(df, "lsoa_code", path)
    _range(df, "IMD_decile", 1, 10, path)
    _range(df, "IMD_rank", 1, areas, path)
    _range(df, "IMD_score", *SCORE_RANGES["IMD"], path)
    out = pd.DataFrame(
        {"lsoa_code": df.lsoa_code, "imd_score": df.IMD_score, "imd_rank": df.IMD_rank, "imd_decile": df.IMD_decile}
    )
    for d in IMD_DOMAINS if domains else ():
        _range(df, f"{d}_score", *SCORE_RANGES[d], path)
        out[f"{d.lower()}_score"] = df[f"{d}_score"]
    return out


def population_from_csv(path: Path) -> pd.DataFrame:
    """Census 2011 usual residents by 2011 LSOA: ``lsoa_code``, ``lad_code``, ``residents``, ``households``;
    ``attrs["lines"]`` maps each LSOA code to its line in the file."""
    df = read_table(
        path, {"lsoa11_code": "code:E01", "lad_code": "code:E0", "all_usual_residents": "int", "households": "int"}
    )
    _unique(df, "lsoa11_code", path)
    _range(df, "all_usual_residents", 1, MAX_LSOA_RESIDENTS, path)  # none is empty (the smallest has about 1,000)
    _range(df, "households", 0, MAX_LSOA_RESIDENTS, path)
    raise_first(
        path,
        df,
        df["households"] > df["all_usual_residents"],
        "households",
        lambda i: f"{df['households'].iloc[i]:,} households for {df['all_usual_residents'].iloc[i]:,} residents",
        "a household has at least one resident: check the columns are not swapped",
    )
    out = pd.DataFrame(
        {
            "lsoa_code": df.lsoa11_code,
            "lad_code": df.lad_code,
            "residents": df.all_usual_residents,
            "households": df.households,
        }
    )
    out.attrs["lines"] = dict(zip(df.lsoa11_code, df[LINE].astype(int), strict=True))  # for messages
    return out


CENSUS_2021_COLUMNS = {
    "Geography code": "code:E0",
    "Geography label": "text",
    "Geography area type": "text",
    "Lives in a household": "int",
    "Lives in a communal establishment": "int",
    "Total": "int",
}
"""The columns of Census 2021 table TS001 (usual residents) that the build reads, as ONS names them."""


def _census2021_rows(df: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """TS001's LSOA rows and Local Authority rows, once the area types, totals, codes and sizes are checked."""
    kind = df["Geography area type"]
    raise_first(
        path,
        df,
        ~kind.isin(["LSOA", "Local Authority"]),
        "Geography area type",
        lambda i: f"area type {kind.iloc[i]!r}",
        "keep the LSOA and Local Authority rows of TS001",
    )
    raise_first(
        path,
        df,
        df["Lives in a household"] + df["Lives in a communal establishment"] != df["Total"],
        "Total",
        lambda i: f"{df['Total'].iloc[i]:,} is not household plus communal residents",
        "check the columns against ONS's table",
    )
    lsoa, lad = df[kind == "LSOA"], df[kind == "Local Authority"]
    _unique(df, "Geography code", path)
    raise_first(
        path,
        lsoa,
        ~lsoa["Geography code"].str.startswith("E01"),
        "Geography code",
        lambda i: "not an LSOA code",
        "LSOA codes start E01",
    )
    _range(lsoa, "Total", 1, MAX_LSOA_RESIDENTS, path)
    return lsoa, lad


def census2021_from_csv(path: Path) -> pd.DataFrame:
    """Census 2021 usual residents (TS001) by 2021 LSOA: ``lsoa_code``, ``lad_code``, ``residents``,
    ``households`` (empty: TS001 counts people, not households); ``attrs["lines"]`` maps each LSOA code to its
    line, ``attrs["district_totals"]`` each district code to the residents of its own row.

    The file holds LSOA rows and ``Local Authority`` rows. An LSOA's district is the one whose name its own
    name starts with (ONS names every LSOA ``<district name> <MSOA number><letter>``). ONS perturbed Census 2021
    counts to protect privacy, so an LSOA sum can differ from its district's row by a few people: the district
    row is the district total.
    """
    df = read_table(path, CENSUS_2021_COLUMNS)
    lsoa, lad = _census2021_rows(df, path)
    by_name = dict(zip(lad["Geography label"], lad["Geography code"], strict=True))
    district = lsoa["Geography label"].str.replace(r" \d{3}[A-Z]$", "", regex=True).map(by_name)
    raise_first(
        path,
        lsoa,
        district.isna(),
        "Geography label",
        lambda i: f"LSOA {lsoa['Geography label'].iloc[i]!r} names no district of the file's Local Authority rows",
        "keep the Local Authority row of every district whose LSOAs the file holds",
    )
    out = pd.DataFrame(
        {
            "lsoa_code": lsoa["Geography code"].to_numpy(),
            "lad_code": district.to_numpy(),
            "residents": lsoa["Total"].to_numpy(),
            "households": pd.array([pd.NA] * len(lsoa), dtype="Int64"),
        }
    )
    out.attrs["lines"] = dict(zip(lsoa["Geography code"], lsoa[LINE].astype(int), strict=True))
    out.attrs["district_totals"] = dict(zip(lad["Geography code"], lad["Total"].astype(int), strict=True))
    out.attrs["census"] = 2021
    return out


def lsoa_ward_lookup_from_csv(path: Path) -> pd.DataFrame:
    """ONS best-fit 2011 or 2021 LSOA -> ward lookup: ``lsoa_code``, ``ward_code``, ``ward_name``, ``lad_code``,
    ``lad_name``; ``attrs["vintage"]`` is the year of its ward codes (``"2015"`` for ``WD15CD``) and
    ``attrs["lsoa_year"]`` that of its LSOAs (2011 for ``LSOA11CD``, 2021 for ``LSOA21CD``)."""
    header = read_header(path)
    ls = _pick(header, "LSOA", "CD", path)
    wd = _pick(header, "WD", "CD", path)
    nm = _pick(header, "WD", "NM", path)
    lad = _pick(header, "LAD", "CD", path)
    lad_nm = _pick(header, "LAD", "NM", path)
    df = read_table(path, {ls: "code:E01", wd: "code:E05", nm: "text", lad: "code:E0", lad_nm: "text"})
    _unique(df, ls, path)
    out = pd.DataFrame(
        {
            "lsoa_code": df[ls],
            "ward_code": df[wd],
            "ward_name": df[nm],
            "lad_code": df[lad],
            "lad_name": df[lad_nm],
            "line": df[LINE],
        }
    )
    out.attrs["vintage"] = "20" + wd[2:4]  # WD15CD -> 2015
    out.attrs["lsoa_year"] = int("20" + ls[4:6])
    return out


def lsoa01_ward_lookup_from_csv(path: Path) -> pd.DataFrame:
    """ONS best-fit 2001 LSOA -> ward lookup: ``lsoa01_code``, ``ward_code``."""
    header = read_header(path)
    wd = _pick(header, "WD", "CD", path)
    df = read_table(path, {"LSOA01CD": "code:E01", wd: "code:E05"})
    _unique(df, "LSOA01CD", path)
    return pd.DataFrame({"lsoa01_code": df.LSOA01CD, "ward_code": df[wd], "line": df[LINE]})


def lsoa01_to_lsoa11_from_csv(path: Path) -> pd.DataFrame:
    """ONS 2001 -> 2011 LSOA lookup: ``lsoa01_code``, ``lsoa_code``, ``change`` (U unchanged, S split,
    M merged, X irregular)."""
    df = read_table(path, {"LSOA01CD": "code:E01", "LSOA11CD": "code:E01", "CHGIND": "text"})
    bad = ~df.CHGIND.isin(["U", "S", "M", "X"])
    raise_first(
        path, df, bad, "CHGIND", lambda i: f"unknown change indicator {df.CHGIND.iloc[i]!r}", "ONS uses U, S, M or X"
    )
    return pd.DataFrame({"lsoa01_code": df.LSOA01CD, "lsoa_code": df.LSOA11CD, "change": df.CHGIND})


def _pick(header, prefix: str, suffix: str, path: Path) -> str:
    for c in header:
        if re.fullmatch(rf"{prefix}\d\d{suffix}", c):
            return c
    raise InputError(
        path,
        f"no {prefix}yy{suffix} column; found {list(header)}",
        row=1,
        column=f"{prefix}11{suffix}",
        fix="use the ONS lookup as published",
    )


def _unique(df: pd.DataFrame, col: str, path: Path) -> None:
    raise_first(
        path, df, df[col].duplicated(), col, lambda i: f"duplicate {df[col].iloc[i]!r}", "each code must appear once"
    )


def _range(df: pd.DataFrame, col: str, lo: float, hi: float, path: Path) -> None:
    raise_first(
        path,
        df,
        ~df[col].between(lo, hi),
        col,
        lambda i: f"value {df[col].iloc[i]:g} outside {lo:g} to {hi:g}",
        "check the value against the publisher's file",
    )


MENTION_COLUMNS = {
    "section": "text",
    "ward_name": "text",
    "topic": "text",
    "indicator": "str",
    "period": "str",
    "report_figure": "str",
    "summary": "text",
}


def report_mentions_from_csv(path: Path, ward_names=None) -> pd.DataFrame:
    """What the assessment says about named wards (``data/report-ward-mentions.csv``), one row per mention.

    Raises
    ------
    InputError
        If a row names a ward that is not in ``ward_names`` (when given), or its section does not start with a
        section number of the report (which its claim marker links to).
    """
    df = read_table(path, MENTION_COLUMNS, allow_empty=True)
    raise_first(
        path,
        df,
        [any(not SECTION_REF.match(p.strip()) for p in s.split(";")) for s in df["section"]],
        "section",
        lambda i: f"{df['section'].iloc[i]!r} does not start with the report's section number",
        "start each ;-separated part with the section number, e.g. '5.6 Road safety' or 'A2 Deprivation'",
    )
    if ward_names is not None:
        raise_first(
            path,
            df,
            ~df["ward_name"].isin(list(ward_names)),
            "ward_name",
            lambda i: f"unknown ward {df['ward_name'].iloc[i]!r}",
            "use the ward's name as in the boundary file",
        )
    return df[list(MENTION_COLUMNS)].reset_index(drop=True)


OUTCOME_COLUMNS = {"category": "text", "group": "str", "note": "str"}


def outcome_groups_from_csv(path: Path) -> dict[str, str]:
    """``data/outcome-categories.csv``: each police.uk last-outcome category and its group
    (:data:`geo.analysis.outcomes.GROUPS`).

    Raises
    ------
    InputError
        A group that is not one of the groups, or a category listed twice, named by line and column.
    """
    df = read_table(path, OUTCOME_COLUMNS)
    raise_first(
        path,
        df,
        ~df["group"].isin(GROUPS),
        "group",
        lambda i: f"unknown group {df['group'].iloc[i]!r}",
        "use one of " + ", ".join(GROUPS),
    )
    raise_first(
        path,
        df,
        df["category"].duplicated(),
        "category",
        lambda i: f"{df['category'].iloc[i]!r} is listed twice",
        "list each category once",
    )
    return dict(zip(df["category"], df["group"], strict=True))
