"""The dashboard of the test warehouse, one headless Chromium, and a static server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from navtiltak.dashboard.build import build
from navtiltak_tools.browser import Chromium
from navtiltak_tools.testing.project_paths import SEMANTIC_MANIFEST
from navtiltak_tools.testing.warehouse_fixtures import warehouse_for_tests


@pytest.fixture(scope="module")
def test_warehouse() -> Path:
    return warehouse_for_tests()


@pytest.fixture(scope="module")
def dashboard(test_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dashboard `make build` would publish for the test warehouse; its directory."""
    out = tmp_path_factory.mktemp("dashboard") / "dashboard"
    return build(test_warehouse, out, SEMANTIC_MANIFEST).parent


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with Chromium() as chromium:
        yield chromium


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def static_server(dashboard: Path) -> Iterator[str]:
    """A static web server on 127.0.0.1 and a free port, serving the dashboard; its origin."""
    handler = functools.partial(QuietHandler, directory=str(dashboard))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
