"""The layout quirks of BRIEF §3, one test each, on small hand-made reports."""

from __future__ import annotations

import pytest
from report_text import (
    ARB,
    METRICS,
    NED,
    SEED_OF_TABLE,
    Page,
    Workspace,
    line_of,
    minimal_pages,
    minimal_pages_with,
    page_number_of_line,
    render,
    row,
)


def _labels_in_order(rows: list[dict[str, str]]) -> list[str]:
    """Row labels in seed order, one per printed row."""
    labels: list[str] = []
    for r in rows:
        if r["column_number"] == "1":
            labels.append(r["row_label"])
    return labels


def test_minimal_report_gives_one_seed_row_per_printed_cell(ws: Workspace) -> None:
    pages = minimal_pages()
    result = ws.extract(render(pages))
    for page in pages[1:]:
        rows = result.rows(page.table, page.sub_heading)
        # every data row of the page, times the header's width
        assert len(rows) == len(page.rows) * len(page.header), page.table
        assert {r["cell_status"] for r in rows} == {"printed"}
    assert sorted(p.name for p in ws.seeds_dir.iterdir()) == sorted(
        f"{name}.csv" for name in SEED_OF_TABLE.values()
    )


def test_quirk1_thousands_separator_is_a_space_negatives_too(ws: Workspace) -> None:
    # the minimal report with every count and change times 35 000
    text = render(minimal_pages(scale=35_000))
    for printed in ("I alt\t1 050 000\t-105 000\t-9", "Oslo\t875 000\t-105 000\t-11"):
        assert printed in text.split("\n")
    result = ws.extract(text)
    cells = result.cells("Hovedgrupper")
    assert cells[("I alt", "Antall")] == ("1050000", "printed")
    assert cells[("I alt", "Endring fra i fjor Antall")] == ("-105000", "printed")
    assert cells[("I alt", "Endring fra i fjor Prosent")] == ("-9", "printed")
    assert cells[(ARB, "Antall")] == ("350000", "printed")
    assert cells[(NED, "Endring fra i fjor Antall")] == ("-70000", "printed")
    fylke = result.cells("Fylke")
    assert fylke[("Oslo", "Antall")] == ("875000", "printed")
    assert fylke[("Oslo", "Endring fra i fjor Antall")] == ("-105000", "printed")
    assert fylke[("Ukjent", "Endring fra i fjor Antall")] == ("0", "printed")
    national = result.cells("Tiltak og hovedgrupper")
    assert national[("Oppfølging", NED)] == ("420000", "printed")
    assert {status for _, status in national.values()} == {"printed"}


def test_quirk2_blank_count_cell_stays_blank_not_zero(ws: Workspace) -> None:
    # No one is 19 or under: the count column is blank everywhere, its total too.
    pages = minimal_pages_with(
        "Fylke og alder",
        None,
        Page(
            "Fylke og alder",
            ["I alt", "19 år og under", "20-24 år"],
            [row("I alt", 30, "", 30), row("Oslo", 25, "", 25), row("Ukjent", 5, "", 5)],
        ),
    )
    result = ws.extract(render(pages))
    cells = result.cells("Fylke og alder")
    for label in ("I alt", "Oslo", "Ukjent"):
        assert cells[(label, "19 år og under")] == ("", "blank")
    assert cells[("Ukjent", "20-24 år")] == ("5", "printed")
    # A printed 0 (change and percent columns) is a number, not a blank.
    fylke = result.cells("Fylke")
    assert fylke[("Ukjent", "Endring fra i fjor Antall")] == ("0", "printed")
    assert fylke[("Ukjent", "Endring fra i fjor Prosent")] == ("0", "printed")


