"""The Superset assets of bi/assets/, made whole for import: SQL from the semantic layer.

The repository keeps the dashboard, its charts and datasets in Superset's own YAML
format, with three things left for the import to fill in, so that none of them is a
second copy of something defined elsewhere:

- a dataset's ``sql``: its ``semantic_query`` (metrics, group-by, where) compiled by
  MetricFlow from the metric definitions (models/marts/_marts__semantic_models.yml), as
  ``mf query --explain`` prints it; ``latest_month_only`` keeps the latest month of the
  result. Its ``columns`` and ``metrics`` follow from the query: every output column,
  labelled with the metric's label (a dimension with its ``column_labels`` entry), and
  a Superset metric ``SUM(<metric>)`` for every metric that is a plain sum (a count adds
  up; a ratio or percent is never summed again: it is shown at the grain the semantic
  layer computed it);
- a chart's ``query_context``: the query behind the chart, which Superset's REST API
  answers at /api/v1/chart/{id}/data;
- the dashboard's ``position``: from its ``rows`` of charts.

``load()`` returns them as a ``Bundle``, whose ``zip()`` is Superset's import format
(metadata.yaml, databases/, datasets/, charts/, dashboards/) for the REST API's import
endpoints.
"""

from __future__ import annotations

import copy
import datetime
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from metricflow.data_table.mf_table import MetricFlowDataTable
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.postgres import PostgresSQLSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantic_interfaces.implementations.semantic_manifest import (
    PydanticSemanticManifest,
)
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup
from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet

ASSETS = Path(__file__).resolve().parents[2] / "bi" / "assets"
TIME_COLUMN = "metric_time__month"
TIME_LABEL = "Måned (report month)"
BUNDLE_ROOT = "nav_tiltak_bi"
# The schema a build publishes the marts in, on every engine.
PUBLISHED_SCHEMA = "marts"
METRIC_FORMAT = ",d"


class AssetError(Exception):
    """An asset definition is incomplete or names something that does not exist."""


class _CompileOnlyClient:
    """MetricFlow's SqlClient for compiling only: explain() never runs a statement."""

    def __init__(self, engine: SqlEngine, renderer: SqlPlanRenderer) -> None:
        self._engine = engine
        self._renderer = renderer

    @property
    def sql_engine_type(self) -> SqlEngine:
        return self._engine

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return self._renderer

    def query(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet | None = None
    ) -> MetricFlowDataTable:
        raise AssetError(f"compiling only, not running: {stmt}")

    def execute(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet | None = None) -> None:
        raise AssetError(f"compiling only, not running: {stmt}")

    def dry_run(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet | None = None) -> None:
        raise AssetError(f"compiling only, not running: {stmt}")

    def close(self) -> None:
        pass

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


DIALECTS: dict[str, tuple[SqlEngine, type[SqlPlanRenderer]]] = {
    "duckdb": (SqlEngine.DUCKDB, DuckDbSqlPlanRenderer),
    "postgres": (SqlEngine.POSTGRES, PostgresSQLSqlPlanRenderer),
}


def published_manifest(
    manifest: PydanticSemanticManifest, database: str
) -> PydanticSemanticManifest:
    """The manifest with every semantic model reading its published mart,
    ``"<database>"."marts"."<table>"``, whatever build target wrote the manifest (a
    PostgreSQL build writes into build schemas before it swaps them in)."""
    published = copy.deepcopy(manifest)
    for model in published.semantic_models:
        relation = model.node_relation
        relation.schema_name = PUBLISHED_SCHEMA
        relation.database = database
        relation.relation_name = f'"{database}"."{PUBLISHED_SCHEMA}"."{relation.alias}"'
    return published


