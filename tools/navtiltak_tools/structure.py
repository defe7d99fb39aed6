"""The structure rules dbt-bouncer cannot express, checked over dbt's ``target/manifest.json``.

    python -m navtiltak_tools.structure [target/manifest.json]

Exit 0 when every rule holds, 1 when any is broken (each violation printed with the
file to change and what to change in it), 2 when the manifest cannot be read.

``dbt-bouncer.yml`` holds the rest: names per folder, lineage per layer, a uniqueness test
on every intermediate model and mart, descriptions and enforced contracts on marts, hard-coded table
names in models, and the length of model, seed and snapshot names. What is left here:

- seed-staging:   every seed has exactly one staging model, named by
                  ``staging_model_for_seed``, and a staging model reads exactly one seed:
                  its own (dbt-bouncer counts no seeds per model and cannot tie a model's
                  name to a seed's).
- seed-unique:    every seed has a ``unique`` or ``unique_combination`` test (dbt-bouncer
                  checks uniqueness tests on models only).
- staging-key:    every staging model has its key tested: a view of one seed by the
                  seed's uniqueness test (seed-unique), since a view of renames and casts
                  has its seed's rows and a second test on it would only repeat the
                  seed's; a view of a source by a test of its own (dbt-bouncer cannot tie
                  a model to its seed).
- hard-coded-ref: no data test names a table as ``from <schema>.<table>`` or
                  ``join <schema>.<table>`` for the project's schemas (dbt-bouncer reads
                  models only).
- relation-name:  unit tests, and data tests that store their failures, have names of at
                  most 63 characters: PostgreSQL's limit, and both become relations there
                  (dbt-bouncer has no name check for either).
- constraints-tested: a model whose enforced contract declares constraints has the test
                  ``contract_constraints_hold`` (macros/tests): Spark's Parquet tables do
                  not enforce constraints, and the test is what asserts them there.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Node = Mapping[str, Any]
Manifest = Mapping[str, Any]

DEFAULT_MANIFEST = Path("target/manifest.json")
CONSTRAINTS_TEST = "contract_constraints_hold"

# The uniqueness tests dbt-bouncer.yml accepts on models (check_model_has_unique_test).
UNIQUENESS_TESTS = frozenset({"unique", "unique_combination"})

# PostgreSQL truncates identifiers longer than this; dbt-postgres refuses such relations.
MAX_RELATION_NAME = 63

# Schemas of this warehouse (generate_schema_name names them by layer) and DuckDB's default.
KNOWN_SCHEMAS: tuple[str, ...] = ("report", "reference", "staging", "intermediate", "marts", "main")

# `from|join [database.]schema.table`, optionally double-quoted parts.
HARD_CODED_REF = re.compile(
    r"\b(?P<keyword>from|join)\s+"
    r'(?:"?\w+"?\s*\.\s*)?'
    r'"?(?P<schema>' + "|".join(KNOWN_SCHEMAS) + r')"?\s*\.\s*'
    r'"?(?P<table>\w+)"?',
    re.IGNORECASE,
)
# Jinja comments, SQL block comments and SQL line comments: never code.
COMMENT = re.compile(r"\{#.*?#\}|/\*.*?\*/|--[^\n]*", re.DOTALL)
# Names a query declares itself (CTE names, aliases): `report.x` may then be a column.
DECLARED_NAME = re.compile(r'\b(\w+)\s+as\s*\(|\bas\s+"?(\w+)"?', re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: the file to change, and what to change in it."""

    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: [{self.rule}] {self.message}"


def staging_model_for_seed(seed_folder: str, seed_name: str) -> str:
    """Name of the one staging model that reads a seed.

    ``seeds/<folder>/<seed>.csv`` is read by ``stg_<folder>__<table>``, where ``<table>``
    is the seed's name without a leading ``<folder>_``:

        seeds/report/report_fylke.csv  ->  stg_report__fylke
        seeds/reference/measures.csv   ->  stg_reference__measures
    """
    table = seed_name.removeprefix(f"{seed_folder}_")
    return f"stg_{seed_folder}__{table}"


