"""The numbers of a month: its finest grains, drawn from the catalogue's base and a seed.

- F1: county x participant group x detailed measure, a count;
- F2: county x participant group x age band, a count, summing to the same county x group
  margin as F1.

Both are drawn for the catalogue's base areas and summed into the areas the month prints
(its county division), functions of (catalogue, seed, month) alone (``finest_grains``), so
the same triple always gives the same numbers; ``margins`` sums them the ways the report
prints them. ``last_year`` gives the participants a year earlier as the month's report
prints them: the earlier month's numbers in this month's counties (read from the earlier
month's report where one is given).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from navtiltak_tools.generate.catalogue import Division, ReportCatalogue, default_catalogue
from navtiltak_tools.generate.earlier import PrintedMonth
from navtiltak_tools.generate.months import month_index, parse_month, shift_month

_BASE_MONTH = month_index("2013-11")  # the base report's month: trends start here

# Participants relative to November, by calendar month (fewer in summer and at Christmas).
SEASON = (0.97, 1.0, 1.02, 1.01, 0.99, 0.93, 0.84, 0.9, 1.0, 1.01, 1.0, 0.94)

# A municipality that crossed a county border holds this share (drawn per move and
# month) of its old county's participants, at least one per participant group.
MOVER_SHARE = (0.005, 0.04)

Grid = tuple[tuple[tuple[int, ...], ...], ...]


@dataclass(frozen=True)
class MonthData:
    """The finest grains of one month; every printed number is a sum of these.

    ``measures[county][group][measure]`` (F1) and ``ages[county][group][age_band]`` (F2) index
    the areas the month prints (``counties``: its county division, ``ReportCatalogue.division``)
    and the catalogue's groups, measures and age bands; for every county and group both sum
    to the same number of participants.
    """

    month: str
    seed: int
    measures: Grid
    ages: Grid
    counties: tuple[str, ...]


def rng_for(*parts: object) -> random.Random:
    # Seeding with a string is stable across processes and Python versions (SHA-512 based).
    # The stream keeps the name of the generator's first module, so a seed still draws the
    # reports it drew there.
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
def _profile(seed: int, cat: ReportCatalogue) -> _Profile:
    rng = rng_for("profile", seed)
    scale = tuple(
        tuple(base * rng.lognormvariate(0.0, 0.08) for base in county) for county in cat.county_base
    )
    shares = []
    for county in range(len(cat.counties)):
        per_group = []
        for group in range(len(cat.groups)):
            weights = [
                0.0
                if cat.is_structural_zero(county, group, measure)
                else base[group] * rng.lognormvariate(0.0, 0.4)
                for measure, base in enumerate(cat.national_base)
            ]
            total = sum(weights) or 1.0
            per_group.append(tuple(weight / total for weight in weights))
        shares.append(tuple(per_group))
    age_weight = tuple(
        tuple(
            tuple(base * rng.lognormvariate(0.0, 0.15) for base in cat.age_base[group])
            for group in range(len(cat.groups))
        )
        for _ in cat.counties
    )
    return _Profile(
        scale=scale,
        measure_share=tuple(shares),
        age_weight=age_weight,
        group_trend=tuple(rng.uniform(-0.06, 0.05) for _ in cat.groups),
        measure_trend=tuple(rng.uniform(-0.08, 0.08) for _ in cat.measures),
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


def finest_grains(month: str, seed: int = 0, catalogue: ReportCatalogue | None = None) -> MonthData:
    """The F1 and F2 counts of one month, a function of (catalogue, seed, month) only."""
    return _finest_grains(parse_month(month), seed, catalogue or default_catalogue())


@lru_cache(maxsize=512)
def _finest_grains(month: str, seed: int, cat: ReportCatalogue) -> MonthData:
    measures, ages = _drawn(month, seed, cat)
    division = cat.division(month)
    return MonthData(
        month,
        seed,
        _summed(measures, division.parts),
        _summed(ages, division.parts),
        division.counties,
    )


def _summed(grid: Grid, parts: Sequence[Sequence[int]]) -> Grid:
    """A base-area grid summed into areas made of ``parts``."""
    return tuple(
        grid[members[0]]
        if len(members) == 1
        else tuple(
            tuple(map(sum, zip(*cells, strict=True)))
            for cells in zip(*(grid[p] for p in members), strict=True)
        )
        for members in parts
    )


@lru_cache(maxsize=512)
def _drawn(month: str, seed: int, cat: ReportCatalogue) -> tuple[Grid, Grid]:
    """F1 and F2 of the catalogue's base areas."""
    profile = _profile(seed, cat)
    index = month_index(month)
    years = (index - _BASE_MONTH) / 12.0
    cycle = 0.05 * math.sin(2 * math.pi * years / 5.0 + profile.cycle_phase)
    season = SEASON[index % 12]
    measure_level = [math.exp(trend * years) for trend in profile.measure_trend]
    in_force = cat.measures_in_force(month)
    rng = rng_for("month", seed, month)
    measures: list[tuple[tuple[int, ...], ...]] = []
    ages: list[tuple[tuple[int, ...], ...]] = []
    for county in range(len(cat.counties)):
        county_measures: list[tuple[int, ...]] = []
        county_ages: list[tuple[int, ...]] = []
        for group in range(len(cat.groups)):
            level = (
                profile.scale[county][group]
                * season
                * math.exp(profile.group_trend[group] * years + cycle)
                * rng.lognormvariate(0.0, 0.03)
            )
            shares = profile.measure_share[county][group]
            counts = tuple(
                _draw_count(rng, level * share * measure_level[measure])
                if share and in_force[measure]
                else 0
                for measure, share in enumerate(shares)
            )
            county_measures.append(counts)
            county_ages.append(_split(rng, sum(counts), profile.age_weight[county][group]))
        measures.append(tuple(county_measures))
        ages.append(tuple(county_ages))
    return tuple(measures), tuple(ages)


