"""A class's name says what it holds: no two public classes of the product (``navtiltak``)
and its tooling (``tools/navtiltak_tools``) share a name, so a name read in a traceback,
a type hint or a search leads to one class."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from navtiltak_tools.testing.project_paths import ROOT

PACKAGES = (ROOT / "navtiltak", ROOT / "tools" / "navtiltak_tools")


def public_classes(path: Path) -> list[str]:
    """The classes a module defines at its top level whose names do not start with _."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_")
    ]


def test_no_two_public_classes_share_a_name() -> None:
    defined: dict[str, list[str]] = defaultdict(list)
    for package in PACKAGES:
        for path in sorted(package.rglob("*.py")):
            for name in public_classes(path):
                defined[name].append(str(path.relative_to(ROOT)))
    shared = {name: paths for name, paths in defined.items() if len(paths) > 1}
    assert not shared, shared


def test_the_packages_define_classes() -> None:
    """The search above reads the packages where they are (it would pass on none)."""
    assert sum(len(public_classes(path)) for path in PACKAGES[0].rglob("*.py")) > 20
