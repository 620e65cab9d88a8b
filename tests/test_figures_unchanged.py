"""The figures do not move: every CSV download and every number on the pages matches the stored fingerprint,
for the real Maidstone site and for a fixture district's site (see tests/golden.py)."""

import pytest

from tests.fixtures import build_site, make_data_dir
from tests.golden import compare, page_numbers


def test_maidstone_figures_unchanged(site):
    assert compare("maidstone", site) == []


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("golden")
    assert build_site(make_data_dir(root / "data"), root) == 0
    return root / "site"


def test_fixture_district_figures_unchanged(fixture_site):
    assert compare("fixture", fixture_site) == []


def test_page_numbers_skip_drawings_and_attributes():
    html = (
        '<article class="md-content__inner md-typeset"><p>1,788 incidents (−4.2 %)</p>'
        '<svg viewBox="0 0 640 320"><text>99</text></svg><a href="x/2099.html">see 3</a></article>'
    )
    assert page_numbers(html) == ["1,788", "−4.2", "3"]
