"""Serve dbt's generated docs (``make docs``) on 127.0.0.1.

    python -m navtiltak.docs_server --port 8080 target

``dbt docs serve`` cannot bind its port again while the previous server's connections
linger in TIME-WAIT (about a minute after it stopped), and dies with a traceback. This
server reuses the address, and when another program really holds the port it says so
in one line, with how to pick another (``make docs DOCS_PORT=...``).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import signal
import sys
from collections.abc import Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DOCS_FILES = ("index.html", "manifest.json", "catalog.json")


class DocsServer(ThreadingHTTPServer):
    # Bind again at once after a restart, past connections left in TIME-WAIT.
    allow_reuse_address = True
    daemon_threads = True


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """One line per request is noise in a terminal that only browses docs."""


def serve(directory: Path, host: str, port: int) -> int:
    missing = [name for name in DOCS_FILES if not (directory / name).is_file()]
    if missing:
        print(
            f"{directory} has no {', '.join(missing)}: run `dbt docs generate` first "
            "(`make docs` does)",
            file=sys.stderr,
        )
        return 2
    handler = functools.partial(QuietHandler, directory=str(directory))
    try:
        server = DocsServer((host, port), handler)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(
            f"port {port} on {host} is taken by another program (a `make docs` still "
            f"running?): stop it, or pick another port: make docs DOCS_PORT={port + 1}",
            file=sys.stderr,
        )
        return 1
    # Ctrl-C and a `kill` stop it even when the shell that started it in the background
    # left SIGINT ignored (a child inherits that, and Python then never raises
    # KeyboardInterrupt).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.default_int_handler)
    with server:
        print(
            f"dbt docs on http://{host}:{server.server_address[1]}/ (Ctrl-C stops it)", flush=True
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m navtiltak.docs_server", description=__doc__)
    parser.add_argument("directory", type=Path, help="dbt's target path, after docs generate")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    return serve(args.directory, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
