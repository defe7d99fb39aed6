"""Fixtures of the extractor tests (their helpers are in report_text.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_text import Workspace

from navtiltak_tools.testing.project_paths import REAL_REPORT


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


@pytest.fixture(scope="session")
def real_text() -> str:
    return REAL_REPORT.read_text(encoding="utf-8")
