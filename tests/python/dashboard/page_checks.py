"""What a person would notice on a dashboard page, read in the browser."""

from __future__ import annotations

from navtiltak_tools.browser import Chromium, PageVisit

# Every page is ready once each chart has drawn its SVG (or has given up).
CHARTS_DRAWN = """
    Array.from(document.querySelectorAll('.chart')).every(
        chart => chart.querySelector('svg.main-svg') !== null)
"""

# Per chart: how many marks (bars, points, line segments) have a visible size.
VISIBLE_MARKS = """
    Array.from(document.querySelectorAll('.chart')).map(chart => [
        chart.dataset.chart,
        Array.from(chart.querySelectorAll(
            '.barlayer .point path, .scatterlayer .points path, .scatterlayer .lines path'
        )).filter(mark => {
            const box = mark.getBoundingClientRect();
            return box.width > 0 || box.height > 0;
        }).length,
    ])
"""


def problems(visit: PageVisit, allowed_origin: str | None = None) -> list[str]:
    """Console errors, failed requests and requests that left the page's own files."""
    return [
        *visit.console_errors,
        *visit.failed_requests,
        *(f"outside request: {url}" for url in visit.outside_requests(allowed_origin)),
    ]


def blank_charts(browser: Chromium) -> list[str]:
    """The charts on the page that show nothing."""
    marks = browser.evaluate(VISIBLE_MARKS)
    return [key for key, count in marks if count == 0]


def chart_count(browser: Chromium) -> int:
    return int(browser.evaluate("document.querySelectorAll('.chart').length"))


def text_of(browser: Chromium, selector: str) -> list[str]:
    """The text a person sees in every element `selector` matches."""
    script = f"Array.from(document.querySelectorAll({selector!r})).map(e => e.innerText)"
    return list(browser.evaluate(script))


def shown_number(text: str) -> int | None:
    """'75 769' (any space) -> 75769; '' -> None."""
    digits = "".join(text.split())
    return int(digits) if digits else None
