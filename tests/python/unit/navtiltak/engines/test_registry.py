"""The engines' names are written twice, in the registry (what `python -m
navtiltak.publish --engine` accepts) and in the Makefile (what `make build ENGINE=`
accepts before any Python runs): the two lists must be the same."""

from __future__ import annotations

import re

from navtiltak.engines.registry import ENGINES
from navtiltak_tools.testing.project_paths import ROOT

MAKEFILE_ENGINES = re.compile(r"^ENGINES := (.+)$", re.MULTILINE)


def test_the_makefile_accepts_the_registry_engines() -> None:
    (names,) = MAKEFILE_ENGINES.findall((ROOT / "Makefile").read_text(encoding="utf-8"))
    assert names.split() == list(ENGINES)


def test_every_engine_but_the_default_has_its_requirements() -> None:
    # The Makefile installs requirements-<engine>.txt on an engine's first use.
    missing = [name for name in ENGINES[1:] if not (ROOT / f"requirements-{name}.txt").exists()]
    assert missing == []
