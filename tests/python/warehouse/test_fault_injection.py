"""Proof that the reconciliation bites: one number changed by +-1 must fail `dbt build`.

Each fault is applied to a copy of the project, either to a seed (the cell's number)
or to a copy of the report text (then re-extracted), and built. The copy is built
once unaltered; every fault then starts from that build (its database copied, its
seed and report files restored) and builds the reconciliation tests the changed seeds
reach and the models between (`dbt build --select <seed>+,+tag:reconciliation`), the
only nodes whose result can detect it. A fault is detected when the build fails and
at least one reconciliation test (tag `reconciliation`) names it, or, for a fault
in the report text, when the extractor already refuses the report with a message
naming the file, the line and the identity that broke (it checks that sections agree
with the tables that list them, and that the last table adds up, to catch truncated
files). The detection rate and run time are printed (run pytest with -s to see them).

The faults in the report text are built as `make build` builds (python -m
navtiltak.publish, the whole project): its failure summary, or the extractor's refusal,
must name the misprinted line before any other line of the report. The locator's rate
over many misprints is measured in memory (tests/python/locate/,
navtiltak_tools.locate_faults).
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "docs")
REPORT = "deltakere-tiltak-fylke-2013-11.txt"
# A failing node as dbt's summary names it: "Failure in test <name> (<file>)".
FAILURE_LINE = re.compile(r"Failure in (?:test|model|seed) (\S+)")

# The tests whose failure names a broken identity of the report (BRIEF section 5), or a
# seed that no longer hangs together, carry this tag (their yml files).
RECONCILIATION_TAG = "reconciliation"


@dataclass(frozen=True)
class Cell:
    seed: str
    line_number: int
    column_number: int


@dataclass(frozen=True)
class Fault:
    name: str
    # Applies the fault; returns the extractor's refusal, if it refused the report.
    apply: Callable[[Path], str | None]
    # A fault in the report text: built as `make build` builds (python -m
    # navtiltak.publish), whose failure summary must name this line first.
    line_number: int | None = None


def _copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copy2(source, destination / part)
    shutil.copytree(ROOT / "tests" / "dbt", destination / "tests" / "dbt")
    (destination / "reports").mkdir()
    shutil.copy2(ROOT / "reports" / REPORT, destination / "reports" / REPORT)
    return destination


def _read_seed(project: Path, seed: str) -> list[dict[str, str]]:
    with (project / "seeds" / "report" / f"{seed}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write_seed(project: Path, seed: str, rows: list[dict[str, str]]) -> None:
    with (project / "seeds" / "report" / f"{seed}.csv").open(
        "w", encoding="utf-8", newline=""
    ) as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _find_cell(seed: str, sub_heading: str, row_label: str, column_label: str) -> Cell:
    for row in _read_seed(ROOT, seed):
        if (row["sub_heading"], row["row_label"], row["column_label"]) == (
            sub_heading,
            row_label,
            column_label,
        ):
            return Cell(seed, int(row["line_number"]), int(row["column_number"]))
    raise LookupError(f"{seed}: no cell {sub_heading!r} / {row_label!r} / {column_label!r}")


def _shift_seed_cell(cell: Cell, delta: int) -> Callable[[Path], str | None]:
    def apply(project: Path) -> str | None:
        rows = _read_seed(project, cell.seed)
        for row in rows:
            if (int(row["line_number"]), int(row["column_number"])) == (
                cell.line_number,
                cell.column_number,
            ):
                value = int(row["cell_value"] or 0) + delta
                row["cell_value"] = str(value)
                row["cell_status"] = "printed"
                break
        else:
            raise LookupError(f"{cell} not in the seed")
        _write_seed(project, cell.seed, rows)
        return None

    return apply


def _format_number(value: int) -> str:
    grouped = f"{abs(value):,}".replace(",", " ")
    return f"-{grouped}" if value < 0 else grouped


def _shift_report_cell(cell: Cell, delta: int) -> Callable[[Path], str | None]:
    """Change the printed number in the report text, then extract again."""

    def apply(project: Path) -> str | None:
        report = project / "reports" / REPORT
        lines = report.read_text(encoding="utf-8").split("\n")
        cells = lines[cell.line_number - 1].split("\t")
        current = cells[cell.column_number].replace(" ", "")
        cells[cell.column_number] = _format_number(int(current or 0) + delta)
        lines[cell.line_number - 1] = "\t".join(cells)
        report.write_text("\n".join(lines), encoding="utf-8")
        extracted = subprocess.run(
            [str(BIN / "navtiltak-extract")], cwd=project, capture_output=True, text=True
        )
        return extracted.stderr if extracted.returncode != 0 else None

    return apply


def _named_faults() -> list[Fault]:
    """Chosen by what they are: a detail cell, a total, a change, an age cell, a
    percent, a blank, in every table family, in the seeds and in the report text."""
    arbs, naev, andre = (
        "Arbeidssøkere på tiltak",
        "Nedsatt arbeidsevne, på tiltak",
        "Andre på tiltak",
    )
    seed_cells = [
        ("hovedgrupper: group count", "report_hovedgrupper", "", andre, "Antall", 1),
        ("fylke: national change", "report_fylke", "", "I alt", "Endring fra i fjor Antall", -1),
        (
            "fylke og hovedgruppe: percent",
            "report_fylke_og_hovedgruppe",
            naev,
            "Telemark",
            "Endring fra i fjor Prosent",
            1,
        ),
        ("fylke og alder: age cell", "report_fylke_og_alder", "", "Oslo", "30-39 år", 1),
        (
            "fylke, alder og hovedgrupper: blank age cell",
            "report_fylke_alder_og_hovedgrupper",
            andre,
            "Hedmark",
            "19 år og under",
            1,
        ),
        ("fylke og tiltak: group total", "report_fylke_og_tiltak", "", "I alt", "Oppfølging", -1),
        (
            "fylke, tiltak og hovedgrupper: detail",
            "report_fylke_tiltak_og_hovedgrupper",
            arbs,
            "Oslo",
            "Arbeidspraksis",
            1,
        ),
        (
            "tiltak og hovedgrupper: sub-total",
            "report_tiltak_og_hovedgrupper",
            "",
            "I alt lønnstilskudd",
            andre,
            1,
        ),
        (
            "tiltak, hovedgrupper og fylke: detail",
            "report_tiltak_hovedgrupper_og_fylke",
            "Finnmark",
            "Egenetablering",
            naev,
            -1,
        ),
    ]
    text_cells = [
        ("report text: county count", "report_fylke", "", "Nordland", "Antall", 1),
        ("report text: I alt", "report_fylke", "", "I alt", "Antall", -1),
        (
            "report text: change",
            "report_fylke_og_hovedgruppe",
            arbs,
            "Rogaland",
            "Endring fra i fjor Antall",
            1,
        ),
        ("report text: age cell", "report_fylke_og_alder", "", "Troms", "60 år og over", -1),
        (
            "report text: measure detail",
            "report_tiltak_hovedgrupper_og_fylke",
            "Østfold",
            "Mentor",
            "Nedsatt arbeidsevne, på tiltak",
            1,
        ),
    ]
    faults = [
        Fault(f"seed {name}", _shift_seed_cell(_find_cell(seed, sub, row, col), delta))
        for name, seed, sub, row, col, delta in seed_cells
    ]
    for name, seed, sub, row, col, delta in text_cells:
        cell = _find_cell(seed, sub, row, col)
        faults.append(Fault(name, _shift_report_cell(cell, delta), cell.line_number))
    return faults


def _random_faults(count: int, seed: int) -> list[Fault]:
    """Single printed numbers of any seed, drawn at random (fixed seed), +-1."""
    rng = random.Random(seed)
    candidates = [
        Cell(path.stem, int(row["line_number"]), int(row["column_number"]))
        for path in sorted((ROOT / "seeds" / "report").glob("*.csv"))
        for row in _read_seed(ROOT, path.stem)
        if row["cell_status"] == "printed"
    ]
    faults = []
    for cell in rng.sample(candidates, count):
        delta = rng.choice((-1, 1))
        name = f"random {cell.seed} line {cell.line_number} column {cell.column_number} {delta:+d}"
        faults.append(Fault(name, _shift_seed_cell(cell, delta)))
    return faults


def _build(
    project: Path, select: list[str] | None = None, publish: bool = False
) -> tuple[int, list[str], str]:
    """`dbt build --fail-fast` into target/fault.duckdb (the path never changes, so that
    dbt's partial parsing stays valid between the builds of one copy), or with `publish`
    the whole `make build` step (no fail-fast: the failure summary names the suspects);
    exit code, failed nodes and output."""
    database = project / "target" / "fault.duckdb"
    database.parent.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project),
        "NAV_TILTAK_DB_PATH": str(database),
        "DO_NOT_TRACK": "1",
    }
    # One thread: on a failure, --fail-fast makes dbt exit while another thread's DuckDB
    # query may still run, and the process then dies by SIGABRT without a summary.
    command = [str(BIN / "dbt"), "build", "--fail-fast", "--threads", "1"]
    if select:
        # the selected tests only, not every test of the models between
        command += ["--select", *select, "--indirect-selection", "empty"]
    if publish:
        command = [str(BIN / "python"), "-m", "navtiltak.publish"]
    results_file = project / "target" / "run_results.json"
    # so that the results read below can only be this build's
    results_file.unlink(missing_ok=True)
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode >= 0, (
        f"{command[1:3]} was killed by signal {-result.returncode}:\n{result.stderr[-3000:]}"
    )
    assert results_file.exists(), (
        f"dbt wrote no run results:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    run_results = json.loads(results_file.read_text())
    failed = [
        node["unique_id"] for node in run_results["results"] if node["status"] in ("fail", "error")
    ]
    # The summary names a failing test that --fail-fast stopped before its run results
    # were written.
    failed += FAILURE_LINE.findall(result.stdout)
    return result.returncode, failed, result.stdout + result.stderr


def _reconciliation_tests(project: Path) -> set[str]:
    """The names and unique ids of the tests tagged reconciliation in the last build's
    manifest."""
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    tagged = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and RECONCILIATION_TAG in node["tags"]
    ]
    return {node["unique_id"] for node in tagged} | {node["name"] for node in tagged}


FAULTS = _named_faults() + _random_faults(count=6, seed=20131101)


@dataclass(frozen=True)
class Workspace:
    """One copy of the project, built unaltered; faults are applied to it in turn."""

    project: Path
    files: dict[Path, bytes]  # the seed and report files as copied, by path
    baseline: Path  # the database of the unaltered build
    baseline_build: tuple[int, list[str], str]

    def restore(self) -> None:
        for path, content in self.files.items():
            path.write_bytes(content)
        shutil.copy2(self.baseline, self.project / "target" / "fault.duckdb")

    def changed_seeds(self) -> list[str]:
        return sorted(
            path.stem
            for path, content in self.files.items()
            if path.suffix == ".csv" and path.read_bytes() != content
        )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    project = _copy_project(tmp_path_factory.mktemp("faults") / "project")
    files = {
        path: path.read_bytes()
        for path in [*(project / "seeds" / "report").glob("*.csv"), project / "reports" / REPORT]
    }
    baseline_build = _build(project)
    baseline = project / "target" / "baseline.duckdb"
    shutil.copy2(project / "target" / "fault.duckdb", baseline)
    return Workspace(project, files, baseline, baseline_build)


@pytest.fixture(scope="module")
def detections() -> dict[str, list[str]]:
    return {}


def test_unaltered_copy_builds(workspace: Workspace) -> None:
    """The copy itself passes, so a failure below is the fault's doing."""
    code, failed, output = workspace.baseline_build
    assert code == 0, f"the unaltered project failed: {failed}\n{output[-3000:]}"


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_single_changed_number_fails_the_build(
    fault: Fault, workspace: Workspace, detections: dict[str, list[str]]
) -> None:
    workspace.restore()
    project = workspace.project
    refusal = fault.apply(project)
    if refusal is not None:
        print(f"\n{fault.name}: refused by the extractor: {refusal.splitlines()[0]}")
        assert f"reports/{REPORT}:" in refusal, refusal
        assert "differs" in refusal or "does not add up" in refusal, refusal
        if fault.line_number is not None:
            # the extractor names the misprinted line first too
            first = next(line for line in refusal.splitlines() if f"reports/{REPORT}:" in line)
            assert f"reports/{REPORT}:{fault.line_number}: " in first, refusal
        return
    changed = workspace.changed_seeds()
    assert changed, f"{fault.name} changed no seed"
    started = time.perf_counter()
    if fault.line_number is not None:
        code, failed, output = _build(project, publish=True)
    else:
        code, failed, output = _build(
            project, [f"{seed}+,+tag:{RECONCILIATION_TAG}" for seed in changed]
        )
    elapsed = time.perf_counter() - started
    reconciliation_tests = _reconciliation_tests(project)
    assert len(reconciliation_tests) > 10, "the reconciliation tests lost their tag"
    named = [test for test in failed if test in reconciliation_tests]
    detections[fault.name] = named
    print(f"\n{fault.name}: exit {code}, {elapsed:.1f} s, caught by {len(named)} test(s)")
    for test in named[:5]:
        print(f"    {test}")
    assert code != 0, f"{fault.name} was not detected: dbt build passed"
    assert named, f"{fault.name} failed the build but no reconciliation test named it: {failed}"
    if fault.line_number is not None:
        # what `make build` says: the misprinted line before any other line of the report
        assert not (project / "warehouse" / "nav_tiltak.duckdb").exists()
        mentions = [line for line in output.splitlines() if line.startswith(f"reports/{REPORT}:")]
        assert mentions, output[-3000:]
        print(f"    {mentions[0]}")
        assert mentions[0].startswith(f"reports/{REPORT}:{fault.line_number}: "), mentions
        summary = output[output.index("build failed.") :]
        assert summary.index(mentions[0]) < summary.index("failed dbt node"), summary
