"""A throwaway Spark standalone cluster for tests: a master, two workers and the Thrift
JDBC/ODBC server, from the installed pyspark's own files, on 127.0.0.1 and free ports.

    with throwaway_spark_cluster() as cluster:
        env = {**os.environ, **cluster.dbt_environment()}

Each of the four is a JVM of its own, started in its own process group: the master; two
workers, each offering WORKER_CORES core and WORKER_MEMORY to executors (which the
workers start as their own child JVMs); and HiveThriftServer2, an application submitted
to the master, whose executors run on the workers. The Thrift server keeps its metastore
(Derby) and its warehouse under one temporary directory, with every log and work
directory. When the block ends, also on an exception, SIGTERM or Ctrl-C, each is stopped
by its PID (SIGTERM, then SIGKILL to its process group) and the directory removed.

`python -m navtiltak_tools.spark_cluster` starts one and prints its NAV_TILTAK_SPARK_*
variables until Ctrl-C or SIGTERM, for trying `make build ENGINE=spark_cluster` by hand;
the engine tests start their cluster so and read what it prints with read_announcement.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from navtiltak_tools.throwaway import (
    announce_until_interrupted,
    free_port,
    stopped_by_sigterm_too,
)

HOST = "127.0.0.1"
WORKERS = 2
WORKER_CORES = 1
WORKER_MEMORY = "1g"
# Each executor takes a whole worker: one core, all its memory.
EXECUTOR_MEMORY = WORKER_MEMORY
THRIFT_DRIVER_MEMORY = "1g"
# The master's and workers' own heaps (Spark's default is 1g each): they only schedule.
DAEMON_MEMORY = "256m"
# Every JVM of this small, short-lived cluster compiles with the client compiler only and
# collects garbage on one thread: on 2 cores the cluster's tests took 11 % less CPU
# (529 s instead of 595 s, master, workers, executors and Thrift server together).
JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
# The data is small: a few partitions per shuffle (one per core and a spare), not 200.
SHUFFLE_PARTITIONS = 4
START_TIMEOUT_SECONDS = 180.0
STOP_TIMEOUT_SECONDS = 20.0
LOG_TAIL_CHARACTERS = 3000
THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
# The Thrift server's log line once it takes connections.
THRIFT_STARTED = re.compile(r"HiveThriftServer2 started")
# What `python -m navtiltak_tools.spark_cluster` prints once its cluster is up, the data
# line last.
EXPORT_LINE = "export "
MASTER_LINE = "# master: "
PIDS_LINE = "# pids: "
DATA_LINE = "# data: "
MASTER_ADDRESSES = re.compile(r"spark://[^:]+:(\d+) \(web UI http://[^:]+:(\d+)\)")


class SparkUnavailableError(RuntimeError):
    """pyspark (requirements-spark.txt) or Java is not installed (`make engines`)."""


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-LOG_TAIL_CHARACTERS:]
        except OSError:
            return ""


@dataclass
class ThrowawaySparkCluster:
    root: Path
    master_port: int
    master_ui_port: int
    thrift_port: int
    processes: list[Process] = field(default_factory=list)

    @property
    def master_url(self) -> str:
        return f"spark://{HOST}:{self.master_port}"

    @property
    def warehouse_dir(self) -> Path:
        return self.root / "warehouse"

    def dbt_environment(self) -> dict[str, str]:
        """The variables of profile target spark_cluster that reach this Thrift server."""
        return {
            "NAV_TILTAK_SPARK_METHOD": "thrift",
            "NAV_TILTAK_SPARK_HOST": HOST,
            "NAV_TILTAK_SPARK_PORT": str(self.thrift_port),
        }

    def master_state(self) -> dict[str, object]:
        """The master's own account of its workers and applications (its web UI's JSON)."""
        with urllib.request.urlopen(f"http://{HOST}:{self.master_ui_port}/json/", timeout=10) as r:
            return json.loads(r.read())


def spark_home() -> Path:
    """The installed pyspark package, which holds Spark's bin/ and jars/."""
    try:
        import pyspark
    except ImportError as exc:
        raise SparkUnavailableError(
            "pyspark is not installed: run `make engines` (requirements-spark.txt)"
        ) from exc
    home = Path(pyspark.__file__).parent
    if not (home / "bin" / "spark-class").exists():
        raise SparkUnavailableError(f"{home} has no bin/spark-class")
    if not list((home / "jars").glob("spark-hive-thriftserver_*.jar")):
        raise SparkUnavailableError(f"{home}/jars holds no Thrift server")
    if shutil.which("java") is None:
        raise SparkUnavailableError("java is not installed: run `make java`")
    return home


