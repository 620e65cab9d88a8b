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
