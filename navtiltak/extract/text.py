"""Reading a report file into numbered lines, refusing what is not report text."""

from __future__ import annotations

from pathlib import Path

from navtiltak.extract.errors import ReportError

# Control characters other than TAB, LF and CR never occur in report text.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_report_lines(path: Path) -> list[str]:
    """Return the file's lines (without line endings); line N is ``lines[N - 1]``.

    Raises ReportError for an empty, binary or non-UTF-8 file.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(path, None, f"cannot read the file: {exc.strerror}") from exc
    if not data.strip():
        raise ReportError(path, None, "the file is empty")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = _line_of_offset(data, nul)
        raise ReportError(path, line, "binary content (NUL byte): not a report text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        raise ReportError(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the report as UTF-8"
        ) from exc
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    for number, line in enumerate(lines, start=1):
        for char in line:
            if char < " " and char not in _ALLOWED_CONTROLS:
                raise ReportError(
                    path, number, f"control character U+{ord(char):04X}: not a report text file"
                )
    return lines
