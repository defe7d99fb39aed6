"""A project copy's `.venv` as symlinks to a real one: tests and the benchmark build in
copies without installing anything."""

from __future__ import annotations

from pathlib import Path

# The Makefile's stamps: .venv/.installed (the lock), .venv/.engine-<engine>.
INSTALLED_STAMP = ".installed"
ENGINE_STAMP_PREFIX = ".engine-"


def link_venv(project: Path, venv: Path) -> None:
    """`project`/.venv as symlinks to `venv`'s entries, with fresh stamps, so that `make`
    in the copy finds its venv up to date and never reinstalls it."""
    linked = project / ".venv"
    linked.mkdir()
    stamps = []
    for entry in venv.iterdir():
        if entry.name == INSTALLED_STAMP or entry.name.startswith(ENGINE_STAMP_PREFIX):
            stamps.append(entry.name)
        else:
            (linked / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    # The engines' stamps after .installed: make would otherwise reinstall an engine's
    # packages into the linked venv (a no-op costing seconds) in every copy.
    for name in sorted(stamps, key=lambda name: name != INSTALLED_STAMP):
        (linked / name).touch()
