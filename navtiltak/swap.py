"""Publishing a built directory over the one readers use, in one atomic step: the
DuckDB engine's Parquet set and dashboard, the Spark session's marts."""

from __future__ import annotations

import shutil
from pathlib import Path


def swap_directory(built: Path, link: Path, prefix: str, build_stamp: str) -> Path:
    """Move a built directory beside the old one and repoint the symlink `link` to it.

    The symlink is replaced atomically: a reader listing `link/` sees the whole old
    set or the whole new set. The previous set is kept, for readers still inside it;
    older ones are removed.
    """
    version = link.parent / f"{prefix}{build_stamp}"
    built.rename(version)
    previous = link.resolve() if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        # A plain directory from before the symlink scheme: keep it as a version.
        legacy = link.with_name(f"{prefix}legacy")
        shutil.rmtree(legacy, ignore_errors=True)
        link.rename(legacy)
        previous = legacy.resolve()
    temporary = link.with_name(f".{link.name}.new-link")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(version.name, target_is_directory=True)
    temporary.replace(link)
    keep = {version.resolve()} if previous is None else {version.resolve(), previous}
    prune_versions(link.parent, prefix, keep)
    return version


def prune_versions(directory: Path, prefix: str, keep: set[Path]) -> None:
    for candidate in directory.glob(f"{prefix}*"):
        if candidate.is_dir() and candidate.resolve() not in keep:
            shutil.rmtree(candidate, ignore_errors=True)