# --------------------------------------------------------------------------- manifest access


def project_name(manifest: Manifest) -> str | None:
    return manifest.get("metadata", {}).get("project_name")


def project_nodes(manifest: Manifest, resource_type: str) -> list[Node]:
    """The project's own nodes of one type (not those of installed packages)."""
    project = project_name(manifest)
    return sorted(
        (
            node
            for node in manifest.get("nodes", {}).values()
            if node.get("resource_type") == resource_type
            and (project is None or node.get("package_name") == project)
        ),
        key=lambda node: str(node.get("unique_id", node.get("name", ""))),
    )


def project_unit_tests(manifest: Manifest) -> list[Node]:
    project = project_name(manifest)
    return sorted(
        (
            node
            for node in (manifest.get("unit_tests") or {}).values()
            if project is None or node.get("package_name") == project
        ),
        key=lambda node: str(node.get("unique_id", node.get("name", ""))),
    )


def folder(node: Node) -> str:
    """First folder of the node under its resource path (models/, seeds/); '' at the root."""
    parts = Path(str(node.get("path", ""))).parts
    return parts[0] if len(parts) > 1 else ""


def source_file(node: Node) -> str:
    return str(node.get("original_file_path") or node.get("path") or node.get("name"))


def yml_file(node: Node, fallback: str) -> str:
    """The yml file that documents a node (dbt's patch_path), else a suggested one."""
    patch_path = node.get("patch_path")
    if patch_path:
        return str(patch_path).split("://", 1)[-1]
    return fallback


def depends_on(node: Node) -> list[str]:
    return list(node.get("depends_on", {}).get("nodes", []))


def is_raw_input(unique_id: str) -> bool:
    return unique_id.startswith(("seed.", "source."))


def short_name(unique_id: str) -> str:
    """`model.nav_tiltak.stg_x` -> `stg_x`; `source.pkg.src.table` -> `src.table`."""
    _, _, rest = unique_id.partition(".")
    _, _, name = rest.partition(".")
    return name


# --------------------------------------------------------------------------- rules


def staging_model_of(seed_id: str, seeds: Mapping[str, Node]) -> str | None:
    """The staging model name a seed id maps to; None for sources and unfiled seeds."""
    seed = seeds.get(seed_id)
    if seed is None or not folder(seed):
        return None
    return staging_model_for_seed(folder(seed), str(seed["name"]))


def check_seed_staging(manifest: Manifest) -> Iterator[Violation]:
    """Every seed has its staging model, named by the mapping; it reads that seed alone."""
    seeds = {str(seed["unique_id"]): seed for seed in project_nodes(manifest, "seed")}
    staging = [node for node in project_nodes(manifest, "model") if folder(node) == "staging"]
    staging_by_name = {str(node["name"]): node for node in staging}
    for seed_id, seed in seeds.items():
        seed_name = str(seed["name"])
        expected = staging_model_of(seed_id, seeds)
        if expected is None:
            yield Violation(
                source_file(seed),
                "seed-staging",
                f"seed {seed_name} is at the root of seeds/: move it into a folder "
                "(seeds/report or seeds/reference) so that its staging model can be named",
            )
            continue
        model = staging_by_name.get(expected)
        if model is None:
            yield Violation(
                source_file(seed),
                "seed-staging",
                f"seed {seed_name} has no staging model: add "
                f"models/staging/{folder(seed)}/{expected}.sql that selects from "
                f"{{{{ ref('{seed_name}') }}}} (renames and casts only)",
            )
        elif seed_id not in depends_on(model):
            yield Violation(
                source_file(model),
                "seed-staging",
                f"{expected} is the staging model of seed {seed_name} but does not read it: "
                f"select from {{{{ ref('{seed_name}') }}}}",
            )
    # Each staging model reads its own seed and nothing else: one message per model.
    for node in staging:
        name = str(node["name"])
        inputs = [uid for uid in depends_on(node) if is_raw_input(uid)]
        foreign = [uid for uid in inputs if staging_model_of(uid, seeds) != name]
        if not inputs:
            yield Violation(
                source_file(node),
                "seed-staging",
                f"staging model {name} reads no seed or source: a staging model selects "
                "from exactly one seed ({{ ref('<seed>') }}) or source",
            )
        elif len(inputs) == 1 and foreign:
            owner = staging_model_of(inputs[0], seeds)
            if owner is None:
                continue  # a source, or a seed reported above for being unfiled
            yield Violation(
                source_file(node),
                "seed-staging",
                f"staging model {name} reads seed {short_name(inputs[0])}, whose staging "
                f"model is named {owner}: rename {name} to {owner}",
            )
        elif foreign:
            names = ", ".join(sorted(short_name(uid) for uid in foreign))
            owners = ", ".join(
                sorted(staging_model_of(uid, seeds) or short_name(uid) for uid in foreign)
            )
            yield Violation(
                source_file(node),
                "seed-staging",
                f"staging model {name} reads {names}, not its own seed: a staging model "
                "reads only its own seed (renames and casts); join the others through their "
                f"staging models ({owners}) in an intermediate model (int_...)",
            )


