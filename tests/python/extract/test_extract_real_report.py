"""Whole-report tests on the November 2013 issue and its committed seeds.

The report text is read here by a small reader of its own (``_read_independently``),
written from BRIEF §2 and §3 and not from the extractor, so the two readings check each other.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from report_text import (
    NOTE,
    SEED_OF_TABLE,
    TITLE,
    Workspace,
    read_seed,
)

from navtiltak_tools.testing.project_paths import ALIASES, COMMITTED_SEEDS, REAL_REPORT, ROOT

COUNTIES = [
    "Østfold",
    "Akershus",
    "Oslo",
    "Hedmark",
    "Oppland",
    "Buskerud",
    "Vestfold",
    "Telemark",
    "Aust-Agder",
    "Vest-Agder",
    "Rogaland",
    "Hordaland",
    "Sogn og Fjordane",
    "Møre og Romsdal",
    "Sør-Trøndelag",
    "Nord-Trøndelag",
    "Nordland",
    "Troms",
    "Finnmark",
    "Øvrige områder",
    "Ukjent",
]
GROUPS = ["Arbeidssøkere på tiltak", "Nedsatt arbeidsevne, på tiltak", "Andre på tiltak"]


# --- an independent reading of the report text ---------------------------------------


@dataclass
class TextPage:
    table: str
    sub_heading: str | None
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, raw cells after the label)


@dataclass
class TextReading:
    pages: list[TextPage] = field(default_factory=list)
    numbers: list[tuple[int, int, int]] = field(default_factory=list)  # kept (line, col, value)
    repeated: list[tuple[int, int, int]] = field(default_factory=list)  # repeated total rows
    kept_cells: int = 0  # cells of kept rows, blanks included
    logical_tables: int = 0


def _number(cell: str) -> int:
    return int(cell.replace(" ", ""))


def _read_independently(text: str) -> TextReading:
    pages: list[list[tuple[int, str]]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip() == TITLE:
            pages.append([])
        elif line.strip():
            pages[-1].append((number, line))
    reading = TextReading()
    previous = None
    for body in pages:
        table = body[0][1].strip()
        if table == NOTE:
            continue
        rest = body[2:]  # after the table name and the month line
        sub_heading = None if rest[0][1].startswith("\t") else rest[0][1].strip()
        header_at = 0 if sub_heading is None else 1
        header = [h.strip() for h in rest[header_at][1].split("\t")[1:]]
        rows = [(n, line.split("\t")[1:]) for n, line in rest[header_at + 1 :]]
        reading.pages.append(TextPage(table, sub_heading, header, rows))
        continuation = previous == (table, sub_heading)
        previous = (table, sub_heading)
        reading.logical_tables += not continuation
        for index, (line, cells) in enumerate(rows):
            numbers = [
                (line, column, _number(cell))
                for column, cell in enumerate(cells, 1)
                if cell.strip()
            ]
            if continuation and index == 0:
                reading.repeated += numbers
            else:
                reading.numbers += numbers
                reading.kept_cells += len(header)
    return reading


@pytest.fixture(scope="module")
def reading() -> TextReading:
    return _read_independently(REAL_REPORT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, str]]]:
    """The seeds the extractor writes for the real report now, by published table name.

    (That the committed seeds are these same bytes is ``--check``'s test below.)
    """
    ws = Workspace(tmp_path_factory.mktemp("real"))
    ws.extract(REAL_REPORT.read_bytes())
    return {table: read_seed(ws.seeds_dir / f"{name}.csv") for table, name in SEED_OF_TABLE.items()}


def test_independent_reading_sees_the_published_layout(reading: TextReading) -> None:
    # BRIEF §2: 77 pages, one note page, 35 logical tables
    assert len(reading.pages) == 76
    assert reading.logical_tables == 35
    assert {page.table for page in reading.pages} == set(SEED_OF_TABLE)


def test_every_printed_number_lands_in_exactly_one_seed_row(
    reading: TextReading, seeds: dict[str, list[dict[str, str]]]
) -> None:
    text = REAL_REPORT.read_text(encoding="utf-8")
    # every non-blank cell of every data row of the text, repeats included
    all_cells = sum(
        1
        for line in text.split("\n")
        if "\t" in line and not line.startswith("\t")
        for cell in line.split("\t")[1:]
        if cell.strip()
    )
    assert all_cells == len(reading.numbers) + len(reading.repeated)
    assert reading.repeated, "the report has continuation pages"

    rows = [r for table_rows in seeds.values() for r in table_rows]
    printed = [r for r in rows if r["cell_status"] == "printed"]
    assert len(printed) == all_cells - len(reading.repeated)
    seeded = Counter(
        (int(r["line_number"]), int(r["column_number"]), int(r["cell_value"])) for r in printed
    )
    assert seeded == Counter(reading.numbers)
    assert max(seeded.values()) == 1
    # and nothing else: the other seed rows are the blank cells of the same rows
    assert len(rows) == reading.kept_cells
    assert {r["cell_status"] for r in rows} == {"printed", "blank"}
    assert all(r["cell_value"] == "" for r in rows if r["cell_status"] == "blank")


def test_seed_rows_carry_the_printed_labels_of_their_line(
    seeds: dict[str, list[dict[str, str]]],
) -> None:
    lines = REAL_REPORT.read_text(encoding="utf-8").split("\n")
    for table, rows in seeds.items():
        for r in rows:
            line = lines[int(r["line_number"]) - 1]
            assert line.split("\t")[0].strip() == r["row_label"], (table, r)
            assert r["report_month"] == "2013-11"
            assert r["source_file"] == REAL_REPORT.name


# --- the seeds sum back to the report's printed totals --------------------------------


def _value(r: dict[str, str]) -> int:
    assert r["cell_status"] in {"printed", "blank"}
    return int(r["cell_value"]) if r["cell_value"] else 0


def _grid(rows: list[dict[str, str]]) -> dict[str, dict[str, int]]:
    """row label -> column label -> count (blank = 0)."""
    grid: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        grid[r["row_label"]][r["column_label"]] = _value(r)
    return grid


def _sections(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        out[r["sub_heading"]].append(r)
    return out


def _canonical() -> dict[str, str]:
    """Printed label (case-folded) -> canonical name, from the label-alias seed."""
    with ALIASES.open(encoding="utf-8", newline="") as handle:
        return {r["printed_label"].casefold(): r["canonical_name"] for r in csv.DictReader(handle)}


def test_counties_sum_to_the_total_in_the_county_tables(
    seeds: dict[str, list[dict[str, str]]],
) -> None:
    additive = ["Antall", "Endring fra i fjor Antall"]
    checked = 0
    for table in ("Fylke", "Fylke og hovedgruppe", "Fylke og alder", "Fylke og tiltak"):
        for sub_heading, rows in _sections(seeds[table]).items():
            grid = _grid(rows)
            totals = [label for label in grid if label.casefold().startswith("i alt")]
            assert len(totals) == 1, (table, sub_heading)
            columns = list(grid[totals[0]])
            for column in columns:
                if table in ("Fylke", "Fylke og hovedgruppe") and column not in additive:
                    continue
                parts = sum(grid[c].get(column, 0) for c in grid if c != totals[0])
                assert parts == grid[totals[0]][column], (table, sub_heading, column)
                checked += 1
    assert checked == 2 + 3 * 2 + 8 + 11


def test_fylke_equals_the_sum_of_the_three_group_tables(
    seeds: dict[str, list[dict[str, str]]],
) -> None:
    fylke = _grid(seeds["Fylke"])
    sections = _sections(seeds["Fylke og hovedgruppe"])
    assert set(sections) == set(GROUPS)
    for column in ("Antall", "Endring fra i fjor Antall"):
        for county in COUNTIES:
            by_group = sum(_grid(rows).get(county, {}).get(column, 0) for rows in sections.values())
            assert by_group == fylke[county][column], (county, column)
        totals = sum(
            _grid(rows)[f"I alt {group[0].lower()}{group[1:]}"][column]
            for group, rows in sections.items()
        )
        assert totals == fylke["I alt"][column]


def test_fylke_antall_is_the_i_alt_column_of_age_and_measure_tables(
    seeds: dict[str, list[dict[str, str]]],
) -> None:
    fylke = _grid(seeds["Fylke"])
    for table in ("Fylke og alder", "Fylke og tiltak"):
        grid = _grid(seeds[table])
        for label in ["I alt", *COUNTIES]:
            assert grid[label]["I alt"] == fylke[label]["Antall"], (table, label)


def test_group_tables_by_measure_group_sum_to_fylke_og_tiltak(
    seeds: dict[str, list[dict[str, str]]],
) -> None:
    """Columns matched by canonical header name: the sister tables differ in their columns
    and spell some headers differently."""
    canonical = _canonical()
    summed: Counter[tuple[str, str]] = Counter()
    for rows in _sections(seeds["Fylke, tiltak og hovedgrupper"]).values():
        for r in rows:
            column = canonical.get(r["column_label"].casefold(), r["column_label"])
            summed[(r["row_label"], column)] += _value(r)
    whole = Counter()
    for r in seeds["Fylke og tiltak"]:
        column = canonical.get(r["column_label"].casefold(), r["column_label"])
        whole[(r["row_label"], column)] += _value(r)
    assert +summed == +whole


def _measure_table_checks(rows: list[dict[str, str]]) -> int:
    """Details sum to their group's 'I alt' row, groups sum to the table total."""
    grid = _grid(rows)
    labels = list(dict.fromkeys(r["row_label"] for r in rows))
    total, body = labels[0], labels[1:]
    assert total.casefold().startswith("i alt")
    columns = list(grid[total])
    checks = 0
    open_details: list[str] = []
    subtotals: list[str] = []
    for label in body:
        if label.casefold().startswith("i alt"):
            for column in columns:
                assert sum(grid[d][column] for d in open_details) == grid[label][column], (
                    label,
                    column,
                )
                checks += 1
            subtotals.append(label)
            open_details = []
        else:
            open_details.append(label)
    assert not any(grid[d][c] for d in open_details for c in columns), "details after the last"
    for column in columns:
        assert sum(grid[s][column] for s in subtotals) == grid[total][column], (total, column)
        checks += 1
    # and across: the participant groups sum to the row's I alt column
    assert columns[0] == "I alt"
    for label in labels:
        assert sum(grid[label][c] for c in columns[1:]) == grid[label]["I alt"], label
    return checks


def test_measures_sum_to_groups_and_groups_to_the_total(
    seeds: dict[str, list[dict[str, str]]],
) -> None:
    national = _measure_table_checks(seeds["Tiltak og hovedgrupper"])
    assert national == 10 * 4 + 4
    sections = _sections(seeds["Tiltak, hovedgrupper og fylke"])
    assert list(sections) == COUNTIES
    for county, rows in sections.items():
        assert rows[0]["row_label"] == f"I alt {county}"
        assert _measure_table_checks(rows) > 0


def test_county_measure_tables_sum_to_the_national_table(
    seeds: dict[str, list[dict[str, str]]],
) -> None:
    canonical = _canonical()

    def key(r: dict[str, str]) -> tuple[str, str]:
        label = r["row_label"]
        if label.casefold().startswith("i alt "):
            label = "I alt " + label[6:].casefold()
        return canonical.get(label.casefold(), label), r["column_label"]

    summed: Counter[tuple[str, str]] = Counter()
    for rows in _sections(seeds["Tiltak, hovedgrupper og fylke"]).values():
        for r in rows:
            if r["row_label"].startswith("I alt ") and r["sub_heading"] in r["row_label"]:
                continue  # the county's own total
            summed[key(r)] += _value(r)
    national = Counter(key(r) for r in seeds["Tiltak og hovedgrupper"])
    assert max(national.values()) == 1
    whole = Counter()
    for r in seeds["Tiltak og hovedgrupper"]:
        if r["row_label"] != "I alt":
            whole[key(r)] += _value(r)
    assert +summed == +whole
    assert len(whole) == (36 + 10) * 4


# --- determinism and --check ----------------------------------------------------------


def _cli(seeds_dir: Path, *extra: str, hash_seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "navtiltak.extract",
            "--reports-dir",
            str(ROOT / "reports"),
            "--seeds-dir",
            str(seeds_dir),
            "--aliases",
            str(ALIASES),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_two_runs_give_byte_identical_seeds(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert _cli(first, hash_seed="1").returncode == 0
    assert _cli(second, hash_seed="2").returncode == 0
    one, two = _files(first), _files(second)
    assert sorted(one) == sorted(f"{name}.csv" for name in SEED_OF_TABLE.values())
    assert one == two


def test_check_passes_on_the_committed_seeds() -> None:
    result = _cli(COMMITTED_SEEDS, "--check")
    assert result.returncode == 0, result.stderr


def _copy_of_committed(tmp_path: Path) -> Path:
    copy = tmp_path / "seeds"
    shutil.copytree(COMMITTED_SEEDS, copy)
    return copy


def test_check_fails_after_one_seed_byte_changed(tmp_path: Path) -> None:
    copy = _copy_of_committed(tmp_path)
    target = copy / "report_fylke_og_alder.csv"
    data = bytearray(target.read_bytes())
    # one digit of the last printed cell value
    position = data.rindex(b",printed") - 1
    assert chr(data[position]).isdigit()
    data[position] = ord("0") + (data[position] - ord("0") + 1) % 10
    target.write_bytes(bytes(data))
    result = _cli(copy, "--check")
    assert result.returncode == 1, result.stderr
    assert str(target) in result.stderr
    assert "report_fylke.csv" not in result.stderr
    # --check writes nothing, not even the fix
    assert target.read_bytes() == bytes(data)


def test_check_fails_when_a_seed_file_is_missing(tmp_path: Path) -> None:
    copy = _copy_of_committed(tmp_path)
    (copy / "report_hovedgrupper.csv").unlink()
    result = _cli(copy, "--check")
    assert result.returncode == 1, result.stderr
    assert "report_hovedgrupper.csv" in result.stderr
    assert not (copy / "report_hovedgrupper.csv").exists()
