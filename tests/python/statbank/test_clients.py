"""The statistics bank read by clients no one here wrote: pxwebpy (PxWebApi 2.0),
jsonstat-validator and pyjstat (JSON-stat 2.0), pyaxis (PX). Every number is compared
with the marts, queried here by SQL of the test's own."""

from __future__ import annotations

import io
import itertools
import math

import duckdb
import httpx
import pytest
from jsonstat_validator import validate_jsonstat
from openpyxl import load_workbook
from pxweb import PxApi
from pyaxis import pyaxis
from pyjstat import pyjstat
from statbank_server import SUPPRESSED_MONTH, Server

FINE = {
    "DeltakereTiltak": ("fct_participants_by_measure", "measure_code", "Tiltak"),
    "DeltakereAlder": ("fct_participants_by_age", "age_band_code", "Alder"),
}


def month_code(month: str) -> str:
    return month.replace("-", "M")


def sql_sum(column: str) -> str:
    """A sum that is null when any part is null (suppressed)."""
    return (
        f"case when count(*) filter (where {column} is null) > 0 then null else sum({column}) end"
    )


@pytest.fixture(scope="module")
def api(server: Server) -> PxApi:
    return PxApi(server.url, language="no", disable_cache=True)


@pytest.fixture(scope="module")
def months(marts: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        str(m)[:7]
        for (m,) in marts.execute("select month from dim_month order by month").fetchall()
    ]


def test_pxwebpy_lists_the_tables_and_reads_metadata_and_code_lists(
    api: PxApi, marts: duckdb.DuckDBPyConnection, months: list[str]
) -> None:
    tables = {table["id"]: table for table in api.all_tables()}
    assert set(tables) == {"DeltakereTiltak", "DeltakereAlder", "DeltakereEndring"}
    for table in tables.values():
        assert (table["firstPeriod"], table["lastPeriod"]) == (
            month_code(months[0]),
            month_code(months[-1]),
        )
    variables = api.get_table_variables("DeltakereTiltak")
    counties = dict(marts.execute("select county_code, county_name from dim_county").fetchall())
    regions = dict(marts.execute("select region_code, region_name from dim_county").fetchall())
    measures = dict(marts.execute("select measure_code, measure_name from dim_measure").fetchall())
    assert set(variables["Region"]["category"]["label"]) == {"total", *counties}
    assert set(variables["Tiltak"]["category"]["label"]) == {"total", *measures}
    assert variables["Region"]["elimination"] and not variables["Tid"]["elimination"]
    assert list(variables["Tid"]["category"]["label"]) == [month_code(m) for m in months]
    ids = {item["id"] for item in variables["Region"]["codelists"]}
    assert {
        "agg_Region2020",
        "vs_Fylker1972",
        "vs_Fylker2018",
        "vs_Fylker2020",
        "vs_Fylker2024",
    } <= ids
    region_list = api.get_code_list("agg_Region2020")
    maps = {value["code"]: set(value["valueMap"]) for value in region_list["values"]}
    expected = {}
    for county, region in marts.execute(
        "select county_code, region_code from dim_county"
    ).fetchall():
        expected.setdefault(region, set()).add(county)
    assert {code: maps[code] for code in regions} == expected
    # the approximate mappings carry the municipalities that moved as notes
    approximate = marts.execute(
        "select region_code, region_mapping_exceptions from dim_county"
        " where region_mapping = 'approximate'"
    ).fetchall()
    notes = {
        value["code"]: " ".join(n["text"] for n in value["notes"])
        for value in region_list["values"]
    }
    for region, exceptions in approximate:
        assert exceptions in notes[region]
    # the 2024 division: the counties in force from 2024
    division = api.get_code_list("vs_Fylker2024")
    in_force = {
        code
        for (code,) in marts.execute(
            "select county_code from dim_county where not is_county"
            " or (valid_from <= date '2024-01-01' and valid_to is null)"
        ).fetchall()
    }
    assert {value["code"] for value in division["values"]} == {"total", *in_force}
    english = PxApi(api._client.url, language="en", disable_cache=True)
    groups = dict(
        marts.execute(
            "select participant_group_code, participant_group_name_en from dim_participant_group"
        ).fetchall()
    )
    labels = english.get_table_variables("DeltakereEndring")["Hovedgruppe"]["category"]["label"]
    assert {code: labels[code] for code in groups} == groups


