"""Build and publish on a Spark cluster over Thrift: `make build ENGINE=spark_cluster`.

The Thrift server (Spark's HiveThriftServer2, the JDBC/ODBC endpoint BI tools use) comes
from the NAV_TILTAK_SPARK_* variables, for this module as for dbt's profile target
`spark_cluster`.

Spark's catalog has no transaction over several tables, so readers never read the built
tables' names: every served mart is a view, `marts.<mart>`, over the table of one
versioned build, and a publication re-points the views.

1. Take the build lock: create the database `nav_tiltak_publish_lock` (the metastore
   refuses a second one); dropped when the build ends.
2. Drop every build the served views do not read (failed builds, the build replaced by
   the last publication).
3. `dbt build` with schema_prefix `nav_tiltak_build_<build>_`: the whole build (seeds,
   staging, intermediate, marts, stored test failures) goes into databases of its own,
   `nav_tiltak_build_<build>_marts` and so on, that no reader uses.
4. Only when every model and test passed: for each mart, `ALTER VIEW marts.<mart> AS
   SELECT * FROM nav_tiltak_build_<build>_marts.<mart>` (`CREATE VIEW` for a mart not
   served yet; a view whose mart the build no longer has is dropped last). Each ALTER VIEW
   is one metastore update: a query that resolves the view gets the old build's table or
   the new one, whole, never a missing or half-written table. The views are re-pointed
   one after the other (the time it took is printed), so a statement that reads two
   marts in that window can read one from each build.
5. The replaced build stays until the next build starts (step 2), for queries still
   reading it.

A failed build changes nothing served; it stays in its `nav_tiltak_build_<build>_*`
databases (failing test rows in `..._test_failures`) for inspection until the next build.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from navtiltak.dbt_target import dbt_build_command
from navtiltak.engines.base import BuildRequest

PROFILE_TARGET = "spark_cluster"
BUILD_PREFIX = "nav_tiltak_build_"
PUBLISHED_SCHEMA = "marts"
LOCK_DATABASE = "nav_tiltak_publish_lock"
# A build's name: its UTC start and the building process, e.g. 20261203174501_4242.
BUILD_DATABASE = re.compile(rf"^{BUILD_PREFIX}(\d{{14}}_\d+)_[a-z_]+$")
VIEW_TARGET = re.compile(rf"`?{BUILD_PREFIX}(\d{{14}}_\d+)_{PUBLISHED_SCHEMA}`?\s*\.")


class SparkPublishError(Exception):
    """The cluster refused a step, or cannot be reached; nothing was published."""


class Cursor(Protocol):
    def execute(self, operation: str) -> None: ...

    def fetchall(self) -> list[tuple[Any, ...]]: ...


@dataclass(frozen=True)
class ClusterSettings:
    method: str
    host: str
    port: int
    user: str | None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def settings() -> ClusterSettings:
    """The variables with the defaults profiles.yml gives them (target spark_cluster)."""
    return ClusterSettings(
        method=os.environ.get("NAV_TILTAK_SPARK_METHOD", "thrift"),
        host=os.environ.get("NAV_TILTAK_SPARK_HOST", "localhost"),
        port=int(os.environ.get("NAV_TILTAK_SPARK_PORT", "10000")),
        user=os.environ.get("NAV_TILTAK_SPARK_USER") or None,
    )


@contextmanager
def connect(where: ClusterSettings) -> Iterator[Cursor]:
    """A Thrift session, as dbt-spark's `thrift` method opens one (PyHive)."""
    if where.method != "thrift":
        raise SparkPublishError(
            f"NAV_TILTAK_SPARK_METHOD={where.method}: `make build ENGINE=spark_cluster` "
            "builds and publishes over Thrift only"
        )
    try:
        from pyhive import hive
    except ImportError as exc:  # pragma: no cover - the Makefile installs it first
        raise SparkPublishError(
            "PyHive is not installed: run `make build ENGINE=spark_cluster`, which installs "
            "requirements-spark_cluster.txt"
        ) from exc
    try:
        connection = hive.connect(host=where.host, port=where.port, username=where.user)
    # PyHive passes on whatever its transport raised (socket, Thrift, SASL errors).
    except Exception as exc:
        raise SparkPublishError(
            f"cannot connect to the Thrift server at {where.where}: {exc}"
        ) from exc
    try:
        yield connection.cursor()
    finally:
        connection.close()


def server_errors() -> tuple[type[Exception], ...]:
    """What PyHive raises when the server refuses a statement or the connection breaks."""
    try:
        from pyhive.exc import Error
        from thrift.transport.TTransport import TTransportException
    except ImportError:  # connect() says what to install
        return (OSError,)
    return (Error, TTransportException, OSError)


def first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def build_schema(build: str, layer: str) -> str:
    return f"{BUILD_PREFIX}{build}_{layer}"


def query(cursor: Cursor, statement: str) -> list[tuple[Any, ...]]:
    cursor.execute(statement)
    return cursor.fetchall()


def databases(cursor: Cursor) -> list[str]:
    return [row[0] for row in query(cursor, "show databases")]


def relations(cursor: Cursor, schema: str) -> dict[str, bool]:
    """The tables and views of `schema` (none when it does not exist): name -> is a view."""
    if schema not in databases(cursor):
        return {}
    views = {row[1] for row in query(cursor, f"show views in {quote(schema)}") if not row[2]}
    names = [row[1] for row in query(cursor, f"show tables in {quote(schema)}") if not row[2]]
    return {name: name in views for name in names}


