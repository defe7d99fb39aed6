"""A new build published while clients read: every answer comes wholly from the old build
or wholly from the new one, and the server never keeps the published file open.

The server serves a file of its own; the "new build" is that file with every count of
fct_participants_by_measure raised by 1,000, renamed over it by navtiltak.publish's own
publish step (the atomic rename `make build` ends with). 8 clients x 25 requests.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import duckdb
import httpx
from statbank_server import start_server, stop_server

from navtiltak.engines.duckdb_file import WarehousePaths, publish

CLIENTS = 8
REQUESTS_PER_CLIENT = 25
SHIFT = 1000
QUERY = {
    "valuecodes[Region]": "*",
    "valuecodes[ContentsCode]": "Deltakere",
    "valuecodes[Tid]": "*",
    "codelist[Region]": "agg_Region2020",
}


def expected_values(database: Path) -> list[int | None]:
    """Region (2020 division, total first) x month, from the file by SQL of its own, in the
    API's order: the regions as dim_county sorts them."""
    with duckdb.connect(str(database), read_only=True) as connection:
        regions = [
            code
            for (code,) in connection.execute(
                "select region_code from marts.dim_county group by region_code"
                " order by min(case when county_code = region_code then sort_order end)"
            ).fetchall()
        ]
        months = [
            m
            for (m,) in connection.execute(
                "select month from marts.dim_month order by 1"
            ).fetchall()
        ]
        sums = dict(
            ((region, month), value)
            for region, month, value in connection.execute(
                "select coalesce(c.region_code, 'total'), f.month,"
                " case when count(*) filter (where f.participants is null) > 0 then null"
                " else sum(f.participants) end"
                " from marts.fct_participants_by_measure as f"
                " join marts.dim_county as c using (county_code)"
                " group by f.month, rollup (c.region_code)"
            ).fetchall()
        )
    return [sums.get((region, month)) for region in ["total", *regions] for month in months]


def open_files(pid: int) -> list[str]:
    fds = Path(f"/proc/{pid}/fd")
    names = []
    for fd in fds.iterdir():
        try:
            names.append(str(fd.readlink()))
        except OSError:
            continue
    return names


def test_answers_come_from_one_build_while_a_new_one_is_published(
    warehouse: Path, tmp_path: Path
) -> None:
    layout = WarehousePaths(tmp_path / "warehouse" / "nav_tiltak.duckdb")
    layout.published.parent.mkdir()
    shutil.copy2(warehouse, layout.published)
    layout.build_dir.mkdir()
    shutil.copy2(warehouse, layout.build_file)
    with duckdb.connect(str(layout.build_file)) as connection:
        connection.execute(
            f"update marts.fct_participants_by_measure set participants = participants + {SHIFT}"
        )
    layout.build_parquet_dir.mkdir()
    layout.build_dashboard_dir.mkdir()
    old, new = expected_values(layout.published), expected_values(layout.build_file)
    assert old != new

    server = start_server(layout.published)
    answers: list[list[int | None] | str] = []
    lock = threading.Lock()
    started = threading.Barrier(CLIENTS + 1)

    def client() -> None:
        with httpx.Client(timeout=30) as http:
            started.wait()
            for _ in range(REQUESTS_PER_CLIENT):
                response = http.get(f"{server.url}/tables/DeltakereTiltak/data", params=QUERY)
                body = response.json()["value"] if response.status_code == 200 else response.text
                with lock:
                    answers.append(body)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        started.wait()
        deadline = time.monotonic() + 60
        while len(answers) < CLIENTS * REQUESTS_PER_CLIENT // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        published_at = len(answers)
        publish(layout, "load-test")
        for thread in threads:
            thread.join(timeout=120)
        after = httpx.get(f"{server.url}/tables/DeltakereTiltak/data", params=QUERY, timeout=30)
        held = [name for name in open_files(server.process.pid) if "nav_tiltak.duckdb" in name]
    finally:
        stop_server(server.process)

    assert len(answers) == CLIENTS * REQUESTS_PER_CLIENT
    errors = [answer for answer in answers if isinstance(answer, str)]
    assert not errors, errors[:3]
    mixed = [answer for answer in answers if answer not in (old, new)]
    assert not mixed, "an answer was neither the old build's nor the new build's"
    assert answers[:published_at] == [old] * published_at
    assert new in answers  # the publish happened while the clients were reading
    assert after.json()["value"] == new
    # the server keeps neither the published file nor the replaced one open
    assert held == []
