"""`make docs` serves dbt's docs with navtiltak.docs_server: a second start right after the
first was stopped works (dbt docs serve died then, its port in TIME-WAIT), and a port
another program holds is named in one line."""

from __future__ import annotations

import errno
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from navtiltak.docs_server import DOCS_FILES
from navtiltak_tools.throwaway import free_port

HOST = "127.0.0.1"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    for name in DOCS_FILES:
        (tmp_path / name).write_text(f"{name} of the test", encoding="utf-8")
    return tmp_path


def start(directory: Path, port: int, *, sigint_ignored: bool = False) -> subprocess.Popen[str]:
    """The server; ``sigint_ignored``: started as a non-interactive shell starts a
    command it puts in the background, with SIGINT ignored."""
    return subprocess.Popen(
        [sys.executable, "-m", "navtiltak.docs_server", "--port", str(port), str(directory)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        if sigint_ignored
        else None,
    )


def fetch(port: int, path: str = "/index.html", seconds: float = 10.0) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=2) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def servers() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for server in started:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=10)


def stop(server: subprocess.Popen[str]) -> None:
    server.send_signal(signal.SIGINT)  # Ctrl-C, as a person stops make docs
    assert server.wait(timeout=10) == 0


def test_starts_again_at_once_on_the_port_it_just_left(
    docs: Path, servers: list[subprocess.Popen[str]]
) -> None:
    port = free_port()
    servers.append(first := start(docs, port))
    assert fetch(port) == "index.html of the test"
    # A browser's connection still open when the server stops: the server's end of it
    # closes first and lingers (FIN-WAIT, then TIME-WAIT), as after a real session. The
    # browser reads a whole answer first, so the server has surely accepted the
    # connection and closed its end (a connection still in the listen queue when the
    # server stops is reset instead, and leaves nothing behind).
    with socket.create_connection((HOST, port), timeout=5) as browser:
        browser.sendall(b"GET /index.html HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := browser.recv(4096):
            answer += chunk
        assert answer.endswith(b"index.html of the test")
        stop(first)
        # What dbt docs serve ran into: the port cannot be bound without address reuse.
        with socket.socket() as plain, pytest.raises(OSError) as refused:
            plain.bind((HOST, port))
        assert refused.value.errno == errno.EADDRINUSE
        browser.close()
        servers.append(start(docs, port))
        assert fetch(port, "/catalog.json") == "catalog.json of the test"


def test_a_port_held_by_another_program_is_named_in_one_line(
    docs: Path, servers: list[subprocess.Popen[str]]
) -> None:
    with socket.socket() as holder:
        holder.bind((HOST, 0))
        holder.listen()
        port = holder.getsockname()[1]
        servers.append(server := start(docs, port))
        _, stderr = server.communicate(timeout=20)
    assert server.returncode == 1
    assert "Traceback" not in stderr
    (line,) = stderr.strip().splitlines()
    assert f"port {port}" in line and f"DOCS_PORT={port + 1}" in line


def test_docs_not_generated_are_named(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "navtiltak.docs_server", "--port", "0", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=20,
    )
    assert result.returncode == 2
    assert "catalog.json" in result.stderr and "dbt docs generate" in result.stderr


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_stops_on_ctrl_c_or_kill_when_started_with_sigint_ignored(
    docs: Path, servers: list[subprocess.Popen[str]], stop_signal: signal.Signals
) -> None:
    port = free_port()
    servers.append(server := start(docs, port, sigint_ignored=True))
    assert fetch(port) == "index.html of the test"
    server.send_signal(stop_signal)
    assert server.wait(timeout=10) == 0
