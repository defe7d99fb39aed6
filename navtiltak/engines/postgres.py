"""Build and publish on a PostgreSQL server: `make build ENGINE=postgres`.

The connection comes from libpq's own variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
PGDATABASE), for this module as for dbt's profile `postgres`.

1. Take a session-level advisory lock: one build per database at a time.
2. Drop what an earlier build left: every schema named `nav_tiltak_build_*`, and a
   `nav_tiltak_previous_marts` an interrupted publication left.
3. `dbt build` with schema_prefix `nav_tiltak_build_`: the whole build (seeds, staging,
   intermediate, marts, stored test failures) goes into schemas beside the published
   ones; readers of `marts` see nothing of it.
4. Only when every model and test passed, in one transaction: rename `marts` to
   `nav_tiltak_previous_marts`, rename `nav_tiltak_build_marts` to `marts`, and grant the
   read-only role usage of `marts` and select on its tables, after locking every
   published mart (swap_in says why); a minute at most, otherwise nothing changes. A
   query already running finishes first; every statement after the commit reads the new
   marts; no statement sees parts of two builds.
5. Drop the previous marts (this waits for queries still reading them, at most a
   minute; past that they stay until the next build, with a warning).

A failed build changes nothing published; it stays in the `nav_tiltak_build_*` schemas
for inspection until the next build.

The read-only role (NAV_TILTAK_READER_ROLE, default `nav_tiltak_reader`) is what BI tools
connect as. When missing it is created without login (an administrator gives it a
password and LOGIN) and read-only by default (default_transaction_read_only); a role
that exists is left as it is. It is granted `marts` and nothing else. A building user
who may not create roles gets a warning, and the build goes on without it.

The connection: libpq's variables with the defaults of profiles.yml (connection_settings),
the same for this module and for dbt.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from navtiltak.dbt_target import dbt_build_command
from navtiltak.engines.base import BuildRequest

if TYPE_CHECKING:
    from psycopg2.extensions import connection as Connection  # noqa: N812 (a type)

BUILD_PREFIX = "nav_tiltak_build_"
PUBLISHED_SCHEMA = "marts"
PREVIOUS_SCHEMA = "nav_tiltak_previous_marts"
READER_ROLE_VARIABLE = "NAV_TILTAK_READER_ROLE"
DEFAULT_READER_ROLE = "nav_tiltak_reader"
# Any fixed number: pg_try_advisory_lock takes a bigint key, shared by every build of
# this project against one database.
BUILD_LOCK_KEY = 7_013_112_013
PROFILE_TARGET = "postgres"
# How long the swap, and the drop of the replaced marts, wait for a table or schema
# lock before they give up (a BI session idle in a transaction must not hang a build).
LOCK_TIMEOUT = "60s"
LOCK_TIMEOUT_SECONDS = 60.0
# One attempt of the swap at taking every mart's lock (swap_in).
SWAP_ATTEMPT_TIMEOUT = "200ms"


class PostgresPublishError(Exception):
    """The server refused a step; nothing was published."""


def connection_settings() -> dict[str, str]:
    """libpq's variables with the defaults profiles.yml gives them (target postgres), so
    that this module and dbt connect to the same server as the same user."""
    user = os.environ.get("PGUSER", "postgres")
    return {
        "host": os.environ.get("PGHOST", "localhost"),
        "port": os.environ.get("PGPORT", "5432"),
        "user": user,
        "password": os.environ.get("PGPASSWORD", ""),
        "dbname": os.environ.get("PGDATABASE", user),
    }


def connect() -> Connection:
    """A connection as dbt's profile makes it (connection_settings)."""
    try:
        import psycopg2
    except ImportError as exc:  # pragma: no cover - the Makefile installs it first
        raise PostgresPublishError(
            "psycopg2 is not installed: run `make build ENGINE=postgres`, which installs "
            "requirements-postgres.txt"
        ) from exc
    settings = connection_settings()
    try:
        return psycopg2.connect(**settings)
    except psycopg2.OperationalError as exc:
        where = f"{settings['host']}:{settings['port']}"
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PostgresPublishError(
            f"cannot connect to PostgreSQL at {where} as {settings['user']}: {first_line}"
        ) from exc


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def reader_role() -> str:
    return os.environ.get(READER_ROLE_VARIABLE, DEFAULT_READER_ROLE)


