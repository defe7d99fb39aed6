"""The locator on hand-made months: small tables whose identities are written out here,
so that the expected suspect follows from the table, not from the code under test."""

from __future__ import annotations

import datetime as dt

from navtiltak.locate.identities import (
    LINEAR_EQUALITY,
    PERCENT_FORMULA,
    CellKey,
    Identity,
    LocatedCell,
    Month,
    Term,
)
from navtiltak.locate.percent import percent_change
from navtiltak.locate.summary import suspect_line
from navtiltak.locate.suspects import locate_month

MONTH = dt.date(2013, 11, 1)


def _cell(
    table: str, line: int, column: int, metric: str = "participants", **flags: bool
) -> LocatedCell:
    return LocatedCell(
        key=(table, line, column),
        source_file="deltakere-tiltak-fylke-2013-11.txt",
        table_name=table.title(),
        sub_heading=None,
        row_label=f"row {line}",
        column_label=f"col {column}",
        metric_code=metric,
        is_suppressed=flags.get("suppressed", False),
        is_blank=flags.get("blank", False),
    )


def _sum(name: str, parts: list[CellKey], total: CellKey) -> Identity:
    terms = (*(Term(part, 1, "part") for part in parts), Term(total, -1, "total"))
    return Identity("within_table_test", name, LINEAR_EQUALITY, terms)


def _grid(table: str, values: list[list[int]]) -> tuple[dict[CellKey, int], list[Identity]]:
    """A table of rows x columns of counts with a total row (last) and a total column
    (last): every row and column sums to its total."""
    rows, columns = len(values), len(values[0])
    cells = {
        (table, line, column): values[line][column]
        for line in range(rows)
        for column in range(columns)
    }
    identities = []
    for line in range(rows):
        parts = [(table, line, column) for column in range(columns - 1)]
        identities.append(_sum(f"{table} row {line}", parts, (table, line, columns - 1)))
    for column in range(columns):
        parts = [(table, line, column) for line in range(rows - 1)]
        identities.append(_sum(f"{table} column {column}", parts, (table, rows - 1, column)))
    return cells, identities


def _month(
    values: dict[CellKey, int | None], identities: list[Identity], **cells: LocatedCell
) -> Month:
    built = {key: _cell(*key) for key in values}
    built.update({cell.key: cell for cell in cells.values()})
    return Month(MONTH, built, identities, dict(values))


# 3 x 3 counts plus totals: rows sum to the last column, columns to the last row.
GRID = [
    [5, 7, 2, 14],
    [3, 0, 4, 7],
    [1, 9, 6, 16],
    [9, 16, 12, 37],
]


def test_a_reconciling_month_has_no_suspects() -> None:
    values, identities = _grid("t", GRID)
    diagnosis = locate_month(_month(values, identities))
    assert diagnosis.broken == ()
    assert diagnosis.solutions == ()


def test_one_changed_detail_cell_is_named_with_its_value() -> None:
    values, identities = _grid("t", GRID)
    values[("t", 1, 2)] = 5  # printed 5 where the table says 4
    diagnosis = locate_month(_month(values, identities))
    assert len(diagnosis.broken) == 2  # its row and its column
    top = diagnosis.top
    assert top is not None and len(top.suspects) == 1
    suspect = top.suspects[0]
    assert suspect.cell.key == ("t", 1, 2)
    assert (suspect.printed, suspect.needed) == (5, 4)
    assert top.left_broken == 0
    assert diagnosis.alternatives_to(suspect.cell.key) == []


def test_a_changed_total_and_a_blank_turned_into_one() -> None:
    values, identities = _grid("t", GRID)
    values[("t", 3, 3)] = 40  # the grand total
    values[("t", 1, 1)] = 1  # a blank (0) printed as 1
    month = _month(values, identities, blank=_cell("t", 1, 1, blank=True))
    top = locate_month(month).top
    assert top is not None
    assert {suspect.cell.key: suspect.needed for suspect in top.suspects} == {
        ("t", 3, 3): 37,
        ("t", 1, 1): 0,
    }
    blank = next(suspect for suspect in top.suspects if suspect.cell.key == ("t", 1, 1))
    assert "printed 1, the report's identities say blank (2 identities" in suspect_line(blank, 0)


