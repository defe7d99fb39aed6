"""Proof that the reconciliation bites on the report as published: one number changed
by +-1 in the report text must stop `make build`, naming the misprinted line first.

Each fault changes one number of a copy of November 2013's report text, extracts it
again and builds as `make build` builds (python -m navtiltak.publish, the whole
project). The extractor may already refuse the report (it checks that sections agree
with the tables that list them, and that the last table adds up, to catch truncated
files): then its message must name the file, the misprinted line and the identity
that broke. Otherwise the build must fail, a reconciliation test (tag
`reconciliation`) must name the fault, nothing may be published, and the failure
summary must name the misprinted line before any other line of the report (that the
unaltered copy builds is shown in test_fault_injection.py). Changed seed cells are
injected in test_fault_injection.py; the locator's rate over many
misprints is measured in memory (tests/python/locate/).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from faults import (
    ARBS,
    REPORT,
    REPORT_MONTH,
    Cell,
    find_cell,
    months_apart_from_a_year,
    reconciliation_tests,
)

from navtiltak_tools.generate import format_number, month_line, report_file_name, report_path
from navtiltak_tools.testing.warehouse_fixtures import (
    BIN,
    BuildOutcome,
    build,
    copy_project,
    extract,
)


@dataclass(frozen=True)
class TextFault:
    name: str
    cell: Cell  # where the extractor put the printed number: its line and column
    delta: int


def _text_faults() -> list[TextFault]:
    cells = [
        ("county count", "report_fylke", "", "Nordland", "Antall", 1),
        ("I alt", "report_fylke", "", "I alt", "Antall", -1),
        (
            "change",
            "report_fylke_og_hovedgruppe",
            ARBS,
            "Rogaland",
            "Endring fra i fjor Antall",
            1,
        ),
        ("age cell", "report_fylke_og_alder", "", "Troms", "60 år og over", -1),
        (
            "measure detail",
            "report_tiltak_hovedgrupper_og_fylke",
            "Østfold",
            "Mentor",
            "Nedsatt arbeidsevne, på tiltak",
            1,
        ),
    ]
    return [
        TextFault(f"report text: {name}", find_cell(seed, sub, row, col), delta)
        for name, seed, sub, row, col, delta in cells
    ]


FAULTS = _text_faults()


def _misprinted(text: str, fault: TextFault) -> str:
    """The report text with the fault's number changed."""
    lines = text.split("\n")
    cells = lines[fault.cell.line_number - 1].split("\t")
    current = cells[fault.cell.column_number].replace(" ", "")
    cells[fault.cell.column_number] = format_number(int(current or 0) + fault.delta)
    lines[fault.cell.line_number - 1] = "\t".join(cells)
    return "\n".join(lines)


def _moved_to(text: str, month: str) -> str:
    """The report text printed for ``month`` (YYYY-MM) instead of November 2013."""
    printed = month_line(REPORT_MONTH)
    moved = text.replace(f"\n{printed}\n", f"\n{month_line(month)}\n")
    assert moved != text, f"no month line {printed!r} in {REPORT}"
    return moved


@dataclass(frozen=True)
class Detections:
    refusals: dict[str, str]  # fault -> the extractor's refusal of its report alone
    months: dict[str, str]  # fault let through -> the month its report was moved to
    published: BuildOutcome | None  # the faults let through, built together
    seconds: float
    reconciliation: dict[str, str]  # the reconciliation tests, as faults.reconciliation_tests
    project: Path


@pytest.fixture(scope="module")
def detections(tmp_path_factory: pytest.TempPathFactory) -> Detections:
    project = copy_project(tmp_path_factory.mktemp("text-faults") / "project")
    report = project / "reports" / REPORT
    printed = report.read_text(encoding="utf-8")
    refusals = {}
    for fault in FAULTS:
        report.write_text(_misprinted(printed, fault), encoding="utf-8")
        extracted = extract(project)
        if extracted.returncode != 0:
            refusals[fault.name] = extracted.stderr
    report.write_text(printed, encoding="utf-8")
    let_through = [fault for fault in FAULTS if fault.name not in refusals]
    months = dict(
        zip(
            (fault.name for fault in let_through),
            months_apart_from_a_year(len(let_through) + 1)[1:],
            strict=True,
        )
    )
    if not let_through:
        return Detections(refusals, months, None, 0.0, {}, project)
    for fault in let_through:
        month = months[fault.name]
        text = _moved_to(_misprinted(printed, fault), month)
        report_path(project / "reports", month).write_text(text, encoding="utf-8")
    extracted = extract(project)
    assert extracted.returncode == 0, (
        f"the faults let through were refused together: {extracted.stderr}"
    )
    started = time.perf_counter()
    published = build(project, [str(BIN / "python"), "-m", "navtiltak.publish"])
    seconds = time.perf_counter() - started
    return Detections(refusals, months, published, seconds, reconciliation_tests(project), project)


def test_the_faults_let_through_stop_the_build(detections: Detections) -> None:
    published = detections.published
    assert published is not None, "the extractor refused every fault: none reached dbt"
    named = sorted(
        {
            detections.reconciliation[node]
            for node in published.failed
            if node in detections.reconciliation
        }
    )
    faults, seconds = len(detections.months), detections.seconds
    print(f"\n{faults} faults: exit {published.returncode}, {seconds:.1f} s")
    assert published.returncode != 0, "the faults were not detected: the build passed"
    assert named, f"the build failed but no reconciliation test did: {published.failed}"
    assert not (detections.project / "warehouse" / "nav_tiltak.duckdb").exists()


def test_the_control_report_is_not_suspected(detections: Detections) -> None:
    assert detections.published is not None
    output = detections.published.output
    assert f"reports/{REPORT}:" not in output, output[-3000:]


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_single_changed_number_is_named_first(fault: TextFault, detections: Detections) -> None:
    line = fault.cell.line_number
    refusal = detections.refusals.get(fault.name)
    if refusal is not None:
        print(f"\n{fault.name}: refused by the extractor: {refusal.splitlines()[0]}")
        assert "differs" in refusal or "does not add up" in refusal, refusal
        # the extractor names the misprinted line first
        assert f"reports/{REPORT}:" in refusal, refusal
        first = next(row for row in refusal.splitlines() if f"reports/{REPORT}:" in row)
        assert f"reports/{REPORT}:{line}: " in first, refusal
        return
    assert detections.published is not None
    # what `make build` says: the misprinted line before any other line of the report
    report = report_file_name(detections.months[fault.name])
    output = detections.published.output
    mentions = [row for row in output.splitlines() if row.startswith(f"reports/{report}:")]
    assert mentions, f"{fault.name}: reports/{report} is not named:\n{output[-3000:]}"
    print(f"\n{fault.name}: {mentions[0]}")
    assert mentions[0].startswith(f"reports/{report}:{line}: "), mentions
    summary = output[output.index("build failed.") :]
    assert summary.index(mentions[0]) < summary.index("failed dbt node"), summary
