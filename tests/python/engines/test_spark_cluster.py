"""A Spark cluster over Thrift: `make build ENGINE=spark_cluster` against a throwaway
standalone cluster (a master, two workers, the Thrift server; tools/navtiltak_tools/
spark_cluster.py), on November 2013 plus generated months.

The cluster is started as a user starts one by hand, `python -m
navtiltak_tools.spark_cluster`, whose process owns it. One sequence, recorded by the
module's fixture, then examined test by test:
1. `make build ENGINE=spark_cluster` with November 2013 and two generated months: its
   marts, read over Thrift from the served views, must equal a DuckDB build of the same
   seeds row for row.
2. A reader starts querying two marts in one statement, over its own Thrift session, and
   keeps on until the end.
3. A second publication: a build holding November 2013 alone (the first build's marts
   copied, one month kept; a second dbt build would double this module's time) is
   published by the same function `make build` publishes with.
4. A build with one report table whose November 2013 does not load (a failing month):
   the build fails, and the served marts must be exactly those of step 3. The reader
   stops; what it saw must be, mart by mart, one publication's whole table.
5. Last, the owner is sent SIGTERM (what a CI time-out sends): every JVM, the workers'
   executors included, must be gone, and the cluster's directory removed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from engine_builds import (
    FIXTURE_ROWS,
    FIXTURE_SEED,
    GENERATED_MONTHS,
    MARTS_SCHEMA,
    Rows,
    assert_marts_agree,
    break_one_report_table,
    comparable_rows,
    duckdb_marts,
    prepare_months,
    shared_duckdb_reference,
)

from navtiltak.engines import spark_cluster as engine
from navtiltak_tools.spark_cluster import (
    WORKER_CORES,
    WORKERS,
    AnnouncedCluster,
    ThrowawaySparkCluster,
    read_announcement,
)
from navtiltak_tools.testing.warehouse_fixtures import child_env, copy_project

# Two marts in one statement: the rows and months of a fact, the months of the month
# dimension. Each must be one build's whole table.
CONSISTENCY_QUERY = f"""
select
    (select count(*) from {MARTS_SCHEMA}.fct_participants_by_measure),
    (select count(distinct month) from {MARTS_SCHEMA}.fct_participants_by_measure),
    (select count(*) from {MARTS_SCHEMA}.dim_month)
