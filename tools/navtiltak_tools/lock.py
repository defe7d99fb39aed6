"""`make lock`: pin pyproject.toml's dependencies into the lock files.

- requirements.txt: the product's [project] dependencies and the [dependency-groups] dev
  group, with everything they pull in (what `make build` and `make test` install);
- requirements-<engine>.txt, one per [project.optional-dependencies] entry (postgres,
  spark): only what that engine adds on top of requirements.txt, installed the first
  time the engine is used;
- requirements-bi.txt: Apache Superset's own venv (`make bi`), from bi/requirements.in,
  resolved on its own (it shares nothing with the product's venv).

Each set is resolved in a fresh virtual environment of its own under target/lock/ (never
the project's .venv, which holds the engines' packages once they were used): the base,
then per engine the base pins plus that engine, constrained by the base pins.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

HEADER = "# Generated from pyproject.toml by `make lock`; do not edit by hand.\n"
WORKDIR = Path("target/lock")
BI_REQUIREMENTS = Path("bi/requirements.in")


def fresh_venv(name: str) -> Path:
    """A new virtual environment; its Python."""
    path = WORKDIR / name
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return path / "bin" / "python"


def pip(python: Path, *arguments: str) -> str:
    command = [str(python), "-m", "pip", "--disable-pip-version-check", *arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def frozen(python: Path) -> dict[str, str]:
    """Installed distributions, name -> pinned line."""
    lines = pip(python, "freeze", "--exclude-editable").splitlines()
    return {line.split("==")[0].lower(): line for line in lines if "==" in line}


def write(path: Path, lines: Iterable[str], note: str = "") -> None:
    body = "".join(f"{line}\n" for line in sorted(lines, key=str.lower))
    path.write_text(HEADER + note + body, encoding="utf-8")


def main() -> int:
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    base_python = fresh_venv("base")
    pip(
        base_python,
        "install",
        "--quiet",
        *project["project"]["dependencies"],
        *project["dependency-groups"]["dev"],
    )
    base = frozen(base_python)
    write(Path("requirements.txt"), base.values())
    for engine, requirements in project["project"]["optional-dependencies"].items():
        python = fresh_venv(engine)
        # The base pins, and the engine constrained by them: it may add packages, never
        # move one.
        pip(python, "install", "--quiet", "-r", "requirements.txt")
        pip(python, "install", "--quiet", "-c", "requirements.txt", *requirements)
        added = {name: line for name, line in frozen(python).items() if name not in base}
        note = f"# ENGINE={engine}: installed over requirements.txt the first time it is used.\n"
        write(Path(f"requirements-{engine}.txt"), added.values(), note)
    bi_python = fresh_venv("bi")
    pip(bi_python, "install", "--quiet", "-r", str(BI_REQUIREMENTS))
    note = f"# `make bi`: Superset's own venv (.venv-bi/), from {BI_REQUIREMENTS}.\n"
    write(Path("requirements-bi.txt"), frozen(bi_python).values(), note)
    shutil.rmtree(WORKDIR, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
