"""NAV's history: reports printed in every county division since 2013, built into one
warehouse.

The November 2013 report and generated reports of a month before and after each reform
(2018: Trøndelag; 2020: the regional reform; 2024: the splits), plus a year inside the
2018 division in which Rindal moved from Møre og Romsdal to Trøndelag. The generator's
numbers are the expectation, under the county each report prints; the divisions,
regions and municipality moves are read from the reference seeds here, not from the
warehouse or the generator. A report that prints a county not in force in its month
stops the build, naming file and line.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest
from generated_series import area_codes, build_months, codes, counties_in_force, read_csv

from navtiltak_tools.generate import (
    default_catalogue,
    finest_grains,
    last_year,
    render_report,
    report_path,
    shift_month,
)
from navtiltak_tools.testing.project_paths import REAL_REPORT
from navtiltak_tools.testing.warehouse_fixtures import BUILD_DB, copy_project

CATALOGUE = default_catalogue()
GROUPS = CATALOGUE.groups
SEED = 7
MONTHS = ("2016-11", "2017-11", "2018-11", "2019-11", "2020-11", "2023-11", "2024-11")
# The month pairs twelve months apart, and whether they print the same division.
PAIRS = {
    "2017-11": "county",
    "2018-11": "region",
    "2019-11": "county",
    "2020-11": "region",
    "2024-11": "region",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("reforms") / "project")
    build = build_months(project, dict.fromkeys(MONTHS, SEED), keep=[REAL_REPORT])
    assert build.returncode == 0, f"the build failed: {build.failed}\n{build.output[-3000:]}"
    return project


@pytest.fixture(scope="module")
def database(project: Path) -> Path:
    return project / BUILD_DB


@pytest.fixture(scope="module")
def reference(project: Path) -> Path:
    return project / "seeds" / "reference"


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.sql(sql).fetchall()


def regions(reference: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Area code -> its region's code, and region code -> region name (counties.csv;
    a non-county area is its own region)."""
    counties = read_csv(reference / "counties.csv")
    region = {row["county_code"]: row["region_code"] for row in counties}
    name = {row["county_code"]: row["county_name"] for row in counties}
    for area, area_name in codes(reference, "non_county_areas", "area_code", "area_name").items():
        region[area], name[area] = area, area_name
    return region, {code: name[code] for code in set(region.values())}


def moved_areas(reference: Path, earlier: str, later: str, level: str) -> set[str]:
    """The counties (or regions) a municipality left or joined between two months."""
    region, _ = regions(reference)
    areas: set[str] = set()
    for move in read_csv(reference / "municipality_moves.csv"):
        if f"{earlier}-01" < move["moved_on"] <= f"{later}-01":
            pair = {move["from_county_code"], move["to_county_code"]}
            if level == "region":
                pair = {region[code] for code in pair}
            areas |= pair if len(pair) == 2 else set()
    return areas


# ---------------------------------------------------------------------------------------


def test_every_month_is_loaded(database: Path) -> None:
    months = [
        row[0].isoformat()[:7] for row in query(database, "select month from marts.dim_month")
    ]
    assert sorted(months) == ["2013-11", *MONTHS]


def test_facts_carry_the_county_codes_of_each_months_division(
    database: Path, reference: Path
) -> None:
    printed: dict[str, set[str]] = defaultdict(set)
    for month, county in query(
        database, "select distinct month, county_code from marts.fct_participants_change"
    ):
        printed[month.isoformat()[:7]].add(county)
    for month in MONTHS:
        counties = {row["county_code"] for row in counties_in_force(reference, month)}
        assert counties <= printed[month] <= counties | {"OVR", "UKJ"}, month
    assert {"01", "02", "06", "16", "17"} <= printed["2017-11"]
    assert "50" in printed["2018-11"] and not {"16", "17"} & printed["2018-11"]
    assert {"30", "34", "38", "54"} <= printed["2020-11"] and "02" not in printed["2020-11"]
    assert {"31", "32", "33", "39", "40", "55", "56"} <= printed["2024-11"]
    assert not {"02", "30", "38", "54"} & printed["2024-11"]


