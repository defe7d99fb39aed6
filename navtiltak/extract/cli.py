"""Command line: extract every report in a folder into the report seeds.

navtiltak-extract                 # reports/*.txt -> seeds/report/*.csv
navtiltak-extract --check         # exit 1 when the committed seeds are stale

Run it from the project root: every default path is relative to it. The reference
seeds it reads (the printed spellings, the published tables and the metrics) are the
dbt project's own, so a new spelling or table is taught to both at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from navtiltak.extract.batch import extract_reports, render_extracted
from navtiltak.extract.errors import ReportError
from navtiltak.extract.labels import load_known_labels
from navtiltak.extract.layout import METRICS_FILE, REPORT_TABLES_FILE, read_layout
from navtiltak.extract.seeds import stale_seeds, write_atomically

DEFAULT_REPORTS = Path("reports")
DEFAULT_SEEDS = Path("seeds/report")
DEFAULT_ALIASES = Path("seeds/reference/label_aliases.csv")


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
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the seeds differ from what the reports give",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    report_tables = args.report_tables or args.aliases.parent / REPORT_TABLES_FILE
    metrics = args.metrics or args.aliases.parent / METRICS_FILE
    try:
        paths = list(args.reports) or report_files(args.reports_dir)
        known_labels = load_known_labels(args.aliases)
        layout = read_layout(report_tables, metrics)
        reports = extract_reports(paths, known_labels, layout)
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
    rows = sum(content.count(b"\n") - 1 for content in files.values())
    print(f"extracted {len(reports)} report(s) ({months}) into {len(files)} seeds, {rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