class MetricCompiler:
    """Metric queries compiled to one engine's SQL, never run."""

    def __init__(self, manifest: PydanticSemanticManifest, dialect: str) -> None:
        if dialect not in DIALECTS:
            raise AssetError(f"no SQL dialect {dialect!r}: one of {sorted(DIALECTS)}")
        engine, renderer = DIALECTS[dialect]
        self.manifest = manifest
        self._metrics = {metric.name: metric for metric in manifest.metrics}
        self._measures = {
            measure.name: measure
            for model in manifest.semantic_models
            for measure in model.measures
        }
        self._engine = MetricFlowEngine(
            SemanticManifestLookup(manifest), _CompileOnlyClient(engine, renderer())
        )

    def sql(self, metrics: Sequence[str], group_by: Sequence[str], where: Sequence[str]) -> str:
        unknown = [name for name in metrics if name not in self._metrics]
        if unknown:
            raise AssetError(f"no such metric in the semantic layer: {', '.join(unknown)}")
        request = MetricFlowQueryRequest.create(
            metric_names=list(metrics),
            group_by_names=list(group_by),
            where_constraints=list(where) or None,
        )
        return self._engine.explain(request).sql_statement.sql

    def label(self, metric: str) -> str:
        found = self._metrics[metric]
        return found.label or metric

    def description(self, metric: str) -> str | None:
        return self._metrics[metric].description

    def is_sum(self, metric: str) -> bool:
        """A simple metric over a summed measure: its sum over rows is the metric again."""
        found = self._metrics[metric]
        measure = found.type_params.measure
        if found.type.value != "simple" or measure is None:
            return False
        return self._measures[measure.name].agg.value == "sum"


@dataclass(frozen=True)
class SemanticQuery:
    metrics: tuple[str, ...]
    group_by: tuple[str, ...]
    where: tuple[str, ...]
    latest_month_only: bool

    @classmethod
    def from_config(cls, config: Mapping[str, Any], source: Path) -> SemanticQuery:
        metrics = tuple(config.get("metrics") or ())
        group_by = tuple(config.get("group_by") or ())
        if not metrics or TIME_COLUMN not in group_by:
            raise AssetError(
                f"{source}: semantic_query needs metrics and a group_by with {TIME_COLUMN}"
            )
        return cls(
            metrics,
            group_by,
            tuple(config.get("where") or ()),
            bool(config.get("latest_month_only", False)),
        )


def latest_month_only(sql: str) -> str:
    """The rows of the latest month the query returns: a filter, not a formula."""
    return (
        f"with metric_query as (\n{sql}\n)\n"
        f"select * from metric_query\n"
        f"where {TIME_COLUMN} = (select max({TIME_COLUMN}) from metric_query)"
    )


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise AssetError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(loaded, dict):
        raise AssetError(f"{path}: a mapping expected")
    return loaded


def dataset(path: Path, compiler: MetricCompiler, database_uuid: str) -> dict[str, Any]:
    """A dataset definition with its SQL, columns and metrics filled in."""
    config = read_yaml(path)
    if "semantic_query" not in config:
        raise AssetError(f"{path}: no semantic_query (the SQL comes from the semantic layer)")
    if "sql" in config:
        raise AssetError(f"{path}: sql is compiled from semantic_query, not written here")
    if str(config.get("database_uuid")) != database_uuid:
        raise AssetError(f"{path}: database_uuid is not the uuid of databases/nav_tiltak.yaml")
    query = SemanticQuery.from_config(config.pop("semantic_query"), path)
    labels: dict[str, str] = config.pop("column_labels", None) or {}
    sql = compiler.sql(query.metrics, query.group_by, query.where)
    if query.latest_month_only:
        sql = latest_month_only(sql)
    unknown = set(labels) - set(query.group_by)
    if unknown:
        raise AssetError(f"{path}: labels for columns the query does not return: {unknown}")
    columns = [
        {
            "column_name": name,
            "verbose_name": TIME_LABEL if name == TIME_COLUMN else labels.get(name),
            "is_dttm": name == TIME_COLUMN,
            "groupby": True,
            "filterable": True,
            "type": "DATE" if name == TIME_COLUMN else None,
        }
        for name in query.group_by
    ] + [
        {
            "column_name": name,
            "verbose_name": compiler.label(name),
            "description": compiler.description(name),
            "is_dttm": False,
            "groupby": False,
            "filterable": True,
            "type": None,
        }
        for name in query.metrics
    ]
    metrics = [
        {
            "metric_name": name,
            "verbose_name": compiler.label(name),
            "expression": f"SUM({name})",
            "description": compiler.description(name),
            "d3format": METRIC_FORMAT,
        }
        for name in query.metrics
        if compiler.is_sum(name)
    ]
    config.update(
        {
            "sql": sql,
            "schema": PUBLISHED_SCHEMA,
            "main_dttm_col": TIME_COLUMN,
            "columns": columns,
            "metrics": metrics,
        }
    )
    return config


