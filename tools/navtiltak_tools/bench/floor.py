"""The floor: the same build's compiled SQL in plain DuckDB, without dbt.

Every seed loaded with ``read_csv`` and its declared column types, every model's compiled
SQL (from the build's ``target/manifest.json``) created as its view or table in dependency
order, and every data test's compiled SQL counted (unit tests are dbt's own; left out).
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from navtiltak_tools.bench.measure import (
    DB_FILE,
    Node,
    child_env,
    mart_row_counts,
    run_measured,
    tail,
)


@dataclass(frozen=True)
class Floor:
    load_seconds: float
    model_seconds: float
    test_seconds: float
    tests: int
    tests_with_rows: int
    peak_mib: float = 0.0
    cpu_seconds: float = 0.0
    mart_rows: Mapping[str, int] | None = None

    @property
    def seconds(self) -> float:
        return self.load_seconds + self.model_seconds + self.test_seconds


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_csv_call(location: str, columns: Sequence[str], types: Mapping[str, str]) -> str:
    """``read_csv`` with a fixed dialect and every column's declared type (varchar if none)."""
    folded = {name.lower(): kind for name, kind in types.items()}
    struct = ", ".join(
        f"{sql_literal(name)}: {sql_literal(folded.get(name.lower(), 'varchar'))}"
        for name in columns
    )
    return (
        f"read_csv({sql_literal(location)}, header = true, auto_detect = false,"
        f" delim = ',', quote = '\"', escape = '\"', columns = {{{struct}}})"
    )


def was_built(node: Node) -> bool:
    """A seed, or a model or test the build before compiled (one `make build` leaves
    out has no compiled code)."""
    return node["resource_type"] == "seed" or "compiled_code" in node


def dependency_order(nodes: Mapping[str, Node]) -> list[str]:
    """Seeds and models, every one after the nodes it reads."""
    built = {
        uid
        for uid, node in nodes.items()
        if node["resource_type"] in ("seed", "model") and was_built(node)
    }
    graph = {
        uid: [d for d in nodes[uid].get("depends_on", {}).get("nodes", []) if d in built]
        for uid in built
    }
    return list(TopologicalSorter(graph).static_order())


def create_statement(project: Path, node: Node) -> str:
    relation = node["relation_name"]
    if node["resource_type"] == "seed":
        path = project / node["original_file_path"]
        call = read_csv_call(str(path), csv_header(path), node["config"].get("column_types", {}))
        return f"create table {relation} as select * from {call}"
    kind = "view" if node["config"]["materialized"] == "view" else "table"
    return f"create {kind} {relation} as\n{node['compiled_code']}\n"


def run_floor(project: Path) -> Floor:
    """Build the seeds and models of the manifest's build into a new database, then count
    every test of it."""
    manifest = json.loads((project / "target" / "manifest.json").read_text(encoding="utf-8"))
    nodes: dict[str, Node] = manifest["nodes"]
    database = project / "floor" / DB_FILE  # same stem: the compiled SQL names the catalog
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    order = dependency_order(nodes)
    tests = [node for node in nodes.values() if node["resource_type"] == "test" and was_built(node)]
    phases: dict[str, float] = {}
    with duckdb.connect(str(database)) as connection:
        start = time.perf_counter()
        for schema in sorted({nodes[uid]["schema"] for uid in order}):
            connection.execute(f'create schema if not exists "{schema}"')
        for kind in ("seed", "model"):
            for uid in (uid for uid in order if nodes[uid]["resource_type"] == kind):
                connection.execute(create_statement(project, nodes[uid]))
            phases[kind] = time.perf_counter() - start
            start = time.perf_counter()
        with_rows = sum(
            connection.execute(
                f"select count(*) from (\n{test['compiled_code']}\n) as t"
            ).fetchone()[0]
            > 0
            for test in tests
        )
        phases["test"] = time.perf_counter() - start
    return Floor(phases["seed"], phases["model"], phases["test"], len(tests), with_rows)


def measure_floor(project: Path) -> Floor:
    """Run the floor in its own process, for its own peak memory."""
    command = [sys.executable, "-m", "navtiltak_tools.bench", "--floor-of", str(project)]
    run = run_measured(command, project, child_env(project))
    if run.returncode != 0:
        raise SystemExit(f"error: the floor failed in {project}:\n{tail(run.output)}")
    fields = json.loads(run.output.strip().splitlines()[-1])
    fields["peak_mib"] = run.peak_mib
    fields["cpu_seconds"] = run.cpu_seconds
    fields["mart_rows"] = mart_row_counts(project / "floor" / DB_FILE)
    return Floor(**fields)
