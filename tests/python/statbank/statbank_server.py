"""The statistics bank's test helpers: a warehouse of months it has to get right, and
the server over it.

The build (a project copy, about 25 s, once per run): the November 2013 report and
generated reports of November 2019, 2020 (the regional reform; one printed cell replaced
by NAV's `*`) and 2024 (the splits). It is published to a file of its own, and `python -m
navtiltak.statbank` serves that file on 127.0.0.1 and a free port, stopped by its PID.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from navtiltak_tools.generate import write_reports
from navtiltak_tools.testing.project_paths import REAL_REPORT
from navtiltak_tools.testing.warehouse_fixtures import BUILD_DB, copy_project, dbt_build, extract
from navtiltak_tools.throwaway import start_statbank, stop_process

MONTHS = {"2019-11": 7, "2020-11": 7, "2024-11": 7}
SUPPRESSED_MONTH = "2020-11"
# The cell NAV hides: Ukjent, "Andre på tiltak", 19 år og under, in the table
# "Fylke, alder og hovedgrupper" (the one table printing it at this grain).
SUPPRESSED_TABLE = "Fylke, alder og hovedgrupper"
SUPPRESSED_GROUP_HEADING = "Andre på tiltak"
SUPPRESSED_ROW = "Ukjent"
SUPPRESSED_COLUMN = 2  # 0 the row label, 1 I alt, 2 the first age band


def suppress_one_cell(report: Path) -> None:
    """Replace one printed cell of ``report`` by `*`, as NAV marks a suppressed cell."""
    lines = report.read_text(encoding="utf-8").split("\n")
    in_table = in_group = False
    for number, line in enumerate(lines):
        if line.strip() == SUPPRESSED_TABLE:
            in_table, in_group = True, False
        elif in_table and line.strip() == SUPPRESSED_GROUP_HEADING:
            in_group = True
        elif in_group and line.split("\t")[0] == SUPPRESSED_ROW:
            fields = line.split("\t")
            fields[SUPPRESSED_COLUMN] = "*"
            lines[number] = "\t".join(fields)
            report.write_text("\n".join(lines), encoding="utf-8")
            return
    raise AssertionError(f"no {SUPPRESSED_ROW} line under {SUPPRESSED_GROUP_HEADING} in {report}")


def build_warehouse(destination: Path, published: Path) -> None:
    """Build the months in a project copy at ``destination``; publish to ``published``
    (written beside it, then renamed: once_per_run waits for this file)."""
    project = copy_project(destination)
    reports = project / "reports"
    shutil.rmtree(reports)
    reports.mkdir()
    shutil.copy2(REAL_REPORT, reports / REAL_REPORT.name)
    for month, seed in MONTHS.items():
        write_reports([month], reports, seed=seed)
    suppress_one_cell(next(reports.glob(f"*{SUPPRESSED_MONTH}*.txt")))
    extracted = extract(project)
    assert extracted.returncode == 0, extracted.stderr
    build = dbt_build(project)
    assert build.returncode == 0, f"the build failed: {build.failed}\n{build.output[-3000:]}"
    partial = published.with_suffix(".partial")
    shutil.copy2(project / BUILD_DB, partial)
    partial.replace(published)


@dataclass(frozen=True)
class Server:
    url: str  # the API's root, http://127.0.0.1:PORT/api/v2
    process: subprocess.Popen[bytes]
    warehouse: Path


def start_server(warehouse: Path, env: dict[str, str] | None = None) -> Server:
    try:
        process, url = start_statbank(warehouse, env)
    except (RuntimeError, TimeoutError) as exc:
        raise AssertionError(str(exc)) from exc
    return Server(url, process, warehouse)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    stop_process(process)
