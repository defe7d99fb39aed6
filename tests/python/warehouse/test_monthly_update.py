"""The monthly update: after a sequence of updates that `make build` makes from the
published warehouse (navtiltak/engines/duckdb_incremental.py), every table equals a
full rebuild's, row for row; a report that disagrees with the report a year later fails
the update as it fails a full build.

One project copy, five generated months (two pairs a year apart and one between them:
every step below needs no more, and each publish builds and tests every month it
holds), published in turn as a user would (`python -m navtiltak.publish`, as `make
build` runs it after the extraction):

1. 2013-11, 2013-12, 2014-05 and 2014-11 published from nothing (a full build);
2. 2014-12 added: an update, whose comparison with 2013-12 is new;
3. 2013-12 replaced by a report whose figures disagree with 2014-12's last year: the
   update must fail, as a full build does, and leave the published file as it was;
   then the original is put back;
4. 2014-11 replaced by a corrected report (other figures, its last year still agreeing
   with 2013-11), whose last-year comparison changes, and 2014-05 removed: one update
   of two changes (each its own update would cost one more build and prove nothing
   more: the months to build are the union of each change's).

The tests of an update read the months it builds only, where a test can be scoped (a
generic test on a model or seed whose rows belong to one month): step 2's compiled
tests are read from dbt's run results. Step 3 shows that a failure in a month being
built is still caught.

Then a full build of the same reports (`--full`, into another warehouse) and every
table of the schemas marts, intermediate and report compared with EXCEPT ALL both ways.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from navtiltak_tools.generate import write_reports
from navtiltak_tools.testing.warehouse_fixtures import (
    WAREHOUSE,
    copy_project,
    extract,
    fingerprint,
    run,
)

SERIES = ["2013-11", "2013-12", "2014-05", "2014-11", "2014-12"]
COMPARED_SCHEMAS = ("marts", "intermediate", "report")
# A generic test on a model whose rows belong to one month: scoped in an update.
SCOPED_TEST = ".unique_combination_fct_report_cells_"


def report_name(month: str) -> str:
    return f"deltakere-tiltak-fylke-{month}.txt"


def publish(project: Path, *options: str) -> tuple[int, str]:
    """Extract, then publish, as `make build` does; the exit code and the output."""
    extracted = extract(project)
    assert extracted.returncode == 0, extracted.stderr
    result = run([str(project / ".venv/bin/python"), "-m", "navtiltak.publish", *options], project)
    return result.returncode, result.stdout + result.stderr


def compiled_tests(project: Path) -> dict[str, str]:
    """The compiled SQL of every test of the project's last dbt build, by unique id."""
    results = json.loads((project / "target" / "run_results.json").read_text())
    return {
        node["unique_id"]: node.get("compiled_code") or ""
        for node in results["results"]
        if node["unique_id"].startswith("test.")
    }


def published_files(project: Path) -> dict[str, str]:
    """The published file, Parquet set and dashboard (not the build left in .build/)."""
    prints = fingerprint(project / WAREHOUSE.parent)
    return {name: value for name, value in prints.items() if not name.startswith(".build")}


def differing_rows(left: Path, right: Path) -> dict[str, int]:
    """Per table of COMPARED_SCHEMAS in ``left``: rows in one file and not the other
    (EXCEPT ALL both ways); -1 when ``right`` lacks the table."""
    differences: dict[str, int] = {}
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left}' as l (read_only)")
        connection.execute(f"attach '{right}' as r (read_only)")
        tables = connection.execute(
            "select schema_name, table_name, database_name from duckdb_tables()"
            " where database_name in ('l', 'r') and schema_name in"
            f" ({', '.join(repr(schema) for schema in COMPARED_SCHEMAS)})"
        ).fetchall()
        by_database: dict[str, set[str]] = {"l": set(), "r": set()}
        for schema, table, database in tables:
            by_database[database].add(f"{schema}.{table}")
        assert by_database["l"] == by_database["r"]
        for name in sorted(by_database["l"]):
            (count,) = connection.execute(
                f"select count(*) from ((from l.{name} except all from r.{name})"
                f" union all (from r.{name} except all from l.{name}))"
            ).fetchone()
            differences[name] = count
    return differences


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The series, a corrected 2014-11 (drawn anew, its last year from the series'
    2013-11) and a 2013-12 that disagrees with the series' 2014-12."""
    root = tmp_path_factory.mktemp("generated")
    reports = {path.name: path for path in write_reports(SERIES, root / "series", seed=3)}
    corrected = root / "corrected"
    corrected.mkdir()
    shutil.copy2(reports[report_name("2013-11")], corrected)
    (fixed,) = write_reports(["2014-11"], corrected, seed=11)
    (disagreeing,) = write_reports(["2013-12"], root / "disagreeing", seed=12)
    return {**reports, "corrected": fixed, "disagreeing": disagreeing}


def test_updates_equal_a_full_rebuild(tmp_path: Path, generated: dict[str, Path]) -> None:
    project = copy_project(tmp_path / "project")
    reports = project / "reports"
    for path in reports.glob("*.txt"):
        path.unlink()
    for month in SERIES[:-1]:
        shutil.copy2(generated[report_name(month)], reports)
    code, output = publish(project)
    assert code == 0, output[-3000:]
    assert "full build: nothing is published yet" in output

    shutil.copy2(generated[report_name("2014-12")], reports)
    code, output = publish(project)
    assert code == 0, output[-3000:]
    assert "monthly update: reports changed: 2014-12; building 2013-12, 2014-12, 2015-12" in output
    tests = compiled_tests(project)
    built_months = "in ('2013-12', '2014-12', '2015-12')"
    by_month = [sql for name, sql in tests.items() if SCOPED_TEST in name]
    seeds = [sql for name, sql in tests.items() if ".printed_rows_are_whole_report_" in name]
    whole = [sql for name, sql in tests.items() if ".unique_dim_county_county_code" in name]
    assert by_month and seeds and whole
    assert all(built_months in sql for sql in by_month + seeds)
    assert not any(built_months in sql for sql in whole)

    # The +12 months: 2014-12's comparison with the replaced 2013-12 fails the update.
    published = published_files(project)
    shutil.copy2(generated["disagreeing"], reports / report_name("2013-12"))
    code, output = publish(project)
    assert code != 0
    assert "monthly update: reports changed: 2013-12;" in output
    assert "int_report_months_compared" in output
    assert published_files(project) == published
    shutil.copy2(generated[report_name("2013-12")], reports)

    assert generated["corrected"].read_bytes() != generated[report_name("2014-11")].read_bytes()
    shutil.copy2(generated["corrected"], reports / report_name("2014-11"))
    (reports / report_name("2014-05")).unlink()
    code, output = publish(project)
    assert code == 0, output[-3000:]
    assert "monthly update: reports changed: 2014-05, 2014-11;" in output

    full = project / "full" / WAREHOUSE.name
    code, output = publish(project, "--full", "--warehouse", str(full.relative_to(project)))
    assert code == 0, output[-3000:]
    assert "full build: a full build was asked for" in output
    full_tests = compiled_tests(project)
    assert not any("dbt_subquery" in sql for name, sql in full_tests.items() if SCOPED_TEST in name)
    differences = differing_rows(project / WAREHOUSE, full)
    assert len(differences) > 30
    assert {name: count for name, count in differences.items() if count} == {}
    with duckdb.connect(str(full), read_only=True) as connection:
        months = connection.execute("select count(*) from marts.dim_month").fetchone()
    assert months == (len(SERIES) - 1,)
