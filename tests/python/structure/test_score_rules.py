"""dbt-score with the project's config ([tool.dbt-score] in pyproject.toml) and its own rule
(tools/navtiltak_tools/score_rules.py): a key without its uniqueness test is found, the
clean fixture scores full marks, and a project without owners falls below the threshold.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dbt_score import Model
from dbt_score.rule import RuleConfig
from manifest_fixtures import (
    Node,
    by_name,
    clean_nodes,
    clean_unit_tests,
    generic_test,
    manifest_of,
    ref,
    write_manifest,
)

from navtiltak_tools.score_rules import is_mart, primary_key_has_uniqueness_test
from navtiltak_tools.testing.project_paths import ROOT

DBT_SCORE = Path(sys.executable).parent / "dbt-score"


def as_model(nodes: list[Node], name: str) -> Model:
    node = by_name(nodes)[name]
    tests = [n for n in nodes if n.get("attached_node") == node["unique_id"]]
    return Model.from_node(node, tests)


def key_violation(nodes: list[Node], name: str) -> str | None:
    violation = primary_key_has_uniqueness_test(RuleConfig()).evaluate(as_model(nodes, name))
    return None if violation is None else violation.message


def test_keys_of_the_clean_fixture_have_their_tests() -> None:
    """A column key with `unique`, a model-level key with unique_combination."""
    nodes = clean_nodes()
    assert key_violation(nodes, "dim_measure") is None
    assert key_violation(nodes, "fct_participants") is None
    assert key_violation(nodes, "int_participants_joined") is None  # no key, nothing to test


def test_column_key_without_unique_test() -> None:
    nodes = [n for n in clean_nodes() if n["name"] != "unique_dim_measure_measure_code"]
    assert key_violation(nodes, "dim_measure") == (
        "No uniqueness test over the primary key (measure_code): add `unique` to the column, "
        "or `unique_combination` over the columns."
    )


def test_composite_key_tested_over_other_columns() -> None:
    nodes = [
        n
        for n in clean_nodes()
        if n["name"] != "unique_combination_fct_participants_month_measure_code"
    ]
    nodes.append(generic_test("unique_combination", ref("fct_participants"), columns=["month"]))
    assert key_violation(nodes, "fct_participants") == (
        "No uniqueness test over the primary key (month, measure_code): add `unique` to the "
        "column, or `unique_combination` over the columns."
    )


def test_only_marts_need_an_example_query() -> None:
    nodes = clean_nodes()
    assert is_mart().evaluate(as_model(nodes, "dim_measure"))
    assert not is_mart().evaluate(as_model(nodes, "int_participants_joined"))


def lint(tmp_path: Path, nodes: list[Node]) -> subprocess.CompletedProcess[str]:
    manifest = write_manifest(
        tmp_path / "manifest.json", manifest_of(*nodes, unit_tests=tuple(clean_unit_tests()))
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tools")}
    return subprocess.run(
        [str(DBT_SCORE), "lint", "--manifest", str(manifest)],
        cwd=ROOT,  # reads [tool.dbt-score] from the project's pyproject.toml
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("owned", [True, False], ids=["owners", "no-owners"])
def test_project_threshold(tmp_path: Path, owned: bool) -> None:
    nodes = clean_nodes()
    for node in nodes:
        if node["resource_type"] in ("model", "seed") and not owned:
            node["meta"] = {}
    run = lint(tmp_path, nodes)
    output = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + run.stderr)  # colours
    if owned:
        assert run.returncode == 0, output
        assert "Project score: 10.0" in output
    else:
        assert run.returncode == 1, output
        assert "lacks an owner" in output
        assert "Project score:" in output
