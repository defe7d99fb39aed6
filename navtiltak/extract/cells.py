"""One printed cell: a number, blank, or suppressed."""

from __future__ import annotations

import re
from dataclasses import dataclass

PRINTED = "printed"
BLANK = "blank"
SUPPRESSED = "suppressed"

SUPPRESSION_MARK = "*"

# Thousands are grouped by a space (NAV's PDFs sometimes carry a no-break space).
# No leading zeros and no "-0": NAV prints neither, so such a cell is not a number.
_NUMBER = re.compile(r"0|-?[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})*")
_GROUP_SEPARATORS = str.maketrans("", "", " \u00a0\u202f")


@dataclass(frozen=True)
class ParsedCell:
    status: str
    value: int | None = None

    @property
    def as_seed_value(self) -> str:
        return "" if self.value is None else str(self.value)


BLANK_CELL = ParsedCell(BLANK)


def parse_cell(text: str) -> ParsedCell:
    """Parse a cell as printed; raise ValueError when it is not a count the report prints."""
    stripped = text.strip()
    if not stripped:
        return BLANK_CELL
    if stripped == SUPPRESSION_MARK:
        return ParsedCell(SUPPRESSED)
    if _NUMBER.fullmatch(stripped):
        return ParsedCell(PRINTED, int(stripped.translate(_GROUP_SEPARATORS)))
    raise ValueError(f"cell {text!r} is not a number, a blank or {SUPPRESSION_MARK!r}")
