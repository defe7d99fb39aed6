"""What a failed build keeps of its diagnosis (schema diagnostics), on a hand-made
month: a 2 x 2 table with totals and one misprinted cell, written to an in-memory
database and read back with SQL, as an analyst reads it."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from navtiltak.locate.diagnostics import write_tables
from navtiltak.locate.identities import LINEAR_EQUALITY, Identity, LocatedCell, Month, Term
from navtiltak.locate.suspects import Diagnosis, locate_month

MONTH = dt.date(2014, 3, 1)
SOURCE = "deltakere-tiltak-fylke-2014-03.txt"
# rows 0-1 and columns 0-1 are parts, row 2 and column 2 their totals; (1, 0) printed
# 8 where its row and column say 6
PRINTED = [
    [1, 2, 3],
    [8, 4, 10],
    [7, 6, 13],
]
MISPRINT = ("t", 1, 0)

# The tables' columns as analysts query them: name, type, nullable.
SUSPECT_COLUMNS = [
    ("report_month", "DATE", False),
    ("solution_rank", "INTEGER", False),
    ("suspect_rank", "INTEGER", False),
    ("source_file", "VARCHAR", False),
    ("line_number", "INTEGER", False),
    ("column_number", "INTEGER", False),
    ("table_code", "VARCHAR", False),
    ("table_name", "VARCHAR", False),
    ("sub_heading_printed", "VARCHAR", True),
    ("row_label_printed", "VARCHAR", False),
    ("column_label_printed", "VARCHAR", False),
    ("printed_value", "INTEGER", True),
    ("needed_value", "INTEGER", True),
    ("broken_identities", "INTEGER", False),
    ("identities_left_broken", "INTEGER", False),
    ("is_told_apart", "BOOLEAN", False),
    ("is_proven_smallest", "BOOLEAN", False),
]
IDENTITY_COLUMNS = [
    ("report_month", "DATE", False),
    ("solution_rank", "INTEGER", False),
    ("table_code", "VARCHAR", False),
    ("line_number", "INTEGER", False),
    ("column_number", "INTEGER", False),
    ("rule_id", "VARCHAR", False),
    ("scope", "VARCHAR", False),
]


def _month() -> Month:
    cells = {
        ("t", line, column): LocatedCell(
            key=("t", line, column),
            source_file=SOURCE,
            table_name="Table",
            sub_heading=None,
            row_label=f"row {line}",
            column_label=f"col {column}",
            metric_code="participants",
            is_suppressed=False,
            is_blank=False,
        )
        for line in range(3)
        for column in range(3)
    }
    identities = []
    for index in range(3):
        row = [("t", index, column) for column in range(2)]
        column = [("t", line, index) for line in range(2)]
        for name, parts, total in (
            (f"row {index}", row, ("t", index, 2)),
            (f"column {index}", column, ("t", 2, index)),
        ):
            terms = (*(Term(part, 1, "part") for part in parts), Term(total, -1, "total"))
            identities.append(Identity("within_table_test", name, LINEAR_EQUALITY, terms))
    values: dict[tuple[str, int, int], int | None] = {key: PRINTED[key[1]][key[2]] for key in cells}
    return Month(MONTH, cells, identities, values)


@pytest.fixture
def connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(":memory:")


@pytest.fixture
def diagnosis() -> Diagnosis:
    return locate_month(_month())


def _columns(connection: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, bool]]:
    return [
        (name, data_type, nullable)
        for name, data_type, nullable in connection.execute(
            "select column_name, data_type, is_nullable from duckdb_columns() "
            "where schema_name = 'diagnostics' and table_name = ? order by column_index",
            [table],
        ).fetchall()
    ]


def test_the_tables_have_the_columns_analysts_query(
    connection: duckdb.DuckDBPyConnection, diagnosis: Diagnosis
) -> None:
    write_tables(connection, [diagnosis])
    assert _columns(connection, "report_suspects") == SUSPECT_COLUMNS
    assert _columns(connection, "report_suspect_identities") == IDENTITY_COLUMNS


def test_the_misprint_is_kept_with_its_file_line_and_values(
    connection: duckdb.DuckDBPyConnection, diagnosis: Diagnosis
) -> None:
    write_tables(connection, [diagnosis])
    rows = connection.execute(
        "select report_month, solution_rank, suspect_rank, source_file, line_number, "
        "column_number, row_label_printed, column_label_printed, printed_value, "
        "needed_value, broken_identities, identities_left_broken, is_told_apart "
        "from diagnostics.report_suspects"
    ).fetchall()
    assert rows == [(MONTH, 1, 1, SOURCE, 1, 0, "row 1", "col 0", 8, 6, 2, 0, True)]
    identities = connection.execute(
        "select line_number, column_number, rule_id, scope "
        "from diagnostics.report_suspect_identities order by scope"
    ).fetchall()
    assert identities == [
        (1, 0, "within_table_test", "column 0"),
        (1, 0, "within_table_test", "row 1"),
    ]


def test_a_new_diagnosis_replaces_the_last(
    connection: duckdb.DuckDBPyConnection, diagnosis: Diagnosis
) -> None:
    write_tables(connection, [diagnosis])
    write_tables(connection, [])
    for table in ("report_suspects", "report_suspect_identities"):
        (count,) = connection.execute(f"select count(*) from diagnostics.{table}").fetchone()
        assert count == 0, table


def test_a_suspect_is_kept_once_per_solution(
    connection: duckdb.DuckDBPyConnection, diagnosis: Diagnosis
) -> None:
    with pytest.raises(duckdb.ConstraintException):
        write_tables(connection, [diagnosis, diagnosis])
