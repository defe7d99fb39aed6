"""Choosing an engine: a wrong name, or a server that is not there, is a clear error
before anything is built, and nothing is published."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine_builds import without_libpq_variables

from navtiltak_tools.testing.project_paths import ROOT
from navtiltak_tools.throwaway import free_port


def run_in(
    directory: Path, command: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=directory, env=env, capture_output=True, text=True, check=False
    )


def test_make_refuses_an_unknown_engine() -> None:
    result = run_in(ROOT, ["make", "--no-print-directory", "build", "ENGINE=oracle"])
    assert result.returncode != 0
    assert "ENGINE=oracle is not one of: duckdb postgres spark spark_cluster" in result.stderr


def test_publish_refuses_an_unknown_engine() -> None:
    result = run_in(ROOT, [sys.executable, "-m", "navtiltak.publish", "--engine", "oracle"])
    assert result.returncode == 2
    assert "invalid choice: 'oracle'" in result.stderr


def test_postgres_without_a_server_is_one_clear_line(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    env = {
        **without_libpq_variables(),
        "PGHOST": "127.0.0.1",
        "PGPORT": str(port),
        "PGUSER": "nobody",
        "PGDATABASE": "nav_tiltak",
        "PGCONNECT_TIMEOUT": "5",
    }
    command = [sys.executable, "-m", "navtiltak.publish", "--engine", "postgres"]
    result = run_in(tmp_path, command, env)
    assert result.returncode == 1
    assert f"cannot connect to PostgreSQL at 127.0.0.1:{port}" in result.stderr
    assert "nothing was published" in result.stderr
    assert "Traceback" not in result.stderr
