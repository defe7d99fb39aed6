"""The analysts' guide's cookbook (docs/analysts.md): every query gives the answer it shows.

Each ```sql block of the cookbook section is run against the test warehouse (the
November 2013 report, built by `make test`) and its rendered result compared with the
```text block that follows it, character for character. After a deliberate change,
rewrite the answers with `python -m navtiltak_tools.cookbook --db <warehouse> --write`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from navtiltak_tools.cookbook import Entry, answers, parse_cookbook, render_table, rewrite_answers
from navtiltak_tools.testing.warehouse_fixtures import PROJECT_ROOT, warehouse_for_tests

README = PROJECT_ROOT / "docs" / "analysts.md"


def readme_entries() -> list[Entry]:
    try:
        return parse_cookbook(README.read_text(encoding="utf-8"))
    except ValueError:
        return []  # test_readme_has_a_cookbook names the problem


ENTRIES = readme_entries()


@pytest.fixture(scope="module")
def test_db() -> Path:
    return warehouse_for_tests()


def test_readme_has_a_cookbook_of_at_least_six_questions() -> None:
    assert len(ENTRIES) >= 6, (
        "docs/analysts.md's Cookbook section should answer at least 6 questions"
    )
    for entry in ENTRIES:
        assert entry.title.startswith("--"), "each cookbook query opens with a comment naming it"


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.title.lstrip("- ") for entry in ENTRIES])
def test_cookbook_answer_is_current(entry: Entry, test_db: Path) -> None:
    (answer,) = answers(test_db, [entry])
    assert answer == entry.answer, (
        "the analysts' guide shows another answer than the query gives; if the change is meant, "
        "rewrite the answers with `python -m navtiltak_tools.cookbook --db <warehouse> --write`"
    )


# -- the parser and the renderer, on hand-made text ------------------------------------

SAMPLE = """# Title

```sql
select 'not in the cookbook'
```

```text
ignored
```

## Cookbook

**A question?**

```sql
-- first
select 1
```

```text
old answer
```

```sql
-- a query without an answer is not an entry
select 2
```

### A sub-heading stays in the section

```sql
-- second
select 3
```

```text
x
-
3
```

## Next section

```sql
select 'after the cookbook'
```

```text
ignored
```
"""


def test_parse_cookbook_takes_only_answered_queries_of_the_section() -> None:
    entries = parse_cookbook(SAMPLE)
    assert [entry.title for entry in entries] == ["-- first", "-- second"]
    assert [entry.answer for entry in entries] == ["old answer", "x\n-\n3"]


def test_parse_cookbook_without_a_cookbook_heading() -> None:
    with pytest.raises(ValueError, match="Cookbook"):
        parse_cookbook("# README\n\nno cookbook here\n")


def test_rewrite_answers_replaces_only_the_answers() -> None:
    entries = parse_cookbook(SAMPLE)
    rewritten = rewrite_answers(SAMPLE, entries, ["new\nanswer", "y"])
    assert [entry.answer for entry in parse_cookbook(rewritten)] == ["new\nanswer", "y"]
    assert (
        rewritten.replace("new\nanswer", "old answer").replace("```text\ny\n", "```text\nx\n-\n3\n")
        == SAMPLE
    )


def test_render_table_aligns_numbers_right_and_text_left() -> None:
    rendered = render_table(
        ["county", "participants", "pct", "flag"],
        [("Oslo", 9535, Decimal("12.6"), True), ("Øvrige områder", 2, None, False)],
    )
    assert rendered == (
        "county          participants   pct  flag\n"
        "--------------  ------------  ----  -----\n"
        "Oslo                    9535  12.6  true\n"
        "Øvrige områder             2  NULL  false"
    )


def test_render_table_without_rows() -> None:
    assert render_table(["a", "bb"], []) == "a  bb\n-  --"
