"""FIXTURES: a tiny, made-up district for the tests. None of these figures is real data.

Three 1 km square wards side by side in British National Grid (west to east: Alpha, Bravo, Charlie), four 2011
LSOAs, three 2001 LSOAs (one split into two in 2011), and police.uk-style records: some inside each ward, one on
the Alpha/Bravo border, one outside the district and one without a location.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from shapely.geometry import box

from geo.analysis.bng import to_wgs84

DISTRICT = "E07000999"  # a made-up district code, so nothing mistakes the fixture for Maidstone
X0, Y0 = 570_000, 155_000
WARDS = [("E05000001", "Alpha"), ("E05000002", "Bravo"), ("E05000003", "Charlie")]
POLICE_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]


def lonlat(x: float, y: float) -> tuple[float, float]:
    """WGS84 of a grid point by the build's own pinned transformation (OSTN15), rounded to 6 places (about
    7 cm) as police.uk gives coordinates: the same on every machine."""
    lon, lat = to_wgs84([x], [y])
    return round(float(lon[0]), 6), round(float(lat[0]), 6)


def ward_boxes():
    return [box(X0 + 1000 * i, Y0, X0 + 1000 * (i + 1), Y0 + 1000) for i in range(3)]


def police_row(month, x, y, crime_type, location="On or near Test Street", lsoa="E01000001"):
    lon, lat = lonlat(x, y) if x is not None else ("", "")
    return [
        "",
        month,
        "Kent Police",
        "Kent Police",
        lon,
        lat,
        location,
        lsoa,
        "Fixture 001A",
        crime_type,
        "",
        "",
    ]


# (x, y, crime type) for April 2012: 3 ASB in Alpha, 2 drugs in Bravo, 1 violence in Charlie,
# 1 violence 0.5 m inside Alpha next to the Bravo border, 1 burglary outside the district, 1 with no location
APRIL = [
    (X0 + 500, Y0 + 500, "Anti-social behaviour"),
    (X0 + 400, Y0 + 300, "Anti-social behaviour"),
    (X0 + 600, Y0 + 700, "Anti-social behaviour"),
    (X0 + 1500, Y0 + 500, "Drugs"),
    (X0 + 1700, Y0 + 200, "Drugs"),
    (X0 + 2500, Y0 + 500, "Violent crime"),
    (X0 + 999.5, Y0 + 500, "Violent crime"),
    (X0 + 9000, Y0 + 9000, "Burglary"),
    (None, None, "Other crime"),
]


# May 2012: one anti-social behaviour record in Bravo and one violent crime in Charlie (no month is empty: an
# empty month file is an error unless the build is told --allow-partial)
MAY = [
    (X0 + 1500, Y0 + 600, "Anti-social behaviour", "E01000002"),
    (X0 + 2500, Y0 + 600, "Violent crime", "E01000003"),
]


def write_csv(path: Path, header, rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def make_data_dir(root: Path, *, ward_names=None, april=None, streets=None, district_name="Fixture") -> Path:
    """Write the fixture data directory under ``root`` and return it.

    ``ward_names`` replaces the three ward names, ``april`` the April records, ``streets`` the location text and
    ``district_name`` the district's name in the ONS lookup (used by the hostile-data tests).
    """
    root = Path(root)
    names = ward_names or [n for _, n in WARDS]
    wpath = root / "boundaries" / "wards-2013-kent" / f"{DISTRICT}.geojson"
    wpath.parent.mkdir(parents=True, exist_ok=True)
    wpath.write_text(wards_geojson(names))

    rows = april if april is not None else APRIL
    street = streets or "On or near Test Street"
    write_csv(
        root / "police" / "2012-04-fixture-street.csv",
        POLICE_HEADER,
        [police_row("2012-04", *row[:3], street, *row[3:]) for row in rows],
    )
    write_csv(
        root / "police" / "2012-05-fixture-street.csv",
        POLICE_HEADER,
        [police_row("2012-05", x, y, kind, street, lsoa) for x, y, kind, lsoa in MAY],
    )

    write_csv(
        root / "population" / "census-2011-lsoa11-kent.csv",
        ["lsoa11_code", "lad_code", "all_usual_residents", "households"],
        [
            ["E01000001", DISTRICT, 1000, 400],
            ["E01000002", DISTRICT, 2000, 800],
            ["E01000003", DISTRICT, 500, 200],
            ["E01000004", DISTRICT, 500, 210],
            ["E01000009", "E07000111", 1500, 600],
        ],
    )
    write_csv(
        root / "lookups" / "lsoa11-to-ward-kent.csv",
        ["LSOA11CD", "LSOA11NM", "WD13CD", "WD13NM", "WD13NMW", "LAD13CD", "LAD13NM"],  # the boundaries' vintage
        [
            ["E01000001", "F 001A", "E05000001", names[0], "", DISTRICT, district_name],
            ["E01000002", "F 001B", "E05000002", names[1], "", DISTRICT, district_name],
            ["E01000003", "F 001C", "E05000003", names[2], "", DISTRICT, district_name],
            ["E01000004", "F 001D", "E05000003", names[2], "", DISTRICT, district_name],
            ["E01000009", "O 001A", "E05009999", "Elsewhere", "", "E07000111", "Other"],
        ],
    )
    write_csv(
        root / "lookups" / f"lsoa01-to-ward-{DISTRICT}.csv",
        ["LSOA01CD", "LSOA01NM", "WD11CD", "WD11CDO", "WD11NM"],
        [
            ["E01000001", "F 001A", "E05000001", "00AAAA", names[0]],
            ["E01000002", "F 001B", "E05000002", "00AAAB", names[1]],
            ["E01000005", "F 001E", "E05000003", "00AAAC", names[2]],
        ],
    )
    write_csv(
        root / "lookups" / f"lsoa01-to-lsoa11-{DISTRICT}.csv",
        ["LSOA01CD", "LSOA01NM", "LSOA11CD", "LSOA11NM", "CHGIND", "LAD11CD", "LAD11NM", "LAD11NMW"],
        [
            ["E01000001", "F 001A", "E01000001", "F 001A", "U", DISTRICT, "Fixture", ""],
            ["E01000002", "F 001B", "E01000002", "F 001B", "U", DISTRICT, "Fixture", ""],
            ["E01000005", "F 001E", "E01000003", "F 001C", "S", DISTRICT, "Fixture", ""],
            ["E01000005", "F 001E", "E01000004", "F 001D", "S", DISTRICT, "Fixture", ""],
        ],
    )
    imd_header = (
        ["lsoa01_code", "lad09_code_old", "lad09_name", "IMD_score"]
        + [
            f"{d}_score"
            for d in ("Income", "Employment", "Health", "Education", "Housing_and_Access", "Crime", "Environment")
        ]
        + ["IMD_rank", "IMD_decile"]
    )
    write_csv(
        root / "deprivation" / "imd-2010-lsoa01-england.csv",
        imd_header,
        [
            ["E01000001", "00AA", "Fixture", 10.0, 0.1, 0.1, 0.0, 10, 20, 0.5, 10, 16000, 5],
            ["E01000002", "00AA", "Fixture", 40.0, 0.3, 0.2, 1.0, 40, 30, 1.5, 30, 3000, 1],
            ["E01000005", "00AA", "Fixture", 20.0, 0.2, 0.1, 0.5, 20, 25, -0.5, 20, 10000, 4],
        ],
    )
    (root / "README.md").write_text("FIXTURE data directory for tests; nothing here is real.\n")
    return root


def wards_geojson(names) -> str:
    """The three fixture wards as GeoJSON in British National Grid, whole metres written as literals (no library
    output in the file, so its bytes are the same on every machine)."""
    features = []
    for (code, _), name, old, geom in zip(WARDS, names, ("00AAAA", "00AAAB", "00AAAC"), ward_boxes(), strict=True):
        ring = [[int(x), int(y)] for x, y in geom.exterior.coords]
        features.append(
            {
                "type": "Feature",
                "properties": {"WD13CD": code, "WD13CDO": old, "WD13NM": name},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    return json.dumps({"type": "FeatureCollection", "crs": crs, "features": features})


def geojson_text(features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


def build_site(data: Path, root: Path, *extra: str) -> int:
    """Run the README's build command on a fixture data directory; site in ``root/site``, build in ``root/b``."""
    from geo.cli import main

    return main(
        [
            "build",
            "--data-dir",
            str(data),
            "--out-dir",
            str(root / "b"),
            "--site-dir",
            str(root / "site"),
            "--start",
            "2012-04",
            "--end",
            "2012-05",
            "--district",
            DISTRICT,
            *extra,
        ]
    )


