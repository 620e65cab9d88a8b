"""The orchestrator on the fixture district: outputs, cache, determinism, maps and escaping."""

import json
import re

import pandas as pd
import pytest
from branca.utilities import color_brewer

from geo.build import build
from geo.config import Config, Period
from geo.errors import InputError
from geo.render.maps.base import MISSING_COLOUR
from geo.render.maps.choropleth import classify
from tests.checks import data_script, external_loads
from tests.fixtures import DISTRICT, make_data_dir


@pytest.fixture
def built(config):
    return build(config)


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_writes_tables_maps_and_pages(built):
    out = built.out_dir
    crime = pd.read_csv(out / "files/downloads/ward-indicators.csv")
    assert len(crime) == 3 * 11 and crime["ward_code"].nunique() == 3
    dep = pd.read_csv(out / "files/downloads/ward-deprivation.csv")
    assert len(dep) == 3
    gj = json.loads((out / "files/downloads/wards.geojson").read_text())
    assert [f["properties"]["ward_code"] for f in gj["features"]] == ["E05000001", "E05000002", "E05000003"]
    for ind in ("asb", "drugs", "violence", "imd_score"):
        assert (out / f"files/map-files/{ind}.html").is_file()
        page = (out / f"pages/maps/{ind}.md").read_text()
        assert f'href="../map-files/{ind}.html"' in page and "## The figures behind the map" in page  # full screen
        assert f'<div class="field" data-mode="choropleth" data-root="../" data-ward="" data-map="{ind}"' in page
    assert (out / "files/assets/vendor/leaflet/leaflet.js").is_file()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["reconciliation"]["rows_read"] == 11 and summary["wards"] == 3
    for ind in ("asb", "drugs", "violence", "shoplifting", "criminal_damage"):
        assert (out / f"files/map-files/hotspots-{ind}.html").is_file()
        assert (out / f"pages/hotspots/{ind}.md").is_file()


def test_second_build_is_cached_and_force_rebuilds(config, built):
    again = build(config)
    assert again.cached and again.stamp == built.stamp
    assert not build(config, force=True).cached


def test_changed_input_invalidates_cache(config, built, data_dir):
    p = data_dir / "population/census-2011-lsoa11-kent.csv"
    p.write_text(p.read_text().replace(",2000,", ",2100,"))
    assert not build(config).cached


def test_builds_in_different_folders_are_identical(tmp_path, config, built):
    other = Config(
        district=DISTRICT,
        period=Period("2012-04", "2012-05"),
        data_dir=make_data_dir(tmp_path / "elsewhere" / "data"),
        out_dir=tmp_path / "elsewhere" / "b",
    )
    b2 = build(other)
    a, b = _files(built.out_dir), _files(b2.out_dir)
    a.pop("files/downloads/ATTRIBUTION.txt", None), b.pop("files/downloads/ATTRIBUTION.txt", None)
    assert a.keys() == b.keys()
    diff = [k for k in a if a[k] != b[k]]
    assert diff == []


def test_failed_build_leaves_last_good_output(config, built, data_dir):
    before = _files(built.out_dir)
    (data_dir / "police/2012-04-fixture-street.csv").write_text("garbage\n")
    with pytest.raises(InputError):
        build(config)
    assert _files(built.out_dir) == before
    assert not [p for p in built.out_dir.parent.iterdir() if p.name.startswith(".build-")]


def test_no_external_scripts_styles_or_fonts(built):
    for path in (built.out_dir / "files").rglob("*"):
        if path.suffix in (".html", ".js", ".css"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert external_loads(text) == [], path
            for host in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "fonts.googleapis", "unpkg"):
                assert host not in text, (path, host)


def _geojson_features(html, n):
    """The GeoJSON features embedded in the n-th layer of a rendered folium map."""
    blobs = re.findall(r"_add\((\{\"features\".*?\})\);\n", html)
    return json.loads(blobs[n])["features"]


def test_map_colours_and_tooltips_follow_the_table(built):
    html = (built.out_dir / "files/map-files/asb.html").read_text()
    crime = pd.read_csv(built.out_dir / "files/downloads/ward-indicators.csv")
    asb = crime[crime.indicator == "asb"].sort_values("ward_code")
    rate_layer = _geojson_features(html, 0)
    assert [f["properties"]["ward_name"] for f in rate_layer] == ["Alpha", "Bravo", "Charlie"]
    expected = classify(asb["rate_per_1000"], "FisherJenks", 5, "Oranges", 1).colours
    assert [f["properties"]["fill"] for f in rate_layer] == expected
    assert rate_layer[0]["properties"]["fill"] == color_brewer("Oranges", 3)[-1]  # Alpha: highest rate
    props = rate_layer[0]["properties"]
    assert props["count_text"] == "3" and props["rank_text"] == "1 of 3"
    assert props["rate_text"].startswith("3.0 (0.6 to 8.8)")
    assert props["compared_text"] == "Not significantly different"
    for field in ("ward_name", "count_text", "rate_text", "rank_text", "compared_text"):
        assert f'"{field}"' in html  # tooltip fields
    assert "Natural breaks (Fisher-Jenks)".lower() in html.lower()
    assert 'aria-label="Map: ' in html and '<html lang="en">' in html
    assert "gestureHandling" in html and "user-scalable=no" not in html


def test_folium_ids_are_stable(built):
    html = (built.out_dir / "files/map-files/asb.html").read_text()
    assert re.findall(r"\bmap_[0-9a-f]{32}\b", html) == []
    assert "map_001" in html


def test_missing_values_get_their_own_colour():
    c = classify(pd.Series([1.0, None, 3.0]), "FisherJenks", 5, "Blues", 0)
    assert c.colours[1] == MISSING_COLOUR and MISSING_COLOUR not in (c.colours[0], c.colours[2])
    assert c.legend[-1].label == "No data (1 ward)"


def test_hostile_names_are_escaped(tmp_path):
    evil = ['<img src=x onerror="alert(1)">', "</script><script>alert(2)</script>", 'O\'Brien "&" | *x*']
    d = make_data_dir(tmp_path / "data", ward_names=evil, streets="<b>On or near</b> </script>")
    cfg = Config(district=DISTRICT, period=Period("2012-04", "2012-05"), data_dir=d, out_dir=tmp_path / "b")
    out = build(cfg).out_dir
    scripts = list((out / "files/assets/maps").rglob("*.js")) + list((out / "files/assets/field").glob("*.js"))
    for path in list((out / "files/map-files").glob("*.html")) + list((out / "pages").rglob("*.md")) + scripts:
        text = path.read_text()
        assert "<img src=x" not in text, path
        assert "<script>alert" not in text, path
        assert text.count("</script>") == text.count("<script"), path
    assert "&lt;img src=x onerror=&quot;alert" in (out / "pages/maps/asb.md").read_text()
    assert len(list((out / "pages/wards").glob("*.md"))) == 4  # three wards and the index, slugs made safe
    data = (out / "files/assets/maps/ward-data/E05000001.js").read_text()
    points = data_script(data, "ward")["layers"][0]["points"]
    assert points[0][3].startswith("&lt;b&gt;On or near&lt;/b&gt;")  # escaped for the tooltip it goes into
    streets = (out / "files/assets/field/streets.js").read_text()  # raw text, shown with textContent
    assert "\\u003cb\\u003eOn or near\\u003c/b\\u003e \\u003c/script\\u003e" in streets
