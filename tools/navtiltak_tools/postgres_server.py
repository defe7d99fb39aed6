"""A throwaway PostgreSQL server for tests: Debian's PostgreSQL, on 127.0.0.1 and a free port.

    with throwaway_postgres() as server:
        env = {**os.environ, **server.libpq_environment(server.builder)}

The server runs as the unprivileged `postgres` user (PostgreSQL refuses to run as root),
in a fresh data directory under a temporary directory, with its socket there too, so it
never meets a server the machine or the environment already has. It is stopped by its
PID and its directory removed when the block ends, also on an exception or Ctrl-C.

Three roles, each with a password (scram-sha-256 over TCP):
- the superuser `postgres`, used only to set up;
- `builder` (NAV_TILTAK_BUILDER_ROLE), owner of database `nav_tiltak`, which builds;
- `reader` (the project's default read-only role name), which may log in and nothing else
  until a build grants it `marts`.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from navtiltak_tools.throwaway import (
    announce_until_interrupted,
    free_port,
    stopped_by_sigterm_too,
)

SERVER_USER = "postgres"
DATABASE = "nav_tiltak"
BUILDER_ROLE = "nav_tiltak_builder"
READER_ROLE = "nav_tiltak_reader"
START_TIMEOUT_SECONDS = 30.0


class PostgresUnavailableError(RuntimeError):
    """Debian's PostgreSQL server is not installed (`make postgres` installs it)."""


@dataclass(frozen=True)
class Role:
    name: str
    password: str


@dataclass(frozen=True)
class ThrowawayPostgres:
    port: int
    data_dir: Path
    superuser: Role
    builder: Role
    reader: Role
    database: str = DATABASE

    def libpq_environment(self, role: Role) -> dict[str, str]:
        """The standard libpq variables that connect `role` to the database."""
        return {
            "PGHOST": "127.0.0.1",
            "PGPORT": str(self.port),
            "PGUSER": role.name,
            "PGPASSWORD": role.password,
            "PGDATABASE": self.database,
        }

    def dsn(self, role: Role, database: str | None = None) -> str:
        return (
            f"host=127.0.0.1 port={self.port} user={role.name} "
            f"password={role.password} dbname={database or self.database}"
        )


def server_binaries() -> Path:
    """The directory of Debian's initdb and postgres (the newest installed version)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        raise PostgresUnavailableError(
            "Debian's PostgreSQL server is not installed: run `make postgres` "
            "(apt-get install postgresql)"
        )
    return candidates[-1].parent


def _as_server_user(command: list[str]) -> list[str]:
    """Run as the unprivileged server user when we are root; as ourselves otherwise."""
    if os.geteuid() == 0:
        return ["runuser", "-u", SERVER_USER, "--", *command]
    return command


def _give_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_USER)
        os.chown(path, account.pw_uid, account.pw_gid)


def _wait_until_ready(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"PostgreSQL exited at start:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL did not start in {START_TIMEOUT_SECONDS:.0f} s")


def _stop(process: subprocess.Popen[bytes], data_dir: Path) -> None:
    """Fast shutdown (SIGINT) sent to the server's own PID, from its postmaster.pid: the
    process we started is `runuser`, which does not pass SIGINT on. If the server does
    not go, SIGKILL to its whole process group (its own session, started so)."""
    if process.poll() is not None:
        return
    pid_file = data_dir / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError, IndexError):
        os.kill(int(pid_file.read_text().splitlines()[0]), signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def _setup_roles(server: ThrowawayPostgres) -> None:
    import psycopg2  # installed with dbt-postgres, which every caller of this needs

    # The port answers a moment before the server takes logins ("the database system is
    # starting up"): retry until START_TIMEOUT_SECONDS.
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            connection = psycopg2.connect(server.dsn(server.superuser, "postgres"))
            break
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            f"create role {server.builder.name} login createrole password %s",
            [server.builder.password],
        )
        cursor.execute(
            f"create role {server.reader.name} login password %s", [server.reader.password]
        )
        cursor.execute(f"create database {server.database} owner {server.builder.name}")
    connection.close()


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    with stopped_by_sigterm_too(), _throwaway_postgres() as server:
        yield server


@contextlib.contextmanager
def _throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    binaries = server_binaries()
    root = Path(tempfile.mkdtemp(prefix="nav-tiltak-postgres-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        _give_to_server_user(root)
        data_dir, socket_dir, log = root / "data", root / "socket", root / "server.log"
        socket_dir.mkdir()
        _give_to_server_user(socket_dir)
        superuser = Role("postgres", secrets.token_hex(12))
        password_file = root / "superuser-password"
        password_file.write_text(superuser.password + "\n")
        _give_to_server_user(password_file)
        initdb = subprocess.run(
            _as_server_user(
                [
                    str(binaries / "initdb"),
                    "--pgdata",
                    str(data_dir),
                    "--username",
                    superuser.name,
                    "--pwfile",
                    str(password_file),
                    "--auth",
                    "scram-sha-256",
                    "--encoding",
                    "UTF8",
                    "--locale",
                    "C.UTF-8",
                ]
            ),
            check=False,
            capture_output=True,
            text=True,
        )
        if initdb.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{initdb.stdout}{initdb.stderr}")
        port = free_port()
        with log.open("wb") as log_stream:
            process = subprocess.Popen(
                _as_server_user(
                    [
                        str(binaries / "postgres"),
                        "-D",
                        str(data_dir),
                        "-p",
                        str(port),
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-c",
                        f"unix_socket_directories={socket_dir}",
                        # Throwaway data: no need to wait for the disk.
                        "-c",
                        "fsync=off",
                        "-c",
                        "synchronous_commit=off",
                    ]
                ),
                stdout=log_stream,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_until_ready(port, process, log)
        server = ThrowawayPostgres(
            port=port,
            data_dir=data_dir,
            superuser=superuser,
            builder=Role(BUILDER_ROLE, secrets.token_hex(12)),
            reader=Role(READER_ROLE, secrets.token_hex(12)),
        )
        _setup_roles(server)
        yield server
    finally:
        if process is not None:
            _stop(process, root / "data")
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    """Start a throwaway server and print its libpq variables until Ctrl-C (for a person
    trying `make build ENGINE=postgres` by hand, and for the test that it cleans up)."""

    def announce(server: ThrowawayPostgres) -> Iterator[str]:
        for name, value in server.libpq_environment(server.builder).items():
            yield f"export {name}={value}"
        yield f"# reader: {server.reader.name} / {server.reader.password}"
        yield f"# data: {server.data_dir.parent}"

    return announce_until_interrupted(throwaway_postgres, announce)


if __name__ == "__main__":
    raise SystemExit(main())
