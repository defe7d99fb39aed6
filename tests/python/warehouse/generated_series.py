"""Generated months built in a project copy, and the reference codes of what they print:
shared by the time-series tests of this folder."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from navtiltak_tools.generate import write_reports
from navtiltak_tools.testing.warehouse_fixtures import BUILD_DB, BuildOutcome, dbt_build, extract


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build_months(
    project: Path, reports: Mapping[str, int], keep: Sequence[Path] = ()
) -> BuildOutcome:
    """Generate each month with its seed into the copy's reports/ (beside the reports of
    ``keep``, copied as they are), extract, `dbt build`."""
    shutil.rmtree(project / "reports")
    (project / "reports").mkdir()
    for path in keep:
        shutil.copy2(path, project / "reports" / path.name)
    for month, seed in reports.items():
        write_reports([month], project / "reports", seed=seed)
    extracted = extract(project)
    assert extracted.returncode == 0, extracted.stderr
    (project / BUILD_DB).unlink(missing_ok=True)
    return dbt_build(project)


def codes(reference: Path, seed: str, name_column: str, code_column: str) -> dict[str, str]:
    """Name -> code in one reference seed."""
    return {row[name_column]: row[code_column] for row in read_csv(reference / f"{seed}.csv")}


def counties_in_force(reference: Path, month: str) -> list[dict[str, str]]:
    """The rows of counties.csv in force on the month's first day, by number."""
    day = f"{month}-01"
    return sorted(
        (
            row
            for row in read_csv(reference / "counties.csv")
            if row["valid_from"] <= day <= (row["valid_to"] or "9999-12-31")
        ),
        key=lambda row: int(row["county_code"]),
    )


def area_codes(reference: Path, month: str) -> dict[str, str]:
    """Printed name -> code of every area a report of ``month`` prints: the counties in
    force then (a name is unique within one division) and the non-county areas."""
    return {
        **{row["county_name"]: row["county_code"] for row in counties_in_force(reference, month)},
        **codes(reference, "non_county_areas", "area_name", "area_code"),
    }
