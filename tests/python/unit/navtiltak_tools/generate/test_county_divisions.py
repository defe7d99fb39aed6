"""The generator prints each month in the county division in force then, and restates
last year's figures in it as NAV does.

The expectations are read here from the reference seeds themselves (counties.csv,
county_divisions.csv, municipality_moves.csv), not from the generator's catalogue: which
counties a month prints, which 2013 counties a later county holds, and which counties
and regions a municipality left or joined between two months.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import navtiltak_tools.generate as gen
from navtiltak.extract.cli import main as extract_main
from navtiltak.extract.labels import fold
from navtiltak_tools.testing.project_paths import ALIASES, REFERENCE, ROOT

SEED = 7
# Each reform with the month a year before it, and a year inside the 2018 division in
# which Rindal moved from Møre og Romsdal (15) to Trøndelag (50).
MONTHS = ("2016-11", "2017-11", "2018-11", "2019-11", "2020-11", "2023-11", "2024-11")
COUNT, CHANGE = "Antall", "Endring fra i fjor Antall"
GENERATE = [sys.executable, "-m", "navtiltak_tools.generate"]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tools"), str(ROOT)])}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


COUNTIES = read_csv(REFERENCE / "counties.csv")
REGION = {row["county_code"]: row["region_code"] for row in COUNTIES}
AREAS = [
    (row["area_code"], row["area_name"])
    for row in sorted(
        read_csv(REFERENCE / "non_county_areas.csv"), key=lambda r: int(r["sort_order"])
    )
]
REGION.update((code, code) for code, _ in AREAS)


def in_force(month: str) -> list[dict[str, str]]:
    """The counties.csv rows in force on the month's first day, by number."""
    day = f"{month}-01"
    return sorted(
        (r for r in COUNTIES if r["valid_from"] <= day <= (r["valid_to"] or "9999-12-31")),
        key=lambda r: int(r["county_code"]),
    )


def code_of(month: str) -> dict[str, str]:
    """Printed name -> code, in the month's division (names are unique within one)."""
    return {r["county_name"]: r["county_code"] for r in in_force(month)} | {
        name: code for code, name in AREAS
    }


def division_of(month: str) -> str:
    day = f"{month}-01"
    (division,) = [
        r["division_code"]
        for r in read_csv(REFERENCE / "county_divisions.csv")
        if r["valid_from"] <= day <= (r["valid_to"] or "9999-12-31")
    ]
    return division


def moved(earlier: str, later: str, level: str) -> tuple[set[str], set[str]]:
    """The areas (county codes, or region codes) municipalities left and joined after
    ``earlier`` began, up to ``later``'s first day; at region level only moves between
    regions count."""
    left: set[str] = set()
    joined: set[str] = set()
    for move in read_csv(REFERENCE / "municipality_moves.csv"):
        if not f"{earlier}-01" < move["moved_on"] <= f"{later}-01":
            continue
        source, target = move["from_county_code"], move["to_county_code"]
        if level == "region":
            source, target = REGION[source], REGION[target]
        if source != target:
            left.add(source)
            joined.add(target)
    return left, joined


