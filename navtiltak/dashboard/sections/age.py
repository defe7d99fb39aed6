"""The age profile: participants per age band and participant group."""

from __future__ import annotations

import plotly.graph_objects as go

from navtiltak.dashboard.charts import (
    GROUP_DIMENSIONS,
    DashboardData,
    Section,
    by_participant_group,
    month_label,
    new_figure,
    ordered,
)
from navtiltak.dashboard.semantic import Row


def age_band_label(row: Row) -> str:
    return str(row["age_band__age_band_name"])


def age_section(data: DashboardData) -> Section:
    metrics = ("participants_by_age",)
    ages = data.in_latest(
        list(metrics), ["age_band__age_band_name", "age_band__sort_order", *GROUP_DIMENSIONS]
    )
    bands = list(dict.fromkeys(map(age_band_label, ordered(ages.rows, "age_band__sort_order"))))
    figure = new_figure("Deltakere (participants)", "Aldersgruppe (age band)")
    for name, values in by_participant_group(ages.rows, age_band_label, metrics[0]):
        figure.add_trace(go.Bar(x=bands, y=[values.get(band, 0) for band in bands], name=name))
    figure.update_layout(barmode="group")
    figure.update_xaxes(type="category")
    return Section(
        key="age",
        title=f"Alder og hovedgruppe (age profile by participant group), "
        f"{month_label(data.latest)}",
        explanation=(
            "Participants per age band in the latest month, per participant group (the report "
            "has no age by measure table)."
        ),
        metrics=metrics,
        sources=data.layer.source_tables(metrics),
        figure=figure,
    )
