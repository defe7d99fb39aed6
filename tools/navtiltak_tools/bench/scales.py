"""One scale: N generated months extracted, built, floored and (at the largest) varied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from navtiltak_tools.bench.alternatives import measure_alternatives
from navtiltak_tools.bench.floor import Floor, measure_floor
from navtiltak_tools.bench.measure import Build, Run, best_build, best_of, dbt_build, progress
from navtiltak_tools.bench.project import (
    REPORT_SEEDS,
    clone_project,
    copy_project,
    csv_rows,
    extract,
    months_for,
)
from navtiltak_tools.generate import write_reports


@dataclass(frozen=True)
class Scale:
    months: tuple[str, ...]
    report_rows: int
    extraction: Run
    build: Build
    floor: Floor
    alternatives: Mapping[str, Build]
    split: tuple[Build, Build] | None = None  # `dbt seed`, then the rest of `dbt build`

    @property
    def count(self) -> int:
        return len(self.months)


def measure_split(project: Path) -> tuple[Build, Build]:
    """`dbt seed` alone, then `dbt build` of everything else into the same database: the
    time and peak memory of each phase in its own process."""
    split = clone_project(project, project.parent / "split")
    seeds = dbt_build(split, verb="seed")
    rest = dbt_build(split, ["resource_type:seed"], fresh=False)
    progress(f"split: seed {seeds.run.seconds:.1f} s, rest {rest.run.seconds:.1f} s")
    return seeds, rest


def measure_scale(
    count: int, workdir: Path, seed: int, repeat: int, *, alternatives: bool
) -> Scale:
    months = months_for(count)
    project = copy_project(workdir / f"months-{count:03d}" / "a")
    write_reports(months, project / "reports", seed)
    progress(f"N={count}: {months[0]}..{months[-1]} generated; extracting")
    extraction = best_of(repeat, lambda: extract(project), lambda run: run.seconds)
    rows = csv_rows(project / REPORT_SEEDS)
    progress(f"N={count}: {rows} report seed rows in {extraction.seconds:.1f} s; dbt build")
    build = best_build(repeat, project)
    progress(f"N={count}: dbt build {build.run.seconds:.1f} s, {build.peak_mib:.0f} MiB")
    floor = best_of(repeat, lambda: measure_floor(project), lambda floor: floor.seconds)
    progress(f"N={count}: floor {floor.seconds:.1f} s")
    if not alternatives:
        return Scale(tuple(months), rows, extraction, build, floor, {"a": build})
    builds = measure_alternatives(project, repeat, build)
    return Scale(tuple(months), rows, extraction, build, floor, builds, measure_split(project))
