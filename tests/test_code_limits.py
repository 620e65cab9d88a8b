"""The code stays readable: no module in geo/ or scripts/ over 400 lines, no function over 60 lines, none with
more than 8 parameters (issue 14's limits, measured on the source with ast)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE, MAX_FUNCTION, MAX_PARAMS = 400, 60, 8


def measure(paths, root=ROOT):
    """(module lines, [(lines, parameters, "file:function")]) for the given Python files."""
    modules, functions = {}, []
    for path in paths:
        src = path.read_text(encoding="utf-8")
        name = path.relative_to(root).as_posix()
        modules[name] = len(src.splitlines())
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                a = node.args
                params = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs) + bool(a.vararg) + bool(a.kwarg)
                functions.append((node.end_lineno - node.lineno + 1, params, f"{name}:{node.name}"))
    return modules, functions


def sources():
    return sorted([*(ROOT / "geo").rglob("*.py"), *(ROOT / "scripts").glob("*.py")])


def test_limits_hold():
    modules, functions = measure(sources())
    assert len(modules) > 30  # the package really was read
    assert {m: n for m, n in modules.items() if n > MAX_MODULE} == {}
    assert [f for f in functions if f[0] > MAX_FUNCTION] == []
    assert [f for f in functions if f[1] > MAX_PARAMS] == []


def test_the_measure_sees_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(70))
    (tmp_path / "probe.py").write_text(f"def long(a, b, c, d, e, f, g, h, i):\n{body}\n")
    modules, functions = measure([tmp_path / "probe.py"], root=tmp_path)
    assert functions == [(71, 9, "probe.py:long")]
    assert modules == {"probe.py": 71}
