"""What `make build` says when the rule that spans two reports fails.

A month whose last-year figures were drawn apart from the real report's: the summary
names both files and lines, the printed numbers and the rule in words, read back here
from the report files and the seed. (An unknown label's summary is tested with the
label, test_unknown_label.py.)
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

import navtiltak_tools.generate as gen
from navtiltak_tools.testing.project_paths import REAL_REPORT, REFERENCE
from navtiltak_tools.testing.warehouse_fixtures import copy_project, extract, run_publish

LATER = "2014-11"
RULE_ID = "last_year_matches_earlier_report"
# reports/<file>:<line>: <row>: Antall <n>, Endring fra i fjor Antall <n>: count minus
# change gives <n> as <month>'s count, but reports/<file>:<line> (<row>, column Antall)
# prints <n> (difference <n>)
FIGURE_LINE = re.compile(
    r"^  reports/(?P<later>\S+):(?P<later_line>\d+): .*: Antall (?P<count>-?[\d ]+), "
    r"Endring fra i fjor Antall (?P<change>-?[\d ]+): count minus change gives "
    r"(?P<derived>-?[\d ]+) as (?P<month>\d{4}-\d\d)'s count, but "
    r"reports/(?P<earlier>\S+):(?P<earlier_line>\d+) \(.*, column Antall\) prints "
    r"(?P<printed>-?[\d ]+) \(difference (?P<difference>-?[\d ]+)\)$"
)


def number(text: str) -> int:
    return int(text.replace(" ", ""))


def printed_cells(report: Path, line: int) -> list[str]:
    """The cells of one printed line, as printed."""
    return report.read_text(encoding="utf-8").split("\n")[line - 1].split("\t")


def rule_description() -> str:
    with (REFERENCE / "reconciliation_rules.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = [row for row in csv.DictReader(handle) if row["rule_id"] == RULE_ID]
    return row["rule_description"]


def summary(stderr: str) -> list[str]:
    """The lines from the summary's "build failed." on."""
    lines = stderr.splitlines()
    return lines[lines.index("build failed.") :]


@pytest.fixture(scope="module")
def cross_month_failure(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real report and a month a year later generated apart from it (its last-year
    figures drawn, not read from the real report, as the generator did before it read them
    from a report beside it: tests/python/unit/navtiltak_tools/generate/): a failed
    build's stderr."""
    project = copy_project(tmp_path_factory.mktemp("cross-month") / "project")
    apart = tmp_path_factory.mktemp("apart")
    (written,) = gen.write_reports([LATER], apart)
    shutil.copy2(written, project / "reports" / written.name)
    assert extract(project).returncode == 0
    published = run_publish(project)
    assert published.returncode != 0, "the build passed with last year's figures drawn apart"
    return project, published.stderr


def test_cross_month_failure_names_both_reports_lines_and_numbers(
    cross_month_failure: tuple[Path, str],
) -> None:
    project, stderr = cross_month_failure
    lines = summary(stderr)
    assert RULE_ID in lines[1] and rule_description() in lines[1], lines[:2]
    figures = [match for line in lines if (match := FIGURE_LINE.match(line))]
    assert len(figures) >= 5, "\n".join(lines[:15])
    later_month = dict(gen.reports_by_month(project / "reports"))
    for figure in figures:
        assert figure["month"] == "2013-11"
        assert figure["earlier"] == REAL_REPORT.name
        assert later_month[LATER].name == figure["later"]
        # the numbers are the ones printed on the lines named
        later_cells = printed_cells(
            project / "reports" / figure["later"], int(figure["later_line"])
        )
        assert figure["count"] == later_cells[1] and figure["change"] == later_cells[2]
        earlier_cells = printed_cells(REAL_REPORT, int(figure["earlier_line"]))
        assert figure["printed"] == earlier_cells[1]
        assert later_cells[0] == earlier_cells[0]  # the same county
        derived = number(figure["count"]) - number(figure["change"])
        assert number(figure["derived"]) == derived
        assert number(figure["difference"]) == derived - number(figure["printed"]) != 0


def test_cross_month_failure_is_not_searched_as_a_misprint(
    cross_month_failure: tuple[Path, str],
) -> None:
    """Each report is consistent on its own, the later one's change does not match the
    earlier one's counts: the build fails on the cross-month rule's test, and the search
    for misprints has nothing to find."""
    _, stderr = cross_month_failure
    assert "misprinted cells" not in stderr
    failed = stderr[stderr.index("failed dbt node(s)") :].splitlines()[1:]
    assert any("int_report_months_compared" in node for node in failed), failed
