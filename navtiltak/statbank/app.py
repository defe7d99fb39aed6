"""The PxWebApi 2.0 endpoints (FastAPI): /config, /tables, /tables/{id},
/tables/{id}/metadata, /tables/{id}/defaultselection, GET and POST /tables/{id}/data,
/codelists/{id}; the server's own OpenAPI document at /api/v2/openapi.json.

Every request takes the snapshot of the published file once, at its start, and answers
from it alone (navtiltak/statbank/snapshot.py).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Literal

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from navtiltak.statbank import catalogue as cat
from navtiltak.statbank import jsonstat, models, openapi, queries, ratelimit, resources, writers
from navtiltak.statbank.config import (
    API_VERSION,
    APP_VERSION,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LICENSE,
    UNENFORCED_CALLS_PER_WINDOW,
    UNENFORCED_TIME_WINDOW,
    StatbankSettings,
)
from navtiltak.statbank.cube import compute
from navtiltak.statbank.problems import MEDIA_TYPE, ProblemError
from navtiltak.statbank.selection import Request as VariableRequest
from navtiltak.statbank.selection import default_requests, resolve
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
TABLE_ID = Annotated[str, Path(examples=["DeltakereTiltak"], description="A table's id")]
CODELIST_ID = Annotated[str, Path(examples=["agg_Region2020"], description="A code list's id")]
LANG = Annotated[Literal["no", "en"] | None, Query(description="no (default) or en")]


def _by_variable(name: str, **extra: object) -> dict[str, object]:
    """A query parameter with one value per variable, ``name[VARIABLE]=...`` (OpenAPI's
    deepObject style), as the spec's valuecodes and codelist are."""
    return {
        "in": "query",
        "name": name,
        "style": "deepObject",
        "explode": True,
        "schema": {"type": "object", "additionalProperties": {"type": "string"}},
        **extra,
    }


def problem_response(problem: ProblemError, request: Request | None = None) -> JSONResponse:
    return JSONResponse(
        problem.body(str(request.url.path) if request else None),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=problem.headers,
    )