@pytest.fixture(scope="module")
def aliases() -> dict[str, dict[str, str]]:
    by_role: dict[str, dict[str, str]] = defaultdict(dict)
    for row in read_csv(ALIASES):
        by_role[row["label_role"]][fold(row["printed_label"])] = row["canonical_name"]
    return dict(by_role)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MONTHS generated with one seed and extracted."""
    base = tmp_path_factory.mktemp("divisions")
    gen.write_reports(MONTHS, base / "reports", SEED)
    arguments = ["--reports-dir", str(base / "reports"), "--seeds-dir", str(base / "seeds")]
    assert extract_main([*arguments, "--aliases", str(ALIASES)]) == 0
    return base / "seeds"


Figures = dict[tuple[str, str, str, str], int]  # (month, county, group, column) -> value


def read_county_figures(seeds: Path) -> Figures:
    """ "Fylke og hovedgruppe": count and change per month, printed county and group."""
    figures: Figures = {}
    for row in read_csv(seeds / "report_fylke_og_hovedgruppe.csv"):
        if row["column_label"] in (COUNT, CHANGE) and not row["row_label"].startswith("I alt"):
            key = (row["report_month"], row["row_label"], row["sub_heading"], row["column_label"])
            figures[key] = int(row["cell_value"] or 0)
    return figures


@pytest.fixture(scope="module")
def county_figures(seeds: Path) -> Figures:
    return read_county_figures(seeds)


def test_each_month_prints_the_counties_in_force_then(seeds: Path) -> None:
    printed: dict[str, list[str]] = defaultdict(list)
    for row in read_csv(seeds / "report_fylke.csv"):
        if row["column_label"] == COUNT and row["row_label"] != "I alt":
            printed[row["report_month"]].append(row["row_label"])
    expected_sizes = {"2017-11": 19, "2018-11": 18, "2020-11": 11, "2024-11": 15}
    for month in MONTHS:
        counties = [r["county_name"] for r in in_force(month)]
        assert printed[month][: len(counties)] == counties, month
        rest = printed[month][len(counties) :]
        assert rest == [name for _, name in AREAS if name in rest], month  # a zero area may go
        assert "Ukjent" in rest
        assert len(counties) == expected_sizes.get(month, len(counties))
    assert "Trøndelag" not in printed["2017-11"]
    assert {"Sør-Trøndelag", "Nord-Trøndelag"}.isdisjoint(printed["2018-11"])
    assert "Viken" in printed["2020-11"] and "Akershus" not in printed["2020-11"]
    assert "Akershus" in printed["2024-11"] and "Viken" not in printed["2024-11"]


def test_printed_figures_are_the_generators(
    seeds: Path, county_figures: Figures, aliases: dict[str, dict[str, str]]
) -> None:
    cat = gen.default_catalogue()
    measure_index = {name: m for m, (_, name) in enumerate(cat.measures)}
    for month in MONTHS:
        data = gen.finest_grains(month, SEED)
        last = gen.last_year(month, SEED)
        assert data.counties == cat.division(month).counties
        for c, county in enumerate(data.counties):
            for g, group in enumerate(cat.groups):
                now = sum(data.measures[c][g])
                assert county_figures.get((month, county, group, COUNT), 0) == now
                change = county_figures.get((month, county, group, CHANGE), 0)
                assert change == now - last.county_group[c][g], (month, county, group)
    checked = 0
    for row in read_csv(seeds / "report_tiltak_hovedgrupper_og_fylke.csv"):
        label = fold(row["row_label"])
        if label.startswith("i alt") or row["column_label"] == "I alt":
            continue
        data = gen.finest_grains(row["report_month"], SEED)
        c = data.counties.index(row["sub_heading"])
        g = cat.groups.index(row["column_label"])
        m = measure_index[aliases["measure"][label]]
        assert int(row["cell_value"] or 0) == data.measures[c][g][m], row
        checked += 1
    assert checked > 10_000


def test_a_later_county_prints_the_sum_of_the_2013_counties_in_it(tmp_path: Path) -> None:
    """Against the same seed with no reform at all: the 2013 counties valid for ever."""
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    columns = list(COUNTIES[0])
    of_1972 = [
        {**r, "valid_to": ""} for r in COUNTIES if r["valid_from"] == COUNTIES[0]["valid_from"]
    ]
    write_csv(reference / "counties.csv", of_1972, columns)
    moves = reference / "municipality_moves.csv"
    moves.write_text(moves.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    unreformed = gen.load_catalogue(reference)
    codes_2013 = [r["county_code"] for r in of_1972]
    for month in ("2018-11", "2020-11", "2024-11"):
        before = gen.finest_grains(month, SEED, unreformed)
        after = gen.finest_grains(month, SEED)
        assert len(before.counties) == len(codes_2013) + len(AREAS)
        for c, county in enumerate(after.counties):
            code = code_of(month)[county]
            holds = [
                i
                for i, r in enumerate(of_1972)
                if code in (r["county_code"], r["region_code"], r["county_code_2024"])
            ] or [before.counties.index(county)]  # a non-county area is itself
            for grid in ("measures", "ages"):
                summed = [
                    [sum(getattr(before, grid)[i][g][k] for i in holds) for k in range(len(row))]
                    for g, row in enumerate(getattr(after, grid)[c])
                ]
                assert summed == [list(row) for row in getattr(after, grid)[c]], (month, county)


@pytest.mark.parametrize(
    ("later", "level"),
    [
        ("2017-11", "county"),
        ("2018-11", "region"),
        ("2019-11", "county"),
        ("2020-11", "region"),
        ("2024-11", "region"),
    ],
)
def test_last_year_agrees_with_the_earlier_report_but_where_a_municipality_moved(
    county_figures: Figures, later: str, level: str
) -> None:
    """County by county within a division, region by region across a reform; the areas a
    municipality left or joined in between differ (NAV restates them from its records),
    every other one matches exactly, and the country's total always does."""
    earlier = gen.shift_month(later, -12)
    assert (division_of(later) == division_of(earlier)) == (level == "county")
    cat = gen.default_catalogue()

    def area(month: str, county: str) -> str:
        code = code_of(month)[county]
        return code if level == "county" else REGION[code]

    restated: Counter[tuple[str, str]] = Counter()
    printed: Counter[tuple[str, str]] = Counter()
    for (month, county, group, column), value in county_figures.items():
        if month == later:
            sign = 1 if column == COUNT else -1  # last year = count - change
            restated[(area(month, county), group)] += sign * value
        elif month == earlier and column == COUNT:
            printed[(area(month, county), group)] += value
    left, joined = moved(earlier, later, level)
    differences: Counter[str] = Counter()
    for key in restated.keys() | printed.keys():
        difference = restated[key] - printed[key]
        if key[0] in left | joined:
            differences[key[0]] += difference
        else:
            assert difference == 0, (later, level, key)
    for group in cat.groups:
        assert sum(restated[key] for key in restated if key[1] == group) == sum(
            printed[key] for key in printed if key[1] == group
        ), (later, group)
    assert set(differences) == left | joined
    for key, difference in differences.items():
        if key in left - joined:
            assert difference < 0, (later, key)
        elif key in joined - left:
            assert difference > 0, (later, key)
    expected_moves = {
        "2019-11": {"15", "50"},  # Rindal
        "2020-11": {"15", "18", "30", "34", "38", "46", "50", "54"},
    }
    assert left | joined == expected_moves.get(later, set())


