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

from navtiltak.statbank.catalogue import CONTENTS, Metric, Table
from navtiltak.statbank.selection import Chosen
from navtiltak.statbank.snapshot import Snapshot

SUPPRESSED = ":"
NOT_APPLICABLE = "."


@dataclass(frozen=True)
class Result:
    dims: list[Chosen]  # the variables of the output, in its order (eliminated left out)
    values: list[int | None]
    status: dict[int, str]

    @property
    def size(self) -> list[int]:
        return [len(item.values) for item in self.dims]


def percent(change: int, base: int) -> int:
    """round(100 * change / base), halves away from zero, in integers."""
    numerator = 100 * abs(change)
    magnitude = (2 * numerator + abs(base)) // (2 * abs(base))
    return magnitude if (change >= 0) == (base > 0) else -magnitude


def _columns(metrics: list[Metric]) -> list[str]:
    columns: list[str] = []
    for metric in metrics:
        for column in (metric.column,) if metric.column else metric.percent_of or ():
            if column not in columns:
                columns.append(column)
    return columns


def compute(snapshot: Snapshot, table: Table, chosen: list[Chosen], order: list[str]) -> Result:
    """The cube of ``chosen`` with its dimensions in ``order`` (variable codes)."""
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

    joined = [item for item in chosen if item.variable.column and not item.eliminated]
    selects, joins, parameters = [], [], []
    for number, item in enumerate(joined):
        indexes, codes = [], []
        for position, value in enumerate(item.values):
            for member in value.members:
                indexes.append(position)
                codes.append(member)
        selects.append(f"m{number}.i")
        joins.append(
            f"join (select unnest(?::integer[]) as i, unnest(?::varchar[]) as code) as m{number}"
            f" on f.{item.variable.column} = m{number}.code"
        )
        parameters += [indexes, codes]
    for column in columns:
        selects += [f"sum(f.{column})", f"count(*) filter (where f.{column} is null)"]
    sql = f"select {', '.join(selects)} from {table.fact} as f {' '.join(joins)}"
    if joined:
        sql += " group by all"
    rows = snapshot.query(sql, parameters)

    values: list[int | None] = [None] * cells
    status: dict[int, str] = dict.fromkeys(range(cells), NOT_APPLICABLE)
    dim_strides = [strides[item.variable.code] for item in joined]
    metric_stride = strides[CONTENTS]
    column_at = {column: len(joined) + 2 * k for k, column in enumerate(columns)}
    for row in rows:
        base = sum(row[k] * dim_strides[k] for k in range(len(joined)))
        for position, metric in enumerate(metrics):
            cell = base + position * metric_stride
            value, symbol = _metric_value(metric, row, column_at)
            values[cell] = value
            if symbol is None:
                status.pop(cell, None)
            else:
                status[cell] = symbol
    return Result(dims, values, status)


def _metric_value(
    metric: Metric, row: tuple, column_at: dict[str, int]
) -> tuple[int | None, str | None]:
    def total(column: str) -> tuple[int | None, bool]:
        at = column_at[column]
        suppressed = row[at + 1] > 0
        return (None if suppressed else int(row[at])), suppressed

    if metric.column:
        value, suppressed = total(metric.column)
        return value, SUPPRESSED if suppressed else None
    change_column, base_column = metric.percent_of  # type: ignore[misc]
    change, change_suppressed = total(change_column)
    base, base_suppressed = total(base_column)
    if change_suppressed or base_suppressed:
        return None, SUPPRESSED
    if not base:
        return None, NOT_APPLICABLE
    return percent(change, base), None  # type: ignore[arg-type]
