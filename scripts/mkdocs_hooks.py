"""MkDocs hooks: run the (cached) build before MkDocs reads the docs, then add its generated files.

``mkdocs build`` alone therefore builds the whole site from the default data; ``python -m geo build`` does the
same with options and swaps the finished site into place. Nothing runs at import time.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.geo")
_state: dict = {}


def on_config(config, **kwargs):
    from geo.cache import cached
    from geo.config import REPORT_DISTRICT, config_from_env

    cfg = config_from_env()
    if not cached(cfg)[0]:
        from geo.build import build

        build(cfg)
        log.info("ward data: new build in %s", cfg.out_dir)
    out = Path(cfg.out_dir)
    _state["out"] = out
    _state["missing"] = json.loads((out / "summary.json").read_text()).get("missing_months", [])
    _state["report"] = cfg.district == REPORT_DISTRICT
    if not _state["report"]:
        district_site(config, out)
    return config


REPORT_ONLY = ("The assessment", "After the assessment")
"""Nav sections that narrate Maidstone's assessment; other districts' sites leave them out."""


def district_site(config, out: Path) -> None:
    """Name the site after the build's district and drop the assessment's chapters from the nav."""
    import html

    # MkDocs' templates do not escape, so the name (from the ONS lookup) is escaped here
    name = html.escape(json.loads((out / "summary.json").read_text())["district_name"])
    config["site_name"] = f"{name} - community safety by ward"
    config["site_description"] = f"Ward maps of crime, anti-social behaviour and deprivation in {name}, from open data."
    nav = []
    for item in config["nav"]:
        key = next(iter(item)) if isinstance(item, dict) else None
        if key in REPORT_ONLY:
            continue
        if key == "Data and methods":
            nav.append({"Road safety": "road-safety.md"})
            if (out / "pages" / "after" / "kent.md").is_file():
                nav.append({"Kent comparison": "after/kent.md"})
        nav.append(item)
    config["nav"] = nav


MARKER = re.compile(r"<!-- geo:([a-z0-9_.-]+) -->")


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    """Put generated snippets where a page says ``<!-- geo:NAME -->``; add the glossary's abbreviations."""
    snips = _state["out"] / "snippets"

    def sub(m):
        path = snips / f"{m.group(1)}.md"
        if not path.is_file():
            raise PluginError(f"{page.file.src_path}: no generated snippet {m.group(1)!r} (looked in {snips})")
        return path.read_text(encoding="utf-8")

    markdown = MARKER.sub(sub, markdown)
    if _state["missing"]:  # a partial build (--allow-partial) says so on every page
        months = ", ".join(_state["missing"])
        note = (
            f'\n!!! warning "Incomplete data"\n    This site was built without police.uk records for {months}: '
            "every count, rate and map leaves those months out.\n\n"
        )
        head, sep, rest = markdown.partition("\n") if markdown.startswith("# ") else ("", "", markdown)
        markdown = head + sep + note + rest
    abbr = snips / "abbreviations.md"
    if abbr.is_file():
        markdown += "\n\n" + abbr.read_text(encoding="utf-8")
    return markdown


def on_files(files: Files, config, **kwargs) -> Files:
    out = _state["out"]
    if not _state["report"]:  # the assessment's chapters narrate Maidstone's report only
        for f in [f for f in files if f.src_uri.startswith("assessment/")]:
            files.remove(f)
    for sub in ("pages", "files"):
        root = out / sub
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            existing = files.get_file_from_path(rel)
            if existing is not None:
                files.remove(existing)
            files.append(
                File(
                    rel, src_dir=str(root), dest_dir=config["site_dir"], use_directory_urls=config["use_directory_urls"]
                )
            )
    return files