def served_builds(cursor: Cursor) -> set[str]:
    """The builds the views of `marts` read (more than one after an interrupted
    publication)."""
    builds: set[str] = set()
    for name, is_view in relations(cursor, PUBLISHED_SCHEMA).items():
        if is_view:
            (text,) = query(cursor, f"show create table {quote(PUBLISHED_SCHEMA)}.{quote(name)}")[0]
            builds.update(VIEW_TARGET.findall(text))
    return builds


def drop_builds(cursor: Cursor, keep: set[str]) -> list[str]:
    """Drop every build's databases but those of `keep`; the builds dropped."""
    dropped: set[str] = set()
    for database in databases(cursor):
        match = BUILD_DATABASE.match(database)
        if match and match[1] not in keep:
            cursor.execute(f"drop database if exists {quote(database)} cascade")
            dropped.add(match[1])
    return sorted(dropped)


@contextmanager
def build_lock(cursor: Cursor, build: str) -> Iterator[bool]:
    """One build per cluster at a time: the metastore creates a database once. False
    when another build holds it."""
    try:
        cursor.execute(f"create database {LOCK_DATABASE} comment 'build {build}'")
    except Exception as exc:  # PyHive's OperationalError, whatever the server says
        if "already exists" in str(exc).lower() or "ALREADY_EXISTS" in str(exc):
            yield False
            return
        raise
    try:
        yield True
    finally:
        cursor.execute(f"drop database if exists {LOCK_DATABASE} cascade")


def publish(cursor: Cursor, build: str) -> tuple[int, float]:
    """Point every served mart at `build`'s table (module docstring, step 4); the number
    of marts and the seconds the re-pointing took."""
    built = build_schema(build, PUBLISHED_SCHEMA)
    marts = sorted(name for name, is_view in relations(cursor, built).items() if not is_view)
    if not marts:
        raise SparkPublishError(f"the build's database {built} holds no tables")
    cursor.execute(f"create database if not exists {quote(PUBLISHED_SCHEMA)}")
    served = relations(cursor, PUBLISHED_SCHEMA)
    started = time.monotonic()
    for mart in marts:
        view = f"{quote(PUBLISHED_SCHEMA)}.{quote(mart)}"
        select = f"select * from {quote(built)}.{quote(mart)}"
        if served.get(mart) is True:
            cursor.execute(f"alter view {view} as {select}")
            continue
        if mart in served:
            # A table where a view belongs (a build made before publication by views):
            # readers miss this mart for a moment, this once.
            print(f"warning: replacing table {view} by a view", file=sys.stderr)
            cursor.execute(f"drop table {view}")
        cursor.execute(f"create view {view} as {select}")
    for name, is_view in sorted(served.items()):
        if name not in marts:
            cursor.execute(
                f"drop {'view' if is_view else 'table'} {quote(PUBLISHED_SCHEMA)}.{quote(name)}"
            )
    return len(marts), time.monotonic() - started


def run_dbt_build(dbt: str, build: str) -> int:
    env = {**os.environ, "NAV_TILTAK_TARGET": PROFILE_TARGET}
    command = dbt_build_command(dbt, "--vars", f"{{schema_prefix: {build_schema(build, '')}}}")
    return subprocess.run(command, env=env, check=False).returncode


def new_build_name() -> str:
    return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + f"_{os.getpid()}"


def build_and_publish(dbt: str) -> int:
    started = time.monotonic()
    where = settings()
    build = new_build_name()
    try:
        with connect(where) as cursor, build_lock(cursor, build) as locked:
            if not locked:
                print(
                    f"another build is running on {where.where} (it holds database "
                    f"{LOCK_DATABASE}; if none is, drop that database); schema "
                    f"{PUBLISHED_SCHEMA} was left unchanged",
                    file=sys.stderr,
                )
                return 1
            previous = served_builds(cursor)
            drop_builds(cursor, keep=previous)
            dbt_started = time.monotonic()
            returncode = run_dbt_build(dbt, build)
            dbt_seconds = time.monotonic() - dbt_started
            if returncode != 0:
                print(
                    f"\nbuild failed. Schema {PUBLISHED_SCHEMA} on {where.where} was left "
                    f"unchanged; the failed build is in its databases "
                    f"{build_schema(build, '*')} for inspection (failing test rows in "
                    f"{build_schema(build, 'test_failures')}).",
                    file=sys.stderr,
                )
                return returncode
            try:
                count, swap_seconds = publish(cursor, build)
            except server_errors() as exc:
                print(
                    f"publication stopped: {first_line(exc)}. Each mart of schema "
                    f"{PUBLISHED_SCHEMA} reads the build it read before or build {build}; "
                    "run the build again to publish every mart",
                    file=sys.stderr,
                )
                return 1
    except (SparkPublishError, *server_errors()) as exc:
        print(f"{first_line(exc)}; schema {PUBLISHED_SCHEMA} was left unchanged", file=sys.stderr)
        return 1
    total = time.monotonic() - started
    replaced = ", ".join(sorted(previous)) or "none"
    print(
        f"published {count} marts as views in schema {PUBLISHED_SCHEMA} on {where.where} over "
        f"build {build} (replaced: {replaced}; views re-pointed in {swap_seconds:.2f} s) "
        f"({total:.1f} s: dbt build {dbt_seconds:.1f} s, publish {total - dbt_seconds:.1f} s)"
    )
    return 0


def run(request: BuildRequest) -> int:
    """`make build ENGINE=spark_cluster`. The cluster serialises builds itself (a lock
    database) and holds no file here."""
    return build_and_publish(request.dbt)
