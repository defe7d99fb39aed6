"""The benchmark's arithmetic over measured runs (navtiltak_tools/bench/measure.py), on
hand-made runs and run results: which repeat is kept, the peak over repeats, node time
summed and spanned per resource type, node names, and dbt's run results read."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from navtiltak_tools.bench.measure import MeasuredBuild, NodeTime, Run, best_of, read_run_results

START = datetime(2026, 1, 5, 10, 0, 0, tzinfo=UTC)


def run(seconds: float = 10.0, peak_mib: float = 300.0, returncode: int = 0) -> Run:
    return Run(seconds, seconds, peak_mib, 0.5, returncode, "")


def node(unique_id: str, status: str, seconds: float, start: float, end: float) -> NodeTime:
    return NodeTime(
        unique_id,
        status,
        seconds,
        START + timedelta(seconds=start),
        START + timedelta(seconds=end),
    )


def test_the_fastest_repeat_is_kept_and_every_repeat_runs() -> None:
    times = iter([5.0, 2.0, 7.0])
    calls: list[float] = []

    def measure() -> float:
        calls.append(next(times))
        return calls[-1]

    assert best_of(3, measure, seconds=lambda t: t) == 2.0
    assert calls == [5.0, 2.0, 7.0]


def test_memory_is_the_worst_repeat() -> None:
    build = MeasuredBuild(run(peak_mib=300.0), 9.0, (), {}, peaks=(250.0, 410.0))
    assert build.peak_mib == 410.0
    assert MeasuredBuild(run(peak_mib=300.0), 9.0, (), {}).peak_mib == 300.0


def test_node_time_is_summed_and_spanned_per_resource_type() -> None:
    nodes = (
        node("model.nav_tiltak.a", "success", 1.5, 0.0, 1.5),
        node("model.nav_tiltak.b", "error", 2.0, 1.0, 3.0),  # overlaps a: two threads
        node("test.nav_tiltak.unique_a_id.0123456789", "pass", 0.25, 3.0, 3.25),
    )
    build = MeasuredBuild(run(), 4.0, nodes, {})
    assert build.node_seconds("model") == 3.5  # 1.5 + 2.0
    assert build.span("model") == 3.0  # from a's start (0 s) to b's end (3 s)
    assert build.span("test") == 0.25
    assert build.span("seed") == 0.0  # none ran
    assert build.failed == ["b"]
    assert not build.ok


def test_a_build_is_ok_only_when_dbt_exited_0_and_no_node_failed() -> None:
    passed = (node("model.nav_tiltak.a", "success", 1.0, 0.0, 1.0),)
    assert MeasuredBuild(run(), 1.0, passed, {}).ok
    assert not MeasuredBuild(run(returncode=1), 1.0, passed, {}).ok


def test_node_names_drop_the_package_and_a_data_tests_hash() -> None:
    names = [
        node(unique_id, "pass", 0.0, 0.0, 0.0).name
        for unique_id in (
            "model.nav_tiltak.fct_participants",
            "test.nav_tiltak.unique_dim_county_county_code.0123456789",
            "unit_test.nav_tiltak.int_report_cube.test_one_cell",
        )
    ]
    assert names == [
        "fct_participants",
        "unique_dim_county_county_code",
        "int_report_cube.test_one_cell",
    ]


def test_run_results_are_read(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    results = {
        "elapsed_time": 12.5,
        "results": [
            {
                "unique_id": "seed.nav_tiltak.report_fylke",
                "status": "success",
                "execution_time": 0.75,
                "timing": [
                    {"name": "compile", "started_at": "2026-01-05T09:59:59Z"},
                    {
                        "name": "execute",
                        "started_at": "2026-01-05T10:00:00Z",
                        "completed_at": "2026-01-05T10:00:00.750000Z",
                    },
                ],
            },
            {"unique_id": "model.nav_tiltak.a", "status": "skipped", "execution_time": 0},
        ],
    }
    (target / "run_results.json").write_text(json.dumps(results), encoding="utf-8")
    elapsed, nodes = read_run_results(tmp_path)
    assert elapsed == 12.5
    assert nodes == (
        NodeTime(
            "seed.nav_tiltak.report_fylke",
            "success",
            0.75,
            START,
            START + timedelta(seconds=0.75),
        ),
        NodeTime("model.nav_tiltak.a", "skipped", 0.0, None, None),
    )


def test_no_run_results_is_no_time(tmp_path: Path) -> None:
    assert read_run_results(tmp_path) == (0.0, ())
