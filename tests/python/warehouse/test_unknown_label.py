"""A printed label the label-alias seed does not know stops the build, naming it; the
failure summary of `make build` starts with that cause, and searches for no misprint
(there is none to find)."""

from __future__ import annotations

from pathlib import Path

from navtiltak_tools.testing.warehouse_fixtures import copy_project, extract, run_publish

REPORT = "deltakere-tiltak-fylke-2013-11.txt"


def test_unknown_measure_label_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    report = project / "reports" / REPORT
    lines = report.read_text(encoding="utf-8").split("\n")
    # The first "Mentor" row after the national table: a county page.
    number = next(i for i, line in enumerate(lines) if line.startswith("Mentor\t") and i > 500)
    lines[number] = lines[number].replace("Mentor", "Mentorordning", 1)
    report.write_text("\n".join(lines), encoding="utf-8")
    extracted = extract(project)
    assert extracted.returncode == 0, extracted.stderr
    built = run_publish(project)
    output = built.stdout + built.stderr
    assert built.returncode != 0
    assert "Unknown printed label" in output
    assert f"reports/{REPORT}:{number + 1} " in output
    assert "measure label 'Mentorordning'" in output
    # the summary under "build failed." starts with the failed model and its message
    summary = built.stderr.splitlines()
    cause = summary[summary.index("build failed.") + 1 :][:3]
    assert "failed dbt node(s)" in cause[0], cause
    assert "int_report_cells_labelled" in cause[1], cause
    assert "Unknown printed label" in "\n".join(cause), cause
    assert "could not be located" not in built.stderr
    assert "misprinted cells" not in built.stderr
