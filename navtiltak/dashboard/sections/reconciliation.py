"""The reconciliation: the report's identities checked, per month and per rule."""

from __future__ import annotations

import plotly.graph_objects as go

from navtiltak.dashboard.charts import (
    MONTH,
    DashboardData,
    Section,
    SectionTable,
    TableCell,
    format_count,
    month_label,
    new_figure,
)
from navtiltak.dashboard.semantic import Value

STATUSES = (
    ("pass", "Stemmer (pass)"),
    ("not_checkable", "Kan ikke kontrolleres (not checkable)"),
    ("fail", "Stemmer ikke (fail)"),
)


def reconciliation_sections(data: DashboardData) -> list[Section]:
    metrics = ("reconciliation_checks",)
    checks = data.layer.query(
        list(metrics),
        [MONTH, "reconciliation_check__rule_id", "reconciliation_check__status"],
    )
    count: dict[tuple[Value, Value, Value], Value] = {
        (
            row[MONTH],
            row["reconciliation_check__rule_id"],
            row["reconciliation_check__status"],
        ): row["reconciliation_checks"]
        for row in checks.rows
    }
    per_month = data.layer.query(list(metrics), [MONTH, "reconciliation_check__status"])
    month_count = {
        (row[MONTH], row["reconciliation_check__status"]): row["reconciliation_checks"]
        for row in per_month.rows
    }
    figure = new_figure("Kontroller (checks)", "Måned (month)", height=360)
    for status, label in STATUSES:
        figure.add_trace(
            go.Bar(
                x=[month_label(month) for month in data.months],
                y=[month_count.get((month, status), 0) for month in data.months],
                name=label,
            )
        )
    figure.update_layout(barmode="stack")
    figure.update_xaxes(type="category")
    rules = sorted({str(row["reconciliation_check__rule_id"]) for row in checks.rows})
    rows = []
    for month in data.months:
        for rule in rules:
            cells = [count.get((month, rule, status)) for status, _ in STATUSES]
            rows.append(
                [
                    TableCell(month_label(month)),
                    TableCell(rule),
                    *(
                        TableCell(
                            format_count(value or 0),
                            {"data-status": status} if value else {},
                            numeric=True,
                        )
                        for (status, _), value in zip(STATUSES, cells, strict=True)
                    ),
                ]
            )
    sources = data.layer.source_tables(metrics)
    return [
        Section(
            key="reconciliation",
            title="Avstemming per måned (reconciliation status per month)",
            explanation=(
                "Every identity the report implies, checked in every month: how many hold, "
                "how many cannot be checked (suppressed cells), how many fail."
            ),
            metrics=metrics,
            sources=sources,
            figure=figure,
        ),
        Section(
            key="reconciliation-rules",
            title="Avstemming per regel (reconciliation by rule)",
            explanation=(
                "The same checks per month and rule (rules: seeds/reference/"
                "reconciliation_rules.csv); the build fails on any fail, so a published "
                "month has none."
            ),
            metrics=metrics,
            sources=sources,
            table=SectionTable(
                header=[
                    "Måned (month)",
                    "Regel (rule)",
                    *(label for _, label in STATUSES),
                ],
                rows=rows,
                key="reconciliation",
            ),
        ),
    ]
