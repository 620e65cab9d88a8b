"""Today's geography (issue 25): the readers of Census 2021 TS001, the 2021 LSOA lookups and IoD 2025, and the
period's LSOA geography. Small FIXTURE files written here; the real files are read by tests/test_now.py."""

from __future__ import annotations

import pytest

from geo.config import Period, latest_full_year, vintage_prefix
from geo.errors import InputError
from geo.read import tables

TS001 = (
    "Geography code,Geography label,Geography area type,Parent area code,Parent area type,Classification,"
    "Lives in a household,Lives in a communal establishment,Total,Percentage: Lives in a household,"
    "Percentage: Lives in a communal establishment\n"
)


def _ts001(tmp_path, rows: list[str]):
    p = tmp_path / "census-2021-lsoa21-fixture.csv"
    p.write_text(TS001 + "".join(r + "\n" for r in rows))
    return p


def test_census_2021_places_lsoas_by_name_and_keeps_the_district_row(tmp_path):
    p = _ts001(
        tmp_path,
        [
            "E01000001,Alpha 001A,LSOA,E02000001,Alpha 001,residence_type,1500,0,1500,100,0",
            "E01000002,Alpha 001B,LSOA,E02000001,Alpha 001,residence_type,1490,12,1502,99,1",
            "E07000998,Alpha,Local Authority,E12000008,South East,residence_type,2990,15,3005,99.5,0.5",
        ],
    )
    pop = tables.census2021_from_csv(p)
    assert pop["lad_code"].tolist() == ["E07000998", "E07000998"]
    assert pop["residents"].sum() == 3002  # the LSOAs, perturbed
    assert pop.attrs["district_totals"] == {"E07000998": 3005}  # the district's own row is its total
    assert pop.attrs["lines"] == {"E01000001": 2, "E01000002": 3}


@pytest.mark.parametrize(
    "row,column,words",
    [
        ("E01000003,Beta 001A,LSOA,E02000002,Beta 001,residence_type,1000,0,1000,100,0", "Geography label", "Beta"),
        (
            "E01000003,Alpha 002A,MSOA,E02000002,Alpha 002,residence_type,1000,0,1000,100,0",
            "Geography area type",
            "MSOA",
        ),  # fmt: skip
        ("E01000003,Alpha 002A,LSOA,E02000002,Alpha 002,residence_type,1000,5,1000,100,0", "Total", "household plus"),
        ("E01000003,Alpha 002A,LSOA,E02000002,Alpha 002,residence_type,0,0,0,0,0", "Total", "outside 1"),
    ],
)
def test_census_2021_mistakes_name_line_and_column(tmp_path, row, column, words):
    district = "E07000998,Alpha,Local Authority,E12000008,South East,residence_type,1000,0,1000,100,0"
    with pytest.raises(InputError) as e:
        tables.census2021_from_csv(_ts001(tmp_path, [row, district]))
    assert e.value.row == 2 and e.value.column == column and words in str(e.value)


def test_a_lookup_says_its_lsoa_and_ward_years(tmp_path):
    p = tmp_path / "lsoa21-to-ward24-fixture.csv"
    p.write_text("LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM\nE01000001,Alpha 001A,E05000001,One,E07000998,A\n")
    lk = tables.lsoa_ward_lookup_from_csv(p)
    assert (lk.attrs["lsoa_year"], lk.attrs["vintage"]) == (2021, "2024")
    assert lk["lsoa_code"].tolist() == ["E01000001"]


def test_iod_2025_domains_are_read_and_checked(tmp_path):
    head = (
        "LSOA code (2021),Index of Multiple Deprivation (IMD) Score,"
        "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),"
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs),"
        'Income Score (rate),Employment Score (rate),"Education, Skills and Training Score",'
        "Health Deprivation and Disability Score,Crime Score,Barriers to Housing and Services Score,"
        "Living Environment Score\n"
    )
    p = tmp_path / "iod-2025-lsoa21-fixture.csv"
    p.write_text(head + "E01000001,20.5,9000,3,0.12,0.08,30.1,0.4,0.7,25.0,10.2\n")
    imd = tables.lsoa_iod_from_csv(p, 33_755, domains=True)
    assert imd[["income_score", "crime_score", "environment_score"]].iloc[0].tolist() == [0.12, 0.7, 10.2]
    p.write_text(head + "E01000001,20.5,9000,3,1.7,0.08,30.1,0.4,0.7,25.0,10.2\n")  # income is a share
    with pytest.raises(InputError) as e:
        tables.lsoa_iod_from_csv(p, 33_755, domains=True)
    assert e.value.row == 2 and "1.7" in str(e.value)


def test_a_period_has_one_lsoa_geography():
    assert Period("2023-01", "2023-05").lsoa_year == 2011 and Period("2023-06", "2024-05").lsoa_year == 2021
    with pytest.raises(InputError, match="spans police.uk's move"):
        _ = Period("2023-01", "2023-12").lsoa_year


def test_the_latest_full_year_and_its_addresses():
    months = [f"2024-{m:02d}" for m in range(2, 13)] + [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01"]
    year = latest_full_year(months)
    assert year == Period("2025-01", "2025-12") and vintage_prefix(year) == "2025/"
    assert latest_full_year([f"2014-{m:02d}" for m in range(1, 13)]) is None  # 2011 LSOAs: the assessment's own