def _environment(home: Path, root: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing of a Spark the environment names: this cluster only.
        if not key.startswith(("SPARK_", "PYSPARK_"))
    }
    env.update(
        {
            "SPARK_HOME": str(home),
            "SPARK_CONF_DIR": str(root / "conf"),
            "SPARK_LOCAL_DIRS": str(root / "local"),
            "SPARK_LOG_DIR": str(root / "logs"),
            "SPARK_DAEMON_MEMORY": DAEMON_MEMORY,
            "SPARK_DAEMON_JAVA_OPTS": JAVA_OPTIONS,
            "SPARK_LOCAL_IP": HOST,
            "SPARK_PUBLIC_DNS": HOST,
        }
    )
    return env


def _write_configuration(root: Path) -> None:
    """Spark's log4j2 configuration: warnings and errors only, to each JVM's log file."""
    conf = root / "conf"
    conf.mkdir()
    (conf / "log4j2.properties").write_text(
        "rootLogger.level = warn\n"
        "rootLogger.appenderRef.stdout.ref = console\n"
        "appender.console.type = Console\n"
        "appender.console.name = console\n"
        "appender.console.target = SYSTEM_ERR\n"
        "appender.console.layout.type = PatternLayout\n"
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n"
        # The lines the start waits for.
        "logger.master.name = org.apache.spark.deploy.master.Master\n"
        "logger.master.level = info\n"
        "logger.thrift.name = org.apache.spark.sql.hive.thriftserver\n"
        "logger.thrift.level = info\n",
        encoding="utf-8",
    )


def _start(name: str, command: list[str], env: dict[str, str], root: Path) -> Process:
    log = root / "logs" / f"{name}.log"
    with log.open("wb") as stream:
        popen = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stream,
            stderr=subprocess.STDOUT,
            # Its own process group: a worker's executors are in its group, and a
            # SIGKILL to the group takes them too.
            start_new_session=True,
        )
    return Process(name, popen, log)


def _wait_for(what: str, ready: Callable[[], bool], processes: list[Process]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        for process in processes:
            if process.popen.poll() is not None:
                raise RuntimeError(
                    f"Spark's {process.name} exited before {what}:\n{process.log_tail()}"
                )
        if ready():
            return
        time.sleep(0.2)
    tails = "\n".join(f"--- {p.name}\n{p.log_tail()}" for p in processes)
    raise RuntimeError(f"Spark: no {what} in {START_TIMEOUT_SECONDS:.0f} s\n{tails}")


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.5):
        return True
    return False


def _alive_workers(cluster: ThrowawaySparkCluster) -> int:
    try:
        state = cluster.master_state()
    except OSError:
        return 0
    workers = state.get("workers", [])
    return sum(1 for worker in workers if isinstance(worker, dict) and worker["state"] == "ALIVE")


def _thrift_started(process: Process) -> bool:
    try:
        text = process.log.read_text(errors="replace")
    except OSError:
        return False
    return THRIFT_STARTED.search(text) is not None


def stop(processes: list[Process]) -> None:
    """SIGTERM to each PID, the Thrift server first (its executors go with it), then the
    workers, then the master; SIGKILL to a process group that outlives
    STOP_TIMEOUT_SECONDS. A group is its JVM and whatever that started (a worker's
    executors)."""
    for process in reversed(processes):
        if process.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(timeout=STOP_TIMEOUT_SECONDS)
        # Whatever the group still holds (an executor a worker did not stop).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(timeout=STOP_TIMEOUT_SECONDS)


@contextlib.contextmanager
def throwaway_spark_cluster(workers: int = WORKERS) -> Iterator[ThrowawaySparkCluster]:
    with stopped_by_sigterm_too(), _throwaway_spark_cluster(workers) as cluster:
        yield cluster


@contextlib.contextmanager
def _throwaway_spark_cluster(workers: int) -> Iterator[ThrowawaySparkCluster]:
    home = spark_home()
    root = Path(tempfile.mkdtemp(prefix="nav-tiltak-spark-cluster-"))
    cluster = ThrowawaySparkCluster(
        root=root, master_port=free_port(), master_ui_port=free_port(), thrift_port=free_port()
    )
    try:
        for directory in ("logs", "local", "warehouse"):
            (root / directory).mkdir()
        _write_configuration(root)
        env = _environment(home, root)
        spark_class = str(home / "bin" / "spark-class")
        master = _start(
            "master",
            [
                spark_class,
                "org.apache.spark.deploy.master.Master",
                "--host",
                HOST,
                "--port",
                str(cluster.master_port),
                "--webui-port",
                str(cluster.master_ui_port),
            ],
            env,
            root,
        )
        cluster.processes.append(master)
        _wait_for("master", lambda: _listening(cluster.master_port), cluster.processes)
        for number in range(1, workers + 1):
            work_dir = root / f"worker-{number}"
            work_dir.mkdir()
            cluster.processes.append(
                _start(
                    f"worker-{number}",
                    [
                        spark_class,
                        "org.apache.spark.deploy.worker.Worker",
                        "--host",
                        HOST,
                        "--port",
                        "0",
                        "--webui-port",
                        "0",
                        "--cores",
                        str(WORKER_CORES),
                        "--memory",
                        WORKER_MEMORY,
                        "--work-dir",
                        str(work_dir),
                        cluster.master_url,
                    ],
                    env,
                    root,
                )
            )
        _wait_for(
            f"{workers} workers registered",
            lambda: _alive_workers(cluster) >= workers,
            cluster.processes,
        )
        # Spark's launcher gives the Thrift server SPARK_DAEMON_MEMORY, not the driver's.
        thrift_env = {**env, "SPARK_DAEMON_MEMORY": THRIFT_DRIVER_MEMORY}
        thrift = _start("thrift-server", _thrift_command(home, cluster, workers), thrift_env, root)
        cluster.processes.append(thrift)
        _wait_for(
            "Thrift server listening",
            lambda: _thrift_started(thrift) and _listening(cluster.thrift_port),
            cluster.processes,
        )
        yield cluster
    finally:
        stop(cluster.processes)
        shutil.rmtree(root, ignore_errors=True)