def drop_leftovers(connection: Connection) -> None:
    """Drop the schemas an earlier build or an interrupted publication left."""
    with connection.cursor() as cursor:
        cursor.execute(
            "select nspname from pg_namespace where nspname like %s or nspname = %s",
            [BUILD_PREFIX.replace("_", r"\_") + "%", PREVIOUS_SCHEMA],
        )
        for (schema,) in cursor.fetchall():
            cursor.execute(f"drop schema {quote_identifier(schema)} cascade")
    connection.commit()


def ensure_reader_role(connection: Connection, role: str) -> bool:
    """Create the read-only role when missing: without login, read-only by default. A
    role that exists is left as its administrator made it (it may serve elsewhere too);
    the grants alone keep it from writing marts. False when it is missing and this user
    may not create roles: the build then goes on, and marts is readable by its owner only
    (a warning says so)."""
    import psycopg2

    if role == connection_settings()["user"]:
        raise PostgresPublishError(
            f"{READER_ROLE_VARIABLE} names the building role {role} itself; name a role "
            "that only reads"
        )
    with connection.cursor() as cursor:
        cursor.execute("select 1 from pg_roles where rolname = %s", [role])
        if cursor.fetchone() is not None:
            return True
        try:
            cursor.execute(f"create role {quote_identifier(role)} nologin")
            cursor.execute(
                f"alter role {quote_identifier(role)} set default_transaction_read_only = on"
            )
            connection.commit()
        except psycopg2.Error as exc:
            connection.rollback()
            print(
                f"warning: the read-only role {role} does not exist and "
                f"{connection_settings()['user']} may not create it "
                f"({(exc.pgerror or str(exc)).strip()}); marts will be readable by its "
                f"owner only. Create the role, or name another in {READER_ROLE_VARIABLE}.",
                file=sys.stderr,
            )
            return False
    print(
        f"created role {role} without login: `ALTER ROLE {role} LOGIN PASSWORD '...'` "
        "lets BI tools connect with it",
        file=sys.stderr,
    )
    return True


def swap_in(connection: Connection, role: str | None) -> None:
    """Replace `marts` by the build's marts and grant the reader (if there is one), in
    one transaction.

    The transaction first locks every published mart (ACCESS EXCLUSIVE), waiting until
    no statement reads any of them. PostgreSQL resolves a statement's table names one by
    one, so without these locks a statement over two marts could resolve one before the
    commit and one after, and see half of each build. With them, a statement that
    reaches a mart during the swap waits, and after the commit resolves its names again,
    all to the new marts. The locks are tried for SWAP_ATTEMPT_TIMEOUT at a time (a
    reader holding one mart while waiting for another would otherwise deadlock with us),
    for at most LOCK_TIMEOUT in all; then nothing changes."""
    import psycopg2
    from psycopg2 import errors

    published, built = (
        quote_identifier(PUBLISHED_SCHEMA),
        quote_identifier(BUILD_PREFIX + PUBLISHED_SCHEMA),
    )
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    while True:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"set local lock_timeout = '{SWAP_ATTEMPT_TIMEOUT}'")
                cursor.execute(
                    "select quote_ident(tablename) from pg_tables where schemaname = %s "
                    "order by tablename",
                    [PUBLISHED_SCHEMA],
                )
                tables = [f"{published}.{name}" for (name,) in cursor.fetchall()]
                if tables:
                    cursor.execute(f"lock table {', '.join(tables)} in access exclusive mode")
                cursor.execute("select 1 from pg_namespace where nspname = %s", [PUBLISHED_SCHEMA])
                if cursor.fetchone() is not None:
                    cursor.execute(f"alter schema {published} rename to {PREVIOUS_SCHEMA}")
                cursor.execute(f"alter schema {built} rename to {published}")
                if role is not None:
                    reader = quote_identifier(role)
                    cursor.execute(f"grant usage on schema {published} to {reader}")
                    cursor.execute(f"grant select on all tables in schema {published} to {reader}")
            connection.commit()
            return
        except (errors.LockNotAvailable, errors.DeadlockDetected):
            connection.rollback()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        except psycopg2.Error:
            connection.rollback()
            raise


