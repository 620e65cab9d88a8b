"""Indices of Deprivation 2010 summarised by ward."""

from __future__ import annotations

import pandas as pd

from geo.sources.tables import IMD_DOMAINS

MOST_DEPRIVED_DECILES = (1, 2)
"""IMD deciles that make up England's most deprived 20 % of LSOAs."""


def lsoa01_population(pop11: pd.DataFrame, lsoa01_to_11: pd.DataFrame) -> pd.DataFrame:
    """Census 2011 residents on 2001 LSOAs.

    An unchanged (U) or split (S) 2001 LSOA gets the sum of its 2011 LSOAs. A 2011 LSOA formed by merging
    2001 LSOAs (M) is shared between them equally, as no finer figure exists here.

    Returns
    -------
    pandas.DataFrame
        ``lsoa01_code``, ``residents``.
    """
    df = lsoa01_to_11.merge(pop11[["lsoa11_code", "residents"]], on="lsoa11_code", how="left")
    if df["residents"].isna().any():
        raise ValueError(
            f"2011 LSOA(s) {sorted(df.loc[df['residents'].isna(), 'lsoa11_code'])[:5]} have no Census population"
        )
    parents = df.groupby("lsoa11_code")["lsoa01_code"].transform("size")
    df["residents"] = df["residents"] / parents
    return df.groupby("lsoa01_code", as_index=False)["residents"].sum()


def imd_by_ward(imd: pd.DataFrame, lsoa01_ward: pd.DataFrame, pop01: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """Population-weighted IMD 2010 score and domain scores per ward.

    Parameters
    ----------
    imd : pandas.DataFrame
        From :func:`geo.sources.tables.imd2010_from_csv`.
    lsoa01_ward : pandas.DataFrame
        ``lsoa01_code``, ``ward_code`` (best fit).
    pop01 : pandas.DataFrame
        ``lsoa01_code``, ``residents`` (from :func:`lsoa01_population`).
    wards : pandas.DataFrame
        ``ward_code``, ``ward_name``.

    Returns
    -------
    pandas.DataFrame
        ``ward_code``, ``ward_name``, ``lsoas``, ``residents`` (Census 2011 on 2001 LSOAs), ``imd_score``
        (population-weighted mean), ``imd_most_deprived_20pct`` (% of residents in LSOAs of deciles 1-2),
        ``most_deprived_lsoa_rank`` (rank of the ward's most deprived LSOA in England, 1 = most deprived), and
        ``<domain>_score`` for each IMD domain; ``rank_imd`` (1 = most deprived ward of the district).
    """
    codes = set(wards["ward_code"])
    lk = lsoa01_ward[lsoa01_ward["ward_code"].isin(codes)]
    missing = sorted(codes - set(lk["ward_code"]))
    if missing:
        raise ValueError(f"ward(s) {missing} have no 2001 LSOA in the lookup")
    df = lk.merge(imd, on="lsoa01_code", how="left").merge(pop01, on="lsoa01_code", how="left")
    for col, what in (("imd_score", "IMD 2010 score"), ("residents", "population")):
        if df[col].isna().any():
            raise ValueError(f"2001 LSOA(s) {sorted(df.loc[df[col].isna(), 'lsoa01_code'])[:5]} have no {what}")
    score_cols = ["imd_score"] + [f"{d.lower()}_score" for d in IMD_DOMAINS]
    df["deprived_residents"] = df["residents"] * df["imd_decile"].isin(MOST_DEPRIVED_DECILES)
    weighted = df[score_cols].mul(df["residents"], axis=0)
    weighted["ward_code"] = df["ward_code"]
    g = weighted.groupby("ward_code")[score_cols].sum()
    agg = df.groupby("ward_code").agg(
        lsoas=("lsoa01_code", "size"),
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
