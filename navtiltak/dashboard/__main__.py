"""Build the dashboard of one warehouse file into a directory.

    python -m navtiltak.dashboard --warehouse warehouse/nav_tiltak.duckdb --out DIR

``make build`` builds it beside the new warehouse and swaps both in together
(``navtiltak.engines.duckdb_file``); run this by hand to build a dashboard of another file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from navtiltak.dashboard.build import build
from navtiltak.dashboard.semantic import DEFAULT_MANIFEST


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m navtiltak.dashboard", description=__doc__)
    parser.add_argument("--warehouse", type=Path, required=True, help="the DuckDB file")
    parser.add_argument("--out", type=Path, required=True, help="a directory that does not exist")
    parser.add_argument(
        "--manifest",
        type=Path,
        default=DEFAULT_MANIFEST,
        help=f"dbt's semantic manifest (default: {DEFAULT_MANIFEST})",
    )
    args = parser.parse_args(argv)
    entry = build(args.warehouse, args.out, args.manifest)
    print(f"wrote {entry}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
