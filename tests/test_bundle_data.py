"""Integration: the pipeline and the site on the real open data of the embedded bundle (data/bundle)."""

import json
import re
import shutil

import pandas as pd
import pytest

from geo.cli import main
from geo.config import Config
from geo.context import tables_of
from tests.checks import data_script, external_loads


@pytest.fixture(scope="module")
def real(bundle_data):
    cfg = Config(data_dir=bundle_data)
    return tables_of(cfg)


def test_reconciliation_on_real_data(real):
    rec = real.reconciliation
    assert rec.balanced
    # the open data README (and the bundle): April 2012 - March 2013 hold 12,272 rows, all inside the 2013 wards
    assert rec.rows_read == 12_272 and rec.in_ward == 12_272
    assert rec.months[0] == "2012-04" and rec.months[-1] == "2013-03" and len(rec.months) == 12


def test_all_wards_and_indicators(real):
    assert real.wards["ward_code"].nunique() == 26
    assert real.wards["population"].sum() == 155_143  # Census 2011, Maidstone
    assert real.crime.groupby("indicator")["ward_code"].nunique().eq(26).all()
    assert set(real.crime["indicator"]) == {
        "asb",
        "drugs",
        "violence",
        "burglary",
        "criminal_damage",
        "shoplifting",
        "vehicle_crime",
        "robbery",
        "other_theft",
        "public_disorder",
        "other_crime",
    }
    asb = real.crime[real.crime.indicator == "asb"]
    assert asb["count"].sum() == 4_306  # the ASB total of the open data README
    assert len(real.deprivation) == 26 and real.deprivation["imd_score"].notna().all()


def test_high_street_leads_asb(real):
    asb = real.crime[real.crime.indicator == "asb"].set_index("ward_name")
    assert asb.loc["High Street", "rank"] == 1
    assert asb.loc["High Street", "compared_with_borough"] == "higher"


def test_site_has_all_four_maps_with_tables(site):
    for ind in ("asb", "drugs", "violence", "imd_score"):
        page = (site / "maps" / f"{ind}.html").read_text()
        assert f'data-map="{ind}"' in page and f'href="../map-files/{ind}.html"' in page  # in page; full screen
        assert (site / "map-files" / f"{ind}.html").is_file()
        table = re.search(r"<table>(.*?)</table>", page, re.S)
        assert table and table.group(1).count("<tr>") == 27  # header + 26 wards
        assert "text alternative" in page


def test_site_pages_match_the_table(site):
    crime = pd.read_csv(site / "downloads" / "ward-indicators.csv")
    page = (site / "maps" / "drugs.html").read_text()
    for _, r in crime[crime.indicator == "drugs"].iterrows():
        assert re.search(rf"<td[^>]*>{re.escape(r.ward_name)}</td>\s*<td[^>]*>{int(r['count'])}</td>", page)


def test_site_has_no_external_assets(site):
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert external_loads(text) == [], path
            assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path


def test_two_site_builds_are_identical(site, bundle_data, tmp_path):
    assert (
        main(
            [
                "build",
                "--data-dir",
                str(bundle_data),
                "--out-dir",
                str(tmp_path / "build"),
                "--site-dir",
                str(tmp_path / "site"),
                "--force",
            ]
        )
        == 0
    )
    a = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "site"): p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert a.keys() == b.keys()
    assert [str(k) for k in a if a[k] != b[k]] == []


def test_downloads_present(site):
    gj = json.loads((site / "downloads" / "wards.geojson").read_text())
    assert len(gj["features"]) == 26
    assert "Open Government Licence" in (site / "downloads" / "ATTRIBUTION.txt").read_text()


def test_downloaded_boundaries_follow_rfc_7946(site):
    """Exterior rings counter-clockwise, holes clockwise, at most 6 decimals (RFC 7946 3.1.6 and 11.2)."""
    import shapely
    from shapely.geometry import shape

    text = (site / "downloads" / "wards.geojson").read_text()
    gj = json.loads(text)
    rings_checked = 0
    for feature in gj["features"]:
        geom = shape(feature["geometry"])
        for poly in getattr(geom, "geoms", [geom]):
            assert poly.exterior.is_ccw, feature["properties"]["ward_name"]
            assert not any(r.is_ccw for r in poly.interiors), feature["properties"]["ward_name"]
            rings_checked += 1 + len(poly.interiors)
        assert shapely.is_valid(geom), feature["properties"]["ward_name"]
    assert rings_checked >= 26
    decimals = [len(m) for m in re.findall(r"-?\d+\.(\d+)", text.split('"features"', 1)[1])]
    assert max(decimals) <= 6