def test_quirk3_trailing_tabs_and_short_rows_are_padded(ws: Workspace) -> None:
    page = Page(
        "Fylke og hovedgruppe",
        METRICS,
        [
            row("I alt arbeidssøkere på tiltak", 10, -1, -9),
            "Oslo\t8\t-1\t",  # last cell blank, line ends with a TAB
            "Ukjent\t\t\t5",  # leading blank cells: split on TAB before stripping
            "Øvrige områder\t2\t2",  # short row: one cell missing
            "Finnmark\t7",  # two cells missing
        ],
        sub_heading=ARB,
    )
    text = render(minimal_pages_with("Fylke og hovedgruppe", ARB, page))
    result = ws.extract(text)
    cells = result.cells("Fylke og hovedgruppe", ARB)
    change, percent = METRICS[1], METRICS[2]
    assert cells[("Oslo", "Antall")] == ("8", "printed")
    assert cells[("Oslo", change)] == ("-1", "printed")
    assert cells[("Oslo", percent)] == ("", "blank")
    assert cells[("Ukjent", "Antall")] == ("", "blank")
    assert cells[("Ukjent", change)] == ("", "blank")
    assert cells[("Ukjent", percent)] == ("5", "printed")
    assert cells[("Øvrige områder", change)] == ("2", "printed")
    assert cells[("Øvrige områder", percent)] == ("", "blank")
    assert cells[("Finnmark", "Antall")] == ("7", "printed")
    assert cells[("Finnmark", change)] == ("", "blank")
    assert cells[("Finnmark", percent)] == ("", "blank")
    # every row has exactly the header's width of cells, numbered 1..3 in order
    rows = result.rows("Fylke og hovedgruppe", ARB)
    assert len(rows) == 5 * 3
    assert [r["column_number"] for r in rows] == ["1", "2", "3"] * 5
    ukjent_line = line_of(text, "Ukjent\t\t\t5")
    assert {int(r["line_number"]) for r in rows if r["row_label"] == "Ukjent"} == {ukjent_line}


def test_quirk4_continuation_pages_drop_repeats_and_keep_line_numbers(ws: Workspace) -> None:
    header = ["I alt", ARB, NED]
    total = row("I alt Oslo", 25, 8, 17)
    oslo = [
        Page(
            "Tiltak, hovedgrupper og fylke",
            header,
            [total, row("Avklaring", 10, 3, 7), row("I alt avklaringstiltak", 10, 3, 7)],
            sub_heading="Oslo",
        ),
        Page(
            "Tiltak, hovedgrupper og fylke",
            header,
            [total, row("Mentor", 4, 1, 3)],
            sub_heading="Oslo",
        ),
        Page(
            "Tiltak, hovedgrupper og fylke",
            header,
            [total, row("Jobbklubb", 11, 4, 7), row("I alt oppfølging", 15, 5, 10)],
            sub_heading="Oslo",
        ),
    ]
    text = render(minimal_pages_with("Tiltak, hovedgrupper og fylke", "Oslo", *oslo))
    result = ws.extract(text)
    rows = result.rows("Tiltak, hovedgrupper og fylke", "Oslo")
    assert _labels_in_order(rows) == [
        "I alt Oslo",
        "Avklaring",
        "I alt avklaringstiltak",
        "Mentor",
        "Jobbklubb",
        "I alt oppfølging",
    ]
    assert len(rows) == 6 * 3  # the repeated total rows are not in the seed
    # the kept total row is the first page's, at its own line and page
    first_total_line = text.split("\n").index(total) + 1
    totals = [r for r in rows if r["row_label"] == "I alt Oslo"]
    assert {int(r["line_number"]) for r in totals} == {first_total_line}
    # rows of the continuation pages keep the line and page they are printed on
    for label, printed in [
        ("Mentor", row("Mentor", 4, 1, 3)),
        ("Jobbklubb", row("Jobbklubb", 11, 4, 7)),
        ("I alt oppfølging", row("I alt oppfølging", 15, 5, 10)),
    ]:
        line = line_of(text, printed)
        found = [r for r in rows if r["row_label"] == label]
        assert {int(r["line_number"]) for r in found} == {line}
        assert {int(r["page_number"]) for r in found} == {page_number_of_line(text, line)}
    assert {r["page_number"] for r in rows} == {
        str(page_number_of_line(text, line_of(text, row("Avklaring", 10, 3, 7)))),
        str(page_number_of_line(text, line_of(text, row("Mentor", 4, 1, 3)))),
        str(page_number_of_line(text, line_of(text, row("Jobbklubb", 11, 4, 7)))),
    }
    cells = result.cells("Tiltak, hovedgrupper og fylke", "Oslo")
    assert cells[("Jobbklubb", NED)] == ("7", "printed")


