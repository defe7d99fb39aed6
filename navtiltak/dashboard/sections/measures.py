"""The measures: measure groups and measures by participant group, and the participant
groups' shares of each measure group."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import plotly.graph_objects as go

from navtiltak.dashboard.charts import (
    GROUP_DIMENSIONS,
    DashboardData,
    Section,
    both,
    by_participant_group,
    month_label,
    new_figure,
    ordered,
)
from navtiltak.dashboard.semantic import Row


def stacked_by_group(
    rows: Sequence[Row], label_of: Callable[[Row], str], categories: list[str], value: str
) -> go.Figure:
    """Horizontal bars per category (label_of(row)), one colour per participant group."""
    figure = new_figure("", "Deltakere (participants)", height=max(360, 28 * len(categories)))
    for name, values in by_participant_group(rows, label_of, value):
        figure.add_trace(
            go.Bar(
                y=categories,
                x=[values.get(category, 0) for category in categories],
                name=name,
                orientation="h",
            )
        )
    figure.update_layout(barmode="stack", margin={"l": 380})
    figure.update_yaxes(autorange="reversed", type="category")
    return figure


def measure_label(row: Row) -> str:
    return both(row["measure__measure_name"], row["measure__measure_name_en"])


def measure_group_label(row: Row) -> str:
    return both(row["measure__measure_group_name"], row["measure__measure_group_name_en"])


def measure_sections(data: DashboardData) -> list[Section]:
    metrics = ("participants_by_measure",)
    measure_dimensions = [
        "measure__measure_group_name",
        "measure__measure_group_name_en",
        "measure__measure_name",
        "measure__measure_name_en",
        "measure__sort_order",
    ]
    measures = data.in_latest(list(metrics), [*measure_dimensions, *GROUP_DIMENSIONS])
    by_order = ordered(measures.rows, "measure__sort_order")
    measure_labels = list(dict.fromkeys(measure_label(row) for row in by_order))
    group_labels = list(dict.fromkeys(measure_group_label(row) for row in by_order))
    # A measure group's figures are sums of its measures': query the group as its own
    # group-by, so that MetricFlow sums them, not this module.
    groups = data.in_latest(
        list(metrics),
        ["measure__measure_group_name", "measure__measure_group_name_en", *GROUP_DIMENSIONS],
    )
    group_figure = stacked_by_group(groups.rows, measure_group_label, group_labels, metrics[0])
    measure_figure = stacked_by_group(measures.rows, measure_label, measure_labels, metrics[0])
    shares = share_section(data, group_labels)
    sources = data.layer.source_tables(metrics)
    return [
        Section(
            key="measure-groups",
            title=f"Tiltaksgruppe og hovedgruppe (measure group by participant group), "
            f"{month_label(data.latest)}",
            explanation=(
                "Participants in each of the ten measure groups in the latest month, split by "
                "participant group."
            ),
            metrics=metrics,
            sources=sources,
            figure=group_figure,
        ),
        shares,
        Section(
            key="measures",
            title=f"Tiltak og hovedgruppe (measure by participant group), "
            f"{month_label(data.latest)}",
            explanation=(
                "Participants in each detailed measure in the latest month, split by "
                "participant group (measures in the report's order, grouped by measure group)."
            ),
            metrics=metrics,
            sources=sources,
            figure=measure_figure,
        ),
    ]


SHARE_METRICS = (
    ("share_jobseekers", "Arbeidssøkere på tiltak (Jobseekers on measures)"),
    ("share_reduced_capacity", "Nedsatt arbeidsevne, på tiltak (Reduced work capacity)"),
    ("share_others", "Andre på tiltak (Others on measures)"),
)


def share_section(data: DashboardData, group_labels: list[str]) -> Section:
    metrics = tuple(name for name, _ in SHARE_METRICS)
    shares = data.in_latest(
        list(metrics), ["measure__measure_group_name", "measure__measure_group_name_en"]
    )
    by_label = {measure_group_label(row): row for row in shares.rows}
    categories = [label for label in group_labels if label in by_label]
    figure = new_figure("", "Andel (share)", height=max(360, 30 * len(categories)))
    for metric, label in SHARE_METRICS:
        figure.add_trace(
            go.Bar(
                y=categories,
                x=[by_label[category][metric] for category in categories],
                name=label,
                orientation="h",
            )
        )
    figure.update_layout(barmode="stack", margin={"l": 380})
    figure.update_xaxes(tickformat=".0%")
    figure.update_yaxes(autorange="reversed", type="category")
    return Section(
        key="shares",
        title=f"Andel av hovedgruppene per tiltaksgruppe (share of each participant group), "
        f"{month_label(data.latest)}",
        explanation=(
            "Which participant groups each measure group serves: the share of its participants "
            "in each group (ratio metrics over summed counts)."
        ),
        metrics=metrics,
        sources=data.layer.source_tables(metrics),
        figure=figure,
    )
