"""A month's printed cells and the identities over them, read from a built database.

The identities are the rows of `intermediate.int_report_identity_terms` (one per
identity and cell), the cells those of `intermediate.int_report_cells_located`. Values
are kept apart from the structure (`Month.values`), so that a caller can check other
values against the same identities (the fault-injection tests do).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb

from navtiltak.locate.percent import percent_change

# (table_code, line_number, column_number): a printed cell within its month.
CellKey = tuple[str, int, int]

LINEAR_EQUALITY = "linear_equality"
LINEAR_AT_LEAST = "linear_at_least"
PERCENT_FORMULA = "percent_formula"


@dataclass(frozen=True)
class LocatedCell:
    key: CellKey
    source_file: str
    table_name: str
    sub_heading: str | None
    row_label: str
    column_label: str
    metric_code: str
    is_suppressed: bool
    is_blank: bool

    @property
    def table_code(self) -> str:
        return self.key[0]

    @property
    def line_number(self) -> int:
        return self.key[1]

    @property
    def column_number(self) -> int:
        return self.key[2]

    @property
    def is_count(self) -> bool:
        return self.metric_code == "participants"

    @property
    def location(self) -> str:
        return f"reports/{self.source_file}:{self.line_number}"

    @property
    def label(self) -> str:
        parts = [self.table_name, self.sub_heading, self.row_label]
        return " / ".join(part for part in parts if part) + f", column {self.column_label}"


@dataclass(frozen=True)
class Term:
    cell: CellKey
    coefficient: int
    role: str


@dataclass(frozen=True)
class Identity:
    rule_id: str
    scope: str
    form: str
    terms: tuple[Term, ...]

    def cell_of(self, role: str) -> CellKey | None:
        return next((term.cell for term in self.terms if term.role == role), None)


@dataclass
class Month:
    report_month: dt.date
    cells: dict[CellKey, LocatedCell]
    identities: list[Identity]
    # the printed values; None for a suppressed cell (and a blank percent)
    values: dict[CellKey, int | None] = field(default_factory=dict)


Values = Mapping[CellKey, int | None]


def linear_sum(identity: Identity, values: Values) -> tuple[int, list[Term]]:
    """Sum of coefficient x value over the known cells, and the unknown terms."""
    total, unknown = 0, []
    for term in identity.terms:
        value = values.get(term.cell)
        if value is None:
            unknown.append(term)
        else:
            total += term.coefficient * value
    return total, unknown


def holds(identity: Identity, values: Values, cells: Mapping[CellKey, LocatedCell]) -> bool:
    """Whether the identity can hold, suppressed cells taking any value they may.

    A suppressed count is some number >= 0, a suppressed change any number: the
    rule models' "known parts <= total" for counts, and not checkable for changes.
    """
    if identity.form == PERCENT_FORMULA:
        return _percent_holds(identity, values, cells)
    known, unknown = linear_sum(identity, values)
    if any(not cells[term.cell].is_count for term in unknown):
        return True
    can_add = any(term.coefficient > 0 for term in unknown)
    can_subtract = any(term.coefficient < 0 for term in unknown)
    if identity.form == LINEAR_AT_LEAST:
        return known >= 0 or can_add
    return known == 0 or (known < 0 and can_add) or (known > 0 and can_subtract)


def _percent_holds(
    identity: Identity, values: Values, cells: Mapping[CellKey, LocatedCell]
) -> bool:
    checkable, expected = expected_percent(identity, values, cells)
    percent_cell = identity.cell_of("percent")
    return not checkable or (percent_cell is not None and values.get(percent_cell) == expected)


def expected_percent(
    identity: Identity, values: Values, cells: Mapping[CellKey, LocatedCell]
) -> tuple[bool, int | None]:
    """Whether the rule can be checked (none of its cells suppressed), and the
    percent the formula gives for the identity's count and change."""
    count_cell, change_cell = identity.cell_of("participants"), identity.cell_of("change")
    percent_cell = identity.cell_of("percent")
    if count_cell is None or change_cell is None or percent_cell is None:
        return False, None
    if any(cells[key].is_suppressed for key in (count_cell, change_cell, percent_cell)):
        return False, None
    count, change = values.get(count_cell), values.get(change_cell)
    if count is None or change is None:
        return False, None
    return True, percent_change(change, count - change)


CELLS_QUERY = """
select
    cells.report_month,
    cells.table_code,
    cells.line_number,
    cells.column_number,
    cells.source_file,
    coalesce(tables.table_name, cells.table_code),
    cells.sub_heading_printed,
    cells.row_label_printed,
    cells.column_label_printed,
    cells.metric_code,
    cells.is_suppressed,
    cells.cell_status = 'blank',
    cells.cell_value
from intermediate.int_report_cells_located as cells
left join staging.stg_reference__report_tables as tables
    on cells.table_code = tables.table_code
"""

TERMS_QUERY = """
select
    report_month, rule_id, scope, identity_form, term_role, coefficient,
    table_code, line_number, column_number
from intermediate.int_report_identity_terms
{month_filter}
order by report_month, rule_id, scope, table_code, line_number, column_number
"""


def load_months(
    connection: duckdb.DuckDBPyConnection, only: Sequence[object] | None = None
) -> list[Month]:
    """The months of the database (or those in `only`), with their cells, printed
    values and identities."""
    months: dict[dt.date, Month] = {}
    month_filter, parameters = "", []
    if only is not None:
        month_filter = "where report_month in (select unnest(?))"
        parameters = [list(only)]
    cells_query = CELLS_QUERY + month_filter.replace("report_month", "cells.report_month")
    for row in connection.execute(cells_query, parameters).fetchall():
        (month, table, line, column, source, table_name, sub_heading, row_label) = row[:8]
        (column_label, metric, suppressed, blank, value) = row[8:]
        entry = months.setdefault(month, Month(month, {}, []))
        key: CellKey = (table, line, column)
        entry.cells[key] = LocatedCell(
            key, source, table_name, sub_heading, row_label, column_label, metric,
            bool(suppressed), bool(blank),
        )  # fmt: skip
        entry.values[key] = None if suppressed else value
    grouped: dict[tuple[dt.date, str, str, str], list[Term]] = defaultdict(list)
    terms_query = TERMS_QUERY.format(month_filter=month_filter)
    for month, rule, scope, form, role, coefficient, table, line, column in connection.execute(
        terms_query, parameters
    ).fetchall():
        grouped[(month, rule, scope, form)].append(Term((table, line, column), coefficient, role))
    for (month, rule, scope, form), terms in grouped.items():
        months[month].identities.append(Identity(rule, scope, form, tuple(terms)))
    return [months[month] for month in sorted(months)]
