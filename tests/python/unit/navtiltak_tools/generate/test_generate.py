"""The synthetic report generator: its reports extract cleanly and hold exactly its numbers.

The expected numbers are aggregated here from the generator's finest grains (F1: county x
group x measure, F2: county x group x age band), independently of how the generator prints
them; the extracted seeds are then compared cell by cell, both ways.
"""

from __future__ import annotations

import csv
import itertools
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import navtiltak_tools.generate as gen
from navtiltak.extract.cli import main as extract_main
from navtiltak.extract.labels import fold, load_known_labels
from navtiltak.extract.layout import REPORT_TITLE, read_layout
from navtiltak.extract.tables import read_report
from navtiltak_tools.testing.project_paths import (
    ALIASES,
    REAL_REPORT,
    REFERENCE,
    REPORT_TABLES,
    ROOT,
)

CAT = gen.default_catalogue()

SEED = 11
# Two months twelve months apart (the later one's change is checkable from the seeds alone),
# and one more.
MONTHS = ("2014-02", "2015-02", "2016-09")
TOTAL = "TOTAL"
SPECS = {spec.seed_name: spec for spec in read_layout(REPORT_TABLES)}
METRICS = ("Antall", "Endring fra i fjor Antall", "Endring fra i fjor Prosent")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Reports for MONTHS written by the generator, and the seeds the extractor makes of them."""
    base = tmp_path_factory.mktemp("generated")
    reports, seeds = base / "reports", base / "seeds"
    paths = gen.write_reports(MONTHS, reports, SEED)
    assert [p.name for p in paths] == [f"deltakere-tiltak-fylke-{m}.txt" for m in MONTHS]
    code = extract_main(
        ["--reports-dir", str(reports), "--seeds-dir", str(seeds), "--aliases", str(ALIASES)]
    )
    assert code == 0, "the extractor rejected a generated report"
    return reports, seeds


@pytest.fixture(scope="module")
def aliases() -> dict[str, dict[str, str]]:
    """Folded printed label -> canonical name, per label role."""
    by_role: dict[str, dict[str, str]] = defaultdict(dict)
    for row in read_csv(ALIASES):
        by_role[row["label_role"]][fold(row["printed_label"])] = row["canonical_name"]
    return dict(by_role)


Key = tuple[str, str, str, str]  # month, sub-heading, row, column (canonical)
Cells = dict[str, dict[Key, tuple[str, int | None]]]  # seed name -> key -> (status, value)


@pytest.fixture(scope="module")
def cells(extracted: tuple[Path, Path], aliases: dict[str, dict[str, str]]) -> Cells:
    """Every extracted cell under canonical labels; ``TOTAL`` for a table's own total."""
    _, seeds = extracted
    result: Cells = {}
    for name, spec in SPECS.items():
        table: dict[Key, tuple[str, int | None]] = {}
        for row in read_csv(seeds / f"{name}.csv"):
            sub = row["sub_heading"]
            if spec.subheading_role:
                sub = aliases[spec.subheading_role][fold(sub)]
            key = (
                row["report_month"],
                sub,
                canonical_row(row["row_label"], row["sub_heading"], spec.row_role, aliases),
                canonical_column(row["column_label"], spec.column_role, aliases),
            )
            assert key not in table, f"{name}: {key} printed twice"
            value = int(row["cell_value"]) if row["cell_value"] else None
            table[key] = (row["cell_status"], value)
        result[name] = table
    return result


def canonical_row(label: str, sub: str, role: str, aliases: dict[str, dict[str, str]]) -> str:
    folded = fold(label)
    if folded in ("i alt", fold(f"I alt {sub}")):
        return TOTAL
    if folded.startswith("i alt "):  # a measure-group sub-total
        return "mg:" + aliases["measure_group"][folded.removeprefix("i alt ")]
    return aliases[role][folded]


def canonical_column(label: str, role: str, aliases: dict[str, dict[str, str]]) -> str:
    return TOTAL if fold(label) == "i alt" else aliases[role][fold(label)]


# ---------------------------------------------------------------------------------------------
# The expected numbers, aggregated from the finest grains


