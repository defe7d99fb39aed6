"""Documentation reaches the database and the docs site.

persist_docs is on (dbt_project.yml): every description of a model, a seed and their
columns must be the comment of the table, view or column in the published file, where
any SQL client or BI tool shows it (duckdb_tables(), duckdb_views(), duckdb_columns()).
`make docs` runs `dbt docs generate` against a copy of the published file; the catalog it
writes carries the same comments.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from navtiltak_tools.testing.warehouse_fixtures import Publication, publish_once, run

DOCS_DB = Path("target/docs-warehouse/nav_tiltak.duckdb")


@pytest.fixture(scope="module")
def publication(tmp_path_factory: pytest.TempPathFactory) -> Publication:
    return publish_once(tmp_path_factory)


def documented_nodes(project: Path) -> list[dict[str, Any]]:
    """The models and seeds of the build's manifest."""
    manifest = json.loads((project / "target/manifest.json").read_text(encoding="utf-8"))
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] in {"model", "seed"} and node["package_name"] == "nav_tiltak"
    ]


def database_comments(
    database: Path,
) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str, str], str]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        relations = connection.execute(
            "select schema_name, table_name, comment from duckdb_tables() union all "
            "select schema_name, view_name, comment from duckdb_views() where not internal"
        ).fetchall()
        columns = connection.execute(
            "select schema_name, table_name, column_name, comment from duckdb_columns()"
        ).fetchall()
    return (
        {(schema, name): comment for schema, name, comment in relations},
        {(schema, name, column): comment for schema, name, column, comment in columns},
    )


def test_descriptions_are_comments_in_the_published_file(publication: Publication) -> None:
    relations, columns = database_comments(publication.published)
    missing: list[str] = []
    checked = 0
    for node in documented_nodes(publication.project):
        key = (node["schema"], node["alias"])
        assert key in relations, f"{node['unique_id']} is not in the database"
        if node["description"]:
            checked += 1
            if relations[key] != node["description"]:
                missing.append(f"{key}: {relations[key]!r}")
        for name, column in node["columns"].items():
            if column["description"]:
                checked += 1
                if columns.get((*key, name)) != column["description"]:
                    missing.append(f"{key}.{name}: {columns.get((*key, name))!r}")
    assert checked > 0
    assert missing == [], "descriptions that are not the database comment"


def test_every_mart_and_mart_column_has_a_comment(publication: Publication) -> None:
    relations, columns = database_comments(publication.published)
    marts = {name for (schema, name) in relations if schema == "marts"}
    assert len(marts) >= 9
    assert all(relations[("marts", name)] for name in marts)
    assert all(comment for (schema, _, _), comment in columns.items() if schema == "marts")


def test_docs_generate_writes_a_catalog_with_the_comments(
    publication: Publication, tmp_path: Path
) -> None:
    """What `make docs` does before serving: generate against a copy of the published file.
    Into a target path of its own: the publication's target/ is shared (publish_once)."""
    project = publication.project
    docs_db = tmp_path / DOCS_DB
    docs_db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(publication.published, docs_db)
    docs = tmp_path / "docs"
    result = run(
        [str(project / ".venv/bin/dbt"), "docs", "generate", "--target-path", str(docs)],
        project,
        {"NAV_TILTAK_DB_PATH": str(docs_db), "NAV_TILTAK_TARGET": "dev"},
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert (docs / "index.html").is_file()
    catalog = json.loads((docs / "catalog.json").read_text(encoding="utf-8"))
    dim_month = catalog["nodes"]["model.nav_tiltak.dim_month"]
    assert dim_month["metadata"]["database"] == "nav_tiltak"
    assert dim_month["metadata"]["comment"]
    assert all(column["comment"] for column in dim_month["columns"].values())
