"""What the report's pages look like: the title, the tables and their dimensions.

The fixed words of the layout are here; the published tables (their names, seeds and
what their sub-headings, rows and columns name) are data the dbt project shares, read
from ``seeds/reference/report_tables.csv`` at run time (``read_layout``), and so are the
columns that do not sum over rows (``metrics.csv``, ``is_additive``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from navtiltak.extract.errors import ReportError
from navtiltak.extract.labels import fold

REPORT_TITLE = "Deltakere i arbeidsrettede tiltak. Tiltak og fylke. En måned"

# The page that explains the tables; it carries the month but no numbers.
NOTE_PAGE_NAME = "Om tabellene"

# A header or row label that starts with this is a printed total.
TOTAL_LABEL = "I alt"

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

REPORT_TABLES_FILE = "report_tables.csv"
REPORT_TABLES_COLUMNS = (
    "table_code",
    "table_name",
    "seed_name",
    "subheading_role",
    "row_role",
    "row_subtotal_role",
    "column_role",
    "subheadings_listed_in",
    "sort_order",
)
METRICS_FILE = "metrics.csv"
METRICS_COLUMNS = ("metric_name", "is_additive")


@dataclass(frozen=True)
class TableSpec:
    """One published table name and the dimensions of its sub-heading, rows and columns."""

    code: str
    name: str
    seed_name: str
    subheading_role: str | None
    row_role: str
    row_subtotal_role: str | None
    column_role: str
    # The table whose detail rows name every sub-heading this table must have
    # (only for tables with a sub-heading): a missing section means truncation.
    subheadings_listed_in: str | None = None

    @property
    def has_subtotal_rows(self) -> bool:
        """Detail rows close in ``I alt <group>`` sub-totals (measures in their groups)."""
        return self.row_subtotal_role is not None


@dataclass(frozen=True)
class ReportLayout:
    """The published tables, in printed order, and the column headers (folded, as
    ``labels.fold`` does) that do not sum over rows."""

    tables: tuple[TableSpec, ...]
    non_additive_columns: frozenset[str] = frozenset()

    def __iter__(self) -> Iterator[TableSpec]:
        return iter(self.tables)

    def spec(self, name: str) -> TableSpec | None:
        """The table printed under ``name``, or None for a name the report does not use."""
        return next((spec for spec in self.tables if spec.name == name), None)


def _optional(value: str) -> str | None:
    return value.strip() or None


def _read_seed(path: Path, what: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise ReportError(path, None, f"cannot read the {what} seed: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [name for name in columns if name not in (reader.fieldnames or ())]
        if missing:
            raise ReportError(path, 1, f"the {what} seed lacks the columns {missing}")
        return list(reader)


def read_non_additive_columns(path: Path) -> frozenset[str]:
    """The folded names of the metrics whose ``is_additive`` is false in ``metrics.csv``."""
    names = set()
    for line, row in enumerate(_read_seed(path, "metrics", METRICS_COLUMNS), start=2):
        additive = row["is_additive"].strip().casefold()
        if additive not in ("true", "false"):
            raise ReportError(path, line, f"is_additive {row['is_additive']!r} is not true/false")
        if additive == "false":
            names.add(fold(row["metric_name"]))
    return frozenset(names)


def read_layout(path: Path, metrics: Path | None = None) -> ReportLayout:
    """The tables ``report_tables.csv`` declares, ordered by its sort_order, and the
    non-additive columns of ``metrics`` (default: ``metrics.csv`` beside ``path``)."""
    rows = _read_seed(path, "report-tables", REPORT_TABLES_COLUMNS)
    names = {row["table_code"]: row["table_name"] for row in rows}
    specs: list[tuple[int, TableSpec]] = []
    for line, row in enumerate(rows, start=2):
        listed_in = _optional(row["subheadings_listed_in"])
        if listed_in is not None and listed_in not in names:
            raise ReportError(path, line, f"subheadings_listed_in {listed_in!r} is no table_code")
        spec = TableSpec(
            code=row["table_code"],
            name=row["table_name"],
            seed_name=row["seed_name"],
            subheading_role=_optional(row["subheading_role"]),
            row_role=row["row_role"],
            row_subtotal_role=_optional(row["row_subtotal_role"]),
            column_role=row["column_role"],
            subheadings_listed_in=None if listed_in is None else names[listed_in],
        )
        try:
            specs.append((int(row["sort_order"]), spec))
        except ValueError as exc:
            raise ReportError(path, line, f"sort_order {row['sort_order']!r} is no number") from exc
    if not specs:
        raise ReportError(path, None, "the report-tables seed lists no table")
    return ReportLayout(
        tuple(spec for _, spec in sorted(specs, key=lambda pair: pair[0])),
        read_non_additive_columns(metrics or path.parent / METRICS_FILE),
    )


def is_total_label(label: str) -> bool:
    """True for ``I alt`` and ``I alt <something>``, whatever the case."""
    folded = label.strip().casefold()
    total = TOTAL_LABEL.casefold()
    return folded == total or folded.startswith(total + " ")
