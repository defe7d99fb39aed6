"""The product reads one way: no module of ``navtiltak`` imports, at any depth and from
inside a function too, a module that imports it back. The orchestrator
(``navtiltak.publish``) may call on the engines; an engine never calls back into it.
Imports for type hints alone (``if TYPE_CHECKING:``) run never and are left out."""

from __future__ import annotations

import ast
from pathlib import Path

from navtiltak_tools.testing.project_paths import ROOT

PACKAGE = "navtiltak"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``path`` imports (``from a import b``: ``a.b`` when it is
    a module, else ``a``)."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name in known}


def graph(root: Path = ROOT / PACKAGE) -> dict[str, set[str]]:
    paths = {module_name(path): path for path in root.rglob("*.py")}
    known = set(paths)
    return {name: imports(path, known) - {name} for name, path in paths.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each once, as the modules along it."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(start: str, node: str, trail: list[str]) -> None:
        for target in sorted(edges.get(node, ())):
            if target == start and frozenset(trail) not in seen:
                seen.add(frozenset(trail))
                found.append([*trail, start])
            elif target not in trail and target > start:
                walk(start, target, [*trail, target])

    for start in sorted(edges):
        walk(start, start, [start])
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    edges = graph()
    assert len(edges) > 30
    assert cycles(edges) == []


def test_no_engine_imports_the_orchestrator() -> None:
    edges = graph()
    engines = [name for name in edges if name.startswith(f"{PACKAGE}.engines.")]
    assert engines
    assert {name: edges[name] for name in engines if f"{PACKAGE}.publish" in edges[name]} == {}


def test_a_cycle_is_found() -> None:
    """The same reading finds a loop like the one publish and the engines had."""
    edges = {"a.publish": {"a.engines.x"}, "a.engines.x": {"a.publish", "a.util"}, "a.util": set()}
    assert cycles(edges) == [["a.engines.x", "a.publish", "a.engines.x"]]
