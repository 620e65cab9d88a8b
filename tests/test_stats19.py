"""STATS19 loading on FIXTURE files written in both DfT layouts (made up here; no real casualties)."""

import re
import zipfile

import pytest

from geo.analysis.wards import assign_bng_points
from geo.errors import InputError
from geo.read.stats19 import pedestrian_casualties
from tests.fixtures import X0, Y0, write_csv

OLD_ACC = [
    "Accident_Index",
    "Location_Easting_OSGR",
    "Location_Northing_OSGR",
    "Longitude",
    "Latitude",
    "Police_Force",
    "Accident_Severity",
    "Number_of_Vehicles",
    "Number_of_Casualties",
    "Date",
    "Day_of_Week",
    "Time",
    "Local_Authority_(District)",
]
OLD_CAS = [
    "Acc_Index",
    "Vehicle_Reference",
    "Casualty_Reference",
    "Casualty_Class",
    "Sex_of_Casualty",
    "Age_of_Casualty",
    "Age_Band_of_Casualty",
    "Casualty_Severity",
]
NEW_ACC = [
    "accident_index",
    "accident_year",
    "location_easting_osgr",
    "location_northing_osgr",
    "longitude",
    "latitude",
    "police_force",
    "accident_severity",
    "date",
    "day_of_week",
    "time",
    "local_authority_district",
]
NEW_CAS = [
    "accident_index",
    "accident_year",
    "vehicle_reference",
    "casualty_reference",
    "casualty_class",
    "sex_of_casualty",
    "age_of_casualty",
    "age_band_of_casualty",
    "casualty_severity",
]

# (index, easting, northing, date, day of week (1 = Sunday), time); the last accident has no location
ACCIDENTS = [
    ("201246A00001", X0 + 500, Y0 + 500, "03/04/2012", 3, "08:15"),
    ("201246A00002", X0 + 1500, Y0 + 500, "14/04/2012", 7, "16:40"),
    ("201246A00003", X0 + 9000, Y0 + 9000, "20/05/2012", 1, "23:05"),
    ("201246A00004", "", "", "21/05/2012", 2, "09:00"),
]
# (index, casualty class (3 = pedestrian), age, severity (1 fatal, 2 serious, 3 slight))
CASUALTIES = [
    ("201246A00001", 3, 12, 2),
    ("201246A00001", 1, 40, 3),
    ("201246A00002", 3, 70, 3),
    ("201246A00003", 3, 30, 1),
    ("201246A00004", 3, 15, 3),
]


def write_old(root, accidents=ACCIDENTS, casualties=CASUALTIES):
    write_csv(
        root / "stats19" / "Accidents0514.csv",
        OLD_ACC,
        [[a, e, n, "", "", 46, 3, 1, 1, d, w, t, 536] for a, e, n, d, w, t in accidents],
    )
    write_csv(
        root / "stats19" / "Casualties0514.csv",
        OLD_CAS,
        [[a, 1, i + 1, c, 1, age, 3, s] for i, (a, c, age, s) in enumerate(casualties)],
    )


def write_new(root):
    tmp = root / "tmp"
    write_csv(
        tmp / "dft-road-casualty-statistics-collision-2012.csv",
        NEW_ACC,
        [[a, 2012, e, n, "", "", 46, 3, d, w, t, "E07000110"] for a, e, n, d, w, t in ACCIDENTS],
    )
    write_csv(
        tmp / "dft-road-casualty-statistics-casualty-2012.csv",
        NEW_CAS,
        [[a, 2012, 1, i + 1, c, 1, age, 3, s] for i, (a, c, age, s) in enumerate(CASUALTIES)],
    )
    (root / "stats19").mkdir(parents=True, exist_ok=True)
    for name in ("collision", "casualty"):
        src = tmp / f"dft-road-casualty-statistics-{name}-2012.csv"
        with zipfile.ZipFile(root / "stats19" / f"{name}-2012.zip", "w") as z:
            z.write(src, src.name)


@pytest.mark.parametrize("writer", [write_old, write_new])
def test_both_layouts_give_the_same_pedestrians(writer, tmp_path):
    writer(tmp_path)
    ped = pedestrian_casualties(tmp_path)
    assert len(ped) == 4  # the driver is not a pedestrian
    first = ped.iloc[0]
    assert (first["severity"], bool(first["ksi"]), bool(first["age_11_16"]), first["hour"], first["month"]) == (
        "Serious",
        True,
        True,
        8,
        "2012-04",
    )
    assert ped["ksi"].sum() == 2 and ped["age_11_16"].sum() == 2
    assert ped["easting"].isna().sum() == 1


def test_no_files_means_none(tmp_path):
    assert pedestrian_casualties(tmp_path) is None


