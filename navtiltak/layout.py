"""What the report's pages look like: the title, the tables and their dimensions.

This is the single place that knows the published layout. The dbt project holds
the same facts as data (``seeds/reference/report_tables.csv``); a pytest test
checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

REPORT_TITLE = "Deltakere i arbeidsrettede tiltak. Tiltak og fylke. En måned"

# The page that explains the tables; it carries the month but no numbers.
NOTE_PAGE_NAME = "Om tabellene"

# A header or row label that starts with this is a printed total.
TOTAL_LABEL = "I alt"

# Columns that do not sum over rows (compared case-folded, as labels.fold does).
NON_ADDITIVE_COLUMNS = frozenset({"endring fra i fjor prosent"})

MONTHS_NB = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


@dataclass(frozen=True)
class TableSpec:
    """One published table name and the dimensions of its sub-heading, rows and columns."""

    name: str
    seed_name: str
    subheading_role: str | None
    row_role: str
    column_role: str
    # The table whose detail rows name every sub-heading this table must have
    # (only for tables with a sub-heading): a missing section means truncation.
    subheadings_listed_in: str | None = None

    @property
    def has_measure_rows(self) -> bool:
        return self.row_role == "measure"


TABLES: tuple[TableSpec, ...] = (
    TableSpec("Hovedgrupper", "report_hovedgrupper", None, "participant_group", "metric"),
    TableSpec("Fylke", "report_fylke", None, "county", "metric"),
    TableSpec(
        "Fylke og hovedgruppe",
        "report_fylke_og_hovedgruppe",
        "participant_group",
        "county",
        "metric",
        "Hovedgrupper",
    ),
    TableSpec("Fylke og alder", "report_fylke_og_alder", None, "county", "age_band"),
    TableSpec(
        "Fylke, alder og hovedgrupper",
        "report_fylke_alder_og_hovedgrupper",
        "participant_group",
        "county",
        "age_band",
        "Hovedgrupper",
    ),
    TableSpec("Fylke og tiltak", "report_fylke_og_tiltak", None, "county", "measure_group"),
    TableSpec(
        "Fylke, tiltak og hovedgrupper",
        "report_fylke_tiltak_og_hovedgrupper",
        "participant_group",
        "county",
        "measure_group",
        "Hovedgrupper",
    ),
    TableSpec(
        "Tiltak og hovedgrupper",
        "report_tiltak_og_hovedgrupper",
        None,
        "measure",
        "participant_group",
    ),
    TableSpec(
        "Tiltak, hovedgrupper og fylke",
        "report_tiltak_hovedgrupper_og_fylke",
        "county",
        "measure",
        "participant_group",
        "Fylke",
    ),
)

TABLES_BY_NAME: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}


def is_total_label(label: str) -> bool:
    """True for ``I alt`` and ``I alt <something>``, whatever the case."""
    folded = label.strip().casefold()
    total = TOTAL_LABEL.casefold()
    return folded == total or folded.startswith(total + " ")
