"""The product reads one way: no module of ``navtiltak`` imports, at any depth and from
inside a function too, a module that imports it back, and every module imports only
its own unit (``navtiltak.<unit>``) and the layers below its own (LAYERS). The
orchestrator (``navtiltak.publish``) may call on the engines; an engine never calls back
into it, and the orchestrator names no engine. Imports for type hints alone
(``if TYPE_CHECKING:``) run never and are left out."""

from __future__ import annotations

import ast
from pathlib import Path

from navtiltak_tools.testing.project_paths import ROOT

PACKAGE = "navtiltak"
# The units of the package, bottom layer first. A unit is a module or subpackage
# directly under the package; a new one must be given its layer here.
LAYERS: tuple[frozenset[str], ...] = (
    # What every other unit builds on: the package itself, facts and small rules.
    frozenset({PACKAGE, "report_month", "percent", "swap", "dbt_target"}),
    # The jobs, each on its own: reading reports, finding misprints, the dashboard,
    # the statistics bank, the docs server.
    frozenset({"extract", "locate", "dashboard", "statbank", "docs_server"}),
    # Building and publishing on each engine (DuckDB's build locates and draws).
    frozenset({"engines"}),
    # What a user runs that drives the engines: `make build`, `make bi`.
    frozenset({"publish", "bi"}),
)


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


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layer_of(module: str, layers: tuple[frozenset[str], ...] = LAYERS) -> int | None:
    return next((i for i, units in enumerate(layers) if unit(module) in units), None)


def upward_imports(
    edges: dict[str, set[str]], layers: tuple[frozenset[str], ...] = LAYERS
) -> list[str]:
    """Every import of a module of another unit whose layer is not below the importer's."""
    found = []
    for module, targets in sorted(edges.items()):
        for target in sorted(targets):
            if unit(target) == unit(module):
                continue
            here, there = layer_of(module, layers), layer_of(target, layers)
            if here is None or there is None or there >= here:
                found.append(f"{module} (layer {here}) imports {target} (layer {there})")
    return found


def test_every_unit_has_a_layer() -> None:
    assert sorted({unit(name) for name in graph() if layer_of(name) is None}) == []


def test_every_module_imports_only_downward() -> None:
    assert upward_imports(graph()) == []


def test_the_orchestrator_names_no_engine() -> None:
    """publish.py reaches the engines through the registry alone: it imports no engine
    module and no engine's name appears in it."""
    from navtiltak.engines.registry import ENGINES

    edges = graph()
    assert edges[f"{PACKAGE}.publish"] == {
        f"{PACKAGE}.engines.base",
        f"{PACKAGE}.engines.registry",
    }
    text = (ROOT / PACKAGE / "publish.py").read_text(encoding="utf-8").lower()
    assert [name for name in ENGINES if name in text] == []


def test_an_upward_import_is_found() -> None:
    """The same reading catches an import across units that goes up or sideways, and
    lets one inside a unit or downward pass."""
    layers = (frozenset({"base"}), frozenset({"job", "other"}), frozenset({"top"}))
    edges = {
        "a.base": {"a.job.x"},  # up
        "a.job.x": {"a.job.y", "a.base", "a.other"},  # own unit, down, sideways
        "a.job.y": set(),
        "a.other": set(),
        "a.top": {"a.job.x", "a.stray"},  # down, a unit with no layer
    }
    assert upward_imports(edges, layers) == [
        "a.base (layer 0) imports a.job.x (layer 1)",
        "a.job.x (layer 1) imports a.other (layer 1)",
        "a.top (layer 2) imports a.stray (layer None)",
    ]


def test_a_cycle_is_found() -> None:
    """The same reading finds a loop like the one publish and the engines had."""
    edges = {"a.publish": {"a.engines.x"}, "a.engines.x": {"a.publish", "a.util"}, "a.util": set()}
    assert cycles(edges) == [["a.engines.x", "a.publish", "a.engines.x"]]
