"""Build the warehouse beside the published file; publish it only when everything passed.

    python -m navtiltak.publish                      # -> warehouse/nav_tiltak.duckdb
    python -m navtiltak.publish --warehouse PATH     # publish somewhere else
    python -m navtiltak.publish --engine postgres    # schema marts on a server
    python -m navtiltak.publish --engine spark       # Parquet tables, warehouse/spark/
    python -m navtiltak.publish --engine spark_cluster  # schema marts over Thrift

This docstring describes DuckDB, the default engine; PostgreSQL and Spark publish as
navtiltak/engines/postgres.py, spark.py and spark_cluster.py describe.

Steps (`make build` runs the extractor first, then this):

1. remove a stale build directory, `<warehouse dir>/.build/`;
2. create `.build/nav_tiltak.duckdb` with storage compatibility version v1.4.0, so that
   DuckDB 1.x clients can open it (DuckDB 2.0's default format is unreadable to them, and
   dbt-duckdb's profile `settings:` are SET after the file exists, too late to matter);
3. `dbt build` into it (NAV_TILTAK_DB_PATH points dbt at it; dbt's output goes straight
   to the terminal);
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

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from navtiltak.dashboard.__main__ import build as build_dashboard
from navtiltak.dashboard.semantic import DEFAULT_MANIFEST
from navtiltak.dbt_target import DB_PATH_VARIABLE, RUN_RESULTS, TARGET_VARIABLE, database_path

DEFAULT_WAREHOUSE = Path("warehouse/nav_tiltak.duckdb")
# The oldest storage format the published file is written in: DuckDB 1.4 and later
# (the `duckdb-cli` 1.5 client, BI drivers on 1.x) can open it.
STORAGE_COMPATIBILITY_VERSION = "v1.4.0"
MARTS_SCHEMA = "marts"
PARQUET_VERSION_PREFIX = ".parquet-"
MAX_FAILED_LISTED = 10
# What `make build` builds: the default selector of selectors.yml.
BUILD_SELECTOR = "warehouse"
# The default first; `make build ENGINE=...` passes one of them.
ENGINES = ("duckdb", "postgres", "spark", "spark_cluster")
DASHBOARD_VERSION_PREFIX = ".dashboard-"


@dataclass(frozen=True)
class Layout:
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
        return self.published.parent / ".build.lock"


class PublishError(Exception):
    """A step after a successful dbt build failed; nothing was published."""


def prepare_build_dir(layout: Layout) -> None:
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


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's venv), else the one on PATH."""
    sibling = Path(sys.executable).parent / "dbt"
    return str(sibling) if sibling.exists() else "dbt"


def run_dbt_build(database: Path, dbt: str) -> int:
    """`dbt build` into `database`; its output goes to our stdout and stderr.

    The identity terms (a view only the locator reads) are left out: a passing build has
    no use for them, and a failing one skips them anyway, because they lie downstream of
    the failed rules; the locator creates them in the failed build when it needs them.
    `make test` builds them with everything else, so their test still runs there."""
    # Target dev, DuckDB, whatever NAV_TILTAK_TARGET the environment holds.
    env = {**os.environ, DB_PATH_VARIABLE: database_path(database), TARGET_VARIABLE: "dev"}
    return subprocess.run(dbt_build_command(dbt), env=env, check=False).returncode


def dbt_build_command(dbt: str, *arguments: str) -> list[str]:
    """`make build`'s dbt build on every engine: the selector of selectors.yml that a
    bare `dbt build` also uses, all but the identity terms (on PostgreSQL their
    uniqueness test alone grows to minutes by 13 months, on DuckDB it needs more than
    the memory limit at 121 months, for a view that only the DuckDB locator reads)."""
    return [dbt, "build", "--selector", BUILD_SELECTOR, *arguments]


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


def swap_parquet(layout: Layout, build_stamp: str) -> Path:
    """Swap the new Parquet set in (see swap_directory)."""
    return swap_directory(
        layout.build_parquet_dir, layout.parquet_link, PARQUET_VERSION_PREFIX, build_stamp
    )


def swap_dashboard(layout: Layout, build_stamp: str) -> Path:
    """Swap the new dashboard in (see swap_directory)."""
    return swap_directory(
        layout.build_dashboard_dir, layout.dashboard_link, DASHBOARD_VERSION_PREFIX, build_stamp
    )


def swap_directory(built: Path, link: Path, prefix: str, build_stamp: str) -> Path:
    """Move a built directory beside the old one and repoint the symlink `link` to it.

    The symlink is replaced atomically: a reader listing `link/` sees the whole old
    set or the whole new set. The previous set is kept, for readers still inside it;
    older ones are removed.
    """
    version = link.parent / f"{prefix}{build_stamp}"
    built.rename(version)
    previous = link.resolve() if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        # A plain directory from before the symlink scheme: keep it as a version.
        legacy = link.with_name(f"{prefix}legacy")
        shutil.rmtree(legacy, ignore_errors=True)
        link.rename(legacy)
        previous = legacy.resolve()
    temporary = link.with_name(f".{link.name}.new-link")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(version.name, target_is_directory=True)
    temporary.replace(link)
    keep = {version.resolve()} if previous is None else {version.resolve(), previous}
    prune_versions(link.parent, prefix, keep)
    return version


