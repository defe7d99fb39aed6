"""What the Superset fixture gives the tests (conftest.py starts it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from navtiltak.bi.assets import Bundle
from navtiltak.bi.client import SupersetClient
from navtiltak_tools.testing.project_paths import ROOT

SCREENSHOTS = ROOT / "target" / "bi-screenshots"


@dataclass(frozen=True)
class Running:
    """A Superset started for the tests, logged in as admin, with the assets imported."""

    base_url: str
    password: str
    client: SupersetClient
    bundle: Bundle
    log: Path
