"""The extraction cache: a report already extracted is not read again, and the seeds
are the same bytes as a fresh extraction's after any sequence of changes to reports/.

Each step runs the extractor with its cache, then again with ``--no-cache`` into another
folder, and compares the seed files byte for byte.
"""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from navtiltak.extract import cache as extract_cache
from navtiltak.extract.cli import main
from navtiltak_tools.generate import write_reports
from navtiltak_tools.testing.project_paths import REFERENCE

REFERENCE_FILES = ("label_aliases.csv", "report_tables.csv", "metrics.csv", "month_names.csv")


class Project:
    """reports/, a copy of the reference seeds the extractor reads, the cache."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.reports = root / "reports"
        self.reference = root / "reference"
        self.cache = root / "cache"
        self.reports.mkdir()
        self.reference.mkdir()
        for name in REFERENCE_FILES:
            shutil.copy2(REFERENCE / name, self.reference / name)

    def extract(self, seeds: Path, *options: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(
                [
                    "--reports-dir",
                    str(self.reports),
                    "--seeds-dir",
                    str(seeds),
                    "--aliases",
                    str(self.reference / "label_aliases.csv"),
                    "--cache-dir",
                    str(self.cache),
                    *options,
                ]
            )
        assert code == 0, err.getvalue()
        return out.getvalue()

    def cached_equals_fresh(self, step: str) -> str:
        """Extract with the cache and without; assert the seeds are the same bytes."""
        cached, fresh = self.root / f"{step}-cached", self.root / f"{step}-fresh"
        message = self.extract(cached)
        self.extract(fresh, "--no-cache")
        assert _files(cached) == _files(fresh), step
        assert len(_files(cached)) == 9
        return message

    def entries(self) -> int:
        return len(list(self.cache.glob("*.json")))


def _files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.glob("*.csv"))}


def _read_from_cache(message: str) -> int:
    # "...; 3 of them read from the cache"
    return int(message.rsplit(";", 1)[1].split()[0])


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def test_updates_give_the_seeds_of_a_fresh_extraction(project: Project) -> None:
    write_reports(["2013-11", "2013-12", "2014-01", "2014-02"], project.reports, seed=1)
    assert _read_from_cache(project.cached_equals_fresh("first")) == 0
    assert project.entries() == 4

    # A month added: only it is read.
    write_reports(["2014-03"], project.reports, seed=1)
    assert _read_from_cache(project.cached_equals_fresh("added")) == 4

    # A report replaced by a corrected one (other numbers, same file name).
    corrected = project.root / "corrected"
    write_reports(["2014-01"], corrected, seed=7)
    (replaced,) = corrected.iterdir()
    assert replaced.read_bytes() != (project.reports / replaced.name).read_bytes()
    shutil.copy2(replaced, project.reports / replaced.name)
    assert _read_from_cache(project.cached_equals_fresh("corrected")) == 4
    # The old version's entry is gone: one entry per report in the folder.
    assert project.entries() == 5

    # A report removed.
    (project.reports / replaced.name).unlink()
    assert _read_from_cache(project.cached_equals_fresh("removed")) == 4
    assert project.entries() == 4

    # The same report under another name: its rows name the file, so it is read again.
    renamed = project.reports / "deltakere-tiltak-fylke-2014-03-rettet.txt"
    next(project.reports.glob("*2014-03.txt")).rename(renamed)
    assert _read_from_cache(project.cached_equals_fresh("renamed")) == 3


def test_a_changed_reference_seed_reads_every_report_again(project: Project) -> None:
    write_reports(["2013-11", "2013-12"], project.reports, seed=2)
    project.cached_equals_fresh("before")
    aliases = project.reference / "label_aliases.csv"
    with aliases.open("a", encoding="utf-8", newline="") as handle:
        handle.write("county,Osloo,Oslo,a misprint seen once\n")
    assert _read_from_cache(project.cached_equals_fresh("after")) == 0
    assert project.entries() == 2


def test_a_changed_extractor_module_changes_every_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    references = [REFERENCE / name for name in REFERENCE_FILES]
    before = extract_cache.fingerprint(references)
    code = tmp_path / "extract"
    shutil.copytree(extract_cache.EXTRACTOR_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(extract_cache, "EXTRACTOR_DIR", code)
    assert extract_cache.fingerprint(references) == before
    tables = code / "tables.py"
    tables.write_text(tables.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert extract_cache.fingerprint(references) != before


def test_an_unreadable_entry_is_extracted_again(project: Project) -> None:
    write_reports(["2013-11", "2013-12"], project.reports, seed=3)
    project.cached_equals_fresh("before")
    for entry in project.cache.glob("*.json"):
        entry.write_text('{"month": "2013-11", "rows": ', encoding="utf-8")
    assert _read_from_cache(project.cached_equals_fresh("after")) == 0


def test_a_bad_report_is_not_cached_and_no_seed_changes(project: Project) -> None:
    write_reports(["2013-11", "2013-12"], project.reports, seed=4)
    seeds = project.root / "seeds"
    project.extract(seeds)
    written = _files(seeds)
    bad = next(project.reports.glob("*2013-12.txt"))
    bad.write_text(bad.read_text(encoding="utf-8").replace("I alt", "I al", 1), encoding="utf-8")
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = main(
            [
                "--reports-dir",
                str(project.reports),
                "--seeds-dir",
                str(seeds),
                "--aliases",
                str(project.reference / "label_aliases.csv"),
                "--cache-dir",
                str(project.cache),
            ]
        )
    assert code == 2
    assert bad.name in err.getvalue()
    assert _files(seeds) == written
    # The two good versions' entries stay; the bad one added none.
    assert project.entries() == 2
