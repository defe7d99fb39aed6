"""The server's settings: command line and environment, never the marts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

API_VERSION = "2.0.0"
APP_VERSION = "0.1.0"
BASE_PATH = "/api/v2"
# Norwegian as NAV prints it, and English; the first is the default.
LANGUAGES = {"no": "Norsk", "en": "English"}
DEFAULT_LANGUAGE = "no"
# Statistics Norway's limit of cells per extract.
MAX_DATA_CELLS = 800_000
# With no rate limit configured, /config still has to name one (the spec's minimum is
# 1): a ceiling no client reaches, which the server does not enforce.
UNENFORCED_CALLS_PER_WINDOW = 1000
UNENFORCED_TIME_WINDOW = 1
LICENSE = "NLOD 2.0 (https://data.norge.no/nlod/no/2.0)"


@dataclass(frozen=True)
class StatbankSettings:
    warehouse: Path
    max_data_cells: int = MAX_DATA_CELLS
    # None: no rate limit (the default). Otherwise at most this many calls per client
    # address in time_window seconds; more answer 429 with Retry-After.
    max_calls: int | None = None
    time_window: int = 10
    base_path: str = BASE_PATH

    @property
    def rate_limited(self) -> bool:
        return self.max_calls is not None


def _int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not a whole number") from None
    if number < 1:
        raise SystemExit(f"{name}={value!r} must be 1 or more")
    return number


def from_environment(warehouse: Path) -> StatbankSettings:
    """STATBANK_MAX_DATA_CELLS, STATBANK_MAX_CALLS and STATBANK_TIME_WINDOW (seconds)."""
    return StatbankSettings(
        warehouse=warehouse,
        max_data_cells=_int("STATBANK_MAX_DATA_CELLS") or MAX_DATA_CELLS,
        max_calls=_int("STATBANK_MAX_CALLS"),
        time_window=_int("STATBANK_TIME_WINDOW") or 10,
    )
