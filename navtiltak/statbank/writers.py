"""The other output formats of a selection: csv, px (PC-Axis) and xlsx.

Each lays the cube out as PxWeb does: one row per combination of the stub variables, one
column per combination of the heading variables. A cell without a number holds its
status symbol (`:` suppressed, `.` not applicable).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

from openpyxl import Workbook

from navtiltak.statbank.catalogue import CONTENTS, TIME, CatalogueTable
from navtiltak.statbank.cube import CubeResult
from navtiltak.statbank.jsonstat import unique_labels
from navtiltak.statbank.problems import ProblemError

TEXT_PARAMETERS = {"UseCodes", "UseTexts", "UseCodesAndTexts"}
SEPARATORS = {"SeparatorTab": "\t", "SeparatorSpace": " ", "SeparatorSemicolon": ";"}
PARAMETERS = {*TEXT_PARAMETERS, *SEPARATORS, "IncludeTitle"}
# PX has no ':' among its data symbols: a suppressed cell is written as '..'
# (DATASYMBOL2, "not available"), a not-applicable one as '.'.
PX_SYMBOLS = {":": "..", ".": "."}


def check_parameters(parameters: list[str]) -> None:
    unknown = [p for p in parameters if p not in PARAMETERS]
    if unknown:
        raise ProblemError(400, f"unknown outputFormatParams: {', '.join(unknown)}")
    if len(TEXT_PARAMETERS.intersection(parameters)) > 1:
        raise ProblemError(400, "only one of UseCodes, UseTexts and UseCodesAndTexts")
    if len(set(SEPARATORS).intersection(parameters)) > 1:
        raise ProblemError(400, "only one of SeparatorTab, SeparatorSpace and SeparatorSemicolon")
    # Parameters that do not apply to the format are ignored, as PxWeb does.


def _texts(result: CubeResult, lang: str, parameters: list[str]) -> dict[str, list[str]]:
    mode = next((p for p in parameters if p in TEXT_PARAMETERS), "UseTexts")
    texts = {}
    for item in result.dims:
        labels = unique_labels(item.values, lang)
        texts[item.variable.code] = [
            value.code
            if mode == "UseCodes"
            else labels[value.code]
            if mode == "UseTexts"
            else f"{value.code} {labels[value.code]}"
            for value in item.values
        ]
    return texts


def _grid(
    result: CubeResult, stub: list[str], heading: list[str], texts: dict[str, list[str]], lang: str
) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the stub x heading layout. The cube's order is stub then heading,
    so the values run row by row."""
    labels = {item.variable.code: item.variable.label[lang] for item in result.dims}
    columns = [" ".join(parts) for parts in itertools.product(*(texts[c] for c in heading))]
    header = [labels[code] for code in stub] + columns
    width = len(columns)
    rows = []
    for number, parts in enumerate(itertools.product(*(texts[c] for c in stub))):
        cells: list[object] = []
        for column in range(width):
            index = number * width + column
            value = result.values[index]
            cells.append(value if value is not None else result.status.get(index, "."))
        rows.append([*parts, *cells])
    return header, rows


def to_csv(
    table: CatalogueTable,
    result: CubeResult,
    stub: list[str],
    heading: list[str],
    lang: str,
    parameters: list[str],
) -> str:
    separator = next((SEPARATORS[p] for p in parameters if p in SEPARATORS), ",")
    header, rows = _grid(result, stub, heading, _texts(result, lang, parameters), lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    if "IncludeTitle" in parameters:
        writer.writerow([table.label[lang]])
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def to_xlsx(
    table: CatalogueTable,
    result: CubeResult,
    stub: list[str],
    heading: list[str],
    lang: str,
    parameters: list[str],
) -> bytes:
    header, rows = _grid(result, stub, heading, _texts(result, lang, parameters), lang)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.id[:31])
    if "IncludeTitle" in parameters:
        sheet.append([table.label[lang]])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def _list(texts: list[str]) -> str:
    return ",".join(_quote(text) for text in texts)


def to_px(
    table: CatalogueTable, result: CubeResult, stub: list[str], heading: list[str], lang: str
) -> str:
    """A PX file (UTF-8) with the codes and texts of every variable."""
    dims = {item.variable.code: item for item in result.dims}
    names = {code: item.variable.label[lang] for code, item in dims.items()}
    contents = dims[CONTENTS]
    metrics = {metric.code: metric for metric in table.metrics}
    units = ", ".join(dict.fromkeys(metrics[v.code].unit[lang] for v in contents.values))
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%d %H:%M")
    lines = [
        'CHARSET="ANSI";',
        'AXIS-VERSION="2013";',
        'CODEPAGE="utf-8";',
        f'LANGUAGE="{lang}";',
        f'CREATION-DATE="{now}";',
        "DECIMALS=0;",
        "SHOWDECIMALS=0;",
        f"MATRIX={_quote(table.id)};",
        'SUBJECT-CODE="AM";',
        f"SUBJECT-AREA={_quote('Arbeidsmarked' if lang == 'no' else 'Labour market')};",
        f"CONTENTS={_quote(table.label[lang].split(',')[0])};",
        f"TITLE={_quote(table.label[lang])};",
        f"UNITS={_quote(units)};",
        f"STUB={_list([names[c] for c in stub])};",
        f"HEADING={_list([names[c] for c in heading])};",
        f"CONTVARIABLE={_quote(names[CONTENTS])};",
    ]
    for code in stub + heading:
        item = dims[code]
        labels = unique_labels(item.values, lang)
        lines.append(
            f"VALUES({_quote(names[code])})={_list([labels[v.code] for v in item.values])};"
        )
        lines.append(f"CODES({_quote(names[code])})={_list([v.code for v in item.values])};")
        if code == TIME:
            periods = [v.code.replace("M", "") for v in item.values]
            lines.append(f"TIMEVAL({_quote(names[code])})=TLIST(M1),{_list(periods)};")
    for value in contents.values:
        key = (
            f"{_quote(names[CONTENTS])},{_quote(unique_labels(contents.values, lang)[value.code])}"
        )
        metric = metrics[value.code]
        lines.append(f"UNITS({key})={_quote(metric.unit[lang])};")
        lines.append(f"DECIMALS({key})={metric.decimals};")
    lines.append(f"SOURCE={_quote('NAV')};")
    lines.append("DATA=")
    width = 1
    for code in heading:
        width *= len(dims[code].values)
    cells = [
        str(value) if value is not None else _quote(PX_SYMBOLS.get(result.status.get(i, "."), "."))
        for i, value in enumerate(result.values)
    ]
    for start in range(0, len(cells), width):
        lines.append(" ".join(cells[start : start + width]))
    lines[-1] += ";"
    return "\r\n".join(lines) + "\r\n"
