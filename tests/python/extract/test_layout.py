"""The extractor's layout is what seeds/reference/report_tables.csv says, and nothing else."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from report_text import SEED_OF_TABLE, Workspace

from navtiltak.extract.errors import ReportError
from navtiltak.extract.labels import fold, load_known_labels
from navtiltak.extract.layout import read_layout, read_non_additive_columns
from navtiltak.extract.tables import read_report
from navtiltak.extract.totals import check_adds_up
from navtiltak_tools.testing.project_paths import (
    ALIASES,
    REAL_REPORT,
    REFERENCE,
    REPORT_TABLES,
    ROOT,
)

METRICS = REFERENCE / "metrics.csv"


def seed_rows(path: Path = REPORT_TABLES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_layout_is_the_report_tables_seed_in_its_order() -> None:
    rows = sorted(seed_rows(), key=lambda row: int(row["sort_order"]))
    name_of = {row["table_code"]: row["table_name"] for row in rows}
    layout = read_layout(REPORT_TABLES)
    assert [
        (
            spec.code,
            spec.name,
            spec.seed_name,
            spec.subheading_role or "",
            spec.row_role,
            spec.row_subtotal_role or "",
            spec.column_role,
            spec.subheadings_listed_in or "",
        )
        for spec in layout
    ] == [
        (
            row["table_code"],
            row["table_name"],
            row["seed_name"],
            row["subheading_role"],
            row["row_role"],
            row["row_subtotal_role"],
            row["column_role"],
            name_of.get(row["subheadings_listed_in"], ""),
        )
        for row in rows
    ]


def test_every_table_with_a_sub_heading_names_its_listing_table() -> None:
    for spec in read_layout(REPORT_TABLES):
        assert (spec.subheading_role is None) == (spec.subheadings_listed_in is None), spec.name


def test_every_table_has_its_seed_and_staging_model() -> None:
    models = {path.name for path in (ROOT / "models").rglob("stg_report__*.sql")}
    for spec in read_layout(REPORT_TABLES):
        assert SEED_OF_TABLE[spec.name] == spec.seed_name
        assert (ROOT / "seeds" / "report" / f"{spec.seed_name}.csv").is_file(), spec.name
        assert f"stg_report__{spec.seed_name.removeprefix('report_')}.sql" in models, spec.name


def test_the_extractor_reads_the_tables_beside_the_aliases(tmp_path: Path) -> None:
    """A table renamed in the seed (and in the report) is read under its new name: the
    layout comes from the reference folder it is given, not from the code."""
    reference = tmp_path / "reference"
    reference.mkdir()
    shutil.copy2(ALIASES, reference / ALIASES.name)
    shutil.copy2(METRICS, reference / METRICS.name)
    text = REPORT_TABLES.read_text(encoding="utf-8")
    text = text.replace("Fylke og alder,", "Fylke etter alder,")
    (reference / REPORT_TABLES.name).write_text(text, encoding="utf-8")
    ws = Workspace(tmp_path / "run")
    report = REAL_REPORT.read_text(encoding="utf-8")
    ws.write(report.replace("\nFylke og alder\n", "\nFylke etter alder\n"))
    result = ws.run("--aliases", str(reference / ALIASES.name))
    assert result.code == 0, result.stderr
    assert {row["sub_heading"] for row in result.rows("Fylke og alder")} == {""}
    assert len(result.rows("Fylke og alder")) > 0


def test_a_missing_report_tables_seed_names_the_file(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    ws.write(REAL_REPORT.read_text(encoding="utf-8"))
    missing = tmp_path / "nowhere" / "report_tables.csv"
    result = ws.run("--report-tables", str(missing))
    assert result.code == 2
    assert f"{missing}: cannot read the report-tables seed" in result.stderr
    assert not ws.seeds_dir.exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace(",subheadings_listed_in", ""), "lacks the columns"),
        (lambda text: text.replace(",hovedgrupper,3", ",hovedgruppe,3"), "is no table_code"),
        (lambda text: text.split("\n", 1)[0] + "\n", "lists no table"),
    ],
)
def test_a_broken_report_tables_seed_is_refused(tmp_path: Path, edit, message: str) -> None:
    path = tmp_path / "report_tables.csv"
    path.write_text(edit(REPORT_TABLES.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ReportError, match=message):
        read_layout(path)


# --------------------------------------------------------------------------- metrics.csv


def test_non_additive_columns_are_the_metrics_seeds_non_additive_metrics() -> None:
    rows = seed_rows(METRICS)
    expected = {fold(row["metric_name"]) for row in rows if row["is_additive"] == "false"}
    assert read_layout(REPORT_TABLES).non_additive_columns == expected
    assert expected == {"endring fra i fjor prosent"}


def test_a_non_additive_column_is_not_summed_over_rows() -> None:
    """ "Fylke" adds up in every column but the percent, which the seed says is not additive."""
    layout = read_layout(REPORT_TABLES)
    report = read_report(REAL_REPORT, load_known_labels(ALIASES), layout)
    (fylke,) = [table for table in report.tables if table.spec.code == "fylke"]
    check_adds_up(REAL_REPORT, fylke, layout.non_additive_columns)
    with pytest.raises(ReportError, match="column 'Endring fra i fjor Prosent'"):
        check_adds_up(REAL_REPORT, fylke, frozenset())


def test_the_extractor_reads_the_metrics_beside_the_aliases(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    reference.mkdir()
    shutil.copy2(ALIASES, reference / ALIASES.name)
    shutil.copy2(REPORT_TABLES, reference / REPORT_TABLES.name)
    ws = Workspace(tmp_path / "run")
    ws.write(REAL_REPORT.read_text(encoding="utf-8"))
    result = ws.run("--aliases", str(reference / ALIASES.name))
    assert result.code == 2
    assert f"{reference / METRICS.name}: cannot read the metrics seed" in result.stderr
    shutil.copy2(METRICS, tmp_path / "elsewhere.csv")
    result = ws.run(
        "--aliases", str(reference / ALIASES.name), "--metrics", str(tmp_path / "elsewhere.csv")
    )
    assert result.code == 0, result.stderr


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace(",is_additive,", ",additive,"), "lacks the columns"),
        (lambda text: text.replace(",false,", ",no,"), "is_additive 'no' is not true/false"),
    ],
)
def test_a_broken_metrics_seed_is_refused(tmp_path: Path, edit, message: str) -> None:
    path = tmp_path / "metrics.csv"
    path.write_text(edit(METRICS.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ReportError, match=message):
        read_non_additive_columns(path)
