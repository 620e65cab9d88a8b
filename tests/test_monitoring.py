"""After the assessment: category harmonisation, the change statistic, and the Kent totals."""

import re

import pandas as pd
import pytest
from scipy import stats

from geo.analysis.change import compare_counts
from geo.analysis.indicators import category_map
from geo.analysis.monitoring import records_by_district
from geo.config import PROJECT_ROOT, Period
from geo.read.indicators import indicators_from_csv
from geo.read.police import crimes_for_period, police_files
from geo.read.tables import lsoa_ward_lookup_from_csv

INDICATORS = indicators_from_csv(PROJECT_ROOT / "data" / "indicators.csv")


def test_every_category_of_both_periods_maps_somewhere(bundle_data):
    cmap = category_map(INDICATORS)
    seen = set()
    for month in ("2012-04", "2013-04", "2013-05", "2014-01", "2014-11"):
        assert month in police_files(bundle_data)
        seen |= set(crimes_for_period(bundle_data, Period(month, month))[0]["crime_type"])
    assert {
        "Violent crime",
        "Violence and sexual offences",
        "Public order",
        "Possession of weapons",
        "Bicycle theft",
        "Theft from the person",
        "Public disorder and weapons",
    } <= seen
    assert seen - set(cmap) == set()
    assert cmap["Violent crime"] == cmap["Violence and sexual offences"] == "violence"
    assert cmap["Public order"] == cmap["Possession of weapons"] == cmap["Public disorder and weapons"]


@pytest.mark.parametrize("before,after", [(100, 150), (50, 40), (10, 12), (0, 3)])
def test_change_matches_the_exact_binomial_test(before, after):
    out = compare_counts(pd.Series([before]), pd.Series([after])).iloc[0]
    assert out["p_value"] == pytest.approx(stats.binomtest(after, before + after, 0.5).pvalue)
    assert out["change"] == after - before
    if before:
        assert out["ratio"] == pytest.approx(after / before)
    assert (out["verdict"] != "no clear change") == (out["ratio_lower"] > 1 or out["ratio_upper"] < 1)


def test_known_change_values():
    out = compare_counts(pd.Series([100]), pd.Series([150])).iloc[0]
    assert out["verdict"] == "increase" and out["p_value"] == pytest.approx(0.00185, abs=5e-5)
    assert out["ratio_lower"] == pytest.approx(1.158, abs=0.01) and out["ratio_upper"] == pytest.approx(1.95, abs=0.02)


def test_kent_totals_reconcile_with_the_files(bundle_data):
    records, _ = crimes_for_period(bundle_data, Period("2014-03", "2014-03"))
    lookup = lsoa_ward_lookup_from_csv(bundle_data / "lookups" / "lsoa11-to-ward-kent.csv")
    placed = records_by_district(records, lookup, INDICATORS)
    status = placed["status"].value_counts()
    assert status.sum() == len(records)  # every row is in a district, outside Kent or without an LSOA
    maidstone = placed[placed["lad_code"] == "E07000110"]
    assert len(maidstone) == int(records["lsoa_name"].str.startswith("Maidstone ").sum())
    assert status.get("outside_kent", 0) > 0  # Kent's files hold rows of other forces' areas


def test_monitoring_and_kent_pages(site):
    mon = (site / "after" / "monitoring.html").read_text()
    assert "map-files/monitoring.html" in mon and "Apr-Nov 2014" in mon and "<svg" in mon
    kent = (site / "after" / "kent.html").read_text()
    assert "<strong>Maidstone</strong>" in kent
    assert len(re.findall(r"<tr>", kent)) >= 13  # header and twelve districts
    assert "placed outside Kent" in kent


def test_kent_rates_is_a_pure_stage_that_accounts_for_every_record(bundle_data):
    from geo.analysis.monitoring import kent_rates
    from geo.read.boundaries import districts_from_geojson
    from geo.read.tables import population_from_csv

    records, _ = crimes_for_period(bundle_data, Period("2014-03", "2014-03"))
    lookup = lsoa_ward_lookup_from_csv(bundle_data / "lookups" / "lsoa11-to-ward-kent.csv")
    population = population_from_csv(bundle_data / "population" / "census-2011-lsoa11-kent.csv")
    districts = districts_from_geojson(bundle_data / "boundaries" / "districts-2013-kent.geojson")
    rates, status = kent_rates(records, lookup, population, districts, INDICATORS)
    assert status.sum() == len(records)
    all_crime = rates[rates["indicator"] == "all_crime"]
    assert len(all_crime) == 12 and sorted(all_crime["rank"]) == list(range(1, 13))
    asb = rates[rates["indicator"] == "asb"]["count"].sum()
    assert all_crime["count"].sum() + asb == status["in_district"]  # all crime is everything but ASB
