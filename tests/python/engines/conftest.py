"""Fixtures of the engine tests: a throwaway PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from navtiltak_tools.postgres_server import ThrowawayPostgres, throwaway_postgres


@pytest.fixture(scope="module")
def server() -> Iterator[ThrowawayPostgres]:
    """Debian's PostgreSQL on 127.0.0.1 and a free port, as user postgres; stopped and
    removed when the module ends, also on failure."""
    with throwaway_postgres() as started:
        yield started
