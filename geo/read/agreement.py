"""Cross-checks between inputs: a district's LSOAs, wards and residents must agree across files.

Each check is pure (frames in, nothing out) and raises :class:`~geo.errors.InputError` naming the file that is
wrong and the code that disagrees, so that a damaged or mismatched file stops the build instead of quietly
moving people or records between wards.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.errors import InputError

MIN_POINTS = 5
"""An LSOA needs at least this many located records before its share outside the wards is judged."""
MAX_SHARE_OUTSIDE = 0.5
"""More than this share of a district LSOA's records outside every ward means the boundaries have a hole.
(In the Kent data at most 8 % of any district LSOA's snap points fall outside its district's wards.)"""


def _line(frame: pd.DataFrame, code: str, column: str = "lsoa_code") -> int | None:
    lines = frame.attrs.get("lines")
    if lines is not None:
        return lines.get(code)
    if "line" in frame.columns:
        hit = frame.loc[frame[column] == code, "line"]
        return int(hit.iloc[0]) if len(hit) else None
    return None


def _where(frame: pd.DataFrame, code: str, path: Path) -> str:
    line = _line(frame, code)
    return f"line {line} of {path.name}" if line is not None else path.name


def census_and_lookup_agree(
    population: pd.DataFrame, lookup: pd.DataFrame, district: str, census_path: Path, lookup_path: Path
) -> None:
    """The district's 2011 LSOAs are the same in the Census file and the LSOA -> ward lookup.

    Examples
    --------
    >>> pop = pd.DataFrame({"lsoa_code": ["E01000001", "E01000002"], "lad_code": ["E07000999"] * 2})
    >>> lk = pd.DataFrame({"lsoa_code": ["E01000001"], "lad_code": ["E07000999"], "line": [2]})
    >>> census_and_lookup_agree(pop, lk, "E07000999", Path("census.csv"), Path("lookup.csv"))
    Traceback (most recent call last):
    ...
    geo.errors.InputError: lookup.csv, column 'LSOA11CD': 2011 LSOA 'E01000002' of district E07000999 ... is missing ...
    """
    cen = population[population["lad_code"] == district]
    lk = lookup[lookup["lad_code"] == district]
    if cen.empty and lk.empty:
        known = sorted(set(lookup["lad_code"]))
        raise InputError(
            census_path,
            f"district {district} has no 2011 LSOA here nor in {lookup_path.name}",
            column="lad_code",
            fix=f"check --district; these files cover {', '.join(known[:12])}{' …' if len(known) > 12 else ''}",
        )
    census, lookups = (population, census_path), (lookup, lookup_path)
    _lsoas_only_in(
        set(lk["lsoa_code"]) - set(cen["lsoa_code"]),
        census,
        lookups,
        district,
        ("lad_code", "lsoa_code"),
        ("has no row", "use a Census file that covers every LSOA of the district"),
    )
    _lsoas_only_in(
        set(cen["lsoa_code"]) - set(lk["lsoa_code"]),
        lookups,
        census,
        district,
        ("LAD code", "LSOA11CD"),
        ("is missing from the lookup", "use the complete ONS lookup"),
    )


def _lsoas_only_in(codes, here: tuple, there: tuple, district: str, columns: tuple, missing: tuple) -> None:
    """Raise for the first of ``codes`` (LSOAs of the district in ``there`` but not in ``here``), blaming ``here``:
    either it puts the LSOA in another district, or it lacks the LSOA. ``here``/``there`` are (frame, path);
    ``columns`` the (district, LSOA) column names of ``here``; ``missing`` the (words, fix) for a missing row."""
    frame, path = here
    for code in sorted(codes):
        other = frame.loc[frame["lsoa_code"] == code, "lad_code"]
        where = _where(there[0], code, there[1])
        if len(other):
            raise InputError(
                path,
                f"2011 LSOA {code!r} is in district {other.iloc[0]} here, but in {district} on {where}",
                row=_line(frame, code),
                column=columns[0],
                fix="use a Census file and a lookup that agree on the LSOAs' districts",
            )
        raise InputError(
            path,
            f"2011 LSOA {code!r} of district {district} ({where}) {missing[0]}, so its residents would be lost",
            column=columns[1],
            fix=missing[1],
        )


def boundaries_and_lookup_agree(
    wards: pd.DataFrame, lookup: pd.DataFrame, district: str, wards_path: Path, lookup_path: Path
) -> None:
    """The boundary file holds the district's wards: none of another district's, none missing.

    Raises when a boundary ward belongs to another district in the lookup, or when the boundary file's wards are
    a strict subset of the lookup's wards of the district (a ward has been dropped). Wards that differ because the
    lookup is of another ward vintage are left to :func:`geo.context.ward_lookup`.
    """
    lk = lookup[lookup["lad_code"] == district]
    names = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    elsewhere = lookup[(lookup["lad_code"] != district) & lookup["ward_code"].isin(list(names))]
    twice = elsewhere[elsewhere["ward_code"].isin(lk["ward_code"])]
    if not twice.empty:  # the lookup puts one ward in two districts: the lookup is wrong
        row = twice.iloc[0]
        raise InputError(
            lookup_path,
            f"ward {row['ward_code']!r} is in district {row['lad_code']} on this line, but in {district} on line "
            f"{int(lk.loc[lk['ward_code'] == row['ward_code'], 'line'].iloc[0])}",
            row=int(row["line"]),
            column="ward code",
            fix="a ward lies in one district: use the ONS lookup as published",
        )
    if not elsewhere.empty:  # the boundary file's wards are another district's
        row = elsewhere.iloc[0]
        raise InputError(
            wards_path,
            f"ward {row['ward_code']!r} ({names[row['ward_code']]}) belongs to district {row['lad_code']} "
            f"({row['lad_name']}) on line {int(row['line'])} of {lookup_path.name}, not to {district}",
            column="ward code",
            fix=f"use the boundary file of {district}'s own wards",
        )
    have, want = set(names), set(lk["ward_code"])
    if have < want:
        gone = sorted(want - have)
        first = lk[lk["ward_code"] == gone[0]].iloc[0]
        raise InputError(
            wards_path,
            f"{len(gone)} ward(s) of district {district} are missing: {gone[0]!r} ({first['ward_name']}, line "
            f"{int(first['line'])} of {lookup_path.name}){' and others' if len(gone) > 1 else ''}; the file has "
            f"{len(have)} wards and the lookup {len(want)}",
            column="ward code",
            fix="use the district's complete ward boundary file",
        )


def boundaries_cover_records(assigned: pd.DataFrame, district_lsoas, wards_path: Path) -> None:
    """police.uk records whose LSOA is one of the district's fall inside its wards.

    police.uk gives each record the LSOA of its snap point, so most of a district LSOA's records must land in a
    ward. If more than :data:`MAX_SHARE_OUTSIDE` of an LSOA's located records fall outside every ward, the
    boundaries have a hole where that LSOA lies (a missing ward, or a file of the wrong place or CRS).
    """
    lsoas = set(district_lsoas)
    rec = assigned[assigned["status"].isin(["in_ward", "outside_district"]) & assigned["lsoa_code"].isin(lsoas)]
    if rec.empty:
        return
    by = rec.assign(out=rec["status"] == "outside_district").groupby("lsoa_code")["out"].agg(["size", "mean"])
    bad = by[(by["size"] >= MIN_POINTS) & (by["mean"] > MAX_SHARE_OUTSIDE)].sort_values("mean", ascending=False)
    if not bad.empty:
        code, row = bad.index[0], bad.iloc[0]
        raise InputError(
            wards_path,
            f"{row['mean']:.0%} of the {int(row['size'])} police.uk records in the district's LSOA {code!r} fall "
            f"outside every ward ({len(bad)} such LSOA(s)): the boundaries do not cover the district",
            column="geometry",
            fix="use the district's complete ward boundary file, in the CRS it declares",
        )


def lookup_agreement(assigned: pd.DataFrame, lookup: pd.DataFrame, district: str) -> tuple[int, int]:
    """How often the ward a record's snap point lies in differs from the ward the best-fit lookup gives its LSOA:
    ``(records compared, records in another ward)``, over the located records whose LSOA is the district's.

    Best fit puts each LSOA wholly in one ward, and LSOAs need not nest in wards, so some disagreement is expected;
    Data and methods reports the share for every vintage.

    >>> rec = pd.DataFrame({"status": ["in_ward"] * 3, "lsoa_code": ["E01A", "E01A", "E01B"],
    ...                     "ward_code": ["E05X", "E05Y", "E05Y"]})
    >>> lk = pd.DataFrame({"lsoa_code": ["E01A", "E01B"], "ward_code": ["E05X", "E05Y"], "lad_code": ["E07"] * 2})
    >>> lookup_agreement(rec, lk, "E07")
    (3, 1)
    """
    ward_of = dict(zip(lookup["lsoa_code"], lookup["ward_code"], strict=True))
    mine = set(lookup.loc[lookup["lad_code"] == district, "lsoa_code"])
    rec = assigned[assigned["status"].isin(["in_ward", "outside_district"]) & assigned["lsoa_code"].isin(mine)]
    other = rec["ward_code"].to_numpy() != rec["lsoa_code"].map(ward_of).to_numpy()
    return len(rec), int(other.sum())


def residents_add_up(ward_pop: pd.DataFrame, population: pd.DataFrame, district: str, lookup_path: Path) -> None:
    """The wards' residents add up to the district's Census total."""
    total = int(population.loc[population["lad_code"] == district, "residents"].sum())
    counted = int(ward_pop["population"].sum())
    if counted != total:
        raise InputError(
            lookup_path,
            f"the wards hold {counted:,} residents but the Census gives district {district} {total:,}",
            fix="every LSOA of the district must be in exactly one of its wards",
        )


MIN_SHARE_OF_MEDIAN = 0.25
"""A month with fewer of the district's records than this share of the period's median month is not the
district's file (another force's or area's file under the right name): in the bundle the district's quietest month
holds 78 % of its median month (Maidstone, 2012/13 and 2014), so a quarter leaves a wide margin."""
MAX_NO_LOCATION = 0.5
"""A month in which more than half the rows have no location cannot be placed in wards (police.uk leaves about
1 % of Kent's rows without one)."""


def months_not_the_districts(assigned: pd.DataFrame, period_months, files: dict, allow_partial: bool) -> dict:
    """Months whose police.uk file is not the district's: almost none of its records fall in the district's
    wards, or most have no location.

    ``assigned`` is every month's records placed in wards (:func:`geo.analysis.wards.assign_wards` over all months);
    ``files`` maps each month to its file. A month of the period is an error, unless ``allow_partial``, when it is
    left out and named like a month with no file; a month outside the period (read only for the monthly charts
    and the comparisons) is left out of them. Returns month -> the reason, in words.

    Raises
    ------
    InputError
        Naming the file of the first such month of the period.
    """
    by_status = pd.crosstab(assigned["month"], assigned["status"]).reindex(
        columns=["in_ward", "no_location"], fill_value=0
    )
    rows = assigned["month"].value_counts().sort_index()
    inside, no_loc = by_status["in_ward"], by_status["no_location"]
    ref = inside[inside.index.isin(list(period_months))]
    median = float(ref.median()) if len(ref) else float(inside.median())
    out = {}
    for m in rows.index:
        if inside[m] == 0 or inside[m] < MIN_SHARE_OF_MEDIAN * median:
            out[m] = (
                f"only {inside[m]:,} of its {rows[m]:,} records fall in the district's wards, against {median:,.0f} "
                "in the period's median month: it may be another force's or another area's file"
            )
        elif no_loc[m] > MAX_NO_LOCATION * rows[m]:
            out[m] = f"{no_loc[m]:,} of its {rows[m]:,} records have no location, so they cannot be placed in wards"
    bad = [m for m in sorted(out) if m in set(period_months)]
    if bad and not allow_partial:
        m = bad[0]
        raise InputError(
            files[m],
            f"the file for {m} is not the district's: {out[m]}",
            fix="use the district's own police.uk file for that month, or build with --allow-partial to leave the "
            "month out (every page then names it)",
        )
    return out
