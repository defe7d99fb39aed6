"""Build the warehouse on one engine and publish it only when everything passed.

    python -m navtiltak.publish                         # the default engine
    python -m navtiltak.publish --engine NAME           # one of the registry's engines
    python -m navtiltak.publish --warehouse PATH        # publish somewhere else
    python -m navtiltak.publish --full                  # rebuild every month (make build FULL=1)

`make build` runs the extractor first, then this. This module only reads the command
line and hands it to the engine chosen (``navtiltak.engines.registry`` names their
modules); how each engine builds, tests and publishes, and what it prints, is in its
module's docstring in ``navtiltak/engines/`` (docs/engines.md).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from navtiltak.engines.base import BuildRequest
from navtiltak.engines.registry import DEFAULT_ENGINE, ENGINES, engine


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's venv), else the one on PATH."""
    sibling = Path(sys.executable).parent / "dbt"
    return str(sibling) if sibling.exists() else "dbt"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m navtiltak.publish",
        description=(
            "Build and test the warehouse beside the published one; publish it only when "
            "every model and test passed."
        ),
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help=(
            "the published file (an engine that publishes files publishes in its "
            "directory; default: the engine's, under warehouse/)"
        ),
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=DEFAULT_ENGINE,
        help=f"where to build and publish (default: {DEFAULT_ENGINE})",
    )
    parser.add_argument(
        "--dbt", default=None, help="the dbt executable (default: the one beside this Python)"
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help=(
            "build every month, never from the published warehouse (engines that update "
            "by month; make build FULL=1)"
        ),
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    dbt = args.dbt or dbt_executable()
    request = BuildRequest(dbt=dbt, warehouse=args.warehouse, full=args.full)
    return engine(args.engine).run(request)


if __name__ == "__main__":
    sys.exit(main())
