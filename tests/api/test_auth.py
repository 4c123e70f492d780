"""Every route but /api/health needs the bearer token; GET routes take it as ?token=."""

from __future__ import annotations

from fastapi.testclient import TestClient

from storyreel.api.deps import token_matches

from .support import TOKEN


def test_health_needs_no_token(anonymous: TestClient) -> None:
    response = anonymous.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["version"]


def test_every_other_route_answers_401_with_a_bearer_challenge(anonymous: TestClient) -> None:
    paths = [
        ("get", "/api/projects"),
        ("post", "/api/projects"),
        ("get", "/api/projects/abc-123/storyboard"),
        ("get", "/api/projects/abc-123/files/film.mp4"),
        ("post", "/api/projects/abc-123/makes"),
        ("delete", "/api/projects/abc-123"),
    ]
    for method, path in paths:
        response = anonymous.request(method, path)
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"] == "Bearer"
        assert "token" in response.json()["detail"]


def test_wrong_token_is_refused(anonymous: TestClient) -> None:
    response = anonymous.get("/api/projects", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_query_token_works_for_get_only(anonymous: TestClient) -> None:
    assert anonymous.get(f"/api/projects?token={TOKEN}").status_code == 200
    created = anonymous.post(f"/api/projects?token={TOKEN}", json={"title": "x"})
    assert created.status_code == 401


def test_token_comparison() -> None:
    assert token_matches("abc", "abc")
    assert not token_matches("abd", "abc")
    assert not token_matches("", "")  # an unset token never lets anyone in
    assert not token_matches(None, "abc")