def test_facts_hold_the_generated_numbers_under_the_printed_county(
    database: Path, reference: Path
) -> None:
    group = codes(
        reference, "participant_groups", "participant_group_name", "participant_group_code"
    )
    age = [
        codes(reference, "age_bands", "age_band_name", "age_band_code")[a]
        for a in CATALOGUE.age_bands
    ]
    group_code = codes(reference, "measure_groups", "measure_group_name", "measure_group_code")
    measure_code = {
        (row["measure_group_code"], row["measure_name"]): row["measure_code"]
        for row in read_csv(reference / "measures.csv")
    }
    measure = [
        measure_code[(group_code[CATALOGUE.measure_groups[k][0]], name)]
        for k, name in CATALOGUE.measures
    ]

    by_measure = {
        (m.isoformat()[:7], c, g, x): n
        for m, c, g, x, n in query(database, "select * from marts.fct_participants_by_measure")
    }
    by_age = {
        (m.isoformat()[:7], c, g, a): n
        for m, c, g, a, n in query(database, "select * from marts.fct_participants_by_age")
    }
    change = {
        (m.isoformat()[:7], c, g): (n, last)
        for m, c, g, n, last in query(
            database,
            "select month, county_code, participant_group_code, participants,"
            " participants_last_year from marts.fct_participants_change",
        )
    }
    for month in MONTHS:
        data = finest_grains(month, SEED)
        restated = last_year(month, SEED)
        county = area_codes(reference, month)
        for c, name in enumerate(data.counties):
            for g, group_name in enumerate(GROUPS):
                key = (month, county[name], group[group_name])
                for m, code in enumerate(measure):
                    assert by_measure.get((*key, code), 0) == data.measures[c][g][m], (key, code)
                for a, band in enumerate(age):
                    assert by_age.get((*key, band), 0) == data.ages[c][g][a], (key, band)
                now, last = sum(data.measures[c][g]), restated.county_group[c][g]
                if now or last:
                    assert change[key] == (now, last), key


def test_regions_sum_to_the_same_area_in_every_month(database: Path, reference: Path) -> None:
    """Summed by dim_county.region_name, every fact gives each region's exact total."""
    region, region_name = regions(reference)
    expected: Counter[tuple[str, str]] = Counter()
    for month in MONTHS:
        data = finest_grains(month, SEED)
        county = area_codes(reference, month)
        for c, name in enumerate(data.counties):
            expected[(month, region_name[region[county[name]]])] += sum(map(sum, data.measures[c]))
    for fact in (
        "fct_participants_by_measure",
        "fct_participants_by_age",
        "fct_participants_change",
    ):
        rows = query(
            database,
            f"""
            select f.month, c.region_name, sum(f.participants)
            from marts.{fact} as f
            inner join marts.dim_county as c on f.county_code = c.county_code
            where f.month > date '2013-11-01'
            group by f.month, c.region_name
            """,
        )
        assert Counter({(m.isoformat()[:7], name): n for m, name, n in rows}) == expected, fact
    # One series across the reforms: Trøndelag before 2018 is Sør- and Nord-Trøndelag,
    # Viken after 2023 is Østfold, Akershus and Buskerud.
    for month in MONTHS:
        assert expected[(month, "Trøndelag")] > 0 and expected[(month, "Viken")] > 0


SCOPE = re.compile(
    r"participants of (?P<earlier>\d{4}-\d{2})-01; (?P<level>county|region)_code=(?P<area>\w+); "
    r"participant_group_code=(?P<group>\w+); age_band_code=(?P<age>\w+); "
    r"measure_node=(?P<measure>\S+)"
)


@pytest.fixture(scope="module")
def cross_month(database: Path) -> list[dict[str, object]]:
    rows = query(
        database,
        """
        select month, scope, expected, observed, difference, status
        from marts.fct_reconciliation_checks
        where rule_id = 'last_year_matches_earlier_report'
        """,
    )
    checks = []
    for month, scope, expected, observed, difference, status in rows:
        match = SCOPE.fullmatch(scope)
        assert match, scope
        checks.append(
            {
                "month": month.isoformat()[:7],
                **match.groupdict(),
                "expected": expected,
                "observed": observed,
                "difference": difference,
                "status": status,
            }
        )
    return checks


