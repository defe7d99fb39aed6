"""What the dashboard's sections (``navtiltak.dashboard.sections``) are made of: the
section, its table cells and headlines, the metric queries run once, number formats and
the figure's layout.

Every figure comes from a metric of the semantic layer (``semantic.SemanticLayer``);
the sections only arrange the rows. Labels are Norwegian as NAV prints them, with the
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
# The columns of a table of counts and their change from last year, as NAV heads them.
COUNT_HEADER = (
    "Antall (participants)",
    "Endring fra i fjor Antall (change from last year)",
    "Endring fra i fjor Prosent (change from last year, %)",
)
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