def uniqueness_tested(manifest: Manifest) -> set[str]:
    """Ids of the nodes that have a uniqueness test of their own."""
    return {
        str(test.get("attached_node"))
        for test in project_nodes(manifest, "test")
        if (test.get("test_metadata") or {}).get("name") in UNIQUENESS_TESTS
    }


def check_seed_uniqueness(manifest: Manifest) -> Iterator[Violation]:
    """Every seed has a uniqueness test."""
    tested = uniqueness_tested(manifest)
    for seed in project_nodes(manifest, "seed"):
        if str(seed["unique_id"]) in tested:
            continue
        yield Violation(
            yml_file(seed, f"seeds/{folder(seed)}/_{folder(seed)}__seeds.yml"),
            "seed-unique",
            f"seed {seed['name']} has no uniqueness test: add `unique` to its key column, "
            "or `unique_combination` (macros/tests) over its key columns",
        )


def hard_coded_refs(sql: str) -> Iterator[tuple[int, str, str, str]]:
    """(line, matched text, schema, table) for each `from|join schema.table` in SQL."""
    code = COMMENT.sub(lambda match: "\n" * match.group().count("\n"), sql)
    declared = {
        name.lower() for match in DECLARED_NAME.finditer(code) for name in match.groups() if name
    }
    for match in HARD_CODED_REF.finditer(code):
        if match["schema"].lower() in declared:
            continue  # `extract(month from report.x)` where `report` is a CTE or alias
        line = code.count("\n", 0, match.start()) + 1
        yield line, " ".join(match.group().split()), match["schema"], match["table"]


def check_hard_coded_refs(manifest: Manifest) -> Iterator[Violation]:
    """No data test names a table of the warehouse directly."""
    for node in project_nodes(manifest, "test"):
        for line, text, schema, table in hard_coded_refs(str(node.get("raw_code") or "")):
            instead = (
                f"{{{{ ref('{table}') }}}}"
                if schema.lower() not in ("report", "reference")
                else f"{{{{ ref('{staging_model_for_seed(schema.lower(), table)}') }}}}"
                " (or the seed's ref in its staging model)"
            )
            yield Violation(
                f"{source_file(node)}:{line}",
                "hard-coded-ref",
                f"`{text}` names a table directly, which breaks dbt's lineage and other "
                f"targets: use {instead}",
            )


def check_relation_names(manifest: Manifest) -> Iterator[Violation]:
    """Unit tests and stored test failures have names PostgreSQL can hold."""
    named: list[tuple[str, Node, str]] = [
        ("unit test", node, str(node.get("name", ""))) for node in project_unit_tests(manifest)
    ]
    named.extend(
        ("data test", node, str(node.get("alias") or node.get("name", "")))
        for node in project_nodes(manifest, "test")
        if (node.get("config") or {}).get("store_failures")
    )
    for kind, node, name in named:
        if len(name) <= MAX_RELATION_NAME:
            continue
        yield Violation(
            source_file(node),
            "relation-name",
            f"{kind} {name} has {len(name)} characters: it becomes a relation, and "
            f"PostgreSQL allows {MAX_RELATION_NAME}; shorten its name",
        )


