"""Synthetic monthly reports in the published layout, for testing the extractor and warehouse.

    python -m navtiltak.generate --months 2013-11..2014-10 --out DIR [--seed N]

Every report is drawn from the finest grains the real report implies (see the brief, section 2):

- F1: county x participant group x detailed measure, a count;
- F2: county x participant group x age band, a count, summing to the same county x group
  margin as F1.

Both are functions of (seed, month) alone (``finest_grains``), so the same pair always gives the
same numbers. Every printed number is a sum of them; the change columns are computed from the
generator's own numbers for the month a year earlier, and the percent column as
round-half-away-from-zero of 100 x change / last year, blank when last year is 0.

The layout copies the November 2013 issue (``reports/deltakere-tiltak-fylke-2013-11.txt``) and
its quirks, varied by (seed, month) with a random stream separate from the numbers: where page
breaks fall, which zero rows are omitted, printed blank or (on the last county page) printed as
a bare label with blank lines around it, which zero measure groups lose their sub-total row,
which labels are printed misspelt, and whether a county table is split across two pages.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from navtiltak.generate_reference import (
    AGE_BANDS,
    AGE_BASE,
    COUNTIES,
    COUNTY_BASE,
    FILE_NAME,
    GROUP_COLUMNS,
    GROUPS,
    MEASURE_GROUPS,
    MEASURES,
    MISSPELLINGS,
    NATIONAL_BASE,
    NOTE_TEXT,
    OTHER_AREAS,
    OTHERS_GROUP,
    SEASON,
)
from navtiltak.layout import MONTHS_NB, NOTE_PAGE_NAME, REPORT_TITLE, TOTAL_LABEL

__all__ = [
    "AGE_BANDS",
    "COUNTIES",
    "GROUPS",
    "GROUP_COLUMNS",
    "MEASURES",
    "MEASURE_GROUPS",
    "MISSPELLINGS",
    "MonthData",
    "finest_grains",
    "format_number",
    "is_structural_zero",
    "main",
    "month_line",
    "parse_months",
    "percent_change",
    "render_report",
    "shift_month",
    "write_reports",
]

_BASE_MONTH = 2013 * 12 + 10  # November 2013 as a month index
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_PAGE_SEPARATOR = "\n\n\n\n"

METRIC_HEADER = ("Antall", "Endring fra i fjor Antall", "Endring fra i fjor Prosent")
AGE_HEADER = (TOTAL_LABEL, *AGE_BANDS)


# ---------------------------------------------------------------------------------------------
# Months


def parse_month(text: str) -> str:
    """Check a ``YYYY-MM`` month and return it."""
    match = _MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"expected a month as YYYY-MM, got {text!r}")
    return match.group(0)


def _month_index(month: str) -> int:
    year, number = parse_month(month).split("-")
    return int(year) * 12 + int(number) - 1


def _month_of_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift_month(month: str, months: int) -> str:
    """``shift_month('2014-03', -12) == '2013-03'``."""
    return _month_of_index(_month_index(month) + months)


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included."""
    start, end = _month_index(first), _month_index(last)
    if end < start:
        raise ValueError(f"month range {first}..{last} runs backwards")
    return [_month_of_index(index) for index in range(start, end + 1)]


def parse_months(text: str) -> list[str]:
    """``2013-11..2014-10``, ``2013-11,2014-11`` or a mix: the months, sorted, once each."""
    months: set[str] = set()
    for part in text.split(","):
        if ".." in part:
            first, last = part.split("..", 1)
            months.update(month_range(first, last))
        elif part.strip():
            months.add(parse_month(part))
    if not months:
        raise ValueError(f"no month in {text!r}")
    return sorted(months)


def month_line(month: str) -> str:
    """``2013-11`` -> ``November 2013``."""
    index = _month_index(month)
    return f"{MONTHS_NB[index % 12].capitalize()} {index // 12}"


