"""Copies of the project as a user has it: a fresh clone with reports dropped into
reports/, the venv present (linked to this tree's)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from navtiltak_tools import PROJECT_ROOT
from navtiltak_tools.bench.measure import Run, child_env, run_measured, tail
from navtiltak_tools.generate import month_range, shift_month, write_reports
from navtiltak_tools.project_copy import copy_sources
from navtiltak_tools.venv_link import link_venv

FIRST_MONTH = "2013-11"
REPORTS = Path("reports")
REPORT_SEEDS = Path("seeds/report")
VENV = Path(".venv")
# What `make build` writes beside the sources; removed to start again as a fresh clone.
BUILD_OUTPUTS = ("target", "logs", "warehouse")


def clone_project(dest: Path) -> Path:
    """The project's sources as a clone has them, its venv linked, reports/ emptied."""
    copy_sources(PROJECT_ROOT, dest)
    link_venv(dest, PROJECT_ROOT / VENV)
    for report in (dest / REPORTS).glob("*.txt"):
        report.unlink()
    return dest


def reset_to_clone(project: Path) -> None:
    """Remove what a build wrote (dbt's target/ with its partial parse, the warehouse)."""
    for name in BUILD_OUTPUTS:
        shutil.rmtree(project / name, ignore_errors=True)


def months_for(count: int) -> list[str]:
    return month_range(FIRST_MONTH, shift_month(FIRST_MONTH, count - 1))


def drop_reports(project: Path, months: list[str], seed: int) -> None:
    write_reports(months, project / REPORTS, seed)


def extract(project: Path) -> Run:
    """The extraction alone (what `make seeds` runs in a fresh clone: every report read,
    none from the cache), for its own time and peak memory."""
    command = [sys.executable, "-m", "navtiltak.extract", "--no-cache"]
    run = run_measured(command, project, child_env(project))
    if run.returncode != 0:
        raise SystemExit(f"error: extraction failed in {project}:\n{tail(run.output)}")
    return run


def csv_rows(directory: Path) -> int:
    """Data rows (lines after the header) of every CSV file in ``directory``."""
    total = 0
    for path in sorted(directory.glob("*.csv")):
        with path.open("rb") as handle:
            total += sum(1 for _ in handle) - 1
    return total
