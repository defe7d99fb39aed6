"""Superset's REST API, logged in as a person is: the login form, then a CSRF token.

(The JWT of /api/v1/security/login counts as anonymous on several GET endpoints of
Superset 6, so the session cookie of the form login is used throughout.)
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import requests

CSRF_FIELD = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)
TIMEOUT = 120.0


class SupersetError(Exception):
    """Superset refused a request or did not answer."""


class SupersetClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def wait_until_healthy(self, timeout: float, alive: Any = None) -> float:
        """Seconds until /health answers OK; `alive()` false means the server died."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if alive is not None and not alive():
                raise SupersetError("Superset exited before it answered /health")
            try:
                if requests.get(self.url("/health"), timeout=2).text.strip() == "OK":
                    return time.monotonic() - start
            except requests.RequestException:
                pass
            time.sleep(0.25)
        raise SupersetError(f"Superset did not answer /health in {timeout:.0f} s")

    def login(self, username: str, password: str) -> None:
        page = self.session.get(self.url("/login/"), timeout=TIMEOUT)
        found = CSRF_FIELD.search(page.text)
        if not found:
            raise SupersetError("the login page has no csrf_token")
        answer = self.session.post(
            self.url("/login/"),
            data={
                "username": username,
                "password": password,
                "csrf_token": found.group(1) or found.group(2),
            },
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        if answer.status_code not in (302, 303) or "/login" in answer.headers.get("Location", ""):
            raise SupersetError(f"login as {username!r} refused (HTTP {answer.status_code})")
        token = self.get("/api/v1/security/csrf_token/")["result"]
        self.session.headers.update({"X-CSRFToken": token, "Referer": self.base_url})

    def _check(self, answer: requests.Response) -> Any:
        if answer.status_code >= 400:
            raise SupersetError(
                f"{answer.request.method} {answer.url}: HTTP {answer.status_code}: "
                f"{answer.text[:2000]}"
            )
        return answer.json()

    def get(self, path: str, **params: Any) -> Any:
        return self._check(self.session.get(self.url(path), params=params, timeout=TIMEOUT))

    def post(self, path: str, payload: Any) -> Any:
        return self._check(self.session.post(self.url(path), json=payload, timeout=TIMEOUT))

    def put(self, path: str, payload: Any) -> Any:
        return self._check(self.session.put(self.url(path), json=payload, timeout=TIMEOUT))

    def import_zip(
        self, kind: str, archive: bytes, passwords: dict[str, str] | None = None
    ) -> None:
        """Import a bundle through /api/v1/<kind>/import/, overwriting what it replaces."""
        answer = self.session.post(
            self.url(f"/api/v1/{kind}/import/"),
            files={"formData": ("bundle.zip", archive, "application/zip")},
            data={"overwrite": "true", "passwords": json.dumps(passwords or {})},
            timeout=TIMEOUT,
        )
        self._check(answer)

    def chart_ids(self, dashboard: str) -> dict[str, int]:
        """{chart name: id} of a dashboard's charts (`dashboard`: its slug or id)."""
        charts = self.get(f"/api/v1/dashboard/{dashboard}/charts")["result"]
        return {chart["slice_name"]: int(chart["id"]) for chart in charts}

    def chart_data(self, chart_id: int) -> list[dict[str, Any]]:
        """The rows of a chart's saved query (/api/v1/chart/{id}/data)."""
        result = self.get(f"/api/v1/chart/{chart_id}/data/")["result"]
        return list(result[0]["data"])

    def sql_lab(self, database_id: int, sql: str) -> requests.Response:
        """Run a statement in SQL Lab, as a person would; the raw answer."""
        return self.session.post(
            self.url("/api/v1/sqllab/execute/"),
            json={"database_id": database_id, "sql": sql, "runAsync": False, "schema": "marts"},
            timeout=TIMEOUT,
        )

    def database_id(self, name: str) -> int:
        found = self.get(
            "/api/v1/database/", q=f"(filters:!((col:database_name,opr:eq,value:'{name}')))"
        )
        if not found["result"]:
            raise SupersetError(f"no database {name!r}")
        return int(found["result"][0]["id"])