@pytest.mark.parametrize("table_id", sorted(FINE))
def test_pxwebpy_fetches_every_cell_of_a_month(
    api: PxApi, marts: duckdb.DuckDBPyConnection, months: list[str], table_id: str
) -> None:
    """Every county x group x measure (age band) of each month, and every total, as the
    marts give them; suppressed cells and sums over them null."""
    fact, column, variable = FINE[table_id]
    for month in (months[-1], SUPPRESSED_MONTH):
        rows = api.get_table_data(
            table_id,
            value_codes={
                "Region": "*",
                "Hovedgruppe": "*",
                variable: "*",
                "ContentsCode": "*",
                "Tid": month_code(month),
            },
            show="code",
        )
        got = {(r["region"], r["hovedgruppe"], r[variable.lower()]): r["value"] for r in rows}
        expected = {
            (c, g, x): v
            for c, g, x, v in marts.execute(
                f"select coalesce(county_code, 'total'), coalesce(participant_group_code, 'total'),"
                f" coalesce({column}, 'total'), {sql_sum('participants')}"
                f" from {fact} where month = ?::date"
                f" group by cube (county_code, participant_group_code, {column})",
                [f"{month}-01"],
            ).fetchall()
        }
        assert {key: got[key] for key in expected} == expected
        # everything else (a county not in force, a measure not printed) is null
        assert all(value is None for key, value in got.items() if key not in expected)
        if month == SUPPRESSED_MONTH and table_id == "DeltakereAlder":
            assert None in expected.values()


def test_pxwebpy_change_table_recomputes_the_percent(
    api: PxApi, marts: duckdb.DuckDBPyConnection, months: list[str]
) -> None:
    rows = api.get_table_data(
        "DeltakereEndring",
        value_codes={"Region": "*", "Hovedgruppe": "*", "ContentsCode": "*", "Tid": "*"},
        show="code",
    )
    got = {
        (r["region"], r["hovedgruppe"], r["statistikkvariabel"], r["måned"]): r["value"]
        for r in rows
    }
    for month, county, group, participants, last_year, change, pct in marts.execute(
        "select strftime(month, '%Y-%m'), coalesce(county_code, 'total'),"
        " coalesce(participant_group_code, 'total'), sum(participants),"
        " sum(participants_last_year), sum(change_from_last_year),"
        " case when grouping(county_code, participant_group_code) = 0"
        " then any_value(change_pct) end"
        " from fct_participants_change group by month, cube (county_code, participant_group_code)"
    ).fetchall():
        key = (county, group)
        tid = month_code(month)
        assert got[(*key, "Deltakere", tid)] == participants
        assert got[(*key, "DeltakereIfjor", tid)] == last_year
        assert got[(*key, "Endring", tid)] == change
        expected_pct = (
            None
            if not last_year
            else int(math.copysign(math.floor(abs(100 * change / last_year) + 0.5), change))
        )
        assert got[(*key, "EndringProsent", tid)] == expected_pct
        if pct is not None:  # a printed cell: the mart's own percent
            assert got[(*key, "EndringProsent", tid)] == pct


