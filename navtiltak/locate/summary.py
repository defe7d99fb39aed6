"""What a person reads of a failed build: lines in the project's file-and-line form,
the top suspect first (what is kept in the build: navtiltak/locate/diagnostics.py).

    reports/<file>:<line>: <table> / <sub-heading> / <row>, column <column>: printed 2,
    the report's identities say 3 (7 identities broken, all explained)
"""

from __future__ import annotations

from navtiltak.locate.suspects import Diagnosis, Suspect
from navtiltak.report_month import month_key


def format_value(value: int | None, blank: bool) -> str:
    """A number as the report prints it (a space between thousands); `blank` for none,
    and for a zero where `blank` is set (the report prints no zero count)."""
    if value is None or (blank and value == 0):
        return "blank"
    grouped = f"{abs(value):,}".replace(",", " ")
    return f"-{grouped}" if value < 0 else grouped


def suspect_line(suspect: Suspect, left_broken: int) -> str:
    cell = suspect.cell
    explained = "all explained" if left_broken == 0 else f"{left_broken} left unexplained"
    count = len(suspect.explains)
    return (
        f"{cell.location}: {cell.label}: printed {format_value(suspect.printed, cell.is_blank)}, "
        f"the report's identities say {format_value(suspect.needed, cell.is_count)} "
        f"({count} identit{'y' if count == 1 else 'ies'} broken, {explained})"
    )


def summary_lines(diagnoses: list[Diagnosis]) -> list[str]:
    """Every month's top suspects first, then what cannot be told apart."""
    failing = [diagnosis for diagnosis in diagnoses if diagnosis.broken]
    lines: list[str] = []
    for diagnosis in failing:
        top = diagnosis.top
        if top is None:
            lines.append(
                f"{month_key(diagnosis.report_month)}: {len(diagnosis.broken)} identities broken; "
                "no set of printed cells makes them all hold"
            )
            continue
        lines += [suspect_line(suspect, top.left_broken) for suspect in top.suspects]
    for diagnosis in failing:
        top = diagnosis.top
        if top is None:
            continue
        for suspect in top.suspects:
            alternatives = diagnosis.alternatives_to(suspect.cell.key)
            if alternatives:
                lines.append(
                    f"  the identities cannot tell {suspect.cell.location} "
                    f"(column {suspect.cell.column_label}) apart from:"
                )
                lines += [
                    "    " + suspect_line(alternative, top.left_broken)
                    for alternative in alternatives
                ]
        if not diagnosis.proven_smallest:
            lines.append(
                f"  {month_key(diagnosis.report_month)}: the search stopped before proving "
                "these the fewest cells"
            )
    return lines