# ---------------------------------------------------------------------------------------------
# Numbers: the finest grains


Grid = tuple[tuple[tuple[int, ...], ...], ...]


@dataclass(frozen=True)
class MonthData:
    """The finest grains of one month; every printed number is a sum of these.

    ``measures[county][group][measure]`` (F1) and ``ages[county][group][age_band]`` (F2) index
    COUNTIES, GROUPS, MEASURES and AGE_BANDS; for every county and group both sum to the same
    number of participants.
    """

    month: str
    seed: int
    measures: Grid
    ages: Grid


def is_structural_zero(county: int, group: int, measure: int) -> bool:
    """True for a cell that is zero in every month (the group never takes that measure)."""
    return NATIONAL_BASE[measure][group] == 0 or (county == OTHER_AREAS and group == OTHERS_GROUP)


def _rng(*parts: object) -> random.Random:
    # Seeding with a string is stable across processes and Python versions (SHA-512 based).
    return random.Random(":".join(["navtiltak.generate", *map(str, parts)]))


@dataclass(frozen=True)
class _Profile:
    """What a seed fixes for every month: sizes, mixes and trends."""

    scale: tuple[tuple[float, ...], ...]  # [county][group] participants in November 2013
    measure_share: tuple[tuple[tuple[float, ...], ...], ...]  # [county][group][measure]
    age_weight: tuple[tuple[tuple[float, ...], ...], ...]  # [county][group][age band]
    group_trend: tuple[float, ...]  # yearly log growth per group
    measure_trend: tuple[float, ...]  # yearly log growth per measure
    cycle_phase: float


@lru_cache(maxsize=64)
def _profile(seed: int) -> _Profile:
    rng = _rng("profile", seed)
    scale = tuple(
        tuple(base * rng.lognormvariate(0.0, 0.08) for base in county) for county in COUNTY_BASE
    )
    shares = []
    for county in range(len(COUNTIES)):
        per_group = []
        for group in range(len(GROUPS)):
            weights = [
                0.0
                if is_structural_zero(county, group, measure)
                else base[group] * rng.lognormvariate(0.0, 0.4)
                for measure, base in enumerate(NATIONAL_BASE)
            ]
            total = sum(weights) or 1.0
            per_group.append(tuple(weight / total for weight in weights))
        shares.append(tuple(per_group))
    age_weight = tuple(
        tuple(
            tuple(base * rng.lognormvariate(0.0, 0.15) for base in AGE_BASE[group])
            for group in range(len(GROUPS))
        )
        for _ in COUNTIES
    )
    return _Profile(
        scale=scale,
        measure_share=tuple(shares),
        age_weight=age_weight,
        group_trend=tuple(rng.uniform(-0.06, 0.05) for _ in GROUPS),
        measure_trend=tuple(rng.uniform(-0.08, 0.08) for _ in MEASURES),
        cycle_phase=rng.uniform(0.0, 2 * math.pi),
    )


def _draw_count(rng: random.Random, expected: float) -> int:
    """A Poisson-like count around ``expected`` (over-dispersed when large)."""
    if expected <= 0.0:
        return 0
    if expected < 30.0:
        limit = math.exp(-expected)
        count, product = 0, rng.random()
        while product > limit:
            count += 1
            product *= rng.random()
        return count
    return max(0, round(rng.gauss(expected, 1.5 * math.sqrt(expected))))


def _split(rng: random.Random, total: int, weights: Sequence[float]) -> tuple[int, ...]:
    """Split ``total`` over ``weights``: unit by unit when small, largest remainder when large."""
    counts = [0] * len(weights)
    if total <= 0:
        return tuple(counts)
    if total <= 40:
        for index in rng.choices(range(len(weights)), weights=weights, k=total):
            counts[index] += 1
        return tuple(counts)
    noisy = [weight * rng.lognormvariate(0.0, 0.05) for weight in weights]
    whole = sum(noisy)
    quotas = [total * weight / whole for weight in noisy]
    counts = [math.floor(quota) for quota in quotas]
    by_remainder = sorted(range(len(quotas)), key=lambda i: (counts[i] - quotas[i], i))
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return tuple(counts)