@dataclass(frozen=True)
class LastYear:
    """Participants a year before a month, in that month's areas, as its report prints
    them (the change columns are the month's participants minus these)."""

    county_group: tuple[tuple[int, ...], ...]  # [county][group]
    county: tuple[int, ...]
    group: tuple[int, ...]
    total: int


def last_year(
    month: str,
    seed: int = 0,
    catalogue: ReportCatalogue | None = None,
    earlier_report: PrintedMonth | None = None,
) -> LastYear:
    """Participants twelve months before ``month``, per area and group of ``month``'s report.

    NAV restates last year in the month's county division from its own records, by
    municipality. So these are the earlier month's numbers summed into this month's
    counties (equal, area by area, to the earlier report where both print the same
    counties, and region by region across a reform), except that a municipality that
    crossed a county border in between (``municipality_moves.csv``) counts in its new
    county: its participants (a drawn share of its old county's) move from the old
    county's figure to the new one's.

    The earlier month's numbers are the generator's own draws, or, given
    ``earlier_report`` (the report of that month, ``earlier.read_printed_month``), the
    numbers it prints: so a generated month sits beside a real report of a year before.
    """
    return _last_year(parse_month(month), seed, catalogue or default_catalogue(), earlier_report)


@lru_cache(maxsize=512)
def _last_year(
    month: str, seed: int, cat: ReportCatalogue, earlier_report: PrintedMonth | None
) -> LastYear:
    earlier = shift_month(month, -12)
    division = cat.division(month)
    measures, _ = _drawn(earlier, seed, cat)
    groups = range(len(cat.groups))
    base = [[sum(measures[p][g]) for g in groups] for p in range(len(cat.counties))]
    if earlier_report is not None:
        if earlier_report.month != earlier:
            raise ValueError(
                f"{earlier_report.path} prints {earlier_report.month}, not {earlier}, the month "
                f"a year before {month}"
            )
        base = _printed_base(earlier_report, cat.division(earlier), base)
    counts = [[sum(base[p][g] for p in members) for g in groups] for members in division.parts]
    for move in cat.moves_between(earlier, month):
        source = division.holding(cat.county_parts(move.from_county))
        target = division.holding(cat.county_parts(move.to_county))
        if source == target:
            continue
        share = rng_for("move", seed, month, move.municipality_code).uniform(*MOVER_SHARE)
        for g in groups:
            if division.absent(source, g) or division.absent(target, g):
                continue
            moved = min(counts[source][g], max(1, round(share * counts[source][g])))
            counts[source][g] -= moved
            counts[target][g] += moved
    county_group = tuple(map(tuple, counts))
    return LastYear(
        county_group=county_group,
        county=tuple(map(sum, county_group)),
        group=tuple(sum(row[g] for row in county_group) for g in groups),
        total=sum(map(sum, county_group)),
    )


