"""The locator on the test warehouse (the November 2013 report, `make dbt-test`): its
identity terms are the rule models' identities, and a misprint injected into the
month's values, in memory, is named exactly (the end-to-end builds are in
tests/python/warehouse/test_fault_injection.py)."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from navtiltak.locate.identities import Month, holds, load_months
from navtiltak.locate.suspects import locate_month
from navtiltak_tools.locate_faults import Fault, draw_faults, outcome
from navtiltak_tools.testing.warehouse_fixtures import warehouse_for_tests

# The rule the terms do not carry: it compares the warehouse with itself, not the
# report with its own identities.
RULES_WITHOUT_TERMS = ("marts_republish_report",)
FAULTS_PER_TABLE = 4


@pytest.fixture(scope="module")
def database() -> Path:
    return warehouse_for_tests()


@pytest.fixture(scope="module")
def month(database: Path) -> Month:
    with duckdb.connect(str(database), read_only=True) as connection:
        [loaded] = load_months(connection)
    return loaded


def test_every_identity_of_the_ledger_has_its_terms(database: Path, month: Month) -> None:
    with duckdb.connect(str(database), read_only=True) as connection:
        ledger = set(
            connection.execute(
                "select rule_id, scope from marts.fct_reconciliation_checks "
                "where rule_id not in (select unnest(?))",
                [list(RULES_WITHOUT_TERMS)],
            ).fetchall()
        )
    assert {(identity.rule_id, identity.scope) for identity in month.identities} == ledger


def test_terms_hold_where_the_rule_models_pass(database: Path, month: Month) -> None:
    with duckdb.connect(str(database), read_only=True) as connection:
        statuses = dict(
            ((rule, scope), status)
            for rule, scope, status in connection.execute(
                "select distinct rule_id, scope, identity_status "
                "from intermediate.int_report_identity_terms"
            ).fetchall()
        )
    disagree = [
        (identity.rule_id, identity.scope)
        for identity in month.identities
        if holds(identity, month.values, month.cells)
        != (statuses[(identity.rule_id, identity.scope)] != "fail")
    ]
    assert not disagree, disagree[:5]
    # and the terms are not vacuous: a changed total breaks the identities it is in
    total = next(key for key, cell in month.cells.items() if cell.row_label == "I alt")
    changed = {**month.values, total: (month.values[total] or 0) + 1}
    assert any(not holds(identity, changed, month.cells) for identity in month.identities)


def test_a_month_that_reconciles_has_no_suspects(month: Month) -> None:
    diagnosis = locate_month(month)
    assert diagnosis.broken == ()
    assert diagnosis.solutions == ()


def test_single_misprints_in_every_table_are_named_exactly(month: Month) -> None:
    tables = {key[0] for key in month.cells}
    faults = draw_faults(month, random.Random(20131101), FAULTS_PER_TABLE * len(tables))
    blanks = [key for key, cell in month.cells.items() if cell.is_blank and cell.is_count]
    faults += [Fault(key, 0, 1) for key in random.Random(7).sample(blanks, 3)]
    assert {fault.cell[0] for fault in faults} == tables
    outcomes = [outcome(month, fault) for fault in faults]
    exact = sum(result.exact for result in outcomes)
    print(f"\n{exact} of {len(outcomes)} single misprints named exactly")
    not_named = [result.fault.describe(month) for result in outcomes if not result.exact]
    # In this report every printed count and change is determined by the identities.
    assert not not_named, not_named


def test_a_misprinted_percent_is_named(month: Month) -> None:
    percents = sorted(
        key
        for key, cell in month.cells.items()
        if cell.metric_code == "change_pct" and month.values[key] is not None
    )
    for key in percents[::30]:
        printed = month.values[key] or 0
        result = outcome(month, Fault(key, printed, printed + 1))
        assert result.exact, result.fault.describe(month)


def test_two_misprints_in_different_tables_are_both_named(month: Month) -> None:
    rng = random.Random(2)
    for _ in range(3):
        first, second = rng.sample(draw_faults(month, rng, 9), 2)
        if first.cell[0] == second.cell[0]:
            continue
        values = {**month.values, first.cell: first.misprinted, second.cell: second.misprinted}
        top = locate_month(month, values).top
        assert top is not None
        assert {suspect.cell.key: suspect.needed for suspect in top.suspects} == {
            first.cell: first.printed,
            second.cell: second.printed,
        }
