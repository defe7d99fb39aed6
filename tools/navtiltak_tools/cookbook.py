"""The analysts' cookbook in docs/analysts.md: find its queries, run them, render their answers.

In the guide's cookbook section (the heading that contains "Cookbook", down to the next
heading of the same or a higher level) every ```sql block is followed by its answer in a
```text block, rendered by `render_table`. `make test` runs every query against the
test warehouse and compares the answer with the guide, character for character
(tests/python/warehouse/test_cookbook.py), so the guide cannot go stale.

    python -m navtiltak_tools.cookbook --db target/test-warehouse/nav_tiltak.duckdb  # check
    python -m navtiltak_tools.cookbook --db target/test-warehouse/nav_tiltak.duckdb --write

`--write` replaces the shown answers with what the queries return now: for a deliberate
change (a new month, a corrected model); review the diff before committing it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb

DEFAULT_README = Path("docs/analysts.md")
HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.MULTILINE)
# A fenced block's body never contains a fence: (?:(?!```).)* stops at the first one.
ENTRY = re.compile(
    r"```sql\n(?P<sql>(?:(?!```).)*)```[ \t]*\n\s*```text\n(?P<answer>(?:(?!```).)*)```",
    re.DOTALL,
)
NUMBER_TYPES = (int, float, Decimal)


@dataclass(frozen=True)
class Entry:
    """One cookbook query and the answer the guide shows, with where that answer is."""

    sql: str
    answer: str
    answer_start: int
    answer_end: int

    @property
    def title(self) -> str:
        """The query's first line, to name it in messages."""
        return self.sql.strip().splitlines()[0]


def cookbook_span(readme: str) -> tuple[int, int]:
    """Start and end offsets of the cookbook section (its heading contains "Cookbook")."""
    headings = list(HEADING.finditer(readme))
    for index, heading in enumerate(headings):
        if "cookbook" in heading.group(2).lower():
            level = len(heading.group(1))
            end = next(
                (h.start() for h in headings[index + 1 :] if len(h.group(1)) <= level),
                len(readme),
            )
            return heading.end(), end
    raise ValueError("the analysts' guide has no heading containing 'Cookbook'")


def parse_cookbook(readme: str) -> list[Entry]:
    """Every ```sql block of the cookbook section followed by its ```text answer."""
    start, end = cookbook_span(readme)
    return [
        Entry(
            sql=match.group("sql"),
            answer=match.group("answer").removesuffix("\n"),
            answer_start=match.start("answer"),
            answer_end=match.end("answer"),
        )
        for match in ENTRY.finditer(readme, start, end)
    ]


def render_value(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def is_numeric_column(rows: Sequence[Sequence[object]], index: int) -> bool:
    values = [row[index] for row in rows if row[index] is not None]
    return bool(values) and all(
        isinstance(value, NUMBER_TYPES) and not isinstance(value, bool) for value in values
    )


def render_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table: header, dashes, rows; numbers right-aligned, text left-aligned."""
    cells = [[render_value(value) for value in row] for row in rows]
    widths = [
        max([len(name)] + [len(row[index]) for row in cells]) for index, name in enumerate(columns)
    ]
    numeric = [is_numeric_column(rows, index) for index in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        padded = (
            value.rjust(width) if right else value.ljust(width)
            for value, width, right in zip(values, widths, numeric, strict=True)
        )
        return "  ".join(padded).rstrip()

    dashes = ["-" * width for width in widths]
    return "\n".join([line(columns), line(dashes), *(line(row) for row in cells)])


def run_query(connection: duckdb.DuckDBPyConnection, sql: str) -> str:
    cursor = connection.execute(sql)
    columns = [description[0] for description in cursor.description]
    return render_table(columns, cursor.fetchall())


def answers(database: Path, entries: Sequence[Entry]) -> list[str]:
    """Each entry's query run against `database` (read-only), rendered."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return [run_query(connection, entry.sql) for entry in entries]


def rewrite_answers(readme: str, entries: Sequence[Entry], rendered: Sequence[str]) -> str:
    """The guide with every entry's answer replaced by its rendered result."""
    for entry, answer in sorted(
        zip(entries, rendered, strict=True), key=lambda pair: -pair[0].answer_start
    ):
        readme = readme[: entry.answer_start] + answer + "\n" + readme[entry.answer_end :]
    return readme


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m navtiltak_tools.cookbook",
        description="Check (or rewrite) the answers of the cookbook in docs/analysts.md.",
    )
    parser.add_argument("--db", type=Path, required=True, help="a built warehouse file")
    parser.add_argument("--readme", type=Path, default=DEFAULT_README)
    parser.add_argument(
        "--write", action="store_true", help="rewrite the shown answers with the query results"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    readme = args.readme.read_text(encoding="utf-8")
    entries = parse_cookbook(readme)
    rendered = answers(args.db, entries)
    if args.write:
        args.readme.write_text(rewrite_answers(readme, entries, rendered), encoding="utf-8")
        print(f"rewrote {len(entries)} answers in {args.readme}")
        return 0
    stale = [
        entry.title
        for entry, answer in zip(entries, rendered, strict=True)
        if entry.answer != answer
    ]
    for title in stale:
        print(f"stale answer: {title}", file=sys.stderr)
    print(f"{len(entries) - len(stale)} of {len(entries)} cookbook answers match {args.db}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
