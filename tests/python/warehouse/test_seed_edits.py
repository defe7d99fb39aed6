"""Adding a measure or an area is a seed edit and nothing else (docs/contributing.md).

In a copy of the project's reference seeds, a new measure gets its row in measures.csv
(in the middle of a measure group, the rows after it renumbered) and its canonical
spelling in label_aliases.csv; no code changes. The generator, pointed at the copy,
prints the measure; the extractor reads it back; and `dbt build` on a copy of the
project with those seeds and that month passes, with the measure in the marts. A new
non-county area (non_county_areas.csv and label_aliases.csv) and a new misspelling of a
measure group (label_aliases.csv) are printed and read back.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from navtiltak.extract.cli import main as extract_main
from navtiltak_tools.generate import (
    ReportCatalogue,
    finest_grains,
    load_catalogue,
    month_range,
    write_reports,
)
from navtiltak_tools.testing.project_paths import REFERENCE
from navtiltak_tools.testing.warehouse_fixtures import BUILD_DB, copy_project, dbt_build, extract

MONTH = "2014-03"
SEED = 3
NEW = {
    "measure_code": "tilrettelegging.inkluderingstilskudd",
    "measure_group_code": "tilrettelegging",
    "measure_name": "Inkluderingstilskudd",
    "measure_name_en": "Inclusion subsidy",
}
NATIONAL_SEED = "report_tiltak_og_hovedgrupper"


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or ()), list(reader)


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def add_measure(reference: Path) -> None:
    """What docs/contributing.md asks for: a measures.csv row, renumbered after it, and the
    measure's canonical spelling in label_aliases.csv."""
    columns, rows = read_csv(reference / "measures.csv")
    rows.sort(key=lambda row: int(row["sort_order"]))
    group = NEW["measure_group_code"]
    last = max(i for i, row in enumerate(rows) if row["measure_group_code"] == group)
    rows.insert(last + 1, {**NEW, "sort_order": ""})
    for number, row in enumerate(rows, start=1):
        row["sort_order"] = str(number)
    write_csv(reference / "measures.csv", columns, rows)
    add_canonical_spelling(reference, "measure", NEW["measure_name"])


def add_canonical_spelling(reference: Path, role: str, name: str) -> None:
    columns, aliases = read_csv(reference / "label_aliases.csv")
    aliases.append(dict(zip(columns, (role, name, name, "canonical"), strict=True)))
    write_csv(reference / "label_aliases.csv", columns, aliases)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("new_measure") / "reference"
    shutil.copytree(REFERENCE, copy)
    add_measure(copy)
    return copy


@pytest.fixture(scope="module")
def report(reference: Path) -> Path:
    (path,) = write_reports([MONTH], reference.parent / "reports", SEED, load_catalogue(reference))
    return path


def new_measure(catalogue: ReportCatalogue) -> int:
    """The new measure's index in the catalogue's measures."""
    return next(m for m, (_, name) in enumerate(catalogue.measures) if name == NEW["measure_name"])


def national_rows(seeds: Path) -> dict[str, dict[str, str]]:
    """The new measure's cells in the national table: column label -> cell value."""
    _, rows = read_csv(seeds / f"{NATIONAL_SEED}.csv")
    return {
        row["column_label"]: row["cell_value"]
        for row in rows
        if row["row_label"] == NEW["measure_name"]
    }


def test_the_generator_prints_the_new_measure_in_its_place(reference: Path, report: Path) -> None:
    catalogue = load_catalogue(reference)
    (group,) = [names for name, names in catalogue.measure_groups if name == "Tilrettelegging"]
    assert group[-1] == NEW["measure_name"]
    lines = report.read_text(encoding="utf-8").split("\n")
    printed = [i for i, line in enumerate(lines) if line.startswith(NEW["measure_name"] + "\t")]
    assert printed, "the new measure is printed nowhere"
    sub_totals = {f"I alt {name.lower()}" for name, _ in catalogue.measure_groups}
    for i in printed:  # the last measure of its group: its group's sub-total comes next
        after = (line.split("\t")[0] for line in lines[i + 1 :])
        assert next(label for label in after if label in sub_totals) == "I alt tilrettelegging"
    # Its measure group is structurally zero for jobseekers, and so is the new measure.
    jobseekers = catalogue.groups.index("Arbeidssøkere på tiltak")
    measure = new_measure(catalogue)
    assert catalogue.national_base[measure][jobseekers] == 0
    assert all(catalogue.national_base[measure][g] > 0 for g in range(3) if g != jobseekers)


