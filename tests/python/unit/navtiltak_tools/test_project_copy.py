"""A project copy holds the files .gitignore keeps, and nothing it leaves out."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from navtiltak_tools import PROJECT_ROOT
from navtiltak_tools.project_copy import MissingIgnoreFileError, copy_sources, source_files

# folders, and a folder's files ignored but one re-included, as the project's own has
IGNORE_LINES = [
    ".venv-bi/",
    ".bi/",
    "target/",
    "warehouse/*",
    "!warehouse/dev/",
    "warehouse/dev/*",
    "!warehouse/dev/README.md",
]


def files_under(root: Path) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() or path.is_symlink()
    }


@pytest.fixture
def work_tree(tmp_path: Path) -> Path:
    """A tree with sources, ignored folders and files, a re-included file and a symlink;
    no .git/ (an exported checkout)."""
    work = tmp_path / "work"
    for source in ("models/a.sql", "warehouse/dev/README.md"):
        (work / source).parent.mkdir(parents=True, exist_ok=True)
        (work / source).write_text(f"{source}\n")
    (work / ".gitignore").write_text("\n".join(IGNORE_LINES) + "\n")
    (work / "profiles.yml").symlink_to("models/a.sql")
    for ignored in (
        ".venv-bi/lib/site.py",
        ".bi/superset.db",
        "target/manifest.json",
        "warehouse/nav_tiltak.duckdb",
        "warehouse/dev/dev.duckdb",
        "models/target/x.sql",
    ):
        (work / ignored).parent.mkdir(parents=True, exist_ok=True)
        (work / ignored).write_text("not a source\n")
    return work


def test_a_copy_holds_the_sources_but_nothing_ignored(work_tree: Path, tmp_path: Path) -> None:
    copy = copy_sources(work_tree, tmp_path / "copy")

    assert files_under(copy) == {
        ".gitignore",
        "models/a.sql",
        "profiles.yml",
        "warehouse/dev/README.md",
    }
    assert (copy / "profiles.yml").is_symlink()
    assert (copy / "models" / "a.sql").read_text() == "models/a.sql\n"


def test_a_tree_without_gitignore_is_refused_with_its_path(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    (plain / "models").mkdir(parents=True)

    with pytest.raises(MissingIgnoreFileError, match=str(plain / ".gitignore")):
        copy_sources(plain, tmp_path / "copy")
    assert not (tmp_path / "copy").exists()


def test_the_project_copy_lists_what_git_lists() -> None:
    """git itself, where the project is a git work tree, as the oracle: tracked files
    still in the tree and new files it does not ignore."""
    if not (PROJECT_ROOT / ".git").exists():
        pytest.skip("the project is not a git work tree here: no git to compare with")
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    by_git = {name for name in listing.split("\0") if name and os.path.lexists(PROJECT_ROOT / name)}

    assert {path.as_posix() for path in source_files(PROJECT_ROOT)} == by_git
