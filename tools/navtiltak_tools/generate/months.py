"""Report months as ``YYYY-MM``: parsing, ranges, arithmetic and the printed month line
(the product's ``navtiltak.report_month``, with the project's month names)."""

from __future__ import annotations

import re
from functools import lru_cache

from navtiltak import report_month
from navtiltak_tools import PROJECT_ROOT

MONTH_NAMES = PROJECT_ROOT / "seeds" / "reference" / report_month.MONTH_NAMES_FILE

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(text: str) -> str:
    """Check a ``YYYY-MM`` month and return it."""
    match = _MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"expected a month as YYYY-MM, got {text!r}")
    return match.group(0)


def month_index(month: str) -> int:
    """Months since year 0: ``2013-11`` -> 2013 * 12 + 10."""
    year, number = parse_month(month).split("-")
    return int(year) * 12 + int(number) - 1


def _month_of_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift_month(month: str, months: int) -> str:
    """``shift_month('2014-03', -12) == '2013-03'``."""
    return _month_of_index(month_index(month) + months)


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included."""
    start, end = month_index(first), month_index(last)
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
    return report_month.month_line(parse_month(month), _month_names())


@lru_cache(maxsize=1)
def _month_names() -> tuple[str, ...]:
    return report_month.read_month_names(MONTH_NAMES)
