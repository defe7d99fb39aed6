"""The structure rules over small manifests: a clean one passes, each breakage is named.

The manifests are built here with the fields dbt 1.11 writes to target/manifest.json
(resource_type, path, original_file_path, depends_on, test_metadata, attached_node, ...).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from navtiltak import structure
from navtiltak.structure import Violation, check_manifest, staging_model_for_seed

PROJECT = "nav_tiltak"


def seed(folder: str, name: str) -> dict[str, Any]:
    return {
        "unique_id": f"seed.{PROJECT}.{name}",
        "resource_type": "seed",
        "package_name": PROJECT,
        "name": name,
        "path": f"{folder}/{name}.csv",
        "original_file_path": f"seeds/{folder}/{name}.csv",
        "patch_path": f"{PROJECT}://seeds/{folder}/_{folder}__seeds.yml",
        "depends_on": {"macros": []},
        "columns": {},
        "description": "",
    }


def model(
    folder: str,
    name: str,
    reads: list[str],
    raw_code: str = "select 1 as one",
    **fields: Any,
) -> dict[str, Any]:
    node: dict[str, Any] = {
        "unique_id": f"model.{PROJECT}.{name}",
        "resource_type": "model",
        "package_name": PROJECT,
        "name": name,
        "path": f"{folder}/{name}.sql",
        "original_file_path": f"models/{folder}/{name}.sql",
        "patch_path": f"{PROJECT}://models/{folder}/_{folder}__models.yml",
        "depends_on": {"macros": [], "nodes": reads},
        "raw_code": raw_code,
        "description": "",
        "columns": {},
        "access": "protected",
        "contract": {"enforced": False, "alias_types": True, "checksum": None},
        "constraints": [],
        "config": {"materialized": "view"},
    }
    node.update(fields)
    return node


def generic_test(test_name: str, attached: str, column: str | None = None) -> dict[str, Any]:
    node_name = attached.rsplit(".", 1)[-1]
    name = f"{test_name}_{node_name}_{column or 'key'}"
    return {
        "unique_id": f"test.{PROJECT}.{name}.0123456789",
        "resource_type": "test",
        "package_name": PROJECT,
        "name": name,
        "path": f"{name}.sql",
        "original_file_path": "models/_models.yml",
        "depends_on": {"macros": [f"macro.dbt.test_{test_name}"], "nodes": [attached]},
        "raw_code": f"{{{{ test_{test_name}(**_dbt_generic_test_kwargs) }}}}",
        "test_metadata": {"name": test_name, "kwargs": {"column_name": column}, "namespace": None},
        "attached_node": attached,
        "column_name": column,
    }


def singular_test(name: str, raw_code: str, reads: list[str]) -> dict[str, Any]:
    return {
        "unique_id": f"test.{PROJECT}.{name}",
        "resource_type": "test",
        "package_name": PROJECT,
        "name": name,
        "path": f"{name}.sql",
        "original_file_path": f"tests/dbt/{name}.sql",
        "depends_on": {"macros": [], "nodes": reads},
        "raw_code": raw_code,
        "test_metadata": None,
        "attached_node": None,
    }


def ref(name: str, kind: str = "model") -> str:
    return f"{kind}.{PROJECT}.{name}"


def manifest_of(*nodes: dict[str, Any]) -> dict[str, Any]:
    return {
        "metadata": {"project_name": PROJECT, "dbt_version": "1.11.16"},
        "nodes": {node["unique_id"]: node for node in nodes},
        "sources": {},
    }


def clean_nodes() -> list[dict[str, Any]]:
    """A small project that keeps every rule."""
    mart_columns = {
        "measure_code": {"name": "measure_code", "description": "Measure.", "constraints": []},
        "participants": {"name": "participants", "description": "Count.", "constraints": []},
    }
    return [
        seed("report", "report_fylke"),
        seed("reference", "measures"),
        model(
            "staging",
            "stg_report__fylke",
            [ref("report_fylke", "seed")],
            raw_code="with source as (select * from {{ ref('report_fylke') }})\n"
            "select * from source",
        ),
        # A primary_key constraint counts as the primary-key test.
        model(
            "staging",
            "stg_reference__measures",
            [ref("measures", "seed")],
            constraints=[{"type": "primary_key", "columns": ["measure_code"]}],
        ),
        model(
            "intermediate",
            "int_measures_joined",
            [ref("stg_report__fylke"), ref("stg_reference__measures")],
            # `report` is a CTE here: `from report.x` inside extract() is no table reference.
            raw_code="with report as (select * from {{ ref('stg_report__fylke') }})\n"
            "select extract(month from report.report_date) as month_number from report",
            config={"materialized": "table"},
        ),
        model(
            "marts",
            "fct_participants",
            [ref("int_measures_joined")],
            description="Participants by measure.",
            columns=mart_columns,
            access="public",
            contract={"enforced": True, "alias_types": True, "checksum": "abc"},
        ),
        model(
            "marts",
            "dim_measure",
            [ref("stg_reference__measures"), ref("fct_participants")],
            description="Measures.",
            columns={"measure_code": {"description": "Measure.", "constraints": []}},
            # A column-level primary_key constraint counts too.
            access="protected",
        ),
        generic_test("unique", ref("report_fylke", "seed"), "cell_id"),
        generic_test("unique_combination", ref("measures", "seed")),
        generic_test("unique", ref("stg_report__fylke"), "cell_id"),
        generic_test("unique_combination_of_columns", ref("int_measures_joined")),
        generic_test("unique_key_of_report_rows", ref("fct_participants")),
        generic_test("unique", ref("dim_measure"), "measure_code"),
        singular_test(
            "assert_participants_not_negative",
            "-- not `from marts.fct_participants`: a comment is no reference\n"
            "select * from {{ ref('fct_participants') }} where participants < 0",
            [ref("fct_participants")],
        ),
    ]


def nodes_by_name(nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {node["name"]: node for node in nodes}


def violations_of(nodes: list[dict[str, Any]]) -> list[Violation]:
    return check_manifest(manifest_of(*nodes))


def only_violation(nodes: list[dict[str, Any]]) -> Violation:
    violations = violations_of(nodes)
    assert len(violations) == 1, "\n".join(map(str, violations))
    return violations[0]


# --------------------------------------------------------------------------- the mapping


@pytest.mark.parametrize(
    ("folder", "seed_name", "expected"),
    [
        ("report", "report_fylke", "stg_report__fylke"),
        ("report", "report_tiltak_og_hovedgrupper", "stg_report__tiltak_og_hovedgrupper"),
        ("reference", "measures", "stg_reference__measures"),
        ("reference", "fylke_2013_til_2024", "stg_reference__fylke_2013_til_2024"),
        ("reference", "report_tables", "stg_reference__report_tables"),
    ],
)
def test_staging_model_for_seed(folder: str, seed_name: str, expected: str) -> None:
    assert staging_model_for_seed(folder, seed_name) == expected


# --------------------------------------------------------------------------- clean project


def test_clean_project_passes() -> None:
    assert violations_of(clean_nodes()) == []


def test_cli_exit_codes(tmp_path, capsys) -> None:
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(manifest_of(*clean_nodes())), encoding="utf-8")
    assert structure.main([str(clean)]) == 0
    assert "structure rules hold for 5 models and 2 seeds" in capsys.readouterr().out

    nodes = clean_nodes()
    nodes_by_name(nodes)["fct_participants"]["contract"] = {"enforced": False}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(manifest_of(*nodes)), encoding="utf-8")
    assert structure.main([str(broken)]) == 1
    captured = capsys.readouterr()
    assert "[contract] public model fct_participants has no enforced contract" in captured.out
    assert "1 structure violation(s)" in captured.err

    assert structure.main([str(tmp_path / "missing.json")]) == 2
    assert "run `dbt parse`" in capsys.readouterr().err


# --------------------------------------------------------------------------- naming


def test_staging_model_without_stg_prefix() -> None:
    nodes = clean_nodes()
    node = nodes_by_name(nodes)["int_measures_joined"]
    node.update(path="staging/int_measures_joined.sql")
    node.update(original_file_path="models/staging/int_measures_joined.sql")
    node["depends_on"]["nodes"] = [ref("measures", "seed")]
    nodes.remove(nodes_by_name(nodes)["stg_reference__measures"])
    violations = [v for v in violations_of(nodes) if v.rule == "naming"]
    assert [str(v) for v in violations] == [
        "models/staging/int_measures_joined.sql: [naming] model int_measures_joined is in "
        "models/staging: rename it to stg_... (or move it to the folder its prefix names)"
    ]


def test_mart_without_dim_or_fct_prefix() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["dim_measure"]["name"] = "measure_dimension"
    violation = only_violation(nodes)
    assert violation.rule == "naming"
    assert "model measure_dimension is in models/marts: rename it to dim_... or fct_..." in str(
        violation
    )


def test_model_outside_the_layer_folders() -> None:
    nodes = clean_nodes()
    node = nodes_by_name(nodes)["fct_participants"]
    node.update(path="fct_participants.sql", original_file_path="models/fct_participants.sql")
    violations = [v for v in violations_of(nodes) if v.rule == "naming"]
    assert len(violations) == 1
    assert "model fct_participants is in the root of models/: move it into one of" in str(
        violations[0]
    )


# --------------------------------------------------------------------------- seeds and staging


def test_seed_without_staging_model() -> None:
    nodes = [*clean_nodes(), seed("reference", "age_bands")]
    nodes.append(generic_test("unique", ref("age_bands", "seed"), "age_band_code"))
    violation = only_violation(nodes)
    assert str(violation) == (
        "seeds/reference/age_bands.csv: [seed-staging] seed age_bands has no staging model: "
        "add models/staging/stg_reference__age_bands.sql that selects from "
        "{{ ref('age_bands') }} (renames and casts only)"
    )


def test_report_seed_staging_model_keeps_the_folder_prefix() -> None:
    """stg_report__report_fylke is the wrong name: the seed's `report_` prefix goes."""
    nodes = clean_nodes()
    staging = nodes_by_name(nodes)["stg_report__fylke"]
    staging["name"] = "stg_report__report_fylke"
    violations = violations_of(nodes)
    assert [str(v) for v in violations] == [
        "models/staging/stg_report__fylke.sql: [seed-staging] staging model "
        "stg_report__report_fylke reads seed report_fylke, whose staging model is named "
        "stg_report__fylke: rename stg_report__report_fylke to stg_report__fylke",
        "seeds/report/report_fylke.csv: [seed-staging] seed report_fylke has no staging model: "
        "add models/staging/stg_report__fylke.sql that selects from {{ ref('report_fylke') }} "
        "(renames and casts only)",
    ]


