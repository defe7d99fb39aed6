"""Shared by the tests in every folder below: what they import, in this working tree.

The tests exercise the product (``navtiltak/``) and the tooling (``tools/navtiltak_tools/``)
of this working tree, installed or not, and import the shared helper modules of this
folder (``project_paths``, ``warehouse_fixtures``) by name. Each folder's own helpers are
modules there (``extract/report_text.py``) and its fixtures in its own ``conftest.py``:
every ``conftest.py`` is imported as ``conftest``, so no test imports from one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (HERE, ROOT / "tools", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


# The modules that take longest, longest first (measured with `pytest --durations`): they
# start first, one per worker, and the short modules fill in around them, so that no
# worker is left with a long module at the end. `make pytest` passes
# --no-loadscope-reorder, which keeps this order (xdist would otherwise order modules by
# their number of tests).
LONGEST_FIRST = (
    "engines/test_spark_cluster.py",
    "engines/test_postgres.py",
    "engines/test_spark.py",
    "engines/test_spark_cluster_stop.py",
    "warehouse/test_fault_injection_text.py",
    "warehouse/test_fault_injection.py",
)


# The modules that build on PostgreSQL or Spark are marked `engines`: pytest -m "not
# engines" runs the DuckDB part alone (README, "Testing").
ENGINE_TESTS = HERE / "engines"


def pytest_collection_modifyitems(items: list) -> None:
    for item in items:
        if ENGINE_TESTS in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.engines)

    def rank(item: object) -> int:
        path = str(getattr(item, "path", ""))
        for position, suffix in enumerate(LONGEST_FIRST):
            if path.endswith(suffix):
                return position
        return len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their collection order
