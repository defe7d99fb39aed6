"""Spark: `python -m navtiltak.publish --engine spark` (what `make build ENGINE=spark`
runs), a local session, on November 2013 plus generated months. Every published mart,
read from its Parquet files, must equal a DuckDB build of the same seeds row for row;
the seed-loading fixture must read back exactly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from engine_builds import (
    FIXTURE_ROWS,
    FIXTURE_SEED,
    MARTS_SCHEMA,
    assert_marts_agree,
    duckdb_marts,
    parquet_rows,
    prepare_months,
    shared_duckdb_reference,
)

from navtiltak_tools.testing.warehouse_fixtures import copy_project, run


@dataclass(frozen=True)
class SparkBuild:
    project: Path
    output: str
    duckdb_database: Path

    @property
    def published_marts(self) -> Path:
        return self.project / "warehouse" / "spark" / MARTS_SCHEMA

    @property
    def spark_warehouse(self) -> Path:
        return self.project / "warehouse" / ".build-spark" / "spark-warehouse"


@pytest.fixture(scope="module")
def spark_build(tmp_path_factory: pytest.TempPathFactory) -> SparkBuild:
    project = copy_project(tmp_path_factory.mktemp("spark") / "project")
    prepare_months(project)
    published = run(["make", "--no-print-directory", "build", "ENGINE=spark"], project)
    output = published.stdout + published.stderr
    assert published.returncode == 0, output[-4000:]
    return SparkBuild(project, output, shared_duckdb_reference(tmp_path_factory, project))


def test_publishes_parquet_tables_under_warehouse_spark(spark_build: SparkBuild) -> None:
    link = spark_build.project / "warehouse" / "spark"
    assert link.is_symlink()
    tables = sorted(path.name for path in spark_build.published_marts.iterdir())
    assert "fct_report_cells" in tables
    assert all(any((spark_build.published_marts / t).glob("*.parquet")) for t in tables)
    assert f"published {len(tables)} marts as Parquet tables" in spark_build.output


def test_marts_equal_duckdb_row_for_row(spark_build: SparkBuild) -> None:
    expected = duckdb_marts(spark_build.duckdb_database)
    actual = {table.name: parquet_rows(table) for table in spark_build.published_marts.iterdir()}
    assert_marts_agree(expected, actual)


def test_contract_constraints_are_asserted_by_tests(spark_build: SparkBuild) -> None:
    """Parquet tables hold no constraints: the contract's test ran on every mart."""
    marts = {path.name for path in spark_build.published_marts.iterdir()}
    for mart in marts:
        assert f"PASS contract_constraints_hold_{mart}_" in spark_build.output


def test_seed_loading_round_trips(spark_build: SparkBuild) -> None:
    _, rows = parquet_rows(spark_build.spark_warehouse / "reference.db" / FIXTURE_SEED)
    assert rows == FIXTURE_ROWS


def test_duckdb_loads_the_fixture_alike(spark_build: SparkBuild) -> None:
    import duckdb

    with duckdb.connect(str(spark_build.duckdb_database), read_only=True) as connection:
        rows = connection.execute(f"select * from reference.{FIXTURE_SEED} order by 1").fetchall()
    assert rows == FIXTURE_ROWS
