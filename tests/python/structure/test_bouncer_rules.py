"""Every check of dbt-bouncer.yml can fail: dbt-bouncer runs with the project's config over a
small clean manifest (it passes) and over broken copies of it (the checks named fail, and
only those). A check is named by its name and its `include`, so the config may be
reordered.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from manifest_fixtures import (
    Node,
    by_name,
    clean_nodes,
    clean_unit_tests,
    generic_test,
    manifest_of,
    model,
    ref,
    seed,
    write_manifest,
)

from navtiltak_tools.testing.project_paths import ROOT

CONFIG = ROOT / "dbt-bouncer.yml"
BOUNCER = Path(sys.executable).parent / "dbt-bouncer"

Check = tuple[str, str | None]  # (check name, include)


def configured_checks() -> list[Check]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return [(check["name"], check.get("include")) for check in config["manifest_checks"]]


def failed_checks(tmp_path: Path, nodes: list[Node], sources: tuple[Node, ...] = ()) -> set[Check]:
    """The checks dbt-bouncer reports failed on a manifest of these nodes."""
    shutil.copy(CONFIG, tmp_path / "dbt-bouncer.yml")  # dbt_artifacts_dir: target, beside it
    manifest = manifest_of(*nodes, unit_tests=tuple(clean_unit_tests()), sources=sources)
    write_manifest(tmp_path / "target" / "manifest.json", manifest)
    results = tmp_path / "results.json"
    run = subprocess.run(
        [str(BOUNCER), "--config-file", "dbt-bouncer.yml", "--output-file", str(results)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stdout + run.stderr
    checks = configured_checks()
    failed = {
        checks[int(result["check_run_id"].split(":")[1])]
        for result in json.loads(results.read_text(encoding="utf-8"))
        if result["outcome"] == "failed"
    }
    assert (run.returncode == 1) == bool(failed), run.stdout + run.stderr
    return failed


def source(name: str) -> Node:
    return {
        "unique_id": f"source.nav_tiltak.raw.{name}",
        "resource_type": "source",
        "package_name": "nav_tiltak",
        "name": name,
        "source_name": "raw",
        "path": "models/staging/_sources.yml",
        "original_file_path": "models/staging/_sources.yml",
        "description": "",
        "columns": {},
        "meta": {},
        "tags": [],
        "config": {"enabled": True, "meta": {}, "tags": []},
    }


# --------------------------------------------------------------------------- breakages


def outside_the_layers(nodes: list[Node]) -> None:
    nodes.append(model("helpers/int_helper", [ref("stg_report__fylke")]))
    nodes.append(generic_test("unique", ref("int_helper"), "key"))


def names_against_folders(nodes: list[Node]) -> None:
    models = by_name(nodes)
    models["stg_reference__measures"]["name"] = "stg_measures"  # no stg_<folder>__<table>
    models["int_participants_joined"]["name"] = "participants_joined"
    models["dim_measure"]["name"] = "measure_dimension"


def intermediate_outside_a_job_folder(nodes: list[Node]) -> None:
    node = by_name(nodes)["int_participants_joined"]
    node.update(
        path="intermediate/int_participants_joined.sql",
        original_file_path="models/intermediate/int_participants_joined.sql",
    )


def reading_a_later_layer(nodes: list[Node]) -> None:
    by_name(nodes)["stg_report__fylke"]["depends_on"]["nodes"].append(
        ref("stg_reference__measures")
    )
    by_name(nodes)["int_participants_joined"]["depends_on"]["nodes"].append(ref("dim_measure"))


def mart_reading_report_staging(nodes: list[Node]) -> None:
    by_name(nodes)["dim_measure"]["depends_on"]["nodes"].append(ref("stg_report__fylke"))


def raw_inputs_after_staging(nodes: list[Node]) -> None:
    by_name(nodes)["int_participants_joined"]["depends_on"]["nodes"].append(ref("measures", "seed"))
    by_name(nodes)["fct_participants"]["depends_on"]["nodes"].append("source.nav_tiltak.raw.cells")


def hard_coded_table(nodes: list[Node]) -> None:
    by_name(nodes)["int_participants_joined"]["raw_code"] = "select * from marts.dim_measure"


def no_uniqueness_test(nodes: list[Node]) -> None:
    """not_null is no uniqueness test, and a primary_key constraint alone is none either."""
    by_name(nodes)["unique_combination_int_participants_joined_key"]["test_metadata"]["name"] = (
        "not_null"
    )
    nodes.remove(by_name(nodes)["unique_dim_measure_measure_code"])


def mart_without_docs_or_contract(nodes: list[Node]) -> None:
    mart = by_name(nodes)["fct_participants"]
    mart["description"] = ""
    mart["columns"]["participants"]["description"] = ""
    mart["contract"] = {"enforced": False, "alias_types": True, "checksum": None}


def names_over_63_characters(nodes: list[Node]) -> None:
    by_name(nodes)["dim_measure"]["alias"] = "dim_" + "m" * 60
    nodes.append(seed("reference", "s" * 64))
    snapshot = seed("reference", "snap_" + "x" * 59)
    snapshot.update(
        resource_type="snapshot",
        unique_id=f"snapshot.nav_tiltak.{snapshot['name']}",
        original_file_path=f"snapshots/{snapshot['name']}.sql",
    )
    nodes.append(snapshot)


CASES: list[tuple[Callable[[list[Node]], None], set[Check]]] = [
    (outside_the_layers, {("check_model_directories", "^models")}),
    (
        names_against_folders,
        {
            ("check_model_names", "^models/staging/"),
            ("check_model_names", "^models/intermediate/"),
            ("check_model_names", "^models/marts/"),
        },
    ),
    (intermediate_outside_a_job_folder, {("check_model_names", "^models/intermediate/[^/]+$")}),
    (
        reading_a_later_layer,
        {
            ("check_lineage_permitted_upstream_models", "^models/staging/"),
            ("check_lineage_permitted_upstream_models", "^models/intermediate/"),
        },
    ),
    (mart_reading_report_staging, {("check_lineage_permitted_upstream_models", "^models/marts/")}),
    (
        raw_inputs_after_staging,
        {
            ("check_lineage_seed_cannot_be_used", "^models/(intermediate|marts)/"),
            ("check_lineage_source_cannot_be_used", "^models/(intermediate|marts)/"),
        },
    ),
    (hard_coded_table, {("check_model_hard_coded_references", None)}),
    (no_uniqueness_test, {("check_model_has_unique_test", "^models/(intermediate|marts)/")}),
    (
        mart_without_docs_or_contract,
        {
            ("check_model_description_populated", "^models/marts/"),
            ("check_model_column_description_populated", "^models/marts/"),
            ("check_model_has_contracts_enforced", "^models/marts/"),
            ("check_model_contract_enforced_for_public_model", None),
        },
    ),
    (
        names_over_63_characters,
        {
            ("check_model_alias", None),
            ("check_seed_names", None),
            ("check_snapshot_names", None),
        },
    ),
]


def test_clean_manifest_passes(tmp_path: Path) -> None:
    assert failed_checks(tmp_path, clean_nodes(), sources=(source("cells"),)) == set()


@pytest.mark.parametrize(("breakage", "expected"), CASES, ids=[case.__name__ for case, _ in CASES])
def test_each_breakage_fails_its_checks(
    tmp_path: Path, breakage: Callable[[list[Node]], None], expected: set[Check]
) -> None:
    nodes = clean_nodes()
    breakage(nodes)
    assert failed_checks(tmp_path, nodes, sources=(source("cells"),)) == expected


def test_every_configured_check_has_a_breakage() -> None:
    covered = set().union(*(expected for _, expected in CASES))
    assert sorted(set(configured_checks()) - covered, key=str) == []
