"""The stages on the fixture district (tests/fixtures.py): values checkable by eye."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.analysis.bng import BNG
from geo.analysis.deprivation import imd_by_ward, lsoa01_population
from geo.analysis.indicators import counts_by_ward, rates_by_ward, suppress_small
from geo.analysis.wards import assign_wards, reconcile, ward_of_points, ward_population
from geo.config import Period
from geo.context import tables_of
from geo.read.indicators import indicators_from_csv
from geo.read.inputs import load_inputs
from tests.fixtures import X0, Y0


@pytest.fixture
def tables(config):
    return tables_of(config)


def _wards():
    return gpd.GeoDataFrame(
        {"ward_code": ["E05000002", "E05000001", "E05000003"], "ward_name": ["B", "A", "C"]},
        geometry=[box(1, 0, 2, 1), box(0, 0, 1, 1), box(2, 0, 3, 1)],
        crs=BNG,
    )


@pytest.mark.parametrize(
    "point,expected",
    [
        (Point(0.5, 0.5), "E05000001"),
        (Point(1, 0.5), "E05000001"),  # on the A/B border: the lower code
        (Point(2, 0.5), "E05000002"),  # on the B/C border
        (Point(2, 1), "E05000002"),  # on the outer edge and a border
        (Point(2.5, 0.5), "E05000003"),
        (Point(9, 9), None),  # outside
    ],
)
def test_ward_of_points_assigns_each_point_once(point, expected):
    got = ward_of_points(gpd.GeoSeries([point], crs=BNG), _wards())
    assert (got.get(0) if len(got) else None) == expected
    assert got.index.is_unique


def test_ward_of_points_empty():
    assert ward_of_points(gpd.GeoSeries([], crs=BNG), _wards()).empty


def test_reconciliation_accounts_for_every_row(tables):
    rec = tables.reconciliation
    assert (rec.rows_read, rec.in_ward, rec.outside_district, rec.no_location, rec.out_of_period) == (11, 9, 1, 1, 0)
    assert rec.balanced and rec.months == ("2012-04", "2012-05")
    assert "balanced" in rec.text()


def test_records_keep_their_order_and_status(tables):
    r = tables.records
    assert list(r["line"]) == list(range(2, 11)) + [2, 3]  # April's nine rows, then May's two
    assert list(r["status"][7:9]) == ["outside_district", "no_location"]


def test_out_of_period_rows_are_counted(config):
    inp = load_inputs(config)
    assigned = assign_wards(inp.records, inp.wards, ["2012-05"])  # April is now outside the period
    rec = reconcile(assigned, ["2012-05"])
    assert rec.out_of_period == 9 and rec.balanced


def test_counts_include_zero_wards_and_every_indicator(tables):
    c = tables.crime.set_index(["ward_code", "indicator"])["count"]
    assert c[("E05000001", "asb")] == 3
    assert c[("E05000001", "violence")] == 1  # the record next to the border
    assert c[("E05000002", "drugs")] == 2
    assert c[("E05000002", "asb")] == 1  # May
    assert c[("E05000003", "violence")] == 2  # one in April, one in May
    assert c[("E05000003", "asb")] == 0
    assert c.sum() == 9
    assert tables.crime["indicator"].nunique() == 11
    assert len(tables.crime) == 3 * 11


def test_population_and_rates(tables):
    asb = tables.crime[tables.crime.indicator == "asb"].set_index("ward_code")
    assert asb["population"].to_dict() == {"E05000001": 1000, "E05000002": 2000, "E05000003": 1000}
    assert asb.loc["E05000001", "rate_per_1000"] == pytest.approx(3.0)
    assert asb.loc["E05000001", "rate_lower_95"] == pytest.approx(0.6187, abs=1e-4)  # exact Poisson, count 3
    assert asb["borough_rate_per_1000"].iloc[0] == pytest.approx(1.0)  # 4 records, 4,000 residents
    assert asb.loc["E05000001", "compared_with_borough"] == "similar"  # 0.62 < 1.0: not significant
    assert asb["rank"].to_dict() == {"E05000001": 1, "E05000002": 2, "E05000003": 3}


def test_significance_follows_the_interval():
    counts = pd.DataFrame(
        {"ward_code": ["a", "b", "c"], "ward_name": list("abc"), "indicator": "x", "count": [200, 100, 10]}
    )
    pop = pd.DataFrame({"ward_code": ["a", "b", "c"], "population": [1000, 1000, 1000]})
    out = rates_by_ward(counts, pop).set_index("ward_code")
    assert out["borough_rate_per_1000"].iloc[0] == pytest.approx(310 / 3)
    assert out["compared_with_borough"].to_dict() == {"a": "higher", "b": "similar", "c": "lower"}
    for _, r in out.iterrows():
        excludes = r.rate_lower_95 > r.borough_rate_per_1000 or r.rate_upper_95 < r.borough_rate_per_1000
        assert excludes == (r.compared_with_borough != "similar")


def test_suppression_blanks_small_counts(tmp_path):
    counts = pd.DataFrame({"ward_code": ["a", "b"], "ward_name": ["a", "b"], "indicator": "x", "count": [3, 50]})
    pop = pd.DataFrame({"ward_code": ["a", "b"], "population": [1000, 1000]})
    ind = type("I", (), {"id": "x", "suppress_below": 5})()
    out = suppress_small(rates_by_ward(counts, pop), [ind])
    assert out["suppressed"].tolist() == [True, False]
    assert pd.isna(out["count"].iloc[0]) and pd.isna(out["rate_per_1000"].iloc[0])
    assert out["compared_with_borough"].iloc[0] == "suppressed" and out["count"].iloc[1] == 50


def test_ward_population_sums_lsoas():
    lookup = pd.DataFrame({"lsoa_code": ["L1", "L2", "L3"], "ward_code": ["W1", "W1", "W2"]})
    pop = pd.DataFrame({"lsoa_code": ["L1", "L2", "L3"], "residents": [10, 20, 5], "households": [1, 2, 3]})
    out = ward_population(pop, lookup, pd.DataFrame({"ward_code": ["W1", "W2"]}))
    assert out[["ward_code", "population", "lsoas"]].values.tolist() == [["W1", 30, 2], ["W2", 5, 1]]
    with pytest.raises(ValueError, match="W3"):
        ward_population(pop, lookup, pd.DataFrame({"ward_code": ["W1", "W3"]}))


def test_deprivation_weights_by_population(tables):
    d = tables.deprivation.set_index("ward_code")
    assert d["imd_score"].to_dict() == pytest.approx({"E05000001": 10, "E05000002": 40, "E05000003": 20})
    assert d.loc["E05000003", "residents"] == 1000  # the split 2001 LSOA gets both 2011 children
    assert d["imd_most_deprived_20pct"].to_dict() == {"E05000001": 0, "E05000002": 100, "E05000003": 0}
    assert d["rank_imd"].to_dict() == {"E05000001": 3, "E05000002": 1, "E05000003": 2}
    assert d.loc["E05000003", "crime_score"] == pytest.approx(-0.5)


def test_deprivation_mixes_lsoas_of_one_ward():
    imd = pd.DataFrame(
        {"lsoa01_code": ["A", "B"], "imd_score": [10.0, 40.0], "imd_rank": [20000, 100], "imd_decile": [6, 1]}
    )
    for d in ("income", "employment", "health", "education", "housing_and_access", "crime", "environment"):
        imd[f"{d}_score"] = [0.0, 1.0]
    pop01 = lsoa01_population(
        pd.DataFrame({"lsoa_code": ["a", "b1", "b2"], "residents": [300, 50, 50]}),
        pd.DataFrame({"lsoa01_code": ["A", "B", "B"], "lsoa_code": ["a", "b1", "b2"]}),
    )
    out = imd_by_ward(
        imd,
        pd.DataFrame({"lsoa01_code": ["A", "B"], "ward_code": ["W", "W"]}),
        pop01,
        pd.DataFrame({"ward_code": ["W"], "ward_name": ["W"]}),
    )
    assert out["imd_score"].iloc[0] == pytest.approx((300 * 10 + 100 * 40) / 400)
    assert out["imd_most_deprived_20pct"].iloc[0] == pytest.approx(25.0)
    assert out["most_deprived_lsoa_rank"].iloc[0] == 100


def test_indicator_table_maps_each_category_once():
    from geo.config import PROJECT_ROOT

    inds = indicators_from_csv(PROJECT_ROOT / "data" / "indicators.csv")
    cats = [c for i in inds for c in i.police_categories]
    assert len(cats) == len(set(cats))
    for c in (
        "Violent crime",
        "Violence and sexual offences",
        "Public order",
        "Bicycle theft",
        "Drugs",
        "Anti-social behaviour",
        "Shoplifting",
        "Possession of weapons",
        "Theft from the person",
    ):
        assert c in cats
    assert {i.id for i in inds if i.headline} == {"asb", "drugs", "violence", "imd_score"}


def test_counts_by_ward_on_empty_records():
    wards = pd.DataFrame({"ward_code": ["W1"], "ward_name": ["One"]})
    ind = type("I", (), {"id": "x", "kind": "crime"})()
    out = counts_by_ward(pd.DataFrame({"ward_code": [], "indicator": []}), wards, [ind])
    assert out[["ward_code", "indicator", "count"]].values.tolist() == [["W1", "x", 0]]


def test_period_months():
    assert Period("2012-11", "2013-02").months() == ("2012-11", "2012-12", "2013-01", "2013-02")
    with pytest.raises(ValueError):
        Period("2013-02", "2012-11").months()


def test_fixture_point_geometry_sane():
    # guards the fixture itself: the border record is inside Alpha, 0.5 m from Bravo
    from tests.fixtures import APRIL, lonlat

    x, y, _ = APRIL[6]
    assert x == X0 + 999.5 and y == Y0 + 500
    assert lonlat(x, y)[0] < lonlat(X0 + 1000, y)[0]


def test_iod2015_when_no_2001_lookups(data_dir, config):
    """Without 2001 LSOA lookups the build uses IoD 2015 on 2011 LSOAs, weighted by their Census residents."""
    from geo.analysis.deprivation import IOD_2015
    from tests.fixtures import use_iod2015

    use_iod2015(data_dir)
    t = tables_of(config)
    assert t.edition is IOD_2015
    d = t.deprivation.set_index("ward_code")
    assert d["imd_score"].to_dict() == pytest.approx({"E05000001": 10, "E05000002": 40, "E05000003": 20})
    assert d["imd_most_deprived_20pct"].to_dict() == pytest.approx({"E05000001": 0, "E05000002": 100, "E05000003": 50})
    assert d.loc["E05000003", "residents"] == 1000 and d.loc["E05000003", "most_deprived_lsoa_rank"] == 6000
    assert d["crime_score"].isna().all()  # the 2015 file has no domains: empty, never zero


def test_lookup_of_another_vintage_is_derived_from_snap_points(tmp_path):
    """A lookup naming none of the boundaries' wards is replaced by one derived from where records fall."""
    from geo.config import Config
    from tests.fixtures import APRIL_BY_LSOA, DISTRICT, make_data_dir, relabel_lookup

    data = make_data_dir(tmp_path / "data", april=APRIL_BY_LSOA)
    relabel_lookup(data)
    cfg = Config(district=DISTRICT, period=Period("2012-04", "2012-05"), data_dir=data, out_dir=tmp_path / "b")
    t = tables_of(cfg)
    pop = t.wards.set_index("ward_code")["population"].to_dict()
    assert pop == {"E05000001": 1000, "E05000002": 2000, "E05000003": 1000}
    assert "snap points" in t.lookup_note and "at least 67%" in t.lookup_note  # 2 of E01000001's 3 points


