"""Layering of the package (issue #12): no import cycle inside ``facility/``, no private name imported across
modules (the import graph is read from the sources, function-level imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("facility", "models")


def _module(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (types only, never executed)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            out |= {id(n) for n in ast.walk(node)}
    return out


def _imports() -> dict[str, list[tuple[str, list[str]]]]:
    """module -> [(imported module, names)] for every import executed at run time, function-level included."""
    graph: dict[str, list[tuple[str, list[str]]]] = {}
    for pkg in PACKAGES:
        for path in sorted((REPO / pkg).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _type_checking_nodes(tree)
            deps = graph.setdefault(_module(path), [])
            for node in ast.walk(tree):
                if id(node) in skip:
                    continue
                if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
                    deps.append((node.module, [a.name for a in node.names]))
                elif isinstance(node, ast.Import):
                    deps += [(a.name, []) for a in node.names if a.name.split(".")[0] in PACKAGES]
    return graph


def test_no_import_cycle_inside_the_packages():
    graph = {m: {d for d, _ in deps if d in _imports_cache() and d != m} for m, deps in _imports_cache().items()}
    # a package's __init__ importing its own modules is not a cycle of the code (facility -> facility.x)
    for m in graph:
        graph[m] = {d for d in graph[m] if not (d == m.rsplit(".", 1)[0] or d in PACKAGES)}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                cycle = [*stack[stack.index(d):], d]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_no_private_name_is_imported_across_modules():
    bad = [f"{m} imports {d}.{n}" for m, deps in _imports_cache().items() for d, names in deps for n in names
           if n.startswith("_") and n != "__version__"]
    assert not bad, bad


_CACHE: dict = {}


def _imports_cache():
    if not _CACHE:
        _CACHE.update(_imports())
    return _CACHE