def test_bad_data_dir_exits_nonzero_and_keeps_site(site, tmp_path, capsys):
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (tmp_path / "empty").mkdir()
    code = main(
        ["build", "--data-dir", str(tmp_path / "empty"), "--out-dir", str(tmp_path / "b"), "--site-dir", str(site)]
    )
    assert code == 2
    assert "empty" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    shutil.rmtree(tmp_path / "empty")


def test_hotspot_pages(site):
    for ind in ("asb", "drugs", "violence", "shoplifting", "criminal_damage"):
        page = (site / "hotspots" / f"{ind}.html").read_text()
        assert 'data-mode="hotspots"' in page and "<iframe" not in page  # the map is drawn in the page
        assert f'<a href="../map-files/hotspots-{ind}.html">Open the map full screen</a>' in page
        assert "Top locations" in page and "snap point" in page
        cells = pd.read_csv(site / "downloads" / f"hotspots-{ind}.csv")
        assert cells["cell_id"].is_unique and len(cells) > 2000
    asb = pd.read_csv(site / "downloads" / "hotspots-asb.csv")
    hot = asb[asb["hotspot"] == "Hot 99%"]
    assert "High Street" in set(hot["ward_name"])
    assert asb["count"].sum() == 4_306  # every ASB record is in exactly one cell
    top = pd.read_csv(site / "downloads" / "top-locations.csv")
    assert (top.groupby("indicator")["rank"].max() <= 10).all()


def _ward_tables(page):
    """The rows of the crime table of a built ward page, as {indicator title: {column: text}}."""
    import html as h

    table = re.search(r'<table class="stack">\s*<caption>Police\.uk records.*?</table>', page, re.S).group(0)
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r'data-label="([^"]+)">(.*?)</t[hd]>', row)
        if cells:
            out[h.unescape(cells[0][1])] = {h.unescape(k): h.unescape(v) for k, v in cells}
    return out


def test_ward_pages(site):
    crime = pd.read_csv(site / "downloads" / "ward-indicators.csv")
    titles = {"asb": "Anti-social behaviour", "drugs": "Drug offences", "violence": "Violent crime"}
    pages = sorted(p for p in (site / "wards").glob("*.html") if p.name != "index.html")
    assert len(pages) == 26
    for page in pages:
        text = page.read_text()
        name = re.search(r"<h1[^>]*>(.*?)<", text).group(1)
        assert "map-files/ward.html?ward=E05" in text and '<figure class="print-only">' in text
        for section in (
            "Crime and anti-social behaviour",
            "Deprivation",
            "Where the records are",
            "What the assessment says about this ward",
        ):
            assert section in text, (page, section)
        rows = _ward_tables(text)
        ward = crime[crime.ward_name == name]
        assert len(ward) == 11 and len(rows) == 11
        for ind, title in titles.items():
            r = ward[ward.indicator == ind].iloc[0]
            cells = rows[title]
            assert cells["Records"] == f"{int(r['count']):,}"
            assert cells["Rate per 1,000 (95% CI)"] == (
                f"{r.rate_per_1000:.1f} ({r.rate_lower_95:.1f} to {r.rate_upper_95:.1f})"
            )
            assert cells["Rank (1 = highest)"] == f"{r['rank']} of 26"
            said = cells["Compared with borough"]
            excludes = r.rate_lower_95 > r.borough_rate_per_1000 or r.rate_upper_95 < r.borough_rate_per_1000
            assert ("Significantly" in said) == excludes, (name, ind, said)
            assert ("higher" in said) == (r.rate_lower_95 > r.borough_rate_per_1000)


