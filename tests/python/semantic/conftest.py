"""The semantic layer over the warehouse `make dbt-test` built (NAV_TILTAK_TEST_DB)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from navtiltak.dashboard.semantic import SemanticLayer
from navtiltak_tools.testing.project_paths import SEMANTIC_MANIFEST
from navtiltak_tools.testing.warehouse_fixtures import warehouse_for_tests


@pytest.fixture(scope="module")
def test_warehouse() -> Path:
    return warehouse_for_tests()


@pytest.fixture(scope="module")
def layer(test_warehouse: Path) -> Iterator[SemanticLayer]:
    with SemanticLayer(test_warehouse, SEMANTIC_MANIFEST) as semantic_layer:
        yield semantic_layer
