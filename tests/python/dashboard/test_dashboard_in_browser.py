"""The dashboard as a person sees it: every page in headless Chromium, network off.

A page fails on a console error, a failed request, a request for anything but its own
files, or a chart that draws nothing; its full-page screenshot is saved under
target/dashboard-screenshots/. The numbers it shows are compared with the numbers the
report prints (marts.fct_report_cells): the national total and every county's percent
change from the "Fylke" table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from page_checks import (
    CHARTS_DRAWN,
    blank_charts,
    chart_count,
    problems,
    shown_number,
    text_of,
)

from navtiltak.dashboard.page import ENTRY
from navtiltak_tools.browser import Chromium
from navtiltak_tools.testing.project_paths import ROOT
from navtiltak_tools.testing.report_cells import printed

SCREENSHOTS = ROOT / "target" / "dashboard-screenshots"
# The sections the issue asks for, each a chart (the headline and county table are tables).
EXPECTED_CHARTS = {"trend", "measure-groups", "shares", "measures", "age", "reconciliation"}


def pages(dashboard: Path) -> list[Path]:
    found = sorted(dashboard.glob("*.html"))
    assert dashboard / ENTRY in found
    return found


def test_every_page_from_the_file_system(browser: Chromium, dashboard: Path) -> None:
    for page in pages(dashboard):
        visit = browser.visit(page.as_uri(), CHARTS_DRAWN)
        browser.screenshot(SCREENSHOTS / f"file-{page.stem}.png")
        assert problems(visit) == [], page.name
        assert blank_charts(browser) == [], page.name


def test_every_page_from_a_static_server(
    browser: Chromium, dashboard: Path, static_server: str
) -> None:
    for page in pages(dashboard):
        visit = browser.visit(f"{static_server}/{page.name}", CHARTS_DRAWN)
        browser.screenshot(SCREENSHOTS / f"http-{page.stem}.png")
        assert problems(visit, allowed_origin=static_server) == [], page.name
        assert blank_charts(browser) == [], page.name
        assert any(url.startswith(static_server) for url in visit.requests)


def test_the_entry_page_has_every_chart(browser: Chromium, dashboard: Path) -> None:
    browser.visit((dashboard / ENTRY).as_uri(), CHARTS_DRAWN)
    shown = set(
        browser.evaluate(
            "Array.from(document.querySelectorAll('.chart')).map(c => c.dataset.chart)"
        )
    )
    assert shown == EXPECTED_CHARTS
    assert chart_count(browser) == len(EXPECTED_CHARTS)
    # Every section says what it shows and where its figures come from.
    explanations = text_of(browser, "section .explanation")
    sources = text_of(browser, "section .source")
    assert len(explanations) == len(sources) == len(text_of(browser, "section h2"))
    assert all("marts." in source for source in sources)


def test_headline_shows_the_printed_national_total(
    browser: Chromium, dashboard: Path, test_warehouse: Path
) -> None:
    cells = printed(test_warehouse, "fylke")
    latest = max(month for month, *_ in cells)
    browser.visit((dashboard / ENTRY).as_uri(), CHARTS_DRAWN)
    (total,) = text_of(browser, "[data-headline=total] .value")
    (change,) = text_of(browser, "[data-headline=change] .value")
    (percent,) = text_of(browser, "[data-headline=change_pct] .value")
    assert shown_number(total) == cells[(latest, "total", "total", "participants")]
    assert shown_number(change) == cells[(latest, "total", "total", "change")]
    assert (
        shown_number(percent.removesuffix("%")) == cells[(latest, "total", "total", "change_pct")]
    )


def test_county_percent_change_is_the_printed_fylke_table(
    browser: Chromium, dashboard: Path, test_warehouse: Path
) -> None:
    cells = printed(test_warehouse, "fylke")
    latest = max(month for month, *_ in cells)
    expected = {
        county: value
        for (month, county, group, metric), value in cells.items()
        if month == latest and county != "total" and group == "total" and metric == "change_pct"
    }
    browser.visit((dashboard / ENTRY).as_uri(), CHARTS_DRAWN)
    shown = browser.evaluate(
        "Array.from(document.querySelectorAll('[data-metric=change_pct][data-county]'))"
        ".map(cell => [cell.dataset.county, cell.innerText])"
    )
    assert {county: shown_number(text) for county, text in shown} == expected


def test_november_2013_total_is_75_769(browser: Chromium, dashboard: Path) -> None:
    """The report's own headline, as printed on page 2, in case the marts drift too."""
    browser.visit((dashboard / ENTRY).as_uri(), CHARTS_DRAWN)
    heading = " ".join(text_of(browser, "#headline h2"))
    if "2013-11" not in heading:
        pytest.skip("the test warehouse's latest month is not November 2013")
    (total,) = text_of(browser, "[data-headline=total] .value")
    assert shown_number(total) == 75769


# -- the checks can fail ---------------------------------------------------------------

BROKEN_PAGES = {
    "console_error": "<script>console.error('broken on purpose')</script>",
    "outside_script": '<script src="https://cdn.example.org/plotly.min.js"></script>',
    "missing_script": '<script src="no-such-file.js"></script>',
    "blank_chart": (
        '<script src="plotly.min.js"></script><div class="chart" data-chart="empty">'
        '<div id="empty"></div></div>'
        "<script>Plotly.newPlot('empty', [{type: 'bar', x: [], y: []}])</script>"
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN_PAGES))
def test_a_broken_page_is_caught(browser: Chromium, dashboard: Path, name: str) -> None:
    page = dashboard / f"broken-{name}.html"
    page.write_text(f"<!doctype html><html><body>{BROKEN_PAGES[name]}</body></html>")
    try:
        visit = browser.visit(page.as_uri(), CHARTS_DRAWN)
        found = problems(visit) + [f"blank chart {key}" for key in blank_charts(browser)]
    finally:
        page.unlink()
    assert found, f"{name} went unnoticed"
