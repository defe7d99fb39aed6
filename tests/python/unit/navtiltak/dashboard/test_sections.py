"""The dashboard's sections (navtiltak/dashboard/sections/) on small hand-written metric
rows: a stand-in semantic layer answers each query the sections ask with rows written
here, and every figure and table cell expected is worked out by hand from them.

Two months, November 2013 and 2014; sort orders arrive as text, as MetricFlow gives
categorical dimensions ("10" must come after "2"); some combinations are missing and
must show as 0 (bars) or as a gap (the trend's lines)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import pytest

from navtiltak.dashboard.charts import GROUP_DIMENSIONS, MONTH, DashboardData, Section
from navtiltak.dashboard.sections import sections
from navtiltak.dashboard.sections.age import age_section
from navtiltak.dashboard.sections.counties import county_section
from navtiltak.dashboard.sections.headline import headline_section
from navtiltak.dashboard.sections.measures import measure_sections
from navtiltak.dashboard.sections.reconciliation import reconciliation_sections
from navtiltak.dashboard.sections.trend import trend_section
from navtiltak.dashboard.semantic import MetricResult, Row

NOV13 = datetime.date(2013, 11, 1)
NOV14 = datetime.date(2014, 11, 1)
NBSP = "\u00a0"
LATEST = "{{ TimeDimension('metric_time', 'month') }} = '2014-11-01'"

NATIONAL_METRICS = ("participants", "participants_last_year", "change_from_last_year", "change_pct")
COUNT_METRICS = ("participants", "change_from_last_year", "change_pct")
COUNTY = ("county__county_code", "county__county_name", "county__sort_order")
MEASURE = (
    "measure__measure_group_name",
    "measure__measure_group_name_en",
    "measure__measure_name",
    "measure__measure_name_en",
    "measure__sort_order",
)
MEASURE_GROUP = ("measure__measure_group_name", "measure__measure_group_name_en")
SHARES = ("share_jobseekers", "share_reduced_capacity", "share_others")
AGE = ("age_band__age_band_name", "age_band__sort_order")
CHECKS = ("reconciliation_checks",)

JOBSEEKERS = {
    GROUP_DIMENSIONS[0]: "Arbeidssøkere på tiltak",
    GROUP_DIMENSIONS[1]: "Jobseekers on measures",
    GROUP_DIMENSIONS[2]: "1",
}
REDUCED = {
    GROUP_DIMENSIONS[0]: "Nedsatt arbeidsevne, på tiltak",
    GROUP_DIMENSIONS[1]: "Reduced work capacity",
    GROUP_DIMENSIONS[2]: "2",
}
OTHERS = {
    GROUP_DIMENSIONS[0]: "Andre på tiltak",
    GROUP_DIMENSIONS[1]: "Others on measures",
    GROUP_DIMENSIONS[2]: "10",
}
JOBSEEKERS_LABEL = "Arbeidssøkere på tiltak (Jobseekers on measures)"
REDUCED_LABEL = "Nedsatt arbeidsevne, på tiltak (Reduced work capacity)"

REHABILITATION = {MEASURE[0]: "Arbeidsrettet rehabilitering", MEASURE[1]: "Work rehabilitation"}
FOLLOW_UP = {MEASURE[0]: "Oppfølging", MEASURE[1]: "Follow-up"}
REHABILITATION_LABEL = "Arbeidsrettet rehabilitering (Work rehabilitation)"
FOLLOW_UP_LABEL = "Oppfølging (Follow-up)"
SICK_LEAVE_LABEL = "Oppfølging - sykmeldt (Follow-up, on sick leave)"


def measure(group: Row, name: str, name_en: str, order: str) -> Row:
    return {**group, MEASURE[2]: name, MEASURE[3]: name_en, MEASURE[4]: order}


M_REHABILITATION = measure(
    REHABILITATION, "Arbeidsrettet rehabilitering", "Work rehabilitation", "1"
)
M_FOLLOW_UP = measure(FOLLOW_UP, "Oppfølging", "Follow-up", "2")
M_SICK_LEAVE = measure(FOLLOW_UP, "Oppfølging - sykmeldt", "Follow-up, on sick leave", "3")


def checks(month: datetime.date, rule: str, status: str, count: int) -> Row:
    return {
        MONTH: month,
        "reconciliation_check__rule_id": rule,
        "reconciliation_check__status": status,
        "reconciliation_checks": count,
    }


# Every query the sections ask: (metrics, group by) -> the rows the layer answers.
ANSWERS: dict[tuple[tuple[str, ...], tuple[str, ...]], list[Row]] = {
    (NATIONAL_METRICS, (MONTH,)): [
        # Out of order: the months are sorted by the dashboard.
        {
            MONTH: NOV14,
            "participants": 75769,
            "participants_last_year": 71234,
            "change_from_last_year": 4535,
            "change_pct": 6,
        },
        {
            MONTH: NOV13,
            "participants": 71234,
            "participants_last_year": None,
            "change_from_last_year": None,
            "change_pct": None,
        },
    ],
    # 1000 + 54769 + 20000 = 75769; -25 + 1234 + 3326 = 4535.
    (COUNT_METRICS, GROUP_DIMENSIONS): [
        {**OTHERS, "participants": 1000, "change_from_last_year": -25, "change_pct": -2},
        {**REDUCED, "participants": 54769, "change_from_last_year": 1234, "change_pct": 2},
        {**JOBSEEKERS, "participants": 20000, "change_from_last_year": 3326, "change_pct": 20},
    ],
    (("participants",), (MONTH, "county__region_code", "county__region_name")): [
        {
            MONTH: NOV14,
            "county__region_code": "02",
            "county__region_name": "Øst",
            "participants": 31000,
        },
        {
            MONTH: NOV13,
            "county__region_code": "02",
            "county__region_name": "Øst",
            "participants": 30000,
        },
        # Nord has no row in 2013-11.
        {
            MONTH: NOV14,
            "county__region_code": "01",
            "county__region_name": "Nord",
            "participants": 5000,
        },
    ],
    (COUNT_METRICS, COUNTY): [
        {
            COUNTY[0]: "03",
            COUNTY[1]: "Oslo",
            COUNTY[2]: "3",
            "participants": 12345,
            "change_from_last_year": 345,
            "change_pct": 3,
        },
        {
            COUNTY[0]: "01",
            COUNTY[1]: "Østfold",
            COUNTY[2]: "1",
            "participants": 2000,
            "change_from_last_year": None,
            "change_pct": None,
        },
    ],
    # No jobseeker in rehabilitation nor on sick-leave follow-up: those bars are 0.
    (("participants_by_measure",), (*MEASURE, *GROUP_DIMENSIONS)): [
        {**M_SICK_LEAVE, **REDUCED, "participants_by_measure": 50},
        {**M_FOLLOW_UP, **REDUCED, "participants_by_measure": 200},
        {**M_REHABILITATION, **REDUCED, "participants_by_measure": 300},
        {**M_FOLLOW_UP, **JOBSEEKERS, "participants_by_measure": 100},
    ],
    # The groups' sums, as the layer sums them: follow-up 200 + 50 for reduced capacity.
    (("participants_by_measure",), (*MEASURE_GROUP, *GROUP_DIMENSIONS)): [
        {**FOLLOW_UP, **JOBSEEKERS, "participants_by_measure": 100},
        {**FOLLOW_UP, **REDUCED, "participants_by_measure": 250},
        {**REHABILITATION, **REDUCED, "participants_by_measure": 300},
    ],
    # Follow-up: 100 of 350 jobseekers, 250 of 350 reduced capacity. A group that no
    # measure row names (job club) is left out of the chart.
    (SHARES, MEASURE_GROUP): [
        {**FOLLOW_UP, SHARES[0]: 100 / 350, SHARES[1]: 250 / 350, SHARES[2]: 0.0},
        {
            MEASURE[0]: "Jobbklubb",
            MEASURE[1]: "Job club",
            SHARES[0]: 0.5,
            SHARES[1]: 0.5,
            SHARES[2]: 0.0,
        },
        {**REHABILITATION, SHARES[0]: 0.0, SHARES[1]: 1.0, SHARES[2]: 0.0},
    ],
    (("participants_by_age",), (*AGE, *GROUP_DIMENSIONS)): [
        {AGE[0]: "60 år og over", AGE[1]: "10", **JOBSEEKERS, "participants_by_age": 30},
        {AGE[0]: "Under 20 år", AGE[1]: "1", **JOBSEEKERS, "participants_by_age": 10},
        {AGE[0]: "20-24 år", AGE[1]: "2", **REDUCED, "participants_by_age": 40},
        {AGE[0]: "Under 20 år", AGE[1]: "1", **REDUCED, "participants_by_age": 5},
        {AGE[0]: "60 år og over", AGE[1]: "10", **REDUCED, "participants_by_age": 7},
    ],
    (CHECKS, (MONTH, "reconciliation_check__rule_id", "reconciliation_check__status")): [
        checks(NOV13, "table_total", "pass", 40),
        checks(NOV13, "table_total", "not_checkable", 2),
        checks(NOV13, "same_figure", "pass", 10),
        checks(NOV14, "table_total", "pass", 42),
        checks(NOV14, "same_figure", "pass", 9),
        checks(NOV14, "same_figure", "not_checkable", 1),
    ],
    # The same checks summed per month and status: 40 + 10 = 50, 42 + 9 = 51.
    (CHECKS, (MONTH, "reconciliation_check__status")): [
        {MONTH: NOV13, "reconciliation_check__status": "pass", "reconciliation_checks": 50},
        {MONTH: NOV13, "reconciliation_check__status": "not_checkable", "reconciliation_checks": 2},
        {MONTH: NOV14, "reconciliation_check__status": "pass", "reconciliation_checks": 51},
        {MONTH: NOV14, "reconciliation_check__status": "not_checkable", "reconciliation_checks": 1},
    ],
}


class CannedLayer:
    """A semantic layer that answers from ANSWERS and records what was asked."""

    def __init__(self, answers: dict[tuple[tuple[str, ...], tuple[str, ...]], list[Row]]) -> None:
        self.answers = answers
        self.asked: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}

    def query(
        self, metrics: Sequence[str], group_by: Sequence[str], where: Sequence[str] = ()
    ) -> MetricResult:
        key = (tuple(metrics), tuple(group_by))
        self.asked[key] = tuple(where)
        return MetricResult(key[0], key[1], "-- canned", self.answers[key])

    def source_tables(self, metrics: Sequence[str]) -> list[str]:
        return [f"marts.mart_of_{name}" for name in metrics]


@pytest.fixture
def layer() -> CannedLayer:
    return CannedLayer(ANSWERS)


@pytest.fixture
def data(layer: CannedLayer) -> DashboardData:
    return DashboardData(layer)


def texts(section: Section) -> list[list[str]]:
    assert section.table is not None
    return [[cell.text for cell in row] for row in section.table.rows]


def count(text: str) -> str:
    """'75 769' with the no-break space NAV prints between thousands."""
    return text.replace(" ", NBSP)


def traces(section: Section) -> list[tuple[str, list[object], list[object]]]:
    assert section.figure is not None
    return [(trace.name, list(trace.x), list(trace.y)) for trace in section.figure.data]


def test_the_months_are_sorted_and_the_latest_is_the_last(data: DashboardData) -> None:
    assert data.months == [NOV13, NOV14]
    assert data.latest == NOV14


def test_a_warehouse_without_months_is_refused() -> None:
    with pytest.raises(ValueError, match="no month"):
        DashboardData(CannedLayer({(NATIONAL_METRICS, (MONTH,)): []}))


def test_headline(data: DashboardData, layer: CannedLayer) -> None:
    section = headline_section(data)
    assert section.title == "Siste måned (latest month): 2014-11"
    assert [(h.key, h.value) for h in section.headlines] == [
        ("total", count("75 769")),
        ("change", count("4 535")),
        ("change_pct", "6 %"),
        ("last_year", count("71 234")),
    ]
    # The groups in their sort order 1, 2, 10 (not "1", "10", "2").
    assert texts(section) == [
        [JOBSEEKERS_LABEL, count("20 000"), count("3 326"), "20"],
        [REDUCED_LABEL, count("54 769"), count("1 234"), "2"],
        ["Andre på tiltak (Others on measures)", count("1 000"), "-25", "-2"],
    ]
    assert layer.asked[(COUNT_METRICS, GROUP_DIMENSIONS)] == (LATEST,)
    assert section.sources == [f"marts.mart_of_{name}" for name in NATIONAL_METRICS]


def test_trend(data: DashboardData) -> None:
    section = trend_section(data)
    months = ["2013-11", "2014-11"]
    # The country first, then the regions by code; a month a region lacks is a gap.
    assert traces(section) == [
        ("Hele landet (whole country)", months, [71234, 75769]),
        ("Nord", months, [None, 5000]),
        ("Øst", months, [30000, 31000]),
    ]


def test_counties(data: DashboardData, layer: CannedLayer) -> None:
    section = county_section(data)
    assert section.title == "Fylke (county), 2014-11"
    assert texts(section) == [
        ["Østfold", count("2 000"), "", ""],
        ["Oslo", count("12 345"), "345", "3"],
    ]
    assert section.table is not None
    first = section.table.rows[0]
    assert [cell.numeric for cell in first] == [False, True, True, True]
    assert first[1].attributes == {"data-county": "01", "data-metric": "participants"}
    assert first[3].attributes == {"data-county": "01", "data-metric": "change_pct"}
    assert layer.asked[(COUNT_METRICS, COUNTY)] == (LATEST,)


def test_measure_groups_shares_and_measures(data: DashboardData) -> None:
    groups, shares, measures = measure_sections(data)
    assert [groups.key, shares.key, measures.key] == ["measure-groups", "shares", "measures"]
    group_labels = [REHABILITATION_LABEL, FOLLOW_UP_LABEL]
    assert traces(groups) == [
        (JOBSEEKERS_LABEL, [0, 100], group_labels),
        (REDUCED_LABEL, [300, 250], group_labels),
    ]
    measure_labels = [REHABILITATION_LABEL, FOLLOW_UP_LABEL, SICK_LEAVE_LABEL]
    assert traces(measures) == [
        (JOBSEEKERS_LABEL, [0, 100, 0], measure_labels),
        (REDUCED_LABEL, [300, 200, 50], measure_labels),
    ]
    # The shares in the measure groups' order; job club, which no measure names, is left out.
    assert traces(shares) == [
        ("Arbeidssøkere på tiltak (Jobseekers on measures)", [0.0, 100 / 350], group_labels),
        ("Nedsatt arbeidsevne, på tiltak (Reduced work capacity)", [1.0, 250 / 350], group_labels),
        ("Andre på tiltak (Others on measures)", [0.0, 0.0], group_labels),
    ]


def test_age(data: DashboardData, layer: CannedLayer) -> None:
    section = age_section(data)
    bands = ["Under 20 år", "20-24 år", "60 år og over"]
    assert traces(section) == [
        (JOBSEEKERS_LABEL, bands, [10, 0, 30]),
        (REDUCED_LABEL, bands, [5, 40, 7]),
    ]
    assert layer.asked[(("participants_by_age",), (*AGE, *GROUP_DIMENSIONS))] == (LATEST,)


def test_reconciliation(data: DashboardData, layer: CannedLayer) -> None:
    per_month, per_rule = reconciliation_sections(data)
    months = ["2013-11", "2014-11"]
    assert traces(per_month) == [
        ("Stemmer (pass)", months, [50, 51]),
        ("Kan ikke kontrolleres (not checkable)", months, [2, 1]),
        ("Stemmer ikke (fail)", months, [0, 0]),
    ]
    assert texts(per_rule) == [
        ["2013-11", "same_figure", "10", "0", "0"],
        ["2013-11", "table_total", "40", "2", "0"],
        ["2014-11", "same_figure", "9", "1", "0"],
        ["2014-11", "table_total", "42", "0", "0"],
    ]
    assert per_rule.table is not None
    # Only a status that has checks is marked for the browser test to find.
    assert [cell.attributes for cell in per_rule.table.rows[1][2:]] == [
        {"data-status": "pass"},
        {"data-status": "not_checkable"},
        {},
    ]
    # Every month, not only the latest.
    assert layer.asked[(CHECKS, (MONTH, "reconciliation_check__status"))] == ()


def test_every_section_in_order(data: DashboardData) -> None:
    assert [section.key for section in sections(data)] == [
        "headline",
        "trend",
        "counties",
        "measure-groups",
        "shares",
        "measures",
        "age",
        "reconciliation",
        "reconciliation-rules",
    ]
