"""One scale: N generated months dropped into a fresh clone, built as the user builds them
(`make build`), each phase alone, and the floor."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from navtiltak_tools.bench.dbt_v2 import DbtV2, measure_dbt_v2
from navtiltak_tools.bench.floor import Floor, measure_floor
from navtiltak_tools.bench.measure import (
    DbtFixedWork,
    MakeBuild,
    MeasuredBuild,
    Run,
    best_build,
    best_make_build,
    best_of,
    database_path,
    dbt_fixed_work,
    export_alone,
    make_build,
    progress,
)
from navtiltak_tools.bench.project import (
    REPORT_SEEDS,
    REPORTS,
    clone_project,
    csv_rows,
    extract,
    months_for,
    reset_to_clone,
)
from navtiltak_tools.generate import write_reports


@dataclass(frozen=True)
class Scale:
    months: tuple[str, ...]
    report_rows: int
    make: MakeBuild  # `make build` in a fresh clone, the fastest of the repeats
    extraction: Run  # the extraction alone
    build: MeasuredBuild  # `dbt build` alone, into a new database file
    export: Run  # the Parquet export alone
    floor: Floor
    dbt_fixed: DbtFixedWork
    added_month: MakeBuild | None = None  # `make build` after adding the last month
    dbt_v2: DbtV2 | None = None  # the same project parsed and built by dbt v2

    @property
    def count(self) -> int:
        return len(self.months)


def generate(project: Path, months: list[str], seed: int) -> list[Path]:
    """The reports of ``months``, generated together (a month's figures follow the
    months before it) into a folder beside reports/."""
    generated = project.parent / "generated"
    shutil.rmtree(generated, ignore_errors=True)
    return write_reports(months, generated, seed)


def measure_added_month(project: Path, reports: list[Path]) -> MakeBuild:
    """`make build` with every report but the last, then the last one added and timed:
    what a user's monthly update costs (dbt's partial parse and the warehouse in place)."""
    reset_to_clone(project)
    for report in reports[:-1]:
        shutil.copy2(report, project / REPORTS / report.name)
    warm = make_build(project)
    if not warm.ok:
        raise SystemExit(f"error: make build failed in {project} before the added month")
    shutil.copy2(reports[-1], project / REPORTS / reports[-1].name)
    return make_build(project)


def measure_scale(
    count: int, workdir: Path, seed: int, repeat: int, *, added_month: bool, dbt_v2: bool
) -> Scale:
    months = months_for(count)
    project = clone_project(workdir / f"months-{count:03d}" / "project")
    reports = generate(project, months, seed)
    progress(f"N={count}: {months[0]}..{months[-1]} generated")
    added = measure_added_month(project, reports) if added_month else None
    if added is not None:
        progress(f"N={count}: make build after adding {months[-1]}: {added.run.seconds:.1f} s")
    for report in reports:
        shutil.copy2(report, project / REPORTS / report.name)
    make = best_make_build(repeat, project, lambda: reset_to_clone(project))
    progress(f"N={count}: make build {make.run.seconds:.1f} s, {make.run.peak_mib:.0f} MiB")
    rows = csv_rows(project / REPORT_SEEDS)
    extraction = best_of(repeat, lambda: extract(project), lambda run: run.seconds)
    build = best_build(repeat, project)
    export = export_alone(project, database_path(project))
    progress(
        f"N={count}: alone: extraction {extraction.seconds:.1f} s, dbt build"
        f" {build.run.seconds:.1f} s, export {export.seconds:.1f} s"
    )
    # dbt v2 is compared with the database dbt-core's build just wrote.
    v2 = measure_dbt_v2(project) if dbt_v2 else None
    if v2 is not None:
        progress(
            f"N={count}: dbt v2 parse {v2.parse.seconds:.1f} s ({len(v2.warnings)} warnings),"
            f" build {v2.build.seconds:.1f} s"
        )
    floor = best_of(repeat, lambda: measure_floor(project), lambda floor: floor.seconds)
    progress(f"N={count}: floor {floor.seconds:.1f} s")
    fixed = dbt_fixed_work(project, repeat)
    progress(
        f"N={count}: dbt start-up {fixed.startup.seconds:.1f} s, full parse"
        f" {fixed.parse.seconds:.1f} s, build --empty {fixed.empty.run.seconds:.1f} s"
    )
    return Scale(tuple(months), rows, make, extraction, build, export, floor, fixed, added, v2)
