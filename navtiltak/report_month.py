"""The report month, in every form it takes: the one module that converts between them.

- the month line a report prints: ``November 2013``, in the Norwegian names of the
  reference seed ``month_names.csv`` (which dbt's ``dim_month`` reads too);
- the month key the seeds and file names use: ``2013-11``;
- the date the warehouse stores: the month's first day, ``2013-11-01``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

# The reference seed of the month names, beside the other reference seeds.
MONTH_NAMES_FILE = "month_names.csv"
_KEY = re.compile(r"(\d{4})-(\d{2})")
_LINE = re.compile(r"(\w+)\s+(\d{4})")


def read_month_names(path: Path) -> tuple[str, ...]:
    """The Norwegian month names of ``month_names.csv``, January first, lowercase."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["month_number"]))
    if [int(row["month_number"]) for row in rows] != list(range(1, 13)):
        raise ValueError(f"{path}: expected the months 1 to 12 once each")
    return tuple(row["month_name"].strip().casefold() for row in rows)


def parse_month_line(text: str, names: Sequence[str]) -> str | None:
    """``November 2013`` -> ``2013-11``; None for anything else."""
    match = _LINE.fullmatch(text.strip())
    if not match or match.group(1).casefold() not in names:
        return None
    return f"{match.group(2)}-{list(names).index(match.group(1).casefold()) + 1:02d}"


def month_line(month: str | dt.date, names: Sequence[str]) -> str:
    """``2013-11`` (or its date) -> ``November 2013``, as the report prints it."""
    day = month_date(month)
    return f"{names[day.month - 1].capitalize()} {day.year}"


def month_key(month: str | dt.date) -> str:
    """A month's key, ``2013-11``, from a date in it or from the key itself (checked)."""
    if isinstance(month, dt.date):
        return f"{month.year:04d}-{month.month:02d}"
    match = _KEY.fullmatch(month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"expected a month as YYYY-MM, got {month!r}")
    return match.group(0)


def month_date(month: str | dt.date) -> dt.date:
    """The month's first day, as the warehouse stores it."""
    year, number = month_key(month).split("-")
    return dt.date(int(year), int(number), 1)
