"""Does a table add up to its printed totals? The extractor's guard against a cut file.

A report cut short loses its end. Every table but the last is followed by another,
and a table that is missing is caught by the completeness check; only the last table
can lose rows (or the last cells of its last row) unnoticed. So the extractor checks
that the last table adds up: its rows to its total row (measures to their group's
sub-total, sub-totals to the total), and every row's columns to its "I alt" column.
The full reconciliation of every table is the dbt project's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from navtiltak.extract.cells import PRINTED, SUPPRESSED, ParsedCell
from navtiltak.extract.errors import ReportError
from navtiltak.extract.labels import fold
from navtiltak.extract.layout import TOTAL_LABEL, is_total_label
from navtiltak.extract.pages import Row

if TYPE_CHECKING:
    from navtiltak.extract.tables import ReportTable


def _sum_matches(total: ParsedCell, parts: Sequence[ParsedCell]) -> tuple[bool, int, int]:
    """(consistent, printed total, sum of the parts); blank is 0. A suppressed cell
    makes the sum uncheckable here (the dbt project checks its bounds)."""
    printed = total.value or 0
    known = sum(cell.value or 0 for cell in parts if cell.status == PRINTED)
    if total.status == SUPPRESSED or any(cell.status == SUPPRESSED for cell in parts):
        return True, printed, known
    return known == printed, printed, known


def _check_column_sums(
    path: Path,
    table: ReportTable,
    total: Row,
    parts: list[Row],
    what: str,
    non_additive: frozenset[str],
) -> None:
    for position, label in enumerate(table.header):
        if fold(label) in non_additive:
            continue
        ok, printed, known = _sum_matches(
            total.cells[position], [row.cells[position] for row in parts]
        )
        if not ok:
            raise ReportError(
                path,
                total.line,
                f"table {table.spec.name!r} does not add up: column {label!r} of "
                f"{total.label!r} is {printed}, {what} sum to {known} (truncated?)",
            )


def _check_row_sums(path: Path, table: ReportTable, row: Row, non_additive: frozenset[str]) -> None:
    totals = [i for i, label in enumerate(table.header) if fold(label) == fold(TOTAL_LABEL)]
    if not totals:
        return
    parts = [
        cell
        for i, cell in enumerate(row.cells)
        if i not in totals and fold(table.header[i]) not in non_additive
    ]
    ok, printed, known = _sum_matches(row.cells[totals[0]], parts)
    if not ok:
        raise ReportError(
            path,
            row.line,
            f"row {row.label!r} of table {table.spec.name!r} does not add up: its "
            f"{TOTAL_LABEL!r} is {printed}, its columns sum to {known} (truncated?)",
        )


def check_adds_up(path: Path, table: ReportTable, non_additive: frozenset[str]) -> None:
    """Raise ReportError where the table's printed totals differ from its parts; the
    columns named in ``non_additive`` (folded) are not summed."""
    rows = [printed.row for printed in table.rows]
    total, body = rows[0], rows[1:]
    for row in rows:
        _check_row_sums(path, table, row, non_additive)
    if not table.spec.has_subtotal_rows:
        _check_column_sums(path, table, total, body, "its rows", non_additive)
        return
    sub_totals: list[Row] = []
    details: list[Row] = []
    for row in body:
        if is_total_label(row.label):
            _check_column_sums(path, table, row, details, "the measures above it", non_additive)
            sub_totals.append(row)
            details = []
        else:
            details.append(row)
    _check_column_sums(path, table, total, sub_totals, "its group sub-totals", non_additive)
