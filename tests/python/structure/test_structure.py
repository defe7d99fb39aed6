"""The hand-written structure rules (tools/navtiltak_tools/structure.py) over small manifests:
a clean one passes, and each breakage is named by the rule it breaks.
"""

from __future__ import annotations

import pytest
from manifest_fixtures import (
    by_name,
    clean_nodes,
    clean_unit_tests,
    generic_test,
    manifest_of,
    model,
    ref,
    seed,
    unit_test,
    write_manifest,
)

from navtiltak_tools import structure
from navtiltak_tools.structure import Violation, check_manifest, staging_model_for_seed


def violations_of(nodes: list[dict], unit_tests: list[dict] | None = None) -> list[Violation]:
    tests = clean_unit_tests() if unit_tests is None else unit_tests
    return check_manifest(manifest_of(*nodes, unit_tests=tuple(tests)))


def only_violation(nodes: list[dict], unit_tests: list[dict] | None = None) -> Violation:
    violations = violations_of(nodes, unit_tests)
    assert len(violations) == 1, "\n".join(map(str, violations))
    return violations[0]


# --------------------------------------------------------------------------- the mapping


@pytest.mark.parametrize(
    ("folder", "seed_name", "expected"),
    [
        ("report", "report_fylke", "stg_report__fylke"),
        ("report", "report_tiltak_og_hovedgrupper", "stg_report__tiltak_og_hovedgrupper"),
        ("reference", "measures", "stg_reference__measures"),
        ("reference", "municipality_moves", "stg_reference__municipality_moves"),
        ("reference", "report_tables", "stg_reference__report_tables"),
    ],
)
def test_staging_model_for_seed(folder: str, seed_name: str, expected: str) -> None:
    assert staging_model_for_seed(folder, seed_name) == expected


# --------------------------------------------------------------------------- clean project


def test_clean_project_passes() -> None:
    assert violations_of(clean_nodes()) == []


def test_cli_exit_codes(tmp_path, capsys) -> None:
    clean = write_manifest(
        tmp_path / "clean.json", manifest_of(*clean_nodes(), unit_tests=tuple(clean_unit_tests()))
    )
    assert structure.main([str(clean)]) == 0
    assert "rules hold for 5 models and 2 seeds" in capsys.readouterr().out

    nodes = [n for n in clean_nodes() if n["name"] != "unique_measures_key"]
    broken = write_manifest(tmp_path / "broken.json", manifest_of(*nodes))
    assert structure.main([str(broken)]) == 1
    captured = capsys.readouterr()
    assert "[seed-unique] seed measures has no uniqueness test" in captured.out
    assert "1 structure violation(s)" in captured.err

    assert structure.main([str(tmp_path / "missing.json")]) == 2
    assert "run `dbt parse`" in capsys.readouterr().err


def test_nodes_of_other_packages_are_ignored() -> None:
    foreign = model("staging/helper", [], package_name="some_package")
    assert violations_of([*clean_nodes(), foreign]) == []


# --------------------------------------------------------------------------- seed-staging


def test_seed_without_staging_model() -> None:
    nodes = [*clean_nodes(), seed("reference", "age_bands")]
    nodes.append(generic_test("unique", ref("age_bands", "seed"), "key"))
    assert str(only_violation(nodes)) == (
        "seeds/reference/age_bands.csv: [seed-staging] seed age_bands has no staging model: "
        "add models/staging/reference/stg_reference__age_bands.sql that selects from "
        "{{ ref('age_bands') }} (renames and casts only)"
    )


def test_report_seed_staging_model_drops_the_folder_prefix() -> None:
    """stg_report__report_fylke is the wrong name: the seed's `report_` prefix goes."""
    nodes = clean_nodes()
    by_name(nodes)["stg_report__fylke"]["name"] = "stg_report__report_fylke"
    assert [str(v) for v in violations_of(nodes)] == [
        "models/staging/report/stg_report__fylke.sql: [seed-staging] staging model "
        "stg_report__report_fylke reads seed report_fylke, whose staging model is named "
        "stg_report__fylke: rename stg_report__report_fylke to stg_report__fylke",
        "seeds/report/report_fylke.csv: [seed-staging] seed report_fylke has no staging model: "
        "add models/staging/report/stg_report__fylke.sql that selects from "
        "{{ ref('report_fylke') }} (renames and casts only)",
    ]


