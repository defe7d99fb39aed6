"""One build of the published warehouse, held in memory, and the store that swaps builds.

A snapshot copies the marts the API serves into an in-memory DuckDB database through a
read-only ATTACH that is detached again at once: the server never keeps the published
file open, so the next `make build` renames a new file over it freely. The store keys
the snapshot by the file's identity (device, inode, modification time, size); a request
that finds another identity loads the new build, and every request answers from the one
snapshot it took at its start. A failed build leaves the file, and so the snapshot, as
it was.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

MARTS = "marts"
# The marts a snapshot copies whole: the dimensions and the three fine-grain facts.
COPIED = (
    "dim_county",
    "dim_month",
    "dim_participant_group",
    "dim_age_band",
    "dim_measure",
    "fct_participants_by_measure",
    "fct_participants_by_age",
    "fct_participants_change",
)
# A month's code as Statistics Norway writes it: 2024M11.
MONTH_CODE = "strftime(month, '%Y') || 'M' || strftime(month, '%m')"
LOAD_ATTEMPTS = 5

Identity = tuple[int, int, int, int]


class WarehouseMissingError(RuntimeError):
    """The published file is not there (no build has published yet)."""


def identity(path: Path) -> Identity:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise WarehouseMissingError(f"{path} does not exist: run `make build` first") from None
    return (status.st_dev, status.st_ino, status.st_mtime_ns, status.st_size)


@dataclass
class Snapshot:
    """The marts of one build: an in-memory database and the dimensions as rows."""

    identity: Identity
    loaded_at: float
    connection: duckdb.DuckDBPyConnection
    dimensions: dict[str, list[dict[str, object]]]
    # month code -> the report files it was read from (fct_report_cells.source_file)
    sources: dict[str, list[str]]
    total_label: str
    # The catalogue built from it (navtiltak.statbank.catalogue), set by the store.
    catalogue: object = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    rollups: set[str] = field(default_factory=set)

    def rollup(self, fact: str, keep: list[str], sums: list[str]) -> str:
        """A table of ``fact`` summed over every dimension but ``keep`` (made on first
        use, then kept with the snapshot): for each column of ``sums`` its sum and, as
        `<column>__nulls`, the count of its null (suppressed) parts. Its name."""
        name = f"{fact}__by__{'__'.join(sorted(keep))}"
        with self.lock:
            if name not in self.rollups:
                measures = ", ".join(
                    f"sum({c}) as {c}, count(*) filter (where {c} is null) as {c}__nulls"
                    for c in sums
                )
                cursor = self.connection.cursor()
                try:
                    cursor.execute(
                        f"create table {name} as select {', '.join(keep)}, {measures}"
                        f" from {fact} group by all order by tid"
                    )
                finally:
                    cursor.close()
                self.rollups.add(name)
        return name

    def query_numpy(self, sql: str, parameters: list[object] | None = None) -> dict[str, object]:
        """Run ``sql`` on a cursor of its own; its columns as numpy arrays."""
        cursor = self.connection.cursor()
        try:
            return dict(cursor.execute(sql, parameters or []).fetchnumpy())
        finally:
            cursor.close()

    def query(self, sql: str, parameters: list[object] | None = None) -> list[tuple]:
        """Run ``sql`` on a cursor of its own (DuckDB cursors are per thread)."""
        cursor = self.connection.cursor()
        try:
            return cursor.execute(sql, parameters or []).fetchall()
        finally:
            cursor.close()


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, object]]:
    result = connection.execute(sql)
    names = [column[0] for column in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _copy(path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    literal = str(path).replace("'", "''")
    connection.execute(f"attach '{literal}' as published (read_only)")
    try:
        for table in COPIED:
            # Tables with a month get its code beside it.
            has_month = table.startswith("fct_") or table == "dim_month"
            columns = f"*, {MONTH_CODE} as tid" if has_month else "*"
            # Sorted by month: a query for some months reads only their row groups.
            order = " order by month" if has_month else ""
            connection.execute(
                f"create table {table} as select {columns} from published.{MARTS}.{table}{order}"
            )
        connection.execute(
            f"create table month_sources as select {MONTH_CODE} as tid,"
            " list(distinct source_file order by source_file) as files"
            f" from published.{MARTS}.fct_report_cells group by all"
        )
        # The label the report prints on its grand-total lines ("I alt").
        connection.execute(
            "create table total_label as select mode(row_label_printed) as label"
            f" from published.{MARTS}.fct_report_cells"
            " where county_code = 'total' and participant_group_code = 'total'"
            " and age_band_code = 'total' and measure_group_code = 'total'"
            " and measure_code = 'total'"
        )
    finally:
        connection.execute("detach published")
    return connection


def load(path: Path) -> Snapshot:
    """The build at ``path`` now. The identity is read before and after the copy: when a
    publish renamed a new file in meanwhile, the copy is made again."""
    for _ in range(LOAD_ATTEMPTS):
        before = identity(path)
        connection = _copy(path)
        if identity(path) == before:
            break
        connection.close()
    else:
        raise RuntimeError(f"{path} kept changing while it was read")
    dimensions = {
        table: _rows(connection, f"select * from {table} order by all")
        for table in COPIED
        if table.startswith("dim_")
    }
    sources = {
        str(tid): [str(name) for name in files]
        for tid, files in connection.execute("select tid, files from month_sources").fetchall()
    }
    (total_label,) = connection.execute("select label from total_label").fetchone() or (None,)
    return Snapshot(before, time.time(), connection, dimensions, sources, str(total_label))


class SnapshotStore:
    """The current snapshot of one published file, reloaded when the file changes."""

    def __init__(self, path: Path, build_catalogue: object) -> None:
        self.path = path
        self._build_catalogue = build_catalogue
        self._current: Snapshot | None = None
        self._loading = threading.Lock()

    def current(self) -> Snapshot:
        """The snapshot of the file at the path now; loads it when it is new. A load that
        fails (the file unreadable) keeps the snapshot there was, when there was one."""
        snapshot = self._current
        try:
            now = identity(self.path)
        except WarehouseMissingError:
            if snapshot is not None:
                return snapshot
            raise
        if snapshot is not None and snapshot.identity == now:
            return snapshot
        with self._loading:
            snapshot = self._current
            if snapshot is not None and snapshot.identity == identity(self.path):
                return snapshot
            try:
                fresh = load(self.path)
            except (duckdb.Error, RuntimeError):
                if snapshot is not None:
                    return snapshot
                raise
            fresh.catalogue = self._build_catalogue(fresh)  # type: ignore[operator]
            self._current = fresh  # one assignment: the swap
            return fresh
