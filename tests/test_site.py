"""The site's one declaration: nav, docs folder and name follow from it, and an indicator's flags are all it
takes to give it maps, nav entries, ward-page rows and downloads."""

import csv
import json
from dataclasses import replace

import pytest

from geo.build import build
from geo.config import PROJECT_ROOT, Config, Period
from geo.errors import InputError
from geo.render.output import Page
from geo.site import Assembled, Site, mkdocs_nav, render_docs
from tests.fixtures import DISTRICT


def _flip(src, dest, ind_id, **flags):
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["id"] == ind_id:
            r.update(flags)
    with open(dest, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return dest


def test_turning_on_burglary_gives_it_maps_nav_ward_rows_and_downloads(config, tmp_path):
    indicators = _flip(
        PROJECT_ROOT / "data" / "indicators.csv", tmp_path / "ind.csv", "burglary", headline="yes", hotspot="yes"
    )
    cfg = replace(config, out_dir=tmp_path / "b", indicators_file=indicators)
    out = build(cfg).out_dir
    declared = json.loads((out / "site.json").read_text())
    maps = next(item["Maps"] for item in declared["nav"] if "Maps" in item)
    hot = next(item["Hotspots"] for item in declared["nav"] if "Hotspots" in item)
    assert {"Burglary": "maps/burglary.md"} in maps and {"Burglary": "hotspots/burglary.md"} in hot
    docs = out / "docs"
    for rel in (
        "maps/burglary.md",
        "hotspots/burglary.md",
        "map-files/burglary.html",
        "map-files/hotspots-burglary.html",
    ):
        assert (docs / rel).is_file(), rel
    assert (docs / "downloads" / "hotspots-burglary.csv").is_file()
    ward = (docs / "wards" / "alpha.md").read_text()
    month_by_month = ward[ward.index("## Month by month") :]
    assert "**Burglary:**" in month_by_month  # a headline indicator gets the ward page's monthly row
    assert "Burglary" in (docs / "maps" / "index.md").read_text()


def test_the_default_build_declares_every_page_it_makes(data_dir, tmp_path):
    cfg = Config(district=DISTRICT, period=Period("2012-04", "2012-05"), data_dir=data_dir, out_dir=tmp_path / "b")
    out = build(cfg).out_dir
    declared = json.loads((out / "site.json").read_text())
    listed = {p["path"] for p in declared["pages"]}
    on_disk = {p.relative_to(out / "docs").as_posix() for p in (out / "docs").rglob("*.md")}
    assert listed == on_disk  # every page made is declared, and every page declared is made
    unlisted = {p["path"] for p in declared["pages"] if not p["listed"]}
    assert unlisted and all(p.startswith("wards/") and p != "wards/index.md" for p in unlisted)
    assert not any(p.startswith("assessment/") for p in on_disk)  # the report's chapters are Maidstone's only
    assert declared["name"] == "Fixture - community safety by ward"
    text = (out / "docs" / "index.md").read_text()
    assert "<!-- geo:" not in text


def test_nav_sections_keep_their_order_and_index_pages():
    site = Site("S", "D", (Page("index.md", "", "Home"), Page("maps/index.md", "Maps"), Page("maps/a.md", "Maps", "A")))
    assert mkdocs_nav(site) == [{"Home": "index.md"}, {"Maps": ["maps/index.md", {"A": "maps/a.md"}]}]


def test_declaration_and_files_cannot_drift_apart(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n")
    site = Site("X", "", (Page("index.md", "", "Home"), Page("maps/index.md", "Maps")))
    with pytest.raises(InputError, match="has no source"):  # e.g. maps/index.md declared but not built
        render_docs(Assembled(site, {}, {}, {}), docs)
    made = Assembled(site, {"maps/index.md": "# Maps\n", "maps/burglary.md": "# Burglary\n"}, {}, {})
    with pytest.raises(InputError, match="does not list"):
        render_docs(made, docs)


def test_a_marker_without_its_snippet_is_named(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n<!-- geo:nowhere -->\n")
    with pytest.raises(InputError, match="'nowhere'"):
        render_docs(Assembled(Site("X", "", (Page("index.md", "", "Home"),)), {}, {}, {}), docs)
