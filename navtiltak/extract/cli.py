"""Command line: extract every report in a folder into the report seeds.

navtiltak-extract                 # reports/*.txt -> seeds/report/*.csv
navtiltak-extract --check         # exit 1 when the committed seeds are stale
navtiltak-extract --no-cache      # read every report again

Run it from the project root: every default path is relative to it. The reference
seeds it reads (the printed spellings, the published tables and the metrics) are the
dbt project's own, so a new spelling or table is taught to both at once.

A report already extracted is taken from the cache in target/extract-cache/
(navtiltak/extract/cache.py): a monthly update reads only the new report. The seeds
are the same bytes either way.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from navtiltak.extract.batch import extract_reports, render_extracted
from navtiltak.extract.cache import ExtractCache
from navtiltak.extract.errors import ReportError
from navtiltak.extract.labels import load_known_labels
from navtiltak.extract.layout import METRICS_FILE, REPORT_TABLES_FILE, read_layout
from navtiltak.extract.seeds import stale_seeds, write_atomically
from navtiltak.report_month import MONTH_NAMES_FILE

DEFAULT_REPORTS = Path("reports")
DEFAULT_SEEDS = Path("seeds/report")
DEFAULT_ALIASES = Path("seeds/reference/label_aliases.csv")
DEFAULT_CACHE = Path("target/extract-cache")


def report_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise ReportError(directory, None, "the reports folder does not exist")
    files = sorted(path for path in directory.glob("*.txt") if path.is_file())
    if not files:
        raise ReportError(directory, None, "no report files (*.txt) in the reports folder")
    return files


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="navtiltak-extract",
        description="Extract NAV 'Deltakere i arbeidsrettede tiltak' reports into dbt seeds.",
    )
    parser.add_argument(
        "reports",
        nargs="*",
        type=Path,
        help=f"report files (default: every *.txt in {DEFAULT_REPORTS}/)",
    )
    parser.add_argument("--reports-dir", type=Path, default=DEFAULT_REPORTS)
    parser.add_argument("--seeds-dir", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--aliases", type=Path, default=DEFAULT_ALIASES)
    parser.add_argument(
        "--report-tables",
        type=Path,
        help=f"the published tables (default: {REPORT_TABLES_FILE} beside --aliases)",
    )
    parser.add_argument(
        "--metrics",
        type=Path,
        help=f"the metrics, which say what columns are additive (default: {METRICS_FILE} "
        "beside --aliases)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"reports already extracted, by content (default: {DEFAULT_CACHE})",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="read every report, neither use nor fill the cache"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the seeds differ from what the reports give",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    report_tables = args.report_tables or args.aliases.parent / REPORT_TABLES_FILE
    metrics = args.metrics or args.aliases.parent / METRICS_FILE
    month_names = args.aliases.parent / MONTH_NAMES_FILE
    try:
        paths = list(args.reports) or report_files(args.reports_dir)
        known_labels = load_known_labels(args.aliases)
        layout = read_layout(report_tables, metrics, month_names)
        cache = (
            None
            if args.no_cache
            else ExtractCache(args.cache_dir, (args.aliases, report_tables, metrics, month_names))
        )
        reports = extract_reports(paths, known_labels, layout, cache=cache)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("error: no seed file was changed", file=sys.stderr)
        return 2
    files = render_extracted(reports, layout)
    months = ", ".join(report.month for report in sorted(reports, key=lambda r: r.month))
    if args.check:
        stale = stale_seeds(args.seeds_dir, files)
        if stale:
            print("error: seeds differ from the reports; run `make seeds`:", file=sys.stderr)
            for name in stale:
                print(f"  {name}", file=sys.stderr)
            return 1
        print(f"seeds are up to date with {len(reports)} report(s): {months}")
        return 0
    write_atomically(args.seeds_dir, files)
    if cache is not None and not args.reports:
        # Every report of the folder was looked up: what was not is gone or replaced.
        cache.prune()
    rows = sum(content.count(b"\n") - 1 for content in files.values())
    cached = "" if cache is None else f"; {cache.hits} of them read from the cache"
    print(
        f"extracted {len(reports)} report(s) ({months}) into {len(files)} seeds, "
        f"{rows} rows{cached}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
