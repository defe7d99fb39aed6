"""navtiltak/engines/duckdb_incremental.py on hand-made files: which months a monthly update builds,
and when it builds everything (the whole path is proven against a full rebuild in
tests/python/warehouse/test_monthly_update.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from navtiltak.engines.duckdb_incremental import (
    changed_months,
    months_to_build,
    plan_build,
    project_fingerprint,
    shift,
    store_fingerprint,
)
from navtiltak_tools.testing.project_paths import ROOT

HEADER = "report_month,source_file,line_number,sub_heading,cell_value\n"
ROWS = {
    "2014-01": "2014-01,a.txt,10,,5\n2014-01,a.txt,11,Oslo,\n",
    "2014-02": "2014-02,b.txt,10,,7\n",
    "2015-01": "2015-01,c.txt,10,,9\n",
}


def publish_seed(database: Path, rows: str) -> None:
    """A published report seed as the seed loader makes it (types, empty cells null)."""
    csv = database.parent / "published.csv"
    csv.write_text(HEADER + rows, encoding="utf-8")
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema if not exists report")
        connection.execute(
            "create or replace table report.report_fylke as select * from read_csv(?,"
            " header = true, auto_detect = false, nullstr = '', columns = {'report_month':"
            " 'varchar', 'source_file': 'varchar', 'line_number': 'integer', 'sub_heading':"
            " 'varchar', 'cell_value': 'integer'})",
            [str(csv)],
        )


def seed_file(directory: Path, rows: str) -> Path:
    path = directory / "report_fylke.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def changed(tmp_path: Path, published: str, new: str) -> set[str]:
    database = tmp_path / "nav_tiltak.duckdb"
    publish_seed(database, published)
    seed = seed_file(tmp_path, new)
    with duckdb.connect(str(database), read_only=True) as connection:
        return changed_months(connection, [seed])


def test_the_same_rows_change_no_month(tmp_path: Path) -> None:
    every = "".join(ROWS.values())
    assert changed(tmp_path, every, every) == set()


def test_added_replaced_and_removed_months_are_found(tmp_path: Path) -> None:
    published = ROWS["2014-01"] + ROWS["2014-02"]
    corrected = ROWS["2014-01"].replace(",,5", ",,6")
    assert changed(tmp_path, published, corrected + ROWS["2015-01"]) == {
        "2014-01",
        "2014-02",
        "2015-01",
    }


def test_a_renamed_report_changes_its_month(tmp_path: Path) -> None:
    every = "".join(ROWS.values())
    assert changed(tmp_path, every, every.replace("b.txt", "b2.txt")) == {"2014-02"}


def test_figures_swapped_between_rows_change_their_month(tmp_path: Path) -> None:
    # The month's rows keep their count and each column its sum: only the rows differ.
    published = "2014-01,a.txt,10,,5\n2014-01,a.txt,11,,7\n" + ROWS["2014-02"]
    swapped = "2014-01,a.txt,10,,7\n2014-01,a.txt,11,,5\n" + ROWS["2014-02"]
    assert changed(tmp_path, published, swapped) == {"2014-01"}


def test_a_row_printed_twice_changes_its_month(tmp_path: Path) -> None:
    every = "".join(ROWS.values())
    assert changed(tmp_path, every, every + ROWS["2015-01"]) == {"2015-01"}


def test_an_empty_cell_differs_from_a_filled_one(tmp_path: Path) -> None:
    every = "".join(ROWS.values())
    assert changed(tmp_path, every, every.replace("11,Oslo,", "11,,")) == {"2014-01"}


def test_months_a_year_either_side_are_built_too() -> None:
    assert shift("2014-01", -12) == "2013-01"
    assert shift("2013-12", 1) == "2014-01"
    assert months_to_build(["2014-01", "2014-02"]) == [
        "2013-01",
        "2013-02",
        "2014-01",
        "2014-02",
        "2015-01",
        "2015-02",
    ]
    assert months_to_build([]) == []


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path, str]:
    database = tmp_path / "nav_tiltak.duckdb"
    publish_seed(database, "".join(ROWS.values()))
    fingerprint = project_fingerprint(ROOT)
    store_fingerprint(database, fingerprint)
    return database, seed_file(tmp_path, "".join(ROWS.values()) + ROWS["2014-02"]), fingerprint


def test_the_same_project_updates_the_changed_months(published: tuple[Path, Path, str]) -> None:
    database, seed, fingerprint = published
    plan = plan_build(database, [seed], fingerprint, full=False)
    assert plan.months == ["2013-02", "2014-02", "2015-02"]
    assert plan.variable == "2013-02,2014-02,2015-02"


def test_another_project_or_full_builds_everything(published: tuple[Path, Path, str]) -> None:
    database, seed, fingerprint = published
    assert plan_build(database, [seed], fingerprint, full=True).variable is None
    other = plan_build(database, [seed], "another", full=False)
    assert other.variable is None
    assert "differs" in other.reason
    assert (
        plan_build(database.with_name("none.duckdb"), [seed], fingerprint, full=False).months
        is None
    )


def test_no_change_builds_no_month(published: tuple[Path, Path, str], tmp_path: Path) -> None:
    database, _, fingerprint = published
    seed = seed_file(tmp_path, "".join(ROWS.values()))
    plan = plan_build(database, [seed], fingerprint, full=False)
    assert (plan.months, plan.variable) == ([], "none")


def test_a_model_edit_changes_the_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "m.sql"
    model.write_text("select 1", encoding="utf-8")
    before = project_fingerprint(tmp_path)
    model.write_text("select 2", encoding="utf-8")
    assert project_fingerprint(tmp_path) != before
