"""Running the command line as a user would, in a throwaway copy of the repository (shared by the safety tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from geo.config import PROJECT_ROOT
from tests.fixtures import DISTRICT, make_data_dir

PERIOD = ["--district", DISTRICT, "--start", "2012-04", "--end", "2012-05"]
SENTINEL = "sentinel.txt"


def run(args, cwd: Path, *, home: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m geo ARGS`` in ``cwd`` (the package imported from there), as a user would type it."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("GEO_DATA_DIR", None)
    if home is not None:
        env["HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def refused(proc: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 2, an ``error:`` line that says the words, and no traceback."""
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "error: " in proc.stderr
    for w in words:
        assert w in proc.stderr, proc.stderr[-2000:]


def make_repo_copy(tmp) -> Path:
    """A throwaway copy of the repository: the package, docs, tables, MkDocs config and hook, and a sentinel in
    every folder that must survive (its ``.git``, ``docs/``, ``data/``)."""
    root = Path(tmp) / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "raw", "*.pyc")
    for name in ("geo", "docs", "data", "scripts", "overrides"):
        shutil.copytree(PROJECT_ROOT / name, root / name, ignore=ignore)
    shutil.copy2(PROJECT_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / ".git").mkdir()
    for d in (root, root / ".git", root / "docs", root / "data"):
        (d / SENTINEL).write_text("must survive")
    make_data_dir(root / "fixture-data")
    (root / "fixture-data" / SENTINEL).write_text("must survive")
    return root
