"""A printed label the label-alias seed does not know stops the build, naming it."""

from __future__ import annotations

from pathlib import Path

from warehouse_fixtures import copy_project, dbt_build, extract

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
    built = dbt_build(project)
    assert built.returncode != 0
    assert "Unknown printed label" in built.output
    assert f"reports/{REPORT}:{number + 1} " in built.output
    assert "measure label 'Mentorordning'" in built.output