@lru_cache(maxsize=512)
def finest_grains(month: str, seed: int = 0) -> MonthData:
    """The F1 and F2 counts of one month, a function of (seed, month) only."""
    month = parse_month(month)
    profile = _profile(seed)
    index = _month_index(month)
    years = (index - _BASE_MONTH) / 12.0
    cycle = 0.05 * math.sin(2 * math.pi * years / 5.0 + profile.cycle_phase)
    season = SEASON[index % 12]
    measure_level = [math.exp(trend * years) for trend in profile.measure_trend]
    rng = _rng("month", seed, month)
    measures: list[tuple[tuple[int, ...], ...]] = []
    ages: list[tuple[tuple[int, ...], ...]] = []
    for county in range(len(COUNTIES)):
        county_measures: list[tuple[int, ...]] = []
        county_ages: list[tuple[int, ...]] = []
        for group in range(len(GROUPS)):
            level = (
                profile.scale[county][group]
                * season
                * math.exp(profile.group_trend[group] * years + cycle)
                * rng.lognormvariate(0.0, 0.03)
            )
            shares = profile.measure_share[county][group]
            counts = tuple(
                _draw_count(rng, level * share * measure_level[measure]) if share else 0
                for measure, share in enumerate(shares)
            )
            county_measures.append(counts)
            county_ages.append(_split(rng, sum(counts), profile.age_weight[county][group]))
        measures.append(tuple(county_measures))
        ages.append(tuple(county_ages))
    return MonthData(month, seed, tuple(measures), tuple(ages))


# ---------------------------------------------------------------------------------------------
# Printing numbers


def format_number(value: int) -> str:
    """``75769`` -> ``75 769``; ``-2888`` -> ``-2 888``."""
    grouped = f"{abs(value):,}".replace(",", " ")
    return f"-{grouped}" if value < 0 else grouped


def percent_change(change: int, last_year: int) -> int | None:
    """Round half away from zero of 100 x change / last year; None when last year is 0."""
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
# Margins of one month


@dataclass(frozen=True)
class _Margins:
    county_group: tuple[tuple[int, ...], ...]  # [county][group]
    county: tuple[int, ...]
    group: tuple[int, ...]
    total: int
    county_age: tuple[tuple[int, ...], ...]  # [county][age band], all groups
    national_age: tuple[int, ...]
    group_age: tuple[tuple[int, ...], ...]  # [group][age band], all counties
    county_group_mgroup: tuple[tuple[tuple[int, ...], ...], ...]  # [county][group][measure group]