def _printed_base(
    printed: PrintedMonth, division: Division, drawn: list[list[int]]
) -> list[list[int]]:
    """The base areas' participants per group that add up to what ``printed`` prints for
    each area of its ``division``: an area made of several base areas is split in the
    proportions of the generator's draws (largest remainder), which gives the draws back
    exactly when the report is the generator's own. A suppressed cell keeps the draws."""
    base = [list(row) for row in drawn]
    printed_areas = {name for name, _ in printed.participants}
    unknown = printed_areas - set(division.counties)
    if unknown:
        raise ValueError(
            f"{printed.path} prints {', '.join(sorted(unknown))}, which the county division of "
            f"{printed.month} (seeds/reference/counties.csv) does not have"
        )
    for area, members in zip(division.counties, division.parts, strict=True):
        counts = printed.of(area)
        for g in range(len(base[0])):
            total = 0 if counts is None else counts[g]
            if total is None:
                continue
            split = _largest_remainder(total, [drawn[p][g] for p in members])
            for p, value in zip(members, split, strict=True):
                base[p][g] = value
    return base


def _largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (evenly when they are all 0), in whole
    numbers that add up to it; ties go to the first."""
    whole = sum(weights)
    quotas = (
        [total * w / whole for w in weights] if whole else [total / len(weights)] * len(weights)
    )
    counts = [math.floor(q) for q in quotas]
    by_remainder = sorted(range(len(quotas)), key=lambda i: (counts[i] - quotas[i], i))
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


@dataclass(frozen=True)
class Margins:
    """One month's sums, as the report prints them."""

    county_group: tuple[tuple[int, ...], ...]  # [county][group]
    county: tuple[int, ...]
    group: tuple[int, ...]
    total: int
    county_age: tuple[tuple[int, ...], ...]  # [county][age band], all groups
    national_age: tuple[int, ...]
    group_age: tuple[tuple[int, ...], ...]  # [group][age band], all counties
    county_group_mgroup: tuple[tuple[tuple[int, ...], ...], ...]  # [county][group][measure group]


def margins(data: MonthData, cat: ReportCatalogue) -> Margins:
    """The sums of one month's grains that the report prints."""
    n_groups, n_ages = len(cat.groups), len(cat.age_bands)
    n_mgroups = len(cat.measure_groups)
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
            for (mgroup, _), value in zip(cat.measures, cells, strict=True):
                sums[mgroup] += value
            per_group.append(tuple(sums))
        mgroups.append(tuple(per_group))
    return Margins(
        county_group=county_group,
        county=tuple(sum(row) for row in county_group),
        group=tuple(sum(row[g] for row in county_group) for g in range(n_groups)),
        total=sum(sum(row) for row in county_group),
        county_age=county_age,
        national_age=tuple(sum(row[a] for row in county_age) for a in range(n_ages)),
        group_age=group_age,
        county_group_mgroup=tuple(mgroups),
    )
