"""The report's own printed numbers, from marts.fct_report_cells: what metrics must equal.

Expected values in the semantic-layer and dashboard tests come from here (the printed
cells, with their page and line), never from the metrics' own SQL.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import duckdb

# A blank count or change cell means 0 (`figure`); a blank percent means "no percent"
# (`printed_value` stays null).
PRINTED_CELLS = """
    select
        month,
        county_code,
        participant_group_code,
        metric_code,
        case when metric_code = 'change_pct' then printed_value else figure end as value
    from marts.fct_report_cells
    where table_code = ?
"""

Key = tuple[datetime.date, str, str, str]


def printed(warehouse: Path, table_code: str) -> dict[Key, int | None]:
    """{(month, county_code, participant_group_code, metric_code): printed value}."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(PRINTED_CELLS, [table_code]).fetchall()
    assert rows, f"the report prints no table {table_code!r}"
    return {(month, county, group, metric): value for month, county, group, metric, value in rows}