# For a district without 2001 LSOA lookups: IoD 2015 on 2011 LSOAs (score, rank, decile), checkable by eye.
# Alpha = E01000001 (10.0), Bravo = E01000002 (40.0), Charlie = E01000003 (30.0, 500 residents) +
# E01000004 (10.0, 500 residents), so Charlie's weighted score is 20.0 and half its residents are in decile 1-2.
IMD2015 = [
    ("E01000001", 10.0, 16000, 5),
    ("E01000002", 40.0, 3000, 1),
    ("E01000003", 30.0, 6000, 2),
    ("E01000004", 10.0, 18000, 6),
    ("E01000009", 15.0, 14000, 5),
]


def use_iod2015(root: Path) -> Path:
    """Make a fixture data directory have IoD 2015 and no 2001 lookups (as every Kent district but Maidstone)."""
    root = Path(root)
    for name in (f"lsoa01-to-ward-{DISTRICT}.csv", f"lsoa01-to-lsoa11-{DISTRICT}.csv"):
        (root / "lookups" / name).unlink()
    (root / "deprivation" / "imd-2010-lsoa01-england.csv").unlink()
    write_csv(
        root / "deprivation" / "imd-2015-lsoa11-england.csv",
        ["lsoa11_code", "lsoa11_name", "lad13_code", "lad13_name", "IMD_score", "IMD_rank", "IMD_decile"],
        [[c, "F", DISTRICT, "Fixture", s, r, d] for c, s, r, d in IMD2015],
    )
    return root


# April records whose LSOA codes say where each 2011 LSOA lies: E01000001 in Alpha (3 points, one of them on
# Bravo's side of the border), E01000002 in Bravo, E01000003 and E01000004 in Charlie.
APRIL_BY_LSOA = [
    (X0 + 500, Y0 + 500, "Anti-social behaviour", "E01000001"),
    (X0 + 400, Y0 + 300, "Anti-social behaviour", "E01000001"),
    (X0 + 1000.5, Y0 + 500, "Anti-social behaviour", "E01000001"),
    (X0 + 1500, Y0 + 500, "Drugs", "E01000002"),
    (X0 + 2500, Y0 + 500, "Violent crime", "E01000003"),
    (X0 + 2600, Y0 + 200, "Violent crime", "E01000004"),
    (X0 + 9000, Y0 + 9000, "Burglary", "E01000009"),
]


def relabel_lookup(root: Path) -> Path:
    """Make the 2011 LSOA -> ward lookup one of 2015 wards, whose codes differ from the 2013 boundaries'."""
    path = Path(root) / "lookups" / "lsoa11-to-ward-kent.csv"
    path.write_text(path.read_text().replace("E0500000", "E0500900").replace("WD13", "WD15").replace("LAD13", "LAD15"))
    return path
