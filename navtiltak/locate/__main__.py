"""python -m navtiltak.locate DATABASE: name the misprinted cells of a failed build."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from navtiltak.locate.failed_build import locate_failed_build


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m navtiltak.locate", description=__doc__)
    parser.add_argument("database", type=Path, help="a built (or failed) warehouse file")
    args = parser.parse_args(argv)
    for line in locate_failed_build(args.database):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