"""
# The reader reads as fast as the server answers while a publication re-points the views,
# and twice a second while the failing build runs: that build publishes nothing, what it
# must not change is read again at the end, and reads at full speed kept the Thrift
# server's driver busy for the whole build.
READER_PAUSE_SECONDS = 0.01
READER_PAUSE_DURING_FAILING_BUILD = 0.5
# The first build's month kept in the second publication.
KEPT_MONTH = "2013-11-01"
PUBLISHED_LINE = re.compile(r"published (\d+) marts as views in schema marts .* over build (\S+) ")
# dbt-spark asks whether a statement finished every poll_interval seconds (whole
# seconds): 0 asks again at once, which on this one machine halves the build's time.
TEST_POLL_INTERVAL = "0"
SPARK_VARIABLES = "NAV_TILTAK_SPARK_"


def connect(cluster: ThrowawaySparkCluster) -> Iterator[Any]:
    settings = engine.ClusterSettings("thrift", "127.0.0.1", cluster.thrift_port, None)
    return engine.connect(settings)


def typed(value: Any, type_code: str) -> Any:
    """PyHive hands dates, timestamps and decimals over as text."""
    if value is None:
        return None
    if type_code == "DATE_TYPE":
        return dt.date.fromisoformat(value)
    if type_code == "TIMESTAMP_TYPE":
        return dt.datetime.fromisoformat(value)
    if type_code == "DECIMAL_TYPE":
        return Decimal(value)
    return value


def read_table(cursor: Any, relation: str) -> tuple[list[str], Rows]:
    cursor.execute(f"select * from {relation}")
    rows = cursor.fetchall()
    description = cursor.description
    columns = [column[0] for column in description]
    converted = [
        tuple(typed(value, column[1]) for value, column in zip(row, description, strict=True))
        for row in rows
    ]
    return columns, comparable_rows(converted)


def served_marts(cluster: ThrowawaySparkCluster) -> dict[str, tuple[list[str], Rows]]:
    with connect(cluster) as cursor:
        names = sorted(engine.relations(cursor, MARTS_SCHEMA))
        return {name: read_table(cursor, f"{MARTS_SCHEMA}.{name}") for name in names}


@dataclass
class Reader:
    """Queries two marts in one statement until stopped; records what it saw."""

    cluster: ThrowawaySparkCluster
    seen: list[tuple[int, int, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    pause: float = READER_PAUSE_SECONDS

    def run(self) -> None:
        with connect(self.cluster) as cursor:
            while not self.stop.is_set():
                try:
                    cursor.execute(CONSISTENCY_QUERY)
                    self.seen.append(tuple(cursor.fetchone()))
                except Exception as exc:  # whatever the server answered: recorded
                    self.errors.append(str(exc)[:500])
                time.sleep(self.pause)


@dataclass(frozen=True)
class Sequence:
    cluster: ThrowawaySparkCluster
    built: subprocess.CompletedProcess[str]
    first_build: str
    second_build: str
    failed: subprocess.CompletedProcess[str]
    reader: Reader
    marts_after_build: dict[str, tuple[list[str], Rows]]
    fixture_rows: Rows
    marts_after_second: dict[str, tuple[list[str], Rows]]
    marts_after_failed: dict[str, tuple[list[str], Rows]]
    databases_after_failed: list[str]
    duckdb_database: Path


@dataclass(frozen=True)
class OwnedCluster:
    owner: subprocess.Popen[str]
    announced: AnnouncedCluster


@pytest.fixture(scope="module")
def owned() -> Iterator[OwnedCluster]:
    """A master, two workers and the Thrift server on 127.0.0.1 and free ports, started
    by an owner process; the last test stops the owner, and so does the end of the
    module when a test before it failed (SIGTERM: the owner stops every JVM by its PID)."""
    owner = subprocess.Popen(
        [sys.executable, "-m", "navtiltak_tools.spark_cluster"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert owner.stdout is not None
        yield OwnedCluster(owner, read_announcement(owner.stdout))
    finally:
        if owner.poll() is None:
            owner.terminate()
            try:
                owner.wait(timeout=120)
            except subprocess.TimeoutExpired:
                owner.kill()


@pytest.fixture(scope="module")
def cluster(owned: OwnedCluster) -> ThrowawaySparkCluster:
    return owned.announced.cluster


def publish(
    project: Path, cluster: ThrowawaySparkCluster, *, with_make: bool = False, **variables: str
) -> subprocess.CompletedProcess[str]:
    """`python -m navtiltak.publish --engine spark_cluster`, or with_make the user's own
    command, `make build ENGINE=spark_cluster` (extraction first), against `cluster`
    alone: no NAV_TILTAK_SPARK_* variable of ours reaches the child."""
    env = {k: v for k, v in child_env(project).items() if not k.startswith(SPARK_VARIABLES)}
    env.update(cluster.dbt_environment(), NAV_TILTAK_SPARK_POLL_INTERVAL=TEST_POLL_INTERVAL)
    env.update(variables)
    command = (
        ["make", "--no-print-directory", "build", "ENGINE=spark_cluster"]
        if with_make
        else [sys.executable, "-m", "navtiltak.publish", "--engine", "spark_cluster"]
    )
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def publish_one_month(cluster: ThrowawaySparkCluster, first_build: str) -> str:
    """A second build made of the first's marts, November 2013 only where a mart has a
    month, published as `make build` publishes one."""
    second_build = engine.new_build_name()
    source = engine.build_schema(first_build, MARTS_SCHEMA)
    target = engine.build_schema(second_build, MARTS_SCHEMA)
    with connect(cluster) as cursor:
        cursor.execute(f"create database {target}")
        for mart in engine.relations(cursor, source):
            cursor.execute(f"describe {source}.{mart}")
            columns = {row[0] for row in cursor.fetchall()}
            where = f" where month = date '{KEPT_MONTH}'" if "month" in columns else ""
            cursor.execute(
                f"create table {target}.{mart} using parquet as "
                f"select * from {source}.{mart}{where}"
            )
        engine.publish(cursor, second_build)
    return second_build


@pytest.fixture(scope="module")
def sequence(tmp_path_factory: pytest.TempPathFactory, cluster: ThrowawaySparkCluster) -> Sequence:
    project = copy_project(tmp_path_factory.mktemp("spark-cluster") / "project")
    prepare_months(project)
    built = publish(project, cluster, with_make=True)
    output = built.stdout + built.stderr
    assert built.returncode == 0, output[-4000:]
    published = PUBLISHED_LINE.search(built.stdout)
    assert published is not None, built.stdout[-2000:]
    first_build = published[2]
    marts_after_build = served_marts(cluster)
    with connect(cluster) as cursor:
        _, fixture_rows = read_table(
            cursor, f"{engine.build_schema(first_build, 'reference')}.{FIXTURE_SEED}"
        )
    duckdb_database = shared_duckdb_reference(tmp_path_factory, project)
    reader = Reader(cluster)
    thread = threading.Thread(target=reader.run, daemon=True)
    thread.start()
    try:
        second_build = publish_one_month(cluster, first_build)
        # A few reads of the second publication before the failing build starts.
        time.sleep(2)
        marts_after_second = served_marts(cluster)
        break_one_report_table(project)
        reader.pause = READER_PAUSE_DURING_FAILING_BUILD
        # Not through make: its extraction would rewrite the seed from the reports. dbt
        # stops at the first failure (DBT_FAIL_FAST): the build fails as it would after
        # the whole graph, in a fraction of its time. On one thread: with two, dbt's
        # fail-fast cancels the other thread's statement over the same PyHive
        # transport, which once hung the build for over ten minutes.
        failed = publish(project, cluster, DBT_FAIL_FAST="true", NAV_TILTAK_SPARK_THREADS="1")
    finally:
        reader.stop.set()
        thread.join(timeout=60)
    with connect(cluster) as cursor:
        databases = engine.databases(cursor)
    return Sequence(
        cluster=cluster,
        built=built,
        first_build=first_build,
        second_build=second_build,
        failed=failed,
        reader=reader,
        marts_after_build=marts_after_build,
        fixture_rows=fixture_rows,
        marts_after_second=marts_after_second,
        marts_after_failed=served_marts(cluster),
        databases_after_failed=databases,
        duckdb_database=duckdb_database,
    )


def test_cluster_runs_two_workers_each_its_own_jvm(owned: OwnedCluster) -> None:
    state = owned.announced.cluster.master_state()
    workers = [worker for worker in state["workers"] if worker["state"] == "ALIVE"]
    assert len(workers) == WORKERS
    assert all(worker["cores"] == WORKER_CORES for worker in workers)
    (application,) = state["activeapps"]
    assert application["name"] == "nav-tiltak-thrift-server"
    # Each worker started an executor for the Thrift server, as a JVM of its own.
    assert len(executors_of(owned)) == WORKERS
    assert sorted(owned.announced.pids) == ["master", "thrift-server", "worker-1", "worker-2"]
    assert len(set(owned.announced.pids.values())) == WORKERS + 2


def executors_of(owned: OwnedCluster) -> set[int]:
    """The executor JVMs the workers started."""
    workers = {pid for name, pid in owned.announced.pids.items() if name.startswith("worker-")}
    return {
        pid
        for pid, parent, command in process_table()
        if parent in workers and "CoarseGrainedExecutorBackend" in command
    }


def process_table() -> list[tuple[int, int, str]]:
    """Every process: PID, parent PID, command line, from /proc."""
    table = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(errors="replace")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        table.append((int(entry.name), parent, command))
    return table


def test_marts_equal_duckdb_row_for_row(sequence: Sequence) -> None:
    expected = duckdb_marts(sequence.duckdb_database)
    assert {"fct_report_cells", "fct_reconciliation_checks", "dim_county"} <= set(expected)
    assert_marts_agree(expected, sequence.marts_after_build)


def test_contract_constraints_are_asserted_by_tests(sequence: Sequence) -> None:
    """Parquet tables hold no constraints: the contract's test ran on every mart."""
    for mart in sequence.marts_after_build:
        assert f"PASS contract_constraints_hold_{mart}_" in sequence.built.stdout


