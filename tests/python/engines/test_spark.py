"""Spark, a local session: `python -m navtiltak.publish --engine spark` (what `make build
ENGINE=spark` runs after extracting), on November 2013 plus generated months, with a part
of the graph: the seed-loading fixture, the county table's seed, and two marts with
everything they are built from and their tests. The published marts, read from their
Parquet files, must equal DuckDB's row for row; the fixture must read back exactly.

The whole graph is built on Spark by test_spark_cluster.py, on a cluster over Thrift: the
same adapter, the same Spark (pyspark 4.3.0) and the same SQL. This module keeps what
only the local session does (its connection, its in-memory catalog, its publication as
Parquet directories) in a fraction of a whole build's time (CONTRIBUTING.md).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from engine_builds import (
    FIXTURE_ROWS,
    FIXTURE_SEED,
    MARTS_SCHEMA,
    assert_marts_agree,
    comparable_rows,
    duckdb_marts,
    parquet_rows,
    prepare_months,
    shared_duckdb_reference,
)
from warehouse_fixtures import BIN, copy_project, run

# What the local session builds here (with dbt's cautious indirect selection: the tests
# of these nodes alone).
SELECTION = f"+dim_county +dim_measure {FIXTURE_SEED} report_fylke"
PUBLISHED_MARTS = ["dim_county", "dim_measure"]


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


def part_of_the_graph(project: Path) -> Path:
    """A dbt for `--dbt`: publish's `dbt build --selector warehouse`, narrowed to
    SELECTION."""
    script = project / "target" / "dbt-part-of-the-graph"
    script.write_text(
        "#!/bin/sh\n"
        f"exec {shlex.quote(str(BIN / 'dbt'))} build --select {shlex.quote(SELECTION)} "
        "--indirect-selection cautious\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


@pytest.fixture(scope="module")
def spark_build(tmp_path_factory: pytest.TempPathFactory) -> SparkBuild:
    project = copy_project(tmp_path_factory.mktemp("spark") / "project")
    prepare_months(project)
    command = [
        str(BIN / "python"),
        "-m",
        "navtiltak.publish",
        "--engine",
        "spark",
        "--dbt",
        str(part_of_the_graph(project)),
    ]
    published = run(command, project)
    output = published.stdout + published.stderr
    assert published.returncode == 0, output[-4000:]
    return SparkBuild(project, output, shared_duckdb_reference(tmp_path_factory, project))


def test_publishes_parquet_tables_under_warehouse_spark(spark_build: SparkBuild) -> None:
    link = spark_build.project / "warehouse" / "spark"
    assert link.is_symlink()
    tables = sorted(path.name for path in spark_build.published_marts.iterdir())
    assert tables == PUBLISHED_MARTS
    assert all(any((spark_build.published_marts / t).glob("*.parquet")) for t in tables)
    assert f"published {len(tables)} marts as Parquet tables" in spark_build.output


def test_marts_equal_duckdb_row_for_row(spark_build: SparkBuild) -> None:
    everything = duckdb_marts(spark_build.duckdb_database)
    expected = {mart: everything[mart] for mart in PUBLISHED_MARTS}
    actual = {table.name: parquet_rows(table) for table in spark_build.published_marts.iterdir()}
    assert_marts_agree(expected, actual)


def test_contract_constraints_are_asserted_by_tests(spark_build: SparkBuild) -> None:
    """Parquet tables hold no constraints: the contract's test ran on every mart."""
    for mart in PUBLISHED_MARTS:
        assert f"PASS contract_constraints_hold_{mart}_" in spark_build.output


def test_seed_loading_round_trips(spark_build: SparkBuild) -> None:
    _, rows = parquet_rows(spark_build.spark_warehouse / "reference.db" / FIXTURE_SEED)
    assert rows == FIXTURE_ROWS


def test_duckdb_loads_the_fixture_alike(spark_build: SparkBuild) -> None:
    import duckdb

    with duckdb.connect(str(spark_build.duckdb_database), read_only=True) as connection:
        rows = connection.execute(f"select * from reference.{FIXTURE_SEED} order by 1").fetchall()
    assert rows == FIXTURE_ROWS


def test_a_report_seed_loads_as_on_duckdb(spark_build: SparkBuild) -> None:
    import duckdb

    with duckdb.connect(str(spark_build.duckdb_database), read_only=True) as connection:
        result = connection.execute("select * from report.report_fylke")
        expected = ([column[0] for column in result.description], result.fetchall())
    columns, rows = parquet_rows(spark_build.spark_warehouse / "report.db" / "report_fylke")
    assert columns == expected[0]
    assert rows == comparable_rows(expected[1])
    assert len(rows) > 100