def test_two_misprints_in_different_tables_are_both_named() -> None:
    first, first_identities = _grid("a", GRID)
    second, second_identities = _grid("b", GRID)
    values = {**first, **second}
    values[("a", 0, 0)] = 6
    values[("b", 2, 1)] = 8
    top = locate_month(_month(values, first_identities + second_identities)).top
    assert top is not None
    assert {suspect.cell.key for suspect in top.suspects} == {("a", 0, 0), ("b", 2, 1)}


def test_cells_the_identities_cannot_tell_apart_are_said_to_be() -> None:
    # one identity, part + part = total: any of the three explains a difference
    values: dict[CellKey, int | None] = {("t", 1, 1): 4, ("t", 1, 2): 6, ("t", 1, 3): 11}
    identity = _sum("one row", [("t", 1, 1), ("t", 1, 2)], ("t", 1, 3))
    diagnosis = locate_month(_month(values, [identity]))
    assert len(diagnosis.solutions) == 3
    assert all(len(solution.suspects) == 1 for solution in diagnosis.solutions)
    top = diagnosis.top
    assert top is not None
    others = diagnosis.alternatives_to(top.suspects[0].cell.key)
    named = {top.suspects[0].cell.key} | {suspect.cell.key for suspect in others}
    assert named == set(values)


def test_a_suppressed_cell_stays_unknown() -> None:
    values: dict[CellKey, int | None] = {("t", 1, 1): 4, ("t", 1, 2): None, ("t", 1, 3): 7}
    identity = _sum("row", [("t", 1, 1), ("t", 1, 2)], ("t", 1, 3))
    suppressed = _cell("t", 1, 2, suppressed=True)
    assert locate_month(_month(values, [identity], s=suppressed)).broken == ()
    # known parts above the total: a printed cell is wrong, never the suppressed one
    values[("t", 1, 1)] = 9
    diagnosis = locate_month(_month(values, [identity], s=suppressed))
    assert diagnosis.broken
    named = {suspect.cell.key for solution in diagnosis.solutions for suspect in solution.suspects}
    assert ("t", 1, 2) not in named
    assert named == {("t", 1, 1), ("t", 1, 3)}


def _percent_month(count: int, change: int, percent: int) -> Month:
    keys = {"participants": ("p", 1, 1), "change": ("p", 1, 2), "change_pct": ("p", 1, 3)}
    identity = Identity(
        "percent_change_formula",
        "p line 1",
        PERCENT_FORMULA,
        (
            Term(keys["participants"], 0, "participants"),
            Term(keys["change"], 0, "change"),
            Term(keys["change_pct"], 0, "percent"),
        ),
    )
    cells = {key: _cell(*key, metric=metric) for metric, key in keys.items()}
    values: dict[CellKey, int | None] = {
        keys["participants"]: count,
        keys["change"]: change,
        keys["change_pct"]: percent,
    }
    return Month(MONTH, cells, [identity], values)


def test_a_misprinted_percent_is_its_own_suspect() -> None:
    # 120 now, 20 more than last year's 100: +20 %
    assert locate_month(_percent_month(120, 20, 20)).broken == ()
    top = locate_month(_percent_month(120, 20, 21)).top
    assert top is not None
    [suspect] = top.suspects
    assert suspect.cell.key == ("p", 1, 3)
    assert (suspect.printed, suspect.needed) == (21, 20)


def test_percent_formula_rounds_half_away_from_zero() -> None:
    assert percent_change(20, 100) == 20
    assert percent_change(1, 200) == 1  # 0.5 -> 1
    assert percent_change(-1, 200) == -1  # -0.5 -> -1
    assert percent_change(1, 300) == 0  # 0.33 -> 0
    assert percent_change(-2888, 78657) == -4  # -3.67 -> -4
    assert percent_change(5, 0) is None


def test_the_line_a_person_reads() -> None:
    values, identities = _grid("t", GRID)
    values[("t", 1, 2)] = 1_005
    top = locate_month(_month(values, identities)).top
    assert top is not None
    assert suspect_line(top.suspects[0], top.left_broken) == (
        "reports/deltakere-tiltak-fylke-2013-11.txt:1: T / row 1, column col 2: "
        "printed 1 005, the report's identities say 4 (2 identities broken, all explained)"
    )
