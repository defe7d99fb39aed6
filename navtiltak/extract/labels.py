"""The label-alias seed, read by the extractor to check column headers.

The same file maps printed labels to canonical names inside dbt; reading it here
means a new measure group is taught to the project in one place.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from navtiltak.extract.errors import ReportError

ALIAS_COLUMNS = ("label_role", "printed_label", "canonical_name", "alias_reason")


def fold(label: str) -> str:
    """The form labels are compared in: case and surrounding space do not matter."""
    return " ".join(label.split()).casefold()


def load_known_labels(path: Path) -> dict[str, set[str]]:
    """Folded printed labels per role (county, measure_group, metric, ...)."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise ReportError(path, None, f"cannot read the label-alias seed: {exc.strerror}") from exc
    known: dict[str, set[str]] = defaultdict(set)
    with handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != ALIAS_COLUMNS:
            raise ReportError(path, 1, f"expected the columns {', '.join(ALIAS_COLUMNS)}")
        for row in reader:
            known[row["label_role"]].add(fold(row["printed_label"]))
    return dict(known)
