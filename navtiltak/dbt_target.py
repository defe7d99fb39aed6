"""Where dbt builds the DuckDB warehouse: the variables profiles.yml reads.

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
