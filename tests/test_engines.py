"""Both site engines (issue 29): MkDocs with Material, the default, and Zensical, its successor. Each builds every
page from the one site declaration; `.ci/run` also runs the browser tests on the Zensical site."""

from __future__ import annotations

from pathlib import Path

import yaml

from geo.config import PROJECT_ROOT
from geo.engines import ZENSICAL_CSS_PATH, ZENSICAL_SITE, zensical_config
from tests.browser import ENGINE


def test_zensical_reads_mkdocs_yml_with_the_declarations_nav_and_no_hooks():
    declared = {"nav": [{"Home": "index.md"}, {"Wards": [{"Park Wood": "wards/park-wood.md"}]}],
                "name": "A <site> & name", "description": "what it is"}  # fmt: skip
    cfg = zensical_config(declared, site_url="https://example.org/maps")
    mkdocs = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text())
    assert cfg["nav"] == declared["nav"] and cfg["site_name"] == "A <site> & name"
    assert cfg["site_description"] == "what it is" and cfg["site_url"] == "https://example.org/maps/"
    assert "hooks" not in cfg and "watch" not in cfg  # Zensical runs no MkDocs hooks: the nav is written in
    assert cfg["docs_dir"] == "docs" and cfg["site_dir"] == ZENSICAL_SITE and cfg["theme"]["custom_dir"] == "overrides"
    assert cfg["markdown_extensions"] == mkdocs["markdown_extensions"] and cfg["plugins"] == mkdocs["plugins"]
    assert cfg["extra_css"] == [*mkdocs["extra_css"], ZENSICAL_CSS_PATH]
    assert cfg["extra_javascript"] == mkdocs["extra_javascript"] and cfg["theme"]["name"] == "material"


def test_the_other_engine_builds_the_same_pages(site, tmp_path):
    """The session's site (built by ``$GEO_TEST_ENGINE``, MkDocs unless told) against the same build output made
    into a site by the other engine: the same HTML pages, the build's marker, nothing left in the output folder."""
    from geo.cli import build_site

    other = "mkdocs" if ENGINE == "zensical" else "zensical"
    out = site.parent / "build"
    built = tmp_path / "other-site"
    build_site(out, built, forbidden=(out,), engine=other)

    def pages(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*.html")}

    assert pages(built) == pages(site) and len(pages(site)) > 120
    assert (built / ".geo-build").is_file()
    for rel in ("sw.js", "manifest.webmanifest", "api/index.json", "2025/assets/field/field.js"):
        assert (built / rel).read_bytes() == (site / rel).read_bytes(), rel  # the site's own files, as made
    assert not (out / ZENSICAL_SITE).exists()
    assert not (out / "docs" / ZENSICAL_CSS_PATH).exists()  # the docs folder is as the build made it
    zensical_site = built if other == "zensical" else site
    assert (zensical_site / ZENSICAL_CSS_PATH).is_file()