def test_ward_index_and_search(site):
    index = (site / "wards" / "index.html").read_text()
    assert index.count('href="high-street.html"') >= 1 and "map-files/ward.html" in index
    assert len(re.findall(r'<td[^>]*><a href="[a-z-]+\.html">', index)) == 26
    search = json.loads((site / "search" / "search_index.json").read_text())
    docs = [d for d in search["docs"] if d["location"].startswith("wards/high-street.html")]
    assert docs and any("High Street" in d["title"] for d in docs)
    assert any("Shopping Area" in d["text"] for d in docs)  # a street of its top locations
    wards_js = (site / "assets" / "field" / "field-data.js").read_text()
    assert len(data_script(wards_js, "wards")["features"]) == 26 and wards_js.count('"code":"E05') == 26
    assert len(list((site / "assets" / "maps" / "ward-data").glob("E05*.js"))) == 26


def test_internal_links_resolve(site):
    assert broken_links(site) == []


def broken_links(site):
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # MkDocs writes it with absolute links under site_url, for any path
            continue
        text = page.read_text(encoding="utf-8")
        for url in re.findall(r"""(?:href|src)=["']([^"'#?]+)""", text):
            if "//" in url or url.startswith(("mailto:", "data:", "javascript:", "tel:", "geo:")):
                continue
            target = (page.parent / url).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append((page.relative_to(site).as_posix(), url))
    return broken


SWALE = "E07000113"


@pytest.fixture(scope="module")
def swale(bundle_data, tmp_path_factory):
    """A second district, Swale, for January-November 2014, built with the README's build command."""
    root = tmp_path_factory.mktemp("swale")
    args = ["build", "--data-dir", str(bundle_data), "--district", SWALE, "--start", "2014-01", "--end", "2014-11"]
    assert main([*args, "--out-dir", str(root / "build"), "--site-dir", str(root / "site")]) == 0
    return root


def test_second_district_tables(swale):
    """Swale: its own 25 wards, Census total, IoD 2015 and a lookup derived from snap points (ONS's is 2015 wards)."""
    summary = json.loads((swale / "build" / "summary.json").read_text())
    assert summary["district_name"] == "Swale" and summary["wards"] == 25
    assert summary["population"] == 135_835  # Swale's Census 2011 usual residents (85 LSOAs)
    assert summary["deprivation_edition"] == "IMD 2015" and "snap points" in summary["ward_lookup"]
    rec = summary["reconciliation"]
    parts = ("in_ward", "outside_district", "no_location", "out_of_period", "repeated")
    assert rec["rows_read"] == sum(rec[k] for k in parts) and rec["repeated"] == 3  # police.uk's own repeats
    crime = pd.read_csv(swale / "build" / "files" / "downloads" / "ward-indicators.csv")
    assert crime["ward_code"].nunique() == 25 and crime["count"].sum() == rec["in_ward"]
    dep = pd.read_csv(swale / "build" / "files" / "downloads" / "ward-deprivation.csv")
    assert len(dep) == 25 and dep["residents"].sum() == 135_835 and "crime_score" not in dep.columns


def test_second_district_site(swale):
    site = swale / "site"
    home = (site / "index.html").read_text()
    assert "Community safety in Swale" in home and "<title>Swale - community safety by ward" in home
    assert not (site / "assessment").exists() and not (site / "after" / "monitoring.html").exists()
    assert "The assessment" not in home and "Strategic Assessment 2014-15</title>" not in home
    assert len(list((site / "wards").glob("*.html"))) == 26  # 25 wards and the index
    assert len(list((site / "assets" / "maps" / "ward-data").glob("E05*.js"))) == 25
    for name in ("maps/asb.html", "maps/imd_score.html", "hotspots/asb.html", "road-safety.html", "downloads.html"):
        assert (site / name).is_file(), name
    assert "IMD 2015 score" in (site / "maps" / "imd_score.html").read_text()
    assert "32,844" in (site / "maps" / "imd_score.html").read_text()
    kent = (site / "after" / "kent.html").read_text()
    assert "Swale among the Kent districts" in kent and "<strong>Swale</strong>" in kent
    ward = (site / "wards" / "murston.html").read_text()
    assert "Compared with district" in ward and "borough" not in ward.lower()  # Swale's own pages say district
    methods = (site / "data-and-methods.html").read_text()
    assert "Indices of Deprivation 2015" in methods and "Indices of Deprivation 2010" not in methods
    assert broken_links(site) == []


def test_data_and_methods_lists_the_repairs_the_build_made(site):
    text = (site / "data-and-methods.html").read_text()
    section = text[text.index('id="repairs-made-by-this-build"') :][:2000]
    assert "Kent district outlines were invalid polygons" in section and "zero-width buffer" in section
