"""A time series: generated reports of 13 months dropped into reports/ and built.

The generator's own finest grains are the expectation: the marts must hold exactly
its numbers, month by month, and the cross-month rule must pass where the report 12
months earlier is loaded. (Where the two reports do not agree, the build fails:
test_failure_summary.py.)
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from generated_series import area_codes, build_months, codes

from navtiltak.dashboard.charts import DashboardData
from navtiltak.dashboard.sections.trend import trend_section
from navtiltak.dashboard.semantic import SemanticLayer
from navtiltak_tools.generate import default_catalogue, finest_grains, month_range
from navtiltak_tools.testing.warehouse_fixtures import BUILD_DB, copy_project

CATALOGUE = default_catalogue()
AGE_BANDS = CATALOGUE.age_bands
COUNTIES = CATALOGUE.counties
GROUPS = CATALOGUE.groups
MEASURE_GROUPS = CATALOGUE.measure_groups
MEASURES = CATALOGUE.measures

MONTHS = month_range("2016-01", "2017-01")
SEED = 11


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with the 13 months built."""
    project = copy_project(tmp_path_factory.mktemp("months") / "project")
    build = build_months(project, dict.fromkeys(MONTHS, SEED))
    assert build.returncode == 0, f"13 consistent months failed the build: {build.failed}"
    return project


@pytest.fixture(scope="module")
def series(project: Path) -> Path:
    return project / BUILD_DB


def test_every_month_is_loaded(series: Path) -> None:
    with duckdb.connect(str(series), read_only=True) as con:
        months = [
            row[0].isoformat()[:7]
            for row in con.sql("select month from marts.dim_month").fetchall()
        ]
    assert sorted(months) == MONTHS


def test_marts_hold_the_generated_numbers(project: Path, series: Path) -> None:
    reference = project / "seeds" / "reference"
    group = codes(
        reference, "participant_groups", "participant_group_name", "participant_group_code"
    )
    age = codes(reference, "age_bands", "age_band_name", "age_band_code")
    group_code = codes(reference, "measure_groups", "measure_group_name", "measure_group_code")
    measure_code = {}
    with (reference / "measures.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            measure_code[(row["measure_group_code"], row["measure_name"])] = row["measure_code"]
    measure = [
        measure_code[(group_code[MEASURE_GROUPS[group_index][0]], name)]
        for group_index, name in MEASURES
    ]
    with duckdb.connect(str(series), read_only=True) as con:
        by_measure = {
            (m.isoformat()[:7], c, g, x): n
            for m, c, g, x, n in con.sql(
                "select * from marts.fct_participants_by_measure"
            ).fetchall()
        }
        by_age = {
            (m.isoformat()[:7], c, g, a): n
            for m, c, g, a, n in con.sql("select * from marts.fct_participants_by_age").fetchall()
        }
    for month in MONTHS:
        data = finest_grains(month, seed=SEED)
        county = area_codes(reference, month)
        assert data.counties == COUNTIES
        for ci, county_name in enumerate(COUNTIES):
            for gi, group_name in enumerate(GROUPS):
                key = (month, county[county_name], group[group_name])
                for mi, code in enumerate(measure):
                    assert by_measure.get((*key, code), 0) == data.measures[ci][gi][mi], (key, code)
                for ai, band in enumerate(AGE_BANDS):
                    assert by_age[(*key, age[band])] == data.ages[ci][gi][ai], (key, band)


def test_cross_month_rule_passes_where_a_year_earlier_is_loaded(series: Path) -> None:
    with duckdb.connect(str(series), read_only=True) as con:
        rows = con.sql(
            """
            select month, status, count(*)
            from marts.fct_reconciliation_checks
            where rule_id = 'last_year_matches_earlier_report'
            group by month, status
            """
        ).fetchall()
    assert [(month.isoformat()[:7], status) for month, status, _ in rows] == [("2017-01", "pass")]
    assert rows[0][2] >= len(COUNTIES) * len(GROUPS)


def test_dashboard_trend_shows_every_month(project: Path, series: Path) -> None:
    """The dashboard's national series over 13 months: one point a month, each the month's
    total in the marts."""
    with SemanticLayer(series, project / "target" / "semantic_manifest.json") as layer:
        trend = trend_section(DashboardData(layer))
    assert trend.figure is not None
    national = trend.figure.data[0]
    with duckdb.connect(str(series), read_only=True) as con:
        totals = con.sql(
            "select strftime(month, '%Y-%m'), sum(participants) "
            "from marts.fct_participants_change group by month order by month"
        ).fetchall()
    assert list(national.x) == MONTHS
    assert list(zip(national.x, national.y, strict=True)) == totals