def test_assignment_counts_every_casualty(tmp_path, data_dir):
    from geo.read.boundaries import wards_from_geojson, wards_path
    from tests.fixtures import DISTRICT

    write_old(tmp_path)
    ped = pedestrian_casualties(tmp_path)
    w = wards_from_geojson(wards_path(data_dir, DISTRICT))
    out = assign_bng_points(ped["easting"], ped["northing"], w, ped["month"].isin(["2012-04", "2012-05"]))
    assert out["status"].tolist() == ["in_ward", "in_ward", "outside_district", "no_location"]
    assert out["ward_code"].tolist()[:2] == ["E05000001", "E05000002"]


def test_missing_casualty_file(tmp_path):
    write_old(tmp_path)
    (tmp_path / "stats19" / "Casualties0514.csv").unlink()
    with pytest.raises(InputError, match="no casualties file"):
        pedestrian_casualties(tmp_path)


def test_accident_index_not_found(tmp_path):
    write_old(tmp_path, casualties=[*CASUALTIES, ("201246A09999", 3, 9, 3)])
    with pytest.raises(InputError) as exc:
        pedestrian_casualties(tmp_path)
    assert exc.value.row == 7 and exc.value.column == "accident_index" and "201246A09999" in str(exc.value)


def test_mangled_index(tmp_path):
    write_old(tmp_path, accidents=[("2.01533E+12", X0, Y0, "03/04/2012", 3, "08:15"), *ACCIDENTS[1:]])
    with pytest.raises(InputError) as exc:
        pedestrian_casualties(tmp_path)
    assert exc.value.row == 2 and "turned into a number" in str(exc.value)


def test_unreadable_coordinates(tmp_path):
    write_old(tmp_path, accidents=[("201246A00001", "east", Y0, "03/04/2012", 3, "08:15"), *ACCIDENTS[1:]])
    with pytest.raises(InputError) as exc:
        pedestrian_casualties(tmp_path)
    assert exc.value.column == "location_easting_osgr" and exc.value.row == 2


def test_site_with_stats19(tmp_path):
    from tests.fixtures import build_site, make_data_dir

    data = make_data_dir(tmp_path / "data")
    write_old(data)
    site = tmp_path / "site"
    assert build_site(data, tmp_path) == 0
    # the fixture is not Maidstone, so its casualties have their own page rather than the assessment's chapter
    assert not (site / "assessment").exists()
    page = (site / "road-safety.html").read_text()
    assert "map-files/pedestrians.html" in page and "Pedestrian casualties by hour" in page
    assert 'href="#pedestrian-casualties-by-ward"' in page and 'id="pedestrian-casualties-by-ward"' in page
    assert (site / "map-files" / "pedestrians.html").is_file()
    assert (site / "map-files" / "hotspots-pedestrians.html").is_file() and "hotspots-pedestrians.html" in page
    assert "hotspots/pedestrians.html" not in page  # no page of that name exists
    assert "placed in wards by their accident" in (site / "data-and-methods.html").read_text()
    ward = (site / "wards" / "alpha.html").read_text()
    assert "Pedestrian casualties (DfT STATS19)" in ward and "<strong>1</strong>" in ward
    table = page[page.index("Killed or seriously injured") :]
    table = table[: table.index("</table>")]
    counts = re.findall(r"<tr>\s*<td[^>]*>[^<]+</td>\s*<td[^>]*>(\d+)</td>", table)
    assert sorted(map(int, counts)) == [0, 1, 1]  # Alpha 1, Bravo 1, Charlie 0: two casualties in wards


def test_site_without_stats19_says_so(site):
    page = (site / "assessment" / "emerging-issues.html").read_text()
    assert "no casualty counts" in page and "STATS19" in page
    assert (site / "map-files" / "pedestrians-named.html").is_file()
    assert not (site / "map-files" / "pedestrians.html").exists()
    assert "record-level STATS19 files are not" in (site / "data-and-methods.html").read_text()
    ward = (site / "wards" / "high-street.html").read_text()
    assert "What the assessment says of this ward: Named among the wards with the most pedestrian" in ward
    east = (site / "wards" / "east.html").read_text()  # the report's own caution stays: it may mean Bridge and East
    assert "Possibly named among the wards with the most pedestrian casualties" in east


@pytest.mark.parametrize(
    "casualties,column,words",
    [
        ([("201246A00001", 9, 12, 2)], "casualty_class", "casualty_class 9 is outside 1 to 3"),
        ([("201246A00001", 3, 150, 2)], "age_of_casualty", "age_of_casualty 150 is outside -1 to 120"),
        ([("201246A00001", 3, 12, 0)], "casualty_severity", "casualty_severity 0 is outside 1 to 3"),
    ],
)
def test_values_outside_dfts_codes_name_line_and_column(tmp_path, casualties, column, words):
    write_old(tmp_path, casualties=casualties)
    with pytest.raises(InputError) as exc:
        pedestrian_casualties(tmp_path)
    assert (exc.value.row, exc.value.column) == (2, column) and words in str(exc.value)
