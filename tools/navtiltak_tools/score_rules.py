"""dbt-score rules and filters of this project (``[tool.dbt-score]`` in pyproject.toml).

dbt-score's own ``has_uniqueness_test`` knows only dbt_utils' ``unique_combination_of_columns``
for a primary key of several columns; dbt_utils cannot be installed here, and the project
tests such keys with its own ``unique_combination`` (macros/tests/). This rule replaces it.
"""

# No `from __future__ import annotations`: dbt-score reads the annotations at run time
# to tell a model rule from a seed rule.
from collections.abc import Iterable

from dbt_score import Model, RuleViolation, rule, rule_filter

# Multi-column uniqueness tests and the argument that lists their columns.
COMBINATION_TESTS = {
    "unique_combination": "columns",
    "unique_combination_of_columns": "combination_of_columns",
}


@rule_filter
def is_mart(model: Model) -> bool:
    """Marts, the models analysts query."""
    return model.original_file_path.startswith("models/marts/")


def primary_key(model: Model) -> list[str]:
    """The columns of the model's primary-key constraint, model- or column-level."""
    columns = [
        column.name
        for column in model.columns
        if any(constraint.type == "primary_key" for constraint in column.constraints)
    ]
    for constraint in model.constraints:
        if constraint.type == "primary_key":
            columns.extend(constraint.columns or [])
    return columns


def tested_column_sets(model: Model) -> Iterable[frozenset[str]]:
    """The column sets the model's uniqueness tests hold unique."""
    for column in model.columns:
        if any(test.type == "unique" for test in column.tests):
            yield frozenset({column.name})
    for test in model.tests:
        argument = COMBINATION_TESTS.get(test.type)
        if argument is not None:
            yield frozenset(test.kwargs.get(argument) or [])


@rule
def primary_key_has_uniqueness_test(model: Model) -> RuleViolation | None:
    """A primary-key constraint has a uniqueness test over exactly its columns."""
    key = primary_key(model)
    if not key or frozenset(key) in set(tested_column_sets(model)):
        return None
    return RuleViolation(
        f"No uniqueness test over the primary key ({', '.join(key)}): add `unique` to the "
        "column, or `unique_combination` over the columns."
    )
