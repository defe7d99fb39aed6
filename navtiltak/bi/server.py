"""Superset in its own venv: its metadata folder, its admin, and the server process.

Superset pins libraries the product cannot share (SQLAlchemy 1.4 among them), so it
lives in a venv of its own (`.venv-bi/`, from requirements-bi.txt; the Makefile
installs it on first use) and is driven from here through its command line and REST
API only. Its metadata (SQLite) and session key live in a home folder (`.bi/` for
`make bi`, a temporary one in tests).

Migrating a new metadata database takes most of a minute; it is done once per venv, into
a template the homes start from (`metadata_template`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BI = ROOT / "bi"
CONFIG = BI / "superset_config.py"
SETUP = BI / "superset_setup.py"
DEFAULT_VENV = ROOT / ".venv-bi"
METADATA = "superset.db"
PASSWORD_FILE = "admin-password"
ADMIN = "admin"
STOP_TIMEOUT = 20.0


class SupersetServerError(Exception):
    """Superset is not installed, or a step of its set-up failed."""


@dataclass(frozen=True)
class Superset:
    """One Superset installation (`venv`) with one metadata home."""

    venv: Path
    home: Path

    def command(self, name: str) -> Path:
        path = self.venv / "bin" / name
        if not path.exists():
            raise SupersetServerError(
                f"{path} is missing: `make bi` installs Superset into {self.venv} "
                "(requirements-bi.txt)"
            )
        return path

    def environment(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            # The product's venv must not leak into Superset's.
            if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
        }
        env.update(
            {
                "SUPERSET_CONFIG_PATH": str(CONFIG),
                "NAV_TILTAK_BI_HOME": str(self.home),
                "FLASK_APP": "superset",
                "PYTHONUNBUFFERED": "1",
                **extra,
            }
        )
        return env

    def _setup(self, password: str, log: Path) -> None:
        with log.open("ab") as out:
            done = subprocess.run(
                [str(self.command("python")), str(SETUP)],
                env=self.environment(NAV_TILTAK_BI_ADMIN_PASSWORD=password),
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode != 0:
            raise SupersetServerError(f"Superset's set-up failed; its output: {log}")

    def metadata_template(self) -> Path:
        """A migrated metadata database, made once per venv."""
        template = self.venv / "metadata-template" / METADATA
        if template.exists():
            return template
        work = Path(tempfile.mkdtemp(prefix="template-", dir=self.venv))
        try:
            Superset(self.venv, work)._setup(secrets.token_urlsafe(16), work / "setup.log")
            template.parent.mkdir(exist_ok=True)
            (work / METADATA).replace(template)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return template

    def prepare(self, password: str) -> None:
        """The metadata database (from the template when new), roles, and the admin with
        `password`."""
        self.home.mkdir(parents=True, exist_ok=True)
        metadata = self.home / METADATA
        if not metadata.exists():
            shutil.copyfile(self.metadata_template(), metadata)
        self._setup(password, self.home / "setup.log")

    def start(self, port: int, log: Path) -> subprocess.Popen[bytes]:
        """The web server on 127.0.0.1:`port`, in its own process group (see stop)."""
        out = log.open("ab")
        try:
            return subprocess.Popen(
                [
                    str(self.command("gunicorn")),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "8",
                    "--timeout",
                    "120",
                    # Stopping waits this long for requests in flight, not 30 s.
                    "--graceful-timeout",
                    "3",
                    "superset.app:create_app()",
                ],
                env=self.environment(),
                cwd=self.home,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            out.close()


def admin_password(home: Path, given: str | None) -> str:
    """`given` (BI_ADMIN_PASSWORD), or the one generated for this home at its first start
    (kept in `<home>/admin-password`, readable by its owner only)."""
    if given:
        return given
    stored = home / PASSWORD_FILE
    if stored.exists():
        return stored.read_text(encoding="utf-8").strip()
    home.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    stored.touch(mode=0o600)
    stored.write_text(password, encoding="utf-8")
    return password


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and every worker it forked: its process group, by its id."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)


if __name__ == "__main__":
    # `python -m navtiltak.bi.server VENV`: the metadata template of a new Superset venv
    # (the Makefile, right after installing it).
    venv = Path(sys.argv[1]).resolve()
    print(f"migrating a metadata database for {venv} ...", flush=True)
    Superset(venv, venv).metadata_template()
