"""The trend: participants per month, for the country and per region."""

from __future__ import annotations

import plotly.graph_objects as go

from navtiltak.dashboard.charts import MONTH, DashboardData, Section, month_label, new_figure
from navtiltak.dashboard.semantic import Value


def trend_section(data: DashboardData) -> Section:
    metrics = ("participants",)
    regions = data.layer.query(list(metrics), [MONTH, "county__region_code", "county__region_name"])
    figure = new_figure("Deltakere (participants)", "Måned (month)")
    months = [month_label(month) for month in data.months]
    national = {row[MONTH]: row["participants"] for row in data.national.rows}
    figure.add_trace(
        go.Scatter(
            x=months,
            y=[national[month] for month in data.months],
            name="Hele landet (whole country)",
            mode="lines+markers",
            line={"width": 4},
        )
    )
    by_region: dict[tuple[str, str], dict[Value, Value]] = {}
    for row in regions.rows:
        key = (str(row["county__region_code"]), str(row["county__region_name"]))
        by_region.setdefault(key, {})[row[MONTH]] = row["participants"]
    for (_, name), values in sorted(by_region.items()):
        figure.add_trace(
            go.Scatter(
                x=months,
                y=[values.get(month) for month in data.months],
                name=name,
                mode="lines+markers",
            )
        )
    figure.update_xaxes(type="category")
    return Section(
        key="trend",
        title="Deltakere per måned (participants per month): hele landet og region",
        explanation=(
            "Participants in every loaded month, for the whole country and per region "
            "(the 2020 county each county lies in, one series across the county reforms)."
        ),
        metrics=metrics,
        sources=data.layer.source_tables(metrics),
        figure=figure,
    )
