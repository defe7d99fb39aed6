"""Helpers for the extractor tests: hand-made report texts and a sandboxed CLI run.

A hand-made report is a list of ``Page`` objects rendered the way the published text
looks: title line, table name, month line, optional sub-heading, a header row that
starts with a TAB, then the data rows; blank lines between the parts and between the
pages, and no newline at the end of the file.

``minimal_pages()`` is the smallest report the extractor accepts as complete: all nine
table names, every participant-group section the ``Hovedgrupper`` table promises and
every county section the ``Fylke`` table promises (two groups, two counties). A test
replaces one page of it (``minimal_pages_with``) to show one quirk or one error.

The expectations in the tests are written by hand or read from the report text in the
test itself, never produced by running the extractor.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from navtiltak_tools.testing.project_paths import ALIASES

REPORT_NAME = "deltakere-tiltak-fylke-2013-11.txt"

TITLE = "Deltakere i arbeidsrettede tiltak. Tiltak og fylke. En måned"
NOTE = "Om tabellene"
MONTH = "November 2013"

# Published table name -> seed file (without .csv), as the project documents them.
SEED_OF_TABLE = {
    "Hovedgrupper": "report_hovedgrupper",
    "Fylke": "report_fylke",
    "Fylke og hovedgruppe": "report_fylke_og_hovedgruppe",
    "Fylke og alder": "report_fylke_og_alder",
    "Fylke, alder og hovedgrupper": "report_fylke_alder_og_hovedgrupper",
    "Fylke og tiltak": "report_fylke_og_tiltak",
    "Fylke, tiltak og hovedgrupper": "report_fylke_tiltak_og_hovedgrupper",
    "Tiltak og hovedgrupper": "report_tiltak_og_hovedgrupper",
    "Tiltak, hovedgrupper og fylke": "report_tiltak_hovedgrupper_og_fylke",
}
SEED_COLUMNS = [
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
]

ARB = "Arbeidssøkere på tiltak"
NED = "Nedsatt arbeidsevne, på tiltak"
METRICS = ["Antall", "Endring fra i fjor Antall", "Endring fra i fjor Prosent"]


def printed(cell: object) -> str:
    """A cell as the report prints it: integers grouped by a space (``-2 888``)."""
    if isinstance(cell, int):
        return f"{cell:,}".replace(",", " ")
    return str(cell)


def row(label: str, *cells: object) -> str:
    """A data line as printed: the label and the cells joined by TABs."""
    return "\t".join([label, *(printed(cell) for cell in cells)])


@dataclass
class Page:
    table: str
    header: list[str] | None
    rows: list[str] = field(default_factory=list)
    sub_heading: str | None = None
    month: str = MONTH

    def lines(self) -> list[str]:
        out = [TITLE, "", self.table, "", self.month, ""]
        if self.sub_heading is not None:
            out += [self.sub_heading, ""]
        if self.header is not None:
            out.append("\t" + "\t".join(self.header))
        out += self.rows
        return out


def render(pages: Iterable[Page], *, final_newline: bool = False) -> str:
    text = "\n\n\n".join("\n".join(page.lines()) for page in pages)
    return text + "\n" if final_newline else text


def minimal_pages(scale: int = 1) -> list[Page]:
    """A complete, internally consistent report: 2 groups, 2 counties, 2 measure groups.

    Every count and change is multiplied by ``scale`` (the percentages stay as they are).
    """

    def k(*numbers: int) -> list[int]:
        return [n * scale for n in numbers]

    return [
        Page(NOTE, None, ['"Om statistikken" finner du på nav.no.']),
        Page(
            "Hovedgrupper",
            METRICS,
            [
                row("I alt", *k(30, -3), -9),
                row(ARB, *k(10, -1), -9),
                row(NED, *k(20, -2), -9),
            ],
        ),
        Page(
            "Fylke",
            METRICS,
            [
                row("I alt", *k(30, -3), -9),
                row("Oslo", *k(25, -3), -11),
                row("Ukjent", *k(5, 0), 0),
            ],
        ),
        Page(
            "Fylke og hovedgruppe",
            METRICS,
            [
                row("I alt arbeidssøkere på tiltak", *k(10, -1), -9),
                row("Oslo", *k(8, -1), -11),
                row("Ukjent", *k(2, 0), 0),
            ],
            sub_heading=ARB,
        ),
        Page(
            "Fylke og hovedgruppe",
            METRICS,
            [
                row("I alt nedsatt arbeidsevne, på tiltak", *k(20, -2), -9),
                row("Oslo", *k(17, -2), -11),
                row("Ukjent", *k(3, 0), 0),
            ],
            sub_heading=NED,
        ),
        Page(
            "Fylke og alder",
            ["I alt", "19 år og under", "20-24 år"],
            [row("I alt", *k(30, 12, 18)), row("Oslo", *k(25, 10, 15)), row("Ukjent", *k(5, 2, 3))],
        ),
        Page(
            "Fylke, alder og hovedgrupper",
            ["I alt", "19 år og under", "20-24 år"],
            [row("I alt", *k(10, 4, 6)), row("Oslo", *k(8, 3, 5)), row("Ukjent", *k(2, 1, 1))],
            sub_heading=ARB,
        ),
        Page(
            "Fylke, alder og hovedgrupper",
            ["I alt", "19 år og under", "20-24 år"],
            [row("I alt", *k(20, 8, 12)), row("Oslo", *k(17, 7, 10)), row("Ukjent", *k(3, 1, 2))],
            sub_heading=NED,
        ),
        Page(
            "Fylke og tiltak",
            ["I alt", "Avklaringstiltak", "Oppfølging"],
            [row("I alt", *k(30, 12, 18)), row("Oslo", *k(25, 10, 15)), row("Ukjent", *k(5, 2, 3))],
        ),
        Page(
            "Fylke, tiltak og hovedgrupper",
            ["I alt", "Avklaringstiltak", "Oppfølging"],
            [row("I alt", *k(10, 4, 6)), row("Oslo", *k(8, 3, 5)), row("Ukjent", *k(2, 1, 1))],
            sub_heading=ARB,
        ),
        Page(
            "Fylke, tiltak og hovedgrupper",
            ["I alt", "Avklaringstiltak", "Oppfølging"],
            [row("I alt", *k(20, 8, 12)), row("Oslo", *k(17, 7, 10)), row("Ukjent", *k(3, 1, 2))],
            sub_heading=NED,
        ),
        Page(
            "Tiltak og hovedgrupper",
            ["I alt", ARB, NED],
            [
                row("I alt", *k(30, 10, 20)),
                row("Avklaring", *k(12, 4, 8)),
                row("I alt avklaringstiltak", *k(12, 4, 8)),
                row("Oppfølging", *k(18, 6, 12)),
                row("I alt oppfølging", *k(18, 6, 12)),
            ],
        ),
        Page(
            "Tiltak, hovedgrupper og fylke",
            ["I alt", ARB, NED],
            [
                row("I alt Oslo", *k(25, 8, 17)),
                row("Avklaring", *k(10, 3, 7)),
                row("I alt avklaringstiltak", *k(10, 3, 7)),
                row("Oppfølging", *k(15, 5, 10)),
                row("I alt oppfølging", *k(15, 5, 10)),
            ],
            sub_heading="Oslo",
        ),
        Page(
            "Tiltak, hovedgrupper og fylke",
            ["I alt", ARB, NED],
            [
                row("I alt Ukjent", *k(5, 2, 3)),
                row("Avklaring", *k(2, 1, 1)),
                row("I alt avklaringstiltak", *k(2, 1, 1)),
                row("Oppfølging", *k(3, 1, 2)),
                row("I alt oppfølging", *k(3, 1, 2)),
            ],
            sub_heading="Ukjent",
        ),
    ]


def minimal_pages_with(
    table: str, sub_heading: str | None = None, *replacement: Page
) -> list[Page]:
    """The minimal report with the page of ``table``/``sub_heading`` replaced by ``replacement``."""
    pages = minimal_pages()
    matches = [
        i for i, page in enumerate(pages) if (page.table, page.sub_heading) == (table, sub_heading)
    ]
    assert len(matches) == 1, f"no single page {table!r}/{sub_heading!r} in the minimal report"
    pages[matches[0] : matches[0] + 1] = list(replacement)
    return pages


def line_of(text: str, line: str) -> int:
    """The 1-based number of the one line of ``text`` equal to ``line``."""
    numbers = [n for n, text_line in enumerate(text.split("\n"), 1) if text_line == line]
    assert len(numbers) == 1, f"{line!r} occurs {len(numbers)} times in the report text"
    return numbers[0]


def page_number_of_line(text: str, line_number: int) -> int:
    """Pages count from 1 at each title line (the note page included)."""
    lines = text.split("\n")[:line_number]
    return sum(1 for line in lines if line.strip() == TITLE)


def read_seed(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == SEED_COLUMNS, path
        return list(reader)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seeds_dir: Path

    def rows(self, table: str, sub_heading: str | None = None) -> list[dict[str, str]]:
        """Seed rows of one published table (one section when ``sub_heading`` is given)."""
        rows = read_seed(self.seeds_dir / f"{SEED_OF_TABLE[table]}.csv")
        if sub_heading is None:
            return rows
        return [r for r in rows if r["sub_heading"] == sub_heading]

    def cells(
        self, table: str, sub_heading: str | None = None
    ) -> dict[tuple[str, str], tuple[str, str]]:
        """(row label, column label) -> (cell value, cell status); each key once."""
        out: dict[tuple[str, str], tuple[str, str]] = {}
        for r in self.rows(table, sub_heading):
            key = (r["row_label"], r["column_label"])
            assert key not in out, f"cell {key} twice in {table}/{sub_heading}"
            out[key] = (r["cell_value"], r["cell_status"])
        return out


class Workspace:
    """A reports folder and a seeds folder under tmp_path, and the CLI run on them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.reports_dir = root / "reports"
        self.seeds_dir = root / "seeds" / "report"
        self.reports_dir.mkdir(parents=True)

    def write(self, content: str | bytes, name: str = REPORT_NAME) -> Path:
        path = self.reports_dir / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    def run(self, *extra: str) -> Run:
        from navtiltak.extract.cli import main

        out, err = io.StringIO(), io.StringIO()
        argv = [
            "--reports-dir",
            str(self.reports_dir),
            "--seeds-dir",
            str(self.seeds_dir),
            "--aliases",
            str(ALIASES),
            *extra,
        ]
        with redirect_stdout(out), redirect_stderr(err):
            code = main(argv)
        return Run(code, out.getvalue(), err.getvalue(), self.seeds_dir)

    def extract(self, content: str | bytes) -> Run:
        """Write the report and extract it; the run must succeed."""
        self.write(content)
        result = self.run()
        assert result.code == 0, result.stderr
        return result

    def snapshot(self) -> dict[str, bytes]:
        """Every file in the seeds folder (temporary files included) and its bytes."""
        if not self.seeds_dir.exists():
            return {}
        return {p.name: p.read_bytes() for p in sorted(self.seeds_dir.iterdir())}
