"""Copies of the dbt project, filled with generated reports and extracted into seeds."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from navtiltak_tools import PROJECT_ROOT
from navtiltak_tools.bench.measure import Run, child_env, run_measured, tail
from navtiltak_tools.generate import month_range, shift_month

FIRST_MONTH = "2013-11"
REPORT_SEEDS = Path("seeds/report")
# What a project copy holds: what `dbt build` reads, nothing it writes.
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_DIRS = ("models", "macros", "seeds/reference", "tests/dbt", "docs")


def copy_project(dest: Path) -> Path:
    """A fresh copy of what ``dbt build`` reads, with an empty seeds/report/ (YAML only)."""
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy2(PROJECT_ROOT / name, dest / name)
    for name in PROJECT_DIRS:
        shutil.copytree(PROJECT_ROOT / name, dest / name, ignore=shutil.ignore_patterns("target"))
    (dest / REPORT_SEEDS).mkdir(parents=True)
    for path in (PROJECT_ROOT / REPORT_SEEDS).glob("*.yml"):
        shutil.copy2(path, dest / REPORT_SEEDS / path.name)
    return dest


def clone_project(source: Path, dest: Path) -> Path:
    """Copy a prepared project (reports and seeds included), leaving dbt's outputs behind."""
    ignore = shutil.ignore_patterns("target", "logs", "warehouse", "floor", "reports")
    shutil.copytree(source, dest, ignore=ignore)
    return dest


def months_for(count: int) -> list[str]:
    return month_range(FIRST_MONTH, shift_month(FIRST_MONTH, count - 1))


def extract(project: Path) -> Run:
    command = [
        sys.executable,
        "-m",
        "navtiltak.extract",
        "--reports-dir",
        "reports",
        "--seeds-dir",
        str(REPORT_SEEDS),
        "--aliases",
        "seeds/reference/label_aliases.csv",
    ]
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
