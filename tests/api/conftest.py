"""The API under test: a real app over a temporary projects root, called through
FastAPI's TestClient (the ASGI app in-process, no mocks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyreel.api import Settings, create_app

from .support import AUTH, SCRIPT, TOKEN


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(token=TOKEN, root=tmp_path / "projects", max_image_bytes=64 * 1024)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), headers=AUTH) as test_client:
        yield test_client


@pytest.fixture
def anonymous(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def project_id(client: TestClient) -> str:
    response = client.post("/api/projects", json={"title": "The Kettle", "script": SCRIPT})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])