def aggregate(month: str) -> Counter[tuple[object, ...]]:
    """Every margin of one month: keys (county, group, measure level, age), None = all."""
    data = gen.finest_grains(month, SEED)
    sums: Counter[tuple[object, ...]] = Counter()
    for c, county in enumerate(data.measures):
        for g, row in enumerate(county):
            for m, value in enumerate(row):
                mgroup = CAT.measures[m][0]
                for cc in (c, None):
                    for gg in (g, None):
                        for level in (("m", m), ("mg", mgroup), None):
                            sums[(cc, gg, level, None)] += value
    age_sums: Counter[tuple[object, ...]] = Counter()
    for c, county in enumerate(data.ages):
        for g, row in enumerate(county):
            for a, value in enumerate(row):
                for cc in (c, None):
                    for gg in (g, None):
                        age_sums[(cc, gg, None, a)] += value
                        age_sums[(cc, gg, None, None)] += value
    for key, value in age_sums.items():
        if key[3] is None:  # F1 and F2 agree on every county x group margin
            assert sums[key] == value, f"F1 and F2 disagree at {key} in {month}"
        sums[key] = value
    return sums


def percent(change: int, last_year: int) -> int | None:
    if last_year == 0:
        return None
    exact = Decimal(100 * change) / Decimal(last_year)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))  # half away from zero


class Expected:
    """The number every printable cell must hold, from the generator's finest grains."""

    def __init__(self) -> None:
        self.sums: dict[str, Counter[tuple[object, ...]]] = {}
        self.index = {
            "county": {name: i for i, name in enumerate(CAT.counties)},
            "participant_group": {name: i for i, name in enumerate(CAT.groups)},
            "age_band": {name: i for i, name in enumerate(CAT.age_bands)},
            "measure_group": {name: i for i, (name, _) in enumerate(CAT.measure_groups)},
            "measure": {name: i for i, (_, name) in enumerate(CAT.measures)},
        }

    def margins(self, month: str) -> Counter[tuple[object, ...]]:
        if month not in self.sums:
            self.sums[month] = aggregate(month)
        return self.sums[month]

    def value(self, seed_name: str, key: Key) -> int | None:
        month, sub, row, column = key
        spec = SPECS[seed_name]
        where: dict[str, object] = {}
        for role, label in (
            (spec.subheading_role, sub),
            (spec.row_role, row),
            (spec.column_role, column),
        ):
            if role is None or label == TOTAL:
                continue
            if label.startswith("mg:"):
                role, label = "measure_group", label[3:]
            if role != "metric":
                where[role] = self.index[role][label]
        if "measure" in where:
            level: object = ("m", where["measure"])
        elif "measure_group" in where:
            level = ("mg", where["measure_group"])
        else:
            level = None
        margin = (where.get("county"), where.get("participant_group"), level, where.get("age_band"))
        now = self.margins(month)[margin]
        if spec.column_role != "metric" or column == METRICS[0]:
            return now
        last_year = self.margins(gen.shift_month(month, -12))[margin]
        if column == METRICS[1]:
            return now - last_year
        return percent(now - last_year, last_year)

    def keys(self, seed_name: str, month: str) -> list[Key]:
        """Every cell the table could print, over the full dimensions."""
        spec = SPECS[seed_name]
        names = {
            "county": list(CAT.counties),
            "participant_group": list(CAT.groups),
            "age_band": list(CAT.age_bands),
            "measure_group": [name for name, _ in CAT.measure_groups],
            "metric": list(METRICS),
        }
        subs = names[spec.subheading_role] if spec.subheading_role else [""]
        if spec.row_role == "measure":
            rows = [TOTAL, *(name for _, name in CAT.measures)]
            rows += [f"mg:{name}" for name in names["measure_group"]]
        else:
            rows = [TOTAL, *names[spec.row_role]]
        columns = names[spec.column_role]
        if spec.column_role != "metric":
            columns = [TOTAL, *columns]
        return [(month, s, r, c) for s in subs for r in rows for c in columns]


@pytest.fixture(scope="module")
def expected() -> Expected:
    return Expected()


# ---------------------------------------------------------------------------------------------
# Round trip: the seeds hold exactly the generator's numbers


def test_every_printed_cell_is_the_generators_number(cells: Cells, expected: Expected) -> None:
    checked = 0
    for name, table in cells.items():
        for key, (status, value) in table.items():
            want = expected.value(name, key)
            column = key[3]
            if status == "printed":
                assert value == want, f"{name} {key}: printed {value}, expected {want}"
                if column != METRICS[1] and column != METRICS[2]:
                    assert value != 0, f"{name} {key}: a count cell printed 0"
            else:
                assert status == "blank", f"{name} {key}: {status}"
                if column == METRICS[2]:
                    assert want is None, f"{name} {key}: percent blank, expected {want}"
                else:
                    assert column != METRICS[1], f"{name} {key}: change printed blank"
                    assert want == 0, f"{name} {key}: blank, expected {want}"
            checked += 1
    assert checked > 10_000


