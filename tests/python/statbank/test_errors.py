"""Bad requests answer application/problem+json with the spec's status and a detail that
names what was wrong; none makes the server fail. The optional rate limit answers 429
with Retry-After."""

from __future__ import annotations

import httpx
import pytest
from statbank_server import Server, start_server, stop_server

MONTH = {"valuecodes[ContentsCode]": "*", "valuecodes[Tid]": "top(1)"}
CASES = [
    # (what, method, path, query, body, status, words the detail names)
    ("unknown table", "GET", "/tables/NoSuchTable", {}, None, 404, ["NoSuchTable"]),
    ("unknown table's data", "GET", "/tables/NoSuchTable/data", {}, None, 404, ["NoSuchTable"]),
    ("unknown code list", "GET", "/codelists/vs_Nothing", {}, None, 404, ["vs_Nothing"]),
    (
        "unknown variable",
        "GET",
        "/tables/DeltakereEndring/data",
        {**MONTH, "valuecodes[Kommune]": "0301"},
        None,
        400,
        ["Kommune"],
    ),
    (
        "unknown value code",
        "GET",
        "/tables/DeltakereEndring/data",
        {**MONTH, "valuecodes[Region]": "03,99"},
        None,
        400,
        ["99", "Region"],
    ),
    (
        "unknown code list for a variable",
        "GET",
        "/tables/DeltakereEndring/data",
        {**MONTH, "valuecodes[Region]": "*", "codelist[Region]": "agg_Tiltaksgrupper"},
        None,
        400,
        ["agg_Tiltaksgrupper", "Region"],
    ),
    (
        "bad expression",
        "GET",
        "/tables/DeltakereEndring/data",
        {"valuecodes[ContentsCode]": "*", "valuecodes[Tid]": "top(many)"},
        None,
        400,
        ["top(many)", "Tid"],
    ),
    (
        "range to an unknown code",
        "GET",
        "/tables/DeltakereEndring/data",
        {"valuecodes[ContentsCode]": "*", "valuecodes[Tid]": "range(2013M11,2099M01)"},
        None,
        400,
        ["2099M01"],
    ),
    (
        "time not selected",
        "GET",
        "/tables/DeltakereEndring/data",
        {"valuecodes[ContentsCode]": "*"},
        None,
        400,
        ["Tid"],
    ),
    (
        "unsupported format",
        "GET",
        "/tables/DeltakereEndring/data",
        {"outputFormat": "parquet"},
        None,
        400,
        ["parquet"],
    ),
    (
        "unknown format",
        "GET",
        "/tables/DeltakereEndring/data",
        {"outputFormat": "pdf"},
        None,
        400,
        ["pdf"],
    ),
    ("unknown language", "GET", "/tables", {"lang": "sv"}, None, 400, ["sv"]),
    ("page number not a number", "GET", "/tables", {"pageNumber": "x"}, None, 400, ["pageNumber"]),
    (
        "malformed body",
        "POST",
        "/tables/DeltakereEndring/data",
        {},
        b'{"selection": [',
        400,
        ["JSON"],
    ),
    (
        "body without selection",
        "POST",
        "/tables/DeltakereEndring/data",
        {},
        b'{"placement": {}}',
        400,
        ["selection"],
    ),
    (
        "value codes not a list",
        "POST",
        "/tables/DeltakereEndring/data",
        {},
        b'{"selection": [{"variableCode": "Tid", "valueCodes": "2013M11"}]}',
        400,
        ["valueCodes"],
    ),
    (
        "heading names a variable the table lacks",
        "GET",
        "/tables/DeltakereEndring/data",
        {**MONTH, "heading": "Alder"},
        None,
        400,
        ["Alder"],
    ),
    (
        "too many cells",
        "GET",
        "/tables/DeltakereTiltak/data",
        {
            "valuecodes[Region]": "*",
            "valuecodes[Hovedgruppe]": "*",
            "valuecodes[Tiltak]": "*",
            "valuecodes[ContentsCode]": "*",
            "valuecodes[Tid]": "*",
        },
        None,
        403,
        ["1000"],
    ),
]


@pytest.fixture(scope="module")
def small_server(warehouse) -> Server:
    """A server allowing 1,000 cells a call and 5 calls in 60 s (its rate limit on)."""
    started = start_server(
        warehouse,
        {
            "STATBANK_MAX_DATA_CELLS": "1000",
            "STATBANK_MAX_CALLS": "5",
            "STATBANK_TIME_WINDOW": "60",
        },
    )
    try:
        yield started
    finally:
        stop_server(started.process)


def call(url: str, method: str, path: str, query: dict, body: bytes | None) -> httpx.Response:
    headers = {"content-type": "application/json"} if body is not None else {}
    return httpx.request(
        method, url + path, params=query, content=body, headers=headers, timeout=30
    )


@pytest.mark.parametrize(
    ("method", "path", "query", "body", "status", "words"),
    [case[1:] for case in CASES if case[5] != 403],
    ids=[case[0] for case in CASES if case[5] != 403],
)
def test_bad_request(server: Server, method, path, query, body, status, words) -> None:
    response = call(server.url, method, path, query, body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    for word in words:
        assert word in problem["detail"]


def test_too_many_cells_and_the_rate_limit(small_server: Server) -> None:
    # start_server's readiness probe made the first call(s) of the window
    config = httpx.get(f"{small_server.url}/config", timeout=10).json()
    assert (config["maxDataCells"], config["maxCallsPerTimeWindow"], config["timeWindow"]) == (
        1000,
        5,
        60,
    )
    (case,) = [case for case in CASES if case[5] == 403]
    response = call(small_server.url, *case[1:5])
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert all(word in response.json()["detail"] for word in case[6])
    statuses = [httpx.get(f"{small_server.url}/tables", timeout=10).status_code for _ in range(4)]
    # at most 5 calls in the window: the 6th at the latest is refused
    assert 429 in statuses and set(statuses[: statuses.index(429)]) <= {200}
    limited = httpx.get(f"{small_server.url}/tables", timeout=10)
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert 1 <= int(limited.headers["retry-after"]) <= 60


def test_expressions_select_what_the_spec_says(server: Server, marts) -> None:
    def codes(expression: str, variable: str = "Tid", table: str = "DeltakereEndring") -> list[str]:
        query = {"valuecodes[ContentsCode]": "Deltakere", "valuecodes[Tid]": "*"}
        query[f"valuecodes[{variable}]"] = expression
        response = httpx.get(f"{server.url}/tables/{table}/data", params=query, timeout=30)
        assert response.status_code == 200, response.text
        index = response.json()["dimension"][variable]["category"]["index"]
        return sorted(index, key=index.get)

    months = codes("*")
    assert months == sorted(months) and len(months) == 4
    assert codes("top(1)") == months[-1:]
    assert codes("top(2,1)") == months[1:3]
    assert codes("bottom(1)") == months[:1]
    assert codes(f"from({months[1]})") == months[1:]
    assert codes(f"to({months[1]})") == months[:2]
    assert codes(f"range({months[1]},{months[2]})") == months[1:3]
    assert codes("20??M11") == months
    assert codes("2019*") == [m for m in months if m.startswith("2019")]
    counties = marts.execute(
        "select county_code from dim_county where county_code like '0_' order by sort_order"
    ).fetchall()
    assert codes("0?", "Region") == [code for (code,) in counties]
    assert codes("TOP(2)", "Hovedgruppe")[:1] == ["total"]
