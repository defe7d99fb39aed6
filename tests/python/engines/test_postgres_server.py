"""The throwaway server of the engine tests goes away by itself: stopped by its PID and
its directory removed when its owner ends, also when the owner is killed (SIGTERM, as a
CI time-out does) or interrupted (SIGINT, Ctrl-C)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from engine_builds import without_libpq_variables

STARTED_LINE = "export PGPORT="
DIRECTORY_LINE = "# data: "


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_server_is_removed_when_its_owner_is_stopped(stop_signal: signal.Signals) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-m", "navtiltak_tools.postgres_server"],
        env=without_libpq_variables(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        port, directory = None, None
        assert owner.stdout is not None
        for line in owner.stdout:
            if line.startswith(STARTED_LINE):
                port = int(line.removeprefix(STARTED_LINE))
            elif line.startswith(DIRECTORY_LINE):
                directory = Path(line.removeprefix(DIRECTORY_LINE).strip())
                break
        assert port is not None and directory is not None, "the server did not start"
        assert accepts_connections(port)
        assert (directory / "data" / "postmaster.pid").exists()
        owner.send_signal(stop_signal)
        owner.wait(timeout=60)
    finally:
        if owner.poll() is None:
            owner.kill()
    assert not accepts_connections(port)
    assert not directory.exists()
