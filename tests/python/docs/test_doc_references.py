"""The docs name only paths that exist and `make` targets the Makefile has.

Read from the pages a person reads (README.md, CONTRIBUTING.md, BENCHMARKS.md and the
pages under docs/, dbt's docs blocks in docs/dbt/ included): every path in backticks
that starts at a top-level folder or file of the project, and every `make <target>`.
Paths a build makes (warehouse/, target/, .venv) and placeholders (`report_<table>.csv`,
`YYYY-MM`) are left out; a placeholder file name must still match some file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from navtiltak_tools.testing.project_paths import ROOT

PAGES = sorted(
    [
        ROOT / "README.md",
        ROOT / "CONTRIBUTING.md",
        ROOT / "BENCHMARKS.md",
        *ROOT.glob("docs/**/*.md"),
    ]
)
# What a build or a test run makes: absent from a fresh clone.
MADE_BY_A_BUILD = ("warehouse/", "target/", ".venv", "logs/", "dbt_packages/", ".bench")
IN_BACKTICKS = re.compile(r"`([^`\s]+)`")
MAKE_TARGET = re.compile(r"`make ([a-z][a-z0-9-]*)")
PLACEHOLDER = re.compile(r"<[^>/]+>")
LINE_SUFFIX = re.compile(r":(<[^>]+>|\d+)$")
FILE_SUFFIXES = (".yml", ".yaml", ".sql", ".py", ".csv", ".md", ".txt", ".toml")


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z0-9-]*)\s*:(?!=)", text, re.MULTILINE))


def named_paths(text: str) -> set[str]:
    top_level = {path.name for path in ROOT.iterdir()}
    paths = set()
    for match in IN_BACKTICKS.finditer(text):
        # a file-and-line location names its file: reports/<file>:<line>, x.txt:605
        token = LINE_SUFFIX.sub("", match.group(1).rstrip(".,:;"))
        if token.startswith(MADE_BY_A_BUILD) or "YYYY" in token or "..." in token:
            continue
        if any(char in token for char in "*{}$?=()[]|'\""):
            continue
        under_the_project = "/" in token and token.split("/")[0] in top_level
        if under_the_project or (PLACEHOLDER.search(token) and token.endswith(FILE_SUFFIXES)):
            paths.add(token)
    return paths


def exists(path: str) -> bool:
    if PLACEHOLDER.search(path):
        pattern = PLACEHOLDER.sub("*", path)
        found = ROOT.glob(pattern) if "/" in pattern else ROOT.rglob(pattern)
        return any(".venv" not in p.parts and "target" not in p.parts for p in found)
    return (ROOT / path).exists()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_path_named_exists(page: Path) -> None:
    missing = sorted(
        path for path in named_paths(page.read_text(encoding="utf-8")) if not exists(path)
    )
    assert missing == [], f"{page.name} names paths that do not exist"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_make_target_named_exists(page: Path) -> None:
    named = set(MAKE_TARGET.findall(page.read_text(encoding="utf-8")))
    assert sorted(named - makefile_targets()) == [], (
        f"{page.name} names make targets the Makefile lacks"
    )


def test_the_checks_catch_a_stale_path_and_target() -> None:
    """The same reading finds a path and a target that do not exist."""
    text = "See `models/_models.yml`, `tests/python/no_such_test.py` and run `make no-such-target`."
    assert {path for path in named_paths(text) if not exists(path)} == {
        "models/_models.yml",
        "tests/python/no_such_test.py",
    }
    assert set(MAKE_TARGET.findall(text)) - makefile_targets() == {"no-such-target"}
    assert not exists("models/staging/report/_<folder>__nothing.yml")
    assert exists("models/staging/report/_<folder>__models.yml")