def test_staging_model_named_for_seed_but_not_reading_it() -> None:
    nodes = clean_nodes()
    by_name(nodes)["stg_reference__measures"]["depends_on"]["nodes"] = [ref("report_fylke", "seed")]
    assert [v.message for v in violations_of(nodes)] == [
        "staging model stg_reference__measures reads seed report_fylke, whose staging model "
        "is named stg_report__fylke: rename stg_reference__measures to stg_report__fylke",
        "stg_reference__measures is the staging model of seed measures but does not read it: "
        "select from {{ ref('measures') }}",
    ]


@pytest.mark.parametrize("lookup", ["measures", "label_aliases"])
def test_staging_model_reading_a_second_seed(lookup: str) -> None:
    """No lookup seed is exempt: a staging model reads its own seed and nothing else."""
    nodes = clean_nodes()
    if lookup not in by_name(nodes):
        nodes += [
            seed("reference", lookup),
            model(f"staging/reference/stg_reference__{lookup}", [ref(lookup, "seed")]),
            generic_test("unique", ref(lookup, "seed"), "key"),
        ]
    by_name(nodes)["stg_report__fylke"]["depends_on"]["nodes"].append(ref(lookup, "seed"))
    assert str(only_violation(nodes)) == (
        "models/staging/report/stg_report__fylke.sql: [seed-staging] staging model "
        f"stg_report__fylke reads {lookup}, not its own seed: a staging model reads only its "
        "own seed (renames and casts); join the others through their staging models "
        f"(stg_reference__{lookup}) in an intermediate model (int_...)"
    )


def test_staging_model_reading_nothing() -> None:
    nodes = [*clean_nodes(), model("staging/reference/stg_reference__constants", [])]
    violation = only_violation(nodes)
    assert violation.rule == "seed-staging"
    assert "staging model stg_reference__constants reads no seed or source" in violation.message


def test_seed_at_the_root_of_seeds() -> None:
    nodes = clean_nodes()
    by_name(nodes)["measures"].update(path="measures.csv", original_file_path="seeds/measures.csv")
    violations = violations_of(nodes)
    assert "seed measures is at the root of seeds/: move it into a folder" in violations[0].message


# --------------------------------------------------------------------------- seed-unique


def test_seed_without_uniqueness_test() -> None:
    """Its staging view's key goes untested with it: one violation, on the seed."""
    nodes = [n for n in clean_nodes() if n["name"] != "unique_combination_report_fylke_key"]
    assert str(only_violation(nodes)) == (
        "seeds/report/_report__seeds.yml: [seed-unique] seed report_fylke has no uniqueness "
        "test: add `unique` to its key column, or `unique_combination` (macros/tests) over "
        "its key columns"
    )


@pytest.mark.parametrize("other_test", ["not_null", "unique_key_of_report_rows"])
def test_only_unique_and_unique_combination_count(other_test: str) -> None:
    nodes = clean_nodes()
    by_name(nodes)["unique_measures_key"]["test_metadata"]["name"] = other_test
    assert only_violation(nodes).message.startswith("seed measures has no uniqueness test")


# --------------------------------------------------------------------------- staging-key


def test_staging_view_of_a_seed_needs_no_key_test_of_its_own() -> None:
    """The clean fixture tests its seeds' keys, not its staging views'."""
    nodes = clean_nodes()
    staged = {ref("stg_reference__measures"), ref("stg_report__fylke")}
    assert not [n for n in nodes if n.get("attached_node") in staged]
    assert violations_of(nodes) == []


def test_staging_view_of_a_source_needs_its_own_key_test() -> None:
    source_id = "source.nav_tiltak.nav.tiltak"
    view = model("staging/nav/stg_nav__tiltak", [source_id])
    assert str(only_violation([*clean_nodes(), view])) == (
        "models/staging/nav/_nav__models.yml: [staging-key] staging model stg_nav__tiltak "
        "reads source nav.tiltak and has no uniqueness test: add `unique` or "
        "`unique_combination` over its key"
    )
    tested = generic_test("unique", ref("stg_nav__tiltak"), "key")
    assert violations_of([*clean_nodes(), view, tested]) == []


