"""The monthly update: which months a DuckDB build must build, and whether the published
warehouse can be the start of it.

A build is incremental when the published warehouse was built by the same project: the
same models, macros, tests, reference seeds, dbt_project.yml, profiles.yml, selectors.yml
and report-seed YAML, and the same dbt-core, dbt-duckdb and duckdb (their hash, the
project fingerprint, is stored in the published file, schema ``build_state``). Then the
build starts as a copy of the published file, and the models whose rows belong to one
month (``by_month`` in macros/incremental/) rebuild only:

- the months whose report rows differ between the new seeds and the published
  warehouse's (a report added, replaced or removed), compared month by month (the
  rows' count and the sum of their hashes, ``changed_months``);
- the months twelve months before and after each, whose comparison with last year's
  report (``int_report_months_compared``) reads it.

Everything else is a full build, as before: no published file, another fingerprint, or
``--full`` (``make build FULL=1``). In an update the generic tests of the models and
seeds whose rows belong to one month read the months built only (the others passed when
they were published; ``get_where_subquery`` in macros/incremental/); every other test
reads every month.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import duckdb

# The environment variable the dbt project reads the months to build from.
MONTHS_VARIABLE = "NAV_TILTAK_BUILD_MONTHS"
# Its value when no month changed: the build tests the published months again.
NO_MONTHS = "none"
STATE_SCHEMA = "build_state"
STATE_TABLE = f"{STATE_SCHEMA}.project_fingerprint"
REPORT_SCHEMA = "report"
MONTH_COLUMN = "report_month"
# What decides how the warehouse is built from the seeds, relative to the project.
PROJECT_INPUTS = (
    "models",
    "macros",
    "tests/dbt",
    "seeds/reference",
    "seeds/report/_report__seeds.yml",
    "dbt_project.yml",
    "profiles.yml",
    "selectors.yml",
)
PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")
# A report's figures are compared with the report this many months earlier.
COMPARISON_MONTHS = 12


def project_fingerprint(project: Path) -> str:
    """A hash of every file of PROJECT_INPUTS (path and bytes) and the packages' versions."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        digest.update(f"{package} {metadata.version(package)}\n".encode())
    for name in PROJECT_INPUTS:
        root = project / name
        if root.is_dir():
            files = sorted(path for path in root.rglob("*") if path.is_file())
        else:
            files = [root] if root.is_file() else []
        for path in files:
            content = path.read_bytes()
            relative = path.relative_to(project).as_posix()
            digest.update(f"{relative} {len(content)}\n".encode())
            digest.update(content)
    return digest.hexdigest()


def stored_fingerprint(connection: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = connection.execute(f"select fingerprint from {STATE_TABLE}").fetchone()
    except duckdb.CatalogException:
        return None
    return None if row is None else str(row[0])


def store_fingerprint(database: Path, fingerprint: str) -> None:
    """Record in ``database`` the project that built it."""
    with duckdb.connect(str(database)) as connection:
        connection.execute(f"create schema if not exists {STATE_SCHEMA}")
        connection.execute(f"create or replace table {STATE_TABLE} (fingerprint varchar)")
        connection.execute(f"insert into {STATE_TABLE} values (?)", [fingerprint])


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def changed_months(connection: duckdb.DuckDBPyConnection, seeds: Iterable[Path]) -> set[str]:
    """The months ('YYYY-MM') whose rows differ between each seed file and its table in
    schema report of ``connection``'s database, both read as text.

    Each side is summed up per month (its rows' count and the sum of a 64-bit hash of
    every row) and the summaries compared: a fifth of the time of comparing the rows
    themselves (1.37 million at 301 months). A changed month goes unseen only if its
    rows' hashes sum to the same number as before, a chance of about 2^-64."""
    months: set[str] = set()
    for seed in seeds:
        columns = [
            name
            for (name,) in connection.execute(
                "select column_name from duckdb_columns() where schema_name = ?"
                " and table_name = ? order by column_index",
                [REPORT_SCHEMA, seed.stem],
            ).fetchall()
        ]
        if MONTH_COLUMN not in columns:
            raise LookupError(f"{REPORT_SCHEMA}.{seed.stem} has no column {MONTH_COLUMN}")
        types = ", ".join(f"'{name}': 'varchar'" for name in columns)
        path = str(seed.resolve()).replace("'", "''")
        new = (
            f"select * from read_csv('{path}', header = true, delim = ',', quote = '\"',"
            f" escape = '\"', encoding = 'utf-8', auto_detect = false, nullstr = '',"
            f" columns = {{{types}}})"
        )
        old = "select " + ", ".join(
            f"cast({_quoted(name)} as varchar) as {_quoted(name)}" for name in columns
        )
        old += f" from {REPORT_SCHEMA}.{_quoted(seed.stem)}"
        row_hash = f"hash({', '.join(_quoted(name) for name in columns)})"
        summary = (
            f"select {MONTH_COLUMN}, count(*) as row_count,"
            f" sum(cast({row_hash} as hugeint)) as hash_sum from ({{rows}}) group by all"
        )
        rows = connection.execute(
            f"with new_months as ({summary.format(rows=new)}),"
            f" old_months as ({summary.format(rows=old)}),"
            " differing as ((from new_months except from old_months)"
            " union all (from old_months except from new_months))"
            f" select distinct {MONTH_COLUMN} from differing"
        ).fetchall()
        months.update(str(month) for (month,) in rows)
    return months


def shift(month: str, months: int) -> str:
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_to_build(changed: Iterable[str]) -> list[str]:
    """The changed months and those a year before and after them, in order."""
    return sorted(
        {shift(month, offset) for month in changed for offset in (-COMPARISON_MONTHS, 0, 12)}
    )


@dataclass(frozen=True)
class Plan:
    """How one build starts: from the published file (with the months to build) or empty."""

    fingerprint: str
    months: list[str] | None  # None: a full build
    reason: str

    @property
    def variable(self) -> str | None:
        """MONTHS_VARIABLE's value for dbt, None for a full build (left unset)."""
        if self.months is None:
            return None
        return ",".join(self.months) or NO_MONTHS


def plan_build(published: Path, seeds: Iterable[Path], fingerprint: str, *, full: bool) -> Plan:
    """An incremental plan when ``published`` was built by this very project (read
    read-only, beside any other reader), else a full one, with the reason."""
    if full:
        return Plan(fingerprint, None, "a full build was asked for (FULL=1)")
    if not published.exists():
        return Plan(fingerprint, None, "nothing is published yet")
    try:
        with duckdb.connect(str(published), read_only=True) as connection:
            if stored_fingerprint(connection) != fingerprint:
                return Plan(
                    fingerprint,
                    None,
                    "the project (models, macros, tests, reference seeds, configuration or "
                    "packages) differs from the one that built the published warehouse",
                )
            changed = changed_months(connection, seeds)
    except (duckdb.Error, LookupError) as exc:
        return Plan(fingerprint, None, f"the published warehouse cannot be compared ({exc})")
    months = months_to_build(changed)
    if not changed:
        return Plan(fingerprint, months, "no report changed")
    return Plan(
        fingerprint,
        months,
        f"reports changed: {', '.join(sorted(changed))}; building {', '.join(months)}",
    )
