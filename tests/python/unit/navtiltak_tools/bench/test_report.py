"""The benchmark's report (navtiltak_tools/bench/report.py, node_tables.py,
statbank.py): ratios, percentiles, a small table rendered, and the generated section of
a page replaced between its markers, the rest kept."""

from __future__ import annotations

from pathlib import Path

from navtiltak_tools.bench.node_tables import table
from navtiltak_tools.bench.report import DEFAULT_PAGE, ratio, write_results
from navtiltak_tools.bench.statbank import percentile

BEGIN = "<!-- begin -->"
END = "<!-- end -->"


def test_ratios_have_one_decimal_and_no_division_by_zero() -> None:
    assert ratio(30.0, 12.0) == "2.5x"
    assert ratio(10.0, 3.0) == "3.3x"
    assert ratio(1.0, 0.0) == "n/a"


def test_the_median_and_p95_are_values_measured() -> None:
    # No interpolation: the value at the rounded rank, the order of arrival irrelevant.
    assert percentile([5.0, 1.0, 4.0, 2.0, 3.0], 0.5) == 3.0  # rank 2 of 0..4
    assert percentile([5.0, 1.0, 4.0, 2.0, 3.0], 0.95) == 5.0  # rank round(3.8) = 4
    assert percentile([float(n) for n in range(20, 0, -1)], 0.95) == 19.0  # rank round(18.05)
    assert percentile([7.0], 0.95) == 7.0


def test_a_small_table_is_rendered() -> None:
    assert table(["N", "s", "note"], [[1, 2.5, "x"], [12, 30.0, None]]) == [
        "| N | s | note |",
        "|---|---|---|",
        "| 1 | 2.5 | x |",
        "| 12 | 30.0 | None |",
    ]


def test_the_generated_section_is_replaced_and_the_rest_kept(tmp_path: Path) -> None:
    page = tmp_path / "BENCHMARKS.md"
    page.write_text(f"# Intro\n\n{BEGIN}\nold\n{END}\n\nOutro\n", encoding="utf-8")
    write_results(page, f"{BEGIN}\nnew\n{END}", BEGIN, END)
    assert page.read_text(encoding="utf-8") == f"# Intro\n\n{BEGIN}\nnew\n{END}\n\nOutro\n"


def test_a_page_without_markers_gets_the_section_appended(tmp_path: Path) -> None:
    page = tmp_path / "BENCHMARKS.md"
    page.write_text("# Intro\n\n", encoding="utf-8")
    write_results(page, f"{BEGIN}\nnew\n{END}", BEGIN, END)
    assert page.read_text(encoding="utf-8") == f"# Intro\n\n{BEGIN}\nnew\n{END}\n"


def test_a_missing_page_starts_from_the_default(tmp_path: Path) -> None:
    page = tmp_path / "BENCHMARKS.md"
    write_results(page, f"{BEGIN}\nnew\n{END}", BEGIN, END)
    text = page.read_text(encoding="utf-8")
    assert text.startswith(DEFAULT_PAGE.rstrip("\n"))
    assert text.endswith(f"\n\n{BEGIN}\nnew\n{END}\n")
