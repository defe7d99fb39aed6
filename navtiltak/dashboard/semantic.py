"""Query the semantic layer: MetricFlow compiles a metric query, DuckDB runs it read-only.

The metrics are defined once, in ``models/marts/_marts__semantic_models.yml``; dbt writes
them to ``target/semantic_manifest.json``. MetricFlow's engine turns a request (metrics,
group-by, filters) into SQL for DuckDB, exactly as ``mf query`` does, and that SQL runs
on a read-only connection, so that the dashboard never holds a figure MetricFlow did
not compute.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from metricflow.data_table.mf_table import MetricFlowDataTable
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantic_interfaces.implementations.semantic_manifest import (
    PydanticSemanticManifest,
)
from metricflow_semantics.model.dbt_manifest_parser import (
    parse_manifest_from_dbt_generated_manifest,
)
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup
from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet

DEFAULT_MANIFEST = Path("target/semantic_manifest.json")

Value = str | int | float | bool | datetime.date | None
Row = dict[str, Value]
NO_PARAMETERS = SqlBindParameterSet()


class SemanticLayerError(Exception):
    """The semantic manifest is missing or a metric query cannot be compiled."""


class DuckDbSqlClient:
    """MetricFlow's SqlClient over one read-only DuckDB connection."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._connection = connection
        self._renderer = DuckDbSqlPlanRenderer()

    @property
    def sql_engine_type(self) -> SqlEngine:
        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return self._renderer

    def query(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS
    ) -> MetricFlowDataTable:
        cursor = self._run(stmt, sql_bind_parameter_set)
        names = [column[0] for column in cursor.description or ()]
        return MetricFlowDataTable.create_from_rows(column_names=names, rows=cursor.fetchall())

    def execute(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS
    ) -> None:
        self._run(stmt, sql_bind_parameter_set)

    def dry_run(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS
    ) -> None:
        self._run(f"explain {stmt}", sql_bind_parameter_set)

    def _run(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet
    ) -> duckdb.DuckDBPyConnection:
        # MetricFlow binds parameters only for engines that ask for them; DuckDB's
        # renderer writes literals. Refuse rather than run a statement half-bound.
        if sql_bind_parameter_set.param_dict:
            raise SemanticLayerError(f"unexpected bind parameters: {stmt}")
        return self._connection.execute(stmt)

    def close(self) -> None:
        self._connection.close()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


@dataclass(frozen=True)
class MetricResult:
    """One metric query: what was asked, the SQL MetricFlow compiled, and the rows."""

    metrics: tuple[str, ...]
    group_by: tuple[str, ...]
    sql: str
    rows: list[Row]


def load_manifest(path: Path) -> PydanticSemanticManifest:
    if not path.exists():
        raise SemanticLayerError(
            f"{path} does not exist: `dbt parse` or `dbt build` writes the semantic manifest"
        )
    return parse_manifest_from_dbt_generated_manifest(path.read_text(encoding="utf-8"))


def _plain(value: object) -> Value:
    # MetricFlow's time dimensions come back as timestamps at month grain: days suffice.
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, (str, int, float, bool, datetime.date)) or value is None:
        return value
    return int(value) if hasattr(value, "__int__") else str(value)


class SemanticLayer:
    """Metric queries against one warehouse file, opened read-only."""

    def __init__(self, warehouse: Path, manifest_path: Path = DEFAULT_MANIFEST) -> None:
        self.manifest = load_manifest(manifest_path)
        self._connection = duckdb.connect(str(warehouse), read_only=True)
        self._engine = MetricFlowEngine(
            SemanticManifestLookup(self.manifest), DuckDbSqlClient(self._connection)
        )

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> SemanticLayer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def query(
        self,
        metrics: Sequence[str],
        group_by: Sequence[str],
        where: Sequence[str] = (),
    ) -> MetricResult:
        """The rows of a metric query, one dict per row keyed by MetricFlow's column names."""
        request = MetricFlowQueryRequest.create(
            metric_names=list(metrics),
            group_by_names=list(group_by),
            where_constraints=list(where) or None,
        )
        sql = self._engine.explain(request).sql_statement.sql
        cursor = self._connection.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        rows = [
            {name: _plain(value) for name, value in zip(names, row, strict=True)}
            for row in cursor.fetchall()
        ]
        return MetricResult(tuple(metrics), tuple(group_by), sql, rows)

    def source_tables(self, metrics: Sequence[str]) -> list[str]:
        """The marts the metrics read, as `marts.<table>`, read from the manifest."""
        by_name = {metric.name: metric for metric in self.manifest.metrics}
        measures = {
            measure.name
            for name in metrics
            for measure in by_name[name].type_params.input_measures or ()
        }
        tables = [
            f"{model.node_relation.schema_name}.{model.node_relation.alias}"
            for model in self.manifest.semantic_models
            if measures & {measure.name for measure in model.measures}
        ]
        return sorted(set(tables))