def test_every_served_mart_is_a_view_over_the_published_build(sequence: Sequence) -> None:
    with connect(sequence.cluster) as cursor:
        served = engine.relations(cursor, MARTS_SCHEMA)
        built = engine.relations(cursor, engine.build_schema(sequence.second_build, MARTS_SCHEMA))
        assert engine.served_builds(cursor) == {sequence.second_build}
    assert served == dict.fromkeys(sorted(built), True)
    assert f"published {len(served)} marts" in sequence.built.stdout


def test_reader_never_sees_a_missing_or_half_written_mart(sequence: Sequence) -> None:
    """Each mart, in every statement, is one build's whole table. Both marts from the
    same build is not promised: the views are re-pointed one after the other (README)."""
    first, second = sequence.marts_after_build, sequence.marts_after_second
    fact_rows = {
        len(first["fct_participants_by_measure"][1]),
        len(second["fct_participants_by_measure"][1]),
    }
    months_first, months_second = 1 + len(GENERATED_MONTHS), 1
    assert sequence.reader.errors == []
    assert len(sequence.reader.seen) > 10
    mixed = sum(1 for _, months, dimension in sequence.reader.seen if months != dimension)
    print(f"reader: {len(sequence.reader.seen)} statements, {mixed} read two publications")
    for rows, fact_months, dimension_months in sequence.reader.seen:
        assert (rows, fact_months) in {
            (len(first["fct_participants_by_measure"][1]), months_first),
            (len(second["fct_participants_by_measure"][1]), months_second),
        }
        assert dimension_months in {months_first, months_second}
    assert len(fact_rows) == 2
    # It read both publications.
    assert {seen[2] for seen in sequence.reader.seen} == {months_first, months_second}