def prune_versions(directory: Path, prefix: str, keep: set[Path]) -> None:
    for candidate in directory.glob(f"{prefix}*"):
        if candidate.is_dir() and candidate.resolve() not in keep:
            shutil.rmtree(candidate, ignore_errors=True)


def publish(layout: Layout, build_stamp: str) -> None:
    """Rename the build over the published file, then swap the Parquet set in."""
    remove_stale_wal(layout.published)
    layout.build_file.replace(layout.published)
    swap_parquet(layout, build_stamp)
    swap_dashboard(layout, build_stamp)
    shutil.rmtree(layout.build_dir, ignore_errors=True)


def unchanged_message(layout: Layout) -> str:
    if layout.published.exists():
        return f"{layout.published} was left unchanged"
    return f"nothing was published ({layout.published} does not exist yet)"


def failed_nodes(run_results: Path = RUN_RESULTS) -> list[str]:
    """The models and tests that failed, from dbt's run results."""
    try:
        results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return []
    return [node["unique_id"] for node in results if node.get("status") in ("fail", "error")]


def report_failure(layout: Layout, dbt: str) -> None:
    """The failure summary: the suspected misprints first (the cells a person must
    look at), then the failed tests, then where the failed build is."""
    # Imported here: the locator (scipy's solver) is half a second to import, and a
    # passing build never needs it.
    from navtiltak.locate.failed_build import locate_failed_build

    failed = failed_nodes()
    started = time.monotonic()
    suspects = locate_failed_build(layout.build_file, dbt)
    lines = ["", "build failed.", *suspects]
    if suspects:
        lines.append(f"(located in {time.monotonic() - started:.1f} s)")
    if failed:
        lines.append(f"{len(failed)} failed dbt node(s):")
        lines += [f"  {node}" for node in failed[:MAX_FAILED_LISTED]]
        if len(failed) > MAX_FAILED_LISTED:
            lines.append(f"  ... and {len(failed) - MAX_FAILED_LISTED} more")
    lines.append(
        f"{unchanged_message(layout)}. The failed build is in {layout.build_file} for "
        "inspection (failing test rows in its schema test_failures)."
    )
    print("\n".join(lines), file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m navtiltak.publish",
        description=(
            "dbt build into a separate file; publish it (atomic rename) and its Parquet "
            "exports only when every model and test passed."
        ),
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=DEFAULT_WAREHOUSE,
        help=f"the published database file (default: {DEFAULT_WAREHOUSE})",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=ENGINES[0],
        help="where to build and publish (default: duckdb, the file)",
    )
    parser.add_argument(
        "--dbt", default=None, help="the dbt executable (default: the one beside this Python)"
    )
    return parser


def build_and_publish(layout: Layout, dbt: str, manifest: Path = DEFAULT_MANIFEST) -> int:
    started = time.monotonic()
    build_stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
    prepare_build_dir(layout)
    create_database(layout.build_file)
    dbt_started = time.monotonic()
    returncode = run_dbt_build(layout.build_file, dbt)
    dbt_seconds = time.monotonic() - dbt_started
    if returncode != 0:
        report_failure(layout, dbt)
        return returncode
    try:
        exported = export_parquet(layout.build_file, layout.build_parquet_dir)
    except (duckdb.Error, OSError, PublishError) as exc:
        print(f"Parquet export failed ({exc}); {unchanged_message(layout)}", file=sys.stderr)
        return 1
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    dbt = args.dbt or dbt_executable()
    if args.engine == "postgres":
        from navtiltak.engines import postgres

        # The server serialises builds itself (an advisory lock) and holds no file here.
        return postgres.build_and_publish(dbt)
    if args.engine == "spark_cluster":
        from navtiltak.engines import spark_cluster

        # The cluster serialises builds itself (a lock database) and holds no file here.
        return spark_cluster.build_and_publish(dbt)
    layout = Layout(args.warehouse)
    layout.published.parent.mkdir(parents=True, exist_ok=True)
    with layout.lock_file.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"another build is running (it holds {layout.lock_file}); "
                f"{unchanged_message(layout)}",
                file=sys.stderr,
            )
            return 1
        if args.engine == "spark":
            from navtiltak.engines import spark

            return spark.build_and_publish(layout.published.parent, dbt)
        return build_and_publish(layout, dbt)


if __name__ == "__main__":
    sys.exit(main())
