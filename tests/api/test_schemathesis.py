"""The API fuzzed against its own OpenAPI document: no input makes it answer 5xx, and
every answer matches the document (status codes, content types, bodies).

Bounded and deterministic: a few derandomized examples per operation. Starting a make
(or a matrix of variants) is left out (each example would launch a real one;
tests/api/test_makes.py covers it). Most operations are sent to a real project, so
they reach the code behind the 404.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from storyreel.api import Settings, create_app
from storyreel.api.kling_keys import KeyStore
from storyreel.kling.auth import issue_token

from .support import AUTH, SCRIPT, TOKEN

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Built at import: the schema has to exist when the tests are collected. The folder
# goes away with the interpreter.
_ROOT = tempfile.TemporaryDirectory(prefix="storyreel-fuzz-")
APP = create_app(Settings(token=TOKEN, root=Path(_ROOT.name) / "projects"))
# Applying an edit starts a make too (tests/api/test_edits.py covers it).
schema = (
    schemathesis.openapi.from_asgi("/openapi.json", APP)
    .exclude(method="POST", path="/api/projects/{project_id}/makes")
    .exclude(method="POST", path="/api/projects/{project_id}/storyboard/edit")
    # And so does starting a matrix of variants (tests/web/test_variants.py covers it).
    .exclude(method="POST", path="/api/projects/{project_id}/variants")
)


@pytest.fixture(scope="module")
def real_project() -> str:
    with TestClient(APP, headers=AUTH) as client:
        created = client.post("/api/projects", json={"title": "Fuzz", "script": SCRIPT}).json()
        assert client.get(f"/api/projects/{created['id']}/storyboard").status_code == 200
    return str(created["id"])


@schema.parametrize()
@hypothesis.settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any], real_project: str) -> None:
    deleting = case.method == "DELETE" and case.path == "/api/projects/{project_id}"
    if case.path_parameters and "project_id" in case.path_parameters and not deleting:
        case.path_parameters["project_id"] = real_project
    case.call_and_validate(headers=AUTH, checks=CHECKS)


# The Kling-compatible endpoints with a valid JWT of a key this server issued. Reads
# only: a valid POST would start a real make per example (tests/api/kling covers them).
_KEY = KeyStore.for_root(Path(_ROOT.name) / "projects").create("fuzz")
kling_schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(
    path_regex="^/v1/", method="GET"
)


@kling_schema.parametrize()
@hypothesis.settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_kling_endpoints_conform_with_a_valid_jwt(case: schemathesis.Case[Any]) -> None:
    token = issue_token(_KEY.access_key, _KEY.secret_key)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
