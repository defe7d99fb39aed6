"""The headline: the latest month's participants and change, per participant group."""

from __future__ import annotations

from navtiltak.dashboard.charts import (
    COUNT_HEADER,
    GROUP_DIMENSIONS,
    GROUP_NAME,
    GROUP_NAME_EN,
    GROUP_ORDER,
    DashboardData,
    Headline,
    Section,
    SectionTable,
    TableCell,
    both,
    format_count,
    format_percent,
    month_label,
    ordered,
)


def headline_section(data: DashboardData) -> Section:
    row = data.latest_national()
    metrics = ("participants", "participants_last_year", "change_from_last_year", "change_pct")
    groups = data.in_latest(
        ["participants", "change_from_last_year", "change_pct"], list(GROUP_DIMENSIONS)
    )
    table = SectionTable(
        header=[
            "Hovedgruppe (participant group)",
            *COUNT_HEADER,
        ],
        rows=[
            [
                TableCell(both(group[GROUP_NAME], group[GROUP_NAME_EN])),
                TableCell(format_count(group["participants"]), numeric=True),
                TableCell(format_count(group["change_from_last_year"]), numeric=True),
                TableCell(format_percent(group["change_pct"]), numeric=True),
            ]
            for group in ordered(groups.rows, GROUP_ORDER)
        ],
        key="groups",
    )
    return Section(
        key="headline",
        title=f"Siste måned (latest month): {month_label(data.latest)}",
        explanation=(
            "How many took part in the latest month loaded, and the change from the same "
            "month a year earlier (percent as NAV rounds it)."
        ),
        metrics=metrics,
        sources=data.layer.source_tables(metrics),
        table=table,
        headlines=[
            Headline("Deltakere (participants)", format_count(row["participants"]), "total"),
            Headline(
                COUNT_HEADER[1],
                format_count(row["change_from_last_year"]),
                "change",
            ),
            Headline(
                COUNT_HEADER[2],
                f"{format_percent(row['change_pct'])} %",
                "change_pct",
            ),
            Headline(
                "Deltakere i fjor (participants a year earlier)",
                format_count(row["participants_last_year"]),
                "last_year",
            ),
        ],
    )
