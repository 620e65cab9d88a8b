"""Indices of Deprivation summarised by ward: IMD 2010 on 2001 LSOAs (the assessment's edition) or, for districts
without 2001 lookups, IoD 2015 or 2019 on 2011 LSOAs (whichever was the newest when the period ended), or, for
periods on 2021 LSOAs (police.uk from June 2023), IoD 2025 with its seven domains."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

IMD_DOMAINS = ("Income", "Employment", "Health", "Education", "Housing_and_Access", "Crime", "Environment")
"""The seven domains of the English Indices of Deprivation 2010, as the file's column prefixes."""
MOST_DEPRIVED_DECILES = (1, 2)
"""IMD deciles that make up England's most deprived 20 % of LSOAs."""


@dataclass(frozen=True)
class Edition:
    """One edition of the English Indices of Deprivation, as the pages name it."""

    short: str
    """e.g. ``IMD 2010``."""
    title: str
    """e.g. ``English Indices of Deprivation 2010``."""
    lsoa_year: int
    """The LSOA geography it scores (2001 or 2011)."""
    areas: int
    """How many LSOAs in England it ranks."""
    domains: bool
    """Whether the data directory's file carries the seven domain scores."""
    published: str = ""
    """The month it was published (``YYYY-MM``)."""

    @property
    def year(self) -> int:
        """e.g. ``2015`` (the data directory's file is ``deprivation/imd-<year>-lsoa<yy>-<area>.csv``)."""
        return int(self.short.split()[-1])


IMD_2010 = Edition("IMD 2010", "English Indices of Deprivation 2010", 2001, 32_482, True, "2011-03")
IOD_2015 = Edition("IMD 2015", "English Indices of Deprivation 2015", 2011, 32_844, False, "2015-09")
IOD_2019 = Edition("IMD 2019", "English Indices of Deprivation 2019", 2011, 32_844, False, "2019-09")
IOD_2025 = Edition("IMD 2025", "English Indices of Deprivation 2025", 2021, 33_755, True, "2025-10")
"""On 2021 LSOAs (33,755 in England); its File 7 carries the seven domains, which the build reads."""
LSOA11_EDITIONS = (IOD_2015, IOD_2019)
"""The editions on 2011 LSOAs, oldest first (IoD 2025 moved to 2021 LSOAs: :data:`IOD_2025`)."""


def lsoa11_edition(period_end: str) -> Edition:
    """The newest edition on 2011 LSOAs published by the period's last month (``YYYY-MM``); IoD 2015 for
    periods before it, the oldest such edition.

    >>> lsoa11_edition("2014-11").short, lsoa11_edition("2019-08").short, lsoa11_edition("2019-09").short
    ('IMD 2015', 'IMD 2015', 'IMD 2019')
    """
    return [e for e in LSOA11_EDITIONS if e.published <= period_end or e is LSOA11_EDITIONS[0]][-1]


def lsoa01_population(pop11: pd.DataFrame, lsoa01_to_11: pd.DataFrame) -> pd.DataFrame:
    """Census 2011 residents on 2001 LSOAs.

    An unchanged (U) or split (S) 2001 LSOA gets the sum of its 2011 LSOAs. A 2011 LSOA formed by merging
    2001 LSOAs (M) is shared between them equally, as no finer figure exists here.

    Returns
    -------
    pandas.DataFrame
        ``lsoa01_code``, ``residents``.
    """
    df = lsoa01_to_11.merge(pop11[["lsoa_code", "residents"]], on="lsoa_code", how="left")
    if df["residents"].isna().any():
        raise ValueError(
            f"2011 LSOA(s) {sorted(df.loc[df['residents'].isna(), 'lsoa_code'])[:5]} have no Census population"
        )
    parents = df.groupby("lsoa_code")["lsoa01_code"].transform("size")
    df["residents"] = df["residents"] / parents
    return df.groupby("lsoa01_code", as_index=False)["residents"].sum()


