"""A month's printed cells and the identities over them, read from a built database.

The identities are the rows of `intermediate.int_report_identity_terms` (one per
identity and cell), the cells those of `intermediate.int_report_cells_located`. Values
are kept apart from the structure (`Month.values`), so that a caller can check other
values against the same identities (the fault-injection tests do).

The cross-month rule adds up cells of two reports. A month whose identities reach the
report twelve months earlier holds that report's cells too, keyed with the earlier
month in their table code (`OTHER_MONTH`), and that report's own identities, which
keep its counts from being taken for the misprint where they hold.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import duckdb

from navtiltak.percent import percent_change

# (table_code, line_number, column_number): a printed cell within its month.
CellKey = tuple[str, int, int]

LINEAR_EQUALITY = "linear_equality"
LINEAR_AT_LEAST = "linear_at_least"
PERCENT_FORMULA = "percent_formula"
# table_code@YYYY-MM: a cell of another month's report in a month's keys
OTHER_MONTH = "@"


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
        return self.key[0].partition(OTHER_MONTH)[0]

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
{month_filter}
"""

TERMS_QUERY = """
select
    report_month, rule_id, scope, identity_form, term_role, coefficient,
    cell_month, table_code, line_number, column_number
from intermediate.int_report_identity_terms
{month_filter}
order by report_month, rule_id, scope, cell_month, table_code, line_number, column_number
"""

MONTH_FILTER = "where {column} in (select unnest(?))"

TermRow = tuple[dt.date, str, str, str, str, int, dt.date, str, int, int]


def _month_key(month: dt.date, table: str) -> str:
    return f"{table}{OTHER_MONTH}{month:%Y-%m}"


def _terms(connection: duckdb.DuckDBPyConnection, only: Sequence[object] | None) -> list[TermRow]:
    if only is None:
        return connection.execute(TERMS_QUERY.format(month_filter="")).fetchall()
    month_filter = MONTH_FILTER.format(column="report_month")
    return connection.execute(
        TERMS_QUERY.format(month_filter=month_filter), [list(only)]
    ).fetchall()


def load_months(
    connection: duckdb.DuckDBPyConnection, only: Sequence[object] | None = None
) -> list[Month]:
    """The months of the database (or those in `only`), with their cells, printed
    values and identities; a month whose cross-month identities reach an earlier
    report, with that report's cells and identities too."""
    terms = _terms(connection, only)
    reached = sorted({row[6] for row in terms if row[6] != row[0]})
    if only is not None and reached:
        terms += _terms(connection, [month for month in reached if month not in set(only)])
    loaded: dict[dt.date, Month] = {}
    cells_query, parameters = CELLS_QUERY.format(month_filter=""), []
    if only is not None:
        cells_query = CELLS_QUERY.format(
            month_filter=MONTH_FILTER.format(column="cells.report_month")
        )
        parameters = [sorted({*only, *reached})]
    for row in connection.execute(cells_query, parameters).fetchall():
        (month, table, line, column, source, table_name, sub_heading, row_label) = row[:8]
        (column_label, metric, suppressed, blank, value) = row[8:]
        key: CellKey = (table, line, column)
        entry = loaded.setdefault(month, Month(month, {}, []))
        entry.cells[key] = LocatedCell(
            key, source, table_name, sub_heading, row_label, column_label, metric,
            bool(suppressed), bool(blank),
        )  # fmt: skip
        entry.values[key] = None if suppressed else value
    # a cell of another month's report: (that month, its key in that month)
    foreign: dict[CellKey, tuple[dt.date, CellKey]] = {}
    grouped: dict[tuple[dt.date, str, str, str], list[Term]] = defaultdict(list)
    for month, rule, scope, form, role, coefficient, cell_month, table, line, column in terms:
        key = (table, line, column)
        if cell_month != month:
            key = (_month_key(cell_month, table), line, column)
            foreign[key] = (cell_month, (table, line, column))
        grouped[(month, rule, scope, form)].append(Term(key, coefficient, role))
    own: dict[dt.date, list[Identity]] = defaultdict(list)
    for (month, rule, scope, form), month_terms in grouped.items():
        own[month].append(Identity(rule, scope, form, tuple(month_terms)))
    wanted = sorted(loaded) if only is None else sorted(set(only) & set(loaded))
    months = []
    for month in wanted:
        home = loaded[month]
        entry = Month(month, dict(home.cells), list(own[month]), dict(home.values))
        earlier_months = set()
        for identity in own[month]:
            for term in identity.terms:
                if term.cell in foreign:
                    other, key = foreign[term.cell]
                    _adopt(entry, loaded[other], key)
                    earlier_months.add(other)
        for earlier in sorted(earlier_months):
            # its own within-month identities (not those reaching a third report)
            entry.identities += [
                _in_month(entry, loaded[earlier], identity)
                for identity in own[earlier]
                if not any(term.cell in foreign for term in identity.terms)
            ]
        months.append(entry)
    return months


def _adopt(entry: Month, source: Month, key: CellKey) -> CellKey:
    """`key` of `source`'s report, as a cell of `entry`."""
    moved: CellKey = (_month_key(source.report_month, key[0]), key[1], key[2])
    entry.cells[moved] = replace(source.cells[key], key=moved)
    entry.values[moved] = source.values[key]
    return moved


def _in_month(entry: Month, source: Month, identity: Identity) -> Identity:
    """One of `source`'s own identities, over its cells as cells of `entry`."""
    terms = tuple(
        Term(_adopt(entry, source, term.cell), term.coefficient, term.role)
        for term in identity.terms
    )
    scope = f"{source.report_month:%Y-%m}: {identity.scope}"
    return Identity(identity.rule_id, scope, identity.form, terms)
