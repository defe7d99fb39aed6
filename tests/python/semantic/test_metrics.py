"""The metrics (models/marts/_marts__semantic_models.yml) give the report's printed numbers.

Each metric is queried through MetricFlow, as the dashboard and `mf query` do, and
compared with the cells the report prints (marts.fct_report_cells): the national total
and the county figures of the "Fylke" table, the "Hovedgrupper" table, and the measure
and age tables' totals.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from navtiltak.dashboard.semantic import SemanticLayer
from navtiltak_tools.testing.project_paths import ROOT
from navtiltak_tools.testing.report_cells import printed

MONTH = "metric_time__month"
METRIC_OF_CELL = {
    "participants": "participants",
    "change": "change_from_last_year",
    "change_pct": "change_pct",
}


def test_national_total_is_the_printed_total(layer: SemanticLayer, test_warehouse: Path) -> None:
    expected = {
        month: value
        for (month, county, group, metric), value in printed(test_warehouse, "fylke").items()
        if county == "total" and group == "total" and metric == "participants"
    }
    result = layer.query(["participants"], [MONTH])
    assert {row[MONTH]: row["participants"] for row in result.rows} == expected
    # The figure every reader knows, from the November 2013 report.
    assert expected[min(expected)] == 75769


@pytest.mark.parametrize("cell_metric", sorted(METRIC_OF_CELL))
def test_county_figures_are_the_printed_fylke_table(
    layer: SemanticLayer, test_warehouse: Path, cell_metric: str
) -> None:
    """Participants, change and percent change per county: the "Fylke" table, cell for cell,
    a blank percent (nobody last year) included."""
    metric = METRIC_OF_CELL[cell_metric]
    expected = {
        (month, county): value
        for (month, county, group, metric_code), value in printed(test_warehouse, "fylke").items()
        if county != "total" and group == "total" and metric_code == cell_metric
    }
    result = layer.query([metric], [MONTH, "county"])
    assert {(row[MONTH], row["county"]): row[metric] for row in result.rows} == expected


@pytest.mark.parametrize("cell_metric", sorted(METRIC_OF_CELL))
def test_group_figures_are_the_printed_hovedgrupper_table(
    layer: SemanticLayer, test_warehouse: Path, cell_metric: str
) -> None:
    metric = METRIC_OF_CELL[cell_metric]
    cells = printed(test_warehouse, "hovedgrupper")
    expected = {
        (month, group): value
        for (month, _, group, metric_code), value in cells.items()
        if group != "total" and metric_code == cell_metric
    }
    result = layer.query([metric], [MONTH, "participant_group"])
    assert {(row[MONTH], row["participant_group"]): row[metric] for row in result.rows} == expected


def test_national_percent_change_is_the_printed_one(
    layer: SemanticLayer, test_warehouse: Path
) -> None:
    expected = {
        month: value
        for (month, county, group, metric), value in printed(test_warehouse, "fylke").items()
        if county == "total" and group == "total" and metric == "change_pct"
    }
    result = layer.query(["change_pct"], [MONTH])
    assert {row[MONTH]: row["change_pct"] for row in result.rows} == expected


def test_the_three_facts_give_the_same_totals(layer: SemanticLayer) -> None:
    result = layer.query(
        ["participants", "participants_by_measure", "participants_by_age"], [MONTH, "county"]
    )
    assert result.rows
    for row in result.rows:
        assert row["participants"] == row["participants_by_measure"] == row["participants_by_age"]


def test_change_ratio_is_the_unrounded_percent(layer: SemanticLayer) -> None:
    result = layer.query(
        ["change_ratio", "change_from_last_year", "participants_last_year"], [MONTH, "county"]
    )
    for row in result.rows:
        if row["participants_last_year"]:
            assert row["change_ratio"] == pytest.approx(
                row["change_from_last_year"] / row["participants_last_year"]
            )
        else:
            assert row["change_ratio"] is None


def test_group_shares_are_the_printed_measure_group_shares(
    layer: SemanticLayer, test_warehouse: Path
) -> None:
    """Share of each participant group in each measure group: the national "Tiltak og
    hovedgrupper" table's `I alt <group>` rows, each group's column over the I alt column."""
    sql = """
        select month, measure_group_code, participant_group_code, figure
        from marts.fct_report_cells
        where table_code = 'tiltak_hovedgruppe' and measure_code = 'total'
            and measure_group_code != 'total' and metric_code = 'participants'
    """
    with duckdb.connect(str(test_warehouse), read_only=True) as connection:
        cells = connection.execute(sql).fetchall()
    counts = {(month, mg, group): figure for month, mg, group, figure in cells}
    result = layer.query(
        ["share_jobseekers", "share_reduced_capacity", "share_others"],
        [MONTH, "measure__measure_group_code"],
    )
    assert result.rows
    for row in result.rows:
        key = (row[MONTH], row["measure__measure_group_code"])
        total = counts[(*key, "total")]
        for metric, group in (
            ("share_jobseekers", "arbeidssokere"),
            ("share_reduced_capacity", "nedsatt_arbeidsevne"),
            ("share_others", "andre"),
        ):
            assert row[metric] == pytest.approx(counts.get((*key, group), 0) / total), (key, metric)


@pytest.mark.parametrize("target", ["published", None])
def test_mf_query_reads_the_warehouse_read_only(
    test_warehouse: Path, tmp_path: Path, target: str | None
) -> None:
    """`mf query` with the read-only target, named or (as a person runs it by hand) the
    default, while another reader holds the file: it answers, with the printed national
    total (a read-write open would be refused)."""
    out = tmp_path / "participants.csv"
    env = {
        **{key: value for key, value in os.environ.items() if key != "NAV_TILTAK_TARGET"},
        "NAV_TILTAK_DB_PATH": str(test_warehouse),
        "DBT_PROFILES_DIR": str(ROOT),
    }
    if target is not None:
        env["NAV_TILTAK_TARGET"] = target
    command = [
        str(Path(sys.executable).parent / "mf"),
        "query",
        "--metrics",
        "participants",
        "--group-by",
        "metric_time__month",
        "--csv",
        str(out),
        "--quiet",
    ]
    with duckdb.connect(str(test_warehouse), read_only=True):
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
    assert result.returncode == 0, result.stdout + result.stderr
    expected = {
        month.isoformat(): value
        for (month, county, group, metric), value in printed(test_warehouse, "fylke").items()
        if county == "total" and group == "total" and metric == "participants"
    }
    with out.open(encoding="utf-8") as handle:
        shown = {
            row["metric_time__month"][:10]: int(row["participants"])
            for row in csv.DictReader(handle)
        }
    assert shown == expected