def test_staging_model_named_for_seed_but_not_reading_it() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["stg_reference__measures"]["depends_on"]["nodes"] = [
        ref("report_fylke", "seed")
    ]
    messages = [v.message for v in violations_of(nodes)]
    assert messages == [
        "staging model stg_reference__measures reads seed report_fylke, whose staging model "
        "is named stg_report__fylke: rename stg_reference__measures to stg_report__fylke",
        "stg_reference__measures is the staging model of seed measures but does not read it: "
        "select from {{ ref('measures') }}",
    ]


def test_staging_model_reading_other_seeds_than_its_own() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["stg_report__fylke"]["depends_on"]["nodes"].append(ref("measures", "seed"))
    violation = only_violation(nodes)
    assert str(violation) == (
        "models/staging/stg_report__fylke.sql: [seed-staging] staging model stg_report__fylke "
        "reads measures, not its own seed: a staging model reads only its own seed (renames "
        "and casts); join the others through their staging models (stg_reference__measures) "
        "in an intermediate model (int_...)"
    )


def test_staging_model_may_read_the_lookup_seeds() -> None:
    """Canonical labels are staging's job: it reads label_aliases, report_tables and
    metrics beside its own seed, and no rule objects."""
    nodes = clean_nodes() + [seed("reference", name) for name in structure.STAGING_LOOKUP_SEEDS]
    for name in structure.STAGING_LOOKUP_SEEDS:
        nodes.append(model("staging", f"stg_reference__{name}", [ref(name, "seed")]))
        nodes.append(generic_test("unique", ref(f"stg_reference__{name}"), "key"))
        nodes.append(generic_test("unique", ref(name, "seed"), "key"))
        nodes_by_name(nodes)["stg_report__fylke"]["depends_on"]["nodes"].append(ref(name, "seed"))
    assert violations_of(nodes) == []


