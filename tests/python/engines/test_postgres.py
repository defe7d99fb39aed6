"""PostgreSQL: `python -m navtiltak.publish --engine postgres` (what `make build
ENGINE=postgres` runs) against a throwaway server.

One sequence, recorded by the module's fixture, then examined test by test:
1. publish November 2013;
2. `make build ENGINE=postgres` with November 2013 plus two generated months, while a
   reader, connected as the read-only role, keeps querying two marts in one statement;
3. build the same months with one report table that does not load: the build fails.
The marts of step 2 must equal, row for row, a DuckDB build of the same seeds.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pytest
from engine_builds import (
    FIXTURE_ROWS,
    FIXTURE_SEED,
    GENERATED_MONTHS,
    MARTS_SCHEMA,
    Rows,
    assert_marts_agree,
    break_one_report_table,
    comparable_rows,
    duckdb_marts,
    prepare_months,
    shared_duckdb_reference,
)

from navtiltak_tools.postgres_server import Role, ThrowawayPostgres
from navtiltak_tools.testing.warehouse_fixtures import child_env, copy_project

BUILD_SCHEMA_PREFIX = "nav_tiltak_build_"
# Two marts read in one statement: the months of a fact and of the month dimension.
# Within one build they always agree; a reader seeing parts of two builds would not.
CONSISTENCY_QUERY = f"""
select
    (select count(distinct month) from {MARTS_SCHEMA}.fct_participants_by_measure),
    (select count(*) from {MARTS_SCHEMA}.dim_month)