# --------------------------------------------------------------------------- hard-coded-ref


@pytest.mark.parametrize(
    ("sql", "text", "instead"),
    [
        (
            "select *\nfrom marts.fct_participants",
            "from marts.fct_participants",
            "ref('fct_participants')",
        ),
        (
            "select *\nfrom x\nleft JOIN Staging.stg_report__fylke as s on true",
            "JOIN Staging.stg_report__fylke",
            "ref('stg_report__fylke')",
        ),
        (
            'select * from "nav_tiltak"."main"."report_fylke"',
            'from "nav_tiltak"."main"."report_fylke"',
            "ref('report_fylke')",
        ),
        (
            "select * from report.report_fylke",
            "from report.report_fylke",
            "ref('stg_report__fylke')",
        ),
    ],
)
def test_hard_coded_table_in_a_singular_test(sql: str, text: str, instead: str) -> None:
    nodes = clean_nodes()
    by_name(nodes)["assert_participants_not_negative"]["raw_code"] = sql
    violation = only_violation(nodes)
    assert violation.rule == "hard-coded-ref"
    assert violation.path == (
        f"tests/dbt/assert_participants_not_negative.sql:{sql.count(chr(10)) + 1}"
    )
    assert violation.message.startswith(f"`{text}` names a table directly")
    assert instead in violation.message


def test_comments_cte_names_and_other_schemas_are_no_table_reference() -> None:
    nodes = clean_nodes()
    by_name(nodes)["assert_participants_not_negative"]["raw_code"] = (
        "{# from marts.x in a jinja comment is fine #}\n"
        "/* so is\n from marts.y */\n"
        "with report as (select * from {{ ref('stg_report__fylke') }})\n"
        "select trim(both ' ' from label) as label, extract(year from report.d) as y\n"
        "from report\n"
        "join other_schema.some_table as t on true"
    )
    assert violations_of(nodes) == []


# --------------------------------------------------------------------------- relation-name


def test_unit_test_name_of_63_characters_passes_and_64_fails() -> None:
    yml = "models/intermediate/facts/_facts__unit_tests.yml"
    fits = unit_test("u" * 63, "int_participants_joined", yml)
    too_long = unit_test("t" * 64, "int_participants_joined", yml)
    violation = only_violation(clean_nodes(), [fits, too_long])
    assert str(violation) == (
        f"{yml}: [relation-name] unit test {'t' * 64} has 64 characters: it becomes a "
        "relation, and PostgreSQL allows 63; shorten its name"
    )


def test_stored_test_failures_need_a_short_name_too() -> None:
    nodes = clean_nodes()
    test = by_name(nodes)["assert_participants_not_negative"]
    test["alias"] = "assert_" + "x" * 60
    assert only_violation(nodes).message.startswith(f"data test {test['alias']} has 67 characters")
    test["config"]["store_failures"] = False
    assert violations_of(nodes) == []


# --------------------------------------------------------------------------- constraints-tested


@pytest.mark.parametrize("mart_name", ["dim_measure", "fct_participants"])
def test_contract_constraints_without_their_test(mart_name: str) -> None:
    """Column-level (dim_measure) and model-level (fct_participants) constraints alike."""
    nodes = [n for n in clean_nodes() if n["name"] != f"contract_constraints_hold_{mart_name}_"]
    assert str(only_violation(nodes)) == (
        f"models/marts/_marts__models.yml: [constraints-tested] model {mart_name} declares "
        "contract constraints but has no `contract_constraints_hold` test: add it to the "
        "model's data_tests (Spark does not enforce constraints; the test asserts them on "
        "every engine)"
    )


def test_a_contract_without_constraints_needs_no_constraint_test() -> None:
    nodes = [n for n in clean_nodes() if n["name"] != "contract_constraints_hold_dim_measure_"]
    by_name(nodes)["dim_measure"]["columns"]["measure_code"]["constraints"] = []
    assert violations_of(nodes) == []
