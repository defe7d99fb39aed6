"""The one error type the extractor raises for bad input."""

from __future__ import annotations

from pathlib import Path


class ReportError(Exception):
    """A report file that cannot be extracted faithfully.

    The message always names the file and, where one applies, the line, so that
    the person who dropped the file into ``reports/`` can open it at that line.
    """

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else f"{self.path}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[ReportError], tuple[Path, int | None, str]]:
        # Raised in a worker process (navtiltak/extract/batch.py), it is pickled back
        # with the arguments of __init__, not with the formatted message.
        return (type(self), (self.path, self.line, self.message))
