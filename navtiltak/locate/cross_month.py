"""Failures of the rule that spans two reports, told the way a misprint is.

Rule `last_year_matches_earlier_report` compares last year's count that one report
implies (its count minus its change) with the count the report twelve months earlier
prints. The identity terms carry the rule over both reports' cells, so the locator
names a misprint it catches when few figures fail (`is_misprint`); these lines name
both reports' files and lines, the printed numbers and the rule in words, for every
failure, and alone for two reports that disagree everywhere.

    reports/<later file>:<line>: <table> / <row>: Antall 5 900 minus Endring fra i fjor
    Antall 199 gives 5 701 for 2013-11, but reports/<earlier file>:<line>: <table> /
    <row>, column Antall prints 5 402 (difference 299)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from navtiltak.locate.summary import format_value
from navtiltak.report_month import month_key

RULE_ID = "last_year_matches_earlier_report"
COMPARED_MODEL = "int_report_months_compared"
COMPARED_RELATION = f"intermediate.{COMPARED_MODEL}"
TERMS_RELATION = "intermediate.int_report_cross_month_terms"
# One misprinted figure breaks the comparison of itself and of the printed sums over it
# that print it too: at most one figure for each of its ancestors' combinations in the
# four hierarchies (county 2 levels, participant group 2, age band 2, measure 3).
MAX_FIGURES_OF_A_MISPRINT = 2 * 2 * 2 * 3
# The most specific figures first: a misprint in one county's column shows in its sums
# too (the county's all-groups figure, the group's national figure, the total).
MAX_FIGURES_LISTED = 10

_FAILED_FIGURES = f"""
    select
        report_month, earlier_month, comparison_level, area_code, participant_group_code,
        age_band_code, measure_node, expected, observed
    from {COMPARED_RELATION}
    where status = 'fail'
    order by
        report_month,
        (case when participant_group_code = 'total' then 1 else 0 end)
        + (case when age_band_code = 'total' then 1 else 0 end)
        + (case when measure_node = 'total' then 1 else 0 end),
        area_code, participant_group_code, age_band_code, measure_node
"""

# The cells of a failing identity (int_report_cross_month_terms, where the rule's
# terms are defined) in the roles asked for, with the file, line and labels each was
# printed with.
_PRINTED_CELLS = f"""
    select
        located.source_file,
        located.line_number,
        tables.table_name,
        located.sub_heading_printed,
        located.row_label_printed,
        located.column_label_printed,
        located.metric_code,
        located.cell_value
    from {TERMS_RELATION} as terms
    inner join intermediate.int_report_cells_located as located
        on
            terms.cell_month = located.report_month
            and terms.table_code = located.table_code
            and terms.line_number = located.line_number
            and terms.column_number = located.column_number
    inner join staging.stg_reference__report_tables as tables
        on located.table_code = tables.table_code
    where
        terms.report_month = ?
        and terms.comparison_level = ?
        and terms.area_code = ?
        and terms.participant_group_code = ?
        and terms.age_band_code = ?
        and terms.measure_node = ?
        and terms.term_role in ({{roles}})
    order by located.line_number, located.column_number
