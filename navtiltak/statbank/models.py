"""The response bodies of PxWebApi 2.0 (PxAPI-2.yml, v2.0.0) that the server writes, as
pydantic models: FastAPI documents them in the server's OpenAPI document."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Link(BaseModel):
    rel: str
    hreflang: str
    href: str


class Language(BaseModel):
    id: str
    label: str


class SourceReference(BaseModel):
    language: str
    text: str


class KeyValuePair(BaseModel):
    key: str
    value: str


class ApiFeature(BaseModel):
    id: str
    params: list[KeyValuePair] = []


class ConfigResponse(BaseModel):
    apiVersion: str  # noqa: N815 - the spec's names
    appVersion: str  # noqa: N815
    languages: list[Language]
    defaultLanguage: str  # noqa: N815
    maxDataCells: int = Field(ge=0)  # noqa: N815
    maxCallsPerTimeWindow: int = Field(ge=1)  # noqa: N815
    timeWindow: int = Field(ge=1)  # noqa: N815
    license: str
    sourceReferences: list[SourceReference]  # noqa: N815
    defaultDataFormat: str  # noqa: N815
    dataFormats: list[str]  # noqa: N815
    features: list[ApiFeature]


class PathElement(BaseModel):
    id: str
    label: str


class Table(BaseModel):
    type: str = "Table"
    id: str
    label: str
    description: str
    sortCode: str  # noqa: N815
    tags: list[str]
    updated: str
    firstPeriod: str  # noqa: N815
    lastPeriod: str  # noqa: N815
    category: str
    variableNames: list[str]  # noqa: N815
    discontinued: bool
    source: str
    subjectCode: str  # noqa: N815
    timeUnit: str  # noqa: N815
    paths: list[list[PathElement]]
    links: list[Link]


class TableResponse(Table):
    language: str


class PageInfo(BaseModel):
    pageNumber: int = Field(ge=1)  # noqa: N815
    pageSize: int = Field(ge=1)  # noqa: N815
    totalElements: int = Field(ge=0)  # noqa: N815
    totalPages: int = Field(ge=1)  # noqa: N815
    links: list[Link]


class TablesResponse(BaseModel):
    language: str
    tables: list[Table]
    page: PageInfo
    links: list[Link]


class Note(BaseModel):
    mandatory: bool = False
    text: str


class ValueMap(BaseModel):
    code: str
    label: str
    valueMap: list[str]  # noqa: N815
    notes: list[Note] = []


class CodelistResponse(BaseModel):
    id: str
    label: str
    language: str
    languages: list[str]
    elimination: bool
    eliminationValueCode: str | None = None  # noqa: N815
    type: str
    values: list[ValueMap]
    links: list[Link]


class VariableSelection(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    variableCode: str  # noqa: N815
    codeList: str | None = None  # noqa: N815
    valueCodes: list[str]  # noqa: N815


class VariablePlacement(BaseModel):
    heading: list[str] = []
    stub: list[str] = []


class VariablesSelection(BaseModel):
    selection: list[VariableSelection]
    placement: VariablePlacement | None = None


class SelectionResponse(VariablesSelection):
    language: str
    links: list[Link]


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None


# A JSON-stat 2.0 dataset (metadata: value []; data: one value per cell).
DATASET_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["version", "class", "id", "size", "dimension", "value"],
    "properties": {
        "version": {"type": "string", "enum": ["2.0"]},
        "class": {"type": "string", "enum": ["dataset"]},
        "href": {"type": "string"},
        "label": {"type": "string"},
        "source": {"type": "string"},
        "updated": {"type": "string"},
        "note": {"type": "array", "items": {"type": "string"}},
        "role": {"type": "object"},
        "id": {"type": "array", "items": {"type": "string"}},
        "size": {"type": "array", "items": {"type": "integer"}},
        "dimension": {"type": "object"},
        "extension": {"type": "object"},
        "value": {"type": "array", "nullable": True, "items": {"type": "number", "nullable": True}},
        "status": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
