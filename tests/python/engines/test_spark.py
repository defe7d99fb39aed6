"""Spark's local session: `make build ENGINE=spark` (navtiltak/engines/spark.py), one JVM
inside the dbt process, its tables Parquet files published under warehouse/spark/.

The whole graph is built on Spark by test_spark_cluster.py, over a cluster, with the
same Spark, the same dbt-spark and the same SQL: its marts equal DuckDB's there. Here
the local session's own parts are tested at a fraction of that cost: its connection,
seed loading, Parquet tables and publication, on a build narrowed to two marts and all
they are built from (NARROWED: make build's selector swapped for it by a stand-in for
the dbt executable, which the engine is given as make build gives it the real one); and
a failed build, which must leave the published tables as they were.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from engine_builds import (
    FIXTURE_ROWS,
    FIXTURE_SEED,
    MARTS_SCHEMA,
    Rows,
    assert_marts_agree,
    duckdb_marts,
    parquet_rows,
    prepare_months,
    shared_duckdb_reference,
)

from navtiltak.dbt_target import BUILD_SELECTOR, dbt_build_command
from navtiltak_tools.testing.warehouse_fixtures import BIN, copy_project, run

NARROWED_MARTS = ("dim_age_band", "dim_measure")
NARROWED = " ".join([*(f"+{mart}" for mart in NARROWED_MARTS), FIXTURE_SEED])
# make build's dbt arguments, as the engine passes them to the executable it is given.
BUILD_ARGUMENTS = " ".join(dbt_build_command("dbt")[1:])
PUBLISH = (
    "import sys; from pathlib import Path; from navtiltak.engines import spark;"
    " sys.exit(spark.build_and_publish(Path('warehouse'), sys.argv[1]))"
)


def stand_in_dbt(path: Path, body: str) -> Path:
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def narrowed_dbt(path: Path) -> Path:
    """The project's dbt, with make build's selector narrowed to NARROWED; refuses any
    other command, so that a change to the engine's command is noticed here."""
    return stand_in_dbt(
        path,
        f'[ "$*" = "{BUILD_ARGUMENTS}" ] || {{ echo "unexpected dbt $*" >&2; exit 97; }}\n'
        f"exec {BIN / 'dbt'} build --indirect-selection cautious --select {NARROWED}",
    )


Tables = dict[str, tuple[list[str], Rows]]


@dataclass(frozen=True)
class SparkBuild:
    project: Path
    output: str
    fixture_rows: Rows
    published: Tables
    failed_returncode: int
    failed_output: str
    published_after_failure: Tables
    duckdb_database: Path

    @property
    def published_marts(self) -> Path:
        return self.project / "warehouse" / "spark" / MARTS_SCHEMA

    @property
    def spark_warehouse(self) -> Path:
        return self.project / "warehouse" / ".build-spark" / "spark-warehouse"


def publish(project: Path, dbt: Path) -> tuple[int, str]:
    result = run([str(BIN / "python"), "-c", PUBLISH, str(dbt)], project)
    return result.returncode, result.stdout + result.stderr


def published_tables(marts: Path) -> Tables:
    return {table.name: parquet_rows(table) for table in marts.iterdir()}


@pytest.fixture(scope="module")
def spark_build(tmp_path_factory: pytest.TempPathFactory) -> SparkBuild:
    project = copy_project(tmp_path_factory.mktemp("spark") / "project")
    prepare_months(project)
    code, output = publish(project, narrowed_dbt(project / "target" / "dbt-narrowed"))
    assert code == 0, output[-4000:]
    marts = project / "warehouse" / "spark" / MARTS_SCHEMA
    published = published_tables(marts)
    seeds = project / "warehouse" / ".build-spark" / "spark-warehouse" / "reference.db"
    _, fixture_rows = parquet_rows(seeds / FIXTURE_SEED)
    # A build that fails replaces the last one's build directory, never what it published.
    failing = stand_in_dbt(project / "target" / "dbt-failing", "echo 'a model failed'; exit 1")
    failed_code, failed_output = publish(project, failing)
    return SparkBuild(
        project=project,
        output=output,
        fixture_rows=fixture_rows,
        published=published,
        failed_returncode=failed_code,
        failed_output=failed_output,
        published_after_failure=published_tables(marts),
        duckdb_database=shared_duckdb_reference(tmp_path_factory, project),
    )


def test_the_stand_in_runs_make_builds_command() -> None:
    """The narrowed build replaces exactly the command the engine runs."""
    assert f"build --selector {BUILD_SELECTOR}" == BUILD_ARGUMENTS


def test_publishes_parquet_tables_under_warehouse_spark(spark_build: SparkBuild) -> None:
    link = spark_build.project / "warehouse" / "spark"
    assert link.is_symlink()
    tables = sorted(path.name for path in spark_build.published_marts.iterdir())
    assert tables == sorted(NARROWED_MARTS)
    assert all(any((spark_build.published_marts / t).glob("*.parquet")) for t in tables)
    assert f"published {len(tables)} marts as Parquet tables" in spark_build.output


def test_marts_equal_duckdb_row_for_row(spark_build: SparkBuild) -> None:
    expected = {
        name: rows
        for name, rows in duckdb_marts(spark_build.duckdb_database).items()
        if name in NARROWED_MARTS
    }
    actual = {table.name: parquet_rows(table) for table in spark_build.published_marts.iterdir()}
    assert_marts_agree(expected, actual)


def test_contract_constraints_are_asserted_by_tests(spark_build: SparkBuild) -> None:
    """Parquet tables hold no constraints: the contract's test ran on every mart."""
    marts = {path.name for path in spark_build.published_marts.iterdir()}
    for mart in marts:
        assert f"PASS contract_constraints_hold_{mart}_" in spark_build.output


def test_seed_loading_round_trips(spark_build: SparkBuild) -> None:
    assert spark_build.fixture_rows == FIXTURE_ROWS


def test_duckdb_loads_the_fixture_alike(spark_build: SparkBuild) -> None:
    import duckdb

    with duckdb.connect(str(spark_build.duckdb_database), read_only=True) as connection:
        rows = connection.execute(f"select * from reference.{FIXTURE_SEED} order by 1").fetchall()
    assert rows == FIXTURE_ROWS


def test_a_failed_build_leaves_the_published_tables(spark_build: SparkBuild) -> None:
    assert spark_build.failed_returncode == 1
    assert "build failed." in spark_build.failed_output
    assert "warehouse/spark was left unchanged" in spark_build.failed_output
    assert spark_build.published_after_failure == spark_build.published