def imd_by_ward(imd: pd.DataFrame, lsoa01_ward: pd.DataFrame, pop01: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """Population-weighted IMD 2010 score and domain scores per ward (on 2001 LSOAs).

    Parameters
    ----------
    imd : pandas.DataFrame
        From :func:`geo.read.tables.imd2010_from_csv`.
    lsoa01_ward : pandas.DataFrame
        ``lsoa01_code``, ``ward_code`` (best fit).
    pop01 : pandas.DataFrame
        ``lsoa01_code``, ``residents`` (from :func:`lsoa01_population`).
    wards : pandas.DataFrame
        ``ward_code``, ``ward_name``.

    Returns
    -------
    pandas.DataFrame
        See :func:`summarise`; with ``<domain>_score`` for each IMD domain.
    """
    df = _join(lsoa01_ward, imd, pop01, wards, "lsoa01_code", IMD_2010)
    return summarise(df, wards, [f"{d.lower()}_score" for d in IMD_DOMAINS])


def lsoa_imd_by_ward(
    imd: pd.DataFrame, lsoa_ward: pd.DataFrame, pop11: pd.DataFrame, wards: pd.DataFrame, edition: Edition
) -> pd.DataFrame:
    """Population-weighted IMD score per ward of an edition on the Census's own LSOAs (IoD 2015 or 2019 on 2011
    LSOAs with Census 2011; IoD 2025 on 2021 LSOAs with Census 2021), so the populations fit exactly.

    ``lsoa_ward`` is ``lsoa_code``, ``ward_code`` (best fit); ``pop11`` is ``lsoa_code``, ``residents``.
    Returns :func:`summarise`'s table; the domain columns are empty where the edition's file has no domains.
    """
    df = _join(lsoa_ward, imd, pop11[["lsoa_code", "residents"]], wards, "lsoa_code", edition)
    cols = [f"{d.lower()}_score" for d in IMD_DOMAINS]
    if edition.domains:
        return summarise(df, wards, cols)
    out = summarise(df, wards, [])
    for c in cols:
        out[c] = float("nan")
    return out


def _join(lookup, imd, pop, wards, key: str, edition: Edition) -> pd.DataFrame:
    codes = set(wards["ward_code"])
    lk = lookup[lookup["ward_code"].isin(codes)][[key, "ward_code"]]
    missing = sorted(codes - set(lk["ward_code"]))
    if missing:
        raise ValueError(f"ward(s) {missing} have no {edition.lsoa_year} LSOA in the lookup")
    df = lk.merge(imd, on=key, how="left").merge(pop, on=key, how="left")
    for col, what in (("imd_score", f"{edition.short} score"), ("residents", "population")):
        if df[col].isna().any():
            raise ValueError(f"{edition.lsoa_year} LSOA(s) {sorted(df.loc[df[col].isna(), key])[:5]} have no {what}")
    return df.rename(columns={key: "lsoa_code"})


def summarise(df: pd.DataFrame, wards: pd.DataFrame, domain_cols: list[str]) -> pd.DataFrame:
    """Population-weighted scores per ward from one row per LSOA (``lsoa_code``, ``ward_code``, ``residents``,
    ``imd_score``, ``imd_rank``, ``imd_decile`` and the ``domain_cols``).

    Returns
    -------
    pandas.DataFrame
        ``ward_code``, ``ward_name``, ``lsoas``, ``residents`` (Census 2011 on the edition's LSOAs), ``imd_score``
        (population-weighted mean), ``imd_most_deprived_20pct`` (% of residents in LSOAs of deciles 1-2),
        ``most_deprived_lsoa_rank`` (rank of the ward's most deprived LSOA in England, 1 = most deprived),
        the ``domain_cols`` and ``rank_imd`` (1 = most deprived ward of the district).
    """
    score_cols = ["imd_score", *domain_cols]
    df = df.copy()
    df["deprived_residents"] = df["residents"] * df["imd_decile"].isin(MOST_DEPRIVED_DECILES)
    weighted = df[score_cols].mul(df["residents"], axis=0)
    weighted["ward_code"] = df["ward_code"]
    g = weighted.groupby("ward_code")[score_cols].sum()
    agg = df.groupby("ward_code").agg(
        lsoas=("lsoa_code", "size"),
        residents=("residents", "sum"),
        deprived=("deprived_residents", "sum"),
        most_deprived_lsoa_rank=("imd_rank", "min"),
    )
    out = g.div(agg["residents"], axis=0)
    out.insert(0, "lsoas", agg["lsoas"])
    out.insert(1, "residents", agg["residents"].round().astype("int64"))
    out["imd_most_deprived_20pct"] = 100 * agg["deprived"] / agg["residents"]
    out["most_deprived_lsoa_rank"] = agg["most_deprived_lsoa_rank"].astype("int64")
    out = out.reset_index()
    out["rank_imd"] = out["imd_score"].rank(ascending=False, method="min").astype("int64")
    names = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    out.insert(1, "ward_name", out["ward_code"].map(names))
    return out.sort_values("ward_code").reset_index(drop=True)
