"""Start the statistics bank: `make serve`, or

    python -m navtiltak.statbank [--warehouse PATH] [--host 127.0.0.1] [--port 8000]

STATBANK_MAX_CALLS and STATBANK_TIME_WINDOW (seconds) set an optional rate limit per
client address; STATBANK_MAX_DATA_CELLS the cells one call may fetch (800,000).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from navtiltak.statbank.app import create_app
from navtiltak.statbank.config import BASE_PATH, from_environment
from navtiltak.statbank.snapshot import identity

DEFAULT_WAREHOUSE = Path("warehouse/nav_tiltak.duckdb")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m navtiltak.statbank", description=__doc__)
    parser.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    identity(args.warehouse)  # a clear error now when nothing is published
    app = create_app(from_environment(args.warehouse.resolve()))
    print(f"statistics bank on http://{args.host}:{args.port}{BASE_PATH}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
