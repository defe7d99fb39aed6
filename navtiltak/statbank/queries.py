"""What a data request asks, read from its query string or its JSON body: the selection
per variable, the output format's parameters, and the placement of the variables."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from navtiltak.statbank import catalogue as cat
from navtiltak.statbank import jsonstat
from navtiltak.statbank.config import DEFAULT_LANGUAGE, LANGUAGES
from navtiltak.statbank.problems import ProblemError
from navtiltak.statbank.selection import Chosen
from navtiltak.statbank.selection import Request as VariableRequest

BRACKETED = re.compile(r"^(valuecodes|codelist)\[(.+)\]$", re.IGNORECASE)


def language(lang: str | None) -> str:
    if lang is None or lang == "":
        return DEFAULT_LANGUAGE
    if lang not in LANGUAGES:
        raise ProblemError(400, f"lang={lang!r}: the languages are {', '.join(LANGUAGES)}")
    return lang


def split_list(text: str) -> list[str]:
    """A comma-separated list whose items may hold commas inside parentheses
    (range(a,b), top(5,1))."""
    items, depth, current = [], 0, []
    for char in text:
        if char == "," and depth == 0:
            items.append("".join(current))
            current = []
            continue
        depth += (char == "(") - (char == ")")
        current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items]


def parse_query(
    items: Iterable[tuple[str, str]],
) -> tuple[dict[str, VariableRequest], dict[str, str]]:
    """valuecodes[VAR] and codelist[VAR] of a GET data request, and its other parameters
    (names lowercased)."""
    values: dict[str, list[str]] = {}
    lists: dict[str, str] = {}
    named: dict[str, str] = {}
    for key, value in items:
        match = BRACKETED.match(key)
        if match:
            if match.group(1).lower() == "valuecodes":
                values.setdefault(match.group(2), []).extend(split_list(value))
            else:
                lists[match.group(2)] = value
        else:
            named[key.lower()] = value
    unknown = [name for name in lists if name not in values]
    if unknown:
        raise ProblemError(400, f"codelist[{unknown[0]}] without valuecodes[{unknown[0]}]")
    requests = {
        name: VariableRequest(lists.get(name) or None, tuple(codes))
        for name, codes in values.items()
    }
    return requests, named


def listed(named: dict[str, str], name: str) -> list[str]:
    """A comma-separated parameter's items, without empty ones."""
    return [item for item in split_list(named.get(name, "")) if item]


def parse_body(raw: bytes) -> tuple[dict[str, VariableRequest] | None, list[str], list[str]]:
    """The POST body: {"selection": [...], "placement": {...}}; none means the default."""
    if not raw.strip():
        return None, [], []
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProblemError(400, f"the body is not JSON: {error}") from None
    if not isinstance(body, dict) or not isinstance(body.get("selection"), list):
        raise ProblemError(400, 'the body must be an object with a list "selection"')
    requests: dict[str, VariableRequest] = {}
    for number, item in enumerate(body["selection"]):
        if not isinstance(item, dict):
            raise ProblemError(400, f"selection[{number}] is not an object")
        code = item.get("variableCode")
        values = item.get("valueCodes")
        codelist = item.get("codeList", item.get("codelist"))
        if not isinstance(code, str) or not code:
            raise ProblemError(400, f"selection[{number}].variableCode must be a string")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ProblemError(400, f"selection[{number}].valueCodes must be a list of strings")
        if codelist is not None and not isinstance(codelist, str):
            raise ProblemError(400, f"selection[{number}].codeList must be a string")
        if code.lower() in (name.lower() for name in requests):
            raise ProblemError(400, f"variable {code} is selected twice")
        requests[code] = VariableRequest(codelist or None, tuple(values))
    placement = body.get("placement")
    placement = {} if placement is None else placement
    if not isinstance(placement, dict):
        raise ProblemError(400, "placement must be an object")
    lists = []
    for key in ("heading", "stub"):
        names = placement.get(key, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ProblemError(400, f"placement.{key} must be a list of strings")
        lists.append(names)
    return requests, lists[0], lists[1]


def placement(
    table: cat.CatalogueTable, chosen: list[Chosen], heading: list[str], stub: list[str]
) -> tuple[list[str], list[str]]:
    present = [item.variable.code for item in chosen if not item.eliminated]
    if not heading and not stub:
        return jsonstat.default_placement(table, present)

    def codes(names: list[str], where: str) -> list[str]:
        result = []
        for name in names:
            variable = table.variable(name)
            if variable is None:
                raise ProblemError(400, f"{where}: {name!r} is not a variable of table {table.id}")
            if variable.code not in present:
                raise ProblemError(400, f"{where}: variable {variable.code} is eliminated")
            if variable.code in result:
                raise ProblemError(400, f"{where}: variable {variable.code} is named twice")
            result.append(variable.code)
        return result

    heading_codes, stub_codes = codes(heading, "heading"), codes(stub, "stub")
    both = set(heading_codes) & set(stub_codes)
    if both:
        raise ProblemError(400, f"variable {sorted(both)[0]} is in both heading and stub")
    rest = [code for code in present if code not in heading_codes + stub_codes]
    if heading_codes:
        return stub_codes + rest, heading_codes
    return stub_codes, rest
