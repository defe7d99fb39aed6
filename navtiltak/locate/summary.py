"""What a person reads, and what is kept in the failed build.

Lines in the project's file-and-line form, the top suspect first:

    reports/<file>:<line>: <table> / <sub-heading> / <row>, column <column>: printed 2,
    the report's identities say 3 (7 identities broken, all explained)

Tables in schema `diagnostics` of the failed build: `report_suspects` (one row per
suspect of every smallest change set) and `report_suspect_identities` (the broken
identities each suspect takes part in, keyed like the reconciliation ledger).
"""

from __future__ import annotations

import duckdb

from navtiltak.locate.suspects import Diagnosis, Suspect
from navtiltak.report_month import month_key

SCHEMA = "diagnostics"
SUSPECTS_TABLE = f"{SCHEMA}.report_suspects"
IDENTITIES_TABLE = f"{SCHEMA}.report_suspect_identities"


def format_value(value: int | None, blank: bool) -> str:
    """A number as the report prints it (a space between thousands); `blank` for none,
    and for a zero where `blank` is set (the report prints no zero count)."""
    if value is None or (blank and value == 0):
        return "blank"
    grouped = f"{abs(value):,}".replace(",", " ")
    return f"-{grouped}" if value < 0 else grouped


def suspect_line(suspect: Suspect, left_broken: int) -> str:
    cell = suspect.cell
    explained = "all explained" if left_broken == 0 else f"{left_broken} left unexplained"
    count = len(suspect.explains)
    return (
        f"{cell.location}: {cell.label}: printed {format_value(suspect.printed, cell.is_blank)}, "
        f"the report's identities say {format_value(suspect.needed, cell.is_count)} "
        f"({count} identit{'y' if count == 1 else 'ies'} broken, {explained})"
    )


def summary_lines(diagnoses: list[Diagnosis]) -> list[str]:
    """Every month's top suspects first, then what cannot be told apart."""
    failing = [diagnosis for diagnosis in diagnoses if diagnosis.broken]
    lines: list[str] = []
    for diagnosis in failing:
        top = diagnosis.top
        if top is None:
            lines.append(
                f"{month_key(diagnosis.report_month)}: {len(diagnosis.broken)} identities broken; "
                "no set of printed cells makes them all hold"
            )
            continue
        lines += [suspect_line(suspect, top.left_broken) for suspect in top.suspects]
    for diagnosis in failing:
        top = diagnosis.top
        if top is None:
            continue
        for suspect in top.suspects:
            alternatives = diagnosis.alternatives_to(suspect.cell.key)
            if alternatives:
                lines.append(
                    f"  the identities cannot tell {suspect.cell.location} "
                    f"(column {suspect.cell.column_label}) apart from:"
                )
                lines += [
                    "    " + suspect_line(alternative, top.left_broken)
                    for alternative in alternatives
                ]
        if not diagnosis.proven_smallest:
            lines.append(
                f"  {month_key(diagnosis.report_month)}: the search stopped before proving "
                "these the fewest cells"
            )
    return lines


def write_tables(connection: duckdb.DuckDBPyConnection, diagnoses: list[Diagnosis]) -> None:
    """Replace the diagnostics tables with these diagnoses (a month that reconciles
    has no rows)."""
    connection.execute(f"create schema if not exists {SCHEMA}")
    connection.execute(
        f"""
        create or replace table {SUSPECTS_TABLE} (
            report_month date not null,
            solution_rank integer not null,
            suspect_rank integer not null,
            source_file varchar not null,
            line_number integer not null,
            column_number integer not null,
            table_code varchar not null,
            table_name varchar not null,
            sub_heading_printed varchar,
            row_label_printed varchar not null,
            column_label_printed varchar not null,
            printed_value integer,
            needed_value integer,
            broken_identities integer not null,
            identities_left_broken integer not null,
            is_told_apart boolean not null,
            is_proven_smallest boolean not null,
            primary key (report_month, solution_rank, table_code, line_number, column_number)
        )
        """
    )
    connection.execute(
        f"""
        create or replace table {IDENTITIES_TABLE} (
            report_month date not null,
            solution_rank integer not null,
            table_code varchar not null,
            line_number integer not null,
            column_number integer not null,
            rule_id varchar not null,
            scope varchar not null
        )
        """
    )
    suspects, identities = [], []
    for diagnosis in diagnoses:
        for solution in diagnosis.solutions:
            for suspect_rank, suspect in enumerate(solution.suspects, start=1):
                cell = suspect.cell
                told_apart = (
                    not diagnosis.alternatives_to(cell.key) if solution.rank == 1 else False
                )
                suspects.append(
                    (
                        diagnosis.report_month, solution.rank, suspect_rank, cell.source_file,
                        cell.line_number, cell.column_number, cell.table_code, cell.table_name,
                        cell.sub_heading, cell.row_label, cell.column_label, suspect.printed,
                        suspect.needed, len(suspect.explains), solution.left_broken,
                        told_apart, diagnosis.proven_smallest,
                    )
                )  # fmt: skip
                identities += [
                    (
                        diagnosis.report_month,
                        solution.rank,
                        cell.table_code,
                        cell.line_number,
                        cell.column_number,
                        identity.rule_id,
                        identity.scope,
                    )
                    for identity in suspect.explains
                ]
    if suspects:
        connection.executemany(
            f"insert into {SUSPECTS_TABLE} values ({', '.join(['?'] * 17)})", suspects
        )
    if identities:
        connection.executemany(
            f"insert into {IDENTITIES_TABLE} values ({', '.join(['?'] * 7)})", identities
        )
