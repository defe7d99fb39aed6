"""Errors as RFC 9457 problem details (`application/problem+json`), as the spec gives
them: 400 bad request, 403 too many cells, 404 unknown table or code list, 429 too many
calls (with Retry-After)."""

from __future__ import annotations

from http import HTTPStatus

MEDIA_TYPE = "application/problem+json"


class ProblemError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}

    def body(self, instance: str | None = None) -> dict[str, object]:
        body: dict[str, object] = {
            "type": "about:blank",
            "title": HTTPStatus(self.status).phrase,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        return body
