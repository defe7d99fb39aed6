"""JSON-stat 2.0 datasets, as PxWebApi 2.0 writes them: a table's metadata (no values)
and the data of a selection."""

from __future__ import annotations

from collections import Counter

from navtiltak.statbank.catalogue import (
    CONTENTS,
    REGION,
    TIME,
    Catalogue,
    CatalogueTable,
    Codelist,
    Value,
    Variable,
)
from navtiltak.statbank.cube import NOT_APPLICABLE, SUPPRESSED, CubeResult
from navtiltak.statbank.selection import Chosen

SOURCE = "NAV"
STATUS_TEXT = {
    "no": {
        SUPPRESSED: "Skjult av NAV (*), eller en sum med en skjult del",
        NOT_APPLICABLE: "Ikke aktuelt: intet trykt for denne kombinasjonen i måneden",
    },
    "en": {
        SUPPRESSED: "Suppressed by NAV (*), or a sum with a suppressed part",
        NOT_APPLICABLE: "Not applicable: nothing printed for this combination in the month",
    },
}


def codelist_links(base: str, codelist: Codelist, lang: str) -> list[dict[str, str]]:
    return [
        {"rel": "metadata", "hreflang": lang, "href": f"{base}/codelists/{codelist.id}?lang={lang}"}
    ]


def unique_labels(values: tuple[Value, ...], lang: str) -> dict[str, str]:
    """Code -> label; a label that two values share gets its code, so that a client
    keying rows by label (pxwebpy, pyjstat) keeps them apart: Østfold 01 and 31."""
    counts = Counter(value.label[lang] for value in values)
    return {
        value.code: value.label[lang]
        if counts[value.label[lang]] == 1
        else f"{value.label[lang]} ({value.code})"
        for value in values
    }


def dimension(
    base: str,
    table: CatalogueTable,
    variable: Variable,
    values: tuple[Value, ...],
    lang: str,
    codelist: Codelist | None = None,
) -> dict[str, object]:
    labels = unique_labels(values, lang)
    category: dict[str, object] = {
        "index": {value.code: position for position, value in enumerate(values)},
        "label": labels,
    }
    notes = {value.code: list(value.notes[lang]) for value in values if value.notes.get(lang)}
    if notes:
        category["note"] = notes
    if variable.code == CONTENTS:
        metrics = {metric.code: metric for metric in table.metrics}
        category["unit"] = {
            value.code: {
                "base": metrics[value.code].unit[lang],
                "decimals": metrics[value.code].decimals,
            }
            for value in values
        }
    extension: dict[str, object] = {
        "elimination": variable.eliminable,
        "show": "value",
        "codeLists": [
            {
                "id": item.id,
                "label": item.label[lang],
                "type": item.kind,
                "links": codelist_links(base, item, lang),
            }
            for item in variable.codelists
        ],
    }
    if variable.eliminable:
        extension["eliminationValueCode"] = variable.elimination_code
    result: dict[str, object] = {"label": variable.label[lang], "category": category}
    if variable.note.get(lang):
        result["note"] = [variable.note[lang]]
    if codelist is not None:
        result["note"] = [*result.get("note", []), f"{codelist.id}: {codelist.label[lang]}"]  # type: ignore[list-item]
    result["extension"] = extension
    return result


def _root(
    base: str,
    table: CatalogueTable,
    catalogue: Catalogue,
    lang: str,
    order: list[str],
    stub: list[str],
    heading: list[str],
    months: list[str],
) -> dict[str, object]:
    sources = [f"{month}: {', '.join(catalogue.sources.get(month, []))}" for month in months]
    notes = {
        "no": [
            table.description["no"],
            "Hver måned er lest fra NAVs rapport (fil): " + "; ".join(sources),
        ],
        "en": [
            table.description["en"],
            "Each month is read from NAV's report (file): " + "; ".join(sources),
        ],
    }
    roles = {"geo": [REGION], "time": [TIME], "metric": [CONTENTS]}
    return {
        "version": "2.0",
        "class": "dataset",
        "href": f"{base}/tables/{table.id}/data?lang={lang}",
        "label": table.label[lang],
        "source": SOURCE,
        "updated": table.updated,
        "note": notes[lang],
        "role": {role: codes for role, codes in roles.items() if codes[0] in order},
        "id": order,
        "extension": {
            "px": {
                "tableid": table.id,
                "matrix": table.id,
                "language": lang,
                "decimals": 0,
                "official-statistics": False,
                "aggregallowed": True,
                "contents": table.label[lang].split(",")[0],
                "stub": stub,
                "heading": heading,
            },
            "firstPeriod": table.first_period,
            "lastPeriod": table.last_period,
            "sources": {month: catalogue.sources.get(month, []) for month in months},
            "statusText": STATUS_TEXT[lang],
        },
    }


def metadata(
    base: str,
    table: CatalogueTable,
    catalogue: Catalogue,
    lang: str,
    codelists: dict[str, Codelist],
) -> dict[str, object]:
    """Every variable with every value (or those of the code list named for it)."""
    order = [variable.code for variable in table.variables]
    months = [value.code for value in table.variable(TIME).values]  # type: ignore[union-attr]
    stub, heading = default_placement(table, order)
    dataset = _root(base, table, catalogue, lang, order, stub, heading, months)
    dimensions = {}
    for variable in table.variables:
        codelist = codelists.get(variable.code)
        values = codelist.values if codelist else variable.values
        dimensions[variable.code] = dimension(base, table, variable, values, lang, codelist)
    dataset["size"] = [len(dimensions[code]["category"]["index"]) for code in order]  # type: ignore[index]
    dataset["dimension"] = dimensions
    # No values, as the spec's own metadata example has it (valid JSON-stat: a sparse
    # value with every cell missing).
    dataset["value"] = []
    return dataset


def default_placement(table: CatalogueTable, order: list[str]) -> tuple[list[str], list[str]]:
    heading = [code for code in (CONTENTS, TIME) if code in order]
    return [code for code in order if code not in heading], heading


def data(
    base: str,
    table: CatalogueTable,
    catalogue: Catalogue,
    lang: str,
    result: CubeResult,
    stub: list[str],
    heading: list[str],
) -> dict[str, object]:
    order = [item.variable.code for item in result.dims]
    time = next(item for item in result.dims if item.variable.code == TIME)
    months = [value.code for value in time.values]
    dataset = _root(base, table, catalogue, lang, order, stub, heading, months)
    dataset["size"] = result.size
    dataset["dimension"] = {
        item.variable.code: _chosen_dimension(base, table, item, lang) for item in result.dims
    }
    dataset["value"] = result.values
    if result.status:
        dataset["status"] = {str(index): symbol for index, symbol in result.status.items()}
    return dataset


def _chosen_dimension(
    base: str, table: CatalogueTable, item: Chosen, lang: str
) -> dict[str, object]:
    return dimension(base, table, item.variable, item.values, lang, item.codelist)
