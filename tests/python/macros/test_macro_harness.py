"""The generic test macros can both pass and fail: `dbt build` of tests/macro_harness.

The harness is a separate dbt project on the root project's macros (../../macros) with
hand-made fixtures. Each generic test macro is applied at least once where it must pass
(named ``pass__...``, tagged ``expect_pass``) and once on data with exactly one wrong
number or row where it must fail (``fail__...``, tagged ``expect_fail``, with the exact
number of failing rows in ``meta.expected_failures``). hierarchy_sum_checks and
percent_change are covered by dbt unit tests.

The build exits non-zero because of the expected failures: the assertions read
target/run_results.json and target/manifest.json, never the exit code. The database is a
temporary file (MACRO_HARNESS_DB_PATH); target/ and logs/ stay in tests/macro_harness.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pytest

HARNESS = Path(__file__).resolve().parents[2] / "macro_harness"
DBT = Path(sys.executable).parent / "dbt"
TARGET = HARNESS / "target"
LOGS = HARNESS / "logs"

GENERIC_TEST_MACROS = {
    "unique_combination",
    "expression_holds",
    "cube_is_complete",
    "printed_rows_are_whole",
    "contract_constraints_hold",
}
UNIT_TESTS = {
    "ledger_status_pass_fail_not_checkable",
    "ledger_walks_both_measure_levels",
    "percent_change_rounds_half_away_from_zero",
}


class Build:
    def __init__(self, completed: subprocess.CompletedProcess[str], database: Path) -> None:
        self.completed = completed
        self.database = database
        self.run_results = json.loads((TARGET / "run_results.json").read_text(encoding="utf-8"))
        self.manifest = json.loads((TARGET / "manifest.json").read_text(encoding="utf-8"))
        self.results: dict[str, dict[str, Any]] = {
            result["unique_id"]: result for result in self.run_results["results"]
        }

    @property
    def output(self) -> str:
        return self.completed.stdout[-5000:] + self.completed.stderr[-2000:]

    def data_tests(self) -> dict[str, dict[str, Any]]:
        return {
            unique_id: node
            for unique_id, node in self.manifest["nodes"].items()
            if node["resource_type"] == "test"
        }

    def expected_outcome(self, node: dict[str, Any]) -> str:
        tags = set(node["tags"]) & {"expect_pass", "expect_fail"}
        assert len(tags) == 1, f"{node['name']}: tag it expect_pass or expect_fail"
        outcome = tags.pop().removeprefix("expect_")
        assert node["name"].startswith(f"{outcome}__"), (
            f"{node['name']}: tagged expect_{outcome}, named otherwise"
        )
        return outcome


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    database = tmp_path_factory.mktemp("macro_harness") / "macro_harness.duckdb"
    # A stale run_results.json must never stand in for this run's.
    (TARGET / "run_results.json").unlink(missing_ok=True)
    env = {
        **os.environ,
        "MACRO_HARNESS_DB_PATH": str(database),
        "DBT_PROFILES_DIR": str(HARNESS),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    completed = subprocess.run(
        [
            str(DBT),
            "build",
            "--project-dir",
            str(HARNESS),
            "--profiles-dir",
            str(HARNESS),
            "--target-path",
            str(TARGET),
            "--log-path",
            str(LOGS),
        ],
        cwd=HARNESS,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (TARGET / "run_results.json").exists(), completed.stdout + completed.stderr
    return Build(completed, database)


def test_every_node_ran(build: Build) -> None:
    """Seeds and models built; no node errored or was skipped."""
    statuses = Counter(result["status"] for result in build.results.values())
    assert not statuses.keys() - {"success", "pass", "fail"}, (statuses, build.output)
    for unique_id, node in {**build.manifest["nodes"], **build.manifest["unit_tests"]}.items():
        if node["resource_type"] in {"seed", "model", "test", "unit_test"}:
            assert unique_id in build.results, f"{unique_id} did not run\n{build.output}"
    for unique_id, result in build.results.items():
        if unique_id.startswith(("seed.", "model.")):
            assert result["status"] == "success", (unique_id, result["message"])


def test_expected_passes_pass(build: Build) -> None:
    wrong = {
        node["name"]: (build.results[unique_id]["status"], build.results[unique_id]["failures"])
        for unique_id, node in build.data_tests().items()
        if build.expected_outcome(node) == "pass" and build.results[unique_id]["status"] != "pass"
    }
    assert not wrong, f"expected to pass: {wrong}\n{build.output}"


def test_expected_failures_fail(build: Build) -> None:
    """Status fail, with exactly the failing rows the wrong number or row implies."""
    wrong = {}
    for unique_id, node in build.data_tests().items():
        if build.expected_outcome(node) != "fail":
            continue
        result = build.results[unique_id]
        expected_failures = node["config"]["meta"]["expected_failures"]
        assert expected_failures >= 1, node["name"]
        if result["status"] != "fail" or result["failures"] != expected_failures:
            wrong[node["name"]] = {
                "status": result["status"],
                "failures": result["failures"],
                "expected_failures": expected_failures,
            }
    assert not wrong, f"expected to fail: {wrong}\n{build.output}"


def test_every_generic_test_macro_both_passes_and_fails(build: Build) -> None:
    outcomes: dict[str, set[str]] = {}
    for node in build.data_tests().values():
        macro = node["test_metadata"]["name"]
        outcomes.setdefault(macro, set()).add(build.expected_outcome(node))
    assert outcomes.keys() == GENERIC_TEST_MACROS
    assert all(found == {"pass", "fail"} for found in outcomes.values()), outcomes


def test_unit_tests_pass(build: Build) -> None:
    unit_tests = {
        node["name"]: build.results[unique_id]["status"]
        for unique_id, node in build.manifest["unit_tests"].items()
    }
    assert unit_tests.keys() == UNIT_TESTS
    assert all(status == "pass" for status in unit_tests.values()), (unit_tests, build.output)


def test_ledger_statuses_on_the_fixture(build: Build) -> None:
    """hierarchy_ledger over every fixture scenario: a fail exactly where the scenario
    breaks an identity, not_checkable where a part is suppressed and the known parts
    stay within the total."""
    with duckdb.connect(str(build.database), read_only=True) as con:
        rows = con.execute(
            "select scenario, hierarchy, status, count(*) from main.hierarchy_ledger group by all"
        ).fetchall()
    found = {(scenario, hierarchy, status): n for scenario, hierarchy, status, n in rows}
    assert found == {
        # County: one check per measure node (6), or one in the one-node scenarios.
        ("consistent", "county", "pass"): 6,
        ("off_by_one", "county", "pass"): 5,
        ("off_by_one", "county", "fail"): 1,
        ("suppressed_within", "county", "pass"): 5,
        ("suppressed_within", "county", "not_checkable"): 1,
        ("suppressed_over", "county", "pass"): 5,
        ("suppressed_over", "county", "fail"): 1,
        ("change_suppressed", "county", "not_checkable"): 1,
        ("parent_suppressed", "county", "not_checkable"): 1,
        ("parent_omitted", "county", "pass"): 1,
        ("parent_omitted_nonzero", "county", "fail"): 1,
        # Measure: total, g1 and g2 in each of the 3 counties.
        ("consistent", "measure", "pass"): 9,
        ("off_by_one", "measure", "pass"): 8,
        ("off_by_one", "measure", "fail"): 1,
        ("suppressed_within", "measure", "pass"): 8,
        ("suppressed_within", "measure", "not_checkable"): 1,
        ("suppressed_over", "measure", "pass"): 7,
        ("suppressed_over", "measure", "not_checkable"): 1,
        ("suppressed_over", "measure", "fail"): 1,
    }
