"""The site engines: MkDocs with Material for MkDocs (the default), or Zensical, Material's successor by the same
team, which reads the same ``mkdocs.yml``.

Material for MkDocs says it reaches end of life on 5 May 2027, so the site can be built with either:
``python -m geo build --engine zensical``. Both take the nav, the site name and its description from the one
site declaration (``build/site.json``) and the rendered docs folder (``build/docs``).

What Zensical (0.0.73, pinned in ``pyproject.toml``) does differently, and the fallback chosen for each:

- It runs no MkDocs hooks. The hook (``scripts/mkdocs_hooks.py``) only hands MkDocs the declaration's nav and
  name and re-renders ``docs/`` for ``mkdocs serve``; here the nav and name are written into the configuration
  Zensical reads, and the docs folder is already complete.
- It refuses a docs folder, theme folder or site folder outside the folder of its configuration file. So its
  project is the build's output folder: the configuration (``zensical.yml``) and a copy of ``overrides/`` are
  written there, the site is built into ``.zensical-site`` there, and then moved into place like MkDocs' site
  (a temporary folder swapped in only when the build succeeded). Its page cache (``.cache``) stays in the output
  folder, so a rebuild from the same output is quicker.
- It uses Material's newer "modern" look, in which the current page's nav link (the accent colour on its tint,
  2.5:1) and the light footer's copyright line (1.9:1) fall short of WCAG's 4.5:1. A small stylesheet for
  Zensical only (:data:`ZENSICAL_CSS`, written into its copy of the theme folder, which it copies to the site)
  gives both the page's text colours.
- It writes its search index to ``search.json``; the site's own scripts, maps, service worker and offline copies
  are the same files on either engine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from geo.config import PROJECT_ROOT

ENGINES = ("mkdocs", "zensical")
ZENSICAL_SITE = ".zensical-site"
"""Where Zensical builds inside the output folder, before the site is moved to its folder."""
ZENSICAL_CONFIG = "zensical.yml"
ZENSICAL_CSS_PATH = "assets/stylesheets/zensical.css"
ZENSICAL_CSS = """/* Zensical's modern look only (geo/engines.py): text colours with WCAG AA contrast */
.md-nav__link--active, .md-nav__link--active .md-ellipsis { color: var(--md-primary-fg-color--dark); }
.md-copyright, .md-copyright__highlight { color: var(--md-default-fg-color); }
"""


def zensical_config(declared: dict, site_url: str | None = None) -> dict:
    """``mkdocs.yml`` as Zensical should read it for the build's output folder: the declaration's nav, name and
    description, the docs, theme and site folders inside that folder, and no MkDocs hooks."""
    import yaml

    cfg = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("hooks", "watch"):
        cfg.pop(key, None)
    cfg.update(
        docs_dir="docs",
        site_dir=ZENSICAL_SITE,
        nav=declared["nav"],
        site_name=declared["name"],
        site_description=declared["description"],
    )
    cfg["theme"]["custom_dir"] = "overrides"
    cfg["extra_css"] = [*cfg.get("extra_css", []), ZENSICAL_CSS_PATH]
    if site_url:
        cfg["site_url"] = site_url.rstrip("/") + "/"
    return cfg


def build_with_zensical(out_dir: Path, into: Path, declared: dict, site_url: str | None = None) -> None:
    """Build ``out_dir``'s docs folder with Zensical, strictly, and put the site into ``into`` (an empty folder
    the caller made and will swap in)."""
    import yaml
    import zensical

    out_dir = Path(out_dir)
    shutil.rmtree(out_dir / "overrides", ignore_errors=True)
    shutil.copytree(PROJECT_ROOT / "overrides", out_dir / "overrides")
    css = out_dir / "overrides" / ZENSICAL_CSS_PATH
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(ZENSICAL_CSS, encoding="utf-8")
    shutil.rmtree(out_dir / ZENSICAL_SITE, ignore_errors=True)
    config = out_dir / ZENSICAL_CONFIG
    text = yaml.safe_dump(zensical_config(declared, site_url), sort_keys=False, allow_unicode=True)
    config.write_text(text, encoding="utf-8")
    try:
        zensical.build(str(config), {"strict": True, "clean": False})
        shutil.copytree(out_dir / ZENSICAL_SITE, into, dirs_exist_ok=True)
    finally:
        shutil.rmtree(out_dir / ZENSICAL_SITE, ignore_errors=True)
