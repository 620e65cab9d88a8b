"""Build figures for the benchmark (issue 29): cold, warm and one-page-edit build times, peak memory, the time of
each site engine, and a profile of a cold build (seconds per stage and per section), all measured in one run.

Every build runs as the README's command would, in a new process, in a throwaway copy of the repository (so that
editing a page of ``docs/`` touches nothing of yours); ``--compare REV`` measures the cold build of a git revision
of this repository side by side (alternating runs, the median of each).

Run ``python3 scripts/benchmark.py --only build [--compare 8b18ce0 [--compare-data-dir ../shared/data]]``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEASURE = (
    "import importlib.util, json, os, resource, sys, threading, time\n"
    "def tree(root):\n"
    "    kids = {}\n"
    "    for d in os.listdir('/proc'):\n"
    "        try:\n"
    "            kids.setdefault(int(open(f'/proc/{d}/stat').read().rsplit(')', 1)[1].split()[1]), []).append(int(d))\n"
    "        except (ValueError, OSError, IndexError):\n"
    "            pass\n"
    "    out, todo = [], [root]\n"
    "    while todo:\n"
    "        out.append(todo.pop())\n"
    "        todo += kids.get(out[-1], [])\n"
    "    return out\n"
    "def pss(pid):\n"
    "    try:\n"
    "        rows = open(f'/proc/{pid}/smaps_rollup').read().splitlines()\n"
    "    except OSError:\n"
    "        return 0\n"
    "    return sum(int(r.split()[1]) for r in rows if r.startswith('Pss:')) / 1024\n"
    "peak = [0.0]\n"
    "def sample():\n"
    "    while True:\n"
    "        peak[0] = max(peak[0], sum(pss(p) for p in tree(os.getpid())))\n"
    "        time.sleep(0.05)\n"
    "threading.Thread(target=sample, daemon=True).start()\n"
    "t = time.perf_counter()\n"
    "from geo import cli\n"
    "code = cli.main(sys.argv[1:])\n"
    "largest = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024\n"
    "stages = importlib.import_module('geo.timing').TIMES if importlib.util.find_spec('geo.timing') else {}\n"
    "print(json.dumps({'code': code, 'seconds': time.perf_counter() - t, 'peak_mb': peak[0], 'largest_mb': largest,\n"
    "                  'stages': stages}))\n"
)
"""Runs ``geo`` in the new process and prints its time, its peak memory and its stages (none for a revision
without ``geo.timing``) as JSON. The peak memory (``peak_mb``) is the most the build's processes held together,
sampled every 50 ms as the sum of their proportional set sizes (a page shared by two processes counts half in
each), so a build in several processes is not flattered; ``largest_mb`` is the largest single process's peak
resident set."""


def copy_repo(dest: Path, rev: str | None = None) -> Path:
    """The working tree (or ``rev``'s tree) without its built folders, in ``dest``."""
    if rev:
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        return dest
    skip = shutil.ignore_patterns(".git", "site", "site-zensical", "build", "__pycache__", ".pytest_cache", "*.egg-*")
    shutil.copytree(ROOT, dest, ignore=skip)
    return dest


def run_build(repo: Path, out: Path, *args: str) -> dict:
    """One ``python -m geo build`` in ``repo`` (its package imported from there) into ``out``: its figures."""
    cmd = [sys.executable, "-c", MEASURE, "build", "--out-dir", str(out / "build"), "--site-dir", str(out / "site")]
    env = {k: v for k, v in os.environ.items() if k != "GEO_DATA_DIR"} | {"PYTHONPATH": str(repo)}
    proc = subprocess.run([*cmd, *args], cwd=repo, env=env, capture_output=True, text=True)
    figures = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 and proc.stdout.strip() else {}
    if figures.get("code") != 0:
        raise SystemExit(f"build failed in {repo}:\n{proc.stderr[-2000:]}")
    return figures


def build_figures(compare: str | None = None, runs: int = 3, compare_data: str | None = None) -> None:
    """Print the build figures (see the module docstring). ``compare_data`` is the data directory for the revision
    compared with, when it has no embedded bundle (8b18ce0 read ``../shared/data``)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        repo = copy_repo(tmp / "repo")
        old = copy_repo(tmp / "old", compare) if compare else None
        colds, olds = [], []
        for i in range(runs):  # alternating, so that a busy moment falls on both alike
            colds.append(run_build(repo, tmp / f"cold{i}", "--force"))
            if old:
                extra = ("--data-dir", compare_data) if compare_data else ()
                olds.append(run_build(old, tmp / f"old{i}", "--force", *extra))
        last = tmp / f"cold{runs - 1}"
        warm = run_build(repo, last)
        page = repo / "docs" / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added by the benchmark.\n", encoding="utf-8")
        edited = run_build(repo, last)
        zensical = run_build(repo, last, "--engine", "zensical")
        page.write_text(page.read_text(encoding="utf-8") + "\nAnother sentence.\n", encoding="utf-8")
        zensical_again = run_build(repo, last, "--engine", "zensical")
    median = statistics.median
    print(f"\nbuild figures ({runs} cold runs, median; a new process each, imports included):")
    print(f"  cold build (--force): {median(r['seconds'] for r in colds):.1f} s, peak memory "
          f"{median(r['peak_mb'] for r in colds):.0f} MB, all processes together (largest process "
          f"{median(r['largest_mb'] for r in colds):.0f} MB)")  # fmt: skip
    if olds:
        print(f"  cold build of {compare}, side by side: {median(r['seconds'] for r in olds):.1f} s, peak memory "
              f"{median(r['peak_mb'] for r in olds):.0f} MB (largest process "
              f"{median(r['largest_mb'] for r in olds):.0f} MB)")  # fmt: skip
    print(f"  warm build (nothing changed): {warm['seconds']:.1f} s (neither the analysis nor the site is made again)")
    print(f"  one page of docs/ edited: {edited['seconds']:.1f} s (the analysis is not run again; MkDocs "
          f"{edited['stages'].get('MkDocs', 0):.1f} s)")  # fmt: skip
    print(f"  engines, same build output: MkDocs {edited['stages'].get('MkDocs', 0):.1f} s; Zensical "
          f"{zensical['stages'].get('Zensical', 0):.1f} s, then {zensical_again['stages'].get('Zensical', 0):.1f} s "
          "after a one-page edit, with its page cache")  # fmt: skip
    print("  (targets, issue 29: cold at most half the 8b18ce0 cold build; an edited page at most 1 s; peak memory "
          "at most 400 MB)")  # fmt: skip
    profile = sorted(colds[-1]["stages"].items(), key=lambda kv: -kv[1])
    print(f"\nwhere a cold build's time goes (last cold run, {colds[-1]['seconds']:.1f} s in all):")
    for name, secs in profile:
        if secs >= 0.05:
            print(f"  {secs:6.2f} s  {name}")