def test_quirk5_group_subtotal_after_its_details_across_a_page_break(ws: Workspace) -> None:
    header = ["I alt", ARB, NED]
    national = [
        Page(
            "Tiltak og hovedgrupper",
            header,
            [
                row("I alt", 30, 10, 20),
                row("Avklaring", 12, 4, 8),
                row("I alt avklaringstiltak", 12, 4, 8),
                row("Arbeid med bistand (AB)", 7, 2, 5),
                row("Mentor", 2, 1, 1),
            ],
        ),
        Page(
            "Tiltak og hovedgrupper",
            header,
            [
                row("I alt", 30, 10, 20),
                row("Oppfølging", 9, 3, 6),
                row("I alt oppfølging", 18, 6, 12),
            ],
        ),
    ]
    text = render(minimal_pages_with("Tiltak og hovedgrupper", None, *national))
    result = ws.extract(text)
    rows = result.rows("Tiltak og hovedgrupper")
    assert _labels_in_order(rows) == [
        "I alt",
        "Avklaring",
        "I alt avklaringstiltak",
        "Arbeid med bistand (AB)",
        "Mentor",
        "Oppfølging",
        "I alt oppfølging",
    ]
    # seed order is print order: the sub-total comes after its details on the next page
    lines = [int(r["line_number"]) for r in rows]
    assert lines == sorted(lines)
    mentor = line_of(text, row("Mentor", 2, 1, 1))
    subtotal = line_of(text, row("I alt oppfølging", 18, 6, 12))
    assert page_number_of_line(text, subtotal) == page_number_of_line(text, mentor) + 1
    cells = result.cells("Tiltak og hovedgrupper")
    assert cells[("I alt oppfølging", "I alt")] == ("18", "printed")
    assert cells[("Mentor", ARB)] == ("1", "printed")


def test_quirk6_zero_rows_blank_bare_label_and_blank_lines(ws: Workspace) -> None:
    ukjent = Page(
        "Tiltak, hovedgrupper og fylke",
        ["I alt", ARB, NED],
        [
            row("I alt Ukjent", 5, 2, 3),
            "",
            row("Avklaring", "", "", ""),  # zero row printed with blank cells
            # a zero measure group with no sub-total row: "I alt avklaringstiltak" omitted
            "",
            "Arbeidsrettet rehabilitering (døgn) - sykmeldt arbeidstaker",  # bare label
            "",
            "I alt arbeidsrettet rehabilitering",  # bare label, no TAB at all
            "",
            row("Oppfølging", 5, 2, 3),
            row("I alt oppfølging", 5, 2, 3),
            "",
            "Tilrettelegging",  # bare label that is also a measure-group name
            "",
            "I alt tilrettelegging",
        ],
        sub_heading="Ukjent",
    )
    text = render(minimal_pages_with("Tiltak, hovedgrupper og fylke", "Ukjent", ukjent))
    result = ws.extract(text)
    rows = result.rows("Tiltak, hovedgrupper og fylke", "Ukjent")
    assert _labels_in_order(rows) == [
        "I alt Ukjent",
        "Avklaring",
        "Arbeidsrettet rehabilitering (døgn) - sykmeldt arbeidstaker",
        "I alt arbeidsrettet rehabilitering",
        "Oppfølging",
        "I alt oppfølging",
        "Tilrettelegging",
        "I alt tilrettelegging",
    ]
    cells = result.cells("Tiltak, hovedgrupper og fylke", "Ukjent")
    for label in (
        "Avklaring",
        "Arbeidsrettet rehabilitering (døgn) - sykmeldt arbeidstaker",
        "I alt arbeidsrettet rehabilitering",
        "Tilrettelegging",
        "I alt tilrettelegging",
    ):
        for column in ("I alt", ARB, NED):
            assert cells[(label, column)] == ("", "blank"), (label, column)
    bare = "I alt arbeidsrettet rehabilitering"
    assert {int(r["line_number"]) for r in rows if r["row_label"] == bare} == {line_of(text, bare)}
    assert cells[("Oppfølging", NED)] == ("3", "printed")
    # the bare labels were not taken for a new section's sub-heading
    all_rows = result.rows("Tiltak, hovedgrupper og fylke")
    assert {r["sub_heading"] for r in all_rows} == {"Oslo", "Ukjent"}
    # the omitted sub-total row is not invented
    assert ("I alt avklaringstiltak", "I alt") not in cells


def test_quirk6_omitted_zero_row(ws: Workspace) -> None:
    # Ukjent has no one in this group: the row is simply not printed.
    page = Page(
        "Fylke og hovedgruppe",
        METRICS,
        [row("I alt arbeidssøkere på tiltak", 10, -1, -9), row("Oslo", 10, -1, -9)],
        sub_heading=ARB,
    )
    result = ws.extract(render(minimal_pages_with("Fylke og hovedgruppe", ARB, page)))
    rows = result.rows("Fylke og hovedgruppe", ARB)
    assert _labels_in_order(rows) == ["I alt arbeidssøkere på tiltak", "Oslo"]
    assert len(rows) == 2 * 3


