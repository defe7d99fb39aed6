"""The suspects of a month: the cells of each smallest change set, ranked.

The percent formula is not linear, so it is left out of the program and checked
afterwards, at the corrected counts and changes: a percent that still disagrees
with the formula is a suspect itself, with the formula's value. A misprinted count
or change is thus found by the linear identities, a misprinted percent by its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from navtiltak.locate.identities import (
    PERCENT_FORMULA,
    CellKey,
    Identity,
    LocatedCell,
    Month,
    Values,
    expected_percent,
    holds,
)
from navtiltak.locate.solver import ChangeSet, minimal_change_sets


@dataclass(frozen=True)
class Suspect:
    cell: LocatedCell
    printed: int | None
    needed: int | None
    # the month's broken identities this cell takes part in
    explains: tuple[Identity, ...]


@dataclass(frozen=True)
class Solution:
    rank: int
    suspects: tuple[Suspect, ...]
    # identities still broken with every suspect at its needed value
    left_broken: int

    @property
    def cells(self) -> frozenset[CellKey]:
        return frozenset(suspect.cell.key for suspect in self.suspects)


@dataclass(frozen=True)
class Diagnosis:
    report_month: dt.date
    broken: tuple[Identity, ...]
    solutions: tuple[Solution, ...]
    # False when the search stopped before proving the sets smallest
    proven_smallest: bool

    @property
    def top(self) -> Solution | None:
        return self.solutions[0] if self.solutions else None

    def alternatives_to(self, key: CellKey) -> list[Suspect]:
        """Suspects of other smallest sets that stand where `key` stands in the top
        set: the identities cannot tell them apart from it."""
        top = self.top
        if top is None or key not in top.cells:
            return []
        return [
            suspect
            for solution in self.solutions[1:]
            if key not in solution.cells
            for suspect in solution.suspects
            if suspect.cell.key not in top.cells
        ]


def locate_month(month: Month, values: Values | None = None, max_sets: int = 5) -> Diagnosis:
    """The month's broken identities and its smallest change sets, best first."""
    values = month.values if values is None else values
    broken = tuple(
        identity for identity in month.identities if not holds(identity, values, month.cells)
    )
    if not broken:
        return Diagnosis(month.report_month, (), (), True)
    change_sets, proven = minimal_change_sets(month.identities, month.cells, values, max_sets)
    completed = [_with_percents(month, values, change_set) for change_set in change_sets]
    # Equally small sets: the smaller change first, then the earlier printed cell.
    completed.sort(
        key=lambda change: (
            len(change),
            sum(abs((new or 0) - (values.get(key) or 0)) for key, new in change.items()),
            sorted(change),
        )
    )
    solutions = tuple(
        _solution(rank, month, values, broken, change)
        for rank, change in enumerate(completed, start=1)
    )
    return Diagnosis(month.report_month, broken, solutions, proven)


def _with_percents(
    month: Month, values: Values, change_set: ChangeSet
) -> dict[CellKey, int | None]:
    change: dict[CellKey, int | None] = dict(change_set.new_values)
    corrected = {**values, **change}
    for identity in month.identities:
        if identity.form != PERCENT_FORMULA:
            continue
        checkable, expected = expected_percent(identity, corrected, month.cells)
        percent_cell = identity.cell_of("percent")
        if checkable and percent_cell is not None and corrected.get(percent_cell) != expected:
            change[percent_cell] = expected
    return change


def _solution(
    rank: int,
    month: Month,
    values: Values,
    broken: tuple[Identity, ...],
    change: dict[CellKey, int | None],
) -> Solution:
    corrected = {**values, **change}
    left_broken = sum(not holds(identity, corrected, month.cells) for identity in month.identities)
    suspects = [
        Suspect(
            month.cells[key],
            values.get(key),
            new_value,
            tuple(
                identity for identity in broken if any(term.cell == key for term in identity.terms)
            ),
        )
        for key, new_value in change.items()
    ]
    suspects.sort(key=lambda suspect: (-len(suspect.explains), suspect.cell.key))
    return Solution(rank, tuple(suspects), left_broken)