def test_staging_model_reading_nothing() -> None:
    nodes = [*clean_nodes(), model("staging", "stg_reference__constants", [])]
    nodes.append(generic_test("unique", ref("stg_reference__constants"), "one"))
    violation = only_violation(nodes)
    assert violation.rule == "seed-staging"
    assert "staging model stg_reference__constants reads no seed or source" in violation.message


def test_seed_at_the_root_of_seeds() -> None:
    nodes = clean_nodes()
    node = nodes_by_name(nodes)["measures"]
    node.update(path="measures.csv", original_file_path="seeds/measures.csv")
    violations = violations_of(nodes)
    assert "seed measures is at the root of seeds/: move it into a folder" in violations[0].message


# --------------------------------------------------------------------------- raw inputs, layering


def test_intermediate_model_reading_a_seed() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["int_measures_joined"]["depends_on"]["nodes"].append(
        ref("report_fylke", "seed")
    )
    violations = [v for v in violations_of(nodes) if v.rule == "raw-inputs"]
    assert [str(v) for v in violations] == [
        "models/intermediate/int_measures_joined.sql: [raw-inputs] model int_measures_joined "
        "reads seed report_fylke directly: only staging models read seeds and sources; "
        "read {{ ref('stg_report__fylke') }} instead"
    ]


