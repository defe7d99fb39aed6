"""`python -m navtiltak_tools.spark_cluster`, the process that owns a throwaway cluster,
stops it when it is interrupted (SIGINT, Ctrl-C) or killed (SIGTERM, as a CI time-out
does): every process it started is stopped by its PID and the directory removed.

Here the owner's main runs over stand-ins for the JVMs (`sleep`, each in its own process
group as each JVM is) so that both signals are tried in seconds; test_spark_cluster.py
stops a real cluster's owner, its executors included."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from navtiltak_tools.spark_cluster import read_announcement

# The owner's main with `_throwaway_spark_cluster` replaced by one that starts a
# stand-in per JVM and ends as the real one does (navtiltak_tools.spark_cluster.stop,
# then the directory removed).
OWNER_WITH_STAND_INS = textwrap.dedent(
    """
    import contextlib, shutil, subprocess, sys, tempfile
    from pathlib import Path
    import navtiltak_tools.spark_cluster as owner

    @contextlib.contextmanager
    def stand_in_cluster(workers):
        root = Path(tempfile.mkdtemp(prefix="nav-tiltak-spark-owner-test-"))
        cluster = owner.ThrowawaySparkCluster(root, 1, 2, 3)
        try:
            for name in ["master", *(f"worker-{n}" for n in range(1, workers + 1)),
                         "thrift-server"]:
                (root / f"{name}.log").touch()
                popen = subprocess.Popen(["sleep", "600"], start_new_session=True)
                cluster.processes.append(owner.Process(name, popen, root / f"{name}.log"))
            yield cluster
        finally:
            owner.stop(cluster.processes)
            shutil.rmtree(root, ignore_errors=True)

    owner._throwaway_spark_cluster = stand_in_cluster
    sys.exit(owner.main())
    """
)


def alive(pid: int) -> bool:
    """Running, not a zombie (gone but for its exit status)."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_owner_stops_every_process_and_removes_the_directory(stop_signal: signal.Signals) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER_WITH_STAND_INS],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert owner.stdout is not None
        announced = read_announcement(owner.stdout)
        pids = announced.pids
        assert sorted(pids) == ["master", "thrift-server", "worker-1", "worker-2"]
        assert all(alive(pid) for pid in pids.values())
        assert announced.cluster.root.is_dir()
        owner.send_signal(stop_signal)
        owner.wait(timeout=60)
    finally:
        if owner.poll() is None:
            owner.kill()
    assert [name for name, pid in pids.items() if alive(pid)] == []
    assert not announced.cluster.root.exists()
