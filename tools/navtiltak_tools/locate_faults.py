"""Misprints injected into a built month, in memory, and whether the locator names them.

    python -m navtiltak_tools.locate_faults --months 2015-03 2016-07 --faults 300

generates the months (tools/navtiltak_tools/generate), builds them in a throwaway copy
of the project (`dbt build`), then changes one printed count or change at a time (+-1
or +-k, a blank turned into 1) in the values read from that build, and runs the
locator on the month's identities with the changed values: the same identities a
failed build would give, without a build per fault. Prints the rate at which the top
suspect is exactly the changed cell, and how often the identities cannot tell it
from another cell. The fault-injection tests use `draw_faults` and `outcome` on the
November 2013 report.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from navtiltak.locate.identities import CellKey, Month, load_months
from navtiltak.locate.suspects import locate_month
from navtiltak_tools.generate import write_reports

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "docs")
# A larger misprint: a digit slipped, or two cells' numbers swapped.
LARGE_DELTAS = (2, 3, 9, 10, 47, 100)


@dataclass(frozen=True)
class Fault:
    cell: CellKey
    printed: int
    misprinted: int

    def describe(self, month: Month) -> str:
        cell = month.cells[self.cell]
        return f"{cell.location}: {cell.label}: {self.printed} -> {self.misprinted}"


@dataclass(frozen=True)
class Outcome:
    fault: Fault
    # the top suspect is exactly the changed cell, with its printed value
    exact: bool
    # the changed cell is among equally small sets the identities cannot tell apart
    tied: bool
    seconds: float


def candidate_cells(month: Month) -> list[CellKey]:
    """Printed counts and changes that take part in an identity: the cells a misprint
    can be found in."""
    in_identities = {term.cell for identity in month.identities for term in identity.terms}
    return sorted(
        key
        for key, cell in month.cells.items()
        if key in in_identities and not cell.is_suppressed and cell.metric_code != "change_pct"
    )


def draw_faults(month: Month, rng: random.Random, count: int) -> list[Fault]:
    """`count` single misprints, spread over the tables: +-1, +-k, blanks turned into 1."""
    by_table: dict[str, list[CellKey]] = {}
    for key in candidate_cells(month):
        by_table.setdefault(key[0], []).append(key)
    tables = sorted(by_table)
    faults = []
    for number in range(count):
        key = rng.choice(by_table[tables[number % len(tables)]])
        printed = month.values[key] or 0
        if month.cells[key].is_blank:
            delta = 1
        else:
            delta = rng.choice((1, 1, *LARGE_DELTAS)) * rng.choice((-1, 1))
            if month.cells[key].is_count and printed + delta < 0:
                delta = -delta
        faults.append(Fault(key, printed, printed + delta))
    return faults


def outcome(month: Month, fault: Fault) -> Outcome:
    values = {**month.values, fault.cell: fault.misprinted}
    started = time.perf_counter()
    diagnosis = locate_month(month, values)
    seconds = time.perf_counter() - started
    top = diagnosis.top
    exact = (
        top is not None
        and len(top.suspects) == 1
        and top.suspects[0].cell.key == fault.cell
        and top.suspects[0].needed == fault.printed
    )
    tied = any(
        len(solution.suspects) == 1
        and solution.suspects[0].cell.key == fault.cell
        and solution.suspects[0].needed == fault.printed
        for solution in diagnosis.solutions
    )
    return Outcome(fault, exact, tied and not exact, seconds)


def _build_generated(months: Sequence[str], seed: int, work: Path) -> Path:
    project = work / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            shutil.copy2(source, project / part)
    (project / "reports").mkdir()
    write_reports(months, project / "reports", seed=seed)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "DBT_PROFILES_DIR": str(project), "DO_NOT_TRACK": "1"}
    subprocess.run([str(bin_dir / "navtiltak-extract")], cwd=project, env=env, check=True)
    database = project / "target" / "generated.duckdb"
    database.parent.mkdir(exist_ok=True)
    env.update(NAV_TILTAK_DB_PATH=str(database), NAV_TILTAK_TARGET="dev")
    subprocess.run([str(bin_dir / "dbt"), "build", "--quiet"], cwd=project, env=env, check=True)
    return database


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m navtiltak_tools.locate_faults")
    parser.add_argument("--months", nargs="+", default=["2015-03", "2016-07"])
    parser.add_argument("--faults", type=int, default=300, help="in all, over the months")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--database", type=Path, help="an already built warehouse instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        database = args.database or _build_generated(args.months, args.seed, Path(work))
        with duckdb.connect(str(database), read_only=True) as connection:
            months = load_months(connection)
    rng = random.Random(args.seed)
    outcomes: list[Outcome] = []
    per_month = -(-args.faults // len(months))
    for month in months:
        outcomes += [outcome(month, fault) for fault in draw_faults(month, rng, per_month)]
    counts = Counter("exact" if o.exact else "tied" if o.tied else "missed" for o in outcomes)
    total = len(outcomes)
    seconds = sorted(o.seconds for o in outcomes)
    print(
        f"{total} single misprints in {len(months)} month(s): top suspect exactly the changed "
        f"cell {counts['exact']} ({100 * counts['exact'] / total:.1f} %), among cells the "
        f"identities cannot tell apart {counts['tied']}, missed {counts['missed']}; "
        f"localisation {seconds[total // 2]:.2f} s median, {seconds[-1]:.2f} s at most"
    )
    for missed in (o for o in outcomes if not o.exact and not o.tied):
        print(f"  missed: {missed.fault}")
    return 0 if counts["missed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
