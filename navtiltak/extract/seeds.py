"""Rendering reports as seed CSV files, and writing them all or none."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from navtiltak.extract.layout import ReportLayout
from navtiltak.extract.tables import Report, ReportTable

# One seed row per printed cell. The same columns for every published table; the
# dbt project declares their types in dbt_project.yml (seeds: report).
SEED_COLUMNS = (
    "report_month",
    "source_file",
    "page_number",
    "line_number",
    "sub_heading",
    "row_label",
    "column_number",
    "column_label",
    "cell_value",
    "cell_status",
)


def _table_rows(report: Report, table: ReportTable) -> Iterator[tuple[str, ...]]:
    for printed in table.rows:
        row = printed.row
        for number, (label, cell) in enumerate(zip(table.header, row.cells, strict=True), 1):
            yield (
                report.month,
                report.path.name,
                str(printed.page),
                str(row.line),
                table.sub_heading or "",
                row.label,
                str(number),
                label,
                cell.as_seed_value,
                cell.status,
            )


def render_report_rows(report: Report, layout: ReportLayout) -> dict[str, str]:
    """One report's seed rows (CSV text, no header) per seed name, by page, line, column."""
    rendered: dict[str, str] = {}
    for spec in layout:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for table in report.tables:
            if table.spec == spec:
                writer.writerows(_table_rows(report, table))
        rendered[spec.seed_name] = buffer.getvalue()
    return rendered


def join_seeds(
    rows_by_month: Iterable[tuple[str, dict[str, str]]], layout: ReportLayout
) -> dict[str, bytes]:
    """CSV bytes per seed name (every table of ``layout``, printed or not): the header,
    then each report's rows (``render_report_rows``) in month order."""
    ordered = sorted(rows_by_month, key=lambda month_rows: month_rows[0])
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(SEED_COLUMNS)
    return {
        spec.seed_name: "".join(
            [header.getvalue(), *(rows[spec.seed_name] for _, rows in ordered)]
        ).encode("utf-8")
        for spec in layout
    }


def render_seeds(reports: Iterable[Report], layout: ReportLayout) -> dict[str, bytes]:
    """CSV bytes per seed name (every table of ``layout``, printed or not), rows ordered by
    month, page, line and column."""
    return join_seeds(
        ((report.month, render_report_rows(report, layout)) for report in reports), layout
    )


def write_atomically(directory: Path, files: dict[str, bytes]) -> None:
    """Write every ``<name>.csv`` to a temporary file first, then rename them all.

    Nothing is renamed until every temporary file is written, so a failure leaves
    the existing seeds exactly as they were.
    """
    directory.mkdir(parents=True, exist_ok=True)
    temporary: dict[Path, Path] = {}
    try:
        for name, content in files.items():
            target = directory / f"{name}.csv"
            scratch = directory / f".{name}.csv.tmp"
            scratch.write_bytes(content)
            temporary[scratch] = target
        for scratch, target in temporary.items():
            scratch.replace(target)
    finally:
        for scratch in temporary:
            scratch.unlink(missing_ok=True)


def stale_seeds(directory: Path, files: dict[str, bytes]) -> list[str]:
    """Names of seed files that are missing or differ from ``files``."""
    stale = []
    for name, content in files.items():
        target = directory / f"{name}.csv"
        if not target.exists() or target.read_bytes() != content:
            stale.append(f"{target}")
    return stale