def test_a_failed_build_leaves_the_served_marts(sequence: Sequence) -> None:
    assert sequence.failed.returncode != 0
    assert "build failed. Schema marts on 127.0.0.1" in sequence.failed.stderr
    assert sequence.marts_after_failed == sequence.marts_after_second
    # The second publication's months only: not the failed build's.
    assert [row[0] for row in sequence.marts_after_failed["dim_month"][1]] == [
        dt.date.fromisoformat(KEPT_MONTH)
    ]


def test_the_next_build_drops_the_replaced_builds(sequence: Sequence) -> None:
    builds = {
        match[1]
        for database in sequence.databases_after_failed
        if (match := engine.BUILD_DATABASE.match(database))
    }
    # The first build, replaced by the second, went when the failing build started; the
    # failing build stays for inspection beside the served one.
    assert sequence.first_build not in builds
    assert sequence.second_build in builds
    assert len(builds) == 2
    assert engine.LOCK_DATABASE not in sequence.databases_after_failed


def test_seed_loading_round_trips(sequence: Sequence) -> None:
    assert sequence.fixture_rows == FIXTURE_ROWS


def test_a_build_refuses_while_another_holds_the_lock(sequence: Sequence, tmp_path: Path) -> None:
    """While the lock is held (a build running), another build refuses at once."""
    with connect(sequence.cluster) as cursor:
        cursor.execute(f"create database {engine.LOCK_DATABASE}")
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith(SPARK_VARIABLES)}
            env.update(sequence.cluster.dbt_environment())
            result = subprocess.run(
                [sys.executable, "-m", "navtiltak.publish", "--engine", "spark_cluster"],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            cursor.execute(f"drop database {engine.LOCK_DATABASE}")
    assert result.returncode == 1
    assert "another build is running" in result.stderr
    assert served_marts(sequence.cluster) == sequence.marts_after_second


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def alive(pid: int) -> bool:
    """Running, not a zombie (gone but for its exit status)."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_the_cluster_is_removed_when_its_owner_is_stopped(
    owned: OwnedCluster, sequence: Sequence
) -> None:
    """The module's last test (they run in file order): SIGTERM, as a CI time-out sends,
    to the owner. Every JVM stopped by its PID, the executors with their workers; the
    directory removed. (Ctrl-C, SIGINT, ends the owner the same way:
    test_spark_cluster_owner.py.)"""
    cluster = owned.announced.cluster
    assert accepts_connections(cluster.thrift_port)
    assert (cluster.root / "metastore_db").exists()
    jvms = set(owned.announced.pids.values()) | executors_of(owned)
    assert len(jvms) == 2 * WORKERS + 2
    owned.owner.send_signal(signal.SIGTERM)
    owned.owner.wait(timeout=120)
    assert not accepts_connections(cluster.thrift_port)
    assert [pid for pid in jvms if alive(pid)] == []
    assert not cluster.root.exists()
