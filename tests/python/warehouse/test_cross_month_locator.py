"""The locator over the rule that spans two reports: two generated months a year apart,
the later one's last-year column (Endring fra i fjor Antall) misprinted in one cell.
`make build`'s failed-build path must name that file and line first, with the
cross-month rule among the identities the cell explains; and, on the identities it
read from that build, a misprinted count of the earlier report is named in the earlier
report's file, which only the cross-month rule ties to the later month.

Two pairs of months, built together: within one county division (compared county by
county), and across the 2020 reform (compared region by region), at a county whose
border did not move (where it moved, the rule is not checkable and the sums alone
locate a misprint)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

import navtiltak_tools.generate as gen
from navtiltak.locate.identities import Month, load_months
from navtiltak.locate.suspects import locate_month
from navtiltak_tools.testing.warehouse_fixtures import BUILD_DB, copy_project, extract, run_publish

RULE_ID = "last_year_matches_earlier_report"
DELTA = 3


@dataclass(frozen=True)
class MonthPair:
    """Two months a year apart and the county misprinted in the later report."""

    earlier: str
    later: str
    county: str


PAIRS = [
    # one division (2013-2017): Østfold compared with Østfold
    MonthPair("2015-02", "2016-02", "Østfold"),
    # across the 2020 reform: region 11, whose border did not move, both sides summed
    MonthPair("2019-03", "2020-03", "Rogaland"),
]


@dataclass(frozen=True)
class Misprinted:
    """A failed build's project, the later report, its misprinted line, the value it
    was generated with, and the build's stderr."""

    pair: MonthPair
    project: Path
    later: Path
    line: int
    generated: int
    stderr: str


# reports/<file>:<line>: <where>, column <column>: printed <n>, the report's identities
# say <n> (<k> identities broken, ...)
SUSPECT_LINE = re.compile(
    r"^reports/(?P<file>\S+):(?P<line>\d+): .*, column (?P<column>[^:]+): "
    r"printed (?P<printed>-?[\d ]+), the report's identities say (?P<needed>-?[\d ]+) \("
)


def number(text: str) -> int:
    return int(text.replace(" ", ""))


def first_printed_row(report: Path, label: str) -> tuple[int, list[str]]:
    """The first line printing ``label`` with a count and a change: number and cells."""
    for number_, line in enumerate(report.read_text(encoding="utf-8").split("\n"), start=1):
        cells = line.split("\t")
        if len(cells) >= 3 and cells[0] == label:
            return number_, cells
    raise AssertionError(f"{report.name} prints no row {label}")


def misprint(later: Path, county: str) -> tuple[int, int]:
    """Add DELTA to the change printed in ``county``'s first row: its line, and the
    value the report was generated with."""
    lines = later.read_text(encoding="utf-8").split("\n")
    line, cells = first_printed_row(later, county)
    generated = number(cells[2])
    cells[2] = gen.format_number(generated + DELTA)
    lines[line - 1] = "\t".join(cells)
    later.write_text("\n".join(lines), encoding="utf-8")
    return line, generated


@pytest.fixture(scope="module")
def failed_build(tmp_path_factory: pytest.TempPathFactory) -> dict[MonthPair, Misprinted]:
    """One build of every pair's reports, each later report misprinted: the locator
    reads each month on its own, so that one build serves every pair."""
    project = copy_project(tmp_path_factory.mktemp("cross-month-locator") / "project")
    shutil.rmtree(project / "reports")
    (project / "reports").mkdir()
    misprints = {}
    for pair in PAIRS:
        gen.write_reports([pair.earlier], project / "reports")
        # generated beside the earlier report: its last-year figures are read from it
        (later,) = gen.write_reports([pair.later], project / "reports")
        misprints[pair] = (later, *misprint(later, pair.county))
    assert extract(project).returncode == 0
    published = run_publish(project)
    assert published.returncode != 0, "the build passed with misprinted changes"
    return {
        pair: Misprinted(pair, project, later, line, generated, published.stderr)
        for pair, (later, line, generated) in misprints.items()
    }


@pytest.fixture(scope="module", params=PAIRS, ids=lambda pair: f"{pair.earlier}-{pair.later}")
def misprinted(
    request: pytest.FixtureRequest, failed_build: dict[MonthPair, Misprinted]
) -> Misprinted:
    return failed_build[request.param]


def test_the_misprinted_change_is_named_first(misprinted: Misprinted) -> None:
    later, line, generated = misprinted.later, misprinted.line, misprinted.generated
    lines = misprinted.stderr.splitlines()
    # each month's suspects follow "build failed.", month by month: this report's first
    suspects = [SUSPECT_LINE.match(text) for text in lines[lines.index("build failed.") + 1 :]]
    found = next((match for match in suspects if match and match["file"] == later.name), None)
    assert found, "\n".join(lines[:10])
    assert (found["file"], int(found["line"])) == (later.name, line)
    assert found["column"] == "Endring fra i fjor Antall"
    assert number(found["printed"]) == generated + DELTA
    assert number(found["needed"]) == generated


def test_the_cross_month_rule_is_among_what_the_suspect_explains(misprinted: Misprinted) -> None:
    later, line = misprinted.later, misprinted.line
    with duckdb.connect(str(misprinted.project / BUILD_DB), read_only=True) as connection:
        rules = {
            rule
            for (rule,) in connection.execute(
                "select identities.rule_id "
                "from diagnostics.report_suspect_identities as identities "
                "inner join diagnostics.report_suspects as suspects using "
                "(report_month, solution_rank, table_code, line_number, column_number) "
                "where suspects.solution_rank = 1 and suspects.source_file = ? "
                "and suspects.line_number = ?",
                [later.name, line],
            ).fetchall()
        }
    assert RULE_ID in rules, rules


@pytest.fixture(scope="module")
def later_month(misprinted: Misprinted) -> Month:
    later = dt.date.fromisoformat(f"{misprinted.pair.later}-01")
    with duckdb.connect(str(misprinted.project / BUILD_DB), read_only=True) as connection:
        (month,) = load_months(connection, only=[later])
    return month


def test_a_misprint_in_last_years_report_is_named_in_that_report(
    misprinted: Misprinted, later_month: Month
) -> None:
    """The later month as generated (its misprint undone) and the earlier report's
    count of the same county changed: the locator names the earlier file and line."""
    later, line, generated = misprinted.later, misprinted.line, misprinted.generated
    earlier = gen.reports_by_month(later.parent)[misprinted.pair.earlier]
    earlier_line, earlier_cells = first_printed_row(earlier, misprinted.pair.county)
    (changed,) = [
        key
        for key, cell in later_month.cells.items()
        if cell.source_file == later.name and cell.line_number == line and key[2] == 2
    ]
    (count,) = [
        key
        for key, cell in later_month.cells.items()
        if cell.source_file == earlier.name and cell.line_number == earlier_line and key[2] == 1
    ]
    printed = number(earlier_cells[1])
    assert later_month.values[count] == printed
    values = {**later_month.values, changed: generated, count: printed + DELTA}
    diagnosis = locate_month(later_month, values)
    assert diagnosis.top is not None
    named = [(s.cell.location, s.printed, s.needed) for s in diagnosis.top.suspects]
    assert named == [(f"reports/{earlier.name}:{earlier_line}", printed + DELTA, printed)]
    assert any(identity.rule_id == RULE_ID for identity in diagnosis.top.suspects[0].explains)
