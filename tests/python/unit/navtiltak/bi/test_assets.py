"""The assets of bi/assets/ made whole, without Superset: where their SQL comes from, and
the definitions they refuse."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from navtiltak.bi.assets import (
    ASSETS,
    AssetError,
    Bundle,
    MetricCompiler,
    load,
    published_manifest,
)
from navtiltak.dashboard.semantic import load_manifest
from navtiltak_tools.testing.project_paths import SEMANTIC_MANIFEST

URI = "duckdb:////nowhere/nav_tiltak.duckdb"


@pytest.fixture(scope="module")
def compiler() -> MetricCompiler:
    return MetricCompiler(
        published_manifest(load_manifest(SEMANTIC_MANIFEST), "nav_tiltak"), "duckdb"
    )


@pytest.fixture
def assets(tmp_path: Path) -> Path:
    copy = tmp_path / "assets"
    shutil.copytree(ASSETS, copy)
    return copy


def edit(path: Path, **changes: object) -> None:
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.update(changes)
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def test_every_dataset_reads_the_published_marts(compiler: MetricCompiler) -> None:
    bundle = load(compiler, URI)
    for name, dataset in bundle.datasets.items():
        assert '"nav_tiltak"."marts".' in dataset["sql"], name
        assert "semantic_query" not in dataset


def test_a_percent_or_share_is_never_summed_again(compiler: MetricCompiler) -> None:
    bundle = load(compiler, URI)
    summed = {
        metric["metric_name"]: metric["expression"]
        for dataset in bundle.datasets.values()
        for metric in dataset["metrics"]
    }
    ratios = {
        metric.name
        for metric in compiler.manifest.metrics
        if metric.type.value in ("ratio", "derived")
    }
    columns = {
        column["column_name"]
        for dataset in bundle.datasets.values()
        for column in dataset["columns"]
    }
    assert "change_pct" in columns
    assert set(summed) & ratios == set()
    assert all(expression == f"SUM({name})" for name, expression in summed.items())


def test_the_same_assets_compile_for_postgres() -> None:
    manifest = published_manifest(load_manifest(SEMANTIC_MANIFEST), "analytics")
    bundle = load(
        MetricCompiler(manifest, "postgres"), "postgresql://reader@host/analytics", "postgres"
    )
    for dataset in bundle.datasets.values():
        assert '"analytics"."marts".' in dataset["sql"]
    options = bundle.database["extra"]["engine_params"]["connect_args"]["options"]
    assert "default_transaction_read_only=on" in options


def test_a_dataset_with_sql_of_its_own_is_refused(compiler: MetricCompiler, assets: Path) -> None:
    edit(assets / "datasets" / "county_latest.yaml", sql="select 1")
    with pytest.raises(AssetError, match=r"county_latest\.yaml: sql is compiled"):
        load(compiler, URI, assets=assets)


def test_an_unknown_metric_is_refused(compiler: MetricCompiler, assets: Path) -> None:
    edit(
        assets / "datasets" / "county_latest.yaml",
        semantic_query={"metrics": ["no_such_metric"], "group_by": ["metric_time__month"]},
    )
    with pytest.raises(AssetError, match="no_such_metric"):
        load(compiler, URI, assets=assets)


def test_a_chart_on_a_column_its_dataset_lacks_is_refused(
    compiler: MetricCompiler, assets: Path
) -> None:
    path = assets / "charts" / "counties.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["params"]["all_columns"].append("county__region_name")
    edit(path, params=config["params"])
    with pytest.raises(AssetError, match=r"counties\.yaml.*county__region_name"):
        load(compiler, URI, assets=assets)


def test_a_chart_left_off_the_dashboard_is_refused(compiler: MetricCompiler, assets: Path) -> None:
    path = assets / "dashboards" / "nav_tiltak.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(path, rows=config["rows"][1:])
    with pytest.raises(AssetError, match="not on the dashboard"):
        load(compiler, URI, assets=assets)


def test_the_import_zip_holds_every_file(compiler: MetricCompiler) -> None:
    bundle: Bundle = load(compiler, URI)
    names = set(zipfile.ZipFile(io.BytesIO(bundle.zip("Dashboard"))).namelist())
    assert "nav_tiltak_bi/metadata.yaml" in names
    assert {f"nav_tiltak_bi/{name}" for name in bundle.files()} <= names
    assert len([name for name in names if "/charts/" in name]) == len(bundle.charts) == 8
