from __future__ import annotations

import json

from fastapi.testclient import TestClient

from storyreel.api import Settings

from .support import SCRIPT, SCRIPT_ZH, project_folder


def test_create_list_get_rename_delete(client: TestClient, settings: Settings) -> None:
    created = client.post("/api/projects", json={"title": "Rain Night", "script": SCRIPT})
    assert created.status_code == 201
    body = created.json()
    assert body["id"].startswith("rain-night-")
    assert body["shot_count"] >= 2
    assert body["has_film"] is False
    assert body["language"] == "en"
    folder = project_folder(settings, body["id"])
    assert json.loads((folder / "project.json").read_text())["title"] == "Rain Night"
    assert (folder / "script.fountain").read_text() == SCRIPT

    listed = client.get("/api/projects").json()
    assert [p["id"] for p in listed] == [body["id"]]
    assert client.get(f"/api/projects/{body['id']}").json()["title"] == "Rain Night"

    renamed = client.patch(f"/api/projects/{body['id']}", json={"title": "Rain"})
    assert renamed.json()["title"] == "Rain"

    assert client.delete(f"/api/projects/{body['id']}").status_code == 204
    assert not folder.exists()
    assert client.get(f"/api/projects/{body['id']}").status_code == 404


def test_chinese_title_and_script(client: TestClient) -> None:
    body = client.post("/api/projects", json={"title": "雨夜", "script": SCRIPT_ZH}).json()
    assert body["id"].startswith("film-")
    assert body["title"] == "雨夜"
    assert body["language"] == "zh"


def test_project_without_script(client: TestClient) -> None:
    body = client.post("/api/projects", json={"title": "Empty"}).json()
    assert body["shot_count"] == 0 and body["language"] is None
    board = client.get(f"/api/projects/{body['id']}/storyboard").json()
    assert board["shots"] == []


def test_bad_input_is_422_and_writes_nothing(client: TestClient, settings: Settings) -> None:
    response = client.post("/api/projects", json={"title": "x", "script": "   "})
    assert response.status_code == 422
    assert "empty" in response.json()["detail"]
    assert client.get("/api/projects").json() == []
    # Not even a hidden, half-made project folder is left.
    assert not [p for p in settings.root.iterdir() if p.name.startswith(".new-")]
    missing = client.post("/api/projects", json={})
    assert missing.status_code == 422
    assert "title" in missing.json()["detail"]


def test_unknown_project_is_404(client: TestClient) -> None:
    response = client.get("/api/projects/no-such-project")
    assert response.status_code == 404
    assert "no project" in response.json()["detail"]
    # A path that is not an id never reaches the file system.
    assert client.get("/api/projects/..%2F..%2Fetc").status_code in (404, 422)