"""
# Short, so that a swap that was not atomic would be seen: a reader between two
# commits of a swap done in steps would find one mart missing or from the other build.
READER_PAUSE_SECONDS = 0.005
OTHER_READER_ROLE = "nav_tiltak_bi"


def publish(
    project: Path, server: ThrowawayPostgres, *, with_make: bool = False, **variables: str
) -> subprocess.CompletedProcess[str]:
    """`python -m navtiltak.publish --engine postgres`, or with_make the user's own
    command, `make build ENGINE=postgres` (extraction first), against `server` alone."""
    # No PG* variable of ours reaches the child: it connects to `server` only.
    env = {key: value for key, value in child_env(project).items() if not key.startswith("PG")}
    env.update(server.libpq_environment(server.builder), **variables)
    command = (
        ["make", "--no-print-directory", "build", "ENGINE=postgres"]
        if with_make
        else [sys.executable, "-m", "navtiltak.publish", "--engine", "postgres"]
    )
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def marts_of(server: ThrowawayPostgres, role: Role) -> dict[str, tuple[list[str], Rows]]:
    with psycopg2.connect(server.dsn(role)) as connection, connection.cursor() as cursor:
        cursor.execute(
            "select table_name from information_schema.tables where table_schema = %s order by 1",
            [MARTS_SCHEMA],
        )
        marts: dict[str, tuple[list[str], Rows]] = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f"select * from {MARTS_SCHEMA}.{table}")
            columns = [column.name for column in cursor.description]
            marts[table] = (columns, comparable_rows(cursor.fetchall()))
    return marts


@dataclass
class Reader:
    """Queries the marts as the read-only role until stopped; records what it saw."""

    server: ThrowawayPostgres
    seen: list[tuple[int, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        connection = psycopg2.connect(self.server.dsn(self.server.reader))
        connection.autocommit = True
        try:
            while not self.stop.is_set():
                try:
                    with connection.cursor() as cursor:
                        cursor.execute(CONSISTENCY_QUERY)
                        self.seen.append(cursor.fetchone())
                except psycopg2.Error as exc:
                    self.errors.append(str(exc))
                time.sleep(READER_PAUSE_SECONDS)
        finally:
            connection.close()


@dataclass(frozen=True)
class Sequence:
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]
    failed: subprocess.CompletedProcess[str]
    reader: Reader
    marts_after_second: dict[str, tuple[list[str], Rows]]
    marts_after_failed: dict[str, tuple[list[str], Rows]]
    duckdb_database: Path


@pytest.fixture(scope="module")
def sequence(tmp_path_factory: pytest.TempPathFactory, server: ThrowawayPostgres) -> Sequence:
    project = copy_project(tmp_path_factory.mktemp("postgres") / "project")
    first = publish(project, server)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    prepare_months(project)
    reader = Reader(server)
    thread = threading.Thread(target=reader.run, daemon=True)
    thread.start()
    try:
        second = publish(project, server, with_make=True)
    finally:
        # A few more reads after the swap, then stop.
        time.sleep(0.5)
        reader.stop.set()
        thread.join(timeout=30)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    marts_after_second = marts_of(server, server.reader)
    duckdb_database = shared_duckdb_reference(tmp_path_factory, project)
    break_one_report_table(project)
    # Also a reader role of another name, which does not exist yet.
    failed = publish(project, server, NAV_TILTAK_READER_ROLE=OTHER_READER_ROLE)
    return Sequence(
        first=first,
        second=second,
        failed=failed,
        reader=reader,
        marts_after_second=marts_after_second,
        marts_after_failed=marts_of(server, server.reader),
        duckdb_database=duckdb_database,
    )


def test_publish_reports_the_swap(sequence: Sequence) -> None:
    for run in (sequence.first, sequence.second):
        assert "published schema marts of database nav_tiltak" in run.stdout


def test_marts_equal_duckdb_row_for_row(sequence: Sequence) -> None:
    expected = duckdb_marts(sequence.duckdb_database)
    assert {"fct_report_cells", "fct_reconciliation_checks", "dim_county"} <= set(expected)
    assert_marts_agree(expected, sequence.marts_after_second)


def test_reader_never_sees_half_a_build(sequence: Sequence) -> None:
    months_before, months_after = 1, 1 + len(GENERATED_MONTHS)
    assert sequence.reader.errors == []
    assert set(sequence.reader.seen) <= {
        (months_before, months_before),
        (months_after, months_after),
    }
    # It read during the build and after the swap: both publications were seen.
    assert (months_before, months_before) in sequence.reader.seen
    assert (months_after, months_after) in sequence.reader.seen


def test_a_failed_build_leaves_the_published_marts(sequence: Sequence) -> None:
    assert sequence.failed.returncode != 0
    assert "build failed. Schema marts of database nav_tiltak was left unchanged" in (
        sequence.failed.stderr
    )
    assert sequence.marts_after_failed == sequence.marts_after_second


def test_reader_role_reads_marts_and_nothing_else(
    sequence: Sequence, server: ThrowawayPostgres
) -> None:
    connection = psycopg2.connect(server.dsn(server.reader))
    connection.autocommit = True
    attempts = {
        "read another schema": f"select count(*) from {BUILD_SCHEMA_PREFIX}marts.dim_month",
        "insert into a mart": f"insert into {MARTS_SCHEMA}.dim_month select * from "
        f"{MARTS_SCHEMA}.dim_month",
        "delete from a mart": f"delete from {MARTS_SCHEMA}.dim_month",
        "create a table in marts": f"create table {MARTS_SCHEMA}.scratch (x integer)",
        "create a table in public": "create table public.scratch (x integer)",
        "drop a mart": f"drop table {MARTS_SCHEMA}.dim_month",
    }
    with connection.cursor() as cursor:
        cursor.execute(f"select count(*) from {MARTS_SCHEMA}.fct_report_cells")
        assert cursor.fetchone()[0] > 0
        # Read-only by default; lifting that must not let it write either: the grants
        # alone refuse.
        cursor.execute("set session characteristics as transaction read write")
        refused = []
        for name, statement in attempts.items():
            try:
                cursor.execute(statement)
            except psycopg2.Error as exc:
                refused.append(name)
                assert exc.pgcode == "42501", f"{name}: {exc}"  # insufficient_privilege
    connection.close()
    assert refused == list(attempts)


def test_seed_loading_round_trips(sequence: Sequence, server: ThrowawayPostgres) -> None:
    with (
        psycopg2.connect(server.dsn(server.builder)) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(f"select * from {BUILD_SCHEMA_PREFIX}reference.{FIXTURE_SEED} order by 1")
        assert comparable_rows(cursor.fetchall()) == FIXTURE_ROWS


def test_a_missing_reader_role_is_created_without_login(
    sequence: Sequence, server: ThrowawayPostgres
) -> None:
    assert f"created role {OTHER_READER_ROLE} without login" in sequence.failed.stderr
    with (
        psycopg2.connect(server.dsn(server.builder)) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "select rolcanlogin, rolconfig from pg_roles where rolname = %s", [OTHER_READER_ROLE]
        )
        assert cursor.fetchone() == (False, ["default_transaction_read_only=on"])
