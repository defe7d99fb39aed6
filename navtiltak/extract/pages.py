"""Splitting report lines into pages and reading each page's parts.

A page is the title line, the table name, the month line, an optional
sub-heading, a header row that starts with a TAB, and the data rows up to the
next title. Blank lines carry no meaning anywhere on a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from navtiltak.extract.cells import BLANK_CELL, ParsedCell, parse_cell
from navtiltak.extract.errors import ReportError
from navtiltak.extract.layout import MONTHS_NB, NOTE_PAGE_NAME, REPORT_TITLE, ReportLayout

_MONTH_LINE = re.compile(r"(\w+)\s+(\d{4})")


@dataclass(frozen=True)
class Row:
    line: int
    label: str
    cells: tuple[ParsedCell, ...]


@dataclass
class Page:
    number: int
    title_line: int
    table_name: str
    month: str
    month_line: int
    sub_heading: str | None = None
    sub_heading_line: int | None = None
    header: tuple[str, ...] = ()
    header_line: int | None = None
    rows: list[Row] = field(default_factory=list)

    @property
    def is_note_page(self) -> bool:
        return self.table_name == NOTE_PAGE_NAME


def parse_month(path: Path, line: int, text: str) -> str:
    """``November 2013`` -> ``2013-11``."""
    match = _MONTH_LINE.fullmatch(text.strip())
    name = match.group(1).casefold() if match else ""
    if not match or name not in MONTHS_NB:
        raise ReportError(
            path, line, f"expected a month line such as 'November 2013', got {text!r}"
        )
    return f"{match.group(2)}-{MONTHS_NB.index(name) + 1:02d}"


def split_pages(path: Path, lines: list[str]) -> list[list[tuple[int, str]]]:
    """Group the non-blank lines by page; each page starts with its title line."""
    pages: list[list[tuple[int, str]]] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        if text.strip() == REPORT_TITLE:
            pages.append([(number, text)])
        elif not pages:
            raise ReportError(path, number, f"expected the report title {REPORT_TITLE!r}")
        else:
            pages[-1].append((number, text))
    if not pages:
        raise ReportError(path, None, f"no page title {REPORT_TITLE!r}: not this report")
    return pages


def _parse_row(path: Path, number: int, text: str, width: int) -> Row:
    label, *raw_cells = text.split("\t")
    if not label.strip():
        raise ReportError(path, number, "a data row without a label (line starts with a TAB)")
    if len(raw_cells) > width:
        raise ReportError(
            path,
            number,
            f"row {label.strip()!r} has {len(raw_cells)} cells but the header has {width} columns",
        )
    cells: list[ParsedCell] = []
    for position, raw in enumerate(raw_cells, start=1):
        try:
            cells.append(parse_cell(raw))
        except ValueError as exc:
            raise ReportError(
                path, number, f"column {position} of {label.strip()!r}: {exc}"
            ) from exc
    # A short row, or a bare label with no TAB at all, has blank cells to the right.
    cells.extend([BLANK_CELL] * (width - len(cells)))
    return Row(number, label.strip(), tuple(cells))


def parse_page(
    path: Path, page_number: int, page_lines: list[tuple[int, str]], layout: ReportLayout
) -> Page:
    title_line = page_lines[0][0]
    body = page_lines[1:]
    if len(body) < 2:
        raise ReportError(
            path, title_line, "page ends before its table name and month line (truncated?)"
        )
    (name_line, raw_name), (month_line, month_text) = body[0], body[1]
    table_name = raw_name.strip()
    spec = layout.spec(table_name)
    if table_name != NOTE_PAGE_NAME and spec is None:
        raise ReportError(path, name_line, f"unknown table name {table_name!r}")
    page = Page(
        number=page_number,
        title_line=title_line,
        table_name=table_name,
        month=parse_month(path, month_line, month_text),
        month_line=month_line,
    )
    if page.is_note_page or spec is None:
        return page

    rest = body[2:]
    header_index = next((i for i, (_, text) in enumerate(rest) if text.startswith("\t")), None)
    if header_index is None:
        raise ReportError(
            path, title_line, f"page of {table_name!r} has no header row (truncated?)"
        )
    before_header = rest[:header_index]
    if len(before_header) > 1:
        number, text = before_header[1]
        raise ReportError(path, number, f"unexpected line before the header row: {text.strip()!r}")
    if before_header:
        number, text = before_header[0]
        if spec.subheading_role is None:
            raise ReportError(
                path, number, f"table {table_name!r} has no sub-heading, got {text.strip()!r}"
            )
        page.sub_heading = text.strip()
        page.sub_heading_line = number
    elif spec.subheading_role is not None:
        raise ReportError(
            path, month_line, f"table {table_name!r} needs a sub-heading ({spec.subheading_role})"
        )

    page.header_line, header_text = rest[header_index]
    page.header = tuple(label.strip() for label in header_text.split("\t")[1:])
    if not page.header or any(not label for label in page.header):
        raise ReportError(path, page.header_line, "the header row has an empty column name")
    width = len(page.header)
    page.rows = [_parse_row(path, number, text, width) for number, text in rest[header_index + 1 :]]
    return page