def test_mart_reading_a_seed() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["dim_measure"]["depends_on"]["nodes"].append(ref("measures", "seed"))
    violation = only_violation(nodes)
    assert violation.rule == "raw-inputs"
    assert "read {{ ref('stg_reference__measures') }} instead" in violation.message


def test_staging_model_reading_a_staging_model() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["stg_report__fylke"]["depends_on"]["nodes"].append(
        ref("stg_reference__measures")
    )
    violation = only_violation(nodes)
    assert violation.rule == "layering"
    assert violation.message.startswith(
        "staging model stg_report__fylke reads staging model stg_reference__measures: "
        "staging models read only their seed"
    )


def test_staging_model_reading_a_mart() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["stg_report__fylke"]["depends_on"]["nodes"].append(ref("fct_participants"))
    violation = only_violation(nodes)
    assert violation.rule == "layering"
    assert "reads marts model fct_participants" in violation.message


def test_intermediate_model_reading_a_mart() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["int_measures_joined"]["depends_on"]["nodes"].append(ref("dim_measure"))
    violation = only_violation(nodes)
    assert violation.rule == "layering"
    assert (
        "intermediate model int_measures_joined reads marts model dim_measure, a later layer"
        in (violation.message)
    )


# --------------------------------------------------------------------------- primary keys


def test_model_without_primary_key_test() -> None:
    nodes = [
        n
        for n in clean_nodes()
        if n["name"] != "unique_combination_of_columns_int_measures_joined_key"
    ]
    violation = only_violation(nodes)
    assert str(violation) == (
        "models/intermediate/_intermediate__models.yml: [primary-key] model "
        "int_measures_joined has no primary-key test: add `unique` (and `not_null`) to its "
        "key column, or a uniqueness test over its key columns (this project's "
        "`unique_combination`, macros/tests), or a primary_key constraint"
    )


def test_seed_without_primary_key_test() -> None:
    nodes = [n for n in clean_nodes() if n["name"] != "unique_report_fylke_cell_id"]
    violation = only_violation(nodes)
    assert violation.path == "seeds/report/_report__seeds.yml"
    assert violation.message.startswith("seed report_fylke has no primary-key test")


def test_not_null_alone_is_no_primary_key_test() -> None:
    nodes = clean_nodes()
    test = nodes_by_name(nodes)["unique_dim_measure_measure_code"]
    test["test_metadata"]["name"] = "not_null"
    violation = only_violation(nodes)
    assert violation.message.startswith("model dim_measure has no primary-key test")


def test_column_primary_key_constraint_counts() -> None:
    nodes = [n for n in clean_nodes() if n["name"] != "unique_dim_measure_measure_code"]
    nodes_by_name(nodes)["dim_measure"]["columns"]["measure_code"]["constraints"] = [
        {"type": "primary_key"}
    ]
    assert violations_of(nodes) == []


def test_model_primary_key_constraint_counts_but_not_other_constraints() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["stg_reference__measures"]["constraints"] = [{"type": "not_null"}]
    violation = only_violation(nodes)
    assert violation.message.startswith("model stg_reference__measures has no primary-key test")


