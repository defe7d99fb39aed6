"""A selection (PxWebApi 2.0 value expressions) resolved against a table's variables.

Per variable, a list of value codes or expressions, over the values of the variable or
of the code list named for it:

- a code; `*` (every value); a pattern with `*` (any characters) or `?` (one character);
- `top(n)` / `top(n,offset)`: the first n values (for Tid the latest n months);
- `bottom(n)` / `bottom(n,offset)`: the last n values (for Tid the earliest n months);
- `from(code)`, `to(code)`, `range(code1,code2)`: a run of values, ends included.

Expressions are case-insensitive, codes are not. The values come out in the order of the
value set, each once. A variable left out is eliminated (its total) when it may be;
ContentsCode and Tid may not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from navtiltak.statbank.catalogue import TIME, CatalogueTable, Codelist, Value, Variable
from navtiltak.statbank.problems import ProblemError

FUNCTION = re.compile(r"^\s*(top|bottom|from|to|range)\s*\((.*)\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Chosen:
    variable: Variable
    codelist: Codelist | None
    values: tuple[Value, ...]
    eliminated: bool = False


@dataclass(frozen=True)
class Request:
    """What a client asked for one variable."""

    codelist: str | None
    expressions: tuple[str, ...]


def _bad(detail: str) -> ProblemError:
    return ProblemError(400, detail)


def _count(text: str, expression: str, variable: str, minimum: int) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        raise _bad(
            f"{expression!r} for variable {variable}: {text.strip()!r} is not a whole number"
        ) from None
    if number < minimum:
        raise _bad(f"{expression!r} for variable {variable}: {number} is below {minimum}")
    return number


def _position(code: str, codes: list[str], expression: str, variable: str) -> int:
    code = code.strip()
    if code not in codes:
        raise _bad(f"{expression!r}: {code!r} is not a value code of variable {variable}")
    return codes.index(code)


def _function(
    name: str, arguments: str, expression: str, variable: Variable, codes: list[str]
) -> list[int]:
    parts = [part for part in arguments.split(",")]
    size = len(codes)
    if name in ("top", "bottom"):
        if len(parts) not in (1, 2):
            raise _bad(
                f"{expression!r} for variable {variable.code}: {name}(n) or {name}(n,offset)"
            )
        count = _count(parts[0], expression, variable.code, 1)
        offset = _count(parts[1], expression, variable.code, 0) if len(parts) == 2 else 0
        positions = list(range(size))
        # For time the top values are the latest (Statistics Norway's usage).
        from_end = (name == "top") == (variable.code == TIME)
        if from_end:
            positions.reverse()
        return sorted(positions[offset : offset + count])
    if name == "range":
        if len(parts) != 2:
            raise _bad(f"{expression!r} for variable {variable.code}: range(code1,code2)")
        first = _position(parts[0], codes, expression, variable.code)
        last = _position(parts[1], codes, expression, variable.code)
        return list(range(min(first, last), max(first, last) + 1))
    if len(parts) != 1:
        raise _bad(f"{expression!r} for variable {variable.code}: {name}(code)")
    at = _position(parts[0], codes, expression, variable.code)
    return list(range(at, size)) if name == "from" else list(range(at + 1))


def _pattern(expression: str) -> re.Pattern[str]:
    body = "".join(
        ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in expression
    )
    return re.compile(f"^{body}$", re.DOTALL)


def evaluate(
    expressions: tuple[str, ...], variable: Variable, values: tuple[Value, ...]
) -> list[int]:
    """The positions in ``values`` that ``expressions`` select, in order, each once."""
    codes = [value.code for value in values]
    chosen: set[int] = set()
    for expression in expressions:
        if not isinstance(expression, str) or not expression.strip():
            raise _bad(f"an empty value code for variable {variable.code}")
        function = FUNCTION.match(expression)
        if function:
            chosen.update(
                _function(function.group(1).lower(), function.group(2), expression, variable, codes)
            )
        elif "*" in expression or "?" in expression:
            pattern = _pattern(expression)
            matched = [i for i, code in enumerate(codes) if pattern.match(code)]
            if not matched:
                raise _bad(f"{expression!r} matches no value code of variable {variable.code}")
            chosen.update(matched)
        elif expression in codes:
            chosen.add(codes.index(expression))
        else:
            raise _bad(f"{expression!r} is not a value code of variable {variable.code}")
    if not chosen:
        raise _bad(f"the selection selects no value of variable {variable.code}")
    return sorted(chosen)


def _values_for(
    variable: Variable, codelist_id: str | None
) -> tuple[Codelist | None, tuple[Value, ...]]:
    if not codelist_id:
        return None, variable.values
    codelist = variable.codelist(codelist_id)
    if codelist is None:
        raise _bad(f"{codelist_id!r} is not a code list of variable {variable.code}")
    return codelist, codelist.values


def resolve(table: CatalogueTable, requests: dict[str, Request], max_cells: int) -> list[Chosen]:
    """Each variable of ``table`` with the values chosen, in the table's order. Unknown
    variables, codes, code lists and expressions answer 400; more cells than
    ``max_cells`` 403."""
    by_code: dict[str, Request] = {}
    for name, request in requests.items():
        variable = table.variable(name)
        if variable is None:
            raise _bad(f"{name!r} is not a variable of table {table.id}")
        if variable.code in by_code:
            raise _bad(f"variable {variable.code} is selected twice")
        by_code[variable.code] = request
    chosen = []
    for variable in table.variables:
        request = by_code.get(variable.code)
        if request is None:
            if not variable.eliminable:
                raise _bad(f"variable {variable.code} cannot be eliminated: select its values")
            total = next(v for v in variable.values if v.code == variable.elimination_code)
            chosen.append(Chosen(variable, None, (total,), eliminated=True))
            continue
        codelist, values = _values_for(variable, request.codelist)
        positions = evaluate(request.expressions, variable, values)
        chosen.append(Chosen(variable, codelist, tuple(values[i] for i in positions)))
    cells = 1
    for item in chosen:
        cells *= len(item.values)
    if cells > max_cells:
        raise ProblemError(
            403,
            f"the selection gives {cells} data cells, more than the {max_cells} allowed "
            "in one call: split it (by Tid, for instance)",
        )
    return chosen


def default_requests(table: CatalogueTable) -> dict[str, Request]:
    return {
        code: Request(codelist, expressions)
        for code, (codelist, expressions) in table.default_selection.items()
    }
