"""The dashboard's sections, one module each, in the order the page shows them."""

from __future__ import annotations

from navtiltak.dashboard.charts import DashboardData, Section
from navtiltak.dashboard.sections.age import age_section
from navtiltak.dashboard.sections.counties import county_section
from navtiltak.dashboard.sections.headline import headline_section
from navtiltak.dashboard.sections.measures import measure_sections
from navtiltak.dashboard.sections.reconciliation import reconciliation_sections
from navtiltak.dashboard.sections.trend import trend_section


def sections(data: DashboardData) -> list[Section]:
    return [
        headline_section(data),
        trend_section(data),
        county_section(data),
        *measure_sections(data),
        age_section(data),
        *reconciliation_sections(data),
    ]
