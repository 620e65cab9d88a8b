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
    from geo.config import PROJECT_ROOT
    from geo.site import Assembled, read_site_json, render_docs, site_from_json

    out = _out_dir(config)

    def folder(name: str, suffix: str = "") -> dict:
        root = out / name
        found = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        return {p.relative_to(root).as_posix().removesuffix(suffix): p.read_bytes() for p in found}

    pages = {k: v.decode() for k, v in folder("pages").items()}
    snippets = {k: v.decode() for k, v in folder("snippets", ".md").items()}
    made = Assembled(site_from_json(read_site_json(out)), pages, folder("files"), snippets)
    docs = out / "docs"
    for rel, data in render_docs(made, PROJECT_ROOT / "docs").items():  # only what changed, so serve sees edits
        path = docs / rel
        if not (path.is_file() and path.read_bytes() == data):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
