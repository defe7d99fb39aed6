"""Structure rules of the dbt project, checked over dbt's ``target/manifest.json``.

    python -m navtiltak.structure [target/manifest.json]

Exit 0 when every rule holds, 1 when any is broken (each violation printed with the
file to change and what to change in it), 2 when the manifest cannot be read.

The rules (after dbt-project-evaluator, re-implemented because it cannot be installed):

- naming:          a model's name prefix matches its folder: stg_ in models/staging,
                   int_ in models/intermediate, dim_ or fct_ in models/marts.
- seed-staging:    every seed has exactly one staging model, named by
                   ``staging_model_for_seed``, and a staging model reads exactly one seed.
- raw-inputs:      only staging models read seeds (or sources).
- layering:        a staging model reads no model; no model reads a later layer.
- primary-key:     every model and seed has a unique / unique_combination_of_columns test
                   (any generic test whose name starts with ``unique``) or a primary_key
                   constraint.
- docs:            every mart and every mart column has a description.
- contract:        every public model has an enforced contract.
- hard-coded-ref:  no model or test names a table as ``from <schema>.<table>`` or
                   ``join <schema>.<table>`` for the project's schemas; use ref() or source().
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

# A model's layer is the first folder under models/; each layer has its name prefixes.
LAYER_PREFIXES: dict[str, tuple[str, ...]] = {
    "staging": ("stg_",),
    "intermediate": ("int_",),
    "marts": ("dim_", "fct_"),
}
# A model may read models of an earlier layer (marts may also read marts, intermediate
# intermediate); staging models read no model at all, only seeds and sources.
LAYER_ORDER: dict[str, int] = {"staging": 0, "intermediate": 1, "marts": 2}

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


def project_nodes(manifest: Manifest, resource_type: str) -> list[Node]:
    """The project's own nodes of one type (not those of installed packages)."""
    project = manifest.get("metadata", {}).get("project_name")
    return sorted(
        (
            node
            for node in manifest.get("nodes", {}).values()
            if node.get("resource_type") == resource_type
            and (project is None or node.get("package_name") == project)
        ),
        key=lambda node: str(node.get("unique_id", node.get("name", ""))),
    )


def folder(node: Node) -> str:
    """First folder of the node under its resource path (models/, seeds/); '' at the root."""
    parts = Path(str(node.get("path", ""))).parts
    return parts[0] if len(parts) > 1 else ""


def layer(node: Node) -> str | None:
    """A model's layer (staging, intermediate, marts), or None outside those folders."""
    name = folder(node)
    return name if name in LAYER_PREFIXES else None


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


def models_by_id(manifest: Manifest) -> dict[str, Node]:
    return {str(node["unique_id"]): node for node in project_nodes(manifest, "model")}


def models_yml(node: Node) -> str:
    return f"models/{folder(node)}/_{folder(node)}__models.yml"


# --------------------------------------------------------------------------- rules


def check_naming(manifest: Manifest) -> Iterator[Violation]:
    """A model's name prefix matches its folder."""
    folders = ", ".join(f"models/{name}" for name in LAYER_PREFIXES)
    for node in project_nodes(manifest, "model"):
        name = str(node["name"])
        model_layer = layer(node)
        if model_layer is None:
            where = f"models/{folder(node)}" if folder(node) else "the root of models/"
            yield Violation(
                source_file(node),
                "naming",
                f"model {name} is in {where}: move it into one of {folders} "
                "and give it that folder's prefix",
            )
            continue
        prefixes = LAYER_PREFIXES[model_layer]
        if not name.startswith(prefixes):
            wanted = " or ".join(f"{prefix}..." for prefix in prefixes)
            yield Violation(
                source_file(node),
                "naming",
                f"model {name} is in models/{model_layer}: rename it to {wanted} "
                f"(or move it to the folder its prefix names)",
            )


def staging_model_of(seed_id: str, seeds: Mapping[str, Node]) -> str | None:
    """The staging model name a seed id maps to; None for sources and unfiled seeds."""
    seed = seeds.get(seed_id)
    if seed is None or not folder(seed):
        return None
    return staging_model_for_seed(folder(seed), str(seed["name"]))


# Lookup seeds a staging model may read beside its own seed: the report's staging maps
# printed labels to canonical names (label_aliases), knows what each table's rows and
# columns hold (report_tables) and what a blank means in each column (metrics). These
# are one-row-per-key lookups that never change the grain.
STAGING_LOOKUP_SEEDS = frozenset({"label_aliases", "report_tables", "metrics"})