def test_every_nonzero_number_is_printed(cells: Cells, expected: Expected) -> None:
    for name, table in cells.items():
        for month in MONTHS:
            for key in expected.keys(name, month):
                want = expected.value(name, key)
                if want not in (0, None):
                    assert key in table, f"{name} {key}: {want} is not printed"


def test_change_is_count_minus_count_twelve_months_earlier(cells: Cells) -> None:
    earlier, later = "2014-02", "2015-02"
    for name in ("report_hovedgrupper", "report_fylke", "report_fylke_og_hovedgruppe"):
        table = cells[name]
        counts = {k[1:3]: v for k, (_, v) in table.items() if k[0] == earlier and k[3] == "Antall"}
        for (month, sub, row, column), (_, value) in table.items():
            if month != later or column != METRICS[1]:
                continue
            now = table.get((month, sub, row, "Antall"), ("blank", None))[1] or 0
            assert value == now - (counts.get((sub, row)) or 0), f"{name} {sub} {row}"


# ---------------------------------------------------------------------------------------------
# Totals reconcile, from the seeds alone


def amount(table: dict[Key, tuple[str, int | None]], key: Key) -> int:
    return table.get(key, ("blank", None))[1] or 0


def test_parts_sum_to_their_totals(cells: Cells) -> None:
    group_of = {name: mg for _, (mg, names) in enumerate(CAT.measure_groups) for name in names}
    for name, table in cells.items():
        sums: Counter[tuple[str, str, str, str]] = Counter()
        for (month, sub, row, column), (_, value) in table.items():
            if column == METRICS[2] or row == TOTAL or row.startswith("mg:"):
                continue
            sums[(month, sub, TOTAL, column)] += value or 0
            if row in group_of:
                sums[(month, sub, f"mg:{group_of[row]}", column)] += value or 0
        for key, (_, value) in table.items():
            if key[3] != METRICS[2] and (key[2] == TOTAL or key[2].startswith("mg:")):
                assert (value or 0) == sums[key], f"{name} {key}: {value} != {sums[key]}"
        if SPECS[name].column_role != "metric":  # columns sum to the I alt column
            rows: Counter[tuple[str, str, str]] = Counter()
            for (month, sub, row, column), (_, value) in table.items():
                rows[(month, sub, row)] += (value or 0) * (-1 if column == TOTAL else 1)
            assert not any(rows.values()), f"{name}: rows whose columns miss the I alt"


def test_margins_agree_across_tables(cells: Cells) -> None:
    for month in MONTHS:
        for county in CAT.counties:
            fylke = amount(cells["report_fylke"], (month, "", county, "Antall"))
            by_group = sum(
                amount(cells["report_fylke_og_hovedgruppe"], (month, group, county, "Antall"))
                for group in CAT.groups
            )
            alder = amount(cells["report_fylke_og_alder"], (month, "", county, TOTAL))
            tiltak = amount(cells["report_fylke_og_tiltak"], (month, "", county, TOTAL))
            section = amount(
                cells["report_tiltak_hovedgrupper_og_fylke"], (month, county, TOTAL, TOTAL)
            )
            assert fylke == by_group == alder == tiltak == section, (month, county)
        national = cells["report_tiltak_og_hovedgrupper"]
        per_county = cells["report_tiltak_hovedgrupper_og_fylke"]
        for _, measure in CAT.measures:
            for column in (TOTAL, *CAT.groups):
                summed = sum(
                    amount(per_county, (month, county, measure, column)) for county in CAT.counties
                )
                assert amount(national, (month, "", measure, column)) == summed


def test_percent_follows_its_formula(cells: Cells) -> None:
    for name in ("report_hovedgrupper", "report_fylke", "report_fylke_og_hovedgruppe"):
        table = cells[name]
        for (month, sub, row, column), (_, value) in table.items():
            if column != METRICS[2]:
                continue
            count = amount(table, (month, sub, row, METRICS[0]))
            change = amount(table, (month, sub, row, METRICS[1]))
            assert value == percent(change, count - change), (name, month, sub, row)


# ---------------------------------------------------------------------------------------------
# The generator's own properties