def test_best_fit_from_points_needs_every_lsoa():
    from geo.analysis.wards import best_fit_from_points

    recs = pd.DataFrame(
        {
            "lsoa_code": ["L1", "L1", "L1", "L2", "L3"],
            "status": ["in_ward", "in_ward", "in_ward", "in_ward", "outside_district"],
            "ward_code": ["W2", "W1", "W1", "W2", None],
        }
    )
    out = best_fit_from_points(recs, ["L1", "L2"])
    assert out[["lsoa_code", "ward_code", "points"]].values.tolist() == [["L1", "W1", 3], ["L2", "W2", 1]]
    assert out["share"].tolist() == pytest.approx([2 / 3, 1.0])
    with pytest.raises(ValueError, match="L3"):  # its only record is outside the wards
        best_fit_from_points(recs, ["L1", "L2", "L3"])


def test_a_data_directory_with_several_districts_and_vintages_picks_its_own(data_dir):
    """``geo fetch`` names files after the district and ward folders after the vintage: a data directory that
    gathers several districts or periods builds each one from its own files."""
    import shutil

    from geo.errors import InputError
    from geo.read.inputs import input_paths
    from tests.fixtures import DISTRICT

    (data_dir / "population" / "census-2011-lsoa11-E07000111.csv").write_text("x\n")  # another district's
    own = data_dir / "population" / f"census-2011-lsoa11-{DISTRICT}.csv"
    shutil.copy(data_dir / "population" / "census-2011-lsoa11-kent.csv", own)
    w13 = data_dir / "boundaries" / "wards-2013-kent" / f"{DISTRICT}.geojson"
    w19 = data_dir / "boundaries" / "wards-2019" / f"{DISTRICT}.geojson"
    w19.parent.mkdir()
    shutil.copy(w13, w19)
    for end, wards in (("2012-06", w13), ("2013-03", w13), ("2018-12", w13), ("2019-11", w19), ("2023-05", w19)):
        paths = input_paths(data_dir, DISTRICT, end)
        assert paths["wards"] == wards and paths["population"] == own
    later = input_paths(data_dir, DISTRICT, "2024-03")  # police.uk on 2021 LSOAs: Census 2021, IoD 2025
    assert later["population"].name == "census-2021-lsoa21-kent.csv" and "imd2025" in later
    assert later["lsoa_ward"].name == "lsoa21-to-ward19-kent.csv"  # the lookup to the boundaries' ward vintage
    assert "imd2019" in input_paths(data_dir, DISTRICT, "2019-09") and "imd2015" in input_paths(data_dir, DISTRICT)
    (data_dir / "population" / f"census-2011-lsoa11-{DISTRICT}.csv").unlink()
    with pytest.raises(InputError, match="more than one file matches"):  # kent and another district's: ambiguous
        input_paths(data_dir, DISTRICT)
    (data_dir / "boundaries" / "wards-2019-fixture").mkdir()
    shutil.copy(w13, data_dir / "boundaries" / "wards-2019-fixture" / f"{DISTRICT}.geojson")
    with pytest.raises(InputError, match="a second ward boundary file"):  # two files of the same vintage
        input_paths(data_dir, DISTRICT, "2020-01")
