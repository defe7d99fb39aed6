"""On DuckDB every seed is loaded by read_csv (macros/seeds/), never through agate.

Proved two ways over every seed of the project (reference and report):

- against the CSV file read independently with Python's csv module: the same rows, an
  empty cell null, every other cell the text as written (leading zeros and Norwegian
  letters included), and every column of the declared type;
- against dbt's default seed materialization (`--vars '{seed_loader: agate}'`) loading
  the same files into another database: the same column types and the same rows.

The test warehouse (`make dbt-test`) holds the seeds as the project loads them.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from navtiltak_tools.testing.project_paths import ROOT
from navtiltak_tools.testing.warehouse_fixtures import run, warehouse_for_tests

Row = tuple[str | None, ...]


def seeds_of(manifest: dict) -> list[dict]:
    return [node for node in manifest["nodes"].values() if node["resource_type"] == "seed"]


@pytest.fixture(scope="module")
def warehouse() -> Path:
    return warehouse_for_tests()


@pytest.fixture(scope="module")
def seeds(warehouse: Path) -> list[dict]:
    # make dbt-test wrote this manifest with the warehouse.
    manifest = json.loads((ROOT / "target" / "manifest.json").read_text(encoding="utf-8"))
    found = seeds_of(manifest)
    assert len(found) >= 20, "expected every reference and report seed in the manifest"
    return found


@pytest.fixture(scope="module")
def agate_loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every seed loaded by dbt's default materialization into a database of its own."""
    where = tmp_path_factory.mktemp("agate-seeds")
    database = where / "nav_tiltak.duckdb"
    command = [
        str(ROOT / ".venv" / "bin" / "dbt"),
        "seed",
        "--vars",
        "{seed_loader: agate}",
        "--target-path",
        str(where / "target"),
        "--log-path",
        str(where / "logs"),
    ]
    result = run(command, ROOT, {"NAV_TILTAK_DB_PATH": str(database), "NAV_TILTAK_TARGET": "dev"})
    assert result.returncode == 0, result.stdout[-3000:]
    # dbt's default materialization ran: it writes dbt-duckdb's COPY as the seed's SQL.
    written = where / "target" / "run" / "nav_tiltak" / "seeds" / "reference" / "counties.csv"
    assert "copy" in written.read_text(encoding="utf-8").lower()
    return database


def csv_rows(path: Path) -> tuple[list[str], Counter[Row]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = Counter(tuple(cell if cell != "" else None for cell in row) for row in reader)
    return header, rows


def table_columns(connection: duckdb.DuckDBPyConnection, seed: dict) -> list[tuple[str, str]]:
    return connection.execute(
        "select column_name, data_type from duckdb_columns()"
        " where schema_name = ? and table_name = ? order by column_index",
        [seed["schema"], seed["alias"]],
    ).fetchall()


def table_as_text(connection: duckdb.DuckDBPyConnection, seed: dict) -> Counter[Row]:
    columns = [name for name, _ in table_columns(connection, seed)]
    text = ", ".join(f'cast("{name}" as varchar)' for name in columns)
    rows = connection.execute(f'select {text} from "{seed["schema"]}"."{seed["alias"]}"')
    return Counter(rows.fetchall())


def declared_type(seed: dict, column: str) -> str:
    return seed["config"]["column_types"][column].upper()


def test_the_project_loads_seeds_with_read_csv(warehouse: Path, seeds: list[dict]) -> None:
    for seed in seeds:
        written = ROOT / "target" / "run" / "nav_tiltak" / seed["original_file_path"]
        assert "read_csv(" in written.read_text(encoding="utf-8"), seed["name"]


def test_every_seed_holds_its_file_as_written(warehouse: Path, seeds: list[dict]) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for seed in seeds:
            header, expected = csv_rows(ROOT / seed["original_file_path"])
            columns = table_columns(connection, seed)
            assert columns == [(name, declared_type(seed, name)) for name in header], seed["name"]
            assert table_as_text(connection, seed) == expected, seed["name"]


def test_the_files_hold_what_the_comparison_must_cover(seeds: list[dict]) -> None:
    """Leading zeros, Norwegian letters and empty cells are in the files compared above."""
    cells: set[str | None] = set()
    for seed in seeds:
        for row in csv_rows(ROOT / seed["original_file_path"])[1]:
            cells.update(row)
    assert {"03", "Øvrige områder", None} <= cells
    assert any(cell and any(letter in cell for letter in "æøå") for cell in cells)


def test_read_csv_loads_what_dbts_default_loader_loads(
    warehouse: Path, agate_loaded: Path, seeds: list[dict]
) -> None:
    with (
        duckdb.connect(str(warehouse), read_only=True) as ours,
        duckdb.connect(str(agate_loaded), read_only=True) as default,
    ):
        for seed in seeds:
            assert table_columns(ours, seed) == table_columns(default, seed), seed["name"]
            assert table_as_text(ours, seed) == table_as_text(default, seed), seed["name"]
