"""The generator's catalogue: what it prints, in which order, and the numbers it scales from.

Nothing here is typed in: the names and their order come from the project's reference
seeds (``seeds/reference``: counties, municipality moves, non-county areas, participant
groups, age bands, measure groups, measures, metrics, the published tables, and the
printed misspellings in ``label_aliases.csv``), and the base numbers from the committed
November 2013 report, read with the product's extractor. So a measure added to
``measures.csv`` (with its canonical spelling in ``label_aliases.csv``) is generated with
no change to the code: the base report does not print it, so it gets a small share
(``NEW_SHARE``) of every participant group whose "Fylke, tiltak og hovedgrupper" table
prints its measure group. A non-county area added to ``non_county_areas.csv`` likewise
gets that share of every participant group.

Numbers are drawn for the base areas: the counties in force in the base report's month
(``counties.csv``) and the non-county areas. A month prints the counties in force in it
(its ``Division``), each the sum of the base counties that lie in it: a base county lies
in a later county when that county is its own number, its ``region_code`` (its county of
2020) or its ``county_code_2024``. So Trøndelag (50) prints Sør- and Nord-Trøndelag, Viken
(30) the three counties of region 30, and 2024's Akershus (32) the 2013 county whose
county_code_2024 is 32. Municipalities that crossed a border (``municipality_moves.csv``)
are left where their county was, except in last year's figures (``grains.last_year``).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from navtiltak.extract.labels import fold, load_known_labels
from navtiltak.extract.layout import REPORT_TABLES_FILE, TOTAL_LABEL, is_total_label, read_layout
from navtiltak.extract.pages import split_pages
from navtiltak.extract.tables import Report, ReportTable, read_report
from navtiltak.extract.text import read_report_lines
from navtiltak_tools import PROJECT_ROOT
from navtiltak_tools.generate.months import month_index, parse_month

DEFAULT_REFERENCE = PROJECT_ROOT / "seeds" / "reference"
DEFAULT_BASE_REPORT = PROJECT_ROOT / "reports" / "deltakere-tiltak-fylke-2013-11.txt"
ALIASES_FILE = "label_aliases.csv"
COUNTIES_FILE = "counties.csv"
MOVES_FILE = "municipality_moves.csv"
NON_COUNTY_AREAS_FILE = "non_county_areas.csv"

# A measure or an area the base report does not print: this share of a participant group's
# national participants (about 90 jobseekers in November 2013); a new measure is then
# printed in most counties.
NEW_SHARE = 0.005
# Participants per area and group the generator scales from, at least: "Øvrige områder"
# prints (1, 1, 0) in November 2013, and would rarely print anything if drawn from that.
MIN_AREA_BASE = 1.5

# The metrics' meanings, in the order the generator computes them (metrics.csv names them).
METRIC_CODES = ("participants", "change", "change_pct")

MISSPELLING = "misspelling"


def first_day(month: str) -> str:
    """``2020-11`` -> ``2020-11-01``: a month's date, as the seeds' dates compare to it."""
    return f"{parse_month(month)}-01"


@dataclass(frozen=True)
class Move:
    """A municipality that crossed a county border outside the county-level rule."""

    municipality_code: str
    moved_on: str  # ISO date: the first day it belonged to its new county
    from_county: str
    to_county: str


@dataclass(frozen=True)
class Division:
    """The areas a month's report prints: the counties in force in that month, by number,
    then the non-county areas. Each prints the sum of the base areas it holds."""

    codes: tuple[str, ...]  # county numbers, then the non-county areas' codes
    counties: tuple[str, ...]  # the names printed
    parts: tuple[tuple[int, ...], ...]  # the base areas (ReportCatalogue.counties) each one sums
    missing: tuple[tuple[bool, ...], ...]  # [area][group]: the area never has the group

    def absent(self, county: int, group: int) -> bool:
        """As ``ReportCatalogue.absent``, for this division's areas."""
        return group >= 0 and self.missing[county][group]

    def holding(self, parts: Sequence[int]) -> int:
        """The area that holds these base areas; where several share them (a county the
        division has split), the first in printed order."""
        wanted = set(parts)
        return next(i for i, members in enumerate(self.parts) if wanted.intersection(members))


