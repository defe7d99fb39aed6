"""The BI path: a read-only SQLAlchemy connection through duckdb-engine.

What a BI tool does first: list the tables of schema `marts`, read their columns, run
an aggregate. Checked against the public contract, models/marts/_marts__models.yml.
SQLAlchemy must stay below 2.1 (2.1 breaks duckdb-engine's table introspection).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import yaml

from navtiltak_tools.testing.warehouse_fixtures import PROJECT_ROOT, warehouse_for_tests

MARTS_YML = PROJECT_ROOT / "models/marts/_marts__models.yml"


def contract() -> dict[str, list[str]]:
    """Mart name -> its column names, in order, as the contract declares them."""
    models = yaml.safe_load(MARTS_YML.read_text(encoding="utf-8"))["models"]
    return {model["name"]: [column["name"] for column in model["columns"]] for model in models}


@pytest.fixture(scope="module", params=["connect_args", "url"])
def engine(request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    """Both ways of asking for read-only: connect_args, or `?access_mode=read_only`."""
    path = warehouse_for_tests().resolve()
    if request.param == "connect_args":
        engine = sa.create_engine(f"duckdb:///{path}", connect_args={"read_only": True})
    else:
        engine = sa.create_engine(f"duckdb:///{path}?access_mode=read_only")
    yield engine
    engine.dispose()


def test_sqlalchemy_is_below_2_1() -> None:
    major, minor = (int(part) for part in sa.__version__.split(".")[:2])
    assert (major, minor) < (2, 1), "duckdb-engine's introspection breaks on SQLAlchemy 2.1"


def test_inspector_lists_the_marts(engine: sa.Engine) -> None:
    tables = sa.inspect(engine).get_table_names(schema="marts")
    assert sorted(tables) == sorted(contract())


def test_inspector_reads_the_columns_of_every_mart(engine: sa.Engine) -> None:
    inspector = sa.inspect(engine)
    for mart, columns in contract().items():
        found = [column["name"] for column in inspector.get_columns(mart, schema="marts")]
        assert found == columns, mart


def test_aggregate_query(engine: sa.Engine) -> None:
    query = sa.text(
        """
        select g.participant_group_name, sum(f.participants) as participants
        from marts.fct_participants_by_measure as f
        inner join marts.dim_participant_group as g
            on f.participant_group_code = g.participant_group_code
        where f.month = date '2013-11-01'
        group by g.participant_group_name, g.sort_order
        order by g.sort_order
        """
    )
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(query)]
    # The report's "Hovedgrupper" table, November 2013.
    assert rows == [
        ("Arbeidssøkere på tiltak", 18032),
        ("Nedsatt arbeidsevne, på tiltak", 55372),
        ("Andre på tiltak", 2365),
    ]


def test_connection_is_read_only(engine: sa.Engine) -> None:
    with engine.connect() as connection, pytest.raises(sa.exc.DBAPIError, match="read-only"):
        connection.execute(sa.text("create table marts.scratch as select 1 as one"))
