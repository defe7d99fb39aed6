"""``python -m navtiltak_tools.bench.engines`` (`make bench-engines`): `make build
ENGINE=...` on each engine at 1 and 13 months; writes the engines section of BENCHMARKS.md.

    python -m navtiltak_tools.bench.engines [--months 1,13] [--out BENCHMARKS.md]

Each build runs in a fresh copy of the project (venv linked) with the months generated
into reports/, PostgreSQL against a throwaway server (tools/navtiltak_tools/
postgres_server.py), spark_cluster against a throwaway standalone cluster
(tools/navtiltak_tools/spark_cluster.py) of two workers and again of one. Memory is
sampled from /proc every 0.2 s: the peak of the summed resident sets of the whole `make
build` tree (Spark's JVM included, which `ru_maxrss` of the tree would miss: pyspark does
not wait for it); for a server, separately, of its processes (PostgreSQL's shared buffers
counted once per process, so an upper bound; a cluster's every JVM: master, workers,
their executors, the Thrift server), and of both together.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from navtiltak_tools import PROJECT_ROOT
from navtiltak_tools.bench.measure import child_env, progress, tail
from navtiltak_tools.bench.project import clone_project, drop_reports, months_for
from navtiltak_tools.bench.report import write_results
from navtiltak_tools.postgres_server import throwaway_postgres
from navtiltak_tools.spark_cluster import throwaway_spark_cluster

ENGINES = ("duckdb", "postgres", "spark", "spark_cluster")
# The cluster is measured with each number of workers (of 1 core and 1 GB each).
DEFAULT_CLUSTER_WORKERS = (2, 1)
# dbt-spark asks whether a statement finished at once, not every second: the cluster is
# on this machine (README, NAV_TILTAK_SPARK_POLL_INTERVAL).
CLUSTER_POLL_INTERVAL = "0"
DEFAULT_MONTHS = (1, 13)
SAMPLE_SECONDS = 0.2
BEGIN_MARK = "<!-- bench-engines:begin (python -m navtiltak_tools.bench.engines writes this) -->"
END_MARK = "<!-- bench-engines:end -->"
# navtiltak/engines/*.py end with "(T s: dbt build D s, ...".
PHASES = re.compile(r"\(([0-9.]+) s: dbt build ([0-9.]+) s")


def process_tree_rss_mib(*roots: int) -> float:
    """Summed resident set of the `roots` and every descendant, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path("/proc", entry.name, "stat").read_text(encoding="ascii", errors="replace")
            fields = stat.rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        # After the command's closing parenthesis: state, ppid, ...; rss is field 24.
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    return tree_bytes(children, rss, roots) / 2**20


def tree_bytes(
    children: Mapping[int, Sequence[int]], rss: Mapping[int, int], roots: Sequence[int]
) -> int:
    """The summed ``rss`` of ``roots`` and all their descendants, each process once (a
    root inside another root's tree is not counted twice; one gone from ``rss`` is 0)."""
    total, stack, seen = 0, list(roots), set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


class PeakSampler:
    """Samples the summed RSS of process trees until stopped; keeps the peak."""

    def __init__(self, *roots: int) -> None:
        self.roots = roots
        self.peak_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mib = max(self.peak_mib, process_tree_rss_mib(*self.roots))
            time.sleep(SAMPLE_SECONDS)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass(frozen=True)
class EngineRun:
    engine: str
    months: int
    seconds: float
    dbt_seconds: float
    peak_mib: float
    server_peak_mib: float | None
    ok: bool
    total_peak_mib: float | None = None


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postmaster.pid").read_text().splitlines()[0])


def make_build(
    project: Path, engine: str, extra_env: dict[str, str], server_pids: Sequence[int] = ()
) -> tuple[float, str, float, float]:
    """Time, output, peak MiB of the `make build` tree, and of it with `server_pids`'
    trees."""
    env = {**child_env(project), **extra_env}
    env.pop("NAV_TILTAK_DB_PATH", None)
    command = ["make", "--no-print-directory", "build", f"ENGINE={engine}"]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=log)
        with PeakSampler(process.pid) as sampler, PeakSampler(process.pid, *server_pids) as both:
            returncode = process.wait()
        seconds = time.perf_counter() - started
        log.seek(0)
        output = log.read().decode("utf-8", errors="replace")
    if returncode != 0:
        progress(f"make build ENGINE={engine} failed in {project}:\n{tail(output)}")
        return seconds, "", sampler.peak_mib, both.peak_mib
    return seconds, output, sampler.peak_mib, both.peak_mib


