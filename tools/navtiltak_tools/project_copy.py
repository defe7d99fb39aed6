"""The project's sources, copied as a clone would have them: the files git keeps.

A copy holds what `git ls-files` lists, tracked or new, never what .gitignore leaves
out: venvs (`.venv/`, Superset's `.venv-bi/` of about 700 MiB, `.dbt-v2/`), build
output, caches, Superset's state in `.bi/`. .gitignore is the one list of what is not a
source; a copy does not keep a second one.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


class NotAGitWorkTreeError(RuntimeError):
    """The project is not a git work tree, so its sources cannot be told from the rest."""


def source_files(root: Path) -> list[Path]:
    """The paths, relative to `root`, of every file git keeps there: tracked (unless
    deleted from the work tree) and new ones .gitignore does not exclude."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode != 0:
        raise NotAGitWorkTreeError(
            f"{root}: cannot list the project's files with git "
            f"(a copy takes what git keeps): {listing.stderr.strip()}"
        )
    names = sorted({name for name in listing.stdout.split("\0") if name})
    return [Path(name) for name in names if (root / name).is_symlink() or (root / name).is_file()]


def copy_sources(root: Path, destination: Path) -> Path:
    """Copy the files git keeps under `root` into `destination` (created; must not exist),
    symlinks as symlinks."""
    sources = source_files(root)
    destination.mkdir(parents=True)
    for relative in sources:
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target, follow_symlinks=False)
    return destination
