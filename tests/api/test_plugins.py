"""GET /api/plugins: each group's entries with their options' JSON Schema (what the
studio's make form is built from), a third party's included; makes take engine and
voice options, checked against those schemas before anything starts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.plugins.support import extras_installed

SMALL = {"width": 160, "height": 90, "fps": 12}


@pytest.fixture
def extras(tmp_path: Path) -> Iterator[None]:
    with extras_installed(tmp_path / "site"):
        yield


def _entries(group: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in group["plugins"]}


def test_every_group_with_its_entries_and_defaults(client: TestClient) -> None:
    response = client.get("/api/plugins")
    assert response.status_code == 200
    groups = {g["group"]: g for g in response.json()}
    assert list(groups) == ["engines", "voices", "planners", "checks", "exporters"]
    assert groups["engines"]["default"] == "previs"
    assert groups["voices"]["default"] == "auto"
    assert groups["planners"]["default"] == "rules"
    assert groups["checks"]["entry_point_group"] == "storyreel.checks"
    engines = _entries(groups["engines"])
    assert {"previs", "kling", "wan"} <= set(engines)
    steps = engines["wan"]["options_schema"]["properties"]["steps"]["anyOf"][0]
    assert (steps["minimum"], steps["maximum"]) == (1, 200)
    assert engines["previs"]["options_schema"]["properties"] == {}
    voices = _entries(groups["voices"])
    assert voices["openai"]["options_schema"]["required"] == ["url"]
    assert set(_entries(groups["planners"])) == {"llm", "rules"}


def test_a_third_party_entry_and_its_schema_are_served(client: TestClient, extras: None) -> None:
    voices = client.get("/api/plugins/voices")
    assert voices.status_code == 200
    hum = _entries(voices.json())["hum"]
    assert hum["target"] == "reel_extras:HumVoice"
    pitch = hum["options_schema"]["properties"]["pitch"]
    assert (pitch["minimum"], pitch["maximum"], pitch["default"]) == (50, 1000, 220.0)
    assert hum["options_schema"]["properties"]["wave"]["enum"] == ["sine", "square"]
    checks = _entries(client.get("/api/plugins/checks").json())
    assert checks["length"]["options_schema"]["properties"]["min_frames"]["minimum"] == 1
    exporters = _entries(client.get("/api/plugins/exporters").json())
    assert exporters["broken"]["error"] and exporters["shotlist"]["error"] is None
    assert "titled" in _entries(client.get("/api/plugins/planners").json())


def test_plugins_need_the_token_and_a_known_group(
    client: TestClient, anonymous: TestClient
) -> None:
    assert anonymous.get("/api/plugins").status_code == 401
    assert anonymous.get("/api/plugins/voices").status_code == 401
    assert client.get("/api/plugins/filters").status_code == 422


def test_bad_engine_or_voice_options_refuse_the_make(
    client: TestClient, project_id: str, extras: None
) -> None:
    base = f"/api/projects/{project_id}/makes"
    bad = client.post(base, json={"engine": "toy", "engine_options": {"strength": 10}})
    assert bad.status_code == 422
    assert "engine 'toy': bad option (strength:" in bad.json()["detail"]
    assert "its options are: strength, look" in bad.json()["detail"]
    typo = client.post(base, json={"voice": "hum", "voice_options": {"pich": 300}})
    assert typo.status_code == 422
    assert "voice 'hum': bad option (pich: Extra inputs" in typo.json()["detail"]
    unknown = client.post(base, json={"voice": "festival"})
    assert unknown.status_code == 422
    assert "installed voices: auto, espeak, hum, kokoro, mute, openai" in unknown.json()["detail"]
    assert client.get(base).json() == []  # nothing was started


def test_a_make_speaks_with_the_chosen_voice_and_its_options(
    client: TestClient, project_id: str, extras: None, tmp_path: Path
) -> None:
    base = f"/api/projects/{project_id}"
    log = tmp_path / "spoken.txt"
    options = {"pitch": 330, "wave": "square", "log": str(log)}
    body = {**SMALL, "voice": "hum", "voice_options": options}
    started = client.post(f"{base}/makes", json=body)
    assert started.status_code == 202, started.text
    deadline = time.monotonic() + 120
    make = started.json()
    while make["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, "the make did not finish"
        time.sleep(0.1)
        make = client.get(f"{base}/makes/{make['id']}").json()
    assert make["status"] == "succeeded", make["error"]
    # The make's own process built the voice by name, with the options sent.
    assert log.read_text(encoding="utf-8").splitlines() == ["330 square: Tea?"]
