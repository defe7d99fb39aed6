"""What every engine offers the orchestrator (``navtiltak.publish``), and the file lock
the engines that publish into the warehouse directory share.

An engine is a module of this package with a function ``run(request) -> int``: build,
test and publish as `make build ENGINE=<name>` asks, print what happened, and return
the exit code (0 only when something was published). The registry
(``navtiltak.engines.registry``) names the module of each engine.
"""

from __future__ import annotations

import fcntl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# Where the engines that publish files (DuckDB's file, Spark's Parquet tables) publish
# unless told otherwise, relative to the project (the working directory).
DEFAULT_WAREHOUSE_DIR = Path("warehouse")


@dataclass(frozen=True)
class BuildRequest:
    """One `make build`: the command line, engine-neutral.

    ``warehouse`` is the published file the user named (``--warehouse``), None for the
    engine's default; an engine that publishes a directory publishes in its parent.
    ``full`` asks an engine that can update by month to build every month instead."""

    dbt: str
    warehouse: Path | None = None
    full: bool = False

    def warehouse_dir(self) -> Path:
        return self.warehouse.parent if self.warehouse is not None else DEFAULT_WAREHOUSE_DIR


class Engine(Protocol):
    """An engine's module, as the orchestrator calls it."""

    def run(self, request: BuildRequest) -> int: ...


def warehouse_lock_file(warehouse_dir: Path) -> Path:
    """The lock every build in ``warehouse_dir`` holds, whatever its engine."""
    return warehouse_dir / ".build.lock"


@contextmanager
def warehouse_lock(lock_file: Path, unchanged: str) -> Iterator[bool]:
    """Hold an exclusive lock on ``lock_file`` for the whole build: two builds at once
    would remove each other's build. Yields False (after saying so, ending with
    ``unchanged``) when another build holds it."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another build is running (it holds {lock_file}); {unchanged}", file=sys.stderr)
            yield False
            return
        yield True