def create_app(settings: StatbankSettings) -> FastAPI:
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
    limiter = (
        ratelimit.RateLimiter(settings.max_calls, settings.time_window)
        if settings.max_calls
        else None
    )

    def snapshot() -> Snapshot:
        try:
            return store.current()
        except WarehouseMissingError as error:
            raise ProblemError(503, str(error)) from None

    def catalogue(snap: Snapshot) -> cat.Catalogue:
        return snap.catalogue  # type: ignore[return-value]

    def root_url(request: Request) -> str:
        return str(request.base_url).rstrip("/") + base

    def find_table(snap: Snapshot, identifier: str) -> cat.CatalogueTable:
        table = catalogue(snap).table(identifier)
        if table is None:
            raise ProblemError(404, f"no table with id {identifier!r}")
        return table

    @app.exception_handler(ProblemError)
    async def on_problem(request: Request, problem: ProblemError) -> JSONResponse:
        return problem_response(problem, request)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        details = "; ".join(
            f"{'.'.join(str(p) for p in item.get('loc', ()) if p != 'query')}: {item.get('msg')}"
            f" (got {item.get('input')!r})"
            for item in error.errors()
        )
        return problem_response(ProblemError(400, details or "invalid request"), request)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(app, request))
        problem = ProblemError(error.status_code, str(error.detail), headers)
        return problem_response(problem, request)

    @app.middleware("http")
    async def rate_limit(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if limiter is not None and request.url.path.startswith(base):
            client = request.client.host if request.client else "unknown"
            wait = limiter.retry_after(client)
            if wait is not None:
                problem = ProblemError(
                    429,
                    f"more than {settings.max_calls} calls in {settings.time_window} s: "
                    f"retry after {wait} s",
                    {"Retry-After": str(wait)},
                )
                return problem_response(problem, request)
        return await call_next(request)

    @app.get(
        f"{base}/config", response_model=models.ConfigResponse, responses=openapi.PROBLEM_RESPONSES
    )
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

    @app.get(
        f"{base}/tables", response_model=models.TablesResponse, responses=openapi.PROBLEM_RESPONSES
    )
    def list_tables(
        request: Request,
        lang: LANG = None,
        query: Annotated[str | None, Query(description="words in a table's texts")] = None,
        pastDays: Annotated[int | None, Query(ge=1)] = None,  # noqa: N803 - the spec's names
        includeDiscontinued: bool = False,  # noqa: N803
        pageNumber: Annotated[int, Query(ge=1)] = 1,  # noqa: N803
        pageSize: Annotated[int, Query(ge=1, le=10_000)] = 20,  # noqa: N803
    ) -> dict[str, object]:
        lang = queries.language(lang)
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
            "tables": [resources.table_model(root, t, lang) for t in chunk],
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
        f"{base}/tables/{{id}}",
        response_model=models.TableResponse,
        responses=openapi.PROBLEM_RESPONSES,
    )
    def get_table(request: Request, id: TABLE_ID, lang: LANG = None) -> dict[str, object]:
        lang = queries.language(lang)
        table = find_table(snapshot(), id)
        return {**resources.table_model(root_url(request), table, lang), "language": lang}

    def codelists_of(request: Request, table: cat.CatalogueTable) -> dict[str, str]:
        chosen: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            match = queries.BRACKETED.match(key)
            if match and match.group(1).lower() == "codelist":
                variable = table.variable(match.group(2))
                if variable is None:
                    raise ProblemError(
                        400, f"{match.group(2)!r} is not a variable of table {table.id}"
                    )
                chosen[variable.code] = value
        return chosen

    @app.get(
        f"{base}/tables/{{id}}/metadata",
        responses=openapi.PROBLEM_RESPONSES,
        openapi_extra={
            "parameters": [_by_variable("codelist", description="codelist[VARIABLE]=code list id")],
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
        lang = queries.language(lang)
        if savedQuery:
            raise ProblemError(400, "saved queries are not supported by this server")
        snap = snapshot()
        table = find_table(snap, id)
        chosen_lists: dict[str, cat.Codelist] = {}
        for variable_code, identifier in codelists_of(request, table).items():
            variable = table.variable(variable_code)
            codelist = variable.codelist(identifier) if variable else None
            if codelist is None:
                raise ProblemError(
                    400, f"{identifier!r} is not a code list of variable {variable_code}"
                )
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
        responses=openapi.PROBLEM_RESPONSES,
    )
    def get_default_selection(
        request: Request,
        id: TABLE_ID,
        lang: LANG = None,
    ) -> dict[str, object]:
        lang = queries.language(lang)
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
        lang = queries.language(lang)
        output_format = output_format or "json-stat2"
        if output_format in UNSUPPORTED_FORMATS:
            raise ProblemError(400, f"outputFormat {output_format} is not supported by this server")
        if output_format not in FORMATS:
            raise ProblemError(400, f"outputFormat {output_format!r}: one of {', '.join(FORMATS)}")
        writers.check_parameters(parameters)
        snap = snapshot()
        table = find_table(snap, table_id)
        chosen = resolve(table, requests or default_requests(table), settings.max_data_cells)
        stub_codes, heading_codes = queries.placement(table, chosen, heading, stub)
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
        responses=openapi.DATA_RESPONSES,
        openapi_extra={
            "parameters": [
                _by_variable(
                    "valuecodes",
                    example={"ContentsCode": "*", "Tid": "top(1)", "Region": "03,11"},
                    description="valuecodes[VARIABLE]=comma-separated codes or expressions",
                ),
                _by_variable("codelist"),
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
        requests, named = queries.parse_query(request.query_params.multi_items())
        return answer(
            request,
            id,
            lang,
            requests,
            named.get("outputformat"),
            queries.listed(named, "outputformatparams"),
            queries.listed(named, "heading"),
            queries.listed(named, "stub"),
        )

    @app.post(
        f"{base}/tables/{{id}}/data",
        responses=openapi.DATA_RESPONSES,
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
        requests, heading, stub = queries.parse_body(raw)
        named = {key.lower(): value for key, value in request.query_params.items()}
        return await run_in_threadpool(
            answer,
            request,
            id,
            lang,
            requests,
            named.get("outputformat"),
            queries.listed(named, "outputformatparams"),
            heading,
            stub,
        )

    @app.get(
        f"{base}/codelists/{{id}}",
        response_model=models.CodelistResponse,
        response_model_exclude_none=True,
        responses=openapi.PROBLEM_RESPONSES,
    )
    def get_codelist(request: Request, id: CODELIST_ID, lang: LANG = None) -> dict[str, object]:
        lang = queries.language(lang)
        codelist = catalogue(snapshot()).codelists.get(id)
        if codelist is None:
            raise ProblemError(404, f"no code list with id {id!r}")
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

    app.openapi = lambda: openapi.openapi_document(app)  # type: ignore[method-assign]
    return app


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route of the request's path answers (GET and POST for data)."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return sorted(methods)
