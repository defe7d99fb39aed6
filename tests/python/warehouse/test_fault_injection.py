"""Proof that the reconciliation bites: one printed number changed by +-1 must fail
`dbt build`, and a reconciliation test must name the month it is in.

Every fault is one printed number of November 2013 changed by +-1, chosen by what it is
(a detail cell, a total, a change, an age cell, a percent, a blank, in every table
family) or drawn at random. The faults are built together: the copy's report seeds hold
November 2013 again under other months, no two of them a year apart (the only rule
across months compares a month with the same month a year before), so that every month
is checked on its own. Each fault goes into a month of its own, and one month, the
control, stays as printed.

The copy is first built unaltered as far as the reconciliation tests (tag
`reconciliation`) reach, those tests included, and must pass (`dbt build --select
+tag:reconciliation --indirect-selection empty`; the models' other tests are `make
test`'s dbt-test, on the report as printed). Then every fault is applied, and one
build runs the reconciliation tests the changed seeds reach and the models between
(`--select <seed>+,+tag:reconciliation`), without fail-fast, so that every such test
runs: tests the first build passed, on data that differs by the faults alone. A fault
is detected when the build fails and a failed reconciliation test keeps a row of the
fault's month among its stored failures; the control month must be in none. The
detections are printed (run pytest with -s to see them).

Faults in the report text, built as `make build` builds them, are in
test_fault_injection_text.py; the locator's rate over many misprints is measured in
memory (tests/python/locate/, navtiltak_tools.locate_faults).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from faults import (
    RECONCILIATION_TAG,
    CellFault,
    months_apart_from_a_year,
    named_seed_faults,
    random_seed_faults,
    read_seed,
    reconciliation_tests,
    report_seeds,
    shift_cell,
    write_seed,
)

from navtiltak_tools.generate import report_file_name
from navtiltak_tools.testing.warehouse_fixtures import (
    BIN,
    BUILD_DB,
    BuildOutcome,
    build,
    copy_project,
)

FAULTS = named_seed_faults() + random_seed_faults(count=6, seed=20131101)
# The columns in which the rows a reconciliation test keeps name their month.
MONTH_COLUMNS = ("report_month", "month")


# The control month first, then one month a fault.
MONTHS = months_apart_from_a_year(len(FAULTS) + 1)
CONTROL = MONTHS[0]
FAULT_MONTHS = dict(zip((fault.name for fault in FAULTS), MONTHS[1:], strict=True))


def _repeat_the_report(project: Path) -> None:
    """Each report seed holds November 2013 under every month of MONTHS."""
    for seed in report_seeds(project):
        printed = read_seed(project, seed)
        rows = [
            {**row, "report_month": month, "source_file": report_file_name(month)}
            for month in MONTHS
            for row in printed
        ]
        write_seed(project, seed, rows)


def _dbt_build(project: Path, select: list[str] | None = None) -> BuildOutcome:
    command = [str(BIN / "dbt"), "build"]
    if select:
        # the selected tests only, not every test of the models between
        command += ["--select", *select, "--indirect-selection", "empty"]
    return build(project, command)


@dataclass(frozen=True)
class Detections:
    baseline: BuildOutcome  # the unaltered copy, built with every reconciliation test
    faulted: BuildOutcome  # every fault applied, the reconciliation tests they reach built
    seconds: float  # the faulted build's
    months: dict[str, set[str]]  # failed reconciliation test -> months in its stored rows


def _months_kept(
    database: Path, relations: dict[str, str], failed: list[str]
) -> dict[str, set[str]]:
    """For each failed reconciliation test, the months of the rows it stored."""
    kept: dict[str, set[str]] = {}
    with duckdb.connect(str(database), read_only=True) as connection:
        for node in failed:
            relation = relations.get(node)
            if relation is None or relation in kept:
                continue
            columns = [row[0] for row in connection.execute(f"describe {relation}").fetchall()]
            column = next((name for name in MONTH_COLUMNS if name in columns), None)
            assert column is not None, f"{relation} keeps no month: {columns}"
            months = connection.execute(f"select distinct {column} from {relation}").fetchall()
            kept[relation] = {str(month)[:7] for (month,) in months}
    return kept


@pytest.fixture(scope="module")
def detections(tmp_path_factory: pytest.TempPathFactory) -> Detections:
    project = copy_project(tmp_path_factory.mktemp("faults") / "project")
    _repeat_the_report(project)
    baseline = _dbt_build(project, [f"+tag:{RECONCILIATION_TAG}"])
    if baseline.returncode != 0:
        return Detections(baseline, baseline, 0.0, {})
    for fault in FAULTS:
        rows = read_seed(project, fault.cell.seed)
        shift_cell(rows, fault.cell, fault.delta, FAULT_MONTHS[fault.name])
        write_seed(project, fault.cell.seed, rows)
    changed = sorted({fault.cell.seed for fault in FAULTS})
    started = time.perf_counter()
    faulted = _dbt_build(project, [f"{seed}+,+tag:{RECONCILIATION_TAG}" for seed in changed])
    seconds = time.perf_counter() - started
    relations = reconciliation_tests(project)
    months = _months_kept(project / BUILD_DB, relations, faulted.failed)
    return Detections(baseline, faulted, seconds, months)


def test_unaltered_copy_builds(detections: Detections) -> None:
    """The copy passes every reconciliation test, the report repeated under every month
    included, so a failure below is the faults' doing."""
    baseline = detections.baseline
    assert baseline.returncode == 0, f"the unaltered copy failed: {baseline.failed}"


def test_faults_fail_the_build(detections: Detections) -> None:
    faulted = detections.faulted
    print(f"\n{len(FAULTS)} faults: exit {faulted.returncode}, {detections.seconds:.1f} s")
    assert faulted.returncode != 0, "the faults were not detected: dbt build passed"


def test_the_control_month_is_named_by_no_test(detections: Detections) -> None:
    named = [relation for relation, months in detections.months.items() if CONTROL in months]
    assert not named, f"{CONTROL}, left as printed, is among the failures of {named}"


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_single_changed_number_is_named(fault: CellFault, detections: Detections) -> None:
    month = FAULT_MONTHS[fault.name]
    named = sorted(relation for relation, months in detections.months.items() if month in months)
    print(f"\n{fault.name} (in {month}): caught by {len(named)} test(s)")
    for relation in named[:5]:
        print(f"    {relation}")
    assert named, (
        f"{fault.name}, in {month}: no failed reconciliation test kept a row of that month"
        f" (failed: {detections.faulted.failed})"
    )
