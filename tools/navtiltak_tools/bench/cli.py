"""``python -m navtiltak_tools.bench``: measure every scale, then rewrite BENCHMARKS.md.

python -m navtiltak_tools.bench [--months 1,121,301] [--repeat 2] [--out BENCHMARKS.md]
                                [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from navtiltak_tools import PROJECT_ROOT
from navtiltak_tools.bench.floor import run_floor
from navtiltak_tools.bench.measure import progress
from navtiltak_tools.bench.report import render_results, write_results
from navtiltak_tools.bench.scales import Scale, measure_scale

DEFAULT_MONTHS = (1, 121, 301)
# Ten years of reports (120 months and the one that started them): the scale that is
# profiled node by node.
PROFILED_MONTHS = 121


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def parse_counts(text: str) -> list[int]:
    counts = sorted({int(part) for part in text.split(",") if part.strip()})
    if not counts or counts[0] < 1:
        raise argparse.ArgumentTypeError(f"expected month counts like 1,12,120, got {text!r}")
    return counts


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m navtiltak_tools.bench",
        description="Benchmark extraction and dbt build at several numbers of months.",
    )
    parser.add_argument(
        "--months",
        type=parse_counts,
        default=list(DEFAULT_MONTHS),
        help="numbers of consecutive months from 2013-11 (default 1,121,301)",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument(
        "--repeat",
        type=positive_int,
        default=2,
        help="run every measurement this many times and keep the fastest (default 2)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=PROJECT_ROOT / "BENCHMARKS.md",
        help="results file (default BENCHMARKS.md)",
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep the project copies here (default: a temporary folder)"
    )
    parser.add_argument(
        "--no-dbt-v2",
        action="store_true",
        help="leave out dbt v2 (installed into .dbt-v2/ on first use, about 300 MB)",
    )
    parser.add_argument("--floor-of", type=Path, help=argparse.SUPPRESS)
    return parser


@dataclass(frozen=True)
class Workdir:
    path: Path
    cleanup: Callable[[], None]


def open_workdir(requested: Path | None) -> Workdir:
    if requested is not None:
        previous = sorted(requested.glob("*")) if requested.is_dir() else []
        if any(not path.name.startswith("months-") for path in previous):
            raise SystemExit(
                f"error: {requested} holds more than an earlier benchmark; pick another"
            )
        for path in previous:
            shutil.rmtree(path)
        requested.mkdir(parents=True, exist_ok=True)
        return Workdir(requested.resolve(), lambda: None)
    temporary = tempfile.TemporaryDirectory(prefix="navtiltak-bench-")
    return Workdir(Path(temporary.name), temporary.cleanup)


def profiled_scale(counts: Sequence[int]) -> int:
    """The scale profiled node by node: ten years if measured, else the largest."""
    return PROFILED_MONTHS if PROFILED_MONTHS in counts else max(counts)


def read_manifest(workdir: Path, count: int) -> dict[str, Any]:
    path = workdir / f"months-{count:03d}" / "project" / "target" / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def iterate_scales(
    counts: Sequence[int], workdir: Path, seed: int, repeat: int, dbt_v2: bool
) -> Iterator[Scale]:
    """Every scale; at every scale of more than one month, its last month is also added
    to a warehouse of the months before (the monthly update)."""
    for count in counts:
        yield measure_scale(count, workdir, seed, repeat, added_month=count > 1, dbt_v2=dbt_v2)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.floor_of is not None:
        print(json.dumps(asdict(run_floor(args.floor_of))))
        return 0
    workdir = open_workdir(args.workdir)
    try:
        scales = list(
            iterate_scales(args.months, workdir.path, args.seed, args.repeat, not args.no_dbt_v2)
        )
        manifest = read_manifest(workdir.path, profiled_scale(args.months))
    finally:
        workdir.cleanup()
    command = f"python -m navtiltak_tools.bench --months {','.join(map(str, args.months))}"
    command += f" --repeat {args.repeat}" + (" --no-dbt-v2" if args.no_dbt_v2 else "")
    profiled = profiled_scale(args.months)
    write_results(args.out, render_results(scales, manifest, command, profiled))
    progress(f"results written to {args.out}")
    return 0 if all(scale.make.ok and scale.build.ok for scale in scales) else 1


if __name__ == "__main__":
    sys.exit(main())
