"""The project's sources, copied as a clone would have them.

A copy holds every file the project's `.gitignore` does not leave out: never the venvs
(`.venv/`, Superset's `.venv-bi/` of about 700 MiB, `.dbt-v2/`), build output, caches or
Superset's state in `.bi/`. `.gitignore` is the one list of what is not a source; it is
read with git's own rules (pathspec, which dbt also uses), so that a checkout without
`.git/` is copied the same.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pathspec import GitIgnoreSpec

IGNORE_FILE = ".gitignore"
# git's own folder, never listed in .gitignore
GIT_DIR = ".git"


class MissingIgnoreFileError(FileNotFoundError):
    """The project has no .gitignore: nothing tells its sources from the rest."""


def ignore_spec(root: Path) -> GitIgnoreSpec:
    path = root / IGNORE_FILE
    if not path.is_file():
        raise MissingIgnoreFileError(
            f"{path}: not found; a project copy leaves out what it lists (venvs, build output)"
        )
    return GitIgnoreSpec.from_lines(path.read_text(encoding="utf-8").splitlines())


def source_files(root: Path) -> list[Path]:
    """The paths, relative to `root`, of every file (or symlink) that `.gitignore` keeps.
    A folder it leaves out is not entered, as git does not."""
    spec = ignore_spec(root)
    kept: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        relative = Path(folder).relative_to(root)
        entered = []
        for name in subfolders:
            path = relative / name
            if name == GIT_DIR or spec.match_file(f"{path.as_posix()}/"):
                continue
            # a symlink to a folder: copied as a link, not followed
            (kept if (root / path).is_symlink() else entered).append(path)
        subfolders[:] = [path.name for path in entered]
        kept.extend(
            relative / name for name in files if not spec.match_file((relative / name).as_posix())
        )
    return sorted(kept)


def copy_sources(root: Path, destination: Path) -> Path:
    """Copy the files `.gitignore` keeps under `root` into `destination` (created; must
    not exist), symlinks as symlinks."""
    sources = source_files(root)
    destination.mkdir(parents=True)
    for relative in sources:
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target, follow_symlinks=False)
    return destination
