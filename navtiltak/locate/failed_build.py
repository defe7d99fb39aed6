"""Localisation of a failed build: what `make build` runs when `dbt build` failed.

    python -m navtiltak.locate warehouse/.build/nav_tiltak.duckdb

`int_report_identity_terms` is a view on the rule models (the cross-month rule's
included) that dbt builds before their tests (argument built_before in
models/intermediate/reconciliation/_reconciliation__models.yml), so a build whose
identities fail has it: it is read here, nothing is built. A passing build never
comes here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import duckdb

from navtiltak.locate.cross_month import COMPARED_MODEL, is_misprint
from navtiltak.locate.diagnostics import SUSPECT_IDENTITIES, SUSPECTS, write_tables
from navtiltak.locate.identities import load_months
from navtiltak.locate.summary import summary_lines
from navtiltak.locate.suspects import Diagnosis, locate_month

TERMS_MODEL = "int_report_identity_terms"
TERMS_RELATION = f"intermediate.{TERMS_MODEL}"


def locates(failed: Iterable[str], manifest: Path, database: Path | None = None) -> bool:
    """Whether the search can explain a failure: a test of a model whose rows the
    identity terms are made of failed. An unknown label or a model error leaves nothing
    for it to search. A failure of the cross-month rule alone is searched only when
    few figures of a month fail (`cross_month.is_misprint`): two reports that disagree
    everywhere are not one misprint, and are told figure by figure instead."""
    try:
        nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"]
        terms = next(n for n in nodes.values() if n.get("name") == TERMS_MODEL)
    except (OSError, ValueError, KeyError, StopIteration):
        return False
    rule_models = set(terms["depends_on"]["nodes"])
    failed_models = {nodes.get(node, {}).get("attached_node") for node in failed} & rule_models
    if any(not node.endswith(f".{COMPARED_MODEL}") for node in failed_models):
        return True
    if not failed_models or database is None:
        return False
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            return is_misprint(connection)
    except duckdb.Error:
        return False


class NotLocatableError(Exception):
    """The build failed before the identities could be read (e.g. a model failed)."""


def _has_relation(connection: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    found = connection.execute(
        "select count(*) from duckdb_views() where schema_name = ? and view_name = ?",
        [schema, name],
    ).fetchone()
    return bool(found and found[0])


def ensure_terms(database: Path) -> None:
    """The identity terms are in the failed build: dbt builds them before the rule
    models' tests (their argument built_before); a build that stopped earlier (a model
    failed) has none."""
    with duckdb.connect(str(database), read_only=True) as connection:
        if not _has_relation(connection, "intermediate", TERMS_MODEL):
            raise NotLocatableError(f"{TERMS_RELATION} was not built")


def failing_months(connection: duckdb.DuckDBPyConnection) -> list[object]:
    rows = connection.execute(
        f"select distinct report_month from {TERMS_RELATION} where identity_status = 'fail'"
    ).fetchall()
    return [month for (month,) in rows]


def diagnose(database: Path) -> list[Diagnosis]:
    """Locate the misprints of every month whose identities fail; keep them as tables."""
    with duckdb.connect(str(database)) as connection:
        months = failing_months(connection)
        diagnoses = [
            locate_month(month) for month in load_months(connection, only=months) if months
        ]
        write_tables(connection, diagnoses)
    return diagnoses


def locate_failed_build(database: Path) -> list[str]:
    """The summary lines of a failed build, its suspects kept in the database."""
    try:
        ensure_terms(database)
        diagnoses = diagnose(database)
    except (duckdb.Error, NotLocatableError) as exc:
        return [f"the misprinted cells could not be located: {exc}"]
    lines = summary_lines(diagnoses)
    if lines:
        lines.append(
            f"Suspects and the identities each explains: {SUSPECTS.relation} and "
            f"{SUSPECT_IDENTITIES.relation} in {database}"
        )
    return lines