def test_pxwebpy_region_series_across_the_2020_reform(
    api: PxApi, marts: duckdb.DuckDBPyConnection
) -> None:
    rows = api.get_table_data(
        "DeltakereTiltak",
        value_codes={"Region": "*", "ContentsCode": "Deltakere", "Tid": "*"},
        code_list={"Region": "agg_Region2020"},
        show="code",
    )
    got = {(r["region"], r["måned"]): r["value"] for r in rows}
    expected = {
        (region, month_code(month)): value
        for region, month, value in marts.execute(
            "select coalesce(c.region_code, 'total'), strftime(f.month, '%Y-%m'),"
            f" {sql_sum('f.participants')}"
            " from fct_participants_by_measure as f join dim_county as c using (county_code)"
            " group by f.month, rollup (c.region_code)"
        ).fetchall()
    }
    assert got == expected
    # a division's value set: its total is still the whole country in every month
    totals = api.get_table_data(
        "DeltakereTiltak",
        value_codes={"Region": "total", "ContentsCode": "Deltakere", "Tid": "*"},
        code_list={"Region": "vs_Fylker2024"},
        show="code",
    )
    assert {r["måned"]: r["value"] for r in totals} == {
        month: value for (region, month), value in expected.items() if region == "total"
    }
    # one series: Viken (30) has a number before and after the reform
    assert got[("30", "2019M11")] and got[("30", "2020M11")] and got[("30", "2024M11")]


