"""Superset over the test warehouse: the project's dashboard imported, its numbers, its
page in headless Chromium, and a write refused.

Each chart's data comes from Superset's REST API (/api/v1/chart/{id}/data, the query
saved with the chart) and is compared with the marts queried here, in plain SQL written
for the test, and with the numbers the report prints (marts.fct_report_cells): the
national total and every county's percent change of its "Fylke" table. The page is
opened logged in, with the network off: no console error, no failed request, nothing
from outside the server, every chart drawn; screenshots in target/bi-screenshots/.
"""

from __future__ import annotations

import base64
import datetime
import json
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from superset_running import SCREENSHOTS, Running

from navtiltak_tools.browser import Chromium, PageVisit
from navtiltak_tools.testing.report_cells import printed

DASHBOARD = "nav-tiltak"
# Superset's frontend always asks for this telemetry pixel; bi/superset_config.py's
# content security policy makes the browser refuse it (tested below).
TELEMETRY = "https://apachesuperset.gateway.scarf.sh/"
VIEWPORT = {"width": 1400, "height": 2000}
PAGE_TIMEOUT = 90.0


def rows(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def latest(warehouse: Path) -> datetime.date:
    ((month,),) = rows(warehouse, "select max(month) from marts.dim_month")
    return month


def month_of(value: float | str) -> datetime.date:
    """Superset sends a date as epoch milliseconds."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return datetime.datetime.fromtimestamp(value / 1000, datetime.UTC).date()


def number(value: float | int | None) -> int | None:
    if value is None:
        return None
    assert float(value) == int(value), value
    return int(value)


@pytest.fixture(scope="module")
def charts(superset: Running) -> dict[str, int]:
    """{chart file name: id} of the dashboard's charts."""
    by_name = superset.client.chart_ids(DASHBOARD)
    return {key: by_name[config["slice_name"]] for key, config in superset.bundle.charts.items()}


def data(superset: Running, charts: dict[str, int], key: str) -> list[dict[str, Any]]:
    return superset.client.chart_data(charts[key])


def test_every_chart_is_on_the_dashboard(superset: Running) -> None:
    shown = set(superset.client.chart_ids(DASHBOARD))
    assert shown == {config["slice_name"] for config in superset.bundle.charts.values()}
    assert len(shown) == 8


def test_headline_is_the_printed_national_total(
    superset: Running, charts: dict[str, int], test_warehouse: Path
) -> None:
    cells = printed(test_warehouse, "fylke")
    month = latest(test_warehouse)
    ((headline,),) = [list(row.values()) for row in data(superset, charts, "headline")]
    assert headline == cells[(month, "total", "total", "participants")]
    (change,) = data(superset, charts, "headline_change")
    assert month_of(change["metric_time__month"]) == month
    assert change["participants"] == cells[(month, "total", "total", "participants")]
    assert change["change_from_last_year"] == cells[(month, "total", "total", "change")]
    assert number(change["change_pct"]) == cells[(month, "total", "total", "change_pct")]
    assert (
        change["participants_last_year"]
        == change["participants"] - cells[(month, "total", "total", "change")]
    )


def test_november_2013_is_75_769(
    superset: Running, charts: dict[str, int], test_warehouse: Path
) -> None:
    if latest(test_warehouse) != datetime.date(2013, 11, 1):
        pytest.skip("the test warehouse's latest month is not November 2013")
    assert data(superset, charts, "headline") == [{"participants": 75769}]


def test_counties_are_the_printed_fylke_table(
    superset: Running, charts: dict[str, int], test_warehouse: Path
) -> None:
    cells = printed(test_warehouse, "fylke")
    month = latest(test_warehouse)
    expected = {
        (county, metric): value
        for (at, county, group, metric), value in cells.items()
        if at == month and county != "total" and group == "total"
    }
    shown = data(superset, charts, "counties")
    got = {
        (row["county"], metric): number(row[column])
        for row in shown
        for metric, column in (
            ("participants", "participants"),
            ("change", "change_from_last_year"),
            ("change_pct", "change_pct"),
        )
    }
    assert got == expected
    # In the report's order.
    order = rows(
        test_warehouse,
        "select county_code from marts.dim_county order by sort_order",
    )
    ranks = {code: rank for rank, (code,) in enumerate(order)}
    assert [row["county"] for row in shown] == sorted(
        (row["county"] for row in shown), key=ranks.__getitem__
    )


def test_participants_per_month_and_region(
    superset: Running, charts: dict[str, int], test_warehouse: Path
) -> None:
    national = rows(
        test_warehouse,
        "select month, sum(participants) from marts.fct_participants_change group by month",
    )
    assert {
        (month_of(row["metric_time__month"]), row["participants"])
        for row in data(superset, charts, "participants_per_month")
    } == set(national)
    regions = rows(
        test_warehouse,
        """
        select f.month, c.region_name, sum(f.participants)
        from marts.fct_participants_change as f
        inner join marts.dim_county as c on f.county_code = c.county_code
        where c.is_county
        group by f.month, c.region_name
        """,
    )
    shown = data(superset, charts, "participants_per_region")
    assert {
        (month_of(row["metric_time__month"]), row["county__region_name"], row["participants"])
        for row in shown
    } == set(regions)


def summed_by_group(
    warehouse: Path, month: datetime.date, fact: str, dimension: str, key: str, name: str
) -> set[tuple[Any, ...]]:
    """``month``'s participants of ``fact`` summed by ``dimension``'s ``name`` and the
    participant group's name, read from the marts."""
    return set(
        rows(
            warehouse,
            f"""
            select d.{name}, g.participant_group_name, sum(f.participants)
            from marts.{fact} as f
            inner join marts.{dimension} as d on f.{key} = d.{key}
            inner join marts.dim_participant_group as g
                on f.participant_group_code = g.participant_group_code
            where f.month = date '{month}'
            group by all
            """,
        )
    )


def chart_rows(
    superset: Running, charts: dict[str, int], key: str, columns: tuple[str, ...]
) -> set[tuple[Any, ...]]:
    return {tuple(row[column] for column in columns) for row in data(superset, charts, key)}


def test_measure_groups_and_age_profile(
    superset: Running, charts: dict[str, int], test_warehouse: Path
) -> None:
    month = latest(test_warehouse)
    group = "participant_group__participant_group_name"
    assert chart_rows(
        superset,
        charts,
        "measure_groups",
        ("measure__measure_group_name", group, "participants_by_measure"),
    ) == summed_by_group(
        test_warehouse,
        month,
        "fct_participants_by_measure",
        "dim_measure",
        "measure_code",
        "measure_group_name",
    )
    assert chart_rows(
        superset, charts, "age_profile", ("age_band__age_band_name", group, "participants_by_age")
    ) == summed_by_group(
        test_warehouse,
        month,
        "fct_participants_by_age",
        "dim_age_band",
        "age_band_code",
        "age_band_name",
    )


def test_reconciliation_status(
    superset: Running, charts: dict[str, int], test_warehouse: Path
) -> None:
    checks = rows(
        test_warehouse,
        "select month, status, count(*) from marts.fct_reconciliation_checks group by all",
    )
    assert {
        (
            month_of(row["metric_time__month"]),
            row["reconciliation_check__status"],
            row["reconciliation_checks"],
        )
        for row in data(superset, charts, "reconciliation")
    } == set(checks)


# -- read-only -------------------------------------------------------------------------


def test_pages_may_load_nothing_from_outside(superset: Running) -> None:
    """Superset's content security policy (bi/superset_config.py) names no other host:
    the browser refuses the telemetry pixel and anything else from outside."""
    page = superset.client.session.get(f"{superset.base_url}/superset/dashboard/{DASHBOARD}/")
    policy = page.headers["Content-Security-Policy"]
    sources = {
        source
        for directive in policy.split(";")
        for source in directive.split()[1:]
        if not source.startswith("'nonce-")
    }
    assert sources <= {"'self'", "'none'", "'unsafe-inline'", "'strict-dynamic'", "blob:", "data:"}
    assert "img-src" in policy


def test_sql_lab_reads_but_cannot_write(superset: Running, test_warehouse: Path) -> None:
    client = superset.client
    database = client.database_id(superset.bundle.database["database_name"])
    before = rows(test_warehouse, "select count(*) from marts.fct_participants_change")
    answer = client.sql_lab(
        database, "select sum(participants) as n from marts.fct_participants_change"
    )
    assert answer.status_code == 200, answer.text
    (total,) = answer.json()["data"]
    ((expected,),) = rows(
        test_warehouse, "select sum(participants) from marts.fct_participants_change"
    )
    assert total["n"] == expected
    for statement in (
        "delete from marts.fct_participants_change",
        "create table marts.written_by_superset as select 1 as x",
        "insert into marts.dim_month select * from marts.dim_month",
    ):
        refused = client.sql_lab(database, statement)
        assert refused.status_code >= 400, statement
        assert "DML_NOT_ALLOWED_ERROR" in refused.text, refused.text
    assert rows(test_warehouse, "select count(*) from marts.fct_participants_change") == before
    assert rows(
        test_warehouse,
        "select count(*) from duckdb_tables() where table_name = 'written_by_superset'",
    ) == [(0,)]


def test_the_connection_opens_the_file_read_only(superset: Running) -> None:
    client = superset.client
    database = client.database_id(superset.bundle.database["database_name"])
    found = client.get(f"/api/v1/database/{database}/connection")["result"]
    assert found["allow_dml"] is False
    extra = found["extra"]
    extra = extra if isinstance(extra, dict) else json.loads(extra)
    assert extra["engine_params"]["connect_args"]["read_only"] is True


# -- in the browser ----------------------------------------------------------------------

# Per chart: its title, its type, and what it drew: painted canvas pixels, table rows,
# the big number's text, and any error or empty-result message.
DRAWN = """
Array.from(document.querySelectorAll('.dashboard-component-chart-holder')).map(h => {
  const painted = Array.from(h.querySelectorAll('canvas')).map(c => {
    if (c.width === 0 || c.height === 0) return 0;
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n++;
    return n;
  }).reduce((a, b) => a + b, 0);
  const problem = h.querySelector('[role=alert], .ant-alert, .ant-empty');
  return {
    title: h.querySelector('[data-test=editable-title]')?.innerText ?? '',
    viz: h.querySelector('[data-test-viz-type]')?.getAttribute('data-test-viz-type') ?? '',
    painted: painted,
    rows: h.querySelectorAll('tbody tr').length,
    number: h.querySelector('.header-line')?.innerText ?? '',
    problem: problem ? problem.innerText : '',
  };
})
"""
# Ready once every chart holder shows what it drew or a problem, nothing still loading.
CHARTS_DONE = f"""
(() => {{
  const charts = {DRAWN.strip()};
  return charts.length > 0
    && document.querySelectorAll('.loading').length === 0
    && charts.every(c => c.painted > 0 || c.rows > 0 || c.number !== '' || c.problem !== '');
}})()
"""


def open_dashboard(browser: Chromium, superset: Running) -> PageVisit:
    for cookie in superset.client.session.cookies:
        browser.send(
            "Network.setCookie",
            name=cookie.name,
            value=cookie.value or "",
            domain="127.0.0.1",
            path="/",
        )
    # Tall enough for every chart: Superset draws only the charts in view.
    browser.send(
        "Emulation.setDeviceMetricsOverride", deviceScaleFactor=1, mobile=False, **VIEWPORT
    )
    return browser.visit(f"{superset.base_url}/superset/dashboard/{DASHBOARD}/", CHARTS_DONE)


def screenshot(browser: Chromium, path: Path) -> None:
    # The viewport as it is: a full-page capture makes Superset lay the page out again.
    shot = browser.send("Page.captureScreenshot", format="png")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def refused_by_the_page(visit: PageVisit, base_url: str) -> list[str]:
    """What the page tried to load from outside the server: only Superset's telemetry
    pixel, which the browser must have refused."""
    outside = visit.outside_requests(base_url)
    return [url for url in outside if not url.startswith(TELEMETRY)]


def test_the_dashboard_in_the_browser(superset: Running, test_warehouse: Path) -> None:
    with Chromium() as browser:
        started = time.monotonic()
        final = open_dashboard(browser, superset)
        loaded = time.monotonic() - started
        # ECharts animates its series in: let them settle before the picture.
        time.sleep(1.0)
        screenshot(browser, SCREENSHOTS / "dashboard.png")
        drawn = browser.evaluate(DRAWN)
    assert refused_by_the_page(final, superset.base_url) == []
    # Superset's telemetry pixel, when asked for, was refused by the content security
    # policy (so it stays in the browser with the network on too).
    refused = [
        item
        for item in final.console_errors
        if item.startswith("security:") and "Content Security Policy" in item and "blocked" in item
    ]
    for url in final.outside_requests(superset.base_url):
        assert any(url in item for item in refused), url
    unexpected = [
        item for item in [*final.console_errors, *final.failed_requests] if TELEMETRY not in item
    ]
    assert unexpected == [], unexpected
    titles = {config["slice_name"] for config in superset.bundle.charts.values()}
    assert {chart["title"] for chart in drawn} == titles
    for chart in drawn:
        assert chart["problem"] == "", chart
        if chart["viz"].startswith("echarts"):
            assert chart["painted"] > 500, chart
        elif chart["viz"] == "table":
            assert chart["rows"] > 0, chart
        else:
            assert chart["number"], chart
    # The big number as the report prints it: 75 769 (Norwegian digit grouping).
    cells = printed(test_warehouse, "fylke")
    (big,) = [chart["number"] for chart in drawn if chart["viz"] == "big_number_total"]
    assert (
        int("".join(big.split()))
        == cells[(latest(test_warehouse), "total", "total", "participants")]
    )
    assert loaded < PAGE_TIMEOUT
    print(f"dashboard drawn in {loaded:.1f} s")


def test_a_broken_chart_is_caught(superset: Running, charts: dict[str, int]) -> None:
    """The browser checks can fail: a chart asking for a column its dataset lacks shows
    Superset's error, and the checks above see it."""
    client = superset.client
    chart_id = charts["counties"]
    saved = client.get(f"/api/v1/chart/{chart_id}")["result"]["params"]
    broken = json.loads(saved)
    broken["all_columns"] = [*broken["all_columns"], "no_such_column"]
    client.put(f"/api/v1/chart/{chart_id}", {"params": json.dumps(broken)})
    try:
        with Chromium() as browser:
            visit = open_dashboard(browser, superset)
            drawn = browser.evaluate(DRAWN)
    finally:
        client.put(f"/api/v1/chart/{chart_id}", {"params": saved})
    problems = {chart["title"]: chart["problem"] for chart in drawn if chart["problem"]}
    assert list(problems) == [superset.bundle.charts["counties"]["slice_name"]]
    assert "no_such_column" in next(iter(problems.values()))
    # ... and the page's own check fails on the refused request for its data.
    assert any("/api/v1/chart/data" in item for item in visit.failed_requests)
