"""Running and measuring commands: wall and CPU time, peak memory, and dbt's run results."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from navtiltak.dbt_target import dbt_build_command
from navtiltak_tools import PROJECT_ROOT

DB_FILE = "nav_tiltak.duckdb"
# Variables of the `make bench` that runs us, which must not reach a child `make build`.
MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
# navtiltak/engines/duckdb_file.py's last line:
# "published ... (T s: dbt build D s, Parquet export, dashboard and swap P s)".
PUBLISHED = re.compile(
    r"^published .*\(([0-9.]+) s: dbt build ([0-9.]+) s, "
    r"Parquet export, dashboard and swap ([0-9.]+) s\)$",
    re.MULTILINE,
)
OK_STATUSES = frozenset({"success", "pass"})
TEST_HASH = re.compile(r"\.[0-9a-f]{10}$")

Node = Mapping[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Run:
    """One finished subprocess: wall time, CPU time, peak RSS, the load before, its output."""

    seconds: float
    cpu_seconds: float
    peak_mib: float
    load_before: float
    returncode: int
    output: str


def run_measured(command: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Run:
    """Run ``command``; its peak RSS comes from ``os.wait4`` on this very child."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", errors="replace")
    cpu_seconds = usage.ru_utime + usage.ru_stime
    # Linux reports ru_maxrss in KiB.
    return Run(
        seconds, cpu_seconds, usage.ru_maxrss / 1024, load_before, process.returncode, output
    )


def best_of(repeat: int, measure: Callable[[], T], seconds: Callable[[T], float]) -> T:
    """The fastest of ``repeat`` runs: other load on the machine only ever adds time."""
    return min((measure() for _ in range(repeat)), key=seconds)


def child_env(project: Path) -> dict[str, str]:
    """The environment of every child: the product and the tooling of this working tree
    importable (installed or not), dbt pointed at the copy."""
    env = {key: value for key, value in os.environ.items() if key not in MAKE_VARIABLES}
    trees = [str(PROJECT_ROOT), str(PROJECT_ROOT / "tools")]
    python_path = [*trees, *filter(None, [env.get("PYTHONPATH")])]
    env.update(
        PYTHONPATH=os.pathsep.join(python_path),
        DBT_PROFILES_DIR=str(project),
        NAV_TILTAK_DB_PATH=str(database_path(project)),
        NAV_TILTAK_TARGET="dev",
        DO_NOT_TRACK="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def database_path(project: Path) -> Path:
    """Where a bare `dbt build` of the benchmark writes: never the published file."""
    return project / "target" / "bench-dbt" / DB_FILE


PUBLISHED_DB = Path("warehouse") / DB_FILE


def dbt_executable() -> str:
    beside = Path(sys.executable).with_name("dbt")
    found = str(beside) if beside.exists() else shutil.which("dbt")
    if not found:
        raise SystemExit("error: dbt is not installed in this environment")
    return found


def tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# dbt builds and their run results


@dataclass(frozen=True)
class NodeTime:
    unique_id: str
    status: str
    seconds: float
    started: datetime | None
    completed: datetime | None

    @property
    def resource_type(self) -> str:
        return self.unique_id.split(".", 1)[0]

    @property
    def name(self) -> str:
        """The node's name; a unit test's is ``<model>.<test>``, a data test's has no hash."""
        return TEST_HASH.sub("", self.unique_id.split(".", 2)[-1])


@dataclass(frozen=True)
class MeasuredBuild:
    """One ``dbt build``: the process, dbt's own timings and the marts it left."""

    run: Run
    elapsed: float
    nodes: tuple[NodeTime, ...]
    mart_rows: Mapping[str, int]
    peaks: tuple[float, ...] = ()  # peak MiB of every repeat, this one included

    @property
    def peak_mib(self) -> float:
        """The highest peak over the repeats: memory is judged by its worst run."""
        return max((*self.peaks, self.run.peak_mib))

    @property
    def failed(self) -> list[str]:
        return [node.name for node in self.nodes if node.status not in OK_STATUSES]

    @property
    def ok(self) -> bool:
        return self.run.returncode == 0 and not self.failed

    def node_seconds(self, resource_type: str) -> float:
        return sum(node.seconds for node in self.nodes if node.resource_type == resource_type)

    def span(self, resource_type: str) -> float:
        """Wall time from the first start to the last end of one resource type's nodes."""
        times = [
            (node.started, node.completed)
            for node in self.nodes
            if node.resource_type == resource_type and node.started and node.completed
        ]
        if not times:
            return 0.0
        return (max(end for _, end in times) - min(start for start, _ in times)).total_seconds()


def parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def node_time(result: Node) -> NodeTime:
    execute = next((t for t in result.get("timing", []) if t["name"] == "execute"), {})
    return NodeTime(
        unique_id=result["unique_id"],
        status=str(result["status"]),
        seconds=float(result["execution_time"]),
        started=parse_time(execute.get("started_at")),
        completed=parse_time(execute.get("completed_at")),
    )


def read_run_results(project: Path) -> tuple[float, tuple[NodeTime, ...]]:
    path = project / "target" / "run_results.json"
    if not path.exists():
        return 0.0, ()
    results = json.loads(path.read_text(encoding="utf-8"))
    return float(results["elapsed_time"]), tuple(node_time(r) for r in results["results"])


def mart_row_counts(database: Path) -> dict[str, int]:
    """Row count of every table in schema ``marts``: the results two builds must share."""
    if not database.exists():
        return {}
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'marts' order by table_name"
        ).fetchall()
        return {
            name: connection.execute(f'select count(*) from marts."{name}"').fetchone()[0]
            for (name,) in tables
        }


