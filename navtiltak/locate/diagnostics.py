"""What a failed build keeps of its diagnosis: schema `diagnostics`.

`report_suspects` has one row per suspect of every smallest change set,
`report_suspect_identities` the broken identities each suspect takes part in, keyed
like the reconciliation ledger. Each table is defined once, by its row class: the
columns, their types and whether they may be null are the fields', so the table and
the rows written to it cannot disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Iterator, Sequence
from typing import Any

import duckdb

from navtiltak.locate.suspects import Diagnosis

SCHEMA = "diagnostics"

_SQL_TYPES: dict[type, str] = {
    dt.date: "date",
    bool: "boolean",
    int: "integer",
    str: "varchar",
}


@dataclasses.dataclass(frozen=True)
class SuspectRow:
    """A suspect of one smallest change set: a printed cell and the value it needs."""

    report_month: dt.date
    solution_rank: int
    suspect_rank: int
    source_file: str
    line_number: int
    column_number: int
    table_code: str
    table_name: str
    sub_heading_printed: str | None
    row_label_printed: str
    column_label_printed: str
    printed_value: int | None
    needed_value: int | None
    broken_identities: int
    identities_left_broken: int
    is_told_apart: bool
    is_proven_smallest: bool


@dataclasses.dataclass(frozen=True)
class SuspectIdentityRow:
    """A broken identity a suspect takes part in."""

    report_month: dt.date
    solution_rank: int
    table_code: str
    line_number: int
    column_number: int
    rule_id: str
    scope: str


@dataclasses.dataclass(frozen=True)
class DiagnosticsTable:
    name: str
    row: type
    primary_key: tuple[str, ...] = ()

    @property
    def relation(self) -> str:
        return f"{SCHEMA}.{self.name}"

    def columns(self) -> Iterator[tuple[str, str, bool]]:
        """Each column's name, SQL type and whether it may be null, from the row's fields."""
        hints = typing.get_type_hints(self.row)
        for field in dataclasses.fields(self.row):
            hint = hints[field.name]
            members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
            (python_type,) = [member for member in members if member is not type(None)]
            yield field.name, _SQL_TYPES[python_type], type(None) in members

    def create_statement(self) -> str:
        lines = [
            f"{name} {sql_type}{'' if nullable else ' not null'}"
            for name, sql_type, nullable in self.columns()
        ]
        if self.primary_key:
            lines.append(f"primary key ({', '.join(self.primary_key)})")
        return f"create or replace table {self.relation} (\n    " + ",\n    ".join(lines) + "\n)"

    def insert(self, connection: duckdb.DuckDBPyConnection, rows: Sequence[Any]) -> None:
        if not rows:
            return
        width = len(dataclasses.fields(self.row))
        connection.executemany(
            f"insert into {self.relation} values ({', '.join(['?'] * width)})",
            [dataclasses.astuple(row) for row in rows],
        )


SUSPECTS = DiagnosticsTable(
    "report_suspects",
    SuspectRow,
    primary_key=("report_month", "solution_rank", "table_code", "line_number", "column_number"),
)
SUSPECT_IDENTITIES = DiagnosticsTable("report_suspect_identities", SuspectIdentityRow)
TABLES = (SUSPECTS, SUSPECT_IDENTITIES)


def diagnosis_rows(
    diagnoses: Sequence[Diagnosis],
) -> tuple[list[SuspectRow], list[SuspectIdentityRow]]:
    """The rows of both tables for these diagnoses."""
    suspects: list[SuspectRow] = []
    identities: list[SuspectIdentityRow] = []
    for diagnosis in diagnoses:
        for solution in diagnosis.solutions:
            for suspect_rank, suspect in enumerate(solution.suspects, start=1):
                cell = suspect.cell
                # the key both tables share: the month, the solution and the cell
                key: dict[str, Any] = {
                    "report_month": diagnosis.report_month,
                    "solution_rank": solution.rank,
                    "table_code": cell.table_code,
                    "line_number": cell.line_number,
                    "column_number": cell.column_number,
                }
                told_apart = (
                    not diagnosis.alternatives_to(cell.key) if solution.rank == 1 else False
                )
                suspects.append(
                    SuspectRow(
                        **key,
                        suspect_rank=suspect_rank,
                        source_file=cell.source_file,
                        table_name=cell.table_name,
                        sub_heading_printed=cell.sub_heading,
                        row_label_printed=cell.row_label,
                        column_label_printed=cell.column_label,
                        printed_value=suspect.printed,
                        needed_value=suspect.needed,
                        broken_identities=len(suspect.explains),
                        identities_left_broken=solution.left_broken,
                        is_told_apart=told_apart,
                        is_proven_smallest=diagnosis.proven_smallest,
                    )
                )
                identities += [
                    SuspectIdentityRow(**key, rule_id=identity.rule_id, scope=identity.scope)
                    for identity in suspect.explains
                ]
    return suspects, identities


def write_tables(connection: duckdb.DuckDBPyConnection, diagnoses: Sequence[Diagnosis]) -> None:
    """Replace the diagnostics tables with these diagnoses (a month that reconciles
    has no rows)."""
    connection.execute(f"create schema if not exists {SCHEMA}")
    for table in TABLES:
        connection.execute(table.create_statement())
    suspects, identities = diagnosis_rows(diagnoses)
    SUSPECTS.insert(connection, suspects)
    SUSPECT_IDENTITIES.insert(connection, identities)
