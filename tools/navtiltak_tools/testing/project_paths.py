"""Paths in this working tree that tests in every folder read."""

from __future__ import annotations

from navtiltak_tools import PROJECT_ROOT

ROOT = PROJECT_ROOT
REFERENCE = ROOT / "seeds" / "reference"
ALIASES = REFERENCE / "label_aliases.csv"
REPORT_TABLES = REFERENCE / "report_tables.csv"
COMMITTED_SEEDS = ROOT / "seeds" / "report"
REAL_REPORT = ROOT / "reports" / "deltakere-tiltak-fylke-2013-11.txt"
# dbt writes it with the manifest (`make dbt-test`); the semantic layer reads it.
SEMANTIC_MANIFEST = ROOT / "target" / "semantic_manifest.json"