def test_a_measure_is_printed_from_its_first_month(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    measures = read_csv(reference / "measures.csv")
    new = {
        "measure_code": "oppfolging.ny",
        "measure_group_code": "oppfolging",
        "measure_name": "Nytt oppfølgingstiltak",
        "measure_name_en": "New follow-up",
        "sort_order": str(len(measures) + 1),
    }
    write_csv(reference / "measures.csv", [*measures, new], list(new))
    aliases = read_csv(reference / "label_aliases.csv")
    canonical = ("measure", new["measure_name"], new["measure_name"], "canonical")
    aliases.append(dict(zip(aliases[0], canonical, strict=True)))
    write_csv(reference / "label_aliases.csv", aliases, list(aliases[0]))

    months = gen.month_range("2014-09", "2015-03")
    reports = tmp_path / "reports"
    command = [*GENERATE, "--months", "2014-09..2015-03", "--out", str(reports)]
    command += ["--seed", str(SEED), "--reference", str(reference)]
    command += ["--measure-from", "oppfolging.ny=2015-01"]
    subprocess.run(command, check=True, cwd=ROOT, env=ENV, capture_output=True)

    catalogue = gen.load_catalogue(reference, measure_first_months={"oppfolging.ny": "2015-01"})
    m = next(i for i, (_, name) in enumerate(catalogue.measures) if name == new["measure_name"])
    for month in months:
        text = gen.report_path(reports, month).read_text(encoding="utf-8")
        assert text == gen.render_report(month, SEED, catalogue)
        data = gen.finest_grains(month, SEED, catalogue)
        participants = sum(county[g][m] for county in data.measures for g in range(3))
        if month < "2015-01":
            assert catalogue.measures_in_force(month)[m] is False
            assert participants == 0 and new["measure_name"] not in text, month
        else:
            assert participants > 0 and f"\n{new['measure_name']}\t" in text, month
    seeds = tmp_path / "seeds"
    arguments = ["--reports-dir", str(reports), "--seeds-dir", str(seeds)]
    assert extract_main([*arguments, "--aliases", str(reference / "label_aliases.csv")]) == 0

    with pytest.raises(ValueError, match=r"no measure oppfolging\.ukjent"):
        gen.load_catalogue(reference, measure_first_months={"oppfolging.ukjent": "2015-01"})


def test_counties_that_do_not_divide_the_2013_counties_are_refused(tmp_path: Path) -> None:
    """Sør-Trøndelag left in force after 2017 would be counted twice, in Trøndelag too."""
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    rows = [
        {**r, "valid_to": ""} if r["county_code"] == "16" else r
        for r in read_csv(reference / "counties.csv")
    ]
    write_csv(reference / "counties.csv", rows, list(rows[0]))
    catalogue = gen.load_catalogue(reference)
    assert catalogue.division("2017-12").counties == gen.default_catalogue().counties
    with pytest.raises(ValueError, match=r"in force in 2018-01 .* do not hold each county"):
        gen.finest_grains("2018-01", SEED, catalogue)


def test_a_county_no_2013_county_lies_in_is_refused(tmp_path: Path) -> None:
    """It would be printed with nobody in it."""
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    rows = read_csv(reference / "counties.csv")
    new = dict.fromkeys(rows[0], "") | {"county_code": "99", "county_name": "Nytt fylke"}
    new |= {"valid_from": "2030-01-01", "region_code": "99"}
    write_csv(reference / "counties.csv", [*rows, new], list(rows[0]))
    catalogue = gen.load_catalogue(reference)
    assert gen.finest_grains("2029-12", SEED, catalogue) == gen.finest_grains("2029-12", SEED)
    with pytest.raises(ValueError, match="no county of the base report lies in 99"):
        gen.render_report("2030-01", SEED, catalogue)


def test_bad_measure_month_arguments_are_refused() -> None:
    for bad in ("oppfolging.mentor", "=2015-01", "oppfolging.mentor=2015-13"):
        result = subprocess.run(
            [*GENERATE, "--months", "2015-01", "--out", "unused", "--measure-from", bad],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 2, bad
        assert "error: expected" in result.stderr, result.stderr


@pytest.fixture(scope="module")
def county_figures_apart(tmp_path_factory: pytest.TempPathFactory) -> Figures:
    """MONTHS generated one at a time into one folder, each with a seed of its own: a
    month's last-year figures can only agree with the report a year before it by being
    read from that report (as from a real one)."""
    base = tmp_path_factory.mktemp("apart")
    for offset, month in enumerate(MONTHS):
        gen.write_reports([month], base / "reports", SEED + 1 + offset)
    arguments = ["--reports-dir", str(base / "reports"), "--seeds-dir", str(base / "seeds")]
    assert extract_main([*arguments, "--aliases", str(ALIASES)]) == 0
    return read_county_figures(base / "seeds")


@pytest.mark.parametrize(
    ("later", "level"),
    [
        ("2017-11", "county"),
        ("2018-11", "region"),
        ("2019-11", "county"),
        ("2020-11", "region"),
        ("2024-11", "region"),
    ],
)
def test_last_year_agrees_with_an_earlier_report_generated_apart(
    county_figures_apart: Figures, later: str, level: str
) -> None:
    test_last_year_agrees_with_the_earlier_report_but_where_a_municipality_moved(
        county_figures_apart, later, level
    )


def test_last_year_is_read_from_the_real_report_beside_it(tmp_path: Path) -> None:
    """Generated into a folder that holds the real November 2013 report, November 2014's
    last-year figures are the real report's, county by county and group by group."""
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy2(ROOT / "reports" / "deltakere-tiltak-fylke-2013-11.txt", reports)
    gen.write_reports(["2014-11"], reports, SEED)
    arguments = ["--reports-dir", str(reports), "--seeds-dir", str(tmp_path / "seeds")]
    assert extract_main([*arguments, "--aliases", str(ALIASES)]) == 0
    restated: Counter[tuple[str, str]] = Counter()
    printed: Counter[tuple[str, str]] = Counter()
    for row in read_csv(tmp_path / "seeds" / "report_fylke_og_hovedgruppe.csv"):
        if row["row_label"].startswith("I alt"):
            continue
        value = int(row["cell_value"] or 0)
        key = (row["row_label"], row["sub_heading"])
        if row["report_month"] == "2014-11" and row["column_label"] in (COUNT, CHANGE):
            restated[key] += value if row["column_label"] == COUNT else -value
        elif row["report_month"] == "2013-11" and row["column_label"] == COUNT:
            printed[key] += value
    assert len(printed) > 50
    assert +restated == +printed
