"""`make bi`: Superset on 127.0.0.1 with the project's dashboard over the published marts.

    python -m navtiltak.bi [--engine duckdb|postgres] [--port 8088]

Prepares Superset's metadata (.bi/) and its admin, starts the server, imports the
database connection (read-only), the datasets (SQL compiled from the metric
definitions), the charts and the dashboard of bi/assets/, prints where to log in, and
serves until interrupted (Ctrl-C), then stops the server by its process group.

The admin's password: BI_ADMIN_PASSWORD, or one generated at the first start and kept in
.bi/admin-password. With --engine postgres Superset connects as the build's read-only
role (NAV_TILTAK_READER_ROLE, default nav_tiltak_reader) with the password in
NAV_TILTAK_READER_PASSWORD, to the server libpq's variables name (README).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import time
from pathlib import Path
from types import FrameType
from urllib.parse import quote

from navtiltak.bi import deploy
from navtiltak.bi.assets import AssetError, MetricCompiler, load, published_manifest
from navtiltak.bi.client import SupersetClient, SupersetError
from navtiltak.bi.server import ADMIN, DEFAULT_VENV, Superset, SupersetServerError, admin_password
from navtiltak.bi.server import stop as stop_server
from navtiltak.dashboard.semantic import DEFAULT_MANIFEST, SemanticLayerError, load_manifest

DEFAULT_HOME = Path(".bi")
DEFAULT_WAREHOUSE = Path("warehouse/nav_tiltak.duckdb")
START_TIMEOUT = 180.0
READER_ROLE_VARIABLE = "NAV_TILTAK_READER_ROLE"
READER_PASSWORD_VARIABLE = "NAV_TILTAK_READER_PASSWORD"
# The database of bi/assets/databases/nav_tiltak.yaml, as the import's password map names it.
DATABASE_FILE = "databases/nav_tiltak.yaml"
# What Superset writes in a URI instead of a password.
PASSWORD_MASK = "XXXXXXXXXX"


def duckdb_target(warehouse: Path) -> tuple[str, str]:
    """(SQLAlchemy URI, catalog name) of the published DuckDB file."""
    if not warehouse.exists():
        raise SupersetServerError(f"{warehouse} does not exist: run `make build` first")
    # DuckDB names a file's catalog after the file: nav_tiltak.
    return f"duckdb:///{warehouse.resolve()}", warehouse.stem


def postgres_target(password: str) -> tuple[str, str]:
    """(SQLAlchemy URI, database) of the read-only role's connection. The password
    itself goes with the import's password map; the URI carries Superset's mask in its
    place, as Superset's own exports do (a URI without one would clear it)."""
    from navtiltak.engines.postgres import DEFAULT_READER_ROLE, connection_settings

    settings = connection_settings()
    role = quote(os.environ.get(READER_ROLE_VARIABLE, DEFAULT_READER_ROLE))
    login = f"{role}:{PASSWORD_MASK}" if password else role
    uri = (
        f"postgresql+psycopg2://{login}@{settings['host']}:{settings['port']}/"
        f"{quote(settings['dbname'])}"
    )
    return uri, settings["dbname"]


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # As the server will: a port that a closed connection still holds is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m navtiltak.bi", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--engine", choices=("duckdb", "postgres"), default="duckdb")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BI_PORT", "8088")))
    parser.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME)
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    return parser.parse_args(argv)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if not port_is_free(args.port):
        print(
            f"make bi: port {args.port} on 127.0.0.1 is in use (another Superset?); "
            "choose another with BI_PORT=...",
            file=sys.stderr,
        )
        return 1
    try:
        if args.engine == "postgres":
            reader_password = os.environ.get(READER_PASSWORD_VARIABLE, "")
            uri, database = postgres_target(reader_password)
            passwords = {DATABASE_FILE: reader_password} if reader_password else {}
        else:
            uri, database = duckdb_target(args.warehouse)
            passwords = {}
        compiler = MetricCompiler(
            published_manifest(load_manifest(args.manifest), database), args.engine
        )
        bundle = load(compiler, uri, engine=args.engine)
        superset = Superset(args.venv.resolve(), args.home.resolve())
        password = admin_password(superset.home, os.environ.get("BI_ADMIN_PASSWORD"))
        print("preparing Superset's metadata (.bi/) ...", flush=True)
        superset.prepare(password)
    except (AssetError, SemanticLayerError, SupersetServerError) as error:
        print(f"make bi: {error}", file=sys.stderr)
        return 1

    # Ctrl-C, and a `kill`, stop the server too (a shell that started this in the
    # background may have left SIGINT ignored).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    log = superset.home / "superset.log"
    process = superset.start(args.port, log)
    base_url = f"http://127.0.0.1:{args.port}"
    try:
        client = SupersetClient(base_url)
        up = client.wait_until_healthy(START_TIMEOUT, alive=lambda: process.poll() is None)
        started = time.monotonic()
        client.login(ADMIN, password)
        deploy(client, bundle, passwords)
        imported = time.monotonic() - started
        print(
            f"\nSuperset is up (answered in {up:.0f} s, dashboard imported in "
            f"{imported:.0f} s), reading "
            f"{'the read-only role' if args.engine == 'postgres' else args.warehouse} "
            f"read-only:\n"
            f"  {base_url}/superset/dashboard/nav-tiltak/\n"
            f"  user {ADMIN}, password {password}\n"
            f"Its log: {log}. Ctrl-C stops it.",
            flush=True,
        )
        process.wait()
        print(f"Superset exited with {process.returncode}; its log: {log}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopping Superset", flush=True)
        return 0
    except SupersetError as error:
        print(f"make bi: {error}\nSuperset's log: {log}", file=sys.stderr)
        return 1
    finally:
        stop_server(process)


if __name__ == "__main__":
    sys.exit(main())
