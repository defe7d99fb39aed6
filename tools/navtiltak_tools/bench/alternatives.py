"""Alternatives to loading the report seeds through ``dbt seed``, each in a modified copy.

The project itself is never changed: each alternative rewrites a copy of a prepared
project (reports extracted) and builds it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from navtiltak_tools.bench.floor import csv_header, read_csv_call
from navtiltak_tools.bench.measure import Build, best_build, progress
from navtiltak_tools.bench.project import REPORT_SEEDS, clone_project

REPORT_DATA = Path("data/report")  # where the alternatives keep the report CSV files
REPORT_SCHEMA = "report"
STAGING_MACRO = Path("macros/staging/stage_report_seed.sql")
MEMORY_LIMIT = "1GB"
SOURCE_TABLE_KEYS = ("name", "description", "data_tests", "columns")


def report_seed_types(build_project: Path) -> dict[str, dict[str, str]]:
    """Each report seed's declared column types, from the baseline build's manifest."""
    manifest = json.loads((build_project / "target" / "manifest.json").read_text(encoding="utf-8"))
    return {
        node["name"]: node["config"].get("column_types", {})
        for node in manifest["nodes"].values()
        if node["resource_type"] == "seed"
        and Path(node["original_file_path"]).parent == REPORT_SEEDS
    }


def move_report_csvs(project: Path, types: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """Move the report CSV files out of seed-paths; return each one's ``read_csv`` call."""
    (project / REPORT_DATA).mkdir(parents=True)
    calls = {}
    for name, column_types in types.items():
        target = project / REPORT_DATA / f"{name}.csv"
        (project / REPORT_SEEDS / f"{name}.csv").rename(target)
        calls[name] = read_csv_call(
            str(REPORT_DATA / target.name), csv_header(target), column_types
        )
    return calls


def report_seed_entries(project: Path) -> list[dict[str, Any]]:
    """The seed entries of seeds/report/*.yml (YAML anchors resolved); the files removed."""
    entries: list[dict[str, Any]] = []
    for path in sorted((project / REPORT_SEEDS).glob("*.yml")):
        entries.extend(yaml.safe_load(path.read_text(encoding="utf-8")).get("seeds", []))
        path.unlink()
    return entries


def write_yaml(path: Path, content: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(dict(content), sort_keys=False), encoding="utf-8")


def replace_checked(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"error: {path} no longer contains {old!r}; update {__file__}")
    path.write_text(text.replace(old, new), encoding="utf-8")


def prepare_external_sources(project: Path, types: Mapping[str, Mapping[str, str]]) -> list[str]:
    """(b) Report tables as dbt-duckdb external sources: ``meta.external_location`` holds
    a ``read_csv`` call, so every query of a staging view reads the CSV file itself.

    Returns the unit tests to leave out: dbt takes a mocked input's column types from the
    input's relation in the database, and an external source has none there."""
    calls = move_report_csvs(project, types)
    tables = [
        {
            **{key: entry[key] for key in SOURCE_TABLE_KEYS if key in entry},
            # "template": the call's braces must not be read as format fields.
            "meta": {"external_location": calls[entry["name"]], "formatter": "template"},
        }
        for entry in report_seed_entries(project)
    ]
    source = {"name": REPORT_SCHEMA, "schema": REPORT_SCHEMA, "tables": tables}
    write_yaml(project / "models/staging/_report__sources.yml", {"version": 2, "sources": [source]})
    replace_checked(
        project / STAGING_MACRO, "ref(seed_name)", f"source('{REPORT_SCHEMA}', seed_name)"
    )
    excluded = unit_tests_reading(project, types)
    for path in sorted((project / "models").rglob("*.yml")):
        for name in types:
            if f"ref('{name}')" in path.read_text(encoding="utf-8"):
                replace_checked(path, f"ref('{name}')", f"source('{REPORT_SCHEMA}', '{name}')")
    return excluded


def unit_tests_reading(project: Path, inputs: Iterable[str]) -> list[str]:
    """Names of the project's unit tests that mock one of ``inputs`` (seed names)."""
    mocked = {f"ref('{name}')" for name in inputs}
    names = []
    for path in sorted((project / "models").rglob("*.yml")):
        for unit_test in yaml.safe_load(path.read_text(encoding="utf-8")).get("unit_tests") or []:
            if any(given.get("input") in mocked for given in unit_test.get("given", [])):
                names.append(unit_test["name"])
    return names


def prepare_csv_models(project: Path, types: Mapping[str, Mapping[str, str]]) -> list[str]:
    """(c) Report tables as table models of the seeds' names reading the CSV files with
    ``read_csv``: every ``ref()`` and test stays as it is."""
    calls = move_report_csvs(project, types)
    folder = project / "models" / REPORT_SCHEMA
    folder.mkdir(parents=True, exist_ok=True)
    for name, call in calls.items():
        (folder / f"{name}.sql").write_text(f"select * from {call}\n", encoding="utf-8")
    write_yaml(
        folder / "_report__models.yml", {"version": 2, "models": report_seed_entries(project)}
    )
    config_path = project / "dbt_project.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["models"]["nav_tiltak"][REPORT_SCHEMA] = {
        "+materialized": "table",
        "+schema": REPORT_SCHEMA,
        "+contract": {"enforced": False},
    }
    write_yaml(config_path, config)
    return []


def prepare_memory_limit(project: Path, types: Mapping[str, Mapping[str, str]]) -> list[str]:
    """DuckDB's ``memory_limit`` in every output of profiles.yml (default: 80% of RAM)."""
    del types  # the same signature as the other steps
    path = project / "profiles.yml"
    profiles = yaml.safe_load(path.read_text(encoding="utf-8"))
    for profile in profiles.values():
        for output in profile.get("outputs", {}).values():
            output.setdefault("settings", {})["memory_limit"] = MEMORY_LIMIT
    write_yaml(path, profiles)
    return []


Step = Callable[[Path, Mapping[str, Mapping[str, str]]], list[str]]


@dataclass(frozen=True)
class Alternative:
    key: str
    label: str
    # Each step rewrites a project copy and returns the nodes `dbt build` must leave out.
    steps: tuple[Step, ...] = ()


ALTERNATIVES = (
    Alternative("a", "dbt seed (as the project does)"),
    Alternative(
        "b",
        "external sources, read_csv (dbt-duckdb external_location)",
        (prepare_external_sources,),
    ),
    Alternative("c", "table models reading the CSV with read_csv", (prepare_csv_models,)),
    Alternative("d", f"(a) + DuckDB memory_limit {MEMORY_LIMIT}", (prepare_memory_limit,)),
    Alternative(
        "e",
        f"(c) + DuckDB memory_limit {MEMORY_LIMIT}",
        (prepare_csv_models, prepare_memory_limit),
    ),
)


def measure_alternatives(project: Path, repeat: int, baseline: Build) -> dict[str, Build]:
    """Build every alternative in its own copy of ``project`` (seeds already extracted)."""
    types = report_seed_types(project)
    builds = {"a": baseline}
    for alternative in ALTERNATIVES[1:]:
        variant = clone_project(project, project.parent / alternative.key)
        excluded = [name for step in alternative.steps for name in step(variant, types)]
        builds[alternative.key] = best_build(repeat, variant, excluded)
        build = builds[alternative.key]
        progress(f"({alternative.key}) {build.run.seconds:.1f} s, {build.peak_mib:.0f} MiB")
    return builds