def test_reference_names_agree_with_the_reference_seeds() -> None:
    # The base areas: the counties in force in November 2013, by number, then the others.
    counties = [
        r["county_name"]
        for r in sorted(read_csv(REFERENCE / "counties.csv"), key=lambda r: r["county_code"])
        if r["valid_from"] <= "2013-11-01" and (r["valid_to"] or "9999") >= "2013-11-01"
    ]
    counties += [r["area_name"] for r in read_csv(REFERENCE / "non_county_areas.csv")]
    assert len(counties) == 21
    assert list(CAT.counties) == counties
    groups = [r["participant_group_name"] for r in read_csv(REFERENCE / "participant_groups.csv")]
    assert list(CAT.groups) == groups
    assert list(CAT.age_bands) == [
        r["age_band_name"] for r in read_csv(REFERENCE / "age_bands.csv")
    ]
    mgroups = read_csv(REFERENCE / "measure_groups.csv")
    names = {r["measure_group_code"]: r["measure_group_name"] for r in mgroups}
    measures = [
        (names[r["measure_group_code"]], r["measure_name"])
        for r in read_csv(REFERENCE / "measures.csv")
    ]
    assert [(CAT.measure_groups[g][0], m) for g, m in CAT.measures] == measures
    misspelt: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in read_csv(ALIASES):
        if row["alias_reason"] == "misspelling":
            misspelt[(row["label_role"], row["canonical_name"])].append(row["printed_label"])
    assert {k: list(v) for k, v in CAT.misspellings.items()} == dict(misspelt)


def test_base_numbers_are_the_november_2013_report() -> None:
    """The totals the analysts' guide's cookbook shows for November 2013, by participant group."""
    by_group = [sum(base[g] for base in CAT.national_base) for g in range(len(CAT.groups))]
    assert by_group == [18032, 55372, 2365]
    # Every area's participants, Øvrige områder's (1, 1, 0) raised to 1.5 each (below).
    assert [sum(area[g] for area in CAT.county_base) for g in range(3)] == [18032.5, 55372.5, 2365]
    assert [sum(ages) for ages in CAT.age_base] == [18032, 55372, 2365]
    # Øvrige områder prints (1, 1, 0): raised to the floor, its missing group kept missing.
    assert CAT.county_base[CAT.counties.index("Øvrige områder")] == (1.5, 1.5, 0.0)
    assert CAT.absent(CAT.counties.index("Øvrige områder"), CAT.groups.index("Andre på tiltak"))
    assert CAT.note_text.startswith('"Om statistikken')


def test_column_sets_follow_the_real_report(aliases: dict[str, dict[str, str]]) -> None:
    """Each group's "Fylke, tiltak og hovedgrupper" prints the measure groups it does in
    November 2013, and leaves out only measure groups that are structurally zero for it."""
    real = read_report(REAL_REPORT, load_known_labels(ALIASES), read_layout(REPORT_TABLES))
    sections = [t for t in real.tables if t.spec.name == "Fylke, tiltak og hovedgrupper"]
    assert len(sections) == len(CAT.groups)
    for table in sections:
        g = CAT.groups.index(table.sub_heading or "")
        printed = [aliases["measure_group"][fold(label)] for label in table.header[1:]]
        assert printed == [CAT.measure_groups[k][0] for k in CAT.group_columns[g]]
        for m, (k, _) in enumerate(CAT.measures):
            if k not in CAT.group_columns[g]:
                assert all(CAT.is_structural_zero(c, g, m) for c in range(len(CAT.counties)))


def test_finest_grains_are_consistent_and_structural_zeros_hold() -> None:
    data = gen.finest_grains("2019-06", 5)  # the 2018 division: Trøndelag is one county
    areas = CAT.division("2019-06")
    assert data.counties == areas.counties
    others, ovrige = CAT.groups.index("Andre på tiltak"), data.counties.index("Øvrige områder")
    adapted = next(
        i for i, (name, _) in enumerate(CAT.measure_groups) if name == "Tilrettelagt arbeid"
    )
    for c, county in enumerate(data.measures):
        for g, row in enumerate(county):
            assert sum(row) == sum(data.ages[c][g])
            for m, value in enumerate(row):
                if CAT.national_base[m][g] == 0 or areas.absent(c, g):
                    assert value == 0
            if g == others:
                assert all(v == 0 for m, v in enumerate(row) if CAT.measures[m][0] == adapted)
    assert sum(data.measures[ovrige][others]) == 0
    ukjent = sum(map(sum, data.measures[data.counties.index("Ukjent")]))
    total = sum(sum(map(sum, county)) for county in data.measures)
    assert 0 < ukjent < total / 200
    zero_cells = sum(v == 0 for county in data.measures for row in county for v in row)
    assert zero_cells > 0


