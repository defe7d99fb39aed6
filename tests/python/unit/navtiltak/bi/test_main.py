"""`make bi` refuses, with a message naming the problem, before it starts anything."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from navtiltak.bi.__main__ import main


def test_a_port_in_use_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port)]) == 1
    assert f"port {port} on 127.0.0.1 is in use" in capsys.readouterr().err


def test_a_missing_warehouse_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nav_tiltak.duckdb"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["--port", str(port), "--warehouse", str(missing), "--home", str(tmp_path)]) == 1
    assert f"{missing} does not exist: run `make build` first" in capsys.readouterr().err
    assert not (tmp_path / "superset.db").exists()


def test_a_missing_manifest_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warehouse = tmp_path / "nav_tiltak.duckdb"
    warehouse.touch()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = main(
        [
            "--port",
            str(port),
            "--warehouse",
            str(warehouse),
            "--manifest",
            str(tmp_path / "semantic_manifest.json"),
            "--home",
            str(tmp_path),
        ]
    )
    assert code == 1
    assert "semantic_manifest.json does not exist" in capsys.readouterr().err