def query_context(params: Mapping[str, Any]) -> dict[str, Any]:
    """The query a chart runs, as Superset's REST API stores it with the chart.

    One query per chart, without the chart's post-processing (pivoting for the series):
    the rows the chart is drawn from."""
    viz = params["viz_type"]
    filters: list[dict[str, Any]] = []
    row_limit = params.get("row_limit", 10000)
    if viz == "big_number_total":
        query = {"columns": [], "metrics": [params["metric"]], "orderby": []}
    elif viz == "table" and params.get("query_mode") == "raw":
        query = {
            "columns": list(params["all_columns"]),
            "orderby": [json.loads(order) for order in params.get("order_by_cols", [])],
        }
    elif viz.startswith("echarts_timeseries"):
        query = {
            "columns": [params["x_axis"], *params.get("groupby", [])],
            "metrics": list(params["metrics"]),
            "orderby": [[params["x_axis"], True]],
        }
    else:
        raise AssetError(f"no query for chart type {viz!r}")
    query.update({"filters": filters, "row_limit": row_limit, "extras": {}})
    if query.get("metrics") is None:
        # No metrics at all, not []: rows as they are, no GROUP BY (raw records mode).
        query.pop("metrics", None)
    return {
        # The import replaces the datasource with the dataset's id.
        "datasource": {"id": 0, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": dict(params),
        "result_format": "json",
        "result_type": "full",
    }


def chart(path: Path, datasets: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    config = read_yaml(path)
    if str(config.get("dataset_uuid")) not in datasets:
        raise AssetError(f"{path}: dataset_uuid names no dataset in {ASSETS / 'datasets'}")
    params = config["params"]
    if params.get("viz_type") != config.get("viz_type"):
        raise AssetError(f"{path}: params.viz_type differs from viz_type")
    dataset_config = datasets[str(config["dataset_uuid"])]
    known = {column["column_name"] for column in dataset_config["columns"]}
    named = {metric["metric_name"] for metric in dataset_config["metrics"]}
    _check_names(path, params, known, named)
    config["query_context"] = json.dumps(query_context(params))
    return config


def _check_names(
    path: Path, params: Mapping[str, Any], columns: set[str], metrics: set[str]
) -> None:
    used_columns = [
        *params.get("all_columns", []),
        *params.get("groupby", []),
        *([params["x_axis"]] if "x_axis" in params else []),
    ]
    used_metrics = [*params.get("metrics", []), *([params["metric"]] if "metric" in params else [])]
    missing = [name for name in used_columns if name not in columns] + [
        name for name in used_metrics if name not in metrics
    ]
    if missing:
        raise AssetError(f"{path}: the dataset has no column or summable metric {missing}")


def position(
    rows: Iterable[Sequence[Mapping[str, Any]]], charts: Mapping[str, Mapping[str, Any]], title: str
) -> dict[str, Any]:
    """Superset's dashboard layout (position_json) for rows of charts."""
    layout: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": title}},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
    }
    for number, row in enumerate(rows, start=1):
        row_id = f"ROW-{number}"
        layout["GRID_ID"]["children"].append(row_id)
        layout[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for cell in row:
            key = cell["chart"]
            if key not in charts:
                raise AssetError(f"the dashboard names no chart file charts/{key}.yaml")
            chart_id = f"CHART-{key}"
            layout[row_id]["children"].append(chart_id)
            layout[chart_id] = {
                "type": "CHART",
                "id": chart_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "chartId": 0,
                    "uuid": str(charts[key]["uuid"]),
                    "sliceName": charts[key]["slice_name"],
                    "width": int(cell["width"]),
                    "height": int(cell["height"]),
                },
            }
    return layout


def dashboard(path: Path, charts: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    config = read_yaml(path)
    rows = config.pop("rows")
    placed = [cell["chart"] for row in rows for cell in row]
    unplaced = sorted(set(charts) - set(placed))
    if unplaced:
        raise AssetError(f"{path}: charts not on the dashboard: {unplaced}")
    config["position"] = position(rows, charts, config["dashboard_title"])
    config.setdefault("css", "")
    config["metadata"] = {
        "color_scheme": "supersetColors",
        "refresh_frequency": 0,
        "expanded_slices": {},
        "label_colors": {},
        "timed_refresh_immune_slices": [],
        "native_filter_configuration": [],
        "cross_filters_enabled": False,
    }
    return config


@dataclass(frozen=True)
class Bundle:
    """The assets made whole, by file name inside the import ZIP."""

    database: dict[str, Any]
    datasets: dict[str, dict[str, Any]]
    charts: dict[str, dict[str, Any]]
    dashboard: dict[str, Any]

    def files(self) -> dict[str, dict[str, Any]]:
        return {
            "databases/nav_tiltak.yaml": self.database,
            **{
                f"datasets/nav_tiltak/{name}.yaml": config for name, config in self.datasets.items()
            },
            **{f"charts/{name}.yaml": config for name, config in self.charts.items()},
            "dashboards/nav_tiltak.yaml": self.dashboard,
        }

    def zip(self, kind: str) -> bytes:
        """The import ZIP for one of Superset's import endpoints (Database, SqlaTable,
        Dashboard): the same files, and metadata.yaml saying which kind it is."""
        metadata = {
            "version": "1.0.0",
            "type": kind,
            "timestamp": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{BUNDLE_ROOT}/metadata.yaml", yaml.safe_dump(metadata))
            for name, config in self.files().items():
                text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
                archive.writestr(f"{BUNDLE_ROOT}/{name}", text)
        return buffer.getvalue()


# How each engine's connection is kept from writing. DuckDB: the file opened read-only
# (as bi/assets/databases/ says). PostgreSQL: the role is read-only already (README,
# "Other engines"); every transaction is made read-only too.
ENGINE_PARAMS: dict[str, dict[str, Any]] = {
    "duckdb": {"connect_args": {"read_only": True}},
    "postgres": {"connect_args": {"options": "-c default_transaction_read_only=on"}},
}


def load(
    compiler: MetricCompiler, sqlalchemy_uri: str, engine: str = "duckdb", assets: Path = ASSETS
) -> Bundle:
    """Every asset of `assets`, whole, with the database at `sqlalchemy_uri`."""
    database = read_yaml(assets / "databases" / "nav_tiltak.yaml")
    database["sqlalchemy_uri"] = sqlalchemy_uri
    database.setdefault("extra", {})["engine_params"] = ENGINE_PARAMS[engine]
    database_uuid = str(database["uuid"])
    datasets = {
        path.stem: dataset(path, compiler, database_uuid)
        for path in sorted((assets / "datasets").glob("*.yaml"))
    }
    by_uuid = {str(config["uuid"]): config for config in datasets.values()}
    charts = {
        path.stem: chart(path, by_uuid) for path in sorted((assets / "charts").glob("*.yaml"))
    }
    board = dashboard(assets / "dashboards" / "nav_tiltak.yaml", charts)
    return Bundle(database, datasets, charts, board)
