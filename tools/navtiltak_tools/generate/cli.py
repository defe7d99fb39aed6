"""``python -m navtiltak_tools.generate``: write synthetic monthly reports.

python -m navtiltak_tools.generate --months 2013-11..2014-10 --out DIR [--seed N]
                                   [--reference DIR] [--base-report FILE]
                                   [--measure-from MEASURE_CODE=YYYY-MM ...]

Each month prints the counties in force in it (seeds/reference/counties.csv). Last year's
figures agree with the report of a year earlier when one is already in --out (a real one
included), as they do with the months generated in the same run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from navtiltak_tools.generate.catalogue import (
    DEFAULT_BASE_REPORT,
    DEFAULT_REFERENCE,
    load_catalogue,
)
from navtiltak_tools.generate.months import parse_month, parse_months
from navtiltak_tools.generate.render import write_reports


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m navtiltak_tools.generate",
        description="Write synthetic, internally consistent NAV 'Deltakere i arbeidsrettede "
        "tiltak' reports in the published text layout.",
    )
    parser.add_argument(
        "--months",
        required=True,
        help="months as YYYY-MM: a range 2013-11..2014-10, a list 2013-11,2014-11, or both",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write the reports to")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--reference",
        type=Path,
        default=DEFAULT_REFERENCE,
        help="the reference seeds to draw names from (default: the project's seeds/reference)",
    )
    parser.add_argument(
        "--base-report",
        type=Path,
        default=DEFAULT_BASE_REPORT,
        help="the report whose numbers the generator scales from (default: November 2013)",
    )
    parser.add_argument(
        "--measure-from",
        action="append",
        default=[],
        metavar="MEASURE_CODE=YYYY-MM",
        help="print the measure (a measure_code of measures.csv) from this month on only, "
        "as a measure NAV introduced then; repeatable",
    )
    return parser


def parse_measure_months(values: Sequence[str]) -> dict[str, str]:
    """``["oppfolging.mentor=2016-01"]`` -> ``{"oppfolging.mentor": "2016-01"}``."""
    months = {}
    for value in values:
        code, separator, month = value.partition("=")
        if not separator or not code.strip():
            raise ValueError(f"expected MEASURE_CODE=YYYY-MM, got {value!r}")
        months[code.strip()] = parse_month(month)
    return months


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        months = parse_months(args.months)
        measure_months = parse_measure_months(args.measure_from)
        catalogue = load_catalogue(args.reference, args.base_report, measure_months)
    except ValueError as exc:
        parser.error(str(exc))
    paths = write_reports(months, args.out, args.seed, catalogue, log=print)
    print(
        f"wrote {len(paths)} report(s) ({months[0]}..{months[-1]}, seed {args.seed}) to {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
