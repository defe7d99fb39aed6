"""The counties: participants and change per county in the latest month."""

from __future__ import annotations

from navtiltak.dashboard.charts import (
    COUNT_HEADER,
    DashboardData,
    Section,
    SectionTable,
    TableCell,
    format_count,
    format_percent,
    month_label,
    ordered,
)


def county_section(data: DashboardData) -> Section:
    metrics = ("participants", "change_from_last_year", "change_pct")
    counties = data.in_latest(
        list(metrics), ["county__county_code", "county__county_name", "county__sort_order"]
    )
    rows = [
        [
            TableCell(str(row["county__county_name"])),
            TableCell(
                format_count(row["participants"]),
                {"data-county": str(row["county__county_code"]), "data-metric": "participants"},
                numeric=True,
            ),
            TableCell(format_count(row["change_from_last_year"]), numeric=True),
            TableCell(
                format_percent(row["change_pct"]),
                {"data-county": str(row["county__county_code"]), "data-metric": "change_pct"},
                numeric=True,
            ),
        ]
        for row in ordered(counties.rows, "county__sort_order")
    ]
    return Section(
        key="counties",
        title=f"Fylke (county), {month_label(data.latest)}",
        explanation=(
            "Participants per county in the latest month and the change from a year earlier; "
            "the percent is recomputed from summed counts and equals the report's Fylke table."
        ),
        metrics=metrics,
        sources=data.layer.source_tables(metrics),
        table=SectionTable(
            header=[
                "Fylke (county)",
                *COUNT_HEADER,
            ],
            rows=rows,
            key="counties",
        ),
    )