def test_the_extractor_reads_the_new_measure_back(
    reference: Path, report: Path, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    code = extract_main(
        [
            "--reports-dir",
            str(report.parent),
            "--seeds-dir",
            str(seeds),
            "--aliases",
            str(reference / "label_aliases.csv"),
        ]
    )
    assert code == 0
    catalogue = load_catalogue(reference)
    measure = new_measure(catalogue)
    grains = finest_grains(MONTH, SEED, catalogue).measures
    per_group = [sum(county[g][measure] for county in grains) for g in range(len(catalogue.groups))]
    expected = {"I alt": sum(per_group), **dict(zip(catalogue.groups, per_group, strict=True))}
    printed = national_rows(seeds)
    assert {label: int(value or 0) for label, value in printed.items()} == expected
    assert sum(per_group) > 0


def test_dbt_builds_the_new_measure_into_the_marts(
    reference: Path, report: Path, tmp_path: Path
) -> None:
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "seeds" / "reference")
    shutil.copytree(reference, project / "seeds" / "reference")
    shutil.rmtree(project / "reports")
    (project / "reports").mkdir()
    shutil.copy2(report, project / "reports" / report.name)
    extracted = extract(project)
    assert extracted.returncode == 0, extracted.stderr
    database = project / BUILD_DB
    built = dbt_build(project)
    assert built.returncode == 0, built.output[-4000:]
    catalogue = load_catalogue(reference)
    measure = new_measure(catalogue)
    grains = finest_grains(MONTH, SEED, catalogue).measures
    with duckdb.connect(str(database), read_only=True) as con:
        (name,) = con.execute(
            "select measure_name from marts.dim_measure where measure_code = ?",
            [NEW["measure_code"]],
        ).fetchone()
        participants = Counter(
            dict(
                con.execute(
                    "select participant_group_code, sum(participants)"
                    " from marts.fct_participants_by_measure where measure_code = ?"
                    " group by participant_group_code",
                    [NEW["measure_code"]],
                ).fetchall()
            )
        )
    assert name == NEW["measure_name"]
    _, groups = read_csv(reference / "participant_groups.csv")
    code_of = {row["participant_group_name"]: row["participant_group_code"] for row in groups}
    for g, group in enumerate(catalogue.groups):
        expected = sum(county[g][measure] for county in grains)
        assert participants[code_of[group]] == expected, group


def test_a_new_area_is_generated_and_read_back(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    columns, areas = read_csv(reference / "non_county_areas.csv")
    new = {"area_code": "SVA", "area_name": "Svalbard", "sort_order": "97", "description": ""}
    write_csv(reference / "non_county_areas.csv", columns, [*areas, new])
    add_canonical_spelling(reference, "county", "Svalbard")
    catalogue = load_catalogue(reference)
    assert catalogue.counties[-3:] == ("Svalbard", "Øvrige områder", "Ukjent")
    write_reports([MONTH], tmp_path / "reports", SEED, catalogue)
    seeds = tmp_path / "seeds"
    arguments = ["--reports-dir", str(tmp_path / "reports"), "--seeds-dir", str(seeds)]
    code = extract_main([*arguments, "--aliases", str(reference / "label_aliases.csv")])
    assert code == 0
    _, rows = read_csv(seeds / "report_fylke.csv")
    counts = {r["column_label"]: r["cell_value"] for r in rows if r["row_label"] == "Svalbard"}
    grains = finest_grains(MONTH, SEED, catalogue).measures[catalogue.counties.index("Svalbard")]
    assert int(counts["Antall"]) == sum(map(sum, grains)) > 0


def test_a_new_misspelling_is_printed_and_read_back(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    columns, aliases = read_csv(reference / "label_aliases.csv")
    row = ("measure_group", "Lønstilskudd", "Lønnstilskudd", "misspelling")
    aliases.append(dict(zip(columns, row, strict=True)))
    write_csv(reference / "label_aliases.csv", columns, aliases)
    catalogue = load_catalogue(reference)
    assert catalogue.misspelt("measure_group", "Lønnstilskudd") == ("Lønstilskudd",)
    paths = write_reports(month_range("2014-01", "2014-06"), tmp_path / "reports", SEED, catalogue)
    assert any("\tLønstilskudd\t" in path.read_text(encoding="utf-8") for path in paths)
    arguments = ["--reports-dir", str(tmp_path / "reports"), "--seeds-dir", str(tmp_path / "s")]
    assert extract_main([*arguments, "--aliases", str(reference / "label_aliases.csv")]) == 0
