"""Small dbt manifests for the structure tests, built by hand.

The nodes carry the fields dbt 1.11 writes to target/manifest.json that dbt-bouncer,
dbt-score and tools/navtiltak_tools/structure.py read. ``clean_nodes()`` is a project of
two seeds, their staging models, one intermediate model, a dimension and a fact that
keeps every rule; a test breaks one thing in a copy of it and names the rule that fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROJECT = "nav_tiltak"
OWNER = {"owner": "warehouse-team"}

Node = dict[str, Any]


def ref(name: str, kind: str = "model") -> str:
    return f"{kind}.{PROJECT}.{name}"


def constraint(kind: str, columns: list[str] | None = None) -> Node:
    node: Node = {
        "type": kind,
        "name": None,
        "expression": None,
        "warn_unenforced": True,
        "warn_unsupported": True,
        "to": None,
        "to_columns": [],
    }
    if columns is not None:
        node["columns"] = columns
    return node


def column(name: str, description: str = "A column.", *constraints: str) -> Node:
    return {
        "name": name,
        "description": description,
        "meta": {},
        "data_type": "varchar",
        "constraints": [constraint(kind) for kind in constraints],
        "quote": None,
        "config": {"meta": {}, "tags": []},
        "tags": [],
    }


def _node(resource_type: str, name: str, path: str, original_file_path: str) -> Node:
    return {
        "database": PROJECT,
        "schema": "main",
        "name": name,
        "resource_type": resource_type,
        "package_name": PROJECT,
        "path": path,
        "original_file_path": original_file_path,
        "unique_id": f"{resource_type}.{PROJECT}.{name}",
        "fqn": [PROJECT, *Path(path).with_suffix("").parts],
        "alias": name,
        "tags": [],
        "meta": dict(OWNER),
        "description": "",
        "columns": {},
        "patch_path": None,
        "unrendered_config": {},
        "raw_code": "",
        "language": "sql",
        "depends_on": {"macros": [], "nodes": []},
        "group": None,
        "docs": {"show": True, "node_color": None},
    }


def seed(folder: str, name: str, description: str = "A seed.") -> Node:
    node = _node("seed", name, f"{folder}/{name}.csv", f"seeds/{folder}/{name}.csv")
    node.update(
        schema=folder,
        description=description,
        patch_path=f"{PROJECT}://seeds/{folder}/_{folder}__seeds.yml",
        config={"enabled": True, "materialized": "seed", "meta": dict(OWNER), "tags": []},
        columns={"key": column("key")},
    )
    return node


def model(
    path: str,
    reads: list[str],
    raw_code: str = "select 1 as key",
    **fields: Any,
) -> Node:
    """A model at models/<path>.sql; `path` names its folder, e.g. `staging/report/stg_x`."""
    name = Path(path).name
    layer = Path(path).parts[0]
    node = _node("model", name, f"{path}.sql", f"models/{path}.sql")
    folder = Path(path).parent
    node.update(
        schema=layer,
        description=f"Model {name}.",
        patch_path=f"{PROJECT}://models/{folder}/_{folder.name}__models.yml",
        depends_on={"macros": [], "nodes": list(reads)},
        raw_code=raw_code,
        columns={"key": column("key")},
        access="protected",
        contract={"enforced": False, "alias_types": True, "checksum": None},
        constraints=[],
        version=None,
        latest_version=None,
        config={
            "enabled": True,
            "alias": None,
            "materialized": "view" if layer == "staging" else "table",
            "meta": dict(OWNER),
            "tags": [],
            "access": "protected",
            "contract": {"enforced": False, "alias_types": True},
        },
    )
    node.update(fields)
    return node


def mart(path: str, reads: list[str], columns: dict[str, Node], **fields: Any) -> Node:
    name = Path(path).name
    node = model(
        path,
        reads,
        raw_code=f"select * from {{{{ ref('{reads[0].rsplit('.', 1)[-1]}') }}}}",
        description=f"Mart {name}.\n\n```sql\nselect * from marts.{name}\n```",
        columns=columns,
        access="public",
        contract={"enforced": True, "alias_types": True, "checksum": "abc"},
        **fields,
    )
    node["config"].update(access="public", contract={"enforced": True, "alias_types": True})
    return node


def generic_test(
    test_name: str, attached: str, column_name: str | None = None, **kwargs: Any
) -> Node:
    node_name = attached.rsplit(".", 1)[-1]
    name = f"{test_name}_{node_name}_{column_name or '_'.join(kwargs.get('columns', ['key']))}"
    node = _node("test", name, f"{name}.sql", "models/_models.yml")
    node.update(
        unique_id=f"test.{PROJECT}.{name}.0123456789",
        schema="test_failures",
        meta={},
        config={"enabled": True, "materialized": "test", "store_failures": True, "meta": {}},
        raw_code=f"{{{{ test_{test_name}(**_dbt_generic_test_kwargs) }}}}",
        depends_on={"macros": [f"macro.dbt.test_{test_name}"], "nodes": [attached]},
        column_name=column_name,
        attached_node=attached,
        test_metadata={
            "name": test_name,
            "kwargs": {"column_name": column_name, **kwargs} if column_name else dict(kwargs),
            "namespace": None,
        },
    )
    return node


def singular_test(name: str, raw_code: str, reads: list[str]) -> Node:
    node = _node("test", name, f"{name}.sql", f"tests/dbt/{name}.sql")
    node.update(
        schema="test_failures",
        meta={},
        config={"enabled": True, "materialized": "test", "store_failures": True, "meta": {}},
        raw_code=raw_code,
        depends_on={"macros": [], "nodes": list(reads)},
    )  # dbt writes no test_metadata, attached_node or column_name for a singular test
    return node


def unit_test(name: str, model_name: str, yml: str) -> Node:
    return {
        "name": name,
        "resource_type": "unit_test",
        "package_name": PROJECT,
        "path": yml,
        "original_file_path": yml,
        "unique_id": f"unit_test.{PROJECT}.{model_name}.{name}",
        "model": model_name,
        "fqn": [PROJECT, model_name, name],
        "description": "",
        "given": [],
        "expect": {"rows": [], "format": "dict"},
        "depends_on": {"macros": [], "nodes": [ref(model_name)]},
        "config": {"tags": [], "meta": {}, "enabled": True},
        "schema": "main",
    }


def manifest_of(
    *nodes: Node, unit_tests: tuple[Node, ...] = (), sources: tuple[Node, ...] = ()
) -> Node:
    all_nodes = {node["unique_id"]: node for node in nodes}
    parents = {uid: list(node["depends_on"].get("nodes", [])) for uid, node in all_nodes.items()}
    children: dict[str, list[str]] = {
        uid: [] for uid in (*all_nodes, *(s["unique_id"] for s in sources))
    }
    for uid, ups in parents.items():
        for up in ups:
            children.setdefault(up, []).append(uid)
    return {
        "metadata": {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json",
            "dbt_version": "1.11.16",
            "project_name": PROJECT,
            "adapter_type": "duckdb",
        },
        "nodes": all_nodes,
        "sources": {source["unique_id"]: source for source in sources},
        "macros": {},
        "docs": {},
        "exposures": {},
        "metrics": {},
        "groups": {},
        "selectors": {},
        "disabled": {},
        "parent_map": parents,
        "child_map": children,
        "group_map": {},
        "saved_queries": {},
        "semantic_models": {},
        "unit_tests": {test["unique_id"]: test for test in unit_tests},
    }


def clean_nodes() -> list[Node]:
    """A small project that keeps every rule of dbt-bouncer.yml and structure.py."""
    stg_fylke = "staging/report/stg_report__fylke"
    stg_measures = "staging/reference/stg_reference__measures"
    joined = "intermediate/facts/int_participants_joined"
    return [
        seed("report", "report_fylke"),
        seed("reference", "measures"),
        model(
            stg_fylke,
            [ref("report_fylke", "seed")],
            raw_code="with source as (select * from {{ ref('report_fylke') }})\n"
            "select * from source",
        ),
        model(stg_measures, [ref("measures", "seed")]),
        model(
            joined,
            [ref("stg_report__fylke"), ref("stg_reference__measures")],
            # `report` is a CTE here: `from report.x` inside extract() is no table reference.
            raw_code="with report as (select * from {{ ref('stg_report__fylke') }})\n"
            "select extract(month from report.report_date) as month_number from report",
        ),
        mart(
            "marts/dim_measure",
            [ref("int_participants_joined")],
            {"measure_code": column("measure_code", "Measure.", "not_null", "primary_key")},
        ),
        mart(
            "marts/fct_participants",
            [ref("int_participants_joined"), ref("dim_measure")],
            {
                "month": column("month", "Month."),
                "measure_code": column("measure_code", "Measure."),
                "participants": column("participants", "Count."),
            },
            constraints=[constraint("primary_key", ["month", "measure_code"])],
        ),
        generic_test("unique_combination", ref("report_fylke", "seed"), columns=["key"]),
        generic_test("unique", ref("measures", "seed"), "key"),
        generic_test("unique_combination", ref("int_participants_joined"), columns=["key"]),
        generic_test("unique", ref("dim_measure"), "measure_code"),
        generic_test("contract_constraints_hold", ref("dim_measure"), columns=[]),
        generic_test("contract_constraints_hold", ref("fct_participants"), columns=[]),
        generic_test(
            "unique_combination", ref("fct_participants"), columns=["month", "measure_code"]
        ),
        singular_test(
            "assert_participants_not_negative",
            "-- not `from marts.fct_participants`: a comment is no reference\n"
            "select * from {{ ref('fct_participants') }} where participants < 0",
            [ref("fct_participants")],
        ),
    ]


def clean_unit_tests() -> list[Node]:
    return [
        unit_test(
            "months_are_read_from_the_report_date",
            "int_participants_joined",
            "models/intermediate/facts/_facts__unit_tests.yml",
        )
    ]


def by_name(nodes: list[Node]) -> dict[str, Node]:
    return {node["name"]: node for node in nodes}


def write_manifest(path: Path, manifest: Node) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return path
