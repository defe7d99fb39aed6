"""The dashboard's sections: each a chart or table of metric query results.

Every figure comes from a metric of the semantic layer (``semantic.SemanticLayer``);
this module only arranges the rows. Labels are Norwegian as NAV prints them, with the
English beside them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import plotly.graph_objects as go

from navtiltak.dashboard.semantic import MetricResult, Row, Value
from navtiltak.report_month import month_key

MONTH = "metric_time__month"
GROUP_DIMENSIONS = (
    "participant_group__participant_group_name",
    "participant_group__participant_group_name_en",
    "participant_group__sort_order",
)
GROUP_NAME = GROUP_DIMENSIONS[0]
GROUP_NAME_EN = GROUP_DIMENSIONS[1]
GROUP_ORDER = GROUP_DIMENSIONS[2]
# Norwegian style, as NAV prints: a space between thousands, a decimal comma.
PLOTLY_SEPARATORS = ", "


@dataclass(frozen=True)
class TableCell:
    """A table cell: the text shown, and what it is (for the browser test to find it)."""

    text: str
    attributes: dict[str, str] = field(default_factory=dict)
    numeric: bool = False


@dataclass(frozen=True)
class SectionTable:
    header: list[str]
    rows: list[list[TableCell]]
    key: str


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    key: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    explanation: str
    metrics: tuple[str, ...]
    sources: list[str]
    figure: go.Figure | None = None
    table: SectionTable | None = None
    headlines: list[Headline] = field(default_factory=list)


def format_count(value: Value) -> str:
    """75769 -> '75 769' (no-break space), as NAV prints; '' for a missing value."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", "\u00a0")


def format_percent(value: Value) -> str:
    return "" if value is None else str(int(value))


def month_label(month: Value) -> str:
    return month_key(month) if isinstance(month, datetime.date) else str(month)


def both(norwegian: Value, english: Value) -> str:
    """NAV's Norwegian label with the English beside it."""
    return f"{norwegian} ({english})"


def ordered(rows: Iterable[Row], *keys: str) -> list[Row]:
    return sorted(rows, key=lambda row: tuple(_sortable(row[key]) for key in keys))


def _sortable(value: Value) -> tuple[int, str]:
    # sort_order dimensions are categorical in the semantic layer: compare as numbers.
    if isinstance(value, (int, float)):
        return (int(value), "")
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return (int(value), "")
    return (0, str(value))


def as_month(value: Value) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise TypeError(f"{MONTH} should be a date, not {value!r}")
    return value


def in_month(month: datetime.date) -> str:
    return f"{{{{ TimeDimension('metric_time', 'month') }}}} = '{month.isoformat()}'"


def new_figure(y_title: str, x_title: str, height: int = 420) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(
        separators=PLOTLY_SEPARATORS,
        height=height,
        margin={"l": 60, "r": 20, "t": 30, "b": 60},
        # Stacked bars list their legend bottom-up by default: keep the groups' order.
        legend={"orientation": "h", "y": -0.2, "traceorder": "normal"},
        # Whole numbers in full, "80 000", never "80k" (category axes ignore it).
        xaxis_tickformat=",d",
        yaxis_tickformat=",d",
        yaxis_title=y_title,
        xaxis_title=x_title,
        template="plotly_white",
    )
    return figure


class MetricQueries(Protocol):
    """What the sections ask of the semantic layer (``semantic.SemanticLayer``)."""

    def query(
        self, metrics: Sequence[str], group_by: Sequence[str], where: Sequence[str] = ()
    ) -> MetricResult: ...

    def source_tables(self, metrics: Sequence[str]) -> list[str]: ...


class DashboardData:
    """The metric queries the dashboard shows, run once each."""

    def __init__(self, layer: MetricQueries) -> None:
        self.layer = layer
        self.national = layer.query(
            ["participants", "participants_last_year", "change_from_last_year", "change_pct"],
            [MONTH],
        )
        if not self.national.rows:
            raise ValueError("the warehouse holds no month: nothing to show")
        self.months: list[datetime.date] = sorted(
            as_month(row[MONTH]) for row in self.national.rows
        )
        self.latest = self.months[-1]

    def latest_national(self) -> Row:
        return next(row for row in self.national.rows if row[MONTH] == self.latest)

    def in_latest(self, metrics: Sequence[str], group_by: Sequence[str]) -> MetricResult:
        return self.layer.query(metrics, group_by, [in_month(self.latest)])


def headline_section(data: DashboardData) -> Section:
    row = data.latest_national()
    metrics = ("participants", "participants_last_year", "change_from_last_year", "change_pct")
    groups = data.in_latest(
        ["participants", "change_from_last_year", "change_pct"], list(GROUP_DIMENSIONS)
    )
    table = SectionTable(
        header=[
            "Hovedgruppe (participant group)",
            "Antall (participants)",
            "Endring fra i fjor Antall (change from last year)",
            "Endring fra i fjor Prosent (change from last year, %)",
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
                "Endring fra i fjor Antall (change from last year)",
                format_count(row["change_from_last_year"]),
                "change",
            ),
            Headline(
                "Endring fra i fjor Prosent (change from last year, %)",
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
                "Antall (participants)",
                "Endring fra i fjor Antall (change from last year)",
                "Endring fra i fjor Prosent (change from last year, %)",
            ],
            rows=rows,
            key="counties",
        ),
    )


def by_participant_group(
    rows: Sequence[Row], label_of: Callable[[Row], str], value: str
) -> list[tuple[str, dict[str, Value]]]:
    """Each participant group in its order, with its label and {label_of(row): value}."""
    groups = ordered({row[GROUP_ORDER]: row for row in rows}.values(), GROUP_ORDER)
    return [
        (
            both(group[GROUP_NAME], group[GROUP_NAME_EN]),
            {label_of(row): row[value] for row in rows if row[GROUP_ORDER] == group[GROUP_ORDER]},
        )
        for group in groups
    ]


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


def sections(data: DashboardData) -> list[Section]:
    return [
        headline_section(data),
        trend_section(data),
        county_section(data),
        *measure_sections(data),
        age_section(data),
        *reconciliation_sections(data),
    ]
