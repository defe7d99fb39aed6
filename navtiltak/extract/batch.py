"""Reading every report on every core.

Each report is read, checked and rendered to its seed rows in a worker process; only
its month and rows (text) travel back. The seeds are the same bytes, in the same order,
as when the reports are read one after the other, and the first bad report (in file
name order) is the one reported. With a cache (``cache.ExtractCache``), only the reports
it does not hold are read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from navtiltak.extract.errors import ReportError
from navtiltak.extract.labels import KnownLabels
from navtiltak.extract.layout import ReportLayout
from navtiltak.extract.seeds import join_seeds, render_report_rows
from navtiltak.extract.tables import read_report

if TYPE_CHECKING:
    from navtiltak.extract.cache import ExtractCache

# Below this many reports a worker process costs more than it saves.
PARALLEL_FROM = 4


@dataclass(frozen=True)
class ExtractedReport:
    path: Path
    month: str
    rows: dict[str, str]  # seed name -> CSV rows without header


def extract_report(path: Path, known_labels: KnownLabels, layout: ReportLayout) -> ExtractedReport:
    report = read_report(path, known_labels, layout)
    return ExtractedReport(path, report.month, render_report_rows(report, layout))


# What every worker reads reports with, set once per worker process.
_worker_inputs: tuple[KnownLabels, ReportLayout] | None = None


def _start_worker(known_labels: KnownLabels, layout: ReportLayout) -> None:
    global _worker_inputs
    _worker_inputs = (known_labels, layout)


def _extract_in_worker(path: Path) -> ExtractedReport:
    assert _worker_inputs is not None, "worker started without _start_worker"
    return extract_report(path, *_worker_inputs)


def _extracted_in_order(
    paths: Sequence[Path], known_labels: KnownLabels, layout: ReportLayout, workers: int
) -> Iterator[ExtractedReport]:
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        for path in paths:
            yield extract_report(path, known_labels, layout)
        return
    with ProcessPoolExecutor(
        max_workers=min(workers, len(paths)),
        initializer=_start_worker,
        initargs=(known_labels, layout),
    ) as pool:
        # map() yields in the order of `paths` and raises a worker's error in turn.
        yield from pool.map(_extract_in_worker, paths, chunksize=4)


def extract_reports(
    paths: Sequence[Path],
    known_labels: KnownLabels,
    layout: ReportLayout,
    workers: int | None = None,
    cache: ExtractCache | None = None,
) -> list[ExtractedReport]:
    """Every report, in file name order; two reports of one month are an error naming both.

    Reports ``cache`` holds are taken from it; the others are read and stored in it."""
    extracted: list[ExtractedReport] = []
    by_month: dict[str, Path] = {}
    cores = workers if workers is not None else os.cpu_count() or 1
    for report in _cached_or_extracted(sorted(paths), known_labels, layout, cores, cache):
        if report.month in by_month:
            raise ReportError(
                report.path,
                None,
                f"a second report for {report.month}; {by_month[report.month]} has it too",
            )
        by_month[report.month] = report.path
        extracted.append(report)
    return extracted


def _cached_or_extracted(
    paths: Sequence[Path],
    known_labels: KnownLabels,
    layout: ReportLayout,
    workers: int,
    cache: ExtractCache | None,
) -> Iterator[ExtractedReport]:
    """Every report of ``paths`` in their order, from ``cache`` where it holds them."""
    if cache is None:
        yield from _extracted_in_order(paths, known_labels, layout, workers)
        return
    cached = {path: cache.get(path) for path in paths}
    missing = [path for path in paths if cached[path] is None]
    fresh = _extracted_in_order(missing, known_labels, layout, workers)
    try:
        for path in paths:
            report = cached[path]
            if report is None:
                report = next(fresh)
                cache.put(report)
            yield report
    finally:
        # Ends the worker pool, also when a report fails before the last is read.
        fresh.close()


def render_extracted(reports: Sequence[ExtractedReport], layout: ReportLayout) -> dict[str, bytes]:
    """CSV bytes per seed name, rows ordered by month, page, line and column."""
    return join_seeds(((report.month, report.rows) for report in reports), layout)
