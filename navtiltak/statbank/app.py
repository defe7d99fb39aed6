"""The PxWebApi 2.0 endpoints (FastAPI): /config, /tables, /tables/{id},
/tables/{id}/metadata, /tables/{id}/defaultselection, GET and POST /tables/{id}/data,
/codelists/{id}; the server's own OpenAPI document at /api/v2/openapi.json.

Every request takes the snapshot of the published file once, at its start, and answers
from it alone (navtiltak/statbank/snapshot.py).
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from navtiltak.statbank import catalogue as cat
from navtiltak.statbank import jsonstat, models, writers
from navtiltak.statbank.config import (
    API_VERSION,
    APP_VERSION,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LICENSE,
    UNENFORCED_CALLS_PER_WINDOW,
    UNENFORCED_TIME_WINDOW,
    Settings,
)
from navtiltak.statbank.cube import compute
from navtiltak.statbank.problems import MEDIA_TYPE, Problem
from navtiltak.statbank.selection import Chosen, default_requests, resolve
from navtiltak.statbank.selection import Request as VariableRequest
from navtiltak.statbank.snapshot import Snapshot, SnapshotStore, WarehouseMissingError

FORMATS = {
    "json-stat2": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "px": "application/octet-stream",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Formats of the spec this server does not write.
UNSUPPORTED_FORMATS = ("html", "json-px", "parquet")
EXTENSIONS = {"csv": "csv", "px": "px", "xlsx": "xlsx"}
BRACKETED = re.compile(r"^(valuecodes|codelist)\[(.+)\]$", re.IGNORECASE)
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, description in {
        400: "Bad request: an unknown variable, value code, code list, expression or format",
        404: "No table or code list with that id",
        429: "Too many calls (only when a rate limit is configured); see Retry-After",
    }.items()
}
DATA_RESPONSES = {
    **PROBLEM_RESPONSES,
    403: {
        "description": "The selection has more cells than maxDataCells",
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
}
TABLE_ID = Annotated[str, Path(examples=["DeltakereTiltak"], description="A table's id")]
CODELIST_ID = Annotated[str, Path(examples=["agg_Region2020"], description="A code list's id")]
LANG = Annotated[Literal["no", "en"] | None, Query(description="no (default) or en")]


def language(lang: str | None) -> str:
    if lang is None or lang == "":
        return DEFAULT_LANGUAGE
    if lang not in LANGUAGES:
        raise Problem(400, f"lang={lang!r}: the languages are {', '.join(LANGUAGES)}")
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


class RateLimiter:
    """At most ``calls`` per client address in ``window`` seconds (a sliding window)."""

    def __init__(self, calls: int, window: int) -> None:
        self.calls, self.window = calls, window
        self.seen: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        now = time.monotonic()
        with self.lock:
            times = self.seen.setdefault(client, deque())
            while times and now - times[0] >= self.window:
                times.popleft()
            if len(times) >= self.calls:
                return max(1, math.ceil(self.window - (now - times[0])))
            times.append(now)
            return None


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    return JSONResponse(
        problem.body(str(request.url.path) if request else None),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=problem.headers,
    )


def create_app(settings: Settings) -> FastAPI:
    store = SnapshotStore(settings.warehouse, cat.build)
    base = settings.base_path
    app = FastAPI(
        title="NAV tiltak statistics bank (PxWebApi 2.0)",
        version=APP_VERSION,
        description="Participants in NAV's labour market measures, from the warehouse's marts, "
        "served as PxWebApi 2.0 with JSON-stat 2.0 datasets.",
        openapi_url=f"{base}/openapi.json",
        docs_url=f"{base}/docs",
        redoc_url=None,
    )
    limiter = RateLimiter(settings.max_calls, settings.time_window) if settings.max_calls else None

    def snapshot() -> Snapshot:
        try:
            return store.current()
        except WarehouseMissingError as error:
            raise Problem(503, str(error)) from None

    def catalogue(snap: Snapshot) -> cat.Catalogue:
        return snap.catalogue  # type: ignore[return-value]

    def root_url(request: Request) -> str:
        return str(request.base_url).rstrip("/") + base

    def find_table(snap: Snapshot, identifier: str) -> cat.Table:
        table = catalogue(snap).table(identifier)
        if table is None:
            raise Problem(404, f"no table with id {identifier!r}")
        return table

    @app.exception_handler(Problem)
    async def on_problem(request: Request, problem: Problem) -> JSONResponse:
        return problem_response(problem, request)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        details = "; ".join(
            f"{'.'.join(str(p) for p in item.get('loc', ()) if p != 'query')}: {item.get('msg')}"
            f" (got {item.get('input')!r})"
            for item in error.errors()
        )
        return problem_response(Problem(400, details or "invalid request"), request)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(app, request))
        problem = Problem(error.status_code, str(error.detail), headers)
        return problem_response(problem, request)

    @app.middleware("http")
    async def rate_limit(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if limiter is not None and request.url.path.startswith(base):
            client = request.client.host if request.client else "unknown"
            wait = limiter.retry_after(client)
            if wait is not None:
                problem = Problem(
                    429,
                    f"more than {settings.max_calls} calls in {settings.time_window} s: "
                    f"retry after {wait} s",
                    {"Retry-After": str(wait)},
                )
                return problem_response(problem, request)
        return await call_next(request)

    def table_model(root: str, table: cat.Table, lang: str) -> dict[str, object]:
        return {
            "type": "Table",
            "id": table.id,
            "label": table.label[lang],
            "description": table.description[lang],
            "sortCode": table.id,
            "tags": [],
            "updated": table.updated,
            "firstPeriod": table.first_period,
            "lastPeriod": table.last_period,
            "category": "public",
            "variableNames": [variable.label[lang] for variable in table.variables],
            "discontinued": False,
            "source": jsonstat.SOURCE,
            "subjectCode": "AM",
            "timeUnit": "Monthly",
            "paths": [
                [
                    {
                        "id": "AM",
                        "label": "Arbeidsmarked" if lang == "no" else "Labour market",
                    }
                ]
            ],
            "links": [
                {"rel": "self", "hreflang": lang, "href": f"{root}/tables/{table.id}?lang={lang}"},
                {
                    "rel": "metadata",
                    "hreflang": lang,
                    "href": f"{root}/tables/{table.id}/metadata?lang={lang}",
                },
                {
                    "rel": "data",
                    "hreflang": lang,
                    "href": f"{root}/tables/{table.id}/data?lang={lang}",
                },
            ],
        }

    @app.get(f"{base}/config", response_model=models.ConfigResponse, responses=PROBLEM_RESPONSES)
    def get_config() -> dict[str, object]:
        return {
            "apiVersion": API_VERSION,
            "appVersion": APP_VERSION,
            "languages": [{"id": key, "label": label} for key, label in LANGUAGES.items()],
            "defaultLanguage": DEFAULT_LANGUAGE,
            "maxDataCells": settings.max_data_cells,
            "maxCallsPerTimeWindow": settings.max_calls or UNENFORCED_CALLS_PER_WINDOW,
            "timeWindow": settings.time_window if settings.max_calls else UNENFORCED_TIME_WINDOW,
            "license": LICENSE,
            "sourceReferences": [
                {"language": "no", "text": "Kilde: NAV, Deltakere i arbeidsrettede tiltak"},
                {"language": "en", "text": "Source: NAV, participants in labour market measures"},
            ],
            "defaultDataFormat": "json-stat2",
            "dataFormats": list(FORMATS),
            "features": [
                {
                    "id": "rateLimit",
                    "params": [{"key": "enforced", "value": str(limiter is not None).lower()}],
                }
            ],
        }

    @app.get(f"{base}/tables", response_model=models.TablesResponse, responses=PROBLEM_RESPONSES)
    def list_tables(
        request: Request,
        lang: LANG = None,
        query: Annotated[str | None, Query(description="words in a table's texts")] = None,
        pastDays: Annotated[int | None, Query(ge=1)] = None,  # noqa: N803 - the spec's names
        includeDiscontinued: bool = False,  # noqa: N803
        pageNumber: Annotated[int, Query(ge=1)] = 1,  # noqa: N803
        pageSize: Annotated[int, Query(ge=1, le=10_000)] = 20,  # noqa: N803
    ) -> dict[str, object]:
        lang = language(lang)
        snap = snapshot()
        root = root_url(request)
        tables = list(catalogue(snap).tables)
        if query:
            words = query.lower().split()
            tables = [
                t
                for t in tables
                if all(
                    word
                    in " ".join(
                        [t.id, t.label[lang], t.description[lang]]
                        + [v.label[lang] for v in t.variables]
                    ).lower()
                    for word in words
                )
            ]
        if pastDays is not None:
            tables = [t for t in tables if snap.identity[2] / 1e9 >= time.time() - pastDays * 86400]
        total = len(tables)
        pages = max(1, math.ceil(total / pageSize))
        chunk = tables[(pageNumber - 1) * pageSize : pageNumber * pageSize]
        links = [
            {
                "rel": "self",
                "hreflang": lang,
                "href": f"{root}/tables?lang={lang}&pageNumber={pageNumber}&pageSize={pageSize}",
            }
        ]
        if pageNumber < pages:
            links.append(
                {
                    "rel": "next",
                    "hreflang": lang,
                    "href": f"{root}/tables?lang={lang}&pageNumber={pageNumber + 1}"
                    f"&pageSize={pageSize}",
                }
            )
        return {
            "language": lang,
            "tables": [table_model(root, t, lang) for t in chunk],
            "page": {
                "pageNumber": pageNumber,
                "pageSize": pageSize,
                "totalElements": total,
                "totalPages": pages,
                "links": links,
            },
            "links": links[:1],
        }

    @app.get(
        f"{base}/tables/{{id}}", response_model=models.TableResponse, responses=PROBLEM_RESPONSES
    )
    def get_table(request: Request, id: TABLE_ID, lang: LANG = None) -> dict[str, object]:
        lang = language(lang)
        table = find_table(snapshot(), id)
        return {**table_model(root_url(request), table, lang), "language": lang}

    def codelists_of(request: Request, table: cat.Table) -> dict[str, str]:
        chosen: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            match = BRACKETED.match(key)
            if match and match.group(1).lower() == "codelist":
                variable = table.variable(match.group(2))
                if variable is None:
                    raise Problem(400, f"{match.group(2)!r} is not a variable of table {table.id}")
                chosen[variable.code] = value
        return chosen

    @app.get(
        f"{base}/tables/{{id}}/metadata",
        responses=PROBLEM_RESPONSES,
        openapi_extra={
            "parameters": [
                {
                    "in": "query",
                    "name": "codelist",
                    "style": "deepObject",
                    "explode": True,
                    "schema": {"type": "object", "additionalProperties": {"type": "string"}},
                    "description": "codelist[VARIABLE]=code list id",
                }
            ],
            "responses": {
                "200": {
                    "description": "JSON-stat 2.0 dataset without values",
                    "content": {"application/json": {"schema": models.DATASET_SCHEMA}},
                }
            },
        },
    )
    def get_metadata(
        request: Request,
        id: TABLE_ID,
        lang: LANG = None,
        defaultSelection: bool = False,  # noqa: N803
        savedQuery: str | None = None,  # noqa: N803
    ) -> JSONResponse:
        lang = language(lang)
        if savedQuery:
            raise Problem(400, "saved queries are not supported by this server")
        snap = snapshot()
        table = find_table(snap, id)
        chosen_lists: dict[str, cat.Codelist] = {}
        for variable_code, identifier in codelists_of(request, table).items():
            variable = table.variable(variable_code)
            codelist = variable.codelist(identifier) if variable else None
            if codelist is None:
                raise Problem(400, f"{identifier!r} is not a code list of variable {variable_code}")
            chosen_lists[variable_code] = codelist
        root = root_url(request)
        if defaultSelection:
            chosen = resolve(table, default_requests(table), 10**12)
            order = [item.variable.code for item in chosen if not item.eliminated]
            stub, heading = jsonstat.default_placement(table, order)
            body = jsonstat.metadata(root, table, catalogue(snap), lang, chosen_lists)
            kept = {item.variable.code: item for item in chosen if not item.eliminated}
            body["id"] = order
            body["dimension"] = {
                code: jsonstat.dimension(
                    root, table, kept[code].variable, kept[code].values, lang, kept[code].codelist
                )
                for code in order
            }
            body["size"] = [len(kept[code].values) for code in order]
            body["extension"]["px"].update(stub=stub, heading=heading)  # type: ignore[index]
        else:
            body = jsonstat.metadata(root, table, catalogue(snap), lang, chosen_lists)
        return JSONResponse(body)

    @app.get(
        f"{base}/tables/{{id}}/defaultselection",
        response_model=models.SelectionResponse,
        response_model_exclude_none=True,
        responses=PROBLEM_RESPONSES,
    )
    def get_default_selection(
        request: Request,
        id: TABLE_ID,
        lang: LANG = None,
    ) -> dict[str, object]:
        lang = language(lang)
        table = find_table(snapshot(), id)
        chosen = resolve(table, default_requests(table), 10**12)
        order = [item.variable.code for item in chosen if not item.eliminated]
        stub, heading = jsonstat.default_placement(table, order)
        root = root_url(request)
        return {
            "selection": [
                {
                    "variableCode": item.variable.code,
                    **({"codeList": item.codelist.id} if item.codelist else {}),
                    "valueCodes": [value.code for value in item.values],
                }
                for item in chosen
                if not item.eliminated
            ],
            "placement": {"heading": heading, "stub": stub},
            "language": lang,
            "links": [
                {
                    "rel": "self",
                    "hreflang": lang,
                    "href": f"{root}/tables/{table.id}/defaultselection?lang={lang}",
                }
            ],
        }

    def placement(
        table: cat.Table, chosen: list[Chosen], heading: list[str], stub: list[str]
    ) -> tuple[list[str], list[str]]:
        present = [item.variable.code for item in chosen if not item.eliminated]
        if not heading and not stub:
            return jsonstat.default_placement(table, present)

        def codes(names: list[str], where: str) -> list[str]:
            result = []
            for name in names:
                variable = table.variable(name)
                if variable is None:
                    raise Problem(400, f"{where}: {name!r} is not a variable of table {table.id}")
                if variable.code not in present:
                    raise Problem(400, f"{where}: variable {variable.code} is eliminated")
                if variable.code in result:
                    raise Problem(400, f"{where}: variable {variable.code} is named twice")
                result.append(variable.code)
            return result

        heading_codes, stub_codes = codes(heading, "heading"), codes(stub, "stub")
        both = set(heading_codes) & set(stub_codes)
        if both:
            raise Problem(400, f"variable {sorted(both)[0]} is in both heading and stub")
        rest = [code for code in present if code not in heading_codes + stub_codes]
        if heading_codes:
            return stub_codes + rest, heading_codes
        return stub_codes, rest

    def answer(
        request: Request,
        table_id: str,
        lang: str | None,
        requests: dict[str, VariableRequest] | None,
        output_format: str | None,
        parameters: list[str],
        heading: list[str],
        stub: list[str],
    ) -> Response:
        lang = language(lang)
        output_format = output_format or "json-stat2"
        if output_format in UNSUPPORTED_FORMATS:
            raise Problem(400, f"outputFormat {output_format} is not supported by this server")
        if output_format not in FORMATS:
            raise Problem(400, f"outputFormat {output_format!r}: one of {', '.join(FORMATS)}")
        writers.check_parameters(parameters)
        snap = snapshot()
        table = find_table(snap, table_id)
        chosen = resolve(table, requests or default_requests(table), settings.max_data_cells)
        stub_codes, heading_codes = placement(table, chosen, heading, stub)
        result = compute(snap, table, chosen, stub_codes + heading_codes)
        root = root_url(request)
        if output_format == "json-stat2":
            body = jsonstat.data(
                root, table, catalogue(snap), lang, result, stub_codes, heading_codes
            )
            return JSONResponse(body, media_type=FORMATS[output_format])
        disposition = {
            "Content-Disposition": f'attachment; filename="{table.id}.{EXTENSIONS[output_format]}"'
        }
        if output_format == "csv":
            text = writers.to_csv(table, result, stub_codes, heading_codes, lang, parameters)
            return Response(text, media_type=FORMATS["csv"], headers=disposition)
        if output_format == "px":
            text = writers.to_px(table, result, stub_codes, heading_codes, lang)
            return Response(text.encode("utf-8"), media_type=FORMATS["px"], headers=disposition)
        content = writers.to_xlsx(table, result, stub_codes, heading_codes, lang, parameters)
        return Response(content, media_type=FORMATS["xlsx"], headers=disposition)

    data_content = {
        FORMATS["json-stat2"].split(";")[0]: {"schema": models.DATASET_SCHEMA},
        "text/csv": {"schema": {"type": "string"}},
        FORMATS["px"]: {"schema": {"type": "string", "format": "binary"}},
        FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
    }
    format_parameters = [
        {
            "in": "query",
            "name": "outputFormat",
            "schema": {"type": "string", "enum": [*FORMATS, *UNSUPPORTED_FORMATS]},
        },
        {
            "in": "query",
            "name": "outputFormatParams",
            "style": "form",
            "explode": False,
            "schema": {
                "type": "array",
                "items": {"type": "string", "enum": sorted(writers.PARAMETERS)},
            },
        },
    ]

    @app.get(
        f"{base}/tables/{{id}}/data",
        responses=DATA_RESPONSES,
        openapi_extra={
            "parameters": [
                {
                    "in": "query",
                    "name": "valuecodes",
                    "style": "deepObject",
                    "explode": True,
                    "schema": {"type": "object", "additionalProperties": {"type": "string"}},
                    "example": {"ContentsCode": "*", "Tid": "top(1)", "Region": "03,11"},
                    "description": "valuecodes[VARIABLE]=comma-separated codes or expressions",
                },
                {
                    "in": "query",
                    "name": "codelist",
                    "style": "deepObject",
                    "explode": True,
                    "schema": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                *format_parameters,
                {
                    "in": "query",
                    "name": "heading",
                    "style": "form",
                    "explode": False,
                    "schema": {"type": "array", "items": {"type": "string"}},
                },
                {
                    "in": "query",
                    "name": "stub",
                    "style": "form",
                    "explode": False,
                    "schema": {"type": "array", "items": {"type": "string"}},
                },
            ],
            "responses": {"200": {"description": "The data", "content": data_content}},
        },
    )
    def get_data(request: Request, id: TABLE_ID, lang: LANG = None) -> Response:
        values: dict[str, list[str]] = {}
        lists: dict[str, str] = {}
        named: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
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
            raise Problem(400, f"codelist[{unknown[0]}] without valuecodes[{unknown[0]}]")
        requests = {
            name: VariableRequest(lists.get(name) or None, tuple(codes))
            for name, codes in values.items()
        }
        parameters = (
            split_list(named["outputformatparams"]) if named.get("outputformatparams") else []
        )
        return answer(
            request,
            id,
            lang,
            requests,
            named.get("outputformat"),
            [p for p in parameters if p],
            [h for h in split_list(named.get("heading", "")) if h],
            [s for s in split_list(named.get("stub", "")) if s],
        )

    @app.post(
        f"{base}/tables/{{id}}/data",
        responses=DATA_RESPONSES,
        openapi_extra={
            "parameters": format_parameters,
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/VariablesSelection"}
                    }
                }
            },
            "responses": {"200": {"description": "The data", "content": data_content}},
        },
    )
    async def post_data(request: Request, id: TABLE_ID, lang: LANG = None) -> Response:
        raw = await request.body()
        requests, heading, stub = parse_body(raw)
        named = {key.lower(): value for key, value in request.query_params.items()}
        parameters = (
            split_list(named["outputformatparams"]) if named.get("outputformatparams") else []
        )
        return await run_in_threadpool(
            answer,
            request,
            id,
            lang,
            requests,
            named.get("outputformat"),
            [p for p in parameters if p],
            heading,
            stub,
        )

    @app.get(
        f"{base}/codelists/{{id}}",
        response_model=models.CodelistResponse,
        response_model_exclude_none=True,
        responses=PROBLEM_RESPONSES,
    )
    def get_codelist(request: Request, id: CODELIST_ID, lang: LANG = None) -> dict[str, object]:
        lang = language(lang)
        codelist = catalogue(snapshot()).codelists.get(id)
        if codelist is None:
            raise Problem(404, f"no code list with id {id!r}")
        labels = jsonstat.unique_labels(codelist.values, lang)
        return {
            "id": codelist.id,
            "label": codelist.label[lang],
            "language": lang,
            "languages": list(LANGUAGES),
            "elimination": codelist.elimination_code is not None,
            "eliminationValueCode": codelist.elimination_code,
            "type": codelist.kind,
            "values": [
                {
                    "code": value.code,
                    "label": labels[value.code],
                    "valueMap": list(value.members),
                    "notes": [
                        {"mandatory": False, "text": text} for text in value.notes.get(lang, ())
                    ],
                }
                for value in codelist.values
            ],
            "links": jsonstat.codelist_links(root_url(request), codelist, lang),
        }

    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    return app


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route of the request's path answers (GET and POST for data)."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return sorted(methods)


def parse_body(raw: bytes) -> tuple[dict[str, VariableRequest] | None, list[str], list[str]]:
    """The POST body: {"selection": [...], "placement": {...}}; none means the default."""
    if not raw.strip():
        return None, [], []
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise Problem(400, f"the body is not JSON: {error}") from None
    if not isinstance(body, dict) or not isinstance(body.get("selection"), list):
        raise Problem(400, 'the body must be an object with a list "selection"')
    requests: dict[str, VariableRequest] = {}
    for number, item in enumerate(body["selection"]):
        if not isinstance(item, dict):
            raise Problem(400, f"selection[{number}] is not an object")
        code = item.get("variableCode")
        values = item.get("valueCodes")
        codelist = item.get("codeList", item.get("codelist"))
        if not isinstance(code, str) or not code:
            raise Problem(400, f"selection[{number}].variableCode must be a string")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise Problem(400, f"selection[{number}].valueCodes must be a list of strings")
        if codelist is not None and not isinstance(codelist, str):
            raise Problem(400, f"selection[{number}].codeList must be a string")
        if code.lower() in (name.lower() for name in requests):
            raise Problem(400, f"variable {code} is selected twice")
        requests[code] = VariableRequest(codelist or None, tuple(values))
    placement = body.get("placement")
    placement = {} if placement is None else placement
    if not isinstance(placement, dict):
        raise Problem(400, "placement must be an object")
    lists = []
    for key in ("heading", "stub"):
        names = placement.get(key, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise Problem(400, f"placement.{key} must be a list of strings")
        lists.append(names)
    return requests, lists[0], lists[1]


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with its 422 validation answers replaced by the spec's 400
    problem, and the spec's request and problem schemas."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (models.Problem, models.VariablesSelection):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in schema.pop("$defs", {}).items():
            schemas[name] = definition
        schemas[model.__name__] = schema
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path in document["paths"].values():
        for operation in path.values():
            responses = operation.get("responses", {})
            responses.pop("422", None)
            if "400" not in responses:
                responses["400"] = PROBLEM_RESPONSES[400]
            responses.setdefault(
                "503",
                {
                    "description": "No warehouse is published yet",
                    "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                },
            )
    app.openapi_schema = document
    return document