def fetch_jsonstat(server: Server, table: str, params: dict[str, str]) -> dict:
    response = httpx.get(f"{server.url}/tables/{table}/data", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


# pyjstat's own dataframe writer calls a function it has deprecated.
@pytest.mark.filterwarnings("ignore::DeprecationWarning:pyjstat")
def test_every_dataset_is_valid_json_stat_and_reads_back_in_pyjstat(
    server: Server, marts: duckdb.DuckDBPyConnection
) -> None:
    datasets = [
        fetch_jsonstat(server, table, {})  # the default selection
        for table in ("DeltakereTiltak", "DeltakereAlder", "DeltakereEndring")
    ]
    suppressed = fetch_jsonstat(
        server,
        "DeltakereAlder",
        {
            "valuecodes[Region]": "*",
            "valuecodes[Hovedgruppe]": "*",
            "valuecodes[Alder]": "*",
            "valuecodes[ContentsCode]": "*",
            "valuecodes[Tid]": month_code(SUPPRESSED_MONTH),
            "heading": "Alder",
            "stub": "Hovedgruppe,Region",
        },
    )
    datasets.append(suppressed)
    for dataset in datasets:
        assert validate_jsonstat(dataset)
        assert len(dataset["value"]) == math.prod(dataset["size"])
        assert dataset["size"] == [
            len(dataset["dimension"][d]["category"]["index"]) for d in dataset["id"]
        ]
        for index, symbol in dataset.get("status", {}).items():
            assert dataset["value"][int(index)] is None and symbol in (":", ".")
    for table in ("DeltakereTiltak", "DeltakereAlder", "DeltakereEndring"):
        metadata = httpx.get(f"{server.url}/tables/{table}/metadata", timeout=30).json()
        assert validate_jsonstat(metadata)
        assert metadata["value"] == []
        assert all(metadata["dimension"][d]["category"]["label"] for d in metadata["id"])
    # the placement orders the dimensions: stub, then heading
    assert suppressed["id"] == ["Hovedgruppe", "Region", "ContentsCode", "Tid", "Alder"]
    frame = pyjstat.Dataset.read(
        io.StringIO(
            httpx.get(
                f"{server.url}/tables/DeltakereAlder/data",
                params={
                    "valuecodes[Region]": "UKJ",
                    "valuecodes[Hovedgruppe]": "*",
                    "valuecodes[Alder]": "*",
                    "valuecodes[ContentsCode]": "*",
                    "valuecodes[Tid]": month_code(SUPPRESSED_MONTH),
                },
                timeout=30,
            ).text
        )
    ).write("dataframe", naming="id")
    got = {
        (r.Hovedgruppe, r.Alder): (None if r.value != r.value else int(r.value))
        for r in frame.itertuples()
    }
    expected = {
        (g, a): v
        for g, a, v in marts.execute(
            f"select coalesce(participant_group_code, 'total'), coalesce(age_band_code, 'total'),"
            f" {sql_sum('participants')} from fct_participants_by_age"
            " where county_code = 'UKJ' and month = ?::date"
            " group by cube (participant_group_code, age_band_code)",
            [f"{SUPPRESSED_MONTH}-01"],
        ).fetchall()
    }
    assert got == expected
    nulls = [key for key, value in expected.items() if value is None]
    # the suppressed cell, its group total, its age total, the grand total
    assert len(nulls) == 4
    statuses = suppressed.get("status", {})
    assert any(symbol == ":" for symbol in statuses.values())


def test_px_reads_in_pyaxis_and_csv_xlsx_agree(
    server: Server, marts: duckdb.DuckDBPyConnection, tmp_path
) -> None:
    params = {
        "valuecodes[Region]": "*",
        "codelist[Region]": "agg_Region2020",
        "valuecodes[Alder]": "*",
        "valuecodes[ContentsCode]": "*",
        "valuecodes[Tid]": "*",
    }
    px = httpx.get(
        f"{server.url}/tables/DeltakereAlder/data",
        params={**params, "outputFormat": "px"},
        timeout=30,
    )
    assert px.status_code == 200
    path = tmp_path / "DeltakereAlder.px"
    path.write_bytes(px.content)
    parsed = pyaxis.parse(str(path), encoding="utf-8")
    frame = parsed["DATA"]
    regions = dict(
        marts.execute("select distinct region_name, region_code from dim_county").fetchall()
    )
    bands = dict(marts.execute("select age_band_name, age_band_code from dim_age_band").fetchall())
    total_label = "I alt"
    got = {}
    for row in frame.itertuples(index=False):
        region, age, _contents, month, value = row
        key = (
            regions.get(region, "total" if region == total_label else region),
            bands.get(age, "total"),
            month,
        )
        # pyaxis reads '.' and '..' (statistical disclosure) as missing
        got[key] = None if value != value or value in ("", ".", "..") else int(float(value))
    expected = {
        (r, a, month_code(m)): v
        for r, a, m, v in marts.execute(
            "select coalesce(c.region_code, 'total'), coalesce(f.age_band_code, 'total'),"
            f" strftime(f.month, '%Y-%m'), {sql_sum('f.participants')}"
            " from fct_participants_by_age as f join dim_county as c using (county_code)"
            " group by f.month, cube (c.region_code, f.age_band_code)"
        ).fetchall()
    }
    assert got == expected
    assert parsed["METADATA"]["MATRIX"] == ["DeltakereAlder"]
    # csv with codes, and xlsx: the same numbers in the same layout
    csv_text = httpx.get(
        f"{server.url}/tables/DeltakereAlder/data",
        params={
            **params,
            "outputFormat": "csv",
            "outputFormatParams": "UseCodes,SeparatorSemicolon",
        },
        timeout=30,
    ).text
    lines = [line.split(";") for line in csv_text.strip().split("\r\n")]
    header = lines[0]
    from_csv = {}
    for line in lines[1:]:
        for column, cell in zip(header[2:], line[2:], strict=True):
            _contents, month = column.split(" ")
            from_csv[(line[0], line[1], month)] = None if cell in (":", ".") else int(cell)
    assert from_csv == expected
    book = load_workbook(
        io.BytesIO(
            httpx.get(
                f"{server.url}/tables/DeltakereAlder/data",
                params={**params, "outputFormat": "xlsx", "outputFormatParams": "UseCodes"},
                timeout=30,
            ).content
        )
    )
    sheet = book.active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [str(c) for c in rows[0]] == header
    assert [[None if c in (":", ".") else c for c in row[2:]] for row in rows[1:]] == [
        [None if c in (":", ".") else int(c) for c in line[2:]] for line in lines[1:]
    ]
    assert list(itertools.chain(*[row[:2] for row in rows[1:]])) == list(
        itertools.chain(*[line[:2] for line in lines[1:]])
    )
