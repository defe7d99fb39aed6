"""dbt v2 (the Rust engine, package ``dbt``) measured beside dbt-core: a measurement,
not a product path.

The package is large and under dbt Labs' own licence, so it is never in ``.venv`` nor in
``make test``: the benchmark installs it into a folder of its own, ``.dbt-v2/`` (a venv,
ignored by git), the first time. It parses the project without a database. To build, it
needs an ADBC driver for DuckDB and would download one; instead it is given a driver
manifest (``.dbt-v2/adbc/duckdb.toml``) whose entry point is ``duckdb_adbc_init`` in the
duckdb Python package's own extension module, with Python's shared library preloaded
(that module needs Python's symbols when loaded outside Python). Its marts are then
compared with dbt-core's build of the same copy: rows (EXCEPT ALL both ways), CHECK
constraints, and whether DuckDB 1.5's CLI (the oldest client the README promises) opens
the file.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from navtiltak.dbt_target import dbt_build_command
from navtiltak_tools import PROJECT_ROOT
from navtiltak_tools.bench.measure import (
    DB_FILE,
    Run,
    child_env,
    database_path,
    progress,
    run_measured,
    tail,
)

PACKAGE = "dbt==2.0.0rc196"
HOME = PROJECT_ROOT / ".dbt-v2"
STAMP = HOME / ".installed"
DRIVERS = HOME / "adbc"
WARNING = re.compile(r"^\[warning\] \[(\w+)", re.MULTILINE)
MARTS = "marts"
# dbt v2's artifacts and logs, apart from dbt-core's (its partial parse, its manifest).
TARGET_PATH = Path("target") / "dbt-v2"


@dataclass(frozen=True)
class DbtV2:
    version: str
    install_seconds: float | None  # None: installed by an earlier run
    parse: Run
    warnings: tuple[str, ...]  # the warning codes of the parse, e.g. SemanticModelDeprecated
    build: Run
    marts_equal: dict[str, bool]  # mart -> same rows as dbt-core's build
    checks_core: int  # CHECK constraints on the marts in dbt-core's build
    checks_v2: int
    old_client_opens: bool  # DuckDB 1.5's CLI opens the file it wrote

    @property
    def ok(self) -> bool:
        return self.parse.returncode == 0 and self.build.returncode == 0


def executable() -> Path:
    return HOME / "bin" / "dbt"


def install() -> float | None:
    """Install the package into .dbt-v2/ unless it is there; the seconds it took."""
    if STAMP.exists() and executable().exists():
        return None
    progress(f"installing {PACKAGE} into {HOME} (first use; about 300 MB)")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(HOME)], check=True)
    pip = [str(HOME / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, PACKAGE], check=True)
    STAMP.touch()
    return time.perf_counter() - started


def driver_manifest() -> Path:
    """The ADBC driver manifest naming the duckdb package's own extension module."""
    spec = importlib.util.find_spec("_duckdb")
    if spec is None or spec.origin is None:
        raise SystemExit("error: the duckdb package's _duckdb module is not installed")
    DRIVERS.mkdir(parents=True, exist_ok=True)
    manifest = DRIVERS / "duckdb.toml"
    manifest.write_text(
        "\n".join(
            [
                'name = "DuckDB"',
                f'version = "{duckdb.__version__}"',
                "",
                "[Driver]",
                'entrypoint = "duckdb_adbc_init"',
                "",
                "[Driver.shared]",
                f'linux_amd64 = "{spec.origin}"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    return DRIVERS


def v2_env(project: Path) -> dict[str, str]:
    library = Path(sysconfig.get_config_var("LIBDIR")) / sysconfig.get_config_var("LDLIBRARY")
    env = child_env(project)
    env.update(
        NAV_TILTAK_DB_PATH=str(v2_database(project)),
        ADBC_DRIVER_PATH=str(driver_manifest()),
        LD_PRELOAD=str(library),
    )
    return env


def v2_database(project: Path) -> Path:
    return project / TARGET_PATH / "warehouse" / DB_FILE


def check_constraints(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        (count,) = connection.execute(
            "select count(*) from duckdb_constraints()"
            " where schema_name = ? and constraint_type = 'CHECK'",
            [MARTS],
        ).fetchone()
    return int(count)


def compare_marts(core: Path, v2: Path) -> dict[str, bool]:
    """Per mart of dbt-core's build: the same rows in dbt v2's (EXCEPT ALL both ways)."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{core}' as core (read_only)")
        connection.execute(f"attach '{v2}' as v2 (read_only)")
        marts = [
            name
            for (name,) in connection.execute(
                "select table_name from duckdb_tables()"
                " where database_name = 'core' and schema_name = ? order by 1",
                [MARTS],
            ).fetchall()
        ]
        equal = {}
        for mart in marts:
            try:
                (differ,) = connection.execute(
                    f"select count(*) from ((from core.{MARTS}.{mart} except all"
                    f" from v2.{MARTS}.{mart}) union all (from v2.{MARTS}.{mart}"
                    f" except all from core.{MARTS}.{mart}))"
                ).fetchone()
                equal[mart] = differ == 0
            except duckdb.Error:
                equal[mart] = False
    return equal


@dataclass(frozen=True)
class Comparison:
    marts_equal: dict[str, bool]
    checks_core: int
    checks_v2: int


def compare_apart(project: Path, core: Path, v2: Path) -> Comparison:
    """compare_marts and check_constraints in a process of their own: DuckDB's memory
    would stay in this one, and every later child's peak (``ru_maxrss``, inherited
    across fork and exec) would start from it."""
    command = [sys.executable, "-m", "navtiltak_tools.bench.dbt_v2", str(core), str(v2)]
    result = subprocess.run(
        command, cwd=project, env=child_env(project), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        progress(f"comparing dbt v2's marts failed:\n{tail(result.stderr)}")
        return Comparison({}, 0, 0)
    return Comparison(**json.loads(result.stdout))


def old_client_opens(database: Path) -> bool:
    cli = Path(sys.executable).with_name("duckdb")
    if not cli.exists():
        return False
    result = subprocess.run(
        [str(cli), "-readonly", str(database), "-c", "select 1"],
        capture_output=True,
        check=False,
        timeout=60,
    )
    return result.returncode == 0


def measure_dbt_v2(project: Path) -> DbtV2 | None:
    """Parse and build ``project`` (after dbt-core's `dbt build` into its benchmark
    database) with dbt v2, and compare the two warehouses."""
    try:
        installed = install()
    except subprocess.CalledProcessError as exc:
        progress(f"dbt v2 could not be installed ({exc}); skipped")
        return None
    dbt = str(executable())
    version = subprocess.run([dbt, "--version"], capture_output=True, text=True, check=False)
    env = v2_env(project)
    paths = ("--target-path", str(TARGET_PATH), "--log-path", str(TARGET_PATH / "logs"))
    parse = run_measured([dbt, "parse", *paths], project, env)
    database = v2_database(project)
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    build = run_measured(dbt_build_command(dbt, *paths), project, env)
    if build.returncode != 0:
        progress(f"dbt v2 build failed in {project}:\n{tail(build.output)}")
    core = database_path(project)
    built = build.returncode == 0 and database.exists() and core.exists()
    compared = compare_apart(project, core, database) if built else Comparison({}, 0, 0)
    return DbtV2(
        version=version.stdout.strip().splitlines()[0] if version.stdout.strip() else "?",
        install_seconds=installed,
        parse=parse,
        warnings=tuple(WARNING.findall(parse.output)),
        build=build,
        marts_equal=compared.marts_equal,
        checks_core=compared.checks_core,
        checks_v2=compared.checks_v2,
        old_client_opens=old_client_opens(database) if built else False,
    )


if __name__ == "__main__":
    core_file, v2_file = Path(sys.argv[1]), Path(sys.argv[2])
    print(
        json.dumps(
            {
                "marts_equal": compare_marts(core_file, v2_file),
                "checks_core": check_constraints(core_file),
                "checks_v2": check_constraints(v2_file),
            }
        )
    )
