"""Reports already in the folder the generator writes to.

A report prints last year's participants (count minus change). When the report of the
month a year earlier is already there (a real report, or one generated before), those
figures must be the ones it prints, or the cross-month rule fails the build: so the
generator reads them from it instead of drawing them (``grains.last_year``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from navtiltak.extract.cells import SUPPRESSED, ParsedCell
from navtiltak.extract.errors import ReportError
from navtiltak.extract.labels import load_known_labels
from navtiltak.extract.layout import REPORT_TABLES_FILE, read_layout
from navtiltak.extract.pages import split_pages
from navtiltak.extract.tables import read_report
from navtiltak.extract.text import read_report_lines
from navtiltak.report_month import MONTH_NAMES_FILE, parse_month_line, read_month_names
from navtiltak_tools.generate.catalogue import (
    ALIASES_FILE,
    DEFAULT_REFERENCE,
    METRIC_CODES,
    ReportCatalogue,
    _columns,
    _Names,
    _sections,
    read_rows,
)

# The table that prints participants per county and participant group.
COUNTY_GROUP_TABLE = "fylke_hovedgruppe"
REPORT_GLOB = "*.txt"


@dataclass(frozen=True)
class PrintedMonth:
    """Participants per area and participant group as one report prints them."""

    month: str
    path: Path
    # area name (canonical) -> participants per participant group of the catalogue, None
    # where the cell is suppressed; an area or group the report leaves out is absent.
    participants: tuple[tuple[str, tuple[int | None, ...]], ...]

    def of(self, area: str) -> tuple[int | None, ...] | None:
        return next((counts for name, counts in self.participants if name == area), None)


def report_month(path: Path, names: tuple[str, ...]) -> str | None:
    """The month a report file prints on its first page (``2013-11``), or None for a
    file that is not a report."""
    try:
        first_page = split_pages(path, read_report_lines(path))[0]
        _, text = first_page[2]
    except (ReportError, IndexError):
        return None
    return parse_month_line(text, names)


def reports_by_month(folder: Path, reference: Path = DEFAULT_REFERENCE) -> dict[str, Path]:
    """The reports in ``folder`` by the month they print (not by their file names)."""
    names = read_month_names(reference / MONTH_NAMES_FILE)
    found: dict[str, Path] = {}
    for path in sorted(Path(folder).glob(REPORT_GLOB)):
        month = report_month(path, names)
        if month is not None:
            found.setdefault(month, path)
    return found


def _count(cell: ParsedCell) -> int | None:
    """A printed count: blank is 0, a suppressed cell (``*``) is not known."""
    return None if cell.status == SUPPRESSED else cell.value or 0


def read_printed_month(path: Path, cat: ReportCatalogue) -> PrintedMonth:
    """Participants per area and group of the report at ``path``, read with the product's
    extractor (a report it refuses is refused here too, with its file and line)."""
    name = _Names(read_rows(cat.reference / ALIASES_FILE))
    metrics = {
        row["metric_code"]: row["metric_name"] for row in read_rows(cat.reference / "metrics.csv")
    }
    report = read_report(
        path,
        load_known_labels(cat.reference / ALIASES_FILE),
        read_layout(cat.reference / REPORT_TABLES_FILE),
    )
    by_group: dict[str, dict[str, int | None]] = {}
    for table in _sections(report, COUNTY_GROUP_TABLE):
        (count,) = (
            i
            for i, metric in _columns(table, "metric", name).items()
            if metric == metrics[METRIC_CODES[0]]
        )
        by_group[name("participant_group", table.sub_heading or "")] = {
            name("county", printed.row.label): _count(printed.row.cells[count])
            for printed in table.rows[1:]
        }
    areas = dict.fromkeys(area for counts in by_group.values() for area in counts)
    return PrintedMonth(
        month=report.month,
        path=path,
        participants=tuple(
            (
                area,
                tuple(by_group.get(group, {}).get(area, 0) for group in cat.groups),
            )
            for area in areas
        ),
    )