def _thrift_command(home: Path, cluster: ThrowawaySparkCluster, workers: int) -> list[str]:
    root = cluster.root
    metastore = root / "metastore_db"
    confs = {
        "spark.app.name": "nav-tiltak-thrift-server",
        "spark.driver.host": HOST,
        "spark.driver.bindAddress": HOST,
        "spark.driver.memory": THRIFT_DRIVER_MEMORY,
        "spark.executor.memory": EXECUTOR_MEMORY,
        "spark.executor.cores": str(WORKER_CORES),
        "spark.cores.max": str(workers * WORKER_CORES),
        "spark.sql.warehouse.dir": str(cluster.warehouse_dir),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={metastore};create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={root} {JAVA_OPTIONS}",
        "spark.executor.extraJavaOptions": JAVA_OPTIONS,
        "spark.sql.shuffle.partitions": str(SHUFFLE_PARTITIONS),
        # Every executor is on this host: no task waits (3 s by default) for a "closer" one.
        "spark.locality.wait": "0s",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
    }
    command = [
        str(home / "bin" / "spark-submit"),
        "--master",
        cluster.master_url,
        "--class",
        THRIFT_SERVER_CLASS,
    ]
    for key, value in confs.items():
        command += ["--conf", f"{key}={value}"]
    return [
        *command,
        "spark-internal",
        "--hiveconf",
        f"hive.server2.thrift.port={cluster.thrift_port}",
        "--hiveconf",
        f"hive.server2.thrift.bind.host={HOST}",
    ]


@dataclass(frozen=True)
class AnnouncedCluster:
    """A cluster that another process owns (`python -m navtiltak_tools.spark_cluster`),
    as that process announced it: its addresses and the PID of each JVM it started."""

    cluster: ThrowawaySparkCluster
    pids: dict[str, int]


def read_announcement(lines: Iterable[str]) -> AnnouncedCluster:
    """Reads the owner's output up to its data line. RuntimeError with what it printed
    when it ends before (the cluster did not start)."""
    printed: list[str] = []
    variables: dict[str, str] = {}
    pids: dict[str, int] = {}
    ports: tuple[int, int] | None = None
    for line in lines:
        printed.append(line)
        text = line.strip()
        if text.startswith(EXPORT_LINE):
            name, _, value = text.removeprefix(EXPORT_LINE).partition("=")
            variables[name] = value
        elif text.startswith(MASTER_LINE) and (found := MASTER_ADDRESSES.search(text)):
            ports = (int(found[1]), int(found[2]))
        elif text.startswith(PIDS_LINE):
            pairs = (item.split("=") for item in text.removeprefix(PIDS_LINE).split())
            pids = {name: int(pid) for name, pid in pairs}
        elif text.startswith(DATA_LINE) and ports is not None:
            cluster = ThrowawaySparkCluster(
                root=Path(text.removeprefix(DATA_LINE)),
                master_port=ports[0],
                master_ui_port=ports[1],
                thrift_port=int(variables["NAV_TILTAK_SPARK_PORT"]),
            )
            return AnnouncedCluster(cluster, pids)
    tail = "".join(printed)[-LOG_TAIL_CHARACTERS:]
    raise RuntimeError(f"the Spark cluster did not start:\n{tail}")


def main() -> int:
    """Start a throwaway cluster and print its variables until Ctrl-C (for a person
    trying `make build ENGINE=spark_cluster` by hand, and for the test that it cleans
    up)."""

    def announce(cluster: ThrowawaySparkCluster) -> Iterator[str]:
        for name, value in cluster.dbt_environment().items():
            yield f"{EXPORT_LINE}{name}={value}"
        yield f"{MASTER_LINE}{cluster.master_url} (web UI http://{HOST}:{cluster.master_ui_port})"
        yield PIDS_LINE + " ".join(f"{p.name}={p.pid}" for p in cluster.processes)
        yield f"{DATA_LINE}{cluster.root}"

    return announce_until_interrupted(throwaway_spark_cluster, announce)


if __name__ == "__main__":
    raise SystemExit(main())
