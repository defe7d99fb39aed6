"""The extractor's layout and the dbt project's report_tables seed say the same thing."""

from __future__ import annotations

import csv
from pathlib import Path

from navtiltak.layout import TABLES

ROOT = Path(__file__).resolve().parents[2]


def test_report_tables_seed_matches_the_extractor_layout() -> None:
    with (ROOT / "seeds" / "reference" / "report_tables.csv").open(encoding="utf-8") as handle:
        seed = {
            row["table_name"]: (
                row["seed_name"],
                row["subheading_role"] or None,
                row["row_role"],
                row["column_role"],
            )
            for row in csv.DictReader(handle)
        }
    layout = {
        spec.name: (spec.seed_name, spec.subheading_role, spec.row_role, spec.column_role)
        for spec in TABLES
    }
    assert seed == layout


def test_every_table_has_its_seed_and_staging_model() -> None:
    for spec in TABLES:
        assert (ROOT / "seeds" / "report" / f"{spec.seed_name}.csv").is_file(), spec.name
        staging = spec.seed_name.removeprefix("report_")
        assert (ROOT / "models" / "staging" / f"stg_report__{staging}.sql").is_file(), spec.name
