"""The throwaway Spark cluster of the engine tests goes away by itself: every JVM (the
master, the workers, their executors, the Thrift server) stopped by its PID and its
directory removed when its owner ends, also when the owner is killed (SIGTERM, as a CI
time-out does) or interrupted (SIGINT, Ctrl-C)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

PORT_LINE = "export NAV_TILTAK_SPARK_PORT="
PIDS_LINE = "# pids: "
DIRECTORY_LINE = "# data: "


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone but for its exit status.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def executors_of(pids: set[int]) -> set[int]:
    """The executor JVMs whose parent is one of `pids` (the workers)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if parent in pids and b"CoarseGrainedExecutorBackend" in command:
                found.add(int(entry.name))
    return found


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cluster_is_removed_when_its_owner_is_stopped(stop_signal: signal.Signals) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-m", "navtiltak_tools.spark_cluster"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        port, pids, directory = None, {}, None
        assert owner.stdout is not None
        for line in owner.stdout:
            if line.startswith(PORT_LINE):
                port = int(line.removeprefix(PORT_LINE))
            elif line.startswith(PIDS_LINE):
                pairs = (item.split("=") for item in line.removeprefix(PIDS_LINE).split())
                pids = {name: int(pid) for name, pid in pairs}
            elif line.startswith(DIRECTORY_LINE):
                directory = Path(line.removeprefix(DIRECTORY_LINE).strip())
                break
        assert port is not None and directory is not None, "the cluster did not start"
        assert sorted(pids) == ["master", "thrift-server", "worker-1", "worker-2"]
        assert accepts_connections(port)
        assert (directory / "metastore_db").exists()
        # Each worker runs one executor of the Thrift server, a JVM of its own.
        executors = executors_of({pids["worker-1"], pids["worker-2"]})
        assert len(executors) == 2
        jvms = set(pids.values()) | executors
        owner.send_signal(stop_signal)
        owner.wait(timeout=120)
    finally:
        # An assertion failed before the signal: stop the owner as a user would, so
        # that it stops the cluster (SIGKILL would leave the JVMs running).
        if owner.poll() is None:
            owner.terminate()
            try:
                owner.wait(timeout=120)
            except subprocess.TimeoutExpired:
                owner.kill()
    assert not accepts_connections(port)
    assert [pid for pid in jvms if alive(pid)] == []
    assert not directory.exists()
