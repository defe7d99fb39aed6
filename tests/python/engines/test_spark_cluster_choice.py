"""`make build ENGINE=spark_cluster` with no Thrift server: one clear line, nothing
published. Needs the cluster engine's packages (PyHive), installed by `make engines`
for `make test` and `make test-cluster`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine_builds import without_libpq_variables

from navtiltak_tools.throwaway import free_port


def test_spark_cluster_without_a_server_is_one_clear_line(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    env = {
        **without_libpq_variables(),
        "NAV_TILTAK_SPARK_HOST": "127.0.0.1",
        "NAV_TILTAK_SPARK_PORT": str(port),
    }
    command = [sys.executable, "-m", "navtiltak.publish", "--engine", "spark_cluster"]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert f"cannot connect to the Thrift server at 127.0.0.1:{port}" in result.stderr
    assert "schema marts was left unchanged" in result.stderr
    assert "Traceback" not in result.stderr
