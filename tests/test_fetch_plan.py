"""``geo fetch --dry-run`` and ``--check`` (issue 26): the plan names the archive each month comes from and the
addresses of the period's vintage; the check asks each address and fails cleanly with no network."""

from __future__ import annotations

import pytest

from geo.cli import main
from tests.fixtures import DISTRICT
from tests.test_fetch import ARCHIVE, Publisher, publisher_files


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main(["fetch", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_for_the_assessments_year_names_the_whole_history_archive(tmp_path, capsys):
    data = tmp_path / "data"
    code, out, _ = _run(capsys, "--data-dir", str(data), "--district", "E07000110", "--start", "2012-04",
                        "--end", "2013-03", "--dry-run")  # fmt: skip
    assert code == 0 and not data.exists()  # nothing downloaded, nothing written
    archives = {line.split("<- ")[1].split(" ")[0] for line in out.splitlines() if "data/archive/" in line}
    assert archives == {"https://data.police.uk/data/archive/2017-04.zip"}
    assert out.count("[member 2012-") == 9 and "[member 2013-03/2013-03-<force>-street.csv]" in out
    assert "the December 2013 vintage" in out and "imd-2015-lsoa11-england.csv" in out


def test_dry_run_says_which_month_no_archive_holds(tmp_path, capsys):
    code, out, _ = _run(capsys, "--data-dir", str(tmp_path / "d"), "--district", "E07000110", "--start", "2010-10",
                        "--end", "2010-12", "--police-force", "kent", "--dry-run")  # fmt: skip
    assert code == 0
    block = out.split("police/2010-10-kent-street.csv\n")[1].splitlines()[0]
    assert block.strip().startswith("<- nowhere") and "get it by hand" in block
    assert "police/2010-12-kent-street.csv\n    <- https://data.police.uk/data/archive/2017-04.zip" in out


@pytest.fixture
def server(tmp_path):
    srv = Publisher(publisher_files(tmp_path))
    import threading

    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_check_asks_each_address_once_and_names_what_moved(server, tmp_path, capsys):
    args = ["--data-dir", str(tmp_path / "d"), "--district", DISTRICT, "--start", "2012-04", "--end", "2012-05",
            "--mirror", server.url, "--check"]  # fmt: skip
    code, out, err = _run(capsys, *args)
    assert ("HEAD " + ARCHIVE) in server.requests and server.requests.count("HEAD " + ARCHIVE) == 1
    assert "ok     data.police.uk" not in out  # mirrored: named by the host it was asked at
    assert any(line.startswith("ok ") and ARCHIVE in line for line in out.splitlines())
    failed = [line for line in out.splitlines() if line.startswith("FAILED")]
    assert code == (1 if failed else 0)
    del server.files[ARCHIVE]  # the archive withdrawn: named, and the command fails
    code, out, err = _run(capsys, *args)
    assert code == 1 and any(line.startswith("FAILED") and ARCHIVE in line and "HTTP 404" in line
                             for line in out.splitlines())  # fmt: skip
    assert "did not answer as planned" in err
    assert not (tmp_path / "d").exists()  # nothing was downloaded


def test_check_fails_cleanly_without_a_network(tmp_path, capsys):
    """An address no resolver knows stands in for a machine with no network: a clear error, at once."""
    import time

    t = time.monotonic()
    code, out, err = _run(capsys, "--data-dir", str(tmp_path / "d"), "--district", DISTRICT, "--start", "2012-04",
                          "--end", "2012-05", "--mirror", "http://publishers.invalid", "--check")  # fmt: skip
    assert code == 1 and "cannot reach the publishers from here" in err
    assert time.monotonic() - t < 60


def test_dry_run_for_the_current_year_names_todays_geography(tmp_path, capsys):
    """January-December 2025 is on 2021 LSOAs: Census 2021, the 2021-LSOA lookup to the 2024 wards, the 2024 wards
    and IoD 2025, each at its publisher's address, and none of the 2011 geography's sources."""
    data = tmp_path / "data"
    code, out, _ = _run(capsys, "--data-dir", str(data), "--district", "E07000110", "--start", "2025-01",
                        "--end", "2025-12", "--dry-run")  # fmt: skip
    assert code == 0 and not data.exists()
    assert "the December 2024 vintage" in out
    for address in (
        "https://www.nomisweb.co.uk/api/v01/dataset/NM_2021_1.data.csv?",
        "/arcgis/rest/services/LSOA21_WD24_LAD24_EW_LU/FeatureServer/0/query?where=LAD24CD%3D%27E07000110%27",
        "/arcgis/rest/services/Wards_December_2024_Boundaries_UK_BGC/FeatureServer/0/query?",
        "https://assets.publishing.service.gov.uk/media/68ff5daabcb10f6bf9bef911/File_7_IoD2025_",
    ):
        assert out.count(address) == 1, address
    assert "population/census-2021-lsoa21-E07000110.csv\n    <- " in out and "boundaries/wards-2024/E07000110" in out
    for old in ("NM_144_1", "LSOA11_", "census-2011", "imd-2015", "imd-2019", "lsoa11-to-ward"):
        assert old not in out, old
    archives = {line.split("<- ")[1].split(" ")[0] for line in out.splitlines() if "data/archive/" in line}
    assert archives == {"https://data.police.uk/data/archive/2025-12.zip"}