def test_quirk7_sister_tables_with_different_column_sets(ws: Workspace) -> None:
    arb = Page(
        "Fylke, tiltak og hovedgrupper",
        ["I alt", "Oppfølging", "Jobbskapning og egenetablering"],
        [row("I alt", 10, 6, 4), row("Oslo", 8, 5, 3), row("Ukjent", 2, 1, 1)],
        sub_heading=ARB,
    )
    ned = Page(
        "Fylke, tiltak og hovedgrupper",
        ["I alt", "Avklaringstiltak", "Arbeidsrettet rehabilitering", "Oppfølging"],
        [row("I alt", 20, 8, 1, 11), row("Oslo", 17, 7, 1, 9), row("Ukjent", 3, 1, "", 2)],
        sub_heading=NED,
    )
    pages = minimal_pages()
    pages[9:11] = [arb, ned]
    assert [p.sub_heading for p in pages[8:12]] == [None, ARB, NED, None]
    # a county without one participant group: that column is not printed
    ukjent = Page(
        "Tiltak, hovedgrupper og fylke",
        ["I alt", NED],
        [row("I alt Ukjent", 5, 5), row("Oppfølging", 5, 5), row("I alt oppfølging", 5, 5)],
        sub_heading="Ukjent",
    )
    pages[-1] = ukjent
    result = ws.extract(render(pages))

    rows_arb = result.rows("Fylke, tiltak og hovedgrupper", ARB)
    rows_ned = result.rows("Fylke, tiltak og hovedgrupper", NED)
    assert len(rows_arb) == 3 * 3
    assert len(rows_ned) == 3 * 4
    # column_label follows each page's own header, whatever the position
    numbered_arb = {(r["column_number"], r["column_label"]) for r in rows_arb}
    assert numbered_arb == {
        ("1", "I alt"),
        ("2", "Oppfølging"),
        ("3", "Jobbskapning og egenetablering"),
    }
    numbered_ned = {(r["column_number"], r["column_label"]) for r in rows_ned}
    assert numbered_ned == {
        ("1", "I alt"),
        ("2", "Avklaringstiltak"),
        ("3", "Arbeidsrettet rehabilitering"),
        ("4", "Oppfølging"),
    }
    cells_arb = result.cells("Fylke, tiltak og hovedgrupper", ARB)
    cells_ned = result.cells("Fylke, tiltak og hovedgrupper", NED)
    assert cells_arb[("Oslo", "Oppfølging")] == ("5", "printed")
    assert cells_ned[("Oslo", "Oppfølging")] == ("9", "printed")
    assert cells_ned[("Oslo", "Arbeidsrettet rehabilitering")] == ("1", "printed")
    assert cells_ned[("Ukjent", "Arbeidsrettet rehabilitering")] == ("", "blank")
    assert cells_arb[("Ukjent", "Jobbskapning og egenetablering")] == ("1", "printed")
    assert ("Oslo", "Avklaringstiltak") not in cells_arb

    cells_ukjent = result.cells("Tiltak, hovedgrupper og fylke", "Ukjent")
    assert set(cells_ukjent) == {
        (label, column)
        for label in ("I alt Ukjent", "Oppfølging", "I alt oppfølging")
        for column in ("I alt", NED)
    }


def test_quirk8_misspelt_labels_are_kept_as_printed(ws: Workspace) -> None:
    misspelt_header = [
        "I alt",
        "Heisemessig utredning/behandling",
        "Jobbskapning og egenetablering",
    ]
    fylke_og_tiltak = Page(
        "Fylke og tiltak",
        misspelt_header,
        [row("I alt", 30, 12, 18), row("Oslo", 25, 10, 15), row("Ukjent", 5, 2, 3)],
    )
    national = Page(
        "Tiltak og hovedgrupper",
        ["I alt", ARB, NED],
        [
            row("I alt", 30, 10, 20),
            row("Jobbklass", 5, 2, 3),
            row("Intern jobbklass", 13, 4, 9),
            row("I alt Oppfølging", 18, 6, 12),
            row("Arbeidsmarkedsopplæring (AMO) enkelt plass", 4, 2, 2),
            row("I alt opplæring", 4, 2, 2),
            row("Jobbskappingsprosjekter", 3, 1, 2),
            row("Jobbskapingprosjekter", 5, 1, 4),
            row("I alt jobbskaping og egenetablering", 8, 2, 6),
        ],
    )
    pages = minimal_pages_with("Tiltak og hovedgrupper", None, national)
    pages[[p.table for p in pages].index("Fylke og tiltak")] = fylke_og_tiltak
    result = ws.extract(render(pages))

    labels = _labels_in_order(result.rows("Tiltak og hovedgrupper"))
    assert labels == [
        "I alt",
        "Jobbklass",
        "Intern jobbklass",
        "I alt Oppfølging",
        "Arbeidsmarkedsopplæring (AMO) enkelt plass",
        "I alt opplæring",
        "Jobbskappingsprosjekter",
        "Jobbskapingprosjekter",
        "I alt jobbskaping og egenetablering",
    ]
    columns = {r["column_label"] for r in result.rows("Fylke og tiltak")}
    assert columns == set(misspelt_header)
    cells = result.cells("Fylke og tiltak")
    assert cells[("Oslo", "Heisemessig utredning/behandling")] == ("10", "printed")
    assert cells[("Ukjent", "Jobbskapning og egenetablering")] == ("3", "printed")


