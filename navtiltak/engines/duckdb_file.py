"""DuckDB, the default engine: build the warehouse file beside the published one;
publish it only when everything passed (`make build`, `python -m navtiltak.publish`).

Steps:

1. remove a stale build directory, `<warehouse dir>/.build/`;
2. create `.build/nav_tiltak.duckdb` with storage compatibility version v1.4.0, so that
   DuckDB 1.x clients can open it (DuckDB 2.0's default format is unreadable to them, and
   dbt-duckdb's profile `settings:` are SET after the file exists, too late to matter);
   or, in a monthly update (navtiltak/engines/duckdb_incremental.py: the published file
   was built by the same project, and --full is not given), copy the published file
   there and name the months whose reports changed, and a year either side, to dbt,
   which rebuilds only those months of the models that grow by month;
3. `dbt build` into it (NAV_TILTAK_DB_PATH points dbt at it; dbt's output goes straight
   to the terminal), then record the project's fingerprint in it;
4. export every table of schema `marts` to Parquet, one file per mart;
5. build the dashboard (`navtiltak.dashboard`: every figure a metric of the semantic
   layer, queried read-only from the new file) into `.build/dashboard/`;
6. rename the new file over the published one (an atomic `os.replace`), then swap the
   Parquet set and the dashboard in by repointing the symlinks `<warehouse dir>/parquet`
   and `<warehouse dir>/dashboard`.

One build at a time: the run holds a lock on `<warehouse dir>/.build.lock`.
When any model or test fails, or the dashboard cannot be built, nothing is renamed: the
published file, its Parquet set and its dashboard stay exactly as they were, and the
failed build stays in `.build/` for inspection (failing test rows are in its schema
`test_failures`). When dbt failed, the failure summary begins with the printed cells the
report's identities suspect (navtiltak/locate/), kept in the failed build's schema
`diagnostics`; a passing build does no localisation.

The build file has the same name as the published one, in another directory: DuckDB
names the catalog after the file's stem, and view definitions may name the catalog.
Readers connected to the published file keep reading the file they opened (DuckDB
allows one writer or many readers per file; the build never opens the published file).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from navtiltak.dbt_target import (
    DB_PATH_VARIABLE,
    MANIFEST,
    RUN_RESULTS,
    TARGET_VARIABLE,
    database_path,
    dbt_build_command,
)
from navtiltak.engines.base import (
    DEFAULT_WAREHOUSE_DIR,
    BuildRequest,
    warehouse_lock,
    warehouse_lock_file,
)
from navtiltak.engines.duckdb_incremental import (
    MONTHS_VARIABLE,
    Plan,
    plan_build,
    project_fingerprint,
    store_fingerprint,
)
from navtiltak.swap import swap_directory

DEFAULT_WAREHOUSE = DEFAULT_WAREHOUSE_DIR / "nav_tiltak.duckdb"
# The oldest storage format the published file is written in: DuckDB 1.4 and later
# (the `duckdb-cli` 1.5 client, BI drivers on 1.x) can open it.
STORAGE_COMPATIBILITY_VERSION = "v1.4.0"
MARTS_SCHEMA = "marts"
PARQUET_VERSION_PREFIX = ".parquet-"
MAX_FAILED_LISTED = 10
# Lines of dbt's message kept per failed node: an unknown-label error lists up to 20.
MAX_MESSAGE_LINES = 25
DASHBOARD_VERSION_PREFIX = ".dashboard-"
# The report seeds the extractor wrote, relative to the project (the working directory).
REPORT_SEEDS = Path("seeds/report")


@dataclass(frozen=True)
class WarehousePaths:
    """Where one publication reads and writes, all derived from the published file."""

    published: Path

    @property
    def build_dir(self) -> Path:
        return self.published.parent / ".build"

    @property
    def build_file(self) -> Path:
        # Same file name as the published file: same DuckDB catalog name.
        return self.build_dir / self.published.name

    @property
    def build_parquet_dir(self) -> Path:
        return self.build_dir / "parquet"

    @property
    def parquet_link(self) -> Path:
        return self.published.parent / "parquet"

    @property
    def build_dashboard_dir(self) -> Path:
        return self.build_dir / "dashboard"

    @property
    def dashboard_link(self) -> Path:
        return self.published.parent / "dashboard"

    @property
    def lock_file(self) -> Path:
        # Held for the whole run: two builds at once would remove each other's build.
        return warehouse_lock_file(self.published.parent)


class PublishError(Exception):
    """A step after a successful dbt build failed; nothing was published."""


def prepare_build_dir(layout: WarehousePaths) -> None:
    """Remove what a previous (failed or interrupted) build left, start empty."""
    shutil.rmtree(layout.build_dir, ignore_errors=True)
    layout.build_dir.mkdir(parents=True)


def create_database(path: Path, storage_version: str = STORAGE_COMPATIBILITY_VERSION) -> None:
    """Create an empty database file whose storage format DuckDB 1.x clients read.

    The format is fixed when the file is created; every later connection (dbt's)
    keeps writing in it.
    """
    config = {"storage_compatibility_version": storage_version}
    duckdb.connect(str(path), config=config).close()


def run_dbt_build(
    database: Path,
    dbt: str,
    months: str | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> int:
    """`dbt build` into `database`; its output goes to our stdout and stderr.
    `meanwhile` runs while dbt builds; dbt is stopped if it raises (or on Ctrl-C)."""
    # Target dev, DuckDB, whatever NAV_TILTAK_TARGET the environment holds; the months to
    # build only from `months` (a monthly update), never from the environment.
    env = {**os.environ, DB_PATH_VARIABLE: database_path(database), TARGET_VARIABLE: "dev"}
    env.pop(MONTHS_VARIABLE, None)
    if months is not None:
        env[MONTHS_VARIABLE] = months
    process = subprocess.Popen(dbt_build_command(dbt), env=env)
    try:
        if meanwhile is not None:
            meanwhile()
        return process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise


def mart_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    rows = connection.execute(
        "select table_name from duckdb_tables() where schema_name = ? order by table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def export_parquet(database: Path, out_dir: Path) -> list[Path]:
    """Write every mart to `<out_dir>/<mart>.parquet`; checkpoint the database first.

    The checkpoint folds any write-ahead log into the file, so that the file alone (what
    gets renamed) holds the whole build.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with duckdb.connect(str(database)) as connection:
        connection.execute("checkpoint")
        for table in mart_tables(connection):
            target = out_dir / f"{table}.parquet"
            connection.execute(
                f"copy {MARTS_SCHEMA}.{table} to '{target.resolve()}' (format parquet)"
            )
            written.append(target)
    if not written:
        raise PublishError(f"{database} has no tables in schema {MARTS_SCHEMA}")
    if Path(f"{database}.wal").exists():
        raise PublishError(f"{database}.wal is still there after a checkpoint")
    return written


def remove_stale_wal(published: Path) -> None:
    """A write-ahead log beside the published file belongs to the file being replaced.

    Someone opened the published file read-write and did not close it cleanly; DuckDB
    would replay that log onto the new file. The published file is rebuilt from the
    reports, so writes made to it are not kept.
    """
    wal = Path(f"{published}.wal")
    if wal.exists():
        print(f"warning: removing {wal}: writes to the published file are lost", file=sys.stderr)
        wal.unlink()


def swap_parquet(layout: WarehousePaths, build_stamp: str) -> Path:
    """Swap the new Parquet set in (see swap_directory)."""
    return swap_directory(
        layout.build_parquet_dir, layout.parquet_link, PARQUET_VERSION_PREFIX, build_stamp
    )


def swap_dashboard(layout: WarehousePaths, build_stamp: str) -> Path:
    """Swap the new dashboard in (see swap_directory)."""
    return swap_directory(
        layout.build_dashboard_dir, layout.dashboard_link, DASHBOARD_VERSION_PREFIX, build_stamp
    )


def publish(layout: WarehousePaths, build_stamp: str) -> None:
    """Rename the build over the published file, then swap the Parquet set in."""
    remove_stale_wal(layout.published)
    layout.build_file.replace(layout.published)
    swap_parquet(layout, build_stamp)
    swap_dashboard(layout, build_stamp)
    shutil.rmtree(layout.build_dir, ignore_errors=True)


def unchanged_message(layout: WarehousePaths) -> str:
    if layout.published.exists():
        return f"{layout.published} was left unchanged"
    return f"nothing was published ({layout.published} does not exist yet)"


@dataclass(frozen=True)
class FailedNode:
    unique_id: str
    message: str


def failed_nodes(run_results: Path = RUN_RESULTS) -> list[FailedNode]:
    """The models and tests that failed, with dbt's message, from its run results."""
    try:
        results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return []
    return [
        FailedNode(node["unique_id"], str(node.get("message") or "").strip())
        for node in results
        if node.get("status") in ("fail", "error")
    ]


def failed_node_lines(failed: list[FailedNode]) -> list[str]:
    """Each failed node with the first lines of dbt's message (a model's error names
    its cause: an unknown label with its file and line, a failed cast, ...)."""
    lines = [f"{len(failed)} failed dbt node(s):"]
    for node in failed[:MAX_FAILED_LISTED]:
        message = node.message.splitlines()
        lines.append(f"  {node.unique_id}: {message[0] if message else ''}".rstrip(": "))
        lines += [f"    {line.strip()}" for line in message[1:MAX_MESSAGE_LINES] if line.strip()]
        if len(message) > MAX_MESSAGE_LINES:
            lines.append("    ...")
    if len(failed) > MAX_FAILED_LISTED:
        lines.append(f"  ... and {len(failed) - MAX_FAILED_LISTED} more")
    return lines


def report_failure(layout: WarehousePaths) -> None:
    """The failure summary: what explains the failure first (the misprinted cells the
    report's identities suspect, the figures two reports disagree on), then the failed
    nodes with dbt's messages, then where the failed build is."""
    # Imported here: the locator (scipy's solver) is half a second to import, and a
    # passing build never needs it.
    from navtiltak.locate.cross_month import cross_month_lines
    from navtiltak.locate.failed_build import locate_failed_build, locates

    failed = failed_nodes()
    lines = ["", "build failed."]
    if locates((node.unique_id for node in failed), MANIFEST, layout.build_file):
        print(
            "\nbuild failed: searching the failed build for the misprinted cells "
            "(usually 1-5 s) ...",
            file=sys.stderr,
            flush=True,
        )
        started = time.monotonic()
        suspects = locate_failed_build(layout.build_file)
        lines += suspects
        if suspects:
            lines.append(f"(located in {time.monotonic() - started:.1f} s)")
    try:
        with duckdb.connect(str(layout.build_file), read_only=True) as connection:
            lines += cross_month_lines(connection)
    except duckdb.Error as exc:
        lines.append(f"the figures compared across months could not be read: {exc}")
    if failed:
        lines += failed_node_lines(failed)
    lines.append(
        f"{unchanged_message(layout)}. The failed build is in {layout.build_file} for "
        "inspection (failing test rows in its schema test_failures)."
    )
    print("\n".join(lines), file=sys.stderr)


def start_build(layout: WarehousePaths, plan: Plan) -> None:
    """The build file: a copy of the published one for a monthly update, else empty."""
    prepare_build_dir(layout)
    if plan.months is None:
        create_database(layout.build_file)
    else:
        shutil.copyfile(layout.published, layout.build_file)


def dashboard_builder() -> Callable[[Path, Path, Path], Path]:
    """The dashboard's builder. Imported here, not at the top: `make build` imports it
    while dbt builds (MetricFlow takes 0.6 s to import, and the other core is free
    then), not before dbt starts."""
    from navtiltak.dashboard.build import build

    return build


def build_and_publish(
    layout: WarehousePaths, dbt: str, manifest: Path | None = None, *, full: bool = False
) -> int:
    """Build beside the published file and publish; `manifest`: the semantic manifest the
    dashboard reads (default: dbt's, target/semantic_manifest.json)."""
    started = time.monotonic()
    build_stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
    fingerprint = project_fingerprint(Path.cwd())
    plan = plan_build(layout.published, sorted(REPORT_SEEDS.glob("*.csv")), fingerprint, full=full)
    kind = "full build" if plan.months is None else "monthly update"
    print(f"{kind}: {plan.reason}", flush=True)
    start_build(layout, plan)
    dbt_started = time.monotonic()
    returncode = run_dbt_build(
        layout.build_file,
        dbt,
        plan.variable,
        meanwhile=dashboard_builder,
    )
    dbt_seconds = time.monotonic() - dbt_started
    if returncode != 0:
        report_failure(layout)
        return returncode
    try:
        store_fingerprint(layout.build_file, plan.fingerprint)
        exported = export_parquet(layout.build_file, layout.build_parquet_dir)
    except (duckdb.Error, OSError, PublishError) as exc:
        print(f"Parquet export failed ({exc}); {unchanged_message(layout)}", file=sys.stderr)
        return 1
    build_dashboard = dashboard_builder()
    if manifest is None:
        from navtiltak.dashboard.semantic import DEFAULT_MANIFEST

        manifest = DEFAULT_MANIFEST
    try:
        entry = build_dashboard(layout.build_file, layout.build_dashboard_dir, manifest)
    # Whatever stops the dashboard (a metric MetricFlow cannot compile, a query that
    # fails) must stop the publication too: nothing half-built is published.
    except Exception as exc:
        print(f"dashboard build failed ({exc}); {unchanged_message(layout)}", file=sys.stderr)
        return 1
    publish(layout, build_stamp)
    # The phases are printed for the benchmark (tools/navtiltak_tools/bench/) to read.
    total = time.monotonic() - started
    print(
        f"published {layout.published}, {len(exported)} Parquet files in "
        f"{layout.parquet_link}/ and the dashboard {layout.dashboard_link / entry.name} "
        f"({total:.1f} s: dbt build {dbt_seconds:.1f} s, "
        f"Parquet export, dashboard and swap {total - dbt_seconds:.1f} s)"
    )
    return 0


def run(request: BuildRequest) -> int:
    """`make build`: the build, under the warehouse directory's lock."""
    layout = WarehousePaths(request.warehouse or DEFAULT_WAREHOUSE)
    with warehouse_lock(layout.lock_file, unchanged_message(layout)) as locked:
        if not locked:
            return 1
        return build_and_publish(layout, request.dbt, full=request.full)