def _margins(data: MonthData) -> _Margins:
    n_groups, n_ages, n_mgroups = len(GROUPS), len(AGE_BANDS), len(MEASURE_GROUPS)
    county_group = tuple(tuple(sum(cells) for cells in county) for county in data.measures)
    county_age = tuple(
        tuple(sum(county[g][a] for g in range(n_groups)) for a in range(n_ages))
        for county in data.ages
    )
    group_age = tuple(
        tuple(sum(county[g][a] for county in data.ages) for a in range(n_ages))
        for g in range(n_groups)
    )
    mgroups = []
    for county in data.measures:
        per_group = []
        for cells in county:
            sums = [0] * n_mgroups
            for (mgroup, _), value in zip(MEASURES, cells, strict=True):
                sums[mgroup] += value
            per_group.append(tuple(sums))
        mgroups.append(tuple(per_group))
    return _Margins(
        county_group=county_group,
        county=tuple(sum(row) for row in county_group),
        group=tuple(sum(row[g] for row in county_group) for g in range(n_groups)),
        total=sum(sum(row) for row in county_group),
        county_age=county_age,
        national_age=tuple(sum(row[a] for row in county_age) for a in range(n_ages)),
        group_age=group_age,
        county_group_mgroup=tuple(mgroups),
    )


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

    def __init__(self, month: str, seed: int) -> None:
        self.month = parse_month(month)
        self.now = finest_grains(self.month, seed)
        self.cur = _margins(self.now)
        self.prev = _margins(finest_grains(shift_month(self.month, -12), seed))
        self.rng = _rng("layout", seed, self.month)
        self.style = _Style.draw(self.rng)

    # -- labels and rows --------------------------------------------------------------------

    def _printed(self, name: str, chance: float) -> str:
        """The name, or with probability ``chance`` one of its known misspellings."""
        variants = MISSPELLINGS.get(name)
        if variants and self.rng.random() < chance:
            return self.rng.choice(variants)
        return name

    def _county_lines(
        self, cells_of: Callable[[int], tuple[str, ...]], zero: Callable[[int], bool], group: int
    ) -> tuple[_Line, ...]:
        """County rows; an all-zero row is left out or printed blank, a structural one left out."""
        lines = []
        for county, name in enumerate(COUNTIES):
            if county == OTHER_AREAS and group == OTHERS_GROUP:
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
        for mgroup, (group_name, names) in enumerate(MEASURE_GROUPS):
            members = [m for m, (g, _) in enumerate(MEASURES) if g == mgroup]
            sums = [sum(values[m][col] for m in members) for col in range(width)]
            group_zero = not any(sums)
            if group_zero and self.rng.random() < omit_zero_group:
                continue
            group_lines: list[_Line] = []
            for measure, name in zip(members, names, strict=True):
                row = values[measure]
                zero = not any(row)
                if zero and self.rng.random() < omit_zero_row:
                    continue
                label = self._printed(name, self.style.misspell_row)
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
            *(self._measure_group_table(g) for g in range(len(GROUPS))),
            self._national_measure_table(),
            *self._county_measure_tables(),
        ]

    def _metric_tables(self) -> list[_Table]:
        """ "Hovedgrupper", "Fylke" and "Fylke og hovedgruppe": count, change and percent."""
        cur, prev = self.cur, self.prev
        total = _Line(TOTAL_LABEL, _metric_cells(cur.total, prev.total))
        groups = tuple(
            _Line(name, _metric_cells(cur.group[g], prev.group[g])) for g, name in enumerate(GROUPS)
        )
        tables = [
            _Table("Hovedgrupper", None, METRIC_HEADER, total, groups),
            _Table(
                "Fylke",
                None,
                METRIC_HEADER,
                total,
                self._county_lines(
                    lambda c: _metric_cells(cur.county[c], prev.county[c]),
                    lambda c: cur.county[c] == prev.county[c] == 0,
                    -1,
                ),
            ),
        ]
        for g, name in enumerate(GROUPS):
            now = [row[g] for row in cur.county_group]
            then = [row[g] for row in prev.county_group]
            tables.append(
                _Table(
                    "Fylke og hovedgruppe",
                    name,
                    METRIC_HEADER,
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
        cur, ages = self.cur, self.now.ages
        tables = [
            _Table(
                "Fylke og alder",
                None,
                AGE_HEADER,
                _Line(TOTAL_LABEL, _count_cells((cur.total, *cur.national_age))),
                self._county_lines(
                    lambda c: _count_cells((cur.county[c], *cur.county_age[c])),
                    lambda c: cur.county[c] == 0,
                    -1,
                ),
            )
        ]
        for g, name in enumerate(GROUPS):
            tables.append(
                _Table(
                    "Fylke, alder og hovedgrupper",
                    name,
                    AGE_HEADER,
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
        cur = self.cur
        columns = tuple(range(len(MEASURE_GROUPS))) if group is None else GROUP_COLUMNS[group]
        groups = range(len(GROUPS)) if group is None else (group,)
        per_county = [
            [sum(cur.county_group_mgroup[c][g][k] for g in groups) for k in columns]
            for c in range(len(COUNTIES))
        ]
        county_total = [sum(cur.county_group[c][g] for g in groups) for c in range(len(COUNTIES))]
        if any(sum(row) != county_total[c] for c, row in enumerate(per_county)):
            raise RuntimeError(f"the columns {columns} miss participants of group {group}")
        total = [sum(row[i] for row in per_county) for i in range(len(columns))]
        header = (
            TOTAL_LABEL,
            *(self._printed(MEASURE_GROUPS[k][0], self.style.misspell_header) for k in columns),
        )
        return _Table(
            "Fylke og tiltak" if group is None else "Fylke, tiltak og hovedgrupper",
            None if group is None else GROUPS[group],
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
        cur, measures = self.cur, self.now.measures
        values = []
        for m in range(len(MEASURES)):
            per_group = [sum(county[g][m] for county in measures) for g in range(len(GROUPS))]
            values.append((sum(per_group), *per_group))
        return _Table(
            "Tiltak og hovedgrupper",
            None,
            (TOTAL_LABEL, *GROUPS),
            _Line(TOTAL_LABEL, _count_cells((cur.total, *cur.group))),
            self._measure_lines(values, self.style.omit_zero_row, self.style.omit_zero_group),
            measure_rows=True,
        )

    def _county_measure_tables(self) -> list[_Table]:
        """ "Tiltak, hovedgrupper og fylke": one section per area with participants."""
        cur, measures = self.cur, self.now.measures
        tables = []
        for c, county in enumerate(COUNTIES):
            if not cur.county[c]:
                continue  # "Fylke" prints it blank: no section is promised
            groups = [g for g in range(len(GROUPS)) if not (c == OTHER_AREAS and g == OTHERS_GROUP)]
            values = [
                (sum(measures[c][g][m] for g in groups), *(measures[c][g][m] for g in groups))
                for m in range(len(MEASURES))
            ]
            # "Øvrige områder" prints its few non-zero rows only, as in November 2013.
            other = c == OTHER_AREAS
            omit_row = 1.0 if other else self.style.omit_zero_row
            omit_group = 1.0 if other else self.style.omit_zero_group
            total = (cur.county[c], *(cur.county_group[c][g] for g in groups))
            tables.append(
                _Table(
                    "Tiltak, hovedgrupper og fylke",
                    county,
                    (TOTAL_LABEL, *(GROUPS[g] for g in groups)),
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
        pages = ["\n".join([REPORT_TITLE, "", NOTE_PAGE_NAME, "", month, "", NOTE_TEXT])]
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
# Public API and command line


def render_report(month: str, seed: int = 0) -> str:
    """The report text of one month, with no trailing newline."""
    return _PAGE_SEPARATOR + _PAGE_SEPARATOR.join(_Builder(month, seed).pages())


def report_path(out_dir: Path, month: str) -> Path:
    return out_dir / FILE_NAME.format(month=parse_month(month))


def write_reports(months: Iterable[str], out_dir: Path, seed: int = 0) -> list[Path]:
    """Write one report per month into ``out_dir``; return the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for month in months:
        path = report_path(out_dir, month)
        path.write_bytes(render_report(month, seed).encode("utf-8"))
        paths.append(path)
    return paths


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m navtiltak.generate",
        description="Write synthetic, internally consistent NAV 'Deltakere i arbeidsrettede "
        "tiltak' reports in the published text layout.",
    )
    parser.add_argument(
        "--months",
        required=True,
        help="months as YYYY-MM: a range 2013-11..2014-10, a list 2013-11,2014-11, or both",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write the reports to")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        months = parse_months(args.months)
    except ValueError as exc:
        parser.error(str(exc))
    paths = write_reports(months, args.out, args.seed)
    print(
        f"wrote {len(paths)} report(s) ({months[0]}..{months[-1]}, seed {args.seed}) to {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
