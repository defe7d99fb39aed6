"""Single changed numbers, and the seeds and tests that must catch them: shared by the
fault injection tests of this folder (test_fault_injection.py for the seeds,
test_fault_injection_text.py for the report text). Their builds run through
warehouse_fixtures.build."""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from navtiltak_tools.generate import report_file_name
from navtiltak_tools.testing.warehouse_fixtures import PROJECT_ROOT

REPORT_MONTH = "2013-11"
REPORT = report_file_name(REPORT_MONTH)
# The tests whose failure names a broken identity of the report (BRIEF section 5), or a
# seed that no longer hangs together, carry this tag (their yml files).
RECONCILIATION_TAG = "reconciliation"

ARBS, NAEV, ANDRE = (
    "Arbeidssøkere på tiltak",
    "Nedsatt arbeidsevne, på tiltak",
    "Andre på tiltak",
)


def months_apart_from_a_year(count: int) -> list[str]:
    """``count`` months from November 2013 on, in runs of twelve with a year left out
    between runs: no two are twelve months apart (the only rule across months compares
    a month with the same month a year before), so each month is checked on its own.
    All lie in the county division of November 2013, which lasted until 2018."""
    start = date.fromisoformat(f"{REPORT_MONTH}-01")
    months = []
    for index in range(count):
        offset = start.month - 1 + (index // 12) * 24 + index % 12
        months.append(f"{start.year + offset // 12}-{offset % 12 + 1:02d}")
    assert months[-1] < "2018-01", f"{count} months reach the county reform of 2018"
    return months


@dataclass(frozen=True)
class Cell:
    seed: str
    line_number: int
    column_number: int


@dataclass(frozen=True)
class CellFault:
    """One printed number of November 2013 changed by ``delta``."""

    name: str
    cell: Cell
    delta: int


def report_seeds(project: Path) -> list[str]:
    return sorted(path.stem for path in (project / "seeds" / "report").glob("*.csv"))


def read_seed(project: Path, seed: str) -> list[dict[str, str]]:
    with (project / "seeds" / "report" / f"{seed}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_seed(project: Path, seed: str, rows: list[dict[str, str]]) -> None:
    with (project / "seeds" / "report" / f"{seed}.csv").open(
        "w", encoding="utf-8", newline=""
    ) as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def find_cell(seed: str, sub_heading: str, row_label: str, column_label: str) -> Cell:
    for row in read_seed(PROJECT_ROOT, seed):
        if (row["sub_heading"], row["row_label"], row["column_label"]) == (
            sub_heading,
            row_label,
            column_label,
        ):
            return Cell(seed, int(row["line_number"]), int(row["column_number"]))
    raise LookupError(f"{seed}: no cell {sub_heading!r} / {row_label!r} / {column_label!r}")


def shift_cell(rows: list[dict[str, str]], cell: Cell, delta: int, month: str) -> None:
    """Add ``delta`` to the cell's number in ``month``'s rows (a blank cell becomes a
    printed ``delta``)."""
    for row in rows:
        if (row["report_month"], int(row["line_number"]), int(row["column_number"])) == (
            month,
            cell.line_number,
            cell.column_number,
        ):
            row["cell_value"] = str(int(row["cell_value"] or 0) + delta)
            row["cell_status"] = "printed"
            return
    raise LookupError(f"{cell} not in the seed for {month}")


def named_seed_faults() -> list[CellFault]:
    """Chosen by what they are: a detail cell, a total, a change, an age cell, a
    percent, a blank, in every table family."""
    cells = [
        ("hovedgrupper: group count", "report_hovedgrupper", "", ANDRE, "Antall", 1),
        ("fylke: national change", "report_fylke", "", "I alt", "Endring fra i fjor Antall", -1),
        (
            "fylke og hovedgruppe: percent",
            "report_fylke_og_hovedgruppe",
            NAEV,
            "Telemark",
            "Endring fra i fjor Prosent",
            1,
        ),
        ("fylke og alder: age cell", "report_fylke_og_alder", "", "Oslo", "30-39 år", 1),
        (
            "fylke, alder og hovedgrupper: blank age cell",
            "report_fylke_alder_og_hovedgrupper",
            ANDRE,
            "Hedmark",
            "19 år og under",
            1,
        ),
        ("fylke og tiltak: group total", "report_fylke_og_tiltak", "", "I alt", "Oppfølging", -1),
        (
            "fylke, tiltak og hovedgrupper: detail",
            "report_fylke_tiltak_og_hovedgrupper",
            ARBS,
            "Oslo",
            "Arbeidspraksis",
            1,
        ),
        (
            "tiltak og hovedgrupper: sub-total",
            "report_tiltak_og_hovedgrupper",
            "",
            "I alt lønnstilskudd",
            ANDRE,
            1,
        ),
        (
            "tiltak, hovedgrupper og fylke: detail",
            "report_tiltak_hovedgrupper_og_fylke",
            "Finnmark",
            "Egenetablering",
            NAEV,
            -1,
        ),
    ]
    return [
        CellFault(f"seed {name}", find_cell(seed, sub, row, col), delta)
        for name, seed, sub, row, col, delta in cells
    ]


def random_seed_faults(count: int, seed: int) -> list[CellFault]:
    """Single printed numbers of any seed, drawn at random (fixed seed), +-1."""
    rng = random.Random(seed)
    candidates = [
        Cell(name, int(row["line_number"]), int(row["column_number"]))
        for name in report_seeds(PROJECT_ROOT)
        for row in read_seed(PROJECT_ROOT, name)
        if row["cell_status"] == "printed"
    ]
    faults = []
    for cell in rng.sample(candidates, count):
        delta = rng.choice((-1, 1))
        name = f"random {cell.seed} line {cell.line_number} column {cell.column_number} {delta:+d}"
        faults.append(CellFault(name, cell, delta))
    return faults


def reconciliation_tests(project: Path) -> dict[str, str]:
    """The tests tagged reconciliation in the last build's manifest, by unique id and by
    name (either may name a failure), each mapped to the relation that stores its
    failing rows."""
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    tagged = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and RECONCILIATION_TAG in node["tags"]
    ]
    assert len(tagged) > 10, f"the reconciliation tests lost their tag: {len(tagged)} left"
    relations = {}
    for node in tagged:
        relation = f'"{node["schema"]}"."{node["alias"]}"'
        relations[node["unique_id"]] = relations[node["name"]] = relation
    return relations