def test_same_seed_and_month_give_byte_identical_reports(tmp_path: Path) -> None:
    months = "2014-02,2015-02"
    written = gen.write_reports(gen.parse_months(months), tmp_path / "a", 4)
    trees = os.pathsep.join([str(ROOT / "tools"), str(ROOT)])
    env = {**os.environ, "PYTHONHASHSEED": "123", "PYTHONPATH": trees}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "navtiltak_tools.generate",
            "--months",
            months,
            "--out",
            str(tmp_path / "b"),
            "--seed",
            "4",
        ],
        check=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    for path in written:
        assert (tmp_path / "b" / path.name).read_bytes() == path.read_bytes()
    assert gen.render_report("2014-02", 4) == written[0].read_text(encoding="utf-8")
    assert gen.render_report("2014-02", 5) != gen.render_report("2014-02", 4)


def test_month_arguments() -> None:
    assert gen.parse_months("2013-11..2014-02") == ["2013-11", "2013-12", "2014-01", "2014-02"]
    assert gen.parse_months("2015-01,2013-11..2013-12") == ["2013-11", "2013-12", "2015-01"]
    assert gen.shift_month("2014-01", -12) == "2013-01"
    assert gen.month_line("2014-05") == "Mai 2014"
    for bad in ("2014-13", "2014-1", "2014-02..2014-01"):
        with pytest.raises(ValueError):
            gen.parse_months(bad)


def test_number_formats() -> None:
    assert gen.format_number(75769) == "75 769"
    assert gen.format_number(-2888) == "-2 888"
    assert gen.format_number(0) == "0"
    assert gen.format_number(1234567) == "1 234 567"
    assert [gen.percent_change(c, 8) for c in (1, -1, 4, -4, 0)] == [13, -13, 50, -50, 0]
    assert gen.percent_change(3, 0) is None


# ---------------------------------------------------------------------------------------------
# Layout: the published form, its quirks, and their variation; 120 months, fast


def page_skeleton(text: str) -> list[tuple[str, str, int, int]]:
    """(table name, sub-heading, data lines, bare labels) per page."""
    skeleton = []
    for page in text.split(REPORT_TITLE)[1:]:
        lines = [line for line in page.split("\n") if line.strip()]
        header = next((i for i, line in enumerate(lines) if line.startswith("\t")), len(lines))
        sub = lines[2] if header == 3 else ""
        rows = lines[header + 1 :]
        skeleton.append((lines[0], sub, len(rows), sum("\t" not in row for row in rows)))
    return skeleton


def test_layout_and_quirks_over_120_months() -> None:
    months = gen.month_range("2013-11", "2023-10")
    started = time.perf_counter()
    texts = {month: gen.render_report(month, SEED) for month in months}
    elapsed = time.perf_counter() - started
    assert elapsed < 20, f"120 months took {elapsed:.1f} s"

    seen: Counter[str] = Counter()
    skeletons = set()
    misspellings = {v for variants in CAT.misspellings.values() for v in variants}
    for month, text in texts.items():
        assert text.startswith("\n\n\n\n" + REPORT_TITLE + "\n\nOm tabellene\n\n")
        assert not text.endswith("\n")
        assert f"\n\n{gen.month_line(month)}\n\n" in text
        skeleton = page_skeleton(text)
        skeletons.add(tuple(skeleton))
        assert skeleton[0][0] == "Om tabellene"
        assert {page[0] for page in skeleton[1:]} == {spec.name for spec in SPECS.values()}
        lines = text.split("\n")
        seen["grouped"] += any(re.search(r"\t-?\d{1,3} \d{3}(\t|$)", line) for line in lines)
        seen["negative"] += any(re.search(r"\t-\d", line) for line in lines)
        seen["blank row"] += any(re.fullmatch(r"[^\t]+\t+", line) for line in lines)
        bare_pages = [i for i, page in enumerate(skeleton) if page[3]]
        assert bare_pages in ([], [len(skeleton) - 1]), "bare labels off the last county page"
        seen["bare label"] += bool(bare_pages)
        seen["misspelt"] += any(label in text for label in misspellings)
        seen["split county table"] += any(
            a[:2] == b[:2] and not a[0].startswith("Tiltak")
            for a, b in itertools.pairwise(skeleton)
        )
    for quirk in ("grouped", "negative", "misspelt", "blank row"):
        assert seen[quirk] > len(months) / 2, (quirk, seen)
    for quirk in ("bare label", "split county table"):
        assert 0 < seen[quirk] < len(months), (quirk, seen)
    assert len(skeletons) > len(months) / 2, "page layouts hardly vary between months"
    for label in misspellings:
        assert any(label in text for text in texts.values()), label
