"""The label-alias seed, read by the extractor to check column headers.

The same file maps printed labels to canonical names inside dbt; reading it here
means a new measure group is taught to the project in one place.
"""

from __future__ import annotations

import csv
import difflib
from collections import defaultdict
from pathlib import Path

from navtiltak.extract.errors import ReportError

ALIAS_COLUMNS = ("label_role", "printed_label", "canonical_name", "alias_reason")


def fold(label: str) -> str:
    """The form labels are compared in: case and surrounding space do not matter."""
    return " ".join(label.split()).casefold()


# Per role (county, measure_group, metric, ...): every printed label, folded, with the
# canonical name it stands for.
KnownLabels = dict[str, dict[str, str]]


def load_known_labels(path: Path) -> KnownLabels:
    """Folded printed labels per role, each with its canonical name."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise ReportError(path, None, f"cannot read the label-alias seed: {exc.strerror}") from exc
    known: dict[str, dict[str, str]] = defaultdict(dict)
    with handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != ALIAS_COLUMNS:
            raise ReportError(path, 1, f"expected the columns {', '.join(ALIAS_COLUMNS)}")
        for row in reader:
            known[row["label_role"]][fold(row["printed_label"])] = row["canonical_name"]
    return dict(known)


def nearest_known(known: KnownLabels, role: str, label: str) -> str | None:
    """The canonical name of the known label of ``role`` closest to ``label`` in
    spelling, or None when none is close: what a person most likely meant."""
    labels = known.get(role, {})
    close = difflib.get_close_matches(fold(label), labels, n=1, cutoff=0.6)
    return labels[close[0]] if close else None
