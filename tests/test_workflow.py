"""The GitHub Pages workflow: valid against GitHub's schema (offline), pinned, least privilege, and building from
the embedded bundle by default; built pages name no placeholder host."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

from geo.config import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "site.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def test_workflow_validates_against_githubs_schema():
    exe = Path(sys.executable).with_name("check-jsonschema")
    proc = subprocess.run(
        [str(exe), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_check_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    exe = Path(sys.executable).with_name("check-jsonschema")
    proc = subprocess.run([str(exe), "--builtin-schema", "vendor.github-workflows", str(bad)], capture_output=True)
    assert proc.returncode != 0


def test_every_action_is_pinned_to_a_commit():
    uses = re.findall(r"uses:\s*(\S+)", WORKFLOW.read_text())
    assert len(uses) >= 5
    for u in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u), u


def test_permissions_are_least_privilege():
    wf = _workflow()
    assert wf["permissions"] == {"contents": "read"}
    assert "permissions" not in wf["jobs"]["build"]
    assert wf["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for step in wf["jobs"]["build"]["steps"]:
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_default_build_uses_the_bundle_and_manual_runs_fetch_first():
    wf = _workflow()
    assert set(wf[True]["workflow_dispatch"]["inputs"]) == {"district", "start", "end"}  # YAML reads 'on' as True
    steps = {s.get("name", s.get("uses")): s for s in wf["jobs"]["build"]["steps"]}
    build = steps["Build the site (mkdocs build --strict)"]["run"]
    assert "python3 -m geo build\n" in build and "--data-dir data/raw" in build
    fetch = steps["Fetch another district or newer months"]
    assert "inputs.district != ''" in fetch["if"] and "geo fetch --data-dir data/raw" in fetch["run"]
    assert "${{" not in build + fetch["run"]  # inputs reach the shell as environment variables, not pasted code
    assert (
        steps["Build the site (mkdocs build --strict)"]["env"]["GEO_SITE_URL"] == "${{ steps.pages.outputs.base_url }}"
    )
    assert steps["Test (browser tests use the runner's preinstalled Chrome)"]["run"] == "python3 -m pytest"


def test_no_page_names_a_placeholder_host(site):
    assert "site_url" not in (PROJECT_ROOT / "mkdocs.yml").read_text()
    for page in [*site.rglob("*.html"), site / "sitemap.xml"]:
        assert "example.github.io" not in page.read_text(encoding="utf-8"), page


def test_a_weekly_job_asks_the_publishers_and_does_not_deploy():
    wf = _workflow()
    assert [s["cron"] for s in wf[True]["schedule"]] == ["23 5 * * 1"]  # weekly
    job = wf["jobs"]["publishers"]
    assert "schedule" in job["if"] and "workflow_dispatch" in job["if"] and job["timeout-minutes"] <= 15
    run = next(s["run"] for s in job["steps"] if s.get("name", "").startswith("Ask each publisher"))
    assert run.count("python3 -m geo fetch --check") == 2
    assert wf["jobs"]["build"]["if"] == "github.event_name != 'schedule'"  # so no deploy on the weekly check
