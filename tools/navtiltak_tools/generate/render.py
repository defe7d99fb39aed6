"""A month's report text in the published layout, from its grains and the catalogue.

Every printed number is a sum of the finest grains (``grains``), in the areas of the
month's county division; the change columns come from the generator's own numbers for the
month a year earlier (or from that month's report, when one is already in the folder
written to), restated in this month's counties (``grains.last_year``), and the
percent column is round-half-away-from-zero of 100 x change / last year, blank when last
year is 0. A measure is printed from its first month (``ReportCatalogue.measures_in_force``).

The layout copies the November 2013 issue (``reports/deltakere-tiltak-fylke-2013-11.txt``)
and its quirks, varied by (seed, month) with a random stream separate from the numbers:
where page breaks fall, which zero rows are omitted, printed blank or (on the last county
page) printed as a bare label with blank lines around it, which zero measure groups lose
their sub-total row, which labels are printed misspelt, and whether a county table is
split across two pages.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from navtiltak.extract.layout import NOTE_PAGE_NAME, REPORT_TITLE, TOTAL_LABEL
from navtiltak_tools.generate.catalogue import ReportCatalogue, default_catalogue
from navtiltak_tools.generate.earlier import PrintedMonth, read_printed_month, reports_by_month
from navtiltak_tools.generate.grains import finest_grains, last_year, margins, rng_for
from navtiltak_tools.generate.months import month_line, parse_month, shift_month

FILE_NAME = "deltakere-tiltak-fylke-{month}.txt"
_PAGE_SEPARATOR = "\n\n\n\n"

# ---------------------------------------------------------------------------------------------
# Printing numbers


def format_number(value: int) -> str:
    """``75769`` -> ``75 769``; ``-2888`` -> ``-2 888``."""
    grouped = f"{abs(value):,}".replace(",", " ")
    return f"-{grouped}" if value < 0 else grouped


def percent_change(change: int, last_year: int) -> int | None:
    """Round half away from zero of 100 x change / last year; None when last year is 0.

    Written here again on purpose, apart from the product's ``navtiltak.percent`` and the
    dbt macro ``percent_change``: the generated reports are the oracle the tests check
    those against, so a mistake there must not be copied into the reports."""
    if last_year == 0:
        return None
    magnitude = (200 * abs(change) + last_year) // (2 * last_year)
    return magnitude if change >= 0 else -magnitude


def _count_cell(value: int) -> str:
    return "" if value == 0 else format_number(value)


def _metric_cells(now: int, last_year: int) -> tuple[str, ...]:
    change = now - last_year
    percent = percent_change(change, last_year)
    return (
        _count_cell(now),
        format_number(change),
        "" if percent is None else format_number(percent),
    )


def _count_cells(values: Iterable[int]) -> tuple[str, ...]:
    return tuple(map(_count_cell, values))


def _total_label(name: str) -> str:
    return f"{TOTAL_LABEL} {name.lower()}"


# ---------------------------------------------------------------------------------------------
# Layout


@dataclass(frozen=True)
class _Style:
    """The layout choices of one month, drawn from (seed, month)."""

    page_min: int  # data rows per page of a measure table, the repeated total row included
    page_max: int
    split_county_table: float  # chance, per page, that a county table breaks onto one more page
    omit_zero_county: float  # chance that an all-zero county row is left out
    omit_zero_row: float  # chance that an all-zero measure row is left out
    omit_zero_group: float  # chance that an all-zero measure group is left out, sub-total too
    misspell_row: float  # chance that a measure row with a known misspelling prints it
    misspell_header: float  # the same for a measure-group column header
    bare_last_page: bool  # zero rows on the last county page print as bare labels

    @classmethod
    def draw(cls, rng: random.Random) -> _Style:
        page_min = rng.randint(16, 19)
        return cls(
            page_min=page_min,
            page_max=page_min + rng.randint(0, 3),
            split_county_table=rng.choice((0.0, 0.0, 0.0, 0.1)),
            omit_zero_county=rng.uniform(0.2, 1.0),
            omit_zero_row=rng.uniform(0.55, 0.95),
            omit_zero_group=rng.uniform(0.4, 0.9),
            misspell_row=rng.uniform(0.05, 0.6),
            misspell_header=rng.uniform(0.2, 0.9),
            bare_last_page=rng.random() < 0.75,
        )


@dataclass(frozen=True)
class _Line:
    label: str
    cells: tuple[str, ...]
    is_zero: bool = False  # every cell blank: on a bare-label page it prints as the label alone
    starts_group: bool = False  # first printed row of a measure group

    def render(self, bare: bool) -> str:
        if bare and self.is_zero:
            return self.label
        return "\t".join((self.label, *self.cells))


@dataclass(frozen=True)
class _Table:
    name: str
    sub_heading: str | None
    header: tuple[str, ...]
    total: _Line
    body: tuple[_Line, ...]
    measure_rows: bool = False  # a long table of measures: always paginated


class _Builder:
    """Builds the pages of one report."""

    def __init__(
        self, month: str, seed: int, cat: ReportCatalogue, earlier_report: PrintedMonth | None
    ) -> None:
        self.cat = cat
        self.month = parse_month(month)
        self.areas = cat.division(self.month)
        self.now = finest_grains(self.month, seed, cat)
        self.cur = margins(self.now, cat)
        self.prev = last_year(self.month, seed, cat, earlier_report)
        self.printed_measures = cat.measures_in_force(self.month)
        self.printed_groups = {
            group
            for (group, _), printed in zip(cat.measures, self.printed_measures, strict=True)
            if printed
        }
        self.rng = rng_for("layout", seed, self.month)
        self.style = _Style.draw(self.rng)

    # -- labels and rows --------------------------------------------------------------------

    def _printed(self, role: str, name: str, chance: float) -> str:
        """The name, or with probability ``chance`` one of its known misspellings."""
        variants = self.cat.misspelt(role, name)
        if variants and self.rng.random() < chance:
            return self.rng.choice(variants)
        return name

    def _county_lines(
        self, cells_of: Callable[[int], tuple[str, ...]], zero: Callable[[int], bool], group: int
    ) -> tuple[_Line, ...]:
        """County rows; an all-zero row is left out or printed blank, a structural one left out."""
        lines = []
        for county, name in enumerate(self.areas.counties):
            if self.areas.absent(county, group):
                continue
            is_zero = zero(county)
            if is_zero and self.rng.random() < self.style.omit_zero_county:
                continue
            lines.append(_Line(name, cells_of(county), is_zero=is_zero))
        return tuple(lines)

    def _measure_lines(
        self, values: Sequence[Sequence[int]], omit_zero_row: float, omit_zero_group: float
    ) -> tuple[_Line, ...]:
        """Measure rows, each group closed by its sub-total; ``values[measure]`` holds the
        row's numbers (I alt, then one per column)."""
        lines: list[_Line] = []
        width = len(values[0])
        for mgroup, (group_name, names) in enumerate(self.cat.measure_groups):
            if mgroup not in self.printed_groups:
                continue
            members = [m for m, (g, _) in enumerate(self.cat.measures) if g == mgroup]
            sums = [sum(values[m][col] for m in members) for col in range(width)]
            group_zero = not any(sums)
            if group_zero and self.rng.random() < omit_zero_group:
                continue
            group_lines: list[_Line] = []
            for measure, name in zip(members, names, strict=True):
                if not self.printed_measures[measure]:
                    continue
                row = values[measure]
                zero = not any(row)
                if zero and self.rng.random() < omit_zero_row:
                    continue
                label = self._printed("measure", name, self.style.misspell_row)
                group_lines.append(_Line(label, _count_cells(row), is_zero=zero))
            group_lines.append(_Line(_total_label(group_name), _count_cells(sums), group_zero))
            first = group_lines[0]
            group_lines[0] = _Line(first.label, first.cells, first.is_zero, starts_group=True)
            lines.extend(group_lines)
        return tuple(lines)

    # -- the tables, in printed order -------------------------------------------------------

    def tables(self) -> list[_Table]:
        return [
            *self._metric_tables(),
            *self._age_tables(),
            self._measure_group_table(None),
            *(self._measure_group_table(g) for g in range(len(self.cat.groups))),
            self._national_measure_table(),
            *self._county_measure_tables(),
        ]

    def _metric_tables(self) -> list[_Table]:
        """ "Hovedgrupper", "Fylke" and "Fylke og hovedgruppe": count, change and percent."""
        cur, prev, cat = self.cur, self.prev, self.cat
        total = _Line(TOTAL_LABEL, _metric_cells(cur.total, prev.total))
        groups = tuple(
            _Line(name, _metric_cells(cur.group[g], prev.group[g]))
            for g, name in enumerate(cat.groups)
        )
        tables = [
            _Table(cat.table_names["hovedgrupper"], None, cat.metrics, total, groups),
            _Table(
                cat.table_names["fylke"],
                None,
                cat.metrics,
                total,
                self._county_lines(
                    lambda c: _metric_cells(cur.county[c], prev.county[c]),
                    lambda c: cur.county[c] == prev.county[c] == 0,
                    -1,
                ),
            ),
        ]
        for g, name in enumerate(cat.groups):
            now = [row[g] for row in cur.county_group]
            then = [row[g] for row in prev.county_group]
            tables.append(
                _Table(
                    cat.table_names["fylke_hovedgruppe"],
                    name,
                    cat.metrics,
                    _Line(_total_label(name), _metric_cells(cur.group[g], prev.group[g])),
                    self._county_lines(
                        lambda c, now=now, then=then: _metric_cells(now[c], then[c]),
                        lambda c, now=now, then=then: now[c] == then[c] == 0,
                        g,
                    ),
                )
            )
        return tables

    def _age_tables(self) -> list[_Table]:
        """ "Fylke og alder" and "Fylke, alder og hovedgrupper"."""
        cur, ages, cat = self.cur, self.now.ages, self.cat
        header = (TOTAL_LABEL, *cat.age_bands)
        tables = [
            _Table(
                cat.table_names["fylke_alder"],
                None,
                header,
                _Line(TOTAL_LABEL, _count_cells((cur.total, *cur.national_age))),
                self._county_lines(
                    lambda c: _count_cells((cur.county[c], *cur.county_age[c])),
                    lambda c: cur.county[c] == 0,
                    -1,
                ),
            )
        ]
        for g, name in enumerate(cat.groups):
            tables.append(
                _Table(
                    cat.table_names["fylke_alder_hovedgruppe"],
                    name,
                    header,
                    _Line(_total_label(name), _count_cells((cur.group[g], *cur.group_age[g]))),
                    self._county_lines(
                        lambda c, g=g: _count_cells((cur.county_group[c][g], *ages[c][g])),
                        lambda c, g=g: cur.county_group[c][g] == 0,
                        g,
                    ),
                )
            )
        return tables

    def _measure_group_table(self, group: int | None) -> _Table:
        """ "Fylke og tiltak" (group None) or one group's "Fylke, tiltak og hovedgrupper"."""
        cur, cat = self.cur, self.cat
        columns = tuple(
            k
            for k in (range(len(cat.measure_groups)) if group is None else cat.group_columns[group])
            if k in self.printed_groups
        )
        groups = range(len(cat.groups)) if group is None else (group,)
        areas = range(len(self.areas.counties))
        per_county = [
            [sum(cur.county_group_mgroup[c][g][k] for g in groups) for k in columns] for c in areas
        ]
        county_total = [sum(cur.county_group[c][g] for g in groups) for c in areas]
        if any(sum(row) != county_total[c] for c, row in enumerate(per_county)):
            raise RuntimeError(f"the columns {columns} miss participants of group {group}")
        total = [sum(row[i] for row in per_county) for i in range(len(columns))]
        header = (
            TOTAL_LABEL,
            *(
                self._printed("measure_group", cat.measure_groups[k][0], self.style.misspell_header)
                for k in columns
            ),
        )
        return _Table(
            cat.table_names["fylke_tiltak" if group is None else "fylke_tiltak_hovedgruppe"],
            None if group is None else cat.groups[group],
            header,
            _Line(TOTAL_LABEL, _count_cells((sum(county_total), *total))),
            self._county_lines(
                lambda c: _count_cells((county_total[c], *per_county[c])),
                lambda c: county_total[c] == 0,
                -1 if group is None else group,
            ),
        )

    def _national_measure_table(self) -> _Table:
        """ "Tiltak og hovedgrupper": measures x (I alt, the three groups)."""
        cur, measures, cat = self.cur, self.now.measures, self.cat
        values = []
        for m in range(len(cat.measures)):
            per_group = [sum(county[g][m] for county in measures) for g in range(len(cat.groups))]
            values.append((sum(per_group), *per_group))
        return _Table(
            cat.table_names["tiltak_hovedgruppe"],
            None,
            (TOTAL_LABEL, *cat.groups),
            _Line(TOTAL_LABEL, _count_cells((cur.total, *cur.group))),
            self._measure_lines(values, self.style.omit_zero_row, self.style.omit_zero_group),
            measure_rows=True,
        )

    def _county_measure_tables(self) -> list[_Table]:
        """ "Tiltak, hovedgrupper og fylke": one section per area with participants."""
        cur, measures, cat = self.cur, self.now.measures, self.cat
        tables = []
        for c, county in enumerate(self.areas.counties):
            if not cur.county[c]:
                continue  # "Fylke" prints it blank: no section is promised
            groups = [g for g in range(len(cat.groups)) if not self.areas.absent(c, g)]
            values = [
                (sum(measures[c][g][m] for g in groups), *(measures[c][g][m] for g in groups))
                for m in range(len(cat.measures))
            ]
            # An area without some participant group (Øvrige områder) prints its few non-zero
            # rows only, as in November 2013.
            sparse = len(groups) < len(cat.groups)
            omit_row = 1.0 if sparse else self.style.omit_zero_row
            omit_group = 1.0 if sparse else self.style.omit_zero_group
            total = (cur.county[c], *(cur.county_group[c][g] for g in groups))
            tables.append(
                _Table(
                    cat.table_names["tiltak_hovedgruppe_fylke"],
                    county,
                    (TOTAL_LABEL, *(cat.groups[g] for g in groups)),
                    _Line(f"{TOTAL_LABEL} {county}", _count_cells(total)),
                    self._measure_lines(values, omit_row, omit_group),
                    measure_rows=True,
                )
            )
        return tables

    # -- pages ------------------------------------------------------------------------------

    def _page_size(self, table: _Table) -> int | None:
        """Body rows on the next page (the repeated total row not counted); None: all."""
        if table.measure_rows:
            return self.rng.randint(self.style.page_min, self.style.page_max) - 1
        if len(table.body) > 6 and self.rng.random() < self.style.split_county_table:
            return self.rng.randint(4, len(table.body) - 2)
        return None

    def _chunks(self, table: _Table) -> list[list[_Line]]:
        """The table's body rows split into pages (at least one page, possibly empty)."""
        body = list(table.body)
        chunks: list[list[_Line]] = []
        while True:
            size = self._page_size(table) or len(body)
            chunks.append(body[:size])
            body = body[size:]
            if not body:
                return chunks

    def _page(self, table: _Table, rows: list[str]) -> str:
        head = [REPORT_TITLE, "", table.name, "", month_line(self.month), ""]
        if table.sub_heading is not None:
            head += [table.sub_heading, ""]
        header = "\t" + "\t".join(table.header)
        return "\n".join([*head, header, table.total.render(bare=False), *rows])

    @staticmethod
    def _bare_rows(lines: Sequence[_Line]) -> list[str]:
        """Zero rows as bare labels, a blank line before each group and after each bare label."""
        rows: list[str] = []
        for line in lines:
            if line.starts_group and (not rows or rows[-1]):
                rows.append("")
            rows.append(line.render(bare=True))
            if line.is_zero:
                rows.append("")
        while rows and not rows[-1]:
            rows.pop()
        return rows

    def pages(self) -> list[str]:
        """The note page, then every table's pages."""
        month = month_line(self.month)
        pages = ["\n".join([REPORT_TITLE, "", NOTE_PAGE_NAME, "", month, "", self.cat.note_text])]
        tables = self.tables()
        for index, table in enumerate(tables):
            chunks = self._chunks(table)
            for number, chunk in enumerate(chunks, start=1):
                # The last page of the last county may print its zero rows as bare labels.
                bare = self.style.bare_last_page and index == len(tables) - 1
                if bare and number == len(chunks):
                    rows = self._bare_rows(chunk)
                else:
                    rows = [line.render(bare=False) for line in chunk]
                pages.append(self._page(table, rows))
        return pages


