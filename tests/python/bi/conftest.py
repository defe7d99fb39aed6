"""One Superset for the module: its own metadata home, a free port, the project's assets
imported over the test warehouse; stopped by its process group, also when a test fails."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from superset_running import Running

from navtiltak.bi import deploy
from navtiltak.bi.assets import Bundle, MetricCompiler, load, published_manifest
from navtiltak.bi.client import SupersetClient
from navtiltak.bi.server import ADMIN, DEFAULT_VENV, Superset, stop
from navtiltak.dashboard.semantic import load_manifest
from navtiltak_tools.testing.project_paths import SEMANTIC_MANIFEST
from navtiltak_tools.testing.warehouse_fixtures import warehouse_for_tests
from navtiltak_tools.throwaway import free_port

START_TIMEOUT = 180.0


@pytest.fixture(scope="module")
def test_warehouse() -> Path:
    return warehouse_for_tests()


@pytest.fixture(scope="module")
def bundle(test_warehouse: Path) -> Bundle:
    manifest = published_manifest(load_manifest(SEMANTIC_MANIFEST), test_warehouse.stem)
    return load(MetricCompiler(manifest, "duckdb"), f"duckdb:///{test_warehouse.resolve()}")


@pytest.fixture(scope="module")
def superset(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    if not (DEFAULT_VENV / ".installed").exists():
        pytest.fail(
            f"{DEFAULT_VENV} is not installed: `make bi-venv` (a prerequisite of make pytest)"
        )
    home = tmp_path_factory.mktemp("superset-home")
    installation = Superset(DEFAULT_VENV, home)
    password = secrets.token_urlsafe(12)
    installation.prepare(password)
    log = home / "superset.log"
    port = free_port()
    process = installation.start(port, log)
    try:
        client = SupersetClient(f"http://127.0.0.1:{port}")
        client.wait_until_healthy(START_TIMEOUT, alive=lambda: process.poll() is None)
        client.login(ADMIN, password)
        deploy(client, bundle)
        yield Running(client.base_url, password, client, bundle, log)
    finally:
        stop(process)
        assert process.poll() is not None, "Superset is still running"
