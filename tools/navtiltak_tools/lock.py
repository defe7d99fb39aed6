"""`make lock`: pin pyproject.toml's dependencies into the lock files.

- requirements.txt: the product's [project] dependencies and the [dependency-groups] dev
  group, with everything they pull in (what `make build` and `make test` install);
- requirements-<engine>.txt, one per [project.optional-dependencies] entry (postgres,
  spark): only what that engine adds on top of requirements.txt, installed the first
  time the engine is used.

Runs in the project's venv: it installs each set and records what pip then has.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

HEADER = "# Generated from pyproject.toml by `make lock`; do not edit by hand.\n"


def pip(*arguments: str) -> str:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def frozen() -> dict[str, str]:
    """Installed distributions (editable ones excluded), name -> pinned line."""
    lines = pip("freeze", "--exclude-editable").splitlines()
    return {line.split("==")[0].lower(): line for line in lines if "==" in line}


def main() -> int:
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    base_requirements = [
        *project["project"]["dependencies"],
        *project["dependency-groups"]["dev"],
    ]
    pip("install", "--quiet", *base_requirements)
    base = frozen()
    Path("requirements.txt").write_text(
        HEADER + "".join(f"{line}\n" for line in sorted(base.values(), key=str.lower)),
        encoding="utf-8",
    )
    for engine, requirements in project["project"]["optional-dependencies"].items():
        # Constrained by the base pins: an engine may add packages, never move one.
        pip("install", "--quiet", "-c", "requirements.txt", *requirements)
        added = {name: line for name, line in frozen().items() if name not in base}
        Path(f"requirements-{engine}.txt").write_text(
            HEADER + f"# ENGINE={engine}: installed over requirements.txt the first time that "
            "engine is used.\n"
            + "".join(f"{line}\n" for line in sorted(added.values(), key=str.lower)),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
