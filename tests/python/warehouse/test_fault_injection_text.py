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

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from faults import (
    ARBS,
    BIN,
    REPORT,
    Build,
    Cell,
    build,
    copy_project,
    find_cell,
    reconciliation_tests,
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


def _format_number(value: int) -> str:
    grouped = f"{abs(value):,}".replace(",", " ")
    return f"-{grouped}" if value < 0 else grouped


def _misprint(project: Path, fault: TextFault) -> str | None:
    """Change the printed number in the report text, then extract again; the
    extractor's refusal, if it refused the report."""
    report = project / "reports" / REPORT
    lines = report.read_text(encoding="utf-8").split("\n")
    cells = lines[fault.cell.line_number - 1].split("\t")
    current = cells[fault.cell.column_number].replace(" ", "")
    cells[fault.cell.column_number] = _format_number(int(current or 0) + fault.delta)
    lines[fault.cell.line_number - 1] = "\t".join(cells)
    report.write_text("\n".join(lines), encoding="utf-8")
    extracted = subprocess.run(
        [str(BIN / "navtiltak-extract")], cwd=project, capture_output=True, text=True
    )
    return extracted.stderr if extracted.returncode != 0 else None


@dataclass(frozen=True)
class Workspace:
    """One copy of the project; each fault starts from its files as copied."""

    project: Path
    files: dict[Path, bytes]  # the seed and report files as copied, by path

    def restore(self) -> None:
        for path, content in self.files.items():
            path.write_bytes(content)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    project = copy_project(tmp_path_factory.mktemp("text-faults") / "project")
    files = {
        path: path.read_bytes()
        for path in [*(project / "seeds" / "report").glob("*.csv"), project / "reports" / REPORT]
    }
    return Workspace(project, files)


def _publish(project: Path) -> Build:
    """`make build`'s step after the extraction (no fail-fast: its failure summary names
    the suspects)."""
    return build(project, [str(BIN / "python"), "-m", "navtiltak.publish"])


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_single_changed_number_stops_make_build(fault: TextFault, workspace: Workspace) -> None:
    workspace.restore()
    project = workspace.project
    refusal = _misprint(project, fault)
    line = fault.cell.line_number
    if refusal is not None:
        print(f"\n{fault.name}: refused by the extractor: {refusal.splitlines()[0]}")
        assert "differs" in refusal or "does not add up" in refusal, refusal
        # the extractor names the misprinted line first
        assert f"reports/{REPORT}:" in refusal, refusal
        first = next(row for row in refusal.splitlines() if f"reports/{REPORT}:" in row)
        assert f"reports/{REPORT}:{line}: " in first, refusal
        return
    started = time.perf_counter()
    published = _publish(project)
    elapsed = time.perf_counter() - started
    tests = reconciliation_tests(project)
    named = [node for node in published.failed if node in tests]
    print(f"\n{fault.name}: exit {published.returncode}, {elapsed:.1f} s, caught by {len(named)}")
    assert published.returncode != 0, f"{fault.name} was not detected: the build passed"
    assert named, f"{fault.name} failed the build but no reconciliation test named it"
    # what `make build` says: the misprinted line before any other line of the report
    assert not (project / "warehouse" / "nav_tiltak.duckdb").exists()
    output = published.output
    mentions = [row for row in output.splitlines() if row.startswith(f"reports/{REPORT}:")]
    assert mentions, output[-3000:]
    print(f"    {mentions[0]}")
    assert mentions[0].startswith(f"reports/{REPORT}:{line}: "), mentions
    summary = output[output.index("build failed.") :]
    assert summary.index(mentions[0]) < summary.index("failed dbt node"), summary
