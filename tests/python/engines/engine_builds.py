"""Shared by the engine tests: the months every engine builds, a seed that tests loading,
and every mart read from each engine as comparable rows.

The months: the November 2013 report plus two generated months a year apart, across the
2020 county reform (the cross-month rule compares them region by region, some regions
not_checkable where municipalities moved), so that every rule family has rows. Both with
one generator seed: a month's "last year" column is the generated month before.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from navtiltak_tools.generate import write_reports
from navtiltak_tools.testing.project_paths import REAL_REPORT
from navtiltak_tools.testing.warehouse_fixtures import (
    BIN,
    extract,
    once_per_run,
    run,
    run_directory,
)

GENERATED_MONTHS = {"2019-11": 7, "2020-11": 7}
MARTS_SCHEMA = "marts"

# A seed whose values dbt's Spark loader used to get wrong: an apostrophe, a backslash,
# empty cells, a leading zero, Norwegian letters. Loaded by each engine's seed loading
# and read back as these Python values.
FIXTURE_SEED = "seed_loading_fixture"
FIXTURE_CSV = (
    "fixture_key,text_value,code,number,day\n"
    '1,"Øvrige områder: Ærlig, Å",03,7,2013-11-01\n'
    "2,O'Brien's \\ backslash,,-1,\n"
    "3,,007,,2024-01-01\n"
)
FIXTURE_PROPERTIES = f"""version: 2
seeds:
  - name: {FIXTURE_SEED}
    description: Seed loading round trip (engine tests only).
    config:
      column_types:
        fixture_key: integer
        text_value: varchar
        code: varchar
        number: integer
        day: date
"""
FIXTURE_ROWS = [
    (1, "Øvrige områder: Ærlig, Å", "03", 7, dt.date(2013, 11, 1)),
    (2, "O'Brien's \\ backslash", None, -1, None),
    (3, None, "007", None, dt.date(2024, 1, 1)),
]

Rows = list[tuple[Any, ...]]


def prepare_months(project: Path) -> None:
    """Reports: November 2013 and the generated months; seeds extracted; the loading
    fixture added to the reference seeds."""
    reports = project / "reports"
    shutil.rmtree(reports)
    reports.mkdir()
    shutil.copy2(REAL_REPORT, reports / REAL_REPORT.name)
    for month, seed in GENERATED_MONTHS.items():
        write_reports([month], reports, seed=seed)
    extracted = extract(project)
    assert extracted.returncode == 0, extracted.stderr
    reference = project / "seeds" / "reference"
    (reference / f"{FIXTURE_SEED}.csv").write_text(FIXTURE_CSV, encoding="utf-8")
    (reference / f"_{FIXTURE_SEED}.yml").write_text(FIXTURE_PROPERTIES, encoding="utf-8")


def without_libpq_variables() -> dict[str, str]:
    """The environment less every PG* variable: a test reaches its own server only,
    never one the environment names."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PG")}


def duckdb_build(project: Path) -> Path:
    """The copy's seeds and models built into a DuckDB file of its own: the reference.
    Its tests are left out: `make dbt-test` and the warehouse tests test DuckDB."""
    # Named as the published file: DuckDB names the catalog after the file, and a
    # catalog named like a schema (`reference`) makes references ambiguous.
    database = project / "target" / "duckdb-reference" / "nav_tiltak.duckdb"
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    built = run(
        [
            str(BIN / "dbt"),
            "build",
            "--exclude",
            "resource_type:test",
            "resource_type:unit_test",
        ],
        project,
        env={"NAV_TILTAK_DB_PATH": str(database), "NAV_TILTAK_TARGET": "dev"},
    )
    assert built.returncode == 0, built.stdout[-3000:]
    return database


def shared_duckdb_reference(factory: pytest.TempPathFactory, project: Path) -> Path:
    """The DuckDB reference of the months every engine module builds (prepare_months:
    the same reports and seeds in each), built once per test run: the first module to
    need it builds it from its copy, the others wait for it and read the same file."""
    shared = run_directory(factory) / "engines-reference"
    database = shared / "nav_tiltak.duckdb"

    def copy_reference() -> None:
        partial = shared / "nav_tiltak.duckdb.partial"
        shutil.copy2(duckdb_build(project), partial)
        partial.replace(database)

    return once_per_run(database, copy_reference)


def comparable(value: Any) -> Any:
    """One value as every engine's client can agree on: whole decimals as int."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value


def sort_key(row: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, repr(value)) for value in row)


def comparable_rows(rows: list[tuple[Any, ...]]) -> Rows:
    return sorted((tuple(comparable(value) for value in row) for row in rows), key=sort_key)


def duckdb_marts(database: Path) -> dict[str, tuple[list[str], Rows]]:
    """Every mart of a DuckDB warehouse: column names and sorted rows."""
    marts: dict[str, tuple[list[str], Rows]] = {}
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from duckdb_tables() where schema_name = ? order by 1",
            [MARTS_SCHEMA],
        ).fetchall()
        for (table,) in tables:
            result = connection.execute(f"select * from {MARTS_SCHEMA}.{table}")
            columns = [column[0] for column in result.description]
            marts[table] = (columns, comparable_rows(result.fetchall()))
    return marts


def parquet_rows(table_dir: Path) -> tuple[list[str], Rows]:
    """A Parquet table directory (Spark's part files), read with DuckDB."""
    with duckdb.connect() as connection:
        result = connection.execute(f"select * from read_parquet('{table_dir}/*.parquet')")
        columns = [column[0] for column in result.description]
        return columns, comparable_rows(result.fetchall())


def assert_marts_agree(
    expected: dict[str, tuple[list[str], Rows]], actual: dict[str, tuple[list[str], Rows]]
) -> None:
    """Same marts, same columns in the same order, the same rows exactly."""
    assert sorted(actual) == sorted(expected)
    for table, (columns, rows) in expected.items():
        actual_columns, actual_rows = actual[table]
        assert actual_columns == columns, table
        assert len(actual_rows) == len(rows), table
        differing = [pair for pair in zip(rows, actual_rows, strict=True) if pair[0] != pair[1]]
        assert not differing, f"{table}: {len(differing)} rows differ, e.g. {differing[:3]}"


def break_one_report_table(project: Path) -> None:
    """A printed number that is not a number in the county table: that seed does not
    load, everything built from it is skipped, and the build fails (quickly: most of the
    graph is skipped; publishing treats every failure alike)."""
    seed = project / "seeds" / "report" / "report_fylke.csv"
    header, first, *rest = seed.read_text(encoding="utf-8").splitlines()
    values = first.split(",")
    values[header.split(",").index("cell_value")] = "x"
    seed.write_text("\n".join([header, ",".join(values), *rest]) + "\n", encoding="utf-8")
