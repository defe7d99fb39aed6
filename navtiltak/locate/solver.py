"""The smallest sets of printed cells whose change makes every linear identity hold.

A mixed-integer program per month (Fellegi-Holt, as errorlocate builds it):

- a change d_i (integer) for every printed cell in a linear identity, and a 0/1
  variable z_i that allows it: -M_i z_i <= d_i <= M_i z_i;
- every linear identity holds at printed value + change: sum a_ki d_i = -residual_k
  (or >= for last_year_not_negative);
- a suppressed cell has no printed value: its variable is the unknown value itself
  (>= 0 for a count), free of cost, so the identities it is in hold as the rule
  models say ("known parts <= total");
- minimise the number of changed cells.

Solved with SciPy's `milp` (HiGHS). Equally small alternatives are found by solving
again with each set found so far forbidden, until the optimum grows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from navtiltak.locate.identities import (
    LINEAR_AT_LEAST,
    LINEAR_EQUALITY,
    CellKey,
    Identity,
    LocatedCell,
    Values,
    holds,
)

# Bound on how far any cell may be from its printed value, as a multiple of the
# largest printed number of the month (a count is at most the month's total; a
# misprinted total is still of that order).
MAGNITUDE_FACTOR = 2
# HiGHS is given a time limit per solve; a month solves in well under a second.
TIME_LIMIT_SECONDS = 60.0
# Past this many cells free to change the program is no longer quick; the sets found
# are then reported as not proven smallest.
MAX_FREE_CELLS = 600


@dataclass(frozen=True)
class ChangeSet:
    """A set of cells and the values that make every linear identity hold."""

    new_values: dict[CellKey, int]

    @property
    def cells(self) -> frozenset[CellKey]:
        return frozenset(self.new_values)


class LocalisationError(Exception):
    """The solver failed, or gave a change that does not make the identities hold."""


def minimal_change_sets(
    identities: list[Identity],
    cells: Mapping[CellKey, LocatedCell],
    values: Values,
    max_sets: int = 5,
) -> tuple[list[ChangeSet], bool]:
    """Every smallest set of changes (at most `max_sets`), best first, and whether
    they are proven smallest.

    One empty set when the identities already hold. The program is solved first
    with only the cells of broken identities free to change, the others fixed at
    their printed values: every solution must change a cell of each broken identity,
    so when that restricted optimum equals the smallest number of cells that meet
    every broken identity (a lower bound, `_cells_to_meet`), it is the optimum. Else
    the cells next to them (sharing an identity) are freed too, and so on.
    """
    linear = [identity for identity in identities if identity.form != "percent_formula"]
    broken = [identity for identity in linear if not holds(identity, values, cells)]
    if not broken:
        return [ChangeSet({})], True
    choosable = {
        term.cell for identity in broken for term in identity.terms
        if not cells[term.cell].is_suppressed
    }  # fmt: skip
    lower_bound = _cells_to_meet(broken, cells)
    while True:
        found = _enumerate(linear, choosable, cells, values, max_sets)
        if found and len(found[0].new_values) <= lower_bound:
            return found, True
        wider = choosable | _neighbours(linear, choosable, cells)
        if len(wider) == len(choosable) or len(wider) > MAX_FREE_CELLS:
            return found, False
        choosable = wider


def _neighbours(
    identities: list[Identity], chosen: set[CellKey], cells: Mapping[CellKey, LocatedCell]
) -> set[CellKey]:
    return {
        term.cell
        for identity in identities
        if any(term.cell in chosen for term in identity.terms)
        for term in identity.terms
        if not cells[term.cell].is_suppressed
    }


def _cells_to_meet(broken: list[Identity], cells: Mapping[CellKey, LocatedCell]) -> int:
    """The fewest printed cells that take part in every broken identity (set cover)."""
    keys = sorted(
        {term.cell for identity in broken for term in identity.terms}
        - {key for key, cell in cells.items() if cell.is_suppressed}
    )
    index = {key: position for position, key in enumerate(keys)}
    rows, columns = [], []
    for row, identity in enumerate(broken):
        for term in identity.terms:
            if term.cell in index:
                rows.append(row)
                columns.append(index[term.cell])
    matrix = coo_array(
        (np.ones(len(rows)), (rows, columns)), shape=(len(broken), len(keys))
    ).tocsr()
    result = milp(
        np.ones(len(keys)),
        constraints=[LinearConstraint(matrix, 1.0, np.inf)],
        integrality=np.ones(len(keys)),
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": TIME_LIMIT_SECONDS},
    )
    if result.x is None:
        raise LocalisationError(f"the solver stopped: {result.message}")
    return round(result.fun)


def _enumerate(
    identities: list[Identity],
    choosable: set[CellKey],
    cells: Mapping[CellKey, LocatedCell],
    values: Values,
    max_sets: int,
) -> list[ChangeSet]:
    program = _Program(identities, choosable, cells, values)
    found: list[ChangeSet] = []
    while len(found) < max_sets:
        change = program.solve(forbidden=[found_set.cells for found_set in found])
        if change is None or (found and len(change.new_values) > len(found[0].new_values)):
            break
        corrected = {**values, **change.new_values}
        still_broken = [
            identity for identity in identities if not holds(identity, corrected, cells)
        ]
        if still_broken:
            raise LocalisationError(
                f"the solver's change leaves {len(still_broken)} identities broken "
                f"(first: {still_broken[0].rule_id}: {still_broken[0].scope})"
            )
        found.append(change)
    return found


class _Program:
    def __init__(
        self,
        identities: list[Identity],
        choosable: set[CellKey],
        cells: Mapping[CellKey, LocatedCell],
        values: Values,
    ) -> None:
        # Variables: the choosable cells, and the suppressed cells that share an
        # identity with a variable (unknown values, closed over the identities they
        # are in); every other cell stays at its printed value.
        variables = set(choosable)
        while True:
            involved = [
                identity for identity in identities
                if any(term.cell in variables for term in identity.terms)
            ]  # fmt: skip
            suppressed = {
                term.cell for identity in involved for term in identity.terms
                if cells[term.cell].is_suppressed
            }  # fmt: skip
            if suppressed <= variables:
                break
            variables |= suppressed
        identities = involved
        keys = sorted(variables)
        self.keys = keys
        index = {key: position for position, key in enumerate(keys)}
        self.free = [cells[key].is_suppressed for key in keys]
        self.choosable = [position for position, free in enumerate(self.free) if not free]
        base = np.array([values.get(key) or 0 for key in keys], dtype=float)
        largest = max((abs(value) for value in values.values() if value is not None), default=1)
        magnitude = float(MAGNITUDE_FACTOR * max(largest, 1))
        is_count = np.array([cells[key].is_count for key in keys])
        free = np.array(self.free)
        # a count is never negative: its change is at least minus its printed value
        self.lower = np.where(is_count, np.where(free, 0.0, -base), -magnitude)
        self.upper = np.full(len(keys), magnitude)
        self.big_m = np.maximum(np.abs(self.lower), self.upper)
        self.base = base

        rows, columns, data, lower, upper = [], [], [], [], []
        for row, identity in enumerate(identities):
            residual = 0.0
            for term in identity.terms:
                if term.cell in index:
                    rows.append(row)
                    columns.append(index[term.cell])
                    data.append(float(term.coefficient))
                    residual += term.coefficient * base[index[term.cell]]
                else:
                    residual += term.coefficient * (values.get(term.cell) or 0)
            lower.append(-residual)
            upper.append(np.inf if identity.form == LINEAR_AT_LEAST else -residual)
            assert identity.form in (LINEAR_EQUALITY, LINEAR_AT_LEAST), identity.form
        self.identity_matrix = coo_array(
            (data, (rows, columns)), shape=(len(identities), self.variable_count)
        ).tocsr()
        self.identity_bounds = (np.array(lower), np.array(upper))
        self.link = self._link_constraint()

    @property
    def variable_count(self) -> int:
        return len(self.keys) + len(self.choosable)

    def _link_constraint(self) -> LinearConstraint:
        """d_i - M_i z_i <= 0 and -d_i - M_i z_i <= 0 for every choosable cell."""
        rows, columns, data = [], [], []
        offset = len(self.keys)
        for number, position in enumerate(self.choosable):
            for sign, row in ((1.0, 2 * number), (-1.0, 2 * number + 1)):
                rows += [row, row]
                columns += [position, offset + number]
                data += [sign, -self.big_m[position]]
        matrix = coo_array(
            (data, (rows, columns)), shape=(2 * len(self.choosable), self.variable_count)
        ).tocsr()
        return LinearConstraint(matrix, -np.inf, 0.0)

    def solve(self, forbidden: list[frozenset[CellKey]]) -> ChangeSet | None:
        choosable_count = len(self.choosable)
        objective = np.concatenate([np.zeros(len(self.keys)), np.ones(choosable_count)])
        constraints = [
            LinearConstraint(self.identity_matrix, *self.identity_bounds),
            self.link,
        ]
        if forbidden:
            z_of = {self.keys[position]: number for number, position in enumerate(self.choosable)}
            cut = np.zeros((len(forbidden), self.variable_count))
            for row, cell_set in enumerate(forbidden):
                for key in cell_set:
                    cut[row, len(self.keys) + z_of[key]] = 1.0
            sizes = np.array([len(cell_set) - 1 for cell_set in forbidden], dtype=float)
            constraints.append(LinearConstraint(cut, -np.inf, sizes))
        bounds = Bounds(
            np.concatenate([self.lower, np.zeros(choosable_count)]),
            np.concatenate([self.upper, np.ones(choosable_count)]),
        )
        result = milp(
            objective,
            constraints=constraints,
            integrality=np.ones(self.variable_count),
            bounds=bounds,
            options={"time_limit": TIME_LIMIT_SECONDS},
        )
        if result.status == 2:  # infeasible: no further set
            return None
        if result.x is None or result.status != 0:
            raise LocalisationError(f"the solver stopped: {result.message}")
        changes = np.rint(result.x[: len(self.keys)]).astype(np.int64)
        new_values = {
            self.keys[position]: int(self.base[position] + changes[position])
            for position in self.choosable
            if changes[position] != 0
        }
        return ChangeSet(new_values)