# ---------------------------------------------------------------------------------------------
# Reports and their files


def render_report(
    month: str,
    seed: int = 0,
    catalogue: ReportCatalogue | None = None,
    earlier_report: PrintedMonth | None = None,
) -> str:
    """The report text of one month, with no trailing newline; last year's figures from
    ``earlier_report`` when given (``grains.last_year``)."""
    builder = _Builder(month, seed, catalogue or default_catalogue(), earlier_report)
    return _PAGE_SEPARATOR + _PAGE_SEPARATOR.join(builder.pages())


def report_file_name(month: str) -> str:
    """``2013-11`` -> ``deltakere-tiltak-fylke-2013-11.txt``, as NAV names the report."""
    return FILE_NAME.format(month=parse_month(month))


def report_path(out_dir: Path, month: str) -> Path:
    return out_dir / report_file_name(month)


def write_reports(
    months: Iterable[str],
    out_dir: Path,
    seed: int = 0,
    catalogue: ReportCatalogue | None = None,
    log: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write one report per month into ``out_dir``; return the paths written.

    A month whose report of a year earlier is already in ``out_dir`` (and not written
    by this call) takes last year's figures from it, so that the two agree as NAV's
    reports do; ``log`` is told which."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cat = catalogue or default_catalogue()
    months = sorted({parse_month(month) for month in months})
    present = reports_by_month(out_dir, cat.reference)
    paths = []
    for month in months:
        earlier = shift_month(month, -12)
        earlier_report = None
        if earlier not in months and earlier in present:
            earlier_report = read_printed_month(present[earlier], cat)
            if log is not None:
                log(f"{month}: last year's figures read from {present[earlier]}")
        path = report_path(out_dir, month)
        path.write_bytes(render_report(month, seed, cat, earlier_report).encode("utf-8"))
        paths.append(path)
    return paths
