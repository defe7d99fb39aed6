"""What every throwaway server the tests and the benchmark start shares: a free port,
a stop on SIGTERM as on Ctrl-C, a process stopped politely then for good, the "print
its variables until Ctrl-C" of the launchers, and the statistics bank started on a
warehouse file (``postgres_server`` and ``spark_cluster`` are the launchers)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

import httpx

HOST = "127.0.0.1"
STATBANK_BASE = "/api/v2"
T = TypeVar("T")


def free_port() -> int:
    """A TCP port nothing listens on at this moment, on HOST."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def stopped_by_sigterm_too() -> Iterator[None]:
    """SIGTERM (a CI time-out, `kill`) ends the block as Ctrl-C does, so that the
    server is stopped and removed; Python's default is to die on the spot. Only the main
    thread may set a handler; elsewhere the default stays."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop_process(process: subprocess.Popen[bytes], grace_seconds: float = 10.0) -> None:
    """SIGTERM, then SIGKILL when it has not ended within ``grace_seconds``."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=grace_seconds)


def announce_until_interrupted(
    start: Callable[[], AbstractContextManager[T]], announce: Callable[[T], Iterable[str]]
) -> int:
    """Start a server, print ``announce(server)``'s lines, and keep it until Ctrl-C (for a
    person trying an engine by hand, and for the tests that it cleans up). Ctrl-C stops
    it even where a shell started it with SIGINT ignored (in the background)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with start() as server:
        print("\n".join(announce(server)), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


def start_statbank(
    warehouse: Path, env: dict[str, str] | None = None, timeout_seconds: float = 30.0
) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m navtiltak.statbank`` on ``warehouse`` and a free port; returns the
    process and the API's root URL once ``/config`` answers. Raises RuntimeError (the
    server stopped) or TimeoutError (it did not answer in time), the server stopped."""
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "navtiltak.statbank", "--warehouse", str(warehouse)),
            *("--host", HOST, "--port", str(port)),
        ],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://{HOST}:{port}{STATBANK_BASE}"
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"the server stopped:\n{stderr[-2000:]}")
        try:
            if httpx.get(f"{url}/config", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_process(process)
    raise TimeoutError(f"the server did not answer within {timeout_seconds:.0f} s")