def best_build(repeat: int, project: Path) -> MeasuredBuild:
    """The fastest of ``repeat`` builds, carrying the peak memory of all of them."""
    builds = [dbt_build(project) for _ in range(repeat)]
    fastest = min(builds, key=lambda build: build.run.seconds)
    return replace(fastest, peaks=tuple(build.run.peak_mib for build in builds))


def dbt_build(project: Path, options: Sequence[str] = ()) -> MeasuredBuild:
    """`make build`'s ``dbt build <options>`` (navtiltak.dbt_target.dbt_build_command) in
    ``project``, into a new database file."""
    database = database_path(project)
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    command = dbt_build_command(dbt_executable(), *options)
    run = run_measured(command, project, child_env(project))
    elapsed, nodes = read_run_results(project)
    build = MeasuredBuild(run, elapsed, nodes, mart_row_counts(database))
    if not build.ok:
        progress(f"dbt build failed in {project}: {build.failed[:5]}\n{tail(run.output)}")
    return build


@dataclass(frozen=True)
class DbtFixedWork:
    """What dbt costs whatever the data, each in its own process, the fastest of the
    repeats: the floor of any `make build` that runs dbt."""

    startup: Run  # `dbt --version`: Python importing dbt-core and the adapter
    parse: Run  # `dbt parse --no-partial-parse`: a fresh clone's parse, start-up included
    # `dbt build --empty --no-partial-parse`: a fresh clone's start-up and parse, then
    # every node with the models reading no rows (seeds still load theirs)
    empty: MeasuredBuild


def dbt_fixed_work(project: Path, repeat: int) -> DbtFixedWork:
    env = child_env(project)
    dbt = dbt_executable()
    startup = best_of(
        repeat, lambda: run_measured([dbt, "--version"], project, env), lambda run: run.seconds
    )
    parse_command = [dbt, "parse", "--no-partial-parse"]
    parse = best_of(
        repeat, lambda: run_measured(parse_command, project, env), lambda run: run.seconds
    )
    empty = best_of(
        repeat,
        lambda: dbt_build(project, ("--empty", "--no-partial-parse")),
        lambda build: build.run.seconds,
    )
    return DbtFixedWork(startup, parse, empty)


# ---------------------------------------------------------------------------------------------
# `make build`, the README's command


@dataclass(frozen=True)
class MakeBuild:
    """One `make build`: the whole process tree, and the phases navtiltak.publish printed."""

    run: Run
    dbt_seconds: float
    export_seconds: float
    build: MeasuredBuild  # dbt's run results and the published marts

    @property
    def ok(self) -> bool:
        return self.run.returncode == 0 and self.build.ok

    @property
    def extraction_seconds(self) -> float:
        """Everything before navtiltak.publish: make, the venv check, the extraction."""
        publish = self.dbt_seconds + self.export_seconds
        return max(self.run.seconds - publish, 0.0) if publish else 0.0


def make_build(project: Path) -> MakeBuild:
    """`make build` in ``project``: wall and CPU time of the whole tree (make, extraction,
    publish, dbt), and its peak: the largest resident set of any one process in it
    (``ru_maxrss`` of a waited-for tree is its largest member's)."""
    run = run_measured(["make", "--no-print-directory", "build"], project, child_env(project))
    match = PUBLISHED.search(run.output)
    dbt_seconds, export_seconds = (float(match[2]), float(match[3])) if match else (0.0, 0.0)
    elapsed, nodes = read_run_results(project)
    build = MeasuredBuild(run, elapsed, nodes, mart_row_counts(project / PUBLISHED_DB))
    if run.returncode != 0 or not match:
        progress(f"make build failed in {project}:\n{tail(run.output)}")
    return MakeBuild(run, dbt_seconds, export_seconds, build)


def best_make_build(repeat: int, project: Path, before: Callable[[], None]) -> MakeBuild:
    """The fastest of ``repeat`` builds, each after ``before``; the peak is the worst run's."""
    builds = []
    for _ in range(repeat):
        before()
        builds.append(make_build(project))
    fastest = min(builds, key=lambda build: build.run.seconds)
    worst = max(build.run.peak_mib for build in builds)
    return replace(fastest, run=replace(fastest.run, peak_mib=worst))


def export_alone(project: Path, database: Path) -> Run:
    """navtiltak.publish's Parquet export of ``database`` in its own process."""
    out = project / "target" / "bench-export"
    shutil.rmtree(out, ignore_errors=True)
    code = (
        "import sys; from pathlib import Path;"
        " from navtiltak.engines.duckdb_file import export_parquet;"
        " export_parquet(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    command = [sys.executable, "-c", code, str(database), str(out)]
    run = run_measured(command, project, child_env(project))
    if run.returncode != 0:
        progress(f"Parquet export failed in {project}:\n{tail(run.output)}")
    return run
