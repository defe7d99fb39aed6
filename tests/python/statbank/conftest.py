"""The fixtures of the statistics bank's tests: the warehouse (built once per run), the
server over it, and the marts opened read-only for the expected numbers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from statbank_server import Server, build_warehouse, start_server, stop_server

from navtiltak_tools.testing.warehouse_fixtures import once_per_run, run_directory


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published file of the build, made once per test run (pytest-xdist's workers
    share it: the modules of this folder may run on several)."""
    shared = run_directory(tmp_path_factory) / "statbank"
    published = shared / "nav_tiltak.duckdb"
    return once_per_run(published, lambda: build_warehouse(shared / "project", published))


@pytest.fixture(scope="session")
def server(warehouse: Path) -> Iterator[Server]:
    started = start_server(warehouse)
    try:
        yield started
    finally:
        stop_server(started.process)


@pytest.fixture(scope="session")
def marts(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The published marts, read-only, for the expected numbers (SQL of the tests' own)."""
    connection = duckdb.connect(":memory:")
    connection.execute(f"attach '{warehouse}' as published (read_only)")
    connection.execute("use published.marts")
    try:
        yield connection
    finally:
        connection.close()
