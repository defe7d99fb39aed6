"""The server's OpenAPI document: FastAPI's, with the spec's problem answers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from navtiltak.statbank import models
from navtiltak.statbank.problems import MEDIA_TYPE

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


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with its 422 validation answers replaced by the spec's 400
    problem, and the spec's request and problem schemas."""
    if app.openapi_schema:
        return app.openapi_schema
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