@dataclass(frozen=True)
class _County:
    """A row of counties.csv, with the base counties that lie in it."""

    code: str
    name: str
    valid_from: str
    valid_to: str | None
    parts: tuple[int, ...]

    def in_force(self, day: str) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, eq=False)
class ReportCatalogue:
    """What one generator draws from; indices into these tuples name areas, groups, ...

    Compared and hashed by identity: the generator caches its draws per catalogue.
    """

    # The base areas, which numbers are drawn for: the counties in force in the base
    # report's month by number, then the non-county areas.
    counties: tuple[str, ...]
    groups: tuple[str, ...]  # participant groups
    age_bands: tuple[str, ...]
    measure_groups: tuple[tuple[str, tuple[str, ...]], ...]  # (group, its measures), printed order
    metrics: tuple[str, ...]  # printed names of METRIC_CODES
    table_names: Mapping[str, str]  # table_code -> printed table name
    # (label role, canonical name) -> printed misspellings, in label_aliases.csv order.
    misspellings: Mapping[tuple[str, str], tuple[str, ...]]
    note_text: str  # the body of the note page ("Om tabellene")
    # The base report, November 2013: measure groups each participant group's "Fylke, tiltak og
    # hovedgrupper" prints, and participants per [measure][group], [area][group], [group][age].
    group_columns: tuple[tuple[int, ...], ...]
    national_base: tuple[tuple[float, ...], ...]
    county_base: tuple[tuple[float, ...], ...]
    age_base: tuple[tuple[int, ...], ...]
    # Every county of counties.csv by number, the non-county areas as (code, name), and
    # the municipalities that crossed a county border.
    all_counties: tuple[_County, ...]
    non_county_areas: tuple[tuple[str, str], ...]
    moves: tuple[Move, ...]
    # The month each measure is first printed (None: from the start), by measures' index.
    measure_first_months: tuple[str | None, ...]
    # The reference seeds it was read from: labels of other reports are read with them.
    reference: Path = DEFAULT_REFERENCE

    @cached_property
    def _divisions(self) -> dict[tuple[str, ...], Division]:
        """Divisions made so far, by the counties in force: the months of one share it."""
        return {}

    @cached_property
    def measures(self) -> tuple[tuple[int, str], ...]:
        """Every measure as (measure group index, measure name), in printed order."""
        return tuple(
            (group, name) for group, (_, names) in enumerate(self.measure_groups) for name in names
        )

    def absent(self, county: int, group: int) -> bool:
        """The area never has this participant group (no row, no column): Øvrige områder has
        no "Andre på tiltak". ``group`` -1 is all groups."""
        return group >= 0 and self.county_base[county][group] == 0

    def is_structural_zero(self, county: int, group: int, measure: int) -> bool:
        """True for a cell that is zero in every month (the group never takes that measure)."""
        return self.national_base[measure][group] == 0 or self.absent(county, group)

    def misspelt(self, role: str, name: str) -> tuple[str, ...]:
        return self.misspellings.get((role, name), ())

    def county_parts(self, code: str) -> tuple[int, ...]:
        """The base areas a county (any number of counties.csv) or non-county area holds."""
        for county in self.all_counties:
            if county.code == code:
                return county.parts
        for index, (area_code, _) in enumerate(self.non_county_areas):
            if area_code == code:
                return (len(self.counties) - len(self.non_county_areas) + index,)
        raise KeyError(f"{code!r} is neither in {COUNTIES_FILE} nor in {NON_COUNTY_AREAS_FILE}")

    def division(self, month: str) -> Division:
        """The areas the report of ``month`` prints: the counties in force on its first day."""
        day = first_day(month)
        in_force = tuple(county for county in self.all_counties if county.in_force(day))
        key = tuple(county.code for county in in_force)
        if key not in self._divisions:
            self._divisions[key] = self._make_division(month, in_force)
        return self._divisions[key]

    def _make_division(self, month: str, in_force: Sequence[_County]) -> Division:
        first_area = len(self.counties) - len(self.non_county_areas)
        empty = [county.code for county in in_force if not county.parts]
        if empty:
            raise ValueError(
                f"no county of the base report lies in {', '.join(empty)}, in force in {month} "
                f"({COUNTIES_FILE}: region_code, county_code_2024): the generator cannot size it"
            )
        held = sorted(part for county in in_force for part in county.parts)
        if held != list(range(first_area)):
            raise ValueError(
                f"the counties in force in {month} ({', '.join(c.code for c in in_force)}) "
                f"do not hold each county of the base report once ({COUNTIES_FILE}: "
                "region_code, county_code_2024)"
            )
        parts = (
            *(county.parts for county in in_force),
            *((first_area + i,) for i in range(len(self.non_county_areas))),
        )
        return Division(
            codes=(*(c.code for c in in_force), *(code for code, _ in self.non_county_areas)),
            counties=(*(c.name for c in in_force), *(name for _, name in self.non_county_areas)),
            parts=parts,
            missing=tuple(
                tuple(all(self.absent(p, g) for p in members) for g in range(len(self.groups)))
                for members in parts
            ),
        )

    def moves_between(self, earlier: str, later: str) -> tuple[Move, ...]:
        """The moves after month ``earlier`` began, up to month ``later``'s first day."""
        start, end = first_day(earlier), first_day(later)
        return tuple(move for move in self.moves if start < move.moved_on <= end)

    def measures_in_force(self, month: str) -> tuple[bool, ...]:
        """Per measure: whether ``month``'s report prints it."""
        index = month_index(month)
        return tuple(
            first is None or month_index(first) <= index for first in self.measure_first_months
        )


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _by_sort_order(rows: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(rows, key=lambda row: int(row["sort_order"]))


def _measure_groups(reference: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    groups = _by_sort_order(read_rows(reference / "measure_groups.csv"))
    measures = _by_sort_order(read_rows(reference / "measures.csv"))
    return tuple(
        (
            group["measure_group_name"],
            tuple(
                m["measure_name"]
                for m in measures
                if m["measure_group_code"] == group["measure_group_code"]
            ),
        )
        for group in groups
    )


class _Names:
    """Printed label -> canonical name per label role (``label_aliases.csv``)."""

    def __init__(self, rows: Sequence[dict[str, str]]) -> None:
        self.canonical: dict[str, dict[str, str]] = defaultdict(dict)
        for row in rows:
            self.canonical[row["label_role"]][fold(row["printed_label"])] = row["canonical_name"]

    def __call__(self, role: str, label: str) -> str:
        return self.canonical[role][fold(label)]


def _value(table: ReportTable, row: int, column: int) -> int:
    return table.rows[row].row.cells[column].value or 0


def _sections(report: Report, code: str) -> list[ReportTable]:
    return [table for table in report.tables if table.spec.code == code]


@dataclass(frozen=True)
class _Base:
    """What the base report prints, by canonical names."""

    month: str
    measures: dict[tuple[str, str], dict[str, int]]  # (measure group, measure) -> group -> count
    columns: dict[str, set[str]]  # participant group -> measure groups of its table
    areas: dict[str, dict[str, int]]  # participant group -> area -> count
    ages: dict[str, dict[str, int]]  # participant group -> age band -> count
    note_text: str


def _columns(table: ReportTable, role: str, name: _Names) -> dict[int, str]:
    """Column position -> canonical name, the ``I alt`` column left out: columns are
    mapped by their printed header, never by position."""
    return {
        position: name(role, label)
        for position, label in enumerate(table.header)
        if not is_total_label(label)
    }


def _read_base(path: Path, reference: Path, name: _Names, participants: str) -> _Base:
    """``participants``: the printed name of the count column (metrics.csv)."""
    layout = read_layout(reference / REPORT_TABLES_FILE)
    report = read_report(path, load_known_labels(reference / ALIASES_FILE), layout)

    (national,) = _sections(report, "tiltak_hovedgruppe")
    groups = _columns(national, "participant_group", name)
    measures: dict[tuple[str, str], dict[str, int]] = {}
    pending: list[tuple[str, dict[str, int]]] = []
    for index, printed in enumerate(national.rows[1:], start=1):
        label = printed.row.label.strip()
        counts = {group: _value(national, index, column) for column, group in groups.items()}
        if is_total_label(label):  # "I alt <measure group>" closes the measures above it
            group = name("measure_group", label[len(TOTAL_LABEL) :])
            measures.update(((group, measure), values) for measure, values in pending)
            pending = []
        else:
            pending.append((name("measure", label), counts))

    columns = {
        name("participant_group", t.sub_heading or ""): set(
            _columns(t, "measure_group", name).values()
        )
        for t in _sections(report, "fylke_tiltak_hovedgruppe")
    }
    areas = {}
    for t in _sections(report, "fylke_hovedgruppe"):
        (count,) = (
            i for i, metric in _columns(t, "metric", name).items() if metric == participants
        )
        areas[name("participant_group", t.sub_heading or "")] = {
            name("county", p.row.label): _value(t, i, count) for i, p in enumerate(t.rows) if i > 0
        }
    ages = {
        name("participant_group", t.sub_heading or ""): {
            band: _value(t, 0, column) for column, band in _columns(t, "age_band", name).items()
        }
        for t in _sections(report, "fylke_alder_hovedgruppe")
    }
    note = split_pages(path, read_report_lines(path))[0]
    note_text = "\n".join(text for _, text in note[3:])
    return _Base(report.month, measures, columns, areas, ages, note_text)


def _counties(reference: Path, base_month: str) -> tuple[_County, ...]:
    """Every county of counties.csv by number, with the base counties (those in force in
    ``base_month``, by number) that lie in it."""
    rows = sorted(read_rows(reference / COUNTIES_FILE), key=lambda row: int(row["county_code"]))
    day = first_day(base_month)
    base = [
        row
        for row in rows
        if row["valid_from"] <= day and (not row["valid_to"] or day <= row["valid_to"])
    ]
    return tuple(
        _County(
            code=row["county_code"],
            name=row["county_name"],
            valid_from=row["valid_from"],
            valid_to=row["valid_to"] or None,
            parts=tuple(
                i
                for i, part in enumerate(base)
                if row["county_code"]
                in (part["county_code"], part["region_code"], part["county_code_2024"])
            ),
        )
        for row in rows
    )


def _moves(reference: Path) -> tuple[Move, ...]:
    return tuple(
        Move(
            row["municipality_code"],
            row["moved_on"],
            row["from_county_code"],
            row["to_county_code"],
        )
        for row in sorted(read_rows(reference / MOVES_FILE), key=lambda row: row["moved_on"])
    )


def _first_months(
    reference: Path, measure_first_months: Mapping[str, str]
) -> dict[tuple[str, str], str]:
    """(measure group code, measure name) -> first month, from measure code -> month."""
    rows = {row["measure_code"]: row for row in read_rows(reference / "measures.csv")}
    unknown = sorted(set(measure_first_months) - set(rows))
    if unknown:
        raise ValueError(f"no measure {', '.join(unknown)} in measures.csv")
    return {
        (rows[code]["measure_group_code"], rows[code]["measure_name"]): parse_month(month)
        for code, month in measure_first_months.items()
    }


def load_catalogue(
    reference: Path = DEFAULT_REFERENCE,
    base_report: Path = DEFAULT_BASE_REPORT,
    measure_first_months: Mapping[str, str] | None = None,
) -> ReportCatalogue:
    """The catalogue of the reference seeds in ``reference`` and the base report.

    ``measure_first_months``: measure code -> the first month whose report prints the
    measure (a measure NAV introduced then); before it the measure has no participants
    and is not printed, nor is a measure group none of whose measures is printed yet.
    """
    aliases = read_rows(reference / ALIASES_FILE)
    name = _Names(aliases)
    metrics = {
        row["metric_code"]: row["metric_name"] for row in read_rows(reference / "metrics.csv")
    }
    base = _read_base(base_report, reference, name, metrics[METRIC_CODES[0]])

    all_counties = _counties(reference, base.month)
    base_day = first_day(base.month)
    non_county_areas = tuple(
        (row["area_code"], row["area_name"])
        for row in _by_sort_order(read_rows(reference / NON_COUNTY_AREAS_FILE))
    )
    counties = (
        *(county.name for county in all_counties if county.in_force(base_day)),
        *(area for _, area in non_county_areas),
    )
    groups = tuple(
        row["participant_group_name"]
        for row in _by_sort_order(read_rows(reference / "participant_groups.csv"))
    )
    age_bands = tuple(
        row["age_band_name"] for row in _by_sort_order(read_rows(reference / "age_bands.csv"))
    )
    measure_groups = _measure_groups(reference)
    misspellings: dict[tuple[str, str], tuple[str, ...]] = {}
    for row in aliases:
        if row["alias_reason"] == MISSPELLING:
            key = (row["label_role"], row["canonical_name"])
            misspellings[key] = (*misspellings.get(key, ()), row["printed_label"])

    # A measure group the base report does not print is printed for every participant group.
    printed_groups = set().union(*base.columns.values())
    group_columns = tuple(
        tuple(
            k
            for k, (mgroup, _) in enumerate(measure_groups)
            if mgroup in base.columns.get(group, set()) or mgroup not in printed_groups
        )
        for group in groups
    )
    group_totals = [sum(counts[group] for counts in base.measures.values()) for group in groups]

    def national(k: int, key: tuple[str, str]) -> tuple[float, ...]:
        if key in base.measures:
            return tuple(float(base.measures[key][group]) for group in groups)
        return tuple(
            NEW_SHARE * total if k in group_columns[g] else 0.0
            for g, total in enumerate(group_totals)
        )

    national_base = tuple(
        national(k, (mgroup, measure))
        for k, (mgroup, names) in enumerate(measure_groups)
        for measure in names
    )
    # An area missing from one group's table only (Øvrige områder) never has that group.
    printed_areas = set().union(*base.areas.values())

    def area(county: str) -> tuple[float, ...]:
        if county not in printed_areas:
            return tuple(NEW_SHARE * total for total in group_totals)
        counts = (base.areas.get(group, {}).get(county, 0) for group in groups)
        return tuple(max(float(count), MIN_AREA_BASE) if count else 0.0 for count in counts)

    county_base = tuple(area(county) for county in counties)
    age_base = tuple(tuple(base.ages[group][band] for band in age_bands) for group in groups)
    group_code = {
        row["measure_group_name"]: row["measure_group_code"]
        for row in read_rows(reference / "measure_groups.csv")
    }
    first_months = _first_months(reference, measure_first_months or {})
    return ReportCatalogue(
        counties=counties,
        groups=groups,
        age_bands=age_bands,
        measure_groups=measure_groups,
        metrics=tuple(metrics[code] for code in METRIC_CODES),
        table_names={
            row["table_code"]: row["table_name"]
            for row in read_rows(reference / REPORT_TABLES_FILE)
        },
        misspellings=misspellings,
        note_text=base.note_text,
        group_columns=group_columns,
        national_base=national_base,
        county_base=county_base,
        age_base=age_base,
        all_counties=all_counties,
        non_county_areas=non_county_areas,
        moves=_moves(reference),
        measure_first_months=tuple(
            first_months.get((group_code[mgroup], measure))
            for mgroup, names in measure_groups
            for measure in names
        ),
        reference=reference,
    )


@lru_cache(maxsize=1)
def default_catalogue() -> ReportCatalogue:
    """The project's own catalogue, read once per process."""
    return load_catalogue()
