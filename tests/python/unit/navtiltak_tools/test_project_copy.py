"""A project copy holds the files git keeps, and nothing .gitignore leaves out."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from navtiltak_tools.project_copy import NotAGitWorkTreeError, copy_sources


def git(work: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=work, check=True, capture_output=True)


def files_under(root: Path) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() or path.is_symlink()
    }


@pytest.fixture
def work_tree(tmp_path: Path) -> Path:
    """A git work tree with tracked, new, ignored and deleted files and a symlink."""
    work = tmp_path / "work"
    (work / "models").mkdir(parents=True)
    (work / "models" / "tracked.sql").write_text("select 1\n")
    (work / "models" / "deleted.sql").write_text("select 2\n")
    (work / ".gitignore").write_text(".venv-bi/\n.bi/\ntarget/\n")
    (work / "profiles.yml").symlink_to("models/tracked.sql")
    git(work, "init", "-q")
    git(work, "add", ".")
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    (work / "models" / "deleted.sql").unlink()
    (work / "models" / "new.sql").write_text("select 3\n")
    for ignored in (".venv-bi/lib/site.py", ".bi/superset.db", "target/manifest.json"):
        (work / ignored).parent.mkdir(parents=True, exist_ok=True)
        (work / ignored).write_text("not a source\n")
    return work


def test_a_copy_holds_tracked_and_new_files_but_nothing_ignored(
    work_tree: Path, tmp_path: Path
) -> None:
    copy = copy_sources(work_tree, tmp_path / "copy")

    assert files_under(copy) == {
        ".gitignore",
        "models/tracked.sql",
        "models/new.sql",
        "profiles.yml",
    }
    assert (copy / "profiles.yml").is_symlink()
    assert (copy / "models" / "new.sql").read_text() == "select 3\n"


def test_a_directory_outside_git_is_refused_with_its_path(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()

    with pytest.raises(NotAGitWorkTreeError, match=str(plain)):
        copy_sources(plain, tmp_path / "copy")
    assert not (tmp_path / "copy").exists()
