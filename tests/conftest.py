from __future__ import annotations

from pathlib import Path

import pytest

from geo.config import Config, Period
from tests.fixtures import DISTRICT, make_data_dir

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A fresh fixture data directory (see tests/fixtures.py)."""
    return make_data_dir(tmp_path / "data")


@pytest.fixture
def config(data_dir, tmp_path) -> Config:
    return Config(district=DISTRICT, period=Period("2012-04", "2012-05"), data_dir=data_dir, out_dir=tmp_path / "build")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED


@pytest.fixture(scope="session")
def site(shared_data, tmp_path_factory) -> Path:
    """The whole site built once from ../shared/data with the README's build command (``python -m geo build``)."""
    from geo.cli import main

    root = tmp_path_factory.mktemp("real")
    code = main(
        ["build", "--data-dir", str(shared_data), "--out-dir", str(root / "build"), "--site-dir", str(root / "site")]
    )
    assert code == 0
    return root / "site"