def check_seed_staging(manifest: Manifest) -> Iterator[Violation]:
    """Every seed has its staging model, named by the mapping; it reads that seed alone."""
    seeds = {str(seed["unique_id"]): seed for seed in project_nodes(manifest, "seed")}
    staging = [node for node in project_nodes(manifest, "model") if layer(node) == "staging"]
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
                f"seed {seed_name} has no staging model: add models/staging/{expected}.sql "
                f"that selects from {{{{ ref('{seed_name}') }}}} (renames and casts only)",
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
        inputs = [
            uid
            for uid in depends_on(node)
            if is_raw_input(uid) and short_name(uid) not in STAGING_LOOKUP_SEEDS
        ]
        foreign = [uid for uid in inputs if staging_model_of(uid, seeds) != name]
        if not depends_on(node):
            yield Violation(
                source_file(node),
                "seed-staging",
                f"staging model {name} reads no seed or source: a staging model selects "
                "from exactly one seed ({{ ref('<seed>') }}) or source",
            )
        elif len(inputs) == 1 and foreign:
            seed_id = inputs[0]
            owner = staging_model_of(seed_id, seeds)
            if owner is None:
                continue  # a source, or a seed reported above for being unfiled
            yield Violation(
                source_file(node),
                "seed-staging",
                f"staging model {name} reads seed {short_name(seed_id)}, whose staging model "
                f"is named {owner}: rename {name} to {owner}",
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


def check_raw_inputs(manifest: Manifest) -> Iterator[Violation]:
    """Only staging models read seeds and sources."""
    seeds = {str(seed["unique_id"]): seed for seed in project_nodes(manifest, "seed")}
    for node in project_nodes(manifest, "model"):
        if layer(node) == "staging":
            continue
        for uid in depends_on(node):
            if not is_raw_input(uid):
                continue
            owner = staging_model_of(uid, seeds)
            instead = f"{{{{ ref('{owner}') }}}}" if owner else "its staging model"
            yield Violation(
                source_file(node),
                "raw-inputs",
                f"model {node['name']} reads {uid.partition('.')[0]} {short_name(uid)} "
                f"directly: only staging models read seeds and sources; read {instead} instead",
            )


def check_layering(manifest: Manifest) -> Iterator[Violation]:
    """Staging models read no model; no model reads a model of a later layer."""
    models = models_by_id(manifest)
    for node in models.values():
        node_layer = layer(node)
        if node_layer is None:
            continue  # reported by check_naming
        for uid in depends_on(node):
            parent = models.get(uid)
            parent_layer = layer(parent) if parent is not None else None
            if parent is None or parent_layer is None:
                continue
            if node_layer == "staging":
                yield Violation(
                    source_file(node),
                    "layering",
                    f"staging model {node['name']} reads {parent_layer} model "
                    f"{parent['name']}: staging models read only their seed; move the logic "
                    "that combines models into an intermediate model (int_...)",
                )
            elif LAYER_ORDER[parent_layer] > LAYER_ORDER[node_layer]:
                yield Violation(
                    source_file(node),
                    "layering",
                    f"{node_layer} model {node['name']} reads {parent_layer} model "
                    f"{parent['name']}, a later layer: read the upstream model that "
                    f"{parent['name']} is built from, or move {node['name']} to models/marts",
                )


def has_primary_key_constraint(node: Node) -> bool:
    constraints = list(node.get("constraints") or [])
    for column in (node.get("columns") or {}).values():
        constraints.extend(column.get("constraints") or [])
    return any(constraint.get("type") == "primary_key" for constraint in constraints)


def check_primary_keys(manifest: Manifest) -> Iterator[Violation]:
    """Every model and seed has a uniqueness test or a primary_key constraint."""
    tested: set[str] = set()
    for test in project_nodes(manifest, "test"):
        test_name = str((test.get("test_metadata") or {}).get("name") or "")
        if not test_name.startswith("unique"):
            continue
        attached = test.get("attached_node")
        if attached:
            tested.add(str(attached))
        else:  # older manifests: a generic test depends on the one node it tests
            tested.update(depends_on(test)[:1])
    nodes = project_nodes(manifest, "seed") + project_nodes(manifest, "model")
    for node in nodes:
        if str(node["unique_id"]) in tested or has_primary_key_constraint(node):
            continue
        kind = str(node["resource_type"])
        fallback = (
            f"seeds/{folder(node)}/_{folder(node)}__seeds.yml"
            if kind == "seed"
            else models_yml(node)
        )
        yield Violation(
            yml_file(node, fallback),
            "primary-key",
            f"{kind} {node['name']} has no primary-key test: add `unique` (and `not_null`) "
            "to its key column, or a uniqueness test over its key columns (this project's "
            "`unique_combination`, macros/tests), or a primary_key constraint",
        )


def check_mart_docs(manifest: Manifest) -> Iterator[Violation]:
    """Every mart and every mart column has a description."""
    for node in project_nodes(manifest, "model"):
        if layer(node) != "marts":
            continue
        name = str(node["name"])
        where = yml_file(node, models_yml(node))
        if not str(node.get("description") or "").strip():
            yield Violation(
                where, "docs", f"mart {name} has no description: add `description:` to it"
            )
        columns = node.get("columns") or {}
        if not columns:
            yield Violation(
                where,
                "docs",
                f"mart {name} documents no columns: list every column under `columns:` "
                "with a description (and data_type, for its contract)",
            )
        for column_name, column in sorted(columns.items()):
            if not str(column.get("description") or "").strip():
                yield Violation(
                    where,
                    "docs",
                    f"column {column_name} of mart {name} has no description: "
                    "add `description:` to it (a doc block if other models share it)",
                )


def check_contracts(manifest: Manifest) -> Iterator[Violation]:
    """Every public model has an enforced contract."""
    for node in project_nodes(manifest, "model"):
        config = node.get("config") or {}
        access = node.get("access") or config.get("access")
        if access != "public":
            continue
        contract = node.get("contract") or config.get("contract") or {}
        if not contract.get("enforced"):
            yield Violation(
                yml_file(node, models_yml(node)),
                "contract",
                f"public model {node['name']} has no enforced contract: set "
                "`config: {contract: {enforced: true}}` and give every column a data_type "
                "(or make it `access: protected`)",
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
    """No model or test names a table of the warehouse directly."""
    nodes = project_nodes(manifest, "model") + project_nodes(manifest, "test")
    for node in nodes:
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


RULES = (
    check_naming,
    check_seed_staging,
    check_raw_inputs,
    check_layering,
    check_primary_keys,
    check_mart_docs,
    check_contracts,
    check_hard_coded_refs,
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
        prog="python -m navtiltak.structure",
        description="Check the dbt project's structure rules over target/manifest.json.",
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
    print(f"structure rules hold for {models} models and {seeds} seeds ({args.manifest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
