"""The build command end to end on broken input: exit code, message, and the last good site left in place."""

import hashlib

import pytest

from geo.cli import main
from tests.fixtures import DISTRICT, build_site, make_data_dir
from tests.test_bad_input import CASES

ARGS = ["--start", "2012-04", "--end", "2012-05", "--district", DISTRICT]


def _digest(root):
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("good")
    data = make_data_dir(root / "data")
    assert build_site(data, root) == 0
    return root


@pytest.mark.parametrize("case", list(CASES))
def test_build_command_refuses_bad_input_and_keeps_the_last_good_site(case, good_site, tmp_path, capsys):
    before = _digest(good_site / "site")
    data = make_data_dir(tmp_path / "data")
    mutate, rel, _, _, words = CASES[case]
    mutate(data)
    capsys.readouterr()
    code = main(
        [
            "build",
            "--data-dir",
            str(data),
            "--out-dir",
            str(good_site / "b"),
            "--site-dir",
            str(good_site / "site"),
            *ARGS,
        ]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    expected = rel(data) if callable(rel) else data / rel
    assert expected.name in err and words in err and "(fix: " in err, err
    assert _digest(good_site / "site") == before
    assert not [p for p in good_site.iterdir() if p.name.startswith((".site-", ".b-"))]


def test_missing_data_dir_option(tmp_path, capsys):
    assert (
        main(
            [
                "build",
                "--data-dir",
                str(tmp_path / "nowhere"),
                "--out-dir",
                str(tmp_path / "b"),
                "--site-dir",
                str(tmp_path / "site"),
            ]
        )
        == 2
    )
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()