# --------------------------------------------------------------------------- docs and contracts


def test_mart_without_description() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["fct_participants"]["description"] = "  "
    violation = only_violation(nodes)
    assert str(violation) == (
        "models/marts/_marts__models.yml: [docs] mart fct_participants has no description: "
        "add `description:` to it"
    )


def test_mart_column_without_description() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["fct_participants"]["columns"]["participants"]["description"] = ""
    violation = only_violation(nodes)
    assert violation.rule == "docs"
    assert violation.message.startswith(
        "column participants of mart fct_participants has no description: add `description:`"
    )


def test_mart_without_documented_columns() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["dim_measure"]["columns"] = {}
    violation = only_violation(nodes)
    assert violation.message.startswith("mart dim_measure documents no columns")


def test_undocumented_intermediate_model_is_allowed() -> None:
    nodes = clean_nodes()
    assert nodes_by_name(nodes)["int_measures_joined"]["description"] == ""
    assert violations_of(nodes) == []


def test_public_model_without_enforced_contract() -> None:
    nodes = clean_nodes()
    node = nodes_by_name(nodes)["dim_measure"]
    node["access"] = "public"
    violation = only_violation(nodes)
    assert str(violation) == (
        "models/marts/_marts__models.yml: [contract] public model dim_measure has no enforced "
        "contract: set `config: {contract: {enforced: true}}` and give every column a "
        "data_type (or make it `access: protected`)"
    )


def test_access_and_contract_read_from_config_too() -> None:
    nodes = clean_nodes()
    node = nodes_by_name(nodes)["dim_measure"]
    del node["access"], node["contract"]
    node["config"] = {"access": "public", "contract": {"enforced": False}}
    assert only_violation(nodes).rule == "contract"
    node["config"]["contract"]["enforced"] = True
    assert violations_of(nodes) == []


# --------------------------------------------------------------------------- hard-coded tables


@pytest.mark.parametrize(
    ("sql", "text", "instead"),
    [
        (
            "select *\nfrom marts.fct_participants",
            "from marts.fct_participants",
            "ref('fct_participants')",
        ),
        (
            "select *\nfrom x\nleft JOIN Staging.stg_report__fylke as s on true",
            "JOIN Staging.stg_report__fylke",
            "ref('stg_report__fylke')",
        ),
        (
            'select * from "nav_tiltak"."main"."report_fylke"',
            'from "nav_tiltak"."main"."report_fylke"',
            "ref('report_fylke')",
        ),
        (
            "select * from report.report_fylke",
            "from report.report_fylke",
            "ref('stg_report__fylke')",
        ),
    ],
)
def test_hard_coded_table_in_a_model(sql: str, text: str, instead: str) -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["int_measures_joined"]["raw_code"] = sql
    violation = only_violation(nodes)
    assert violation.rule == "hard-coded-ref"
    assert violation.path == f"models/intermediate/int_measures_joined.sql:{sql.count(chr(10)) + 1}"
    assert violation.message.startswith(f"`{text}` names a table directly")
    assert instead in violation.message


def test_hard_coded_table_in_a_singular_test() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["assert_participants_not_negative"]["raw_code"] = (
        "{# from marts.x in a jinja comment is fine #}\n"
        "/* so is\n from marts.y */\n"
        "select * from reference.measures where 1 = 0"
    )
    violation = only_violation(nodes)
    assert violation.path == "tests/dbt/assert_participants_not_negative.sql:4"
    assert "use {{ ref('stg_reference__measures') }}" in violation.message


def test_unknown_schema_and_functions_are_not_flagged() -> None:
    nodes = clean_nodes()
    nodes_by_name(nodes)["int_measures_joined"]["raw_code"] = (
        "select trim(both ' ' from label) as label, extract(year from report_date) as y\n"
        "from {{ ref('stg_report__fylke') }} as fylke\n"
        "join other_schema.some_table as t on true"
    )
    assert violations_of(nodes) == []


def test_nodes_of_other_packages_are_ignored() -> None:
    nodes = clean_nodes()
    foreign = model("staging", "helper", [], package_name="some_package")
    assert violations_of([*nodes, foreign]) == []
