"""The values of a selection: sums of the fine-grain fact over the members of each chosen
value, computed in the snapshot's in-memory database.

A cell is null, with a JSON-stat status, when it has no number:

- `:` (as Statistics Norway marks confidential figures): NAV suppressed the cell (`*`),
  or the cell is a sum that includes a suppressed part;
- `.` (not applicable): nothing was printed for it (a county not in force in the month,
  a measure the month does not print), or a percent of last year's zero.

A percent is recomputed from the summed change and last year's summed count, rounded
half away from zero as NAV rounds, never summed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from navtiltak.statbank.catalogue import CONTENTS, TIME, CatalogueTable, Metric
from navtiltak.statbank.selection import Chosen
from navtiltak.statbank.snapshot import Snapshot

SUPPRESSED = ":"
NOT_APPLICABLE = "."


@dataclass(frozen=True)
class CubeResult:
    dims: list[Chosen]  # the variables of the output, in its order (eliminated left out)
    values: list[int | None]
    status: dict[int, str]

    @property
    def size(self) -> list[int]:
        return [len(item.values) for item in self.dims]


def _columns(metrics: list[Metric]) -> list[str]:
    columns: list[str] = []
    for metric in metrics:
        for column in (metric.column,) if metric.column else metric.percent_of or ():
            if column not in columns:
                columns.append(column)
    return columns


def _all_total(item: Chosen) -> bool:
    """One value chosen, covering every member of the variable (its total); never Tid,
    which every query filters on."""
    if item.variable.code == TIME or len(item.values) != 1:
        return False
    everything = {member for value in item.variable.values for member in value.members}
    return set(item.values[0].members) >= everything


def _value_columns(table: CatalogueTable) -> list[str]:
    return _columns(list(table.metrics))


def percents(change: np.ndarray, base: np.ndarray) -> np.ndarray:
    """round(100 * change / base) per element, halves away from zero, in integers;
    where base is 0 the result is meaningless (the caller marks those cells)."""
    divisor = np.where(base == 0, 1, np.abs(base))
    magnitude = (200 * np.abs(change) + divisor) // (2 * divisor)
    return np.where((change >= 0) == (base > 0), magnitude, -magnitude)


def compute(
    snapshot: Snapshot, table: CatalogueTable, chosen: list[Chosen], order: list[str]
) -> CubeResult:
    """The cube of ``chosen`` with its dimensions in ``order`` (variable codes).

    One query: each chosen variable joins a list of (position, member) pairs, the cell's
    index in the output is computed from the positions, and the fact is summed per cell,
    with the count of null (suppressed) parts beside each sum."""
    by_code = {item.variable.code: item for item in chosen}
    dims = [by_code[code] for code in order]
    contents = by_code[CONTENTS]
    metrics = [next(m for m in table.metrics if m.code == v.code) for v in contents.values]
    columns = _columns(metrics)

    strides: dict[str, int] = {}
    stride = 1
    for item in reversed(dims):
        strides[item.variable.code] = stride
        stride *= len(item.values)
    cells = stride

    # A variable whose every chosen value is its total adds nothing to the cell: it is
    # summed away, in a rollup of the fact over the other variables (made once per
    # snapshot). Time first: it is the most selective join.
    dimensions = [item for item in chosen if item.variable.column]
    kept = sorted(
        (item for item in dimensions if not _all_total(item)),
        key=lambda item: item.variable.code != TIME,
    )
    if len(kept) == len(dimensions):
        source = table.fact
        sums = [f"coalesce(sum(f.{c}), 0)::bigint" for c in columns]
        null_counts = [f"count(*) filter (where f.{c} is null)" for c in columns]
    else:
        keep = [item.variable.column for item in kept]
        source = snapshot.rollup(table.fact, keep, _value_columns(table))  # type: ignore[arg-type]
        sums = [f"coalesce(sum(f.{c}), 0)::bigint" for c in columns]
        null_counts = [f"sum(f.{c}__nulls)" for c in columns]
    joins, parameters, index = [], [], []
    for number, item in enumerate(kept):
        positions, codes = [], []
        for position, value in enumerate(item.values):
            for member in value.members:
                positions.append(position)
                codes.append(member)
        joins.append(
            f"join (select unnest(?::bigint[]) as i, unnest(?::varchar[]) as code) as m{number}"
            f" on f.{item.variable.column} = m{number}.code"
        )
        parameters += [positions, codes]
        index.append(f"m{number}.i * {strides[item.variable.code]}")
    time_codes = [code for value in by_code[TIME].values for code in value.members]
    where = "where f.tid between ? and ?"
    parameters += [min(time_codes), max(time_codes)]
    selects = [f"{' + '.join(index) if index else '0'} as cell"]
    for k in range(len(columns)):
        selects += [f"{sums[k]} as s{k}", f"{null_counts[k]} as n{k}"]
    sql = f"select {', '.join(selects)} from {source} as f {' '.join(joins)} {where} group by cell"
    found = snapshot.query_numpy(sql, parameters)
    cell = np.asarray(found["cell"], dtype=np.int64)
    sums = {c: np.asarray(found[f"s{k}"], dtype=np.int64) for k, c in enumerate(columns)}
    nulls = {c: np.asarray(found[f"n{k}"], dtype=np.int64) > 0 for k, c in enumerate(columns)}

    values = np.zeros(cells, dtype=np.int64)
    symbol = np.full(cells, NOT_APPLICABLE, dtype=object)  # no fact row: nothing printed
    metric_stride = strides[CONTENTS]
    for position, metric in enumerate(metrics):
        target = cell + position * metric_stride
        if metric.column:
            values[target] = sums[metric.column]
            symbol[target] = np.where(nulls[metric.column], SUPPRESSED, None)
            continue
        change_column, base_column = metric.percent_of  # type: ignore[misc]
        change, base = sums[change_column], sums[base_column]
        values[target] = percents(change, base)
        suppressed = nulls[change_column] | nulls[base_column]
        symbol[target] = np.where(suppressed, SUPPRESSED, np.where(base == 0, NOT_APPLICABLE, None))
    numbers: list[int | None] = values.tolist()
    status: dict[int, str] = {}
    for at in np.flatnonzero(symbol != None).tolist():  # noqa: E711 - elementwise
        numbers[at] = None
        status[at] = symbol[at]
    return CubeResult(dims, numbers, status)