def drop_previous(connection: Connection) -> None:
    """Drop the marts the swap replaced, once readers let go of them (at most
    LOCK_TIMEOUT). Views that others built on the old marts go with them, as with any
    rebuild that replaces tables. If a reader holds on longer, the old marts stay in
    their schema until the next build drops them: the publication stands either way."""
    import psycopg2

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"set local lock_timeout = '{LOCK_TIMEOUT}'")
            cursor.execute(f"drop schema if exists {PREVIOUS_SCHEMA} cascade")
        connection.commit()
    except psycopg2.Error as exc:
        connection.rollback()
        print(
            f"warning: the replaced marts stay in schema {PREVIOUS_SCHEMA} until the next "
            f"build ({(exc.pgerror or str(exc)).strip()})",
            file=sys.stderr,
        )


def run_dbt_build(dbt: str) -> int:
    env = {**os.environ, "NAV_TILTAK_TARGET": PROFILE_TARGET}
    command = dbt_build_command(dbt, "--vars", f"{{schema_prefix: {BUILD_PREFIX}}}")
    return subprocess.run(command, env=env, check=False).returncode


def build_and_publish(dbt: str) -> int:
    started = time.monotonic()
    database = connection_settings()["dbname"]
    try:
        connection = connect()
    except PostgresPublishError as exc:
        print(f"{exc}; nothing was published", file=sys.stderr)
        return 1
    import psycopg2

    try:
        with connection.cursor() as cursor:
            cursor.execute("select pg_try_advisory_lock(%s)", [BUILD_LOCK_KEY])
            (locked,) = cursor.fetchone()
        connection.commit()
        if not locked:
            print(
                f"another build is running against database {database}; schema "
                f"{PUBLISHED_SCHEMA} was left unchanged",
                file=sys.stderr,
            )
            return 1
        role = reader_role()
        reader = role if ensure_reader_role(connection, role) else None
        drop_leftovers(connection)
        dbt_started = time.monotonic()
        returncode = run_dbt_build(dbt)
        dbt_seconds = time.monotonic() - dbt_started
        if returncode != 0:
            print(
                f"\nbuild failed. Schema {PUBLISHED_SCHEMA} of database {database} was left "
                f"unchanged; the failed build is in its schemas {BUILD_PREFIX}* for "
                f"inspection (failing test rows in {BUILD_PREFIX}test_failures).",
                file=sys.stderr,
            )
            return returncode
        swap_in(connection, reader)
        drop_previous(connection)
    except (PostgresPublishError, psycopg2.Error) as exc:
        print(f"{exc}; schema {PUBLISHED_SCHEMA} was left unchanged", file=sys.stderr)
        return 1
    finally:
        connection.close()
    total = time.monotonic() - started
    readers = f"readable by role {reader}" if reader else "readable by its owner only"
    print(
        f"published schema {PUBLISHED_SCHEMA} of database {database}, {readers} "
        f"({total:.1f} s: dbt build {dbt_seconds:.1f} s, swap {total - dbt_seconds:.1f} s)"
    )
    return 0


def run(request: BuildRequest) -> int:
    """`make build ENGINE=postgres`. The server serialises builds itself (an advisory
    lock) and holds no file here."""
    return build_and_publish(request.dbt)
