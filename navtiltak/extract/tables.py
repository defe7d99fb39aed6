"""Joining pages into the report's logical tables and checking them whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from navtiltak.extract.cells import PRINTED, SUPPRESSED
from navtiltak.extract.errors import ReportError
from navtiltak.extract.labels import KnownLabels, fold, nearest_known
from navtiltak.extract.layout import TOTAL_LABEL, ReportLayout, TableSpec, is_total_label
from navtiltak.extract.pages import Page, Row, parse_page, split_pages
from navtiltak.extract.text import read_report_lines
from navtiltak.extract.totals import check_adds_up


@dataclass
class PrintedRow:
    page: int
    row: Row


@dataclass
class ReportTable:
    spec: TableSpec
    sub_heading: str | None
    header: tuple[str, ...]
    header_line: int
    first_page: int
    rows: list[PrintedRow] = field(default_factory=list)


@dataclass
class Report:
    path: Path
    month: str
    tables: list[ReportTable]


def _check_header(path: Path, page: Page, spec: TableSpec, known_labels: KnownLabels) -> None:
    known = known_labels.get(spec.column_role, {})
    for label in page.header:
        if is_total_label(label):
            if fold(label) != fold(TOTAL_LABEL):
                raise ReportError(path, page.header_line, f"unexpected total column {label!r}")
        elif fold(label) not in known:
            raise ReportError(
                path,
                page.header_line,
                f"unknown column header {label!r} in table {spec.name!r} "
                f"(no {spec.column_role} label in the label-alias seed)",
            )


def _check_sub_heading(path: Path, page: Page, spec: TableSpec, known_labels: KnownLabels) -> None:
    """A sub-heading names a member (a county, a participant group): one the label-alias
    seed does not know is named here, on its own line. Read on, it would open a table of
    its own and break the one it continues far below."""
    role = spec.subheading_role
    if role is None or page.sub_heading is None:
        return
    if fold(page.sub_heading) in known_labels.get(role, {}):
        return
    nearest = nearest_known(known_labels, role, page.sub_heading)
    hint = f" (did you mean {nearest!r}?)" if nearest else ""
    raise ReportError(
        path,
        page.sub_heading_line,
        f"unknown {role} heading {page.sub_heading!r} in table {spec.name!r}{hint}; a new "
        "spelling goes into seeds/reference/label_aliases.csv",
    )


def _continue_table(path: Path, table: ReportTable, page: Page) -> None:
    """Append a continuation page after checking its repeated header and total row."""
    if page.header != table.header:
        raise ReportError(
            path,
            page.header_line,
            f"continuation of {table.spec.name!r} repeats a different header than line "
            f"{table.header_line}",
        )
    first = table.rows[0].row
    if not page.rows:
        raise ReportError(
            path,
            page.header_line,
            f"continuation page lacks the repeated total row {first.label!r}",
        )
    repeated = page.rows[0]
    if (repeated.label, repeated.cells) != (first.label, first.cells):
        raise ReportError(
            path,
            repeated.line,
            f"repeated total row {repeated.label!r} differs from the one on line {first.line}",
        )
    table.rows.extend(PrintedRow(page.number, row) for row in page.rows[1:])


def _check_opens_with_total(path: Path, table: ReportTable) -> None:
    first = table.rows[0].row if table.rows else None
    if first is None or not is_total_label(first.label):
        line = first.line if first else table.header_line
        raise ReportError(path, line, f"table {table.spec.name!r} must open with its total row")


def _check_rows_unique(path: Path, table: ReportTable) -> None:
    """A label printed twice in one table: a page read twice would count its rows twice."""
    first_line: dict[str, int] = {}
    for printed in table.rows:
        key = fold(printed.row.label)
        if key in first_line:
            raise ReportError(
                path,
                printed.row.line,
                f"row {printed.row.label!r} is printed twice in table {table.spec.name!r} "
                f"{table.sub_heading or ''} (first on line {first_line[key]})",
            )
        first_line[key] = printed.row.line


def _check_closes_group(path: Path, table: ReportTable) -> None:
    last = table.rows[-1].row
    if table.spec.has_subtotal_rows and not is_total_label(last.label):
        raise ReportError(
            path,
            last.line,
            f"{table.spec.row_role} row {last.label!r} is not followed by its group's 'I alt' "
            "row (truncated?)",
        )


def _check_finished(path: Path, table: ReportTable) -> None:
    _check_rows_unique(path, table)
    _check_closes_group(path, table)


def _check_complete(
    path: Path, tables: list[ReportTable], last_line: int, layout: ReportLayout
) -> None:
    """Every table is present, and every sub-table its listing table promises."""
    present = {table.spec.name for table in tables}
    for spec in layout:
        if spec.name not in present:
            raise ReportError(path, last_line, f"table {spec.name!r} is missing (truncated?)")
    for spec in layout:
        if spec.subheadings_listed_in is None:
            continue
        listing = next(t for t in tables if t.spec.name == spec.subheadings_listed_in)
        promised = {
            fold(printed.row.label): printed.row.label
            for printed in listing.rows
            if not is_total_label(printed.row.label) and printed.row.cells[0].status == PRINTED
        }
        sections = {fold(t.sub_heading or ""): t for t in tables if t.spec == spec}
        missing = [label for key, label in promised.items() if key not in sections]
        if missing:
            raise ReportError(
                path,
                last_line,
                f"table {spec.name!r} has no section for {', '.join(missing)} (truncated?)",
            )
        _check_sections_total(path, listing, sections)


def _check_sections_total(
    path: Path, listing: ReportTable, sections: dict[str, ReportTable]
) -> None:
    """Each section's total (its first row, first column) is the count the listing
    table prints for it: a section cut short in its total row shows here."""
    for printed in listing.rows:
        section = sections.get(fold(printed.row.label))
        if section is None or is_total_label(printed.row.label):
            continue
        promised, total_row = printed.row.cells[0], section.rows[0].row
        shown = total_row.cells[0]
        if (
            PRINTED in (promised.status, shown.status)
            and SUPPRESSED
            not in (
                promised.status,
                shown.status,
            )
            and (promised.value or 0) != (shown.value or 0)
        ):
            if not _first_column_adds_up(listing):
                # The listing table's own sum breaks too: its number is the misprint.
                raise ReportError(
                    path,
                    printed.row.line,
                    f"{listing.spec.name!r} {printed.row.label}: {promised.value or 0} "
                    f"differs from the total {shown.value or 0} of {section.spec.name!r} "
                    f"{section.sub_heading} on line {total_row.line}, and "
                    f"{listing.spec.name!r} does not add up to its {TOTAL_LABEL!r} with it: "
                    "the misprinted cell is likely this one",
                )
            raise ReportError(
                path,
                total_row.line,
                f"{section.spec.name!r} {section.sub_heading}: total {shown.value or 0} differs "
                f"from the {promised.value or 0} that {listing.spec.name!r} prints on line "
                f"{printed.row.line} (truncated?)",
            )


def _first_column_adds_up(table: ReportTable) -> bool:
    """Whether the table's rows sum to its total row in the first column (blank is 0;
    a suppressed cell, or a table without a total row, counts as adding up)."""
    rows = [printed.row for printed in table.rows]
    totals = [row for row in rows if fold(row.label) == fold(TOTAL_LABEL)]
    parts = [row.cells[0] for row in rows if not is_total_label(row.label)]
    if len(totals) != 1 or any(cell.status == SUPPRESSED for cell in parts):
        return True
    total = totals[0].cells[0]
    if total.status == SUPPRESSED:
        return True
    return sum(cell.value or 0 for cell in parts) == (total.value or 0)


def read_report(path: Path, known_labels: KnownLabels, layout: ReportLayout) -> Report:
    """Read one report file into its logical tables, or raise ReportError."""
    lines = read_report_lines(path)
    pages = [
        parse_page(path, number, page_lines, layout)
        for number, page_lines in enumerate(split_pages(path, lines), start=1)
    ]
    month = pages[0].month
    tables: list[ReportTable] = []
    finished: dict[tuple[str, str | None], int] = {}
    for page in pages:
        if page.month != month:
            raise ReportError(
                path,
                page.month_line,
                f"page {page.number} is for {page.month}, page 1 for {month}",
            )
        if page.is_note_page:
            continue
        spec = layout.spec(page.table_name)
        if spec is None:  # parse_page refuses unknown names; this narrows the type
            raise ReportError(path, page.title_line, f"unknown table name {page.table_name!r}")
        _check_sub_heading(path, page, spec, known_labels)
        _check_header(path, page, spec, known_labels)
        key = (spec.name, page.sub_heading)
        current = tables[-1] if tables else None
        if current is not None and (current.spec.name, current.sub_heading) == key:
            _continue_table(path, current, page)
            continue
        if key in finished:
            raise ReportError(
                path,
                page.title_line,
                f"table {spec.name!r} {page.sub_heading or ''} printed again on page "
                f"{page.number}, apart from its page {finished[key]}",
            )
        if current is not None:
            _check_finished(path, current)
        finished[key] = page.number
        table = ReportTable(spec, page.sub_heading, page.header, page.header_line or 0, page.number)
        table.rows = [PrintedRow(page.number, row) for row in page.rows]
        _check_opens_with_total(path, table)
        tables.append(table)
    if tables:
        _check_finished(path, tables[-1])
    _check_complete(path, tables, len(lines), layout)
    # Only the last table can lose its end unnoticed when a file is cut short.
    check_adds_up(path, tables[-1], layout.non_additive_columns)
    return Report(path, month, tables)
