"""Schemathesis over the server's own OpenAPI document: generated requests (the spec's
examples, the boundaries of every parameter, random ones) never get a 5xx, and every
response is as the document says (status, content type, headers, schema). Bounded: 10
examples per operation and phase, a fixed seed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from statbank_server import Server

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
# Every check but positive_data_acceptance: a request the schema admits may still name a
# table, variable or value code the bank does not have, which the spec answers with 400
# or 404.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
]


def test_schemathesis_finds_no_server_error_and_no_undocumented_response(
    server: Server, tmp_path: Path
) -> None:
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{server.url}/openapi.json",
            *("--checks", ",".join(CHECKS)),
            *("--phases", "examples,coverage,fuzzing", "--max-examples", "10"),
            *("--seed", "20", "--workers", "1"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "8/8" in result.stdout  # every operation of the document was tested
