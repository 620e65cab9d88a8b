"""MkDocs hook, stateless: the site's nav and name come from the build's declaration, and ``mkdocs serve`` shows
edits to ``docs/`` at once.

``python -m geo build`` renders the complete docs folder (``build/docs``) and its declaration (``build/site.json``)
and hands both to MkDocs itself; this hook only lets plain ``mkdocs serve`` (or ``mkdocs build``) use the same
folder: it reads the nav, site name and description from ``site.json`` beside the docs folder, and before each
build re-renders the hand-written pages from ``docs/`` (writing only files that changed). Nothing runs at import
time and nothing is kept between calls.
"""

from __future__ import annotations

from pathlib import Path


def _out_dir(config) -> Path:
    return Path(config["docs_dir"]).parent


def on_config(config, **kwargs):
    from geo.site import read_site_json

    declared = read_site_json(_out_dir(config))
    config["nav"] = declared["nav"]
    config["site_name"] = declared["name"]
    config["site_description"] = declared["description"]
    return config


def on_pre_build(config, **kwargs):
    from geo.build import write_files
    from geo.config import PROJECT_ROOT
    from geo.site import stale_docs

    out = _out_dir(config)
    write_files(out / "docs", stale_docs(out, PROJECT_ROOT / "docs"))  # only what changed, so serve sees edits
