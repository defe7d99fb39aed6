"""Safe publication on DuckDB (navtiltak/engines/duckdb_file.py, `make build`), on real
builds in project copies.

One successful publication is shared by the module (see warehouse_fixtures.publish_once);
the failure tests copy that publication into a fresh project copy, break one input and
check that the published file and its Parquet set are left byte for byte as they were.
"""

from __future__ import annotations

import fcntl
from pathlib import Path

import duckdb
import pytest

from navtiltak.dashboard.page import ENTRY, PLOTLY_JS
from navtiltak.engines.duckdb_file import (
    STORAGE_COMPATIBILITY_VERSION,
    WarehousePaths,
    build_and_publish,
    remove_stale_wal,
    swap_dashboard,
    swap_parquet,
)
from navtiltak_tools.testing.warehouse_fixtures import (
    WAREHOUSE,
    Publication,
    copy_project,
    copy_publication,
    fingerprint,
    publish_once,
    query_cli,
    run,
    run_make,
    run_publish,
)

REPORT = Path("reports/deltakere-tiltak-fylke-2013-11.txt")


@pytest.fixture(scope="module")
def publication(tmp_path_factory: pytest.TempPathFactory) -> Publication:
    return publish_once(tmp_path_factory)


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path} should contain {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def mart_row_counts(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as connection:
        names = connection.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
        return {
            name: connection.execute(f"select count(*) from marts.{name}").fetchone()[0]
            for (name,) in names
        }


# -- a successful build -------------------------------------------------------------


def test_publish_succeeds_and_says_so(publication: Publication) -> None:
    assert publication.result.returncode == 0
    # dbt's own output reaches the user, then ours.
    assert "Completed successfully" in publication.result.stdout
    assert f"published {WAREHOUSE}" in publication.result.stdout


def test_build_directory_is_gone_after_success(publication: Publication) -> None:
    layout = WarehousePaths(publication.published)
    assert not layout.build_dir.exists()
    assert not Path(f"{publication.published}.wal").exists()


def test_reader_connected_during_the_build_keeps_working(publication: Publication) -> None:
    """A read-only connection to the published file, open while dbt builds: it never fails,
    the build does not fail, and afterwards the connection still reads the file it opened."""
    assert publication.result.returncode == 0
    assert publication.read_errors_during_build == []
    assert len(publication.reads_during_build) >= 10, "the reader should have queried throughout"
    assert set(publication.reads_during_build) == {("old",)}
    assert publication.old_connection_after_build == ("old",)


def test_new_connection_sees_the_new_build(publication: Publication) -> None:
    with duckdb.connect(str(publication.published), read_only=True) as connection:
        schemas = {
            name
            for (name,) in connection.execute("select schema_name from duckdb_schemas()").fetchall()
        }
        # the 19 counties in force in November 2013 and the two non-county areas
        counties = connection.execute(
            "select count(*) from marts.dim_county where not is_county"
            " or (valid_from <= date '2013-11-01'"
            " and coalesce(valid_to, date '2013-11-01') >= date '2013-11-01')"
        ).fetchone()
    assert "previous_build" not in schemas
    assert {"marts", "staging", "intermediate"} <= schemas
    assert counties == (21,)


def test_staging_views_still_work_after_the_rename(publication: Publication) -> None:
    """The build file had the published file's name, so the catalog the views were created
    in (`nav_tiltak`, after the file's stem) is the one they are read in."""
    with duckdb.connect(str(publication.published), read_only=True) as connection:
        (catalog,) = connection.execute("select current_database()").fetchone()
        views = connection.execute(
            "select schema_name, view_name from duckdb_views() where not internal"
        ).fetchall()
        assert catalog == publication.published.stem
        assert len(views) >= 10
        for schema, view in views:
            connection.execute(f"select * from {schema}.{view} limit 1").fetchall()
        (cells,) = connection.execute("select count(*) from staging.stg_report__fylke").fetchone()
    assert cells > 0


def test_duckdb_1x_client_reads_the_published_file(publication: Publication) -> None:
    version = query_cli(publication.published, "select version()")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip().startswith("v1."), version.stdout
    total = query_cli(
        publication.published, "select sum(participants) from marts.fct_participants_by_measure"
    )
    assert total.returncode == 0, total.stderr
    with duckdb.connect(str(publication.published), read_only=True) as connection:
        (expected,) = connection.execute(
            "select sum(participants) from marts.fct_participants_by_measure"
        ).fetchone()
    assert int(total.stdout.strip()) == expected


def test_published_file_carries_the_compatible_storage_version(publication: Publication) -> None:
    with duckdb.connect(str(publication.published), read_only=True) as connection:
        (tags,) = connection.execute(
            "select tags from duckdb_databases() where database_name = current_database()"
        ).fetchone()
    assert tags["storage_version"].startswith(STORAGE_COMPATIBILITY_VERSION), tags


def test_parquet_export_of_every_mart(publication: Publication) -> None:
    link = WarehousePaths(publication.published).parquet_link
    assert link.is_symlink(), "warehouse/parquet is swapped in as a symlink"
    assert link.resolve().parent == link.parent.resolve()
    counts = mart_row_counts(publication.published)
    assert {path.stem for path in link.glob("*.parquet")} == set(counts)
    with duckdb.connect() as connection:
        for mart, rows in counts.items():
            parquet = link / f"{mart}.parquet"
            (exported,) = connection.execute(f"select count(*) from '{parquet}'").fetchone()
            assert exported == rows, mart


def test_dashboard_is_published_beside_the_warehouse(publication: Publication) -> None:
    layout = WarehousePaths(publication.published)
    link = layout.dashboard_link
    assert link.is_symlink(), "warehouse/dashboard is swapped in as a symlink"
    assert link.resolve().parent == link.parent.resolve()
    assert {path.name for path in link.iterdir()} == {ENTRY, PLOTLY_JS}
    page = (link / ENTRY).read_text(encoding="utf-8")
    # Its figures are the new build's: the report's national total of November 2013.
    assert "75\u00a0769" in page
    assert f"dashboard {WAREHOUSE.parent / 'dashboard' / ENTRY}" in publication.result.stdout


# -- failed builds ------------------------------------------------------------------


@pytest.fixture
def published_copy(publication: Publication, tmp_path: Path) -> Path:
    """A fresh project copy holding a copy of the successful publication."""
    project = copy_project(tmp_path / "project")
    copy_publication(publication.project, project)
    return project


def test_reconciliation_failure_leaves_the_published_file_unchanged(published_copy: Path) -> None:
    """One printed county count off by one: the report no longer reconciles, dbt fails."""
    replace_once(
        published_copy / "seeds/report/report_fylke.csv",
        ",Oslo,1,Antall,9535,",
        ",Oslo,1,Antall,9536,",
    )
    before = fingerprint(published_copy / WAREHOUSE.parent)
    result = run_publish(published_copy)
    assert result.returncode != 0
    assert f"{WAREHOUSE} was left unchanged" in result.stderr
    # the failure summary names the changed cell first, before the failed tests
    summary = result.stderr[result.stderr.index("build failed.") :]
    first = next(line for line in summary.splitlines() if line.startswith("reports/"))
    assert first.startswith("reports/deltakere-tiltak-fylke-2013-11.txt:"), summary
    assert "Fylke / Oslo, column Antall: printed 9 536, the report's identities say 9 535" in (
        first
    ), summary
    assert summary.index(first) < summary.index("failed dbt node"), summary
    layout = WarehousePaths(published_copy / WAREHOUSE)
    after = fingerprint(published_copy / WAREHOUSE.parent)
    # The failed build is kept for inspection; everything published is as it was.
    assert {
        name: value for name, value in after.items() if not name.startswith(".build/")
    } == before
    assert layout.build_file.exists()


def test_bad_report_leaves_the_published_file_unchanged(published_copy: Path) -> None:
    """`make build` with a report the extractor refuses: dbt never runs, nothing changes."""
    # The Oslo row of the "Fylke" table.
    replace_once(published_copy / REPORT, "\nOslo\t9 535\t-192\t-2\n", "\nOslo\t9 53x5\t-192\t-2\n")
    before = fingerprint(published_copy / WAREHOUSE.parent)
    result = run_make(published_copy, "build")
    assert result.returncode != 0
    assert "is not a number" in result.stderr
    assert "extraction failed; nothing was built or published" in result.stderr
    assert fingerprint(published_copy / WAREHOUSE.parent) == before
    assert not WarehousePaths(published_copy / WAREHOUSE).build_dir.exists()


def test_second_build_at_the_same_time_is_refused(published_copy: Path) -> None:
    """Two builds would remove each other's build directory: the second one stops at once."""
    layout = WarehousePaths(published_copy / WAREHOUSE)
    before = fingerprint(published_copy / WAREHOUSE.parent)
    with layout.lock_file.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = run_publish(published_copy)
    assert result.returncode != 0
    assert "another build is running" in result.stderr
    assert f"{WAREHOUSE} was left unchanged" in result.stderr
    assert fingerprint(published_copy / WAREHOUSE.parent) == before


def test_dbt_run_by_hand_cannot_write_the_published_file(published_copy: Path) -> None:
    """Without NAV_TILTAK_TARGET, dbt uses the read-only target: a build is refused with
    what to run instead, before it writes anything, while a reader holds the file."""
    published = published_copy / WAREHOUSE
    before = fingerprint(published_copy / WAREHOUSE.parent)
    with duckdb.connect(str(published), read_only=True) as reader:
        result = run([str(published_copy / ".venv/bin/dbt"), "build"], published_copy)
        assert reader.execute("select count(*) from marts.dim_month").fetchone() == (1,)
    assert result.returncode != 0
    assert "target 'published'" in result.stdout and "NAV_TILTAK_TARGET=dev" in result.stdout
    assert "Conflicting lock" not in result.stdout + result.stderr
    assert fingerprint(published_copy / WAREHOUSE.parent) == before


def fake_dbt(tmp_path: Path, database: Path) -> str:
    """A `dbt` that "builds" by copying a finished warehouse to NAV_TILTAK_DB_PATH."""
    script = tmp_path / "fake-dbt"
    script.write_text(f'#!/bin/sh\ncp "{database}" "$NAV_TILTAK_DB_PATH"\n')
    script.chmod(0o755)
    return str(script)


def test_dashboard_failure_leaves_everything_published_unchanged(
    publication: Publication,
    published_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """dbt succeeds, but a metric the dashboard shows is gone from the semantic layer:
    nothing is published, the previous dashboard included."""
    source = published_copy / WAREHOUSE
    built = tmp_path / "built.duckdb"
    built.write_bytes(source.read_bytes())
    manifest = tmp_path / "semantic_manifest.json"
    text = (publication.project / "target/semantic_manifest.json").read_text(encoding="utf-8")
    assert text.count('"name": "change_pct"') == 1
    manifest.write_text(text.replace('"name": "change_pct"', '"name": "change_pct_gone"'))
    before = fingerprint(published_copy / WAREHOUSE.parent)
    layout = WarehousePaths(published_copy / WAREHOUSE)
    returncode = build_and_publish(layout, fake_dbt(tmp_path, built), manifest)
    assert returncode != 0
    assert "dashboard build failed" in capsys.readouterr().err
    after = fingerprint(published_copy / WAREHOUSE.parent)
    assert {name: value for name, value in after.items() if not name.startswith(".build/")} == (
        before
    )


# -- the Parquet swap and the stale log, on hand-made directories ----------------------


def stage_parquet(layout: WarehousePaths, content: str) -> None:
    layout.build_parquet_dir.mkdir(parents=True)
    (layout.build_parquet_dir / "dim_month.parquet").write_text(content)


def test_parquet_swap_keeps_the_previous_set_and_prunes_older_ones(tmp_path: Path) -> None:
    layout = WarehousePaths(tmp_path / "nav_tiltak.duckdb")
    for build in ("1", "2", "3"):
        stage_parquet(layout, build)
        swap_parquet(layout, build)
    assert (layout.parquet_link / "dim_month.parquet").read_text() == "3"
    assert sorted(path.name for path in tmp_path.glob(".parquet-*")) == [".parquet-2", ".parquet-3"]


def test_parquet_swap_replaces_a_plain_directory(tmp_path: Path) -> None:
    layout = WarehousePaths(tmp_path / "nav_tiltak.duckdb")
    layout.parquet_link.mkdir()
    (layout.parquet_link / "dim_month.parquet").write_text("plain")
    stage_parquet(layout, "new")
    swap_parquet(layout, "1")
    assert layout.parquet_link.is_symlink()
    assert (layout.parquet_link / "dim_month.parquet").read_text() == "new"
    assert (tmp_path / ".parquet-legacy" / "dim_month.parquet").read_text() == "plain"


def test_dashboard_swap_keeps_the_previous_site_and_prunes_older_ones(tmp_path: Path) -> None:
    layout = WarehousePaths(tmp_path / "nav_tiltak.duckdb")
    for build in ("1", "2", "3"):
        layout.build_dashboard_dir.mkdir(parents=True)
        (layout.build_dashboard_dir / ENTRY).write_text(build)
        swap_dashboard(layout, build)
    assert (layout.dashboard_link / ENTRY).read_text() == "3"
    assert sorted(path.name for path in tmp_path.glob(".dashboard-*")) == [
        ".dashboard-2",
        ".dashboard-3",
    ]


def test_stale_write_ahead_log_of_the_published_file_is_removed(tmp_path: Path) -> None:
    """DuckDB would replay it onto the new file."""
    published = tmp_path / "nav_tiltak.duckdb"
    wal = tmp_path / "nav_tiltak.duckdb.wal"
    wal.write_bytes(b"log")
    remove_stale_wal(published)
    assert not wal.exists()