def test_quirk9_measure_named_like_its_group_kept_as_printed(ws: Workspace) -> None:
    national = Page(
        "Tiltak og hovedgrupper",
        ["I alt", ARB, NED],
        [
            row("I alt", 30, 10, 20),
            row("Oppfølging", 7, 2, 5),
            row("Mentor", 11, 4, 7),
            row("I alt oppfølging", 18, 6, 12),
            row("Funksjonsassistanse", 4, 1, 3),
            row("Tilrettelegging", 8, 3, 5),
            row("I alt tilrettelegging", 12, 4, 8),
        ],
    )
    fylke_og_tiltak = Page(
        "Fylke og tiltak",
        ["I alt", "Oppfølging", "Tilrettelegging"],
        [row("I alt", 30, 18, 12), row("Oslo", 25, 15, 10), row("Ukjent", 5, 3, 2)],
    )
    pages = minimal_pages_with("Tiltak og hovedgrupper", None, national)
    pages[[p.table for p in pages].index("Fylke og tiltak")] = fylke_og_tiltak
    result = ws.extract(render(pages))

    cells = result.cells("Tiltak og hovedgrupper")
    assert cells[("Oppfølging", "I alt")] == ("7", "printed")
    assert cells[("I alt oppfølging", "I alt")] == ("18", "printed")
    assert cells[("Tilrettelegging", NED)] == ("5", "printed")
    assert cells[("I alt tilrettelegging", NED)] == ("8", "printed")
    assert len(cells) == 7 * 3
    assert _labels_in_order(result.rows("Tiltak og hovedgrupper"))[1:4] == [
        "Oppfølging",
        "Mentor",
        "I alt oppfølging",
    ]
    group_columns = result.cells("Fylke og tiltak")
    assert group_columns[("Oslo", "Oppfølging")] == ("15", "printed")
    assert group_columns[("Oslo", "Tilrettelegging")] == ("10", "printed")


@pytest.mark.parametrize(
    "variant",
    ["final newline", "two final newlines", "CRLF line ends", "byte-order mark"],
)
def test_quirk10_file_with_or_without_final_newline_gives_same_seeds(
    ws: Workspace, variant: str
) -> None:
    text = render(minimal_pages())
    assert not text.endswith("\n")
    result = ws.extract(text)
    # the last cell of the file, right before its end, is read in full
    assert text.endswith(row("I alt oppfølging", 3, 1, 2))
    last = result.cells("Tiltak, hovedgrupper og fylke", "Ukjent")
    assert last[("I alt oppfølging", NED)] == ("2", "printed")
    without = ws.snapshot()
    variants = {
        "final newline": text + "\n",
        "two final newlines": text + "\n\n",
        "CRLF line ends": text.replace("\n", "\r\n"),
        "byte-order mark": "\ufeff" + text,
    }
    ws.extract(variants[variant])
    assert ws.snapshot() == without


def test_suppressed_cell_is_kept_as_suppressed(ws: Workspace) -> None:
    page = Page(
        "Fylke og alder",
        ["I alt", "19 år og under", "20-24 år"],
        [row("I alt", 30, 12, 18), row("Oslo", 25, 10, 15), row("Ukjent", 5, "*", "*")],
    )
    result = ws.extract(render(minimal_pages_with("Fylke og alder", None, page)))
    cells = result.cells("Fylke og alder")
    assert cells[("Ukjent", "19 år og under")] == ("", "suppressed")
    assert cells[("Ukjent", "20-24 år")] == ("", "suppressed")
    assert cells[("Ukjent", "I alt")] == ("5", "printed")
    assert result.stderr == ""
