"""navtiltak.report_month: the month line, key and date, with the seed's month names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from navtiltak.report_month import (
    MONTH_NAMES_FILE,
    month_date,
    month_key,
    month_line,
    parse_month_line,
    read_month_names,
)
from navtiltak_tools.testing.project_paths import REAL_REPORT, REFERENCE

NAMES = read_month_names(REFERENCE / MONTH_NAMES_FILE)


def test_the_real_reports_month_line() -> None:
    # the title, the note page's name, then its month line
    printed = [line for line in REAL_REPORT.read_text(encoding="utf-8").split("\n") if line]
    month_text = printed[2]
    assert parse_month_line(month_text, NAMES) == "2013-11"
    assert month_line("2013-11", NAMES) == month_text.strip() == "November 2013"


@pytest.mark.parametrize("number", range(1, 13))
def test_every_month_line_reads_back(number: int) -> None:
    key = f"2020-{number:02d}"
    assert parse_month_line(month_line(key, NAMES), NAMES) == key
    assert parse_month_line(month_line(key, NAMES).upper(), NAMES) == key


@pytest.mark.parametrize("text", ["Novembr 2013", "November", "2013-11", "November 13", ""])
def test_what_is_not_a_month_line(text: str) -> None:
    assert parse_month_line(text, NAMES) is None


def test_key_and_date_convert_both_ways() -> None:
    assert month_key(dt.date(2013, 11, 17)) == "2013-11"
    assert month_date("2013-11") == dt.date(2013, 11, 1)
    assert month_key(month_date("2024-01")) == "2024-01"
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_key("2013-13")


def test_a_seed_without_every_month_is_refused(tmp_path: Path) -> None:
    seed = tmp_path / MONTH_NAMES_FILE
    seed.write_text("month_number,month_name,month_name_en\n1,januar,January\n", "utf-8")
    with pytest.raises(ValueError, match="1 to 12"):
        read_month_names(seed)