def measure(engine: str, months: int, workdir: Path, seed: int, workers: int = 0) -> EngineRun:
    label = f"{engine}, {workers} worker{'s' if workers > 1 else ''}" if workers else engine
    project = clone_project(workdir / f"{engine}{workers or ''}-{months:03d}" / "project")
    drop_reports(project, months_for(months), seed)
    progress(f"make build ENGINE={label}, {months} months")
    server_peak: float | None = None
    total_peak: float | None = None
    if engine == "postgres":
        with throwaway_postgres() as server:
            pid = postmaster_pid(server.data_dir)
            with PeakSampler(pid) as server_sampler:
                seconds, output, peak, total_peak = make_build(
                    project, engine, server.libpq_environment(server.builder), [pid]
                )
            server_peak = server_sampler.peak_mib
    elif engine == "spark_cluster":
        with throwaway_spark_cluster(workers) as cluster:
            pids = [process.pid for process in cluster.processes]
            env = {
                **cluster.dbt_environment(),
                "NAV_TILTAK_SPARK_POLL_INTERVAL": CLUSTER_POLL_INTERVAL,
            }
            with PeakSampler(*pids) as server_sampler:
                seconds, output, peak, total_peak = make_build(project, engine, env, pids)
            server_peak = server_sampler.peak_mib
    else:
        seconds, output, peak, _ = make_build(project, engine, {})
    phases = PHASES.search(output)
    return EngineRun(
        label,
        months,
        seconds,
        float(phases[2]) if phases else 0.0,
        peak,
        server_peak,
        ok=bool(phases),
        total_peak_mib=total_peak,
    )


def render(runs: Sequence[EngineRun], command: str) -> str:
    lines = [
        BEGIN_MARK,
        "",
        "### Engines: `make build ENGINE=...`",
        "",
        f"Measured by `{command}` on this machine: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, one run each, each in a "
        "fresh copy with the venv present and the engine's packages installed. Peak: the "
        "summed resident sets of the `make build` process tree (Spark's JVM included), "
        "sampled every 0.2 s; for PostgreSQL the server's processes separately (each "
        "counts the shared buffers it touched, so an upper bound); for the Spark cluster "
        "(a throwaway standalone cluster on this machine, workers of 1 core and 1 GB, over "
        f"Thrift with NAV_TILTAK_SPARK_POLL_INTERVAL={CLUSTER_POLL_INTERVAL}) every JVM of "
        "the cluster: master, workers, their executors and the Thrift server. Total: "
        "`make build` and the server sampled together.",
        "",
        "| engine | months | `make build` s | of which `dbt build` s | peak MiB "
        "| server peak MiB | total peak MiB | ok |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        server = f"{run.server_peak_mib:.0f}" if run.server_peak_mib is not None else "-"
        total = f"{run.total_peak_mib:.0f}" if run.total_peak_mib is not None else "-"
        lines.append(
            f"| {run.engine} | {run.months} | {run.seconds:.1f} | {run.dbt_seconds:.1f} | "
            f"{run.peak_mib:.0f} | {server} | {total} | {'yes' if run.ok else 'FAILED'} |"
        )
    lines += ["", END_MARK]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m navtiltak_tools.bench.engines")
    parser.add_argument("--months", default=",".join(map(str, DEFAULT_MONTHS)))
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--cluster-workers", default=",".join(map(str, DEFAULT_CLUSTER_WORKERS)))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    counts = [int(part) for part in args.months.split(",")]
    engines = [name for name in args.engines.split(",") if name]
    cluster_workers = [int(part) for part in args.cluster_workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="navtiltak-bench-engines-") as workdir:
        runs = [
            measure(engine, count, Path(workdir), args.seed, workers)
            for engine in engines
            for workers in (cluster_workers if engine == "spark_cluster" else [0])
            for count in counts
        ]
    command = (
        f"python -m navtiltak_tools.bench.engines --months {args.months} "
        f"--cluster-workers {args.cluster_workers}"
    )
    write_results(args.out, render(runs, command), BEGIN_MARK, END_MARK)
    progress(f"engines section written to {args.out}")
    return 0 if all(run.ok for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
