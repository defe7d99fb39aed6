"""Strict errors: a report the extractor cannot read faithfully is refused.

Every case checks that the CLI exits non-zero, that its message names the file (and
the line, where one applies, as ``path:LINE:``), and that the seeds written by an
earlier successful run are left byte for byte as they were.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from report_text import (
    ARB,
    METRICS,
    NED,
    REPORT_NAME,
    TITLE,
    Page,
    Run,
    Workspace,
    line_of,
    minimal_pages,
    minimal_pages_with,
    render,
    row,
)

from navtiltak_tools.testing.project_paths import REAL_REPORT


def _populate(ws: Workspace, content: str | bytes) -> dict[str, bytes]:
    """Extract a good report first; return the seeds it wrote."""
    ws.extract(content)
    before = ws.snapshot()
    assert len(before) == 9
    return before


def _rejected(ws: Workspace, before: dict[str, bytes], content: str | bytes, **kw: str) -> Run:
    """Write ``content`` over the good report (or beside it) and check it is refused."""
    path = ws.write(content, **kw)
    result = ws.run()
    assert result.code != 0, "the extractor accepted a bad report"
    assert str(path) in result.stderr
    assert ws.snapshot() == before, "a seed file changed although the run failed"
    return result


def _assert_names_line(result: Run, path: Path, line: int) -> None:
    assert f"{path}:{line}:" in result.stderr, result.stderr


def _minimal_rejected(ws: Workspace, pages: list[Page]) -> tuple[str, Run, Path]:
    before = _populate(ws, render(minimal_pages()))
    text = render(pages)
    result = _rejected(ws, before, text)
    return text, result, ws.reports_dir / REPORT_NAME


@pytest.mark.parametrize(
    "cell", ["2x5", "1.234", "1,5", "12 34", "1 2345", "5%", "+3", "--4", "007", "-0"]
)
def test_cell_that_is_not_a_number(ws: Workspace, cell: str) -> None:
    bad = row("Oslo", 8, cell, -11)
    page = Page(
        "Fylke og hovedgruppe",
        METRICS,
        [row("I alt arbeidssøkere på tiltak", 10, -1, -9), bad, row("Ukjent", 2, 0, 0)],
        sub_heading=ARB,
    )
    text, result, path = _minimal_rejected(
        ws, minimal_pages_with("Fylke og hovedgruppe", ARB, page)
    )
    _assert_names_line(result, path, line_of(text, bad))


@pytest.mark.parametrize("extra", ["\t9", "\t\t", "\t"])
def test_row_wider_than_its_header(ws: Workspace, extra: str) -> None:
    bad = row("Oslo", 25, 10, 15) + extra
    page = Page("Fylke og alder", ["I alt", "19 år og under", "20-24 år"])
    page.rows = [row("I alt", 30, 12, 18), bad, row("Ukjent", 5, 2, 3)]
    text, result, path = _minimal_rejected(ws, minimal_pages_with("Fylke og alder", None, page))
    _assert_names_line(result, path, line_of(text, bad))


def test_unknown_table_name(ws: Workspace) -> None:
    pages = minimal_pages()
    pages[5].table = "Fylke og kjønn"
    text, result, path = _minimal_rejected(ws, pages)
    _assert_names_line(result, path, line_of(text, "Fylke og kjønn"))
    assert "Fylke og kjønn" in result.stderr


@pytest.mark.parametrize(
    "header",
    [
        "Heisemesig utredning/behandling",  # a misspelling the alias seed does not know
        "Oppfølging og mentor",  # a new measure group
        "19 år og under",  # a label of another role
        "I alt avklaring",  # a second total column
    ],
)
def test_unknown_column_header(ws: Workspace, header: str) -> None:
    columns = ["I alt", "Avklaringstiltak", header]
    page = Page(
        "Fylke og tiltak",
        columns,
        [row("I alt", 30, 12, 18), row("Oslo", 25, 10, 15), row("Ukjent", 5, 2, 3)],
    )
    text, result, path = _minimal_rejected(ws, minimal_pages_with("Fylke og tiltak", None, page))
    _assert_names_line(result, path, line_of(text, "\t" + "\t".join(columns)))
    assert header in result.stderr


def _national(second_header: list[str], second_total: str) -> list[Page]:
    header = ["I alt", ARB, NED]
    return minimal_pages_with(
        "Tiltak og hovedgrupper",
        None,
        Page(
            "Tiltak og hovedgrupper",
            header,
            [
                row("I alt", 30, 10, 20),
                row("Avklaring", 12, 4, 8),
                row("I alt avklaringstiltak", 12, 4, 8),
            ],
        ),
        Page(
            "Tiltak og hovedgrupper",
            second_header,
            [
                second_total,
                row("Oppfølging", *[18, 6, 12, ""][: len(second_header)]),
                row("I alt oppfølging", *[18, 6, 12, ""][: len(second_header)]),
            ],
        ),
    )


def test_continuation_good_case_is_accepted(ws: Workspace) -> None:
    # the control for the two tests below: an exact repeat is fine
    ws.extract(render(_national(["I alt", ARB, NED], row("I alt", 30, 10, 20))))


@pytest.mark.parametrize(
    "header",
    [["I alt", NED, ARB], ["I alt", ARB], ["I alt", ARB, NED, "Andre på tiltak"]],
    ids=["reordered", "narrower", "wider"],
)
def test_continuation_with_a_different_repeated_header(ws: Workspace, header: list[str]) -> None:
    total = row("I alt", *[30, 10, 20, ""][: len(header)])
    text, result, path = _minimal_rejected(ws, _national(header, total))
    _assert_names_line(result, path, line_of(text, "\t" + "\t".join(header)))


@pytest.mark.parametrize(
    "total",
    [
        row("I alt", 30, 10, 21),
        row("I alt", 30, 10, ""),
        row("I alt", 30, 10),
        row("I alt i alt", 30, 10, 20),
        row("Avklaring", 30, 10, 20),
    ],
    ids=["value", "blanked", "short", "label", "not-a-total"],
)
def test_continuation_with_a_different_repeated_total(ws: Workspace, total: str) -> None:
    text, result, path = _minimal_rejected(ws, _national(["I alt", ARB, NED], total))
    _assert_names_line(result, path, line_of(text, total))


@pytest.mark.parametrize("month", ["Oktober 2013", "November 2012", "Novembre 2013", "2013-11"])
def test_pages_that_disagree_on_the_month(ws: Workspace, month: str) -> None:
    pages = minimal_pages()
    pages[7].month = month
    text, result, path = _minimal_rejected(ws, pages)
    _assert_names_line(result, path, line_of(text, month))


def test_two_reports_of_the_same_month(ws: Workspace) -> None:
    before = _populate(ws, render(minimal_pages()))
    first = ws.reports_dir / REPORT_NAME
    other = "deltakere-tiltak-fylke-2013-11-kopi.txt"
    result = _rejected(ws, before, render(minimal_pages()), name=other)
    assert str(first) in result.stderr
    assert str(ws.reports_dir / other) in result.stderr
    assert "2013-11" in result.stderr


@pytest.mark.parametrize("content", [b"", b"\n", b"  \n\n\t\n"], ids=["empty", "newline", "space"])
def test_empty_file(ws: Workspace, content: bytes) -> None:
    before = _populate(ws, REAL_REPORT.read_bytes())
    _rejected(ws, before, content)


def _cut_points(text: str) -> dict[str, str]:
    """Truncated copies of the real report, by name."""
    lines = text.split("\n")
    n = len(lines)
    cuts = {f"{pct}% of the lines": "\n".join(lines[: n * pct // 100]) for pct in (25, 50, 90)}
    # mid-line: in the middle of the first data row at or after the middle of the file
    mid = next(i for i in range(n // 2, n) if "\t" in lines[i] and not lines[i].startswith("\t"))
    number_start = lines[mid].index("\t") + 1
    cuts["mid-line, inside a label"] = "\n".join([*lines[:mid], lines[mid][: number_start // 2]])
    cuts["mid-line, after a TAB"] = "\n".join([*lines[:mid], lines[mid][:number_start]])
    # the last table (the last county's measures) is where a cut is hardest to see
    last_title = max(i for i, line in enumerate(lines) if line.strip() == TITLE)
    cuts["the last page lost"] = "\n".join(lines[:last_title]).rstrip("\n")
    last = lines[-1]
    numbers = list(re.finditer(r"[0-9]+", last))
    cuts["the last number of the file lost"] = "\n".join([*lines[:-1], last[: numbers[-1].start()]])
    cuts["the last line lost"] = "\n".join(lines[:-1]).rstrip("\n")
    first_of_last_table = next(
        i for i in range(last_title, n) if "\t" in lines[i] and not lines[i].startswith("\t")
    )
    total = lines[first_of_last_table]
    cuts["mid-number in the repeated total of the last page"] = "\n".join(
        [*lines[:first_of_last_table], total[: total.index("\t") + 2]]
    )
    # the last county's section cut inside its first row, the county's total
    pages = [i for i, line in enumerate(lines) if line.strip() == TITLE]
    heads = {i: [line.strip() for line in lines[i:] if line.strip()][1:4] for i in pages}
    first_of_section = min(i for i in pages if heads[i] == heads[last_title])
    header = next(i for i in range(first_of_section, n) if lines[i].startswith("\t"))
    section_total = lines[header + 1]
    assert section_total.startswith("I alt ")
    cuts["the last section cut in its total row"] = "\n".join(
        [*lines[: header + 1], section_total[: section_total.index("\t") + 1]]
    )
    return cuts


_CUTS = list(_cut_points(REAL_REPORT.read_text(encoding="utf-8")))


@pytest.mark.parametrize("cut", _CUTS)
def test_truncated_report_is_refused(ws: Workspace, real_text: str, cut: str) -> None:
    truncated = _cut_points(real_text)[cut]
    assert len(truncated) < len(real_text.rstrip("\t"))
    before = _populate(ws, real_text)
    result = _rejected(ws, before, truncated)
    # the message points into the last page, where the file stops
    last_page = max(n for n, line in enumerate(truncated.split("\n"), 1) if line.strip() == TITLE)
    path = ws.reports_dir / REPORT_NAME
    lines = [int(m) for m in re.findall(rf"{re.escape(str(path))}:(\d+):", result.stderr)]
    assert lines, result.stderr
    assert all(line >= last_page for line in lines), (lines, last_page)


def test_nul_byte_is_refused_as_binary(ws: Workspace, real_text: str) -> None:
    before = _populate(ws, real_text)
    lines = real_text.split("\n")
    target = 40
    assert "\t" in lines[target - 1]
    lines[target - 1] = lines[target - 1].replace("\t", "\t\x00", 1)
    result = _rejected(ws, before, "\n".join(lines))
    _assert_names_line(result, ws.reports_dir / REPORT_NAME, target)


def test_compressed_file_is_refused(ws: Workspace, real_text: str) -> None:
    before = _populate(ws, real_text)
    _rejected(ws, before, gzip.compress(real_text.encode("utf-8"), mtime=0))


def test_latin1_file_is_refused(ws: Workspace, real_text: str) -> None:
    before = _populate(ws, real_text)
    first_non_ascii = next(
        n for n, line in enumerate(real_text.split("\n"), 1) if not line.isascii()
    )
    result = _rejected(ws, before, real_text.encode("latin-1"))
    _assert_names_line(result, ws.reports_dir / REPORT_NAME, first_non_ascii)
    assert "utf-8" in result.stderr.casefold()


def test_one_latin1_line_in_a_utf8_file_is_refused(ws: Workspace, real_text: str) -> None:
    """A county label saved in another encoding must not become a new, unknown label."""
    before = _populate(ws, real_text)
    lines = real_text.split("\n")
    target = next(n for n, line in enumerate(lines, 1) if line.startswith("Østfold\t"))
    data = "\n".join(lines).encode("utf-8")
    bad = data.replace(lines[target - 1].encode("utf-8"), lines[target - 1].encode("latin-1"), 1)
    assert bad != data
    result = _rejected(ws, before, bad)
    _assert_names_line(result, ws.reports_dir / REPORT_NAME, target)


def test_duplicated_page_is_refused(ws: Workspace) -> None:
    """A page printed twice in a row (a copy-paste or conversion slip) must not be read
    as a continuation: its rows would be counted twice."""
    pages = minimal_pages()
    fylke = next(i for i, page in enumerate(pages) if page.table == "Fylke")
    pages.insert(fylke + 1, pages[fylke])
    text, result, path = _minimal_rejected(ws, pages)
    oslo = [n for n, line in enumerate(text.split("\n"), 1) if line == row("Oslo", 25, -3, -11)]
    assert len(oslo) == 2
    _assert_names_line(result, path, oslo[1])


def test_misprinted_count_in_a_listing_table_is_named_where_it_is(
    ws: Workspace, real_text: str
) -> None:
    # Nordland's count in "Fylke" (printed again as the total of its per-county
    # table): the listing table's own column then no longer adds up, so the
    # extractor names the listing's line, not the per-county table's.
    before = _populate(ws, real_text)
    lines = real_text.split("\n")
    target = next(n for n, line in enumerate(lines, 1) if line.startswith("Nordland\t"))
    cells = lines[target - 1].split("\t")
    cells[1] = f"{int(cells[1].replace(' ', '')) + 1:,}".replace(",", " ")
    lines[target - 1] = "\t".join(cells)
    result = _rejected(ws, before, "\n".join(lines))
    first = next(line for line in result.stderr.splitlines() if f"{REPORT_NAME}:" in line)
    assert f"{REPORT_NAME}:{target}: " in first, result.stderr
    assert "likely this one" in first, result.stderr


def _heading_lines(text: str, heading: str) -> list[int]:
    """The lines that print ``heading`` alone: the sub-headings of its sections."""
    return [n for n, line in enumerate(text.split("\n"), 1) if line == heading]


@pytest.mark.parametrize(
    ("heading", "misspelt", "role", "printing"),
    [
        # the first page of a per-county section, and the page that continues it
        ("Akershus", "Akershuss", "county", 0),
        ("Akershus", "Akershuss", "county", -1),
        ("Finnmark", "Finmark", "county", -1),
        ("Arbeidssøkere på tiltak", "Arbeidsøkere på tiltak", "participant_group", 1),
    ],
)
def test_misspelt_sub_heading_is_named_on_its_own_line(
    ws: Workspace, real_text: str, heading: str, misspelt: str, role: str, printing: int
) -> None:
    """A misspelt section heading would open a table of its own and break the one it
    continues lines below: the extractor names the heading's line and the nearest name."""
    before = _populate(ws, real_text)
    lines = real_text.split("\n")
    target = _heading_lines(real_text, heading)[printing]
    lines[target - 1] = misspelt
    result = _rejected(ws, before, "\n".join(lines))
    _assert_names_line(result, ws.reports_dir / REPORT_NAME, target)
    assert f"unknown {role} heading {misspelt!r}" in result.stderr, result.stderr
    assert f"did you mean {heading!r}" in result.stderr, result.stderr
