"""The engines `make build ENGINE=<name>` can build on, and the module of each: the one
place that names them (the Makefile checks ENGINE against the same names).

A module is imported only when its engine is chosen: an engine's packages (psycopg2,
PyHive) need not be installed to build on another."""

from __future__ import annotations

import importlib
from typing import cast

from navtiltak.engines.base import Engine

# The default first. The Makefile lists the same names (ENGINES), tested.
ENGINE_MODULES = {
    "duckdb": "navtiltak.engines.duckdb_file",
    "postgres": "navtiltak.engines.postgres",
    "spark": "navtiltak.engines.spark",
    "spark_cluster": "navtiltak.engines.spark_cluster",
}
ENGINES = tuple(ENGINE_MODULES)
DEFAULT_ENGINE = ENGINES[0]


def engine(name: str) -> Engine:
    """The module of engine ``name`` (one of ENGINES)."""
    return cast(Engine, importlib.import_module(ENGINE_MODULES[name]))
