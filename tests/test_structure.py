"""The package's shape: folders that show the pipeline, imports that flow one way, few layers, no district in page
code. Each check is a function over a source tree, so the tests also plant a violation and see it caught."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from geo.config import PROJECT_ROOT

PKG = PROJECT_ROOT / "geo"
MAX_LAYERS, MAX_TOP_LEVEL = 10, 20
FORBIDDEN = {"analysis": {"read", "render", "sections"}, "read": {"render", "sections"}}
"""Which folders a folder of ``geo/`` may not import from."""
DISTRICT = re.compile(r"Maidstone|MAIDSTONE|E07000110")


def modules(pkg: Path) -> dict[str, Path]:
    out = {}
    for p in pkg.rglob("*.py"):
        name = ".".join(p.relative_to(pkg.parent).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = p
    return out


def imports(name: str, path: Path, known) -> set[str]:
    """The project modules ``name`` imports, anywhere in it (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {
                f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module for a in node.names
            }
    return {m for m in found if m in known and m != name}


def graph(pkg: Path) -> dict[str, set[str]]:
    mods = modules(pkg)
    return {n: imports(n, p, mods) for n, p in mods.items()}


def layers(deps: dict[str, set[str]]) -> dict[str, int]:
    """A module's layer: one more than the highest layer among the project modules it imports (cycles raise)."""
    out: dict[str, int] = {}

    def layer(n, stack=()):
        if n in stack:
            raise ValueError("import cycle: " + " -> ".join((*stack, n)))
        if n not in out:
            out[n] = 1 + max((layer(d, (*stack, n)) for d in deps[n]), default=0)
        return out[n]

    for n in deps:
        layer(n)
    return out


def wrong_direction(deps: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports against the pipeline's direction, and sections importing each other."""
    bad = []
    for n, ds in deps.items():
        parts = n.split(".")
        folder = parts[1] if len(parts) > 2 else None
        for d in ds:
            target = d.split(".")
            if folder in FORBIDDEN and len(target) > 2 and target[1] in FORBIDDEN[folder]:
                bad.append((n, d))
            if folder == "sections" and len(target) > 2 and target[1] == "sections" and target[:3] != parts[:3]:
                bad.append((n, d))
    return sorted(bad)


def district_literals(pkg: Path) -> list[str]:
    """District names and codes in page code (sections, rendering, templates), docstrings aside."""
    found = []
    for path in sorted([*(pkg / "sections").rglob("*.py"), *(pkg / "render").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {  # bare strings: docstrings, and the attribute docstrings under constants and fields
            id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                if DISTRICT.search(node.value):
                    found.append(f"{path.relative_to(pkg.parent)}:{node.lineno}")
            elif isinstance(node, ast.Name) and DISTRICT.search(node.id):
                found.append(f"{path.relative_to(pkg.parent)}:{node.lineno}")
    for path in sorted((pkg / "render" / "templates").glob("*.j2")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DISTRICT.search(line):
                found.append(f"{path.relative_to(pkg.parent)}:{i}")
    return found


def test_imports_flow_one_way():
    assert wrong_direction(graph(PKG)) == []


def test_at_most_ten_layers_and_no_cycles():
    got = layers(graph(PKG))
    assert max(got.values()) <= MAX_LAYERS, sorted(got.items(), key=lambda kv: -kv[1])[:5]


def test_the_top_level_is_small_and_the_folders_show_the_pipeline():
    entries = [p.name for p in PKG.iterdir() if p.name != "__pycache__"]
    assert len(entries) <= MAX_TOP_LEVEL, entries
    assert {"read", "analysis", "render", "sections", "fetch"} <= set(entries)


def test_page_code_holds_no_district():
    assert district_literals(PKG) == []


@pytest.fixture
def planted(tmp_path) -> Path:
    """A small package with one of each violation."""
    pkg = tmp_path / "geo"
    for folder in ("analysis", "read", "render", "sections"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "read" / "io.py").write_text("X = 1\n")
    (pkg / "analysis" / "stats.py").write_text("def f():\n    from geo.read.io import X\n    return X\n")
    (pkg / "sections" / "maps.py").write_text("from geo.sections import wards\n")
    (pkg / "sections" / "wards.py").write_text('"""Maidstone in a docstring is fine."""\nNAME = "Maidstone"\n')
    (pkg / "render" / "a.py").write_text("from geo.render import b\n")
    (pkg / "render" / "b.py").write_text("from geo.render import a\n")
    (pkg / "render" / "templates").mkdir()
    (pkg / "render" / "templates" / "x.md.j2").write_text("Welcome to E07000110\n")
    return pkg


def test_the_checks_catch_planted_violations(planted):
    deps = graph(planted)
    assert wrong_direction(deps) == [
        ("geo.analysis.stats", "geo.read.io"),
        ("geo.sections.maps", "geo.sections.wards"),
    ]
    with pytest.raises(ValueError, match="import cycle"):
        layers(deps)
    assert district_literals(planted) == ["geo/sections/wards.py:2", "geo/render/templates/x.md.j2:1"]
