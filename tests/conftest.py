from __future__ import annotations

from pathlib import Path

import pytest

from geo.config import DEFAULT_DATA_DIR, Config, Period
from tests.fixtures import DISTRICT, make_data_dir


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A fresh fixture data directory (see tests/fixtures.py)."""
    return make_data_dir(tmp_path / "data")


@pytest.fixture
def config(data_dir, tmp_path) -> Config:
    return Config(district=DISTRICT, period=Period("2012-04", "2012-05"), data_dir=data_dir, out_dir=tmp_path / "build")


@pytest.fixture(scope="session")
def bundle_data() -> Path:
    """The embedded default data bundle the repository carries (real open data)."""
    return DEFAULT_DATA_DIR


@pytest.fixture(scope="session")
def site(bundle_data, tmp_path_factory) -> Path:
    """The whole site built once from the embedded bundle with the README's build command (``python -m geo build``),
    with the engine ``$GEO_TEST_ENGINE`` names (``mkdocs``, the default, or ``zensical``: CI runs the browser tests
    on both)."""
    from geo.cli import main
    from tests.browser import ENGINE

    root = tmp_path_factory.mktemp("real")
    code = main(
        ["build", "--data-dir", str(bundle_data), "--out-dir", str(root / "build"), "--site-dir", str(root / "site"),
         "--engine", ENGINE]
    )  # fmt: skip
    assert code == 0
    return root / "site"


@pytest.fixture(scope="module")
def browser():
    """Chromium through Playwright, for a module of browser tests (skipped without it outside CI)."""
    from tests.browser import ARGS, chromium_or_skip

    playwright_api = pytest.importorskip("playwright.sync_api")
    path = chromium_or_skip()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def base(site):
    """The built site served on loopback; yields its base URL."""
    from tests.browser import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A throwaway copy of the repository with sentinels that must survive (see tests/repo_copy.py)."""
    from tests.repo_copy import make_repo_copy

    return make_repo_copy(tmp_path_factory.mktemp("clone"))
