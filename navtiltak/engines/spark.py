"""Build and publish with a local Spark session: `make build ENGINE=spark`.

1. Remove a stale build directory, `<warehouse dir>/.build-spark/`.
2. `dbt build` with profile target `spark`: a local session whose catalog lives in memory
   for the one dbt process and whose tables are Parquet directories under
   `.build-spark/spark-warehouse/<schema>.db/<table>/` (NAV_TILTAK_SPARK_WAREHOUSE).
3. Only when every model and test passed: move the marts' directories to
   `.build-spark/published/marts/` and repoint the symlink `<warehouse dir>/spark` to
   them (an atomic rename), so that `warehouse/spark/marts/<mart>/` holds each mart as
   Parquet files. The previous set is kept for readers still inside it; older ones are
   removed.

The rest of the build (seeds, staging, intermediate, stored test failures) stays in
`.build-spark/spark-warehouse/` until the next build, as a server build's schemas do. A
failed build changes nothing published and stays there too, for inspection.
Parquet tables carry no constraints: the marts' test contract_constraints_hold is what
asserts their contracts' not_null, key and check constraints on Spark.

For a Spark cluster (profile target `spark_cluster`, over Thrift or HTTP) run dbt
itself: the tables then live where the cluster's catalog keeps them (docs/engines.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from navtiltak.dbt_target import dbt_build_command
from navtiltak.engines.base import BuildRequest, warehouse_lock, warehouse_lock_file
from navtiltak.swap import swap_directory

PROFILE_TARGET = "spark"
WAREHOUSE_VARIABLE = "NAV_TILTAK_SPARK_WAREHOUSE"
PUBLISHED_SCHEMA = "marts"
VERSION_PREFIX = ".spark-"


def build_and_publish(warehouse_dir: Path, dbt: str) -> int:
    started = time.monotonic()
    build_dir = warehouse_dir / ".build-spark"
    spark_warehouse = build_dir / "spark-warehouse"
    link = warehouse_dir / "spark"
    shutil.rmtree(build_dir, ignore_errors=True)
    spark_warehouse.mkdir(parents=True)
    env = {
        **os.environ,
        "NAV_TILTAK_TARGET": PROFILE_TARGET,
        WAREHOUSE_VARIABLE: str(spark_warehouse.resolve()),
    }
    returncode = subprocess.run(dbt_build_command(dbt), env=env, check=False).returncode
    dbt_seconds = time.monotonic() - started
    unchanged = f"{link} was left unchanged" if link.exists() else "nothing was published"
    if returncode != 0:
        print(
            f"\nbuild failed. {unchanged}; the failed build is in {build_dir} for inspection.",
            file=sys.stderr,
        )
        return returncode
    marts = spark_warehouse / f"{PUBLISHED_SCHEMA}.db"
    tables = (
        sorted(path.name for path in marts.iterdir() if path.is_dir()) if marts.exists() else []
    )
    if not tables:
        print(f"{marts} holds no tables; {unchanged}", file=sys.stderr)
        return 1
    published = build_dir / "published"
    published.mkdir()
    marts.rename(published / PUBLISHED_SCHEMA)
    build_stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
    swap_directory(published, link, VERSION_PREFIX, build_stamp)
    total = time.monotonic() - started
    print(
        f"published {len(tables)} marts as Parquet tables in {link / PUBLISHED_SCHEMA}/ "
        f"({total:.1f} s: dbt build {dbt_seconds:.1f} s, swap {total - dbt_seconds:.1f} s)"
    )
    return 0


def run(request: BuildRequest) -> int:
    """`make build ENGINE=spark`, under the warehouse directory's lock (the one DuckDB's
    builds take: both build in that directory)."""
    warehouse_dir = request.warehouse_dir()
    link = warehouse_dir / "spark"
    unchanged = f"{link} was left unchanged" if link.exists() else "nothing was published"
    with warehouse_lock(warehouse_lock_file(warehouse_dir), unchanged) as locked:
        if not locked:
            return 1
        return build_and_publish(warehouse_dir, request.dbt)
