"""MkDocs hooks: run the (cached) build before MkDocs reads the docs, then add its generated files.

``mkdocs build`` alone therefore builds the whole site from the default data; ``python -m geo build`` does the
same with options and swaps the finished site into place. Nothing runs at import time.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.geo")
_state: dict = {}


def on_config(config, **kwargs):
    from geo.cache import cached
    from geo.config import config_from_env

    cfg = config_from_env()
    if not cached(cfg)[0]:
        from geo.build import build

        build(cfg)
        log.info("ward data: new build in %s", cfg.out_dir)
    _state["out"] = Path(cfg.out_dir)
    return config


def on_files(files: Files, config, **kwargs) -> Files:
    out = _state["out"]
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