def check_staging_keys(manifest: Manifest) -> Iterator[Violation]:
    """Every staging model's key is tested: a view of one seed by the seed's test (rule
    seed-unique), a view of a source by a test of its own."""
    tested = uniqueness_tested(manifest)
    for node in project_nodes(manifest, "model"):
        if folder(node) != "staging" or node["unique_id"] in tested:
            continue
        inputs = [uid for uid in depends_on(node) if is_raw_input(uid)]
        if len(inputs) != 1 or inputs[0].startswith("seed."):
            continue  # one seed: seed-unique; none or several: seed-staging says so
        yield Violation(
            yml_file(node, "models/staging/_staging__models.yml"),
            "staging-key",
            f"staging model {node['name']} reads source {short_name(inputs[0])} and has no "
            "uniqueness test: add `unique` or `unique_combination` over its key",
        )


def declared_constraints(node: Node) -> bool:
    columns = (node.get("columns") or {}).values()
    return bool(node.get("constraints")) or any(column.get("constraints") for column in columns)


def check_contract_constraints_tested(manifest: Manifest) -> Iterator[Violation]:
    """Every contract with constraints is asserted by contract_constraints_hold."""
    tested = {
        str(test.get("attached_node"))
        for test in project_nodes(manifest, "test")
        if (test.get("test_metadata") or {}).get("name") == CONSTRAINTS_TEST
    }
    for node in project_nodes(manifest, "model"):
        enforced = ((node.get("config") or {}).get("contract") or {}).get("enforced")
        if not enforced or not declared_constraints(node) or node["unique_id"] in tested:
            continue
        yield Violation(
            yml_file(node, f"models/{folder(node)}/_{folder(node)}__models.yml"),
            "constraints-tested",
            f"model {node['name']} declares contract constraints but has no "
            f"`{CONSTRAINTS_TEST}` test: add it to the model's data_tests (Spark does not "
            "enforce constraints; the test asserts them on every engine)",
        )


RULES = (
    check_seed_staging,
    check_seed_uniqueness,
    check_staging_keys,
    check_hard_coded_refs,
    check_relation_names,
    check_contract_constraints_tested,
)


def check_manifest(manifest: Manifest) -> list[Violation]:
    """Every violation of every rule, sorted by file."""
    return sorted(violation for rule in RULES for violation in rule(manifest))


# --------------------------------------------------------------------------- command line


def load_manifest(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        manifest = json.load(handle)
    if not isinstance(manifest, dict) or "nodes" not in manifest:
        raise ValueError("not a dbt manifest (no `nodes`)")
    return manifest


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m navtiltak_tools.structure",
        description="Check the structure rules dbt-bouncer cannot express over a dbt manifest.",
    )
    parser.add_argument(
        "manifest",
        nargs="?",
        type=Path,
        default=DEFAULT_MANIFEST,
        help=f"dbt manifest (default: {DEFAULT_MANIFEST}; `dbt parse` writes it)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        manifest = load_manifest(args.manifest)
    except (OSError, ValueError) as exc:
        print(f"error: cannot read {args.manifest}: {exc}", file=sys.stderr)
        print("error: run `dbt parse` (or `make dbt-test`) first", file=sys.stderr)
        return 2
    violations = check_manifest(manifest)
    models = len(project_nodes(manifest, "model"))
    seeds = len(project_nodes(manifest, "seed"))
    if violations:
        for violation in violations:
            print(violation)
        print(
            f"{len(violations)} structure violation(s) in {models} models and {seeds} seeds "
            f"({args.manifest})",
            file=sys.stderr,
        )
        return 1
    print(
        f"hand-written structure rules hold for {models} models and {seeds} seeds ({args.manifest})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