"""


@dataclass(frozen=True)
class PrintedCell:
    source_file: str
    line_number: int
    table_name: str
    sub_heading: str | None
    row_label: str
    column_label: str
    metric_code: str
    value: int | None

    @property
    def location(self) -> str:
        return f"reports/{self.source_file}:{self.line_number}"

    @property
    def row(self) -> str:
        parts = [self.table_name, self.sub_heading, self.row_label]
        return " / ".join(part for part in parts if part)


@dataclass(frozen=True)
class FailedFigure:
    """One figure whose last-year count disagrees with the earlier report."""

    report_month: dt.date
    earlier_month: dt.date
    comparison_level: str  # county, or region across a county reform
    area_code: str
    derived: int  # last year's count as the later report implies it
    printed: int  # the count the earlier report prints
    later_cells: tuple[PrintedCell, ...]  # the counts and changes it is derived from
    earlier_cells: tuple[PrintedCell, ...]  # the counts it is compared with


def _cells(
    connection: duckdb.DuckDBPyConnection,
    month: dt.date,
    figure: Sequence[object],
    roles: Sequence[str],
) -> tuple[PrintedCell, ...]:
    """The cells of the identity of ``figure`` in ``month`` whose term is in ``roles``."""
    level, area, group, age, measure = figure
    placeholders = ", ".join("?" for _ in roles)
    rows = connection.execute(
        _PRINTED_CELLS.format(roles=placeholders),
        [month, level, area, group, age, measure, *roles],
    ).fetchall()
    return tuple(PrintedCell(*row) for row in rows)


def failed_figures(
    connection: duckdb.DuckDBPyConnection, limit: int = MAX_FIGURES_LISTED
) -> tuple[list[FailedFigure], int]:
    """The first ``limit`` failing figures, most specific first, and how many fail."""
    rows = connection.execute(_FAILED_FIGURES).fetchall()
    figures = []
    for month, earlier, level, area, group, age, measure, expected, observed in rows[:limit]:
        coordinates = (level, area, group, age, measure)
        figures.append(
            FailedFigure(
                report_month=month,
                earlier_month=earlier,
                comparison_level=level,
                area_code=area,
                derived=observed,
                printed=expected,
                later_cells=_cells(connection, month, coordinates, ("participants", "change")),
                earlier_cells=_cells(connection, month, coordinates, ("earlier_participants",)),
            )
        )
    return figures, len(rows)


def _where(cells: Sequence[PrintedCell]) -> str:
    """``reports/f.txt:40`` for one cell, ``reports/f.txt:37,38,41`` for several."""
    if not cells:
        return "(not printed)"
    lines: dict[str, dict[int, None]] = {}
    for cell in cells:
        lines.setdefault(cell.source_file, {})[cell.line_number] = None
    return "; ".join(
        f"reports/{name}:" + ",".join(map(str, numbers)) for name, numbers in lines.items()
    )


def _number(cell: PrintedCell) -> str:
    return format_value(cell.value, cell.metric_code == "participants")


def _derived_from(cells: Sequence[PrintedCell]) -> str:
    """``Fylke / Østfold: Antall 5 900, Endring fra i fjor Antall 199``, a row at a time."""
    by_row: dict[tuple[str, int], list[PrintedCell]] = {}
    for cell in cells:
        by_row.setdefault((cell.row, cell.line_number), []).append(cell)
    return "; ".join(
        f"{row}: " + ", ".join(f"{cell.column_label} {_number(cell)}" for cell in row_cells)
        for (row, _), row_cells in by_row.items()
    )


def _compared_with(cells: Sequence[PrintedCell], total: int) -> str:
    """``(Fylke / Østfold, column Antall) prints 5 402``; several cells as their sum."""
    if len(cells) == 1:
        (cell,) = cells
        return f"({cell.row}, column {cell.column_label}) prints {_number(cell)}"
    parts = " + ".join(f"{cell.row} {_number(cell)}" for cell in cells)
    return f"({parts}) print {format_value(total, False)} together"


def figure_line(figure: FailedFigure) -> str:
    region = (
        f" for region {figure.area_code} (across a county reform, each report's counties summed)"
        if figure.comparison_level == "region"
        else ""
    )
    earlier = month_key(figure.earlier_month)
    return (
        f"{_where(figure.later_cells)}: {_derived_from(figure.later_cells)}: count minus "
        f"change gives {format_value(figure.derived, False)} as {earlier}'s "
        f"count{region}, but {_where(figure.earlier_cells)} "
        f"{_compared_with(figure.earlier_cells, figure.printed)} "
        f"(difference {format_value(figure.derived - figure.printed, False)})"
    )


def rule_description(connection: duckdb.DuckDBPyConnection) -> str:
    found = connection.execute(
        "select rule_description from reference.reconciliation_rules where rule_id = ?",
        [RULE_ID],
    ).fetchone()
    return str(found[0]) if found else RULE_ID


def has_failures(connection: duckdb.DuckDBPyConnection) -> bool:
    """Whether the rule's model was built and holds a failing figure."""
    built = connection.execute(
        "select count(*) from duckdb_tables() "
        "where schema_name = 'intermediate' and table_name = 'int_report_months_compared'"
    ).fetchone()
    if not built or not built[0]:
        return False
    failing = connection.execute(
        f"select count(*) from {COMPARED_RELATION} where status = 'fail'"
    ).fetchone()
    return bool(failing and failing[0])


def is_misprint(connection: duckdb.DuckDBPyConnection) -> bool:
    """Whether the rule fails in some month at no more figures than one misprint
    breaks: the locator can search for it (navtiltak/locate/failed_build.py)."""
    if not has_failures(connection):
        return False
    found = connection.execute(
        f"""
        select min(failing) from (
            select count(*) as failing from {COMPARED_RELATION}
            where status = 'fail' group by report_month
        )
        """
    ).fetchone()
    return bool(found and found[0] is not None and found[0] <= MAX_FIGURES_OF_A_MISPRINT)


def cross_month_lines(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The summary lines of the rule's failures; none when it holds."""
    if not has_failures(connection):
        return []
    figures, count = failed_figures(connection)
    pairs = sorted({(f.report_month, f.earlier_month) for f in figures})
    months = ", ".join(
        f"{month_key(later)} against {month_key(earlier)}" for later, earlier in pairs
    )
    lines = [
        f"{count} figure(s) of last year disagree with the report twelve months earlier "
        f"({months}); rule {RULE_ID}: {rule_description(connection)}:",
        *(f"  {figure_line(figure)}" for figure in figures),
    ]
    if count > len(figures):
        lines.append(
            f"  ... and {count - len(figures)} more: {COMPARED_RELATION} where status = 'fail'"
        )
    return lines
