"""The engine benchmark's arithmetic and table (navtiltak_tools/bench/engines.py): the
memory of a process tree summed, the phases read from the line an engine prints, and a
small known set of runs rendered."""

from __future__ import annotations

from navtiltak_tools.bench.engines import (
    BEGIN_MARK,
    END_MARK,
    PHASES,
    EngineRun,
    render,
    tree_bytes,
)

# pid -> its children; pid -> resident bytes. 9 has ended (no rss), its child 10 lives.
CHILDREN = {1: [2, 3], 2: [4], 3: [], 9: [10]}
RSS = {1: 100, 2: 20, 3: 30, 4: 4, 10: 1000, 11: 7}


def test_a_tree_is_summed_once_per_process() -> None:
    assert tree_bytes(CHILDREN, RSS, [1]) == 154  # 100 + 20 + 30 + 4
    assert tree_bytes(CHILDREN, RSS, [2]) == 24  # 20 + 4
    assert tree_bytes(CHILDREN, RSS, [1, 2]) == 154  # 2 lies in 1's tree: not twice
    assert tree_bytes(CHILDREN, RSS, [1, 9]) == 1154  # 9 counts 0, its child 1000
    assert tree_bytes(CHILDREN, RSS, []) == 0


def test_the_phases_are_read_from_the_engines_last_line() -> None:
    line = (
        "published warehouse/nav_tiltak.duckdb, 11 Parquet files in warehouse/parquet/ and "
        "the dashboard warehouse/dashboard/index.html (18.9 s: dbt build 17.7 s, Parquet "
        "export, dashboard and swap 1.2 s)"
    )
    match = PHASES.search(line)
    assert match is not None
    assert match.groups() == ("18.9", "17.7")


def test_runs_are_rendered_one_row_each() -> None:
    runs = [
        EngineRun("duckdb", 1, 20.04, 17.66, 512.4, None, True),
        EngineRun("postgres", 13, 95.5, 80.26, 300.6, 120.4, False, 421.0),
    ]
    lines = render(runs, "python -m navtiltak_tools.bench.engines").splitlines()
    assert lines[0] == BEGIN_MARK
    assert lines[-1] == END_MARK
    header = lines.index(
        "| engine | months | `make build` s | of which `dbt build` s | peak MiB "
        "| server peak MiB | total peak MiB | ok |"
    )
    assert lines[header + 2 : header + 4] == [
        "| duckdb | 1 | 20.0 | 17.7 | 512 | - | - | yes |",
        "| postgres | 13 | 95.5 | 80.3 | 301 | 120 | 421 | FAILED |",
    ]