def test_cross_month_rule_compares_county_by_county_or_region_by_region(
    cross_month: list[dict[str, object]],
) -> None:
    assert not [check for check in cross_month if check["status"] == "fail"]
    levels = {(check["month"], check["earlier"], check["level"]) for check in cross_month}
    assert levels == {(month, shift_month(month, -12), level) for month, level in PAIRS.items()}


def test_cross_month_rule_passes_exactly_where_no_municipality_moved(
    cross_month: list[dict[str, object]], reference: Path
) -> None:
    """Every area untouched by a move passes; every touched one is not checkable, with
    the generator's restated last year against the earlier report's counts: a non-zero
    difference where a municipality left or joined (Innlandet lost Jevnaker and Lunner to
    Viken in 2020; Møre og Romsdal lost Rindal to Trøndelag in 2019)."""
    region, _ = regions(reference)
    statuses: dict[tuple[str, str], set[str]] = defaultdict(set)
    totals: dict[tuple[str, str], dict[str, object]] = {}  # all groups, ages and measures
    for check in cross_month:
        month, area = str(check["month"]), str(check["area"])
        moved = moved_areas(reference, str(check["earlier"]), month, PAIRS[month])
        statuses[(month, area)].add(str(check["status"]))
        assert check["status"] == ("not_checkable" if area in moved else "pass"), check
        if (check["group"], check["age"], check["measure"]) == ("total", "total", "total"):
            totals[(month, area)] = check

    def passed(month: str) -> set[str]:
        return {area for (m, area), status in statuses.items() if m == month and status == {"pass"}}

    for month, level in PAIRS.items():
        earlier = shift_month(month, -12)
        moved = moved_areas(reference, earlier, month, level)
        data, restated = finest_grains(earlier, SEED), last_year(month, SEED)
        later_codes, earlier_codes = area_codes(reference, month), area_codes(reference, earlier)
        key = (lambda code: code) if level == "county" else (lambda code: region[code])
        observed: Counter[str] = Counter()
        expected: Counter[str] = Counter()
        for c, name in enumerate(finest_grains(month, SEED).counties):
            observed[key(later_codes[name])] += restated.county[c]
        for c, name in enumerate(data.counties):
            expected[key(earlier_codes[name])] += sum(map(sum, data.measures[c]))
        expected["total"], observed["total"] = expected.total(), restated.total
        for area in observed | expected:
            check = totals[(month, area)]
            assert (check["expected"], check["observed"]) == (expected[area], observed[area])
        assert passed(month) == set(observed) - moved, month
    assert {"03", "11", "42"} <= passed("2020-11")
    assert {"30", "38", "54", "50"} <= passed("2024-11")
    assert "50" in passed("2018-11")
    for month, area in (("2020-11", "34"), ("2020-11", "30"), ("2019-11", "15"), ("2019-11", "50")):
        assert totals[(month, area)]["status"] == "not_checkable"
        assert totals[(month, area)]["difference"] != 0, (month, area)


def test_a_county_not_in_force_in_the_reports_month_stops_the_build(tmp_path: Path) -> None:
    """A 2021 report that prints "Akershus" (02 until 2019, 32 from 2024) for Viken."""
    month = "2021-11"
    misprinted = report_path(tmp_path, month)
    misprinted.write_text(render_report(month, SEED).replace("Viken", "Akershus"), "utf-8")
    lines = misprinted.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines, start=1) if line.startswith("Akershus\t"))
    project = copy_project(tmp_path / "project")
    build = build_months(project, {}, keep=[misprinted])
    assert build.returncode != 0
    assert f"reports/{misprinted.name}:{first} " in build.output, build.output[-3000:]
    assert f"county 'Akershus' was not a county in {month}" in build.output
