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
    """The whole site built once from the embedded bundle with the README's build command (``python -m geo build``)."""
    from geo.cli import main

    root = tmp_path_factory.mktemp("real")
    code = main(
        ["build", "--data-dir", str(bundle_data), "--out-dir", str(root / "build"), "--site-dir", str(root / "site")]
    )
    assert code == 0
    return root / "site"
