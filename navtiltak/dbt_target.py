"""How every engine runs dbt: the variables profiles.yml reads, the build command.

dbt keeps its parse (target/partial_parse.msgpack) only while the profile is the same,
the database path included. The path is therefore given relative to the project, the
directory dbt runs in: a build in another copy of the project (a test's, a CI cache's)
has the same profile and reuses the parse instead of parsing every file again.
"""

from __future__ import annotations

import os
from pathlib import Path

# profiles.yml reads the database path and the target from these variables.
DB_PATH_VARIABLE = "NAV_TILTAK_DB_PATH"
TARGET_VARIABLE = "NAV_TILTAK_TARGET"
# dbt's run results, relative to the project (the working directory).
RUN_RESULTS = Path("target/run_results.json")
# The project's manifest of the last parse or build, relative to the project.
MANIFEST = Path("target/manifest.json")


def database_path(database: Path) -> str:
    """``database`` as profiles.yml gets it: relative to the working directory (the
    project, where dbt runs)."""
    return os.path.relpath(database.resolve(), Path.cwd())


# What `make build` builds: the default selector of selectors.yml.
BUILD_SELECTOR = "warehouse"


def dbt_build_command(dbt: str, *arguments: str) -> list[str]:
    """`make build`'s dbt build on every engine: the selector of selectors.yml that a
    bare `dbt build` also uses, all but the identity terms (on PostgreSQL their
    uniqueness test alone grows to minutes by 13 months, on DuckDB it needs more than
    the memory limit at 121 months, for a view that only the DuckDB locator reads)."""
    return [dbt, "build", "--selector", BUILD_SELECTOR, *arguments]
