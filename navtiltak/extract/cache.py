"""Reports already extracted are not extracted again.

An entry holds one report's month and seed rows (``batch.ExtractedReport``), filed
under a key that hashes everything the rows depend on:

- the report file's name (its seed rows carry it, ``source_file``) and its bytes;
- the extractor's code (every module of ``navtiltak.extract``) and the Python version;
- the bytes of the reference seeds the extractor reads (the printed spellings, the
  published tables, the metrics, the month names).

A change to any of them gives another key, so an entry is either what a fresh
extraction gives or never read. Only reports that read cleanly are stored; an entry
that cannot be read is extracted again. Entries are written to a temporary file and
renamed, so an interrupted run leaves whole entries or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from navtiltak.extract.batch import ExtractedReport

# The extractor's own code: every module in this package.
EXTRACTOR_DIR = Path(__file__).resolve().parent
# Bumped when the entry format changes.
ENTRY_FORMAT = "1"
ENTRY_SUFFIX = ".json"


def fingerprint(reference_files: Iterable[Path]) -> str:
    """A hash of the extractor's code, the Python version and ``reference_files``' bytes."""
    digest = hashlib.sha256()
    digest.update(f"format {ENTRY_FORMAT}; python {sys.version_info[:2]}\n".encode())
    for module in sorted(EXTRACTOR_DIR.glob("*.py")):
        _add_file(digest, module.name, module)
    for path in reference_files:
        _add_file(digest, path.name, path)
    return digest.hexdigest()


def _add_file(digest: hashlib._Hash, name: str, path: Path) -> None:
    content = path.read_bytes()
    digest.update(f"{name} {len(content)}\n".encode())
    digest.update(content)


class ExtractCache:
    """Extracted reports in ``directory``, one JSON file per report."""

    def __init__(self, directory: Path, reference_files: Iterable[Path]) -> None:
        self.directory = directory
        self._fingerprint = fingerprint(reference_files)
        self._used: set[str] = set()
        self.hits = 0

    def key(self, path: Path) -> str:
        digest = hashlib.sha256(self._fingerprint.encode())
        _add_file(digest, path.name, path)
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / f"{key}{ENTRY_SUFFIX}"

    def get(self, path: Path) -> ExtractedReport | None:
        """The report as extracted before, or None when it is not in the cache."""
        try:
            key = self.key(path)
        except OSError:
            return None  # the extraction names the file it cannot read
        self._used.add(key)
        try:
            entry = json.loads(self._entry(key).read_text(encoding="utf-8"))
            month, rows = entry["month"], entry["rows"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(month, str) or not isinstance(rows, dict):
            return None
        if not all(isinstance(name, str) and isinstance(text, str) for name, text in rows.items()):
            return None
        self.hits += 1
        return ExtractedReport(path, month, rows)

    def put(self, report: ExtractedReport) -> None:
        key = self.key(report.path)
        self._used.add(key)
        self.directory.mkdir(parents=True, exist_ok=True)
        entry = self._entry(key)
        scratch = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        try:
            scratch.write_text(
                json.dumps({"month": report.month, "rows": report.rows}), encoding="utf-8"
            )
            scratch.replace(entry)
        finally:
            scratch.unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove every entry this run did not look up: reports removed or replaced,
        and entries of an older extractor or reference seed."""
        if not self.directory.is_dir():
            return
        for entry in self.directory.glob(f"*{ENTRY_SUFFIX}"):
            if entry.name.removesuffix(ENTRY_SUFFIX) not in self._used:
                entry.unlink(missing_ok=True)
