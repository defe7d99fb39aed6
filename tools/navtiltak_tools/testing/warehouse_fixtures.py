"""Helpers for the tests of the serving layer: the test warehouse and real publications.

`warehouse_for_tests()`: the database `make dbt-test` builds
(target/test-warehouse/nav_tiltak.duckdb); `make pytest` passes its path in
NAV_TILTAK_TEST_DB. Without it a test that needs the warehouse is skipped, with the
reason, except in CI (CI=true), where it fails.

`copy_project()`: a throwaway copy of the project's sources, with a `.venv` of symlinks to
the project's venv, so that a test can run `make build` or `python -m navtiltak.publish`
without touching the project's warehouse/ or target/.
It starts from one dbt parse of the project made once per run (`parsed_project()`).

`extract()`, `build()`, `dbt_build()`: the extractor, and a build in a copy into its
BUILD_DB (the path navtiltak.publish gives dbt), with its failed nodes.

`run_directory()`, `once_per_run()`: what every pytest-xdist worker of a run shares, made
by the first that needs it.

`publish_once()`: one real `python -m navtiltak.publish` into a project copy, shared by every
test module of the run, across pytest-xdist's workers too (a build takes about 20 s):
each module's `publication` fixture calls it with the session's `tmp_path_factory`. While
the build runs, a read-only connection holds the previously published file and keeps
querying it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from navtiltak.dbt_target import DB_PATH_VARIABLE, TARGET_VARIABLE
from navtiltak.engines.duckdb_file import DEFAULT_WAREHOUSE, WarehousePaths
from navtiltak_tools import PROJECT_ROOT
from navtiltak_tools.project_copy import copy_sources
from navtiltak_tools.venv_link import link_venv

# Where navtiltak.publish builds, relative to the project: dbt's database path.
BUILD_DB = WarehousePaths(DEFAULT_WAREHOUSE).build_file
# dbt's partial parse, and where the tests keep theirs (parsed_project).
PARTIAL_PARSE = "partial_parse.msgpack"
PARSE_TEMPLATE = Path("target/copy-parse")
VENV = PROJECT_ROOT / ".venv"
# The venv's commands (dbt, navtiltak-extract, duckdb) beside the Python running the tests.
BIN = Path(sys.executable).parent
DUCKDB_1X_CLI = BIN / "duckdb"
# A failing node as dbt's summary names it: "Failure in test <name> (<file>)".
FAILURE_LINE = re.compile(r"Failure in (?:test|model|seed) (\S+)")
WAREHOUSE = DEFAULT_WAREHOUSE
# Variables a parent `make` may have set that must not leak into a child run.
LEAKING_VARIABLES = (
    "NAV_TILTAK_DB_PATH",
    "NAV_TILTAK_TARGET",
    "NAV_TILTAK_BUILD_MONTHS",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "DBT_TARGET_PATH",
)


def warehouse_for_tests() -> Path:
    """NAV_TILTAK_TEST_DB, the warehouse `make dbt-test` built; skip (fail in CI) without it."""
    value = os.environ.get("NAV_TILTAK_TEST_DB")
    if not value:
        reason = "NAV_TILTAK_TEST_DB is not set: `make test` builds the test warehouse and sets it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    path = Path(value)
    if not path.is_file():
        pytest.fail(f"NAV_TILTAK_TEST_DB={value}, but there is no such file: run `make dbt-test`")
    return path


def child_env(project: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in LEAKING_VARIABLES}
    env.update(DBT_PROFILES_DIR=str(project), DO_NOT_TRACK="1")
    return env


# What navtiltak.publish gives dbt: the copy's BUILD_DB, with which a build reuses the
# copy's parse (copy_project), and target dev.
BUILD_VARIABLES = {DB_PATH_VARIABLE: str(BUILD_DB), TARGET_VARIABLE: "dev"}


def extract(project: Path) -> subprocess.CompletedProcess[str]:
    """`navtiltak-extract` in ``project``: its reports/ into its seeds/report/."""
    return run([str(BIN / "navtiltak-extract")], project)


@dataclass(frozen=True)
class BuildOutcome:
    returncode: int
    failed: list[str]  # unique ids (run results) and names (dbt's summary) of failed nodes
    output: str  # stdout and stderr


def build(project: Path, command: list[str]) -> BuildOutcome:
    """Run ``command`` in ``project`` (a dbt build into the copy's BUILD_DB, whose path
    never changes, so that dbt's parse stays valid from the copy's start on, or
    navtiltak.publish); its exit code, failed nodes and output."""
    (project / BUILD_DB).parent.mkdir(parents=True, exist_ok=True)
    results_file = project / "target" / "run_results.json"
    # so that the results read below can only be this build's
    results_file.unlink(missing_ok=True)
    result = run(command, project, BUILD_VARIABLES)
    assert result.returncode >= 0, (
        f"{command[1:3]} was killed by signal {-result.returncode}:\n{result.stderr[-3000:]}"
    )
    assert results_file.exists(), (
        f"dbt wrote no run results:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    run_results = json.loads(results_file.read_text())
    failed = [
        node["unique_id"] for node in run_results["results"] if node["status"] in ("fail", "error")
    ]
    # dbt's summary may name a failure the run results lack (a build stopped early).
    failed += FAILURE_LINE.findall(result.stdout)
    return BuildOutcome(result.returncode, failed, result.stdout + result.stderr)


def dbt_build(project: Path) -> BuildOutcome:
    """A bare `dbt build` (the default selector) in ``project``."""
    return build(project, [str(BIN / "dbt"), "build"])


def run_directory(factory: pytest.TempPathFactory) -> Path:
    """The temporary directory of this test run that every pytest-xdist worker shares (a
    worker's own is <run>/popen-gw<n>); without xdist, the session's."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(done: Path, make: Callable[[], object]) -> Path:
    """``done``, made by ``make`` once for every process of the run that asks for it:
    the first takes the lock beside it and makes it, the others wait and find it.
    ``make`` must create ``done`` last (write beside it, then rename)."""
    done.parent.mkdir(parents=True, exist_ok=True)
    with (done.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            make()
    return done


def copy_project(destination: Path) -> Path:
    """A copy of the project's sources, its venv linked, dbt's parse of them in place."""
    copy_sources(PROJECT_ROOT, destination)
    link_venv(destination, VENV)
    (destination / "target").mkdir()
    shutil.copy2(parsed_project(), destination / "target" / PARTIAL_PARSE)
    return destination


def parsed_project() -> Path:
    """dbt's partial parse of the project, as a copy's build parses it, once per run.

    Every copy starts from it, so that dbt parses again only the files a test changed,
    not all of them (about 4 s of CPU a build). A build in a copy has the same profile
    when it builds into BUILD_DB, the path navtiltak.publish gives dbt (relative to the
    project, navtiltak.dbt_target); a build into another path parses in full, as before.
    It is kept in the project's target/ (a copy has no way to the run's temporary
    directory), one folder per run, and the workers of one pytest-xdist run share it."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"pid-{os.getpid()}")
    runs = PROJECT_ROOT / PARSE_TEMPLATE
    target = runs / run_id

    def parse() -> None:
        for earlier in runs.glob("*/"):
            shutil.rmtree(earlier, ignore_errors=True)
        partial = runs / f".{run_id}.partial"
        result = run(
            [str(BIN / "dbt"), "parse", "--quiet", "--target-path", str(partial)],
            PROJECT_ROOT,
            BUILD_VARIABLES,
        )
        if result.returncode != 0:
            pytest.fail(f"dbt parse failed in {PROJECT_ROOT}:\n{result.stdout}{result.stderr}")
        partial.replace(target)

    return once_per_run(target, parse) / PARTIAL_PARSE


def copy_publication(source: Path, project: Path) -> None:
    """Copy a published warehouse (file, Parquet symlink and set) into `project`."""
    shutil.copytree(
        source / WAREHOUSE.parent, project / WAREHOUSE.parent, symlinks=True, dirs_exist_ok=True
    )


def run_publish(project: Path) -> subprocess.CompletedProcess[str]:
    """`python -m navtiltak.publish` in `project`, as `make build` runs it."""
    return run([sys.executable, "-m", "navtiltak.publish"], project)


def run_make(project: Path, target: str) -> subprocess.CompletedProcess[str]:
    return run(["make", "--no-print-directory", target], project)


def run(
    command: list[str], project: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`command` in `project`, output captured; `env` adds variables to the child's."""
    return subprocess.run(
        command,
        cwd=project,
        env={**child_env(project), **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def query_cli(database: Path, sql: str) -> subprocess.CompletedProcess[str]:
    """`sql` run by the DuckDB 1.x CLI (duckdb-cli), read-only, as CSV without header."""
    return subprocess.run(
        [str(DUCKDB_1X_CLI), "-readonly", "-csv", "-noheader", str(database), "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )


def fingerprint(warehouse_dir: Path) -> dict[str, str]:
    """Every file and symlink under `warehouse_dir`: content hash, or link target."""
    prints: dict[str, str] = {}
    for path in sorted(warehouse_dir.rglob("*")):
        name = str(path.relative_to(warehouse_dir))
        if path.is_symlink():
            prints[name] = f"-> {path.readlink()}"
        elif path.is_file():
            prints[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return prints


def create_previous_publication(path: Path) -> None:
    """A stand-in for the file a previous build published."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema previous_build")
        connection.execute("create table previous_build.marker as select 'old' as build")


@dataclass
class Reader:
    """Queries one open read-only connection over and over, from a thread."""

    connection: duckdb.DuckDBPyConnection
    sql: str
    results: list[object] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def poll(self) -> None:
        while not self.stop.is_set():
            try:
                self.results.append(self.connection.execute(self.sql).fetchone())
            except duckdb.Error as exc:
                self.errors.append(str(exc))
            time.sleep(0.1)


@dataclass(frozen=True)
class Publication:
    project: Path
    result: subprocess.CompletedProcess[str]
    seconds: float
    reads_during_build: list[object]
    read_errors_during_build: list[str]
    old_connection_after_build: object

    @property
    def published(self) -> Path:
        return self.project / WAREHOUSE


def publish_while_reading(project: Path) -> Publication:
    published = project / WAREHOUSE
    create_previous_publication(published)
    connection = duckdb.connect(str(published), read_only=True)
    reader = Reader(connection, "select build from previous_build.marker")
    thread = threading.Thread(target=reader.poll, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        result = run_publish(project)
        seconds = time.monotonic() - started
    finally:
        reader.stop.set()
        thread.join()
    try:
        after = connection.execute("select build from previous_build.marker").fetchone()
    finally:
        # Closed before any test opens the new file: DuckDB's Python client hands a new
        # connection the database a process already has open, the old file here.
        connection.close()
    return Publication(
        project=project,
        result=result,
        seconds=seconds,
        reads_during_build=reader.results,
        read_errors_during_build=reader.errors,
        old_connection_after_build=after,
    )


# One publication per session; keyed by the session's TempPathFactory (not hashable).
_PUBLICATIONS: dict[int, Publication] = {}


def publish_once(factory: pytest.TempPathFactory) -> Publication:
    """One successful publication per test run, with a reader connected throughout.

    Under pytest-xdist the workers share it: the first to need it publishes, under a
    lock, into the run's common temporary directory and records the outcome there; the
    others wait for it and read the record. The modules that use it only read the
    published files (a test that changes something copies them first)."""
    if id(factory) not in _PUBLICATIONS:
        _PUBLICATIONS[id(factory)] = _shared_publication(factory)
    return _PUBLICATIONS[id(factory)]


def _shared_publication(factory: pytest.TempPathFactory) -> Publication:
    shared = run_directory(factory) / "publication"
    record = shared / "publication.pickle"

    def publish() -> None:
        partial = shared / "publication.pickle.partial"
        partial.write_bytes(pickle.dumps(publish_and_check(shared / "project")))
        partial.replace(record)

    return pickle.loads(once_per_run(record, publish).read_bytes())


def publish_and_check(destination: Path) -> Publication:
    project = copy_project(destination)
    publication = publish_while_reading(project)
    if publication.result.returncode != 0:
        output = publication.result.stdout + publication.result.stderr
        pytest.fail(f"the publication failed:\n{output[-4000:]}")
    return publication
