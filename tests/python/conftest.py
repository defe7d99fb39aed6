"""Shared by the tests in every folder below: the order modules run in, and markers.

The tests exercise the product (``navtiltak/``) and the tooling (``tools/navtiltak_tools/``),
both installed editable into ``.venv`` by ``make build``; what the tests share is the
tooling's package ``navtiltak_tools.testing`` (project paths, project copies and builds,
the printed cells). Each folder's own helpers are modules there
(``extract/report_text.py``) and its fixtures in its own ``conftest.py``: every
``conftest.py`` is imported as ``conftest``, so no test imports from one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


# The modules that take longest, longest first (measured with `pytest --durations`): they
# start first, one per worker, and the short modules fill in around them, so that no
# worker is left with a long module at the end. `make pytest` passes
# --no-loadscope-reorder, which keeps this order (xdist would otherwise order modules by
# their number of tests).
LONGEST_FIRST = (
    "engines/test_spark_cluster.py",
    "engines/test_postgres.py",
    "warehouse/test_monthly_update.py",
    "engines/test_spark.py",
    "warehouse/test_fault_injection_text.py",
    "warehouse/test_fault_injection.py",
    "bi/test_superset.py",
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
