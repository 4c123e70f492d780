"""Makes through the API (real makes of a tiny story at 160x90), then the takes and
versions they leave."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyreel.api import Settings
from storyreel.render.drawn import read_drawn

from .support import SCRIPT, project_folder

SMALL = {"width": 160, "height": 90, "fps": 12}


def _wait(client: TestClient, base: str, make_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        make: dict[str, Any] = client.get(f"{base}/makes/{make_id}").json()
        if make["status"] in ("succeeded", "failed", "cancelled"):
            return make
        time.sleep(0.1)
    raise AssertionError(f"make {make_id} did not finish")


def test_one_make_at_a_time_and_cancel(
    client: TestClient, project_id: str, settings: Settings
) -> None:
    base = f"/api/projects/{project_id}"
    first = client.post(f"{base}/makes", json=SMALL)
    assert first.status_code == 202
    second = client.post(f"{base}/makes", json=SMALL)
    assert second.status_code == 409
    assert "cancel" in second.json()["detail"]
    assert client.delete(base).status_code == 409  # not while making

    cancelled = client.post(f"{base}/makes/{first.json()['id']}/cancel")
    assert cancelled.status_code == 200
    make = _wait(client, base, first.json()["id"])
    assert make["status"] == "cancelled"
    assert make["film_url"] is None
    assert not (project_folder(settings, project_id) / "film.mp4").exists()

    # The cancelled make's process group is gone with its lock: a new make runs.
    again = client.post(f"{base}/makes", json=SMALL)
    assert again.status_code == 202
    assert _wait(client, base, again.json()["id"])["status"] == "succeeded"
    listed = client.get(f"{base}/makes").json()
    assert [m["id"] for m in listed] == [again.json()["id"], first.json()["id"]]


def test_bad_make_requests(client: TestClient, project_id: str) -> None:
    base = f"/api/projects/{project_id}/makes"
    assert client.post(base, json={"width": 161, "height": 90}).status_code == 422
    assert client.post(base, json={"fps": 0}).status_code == 422
    assert client.post(base, json={"picture": "glossy"}).status_code == 422
    unknown = client.post(base, json={"engine": "nonesuch"})
    assert unknown.status_code == 422
    assert "previs" in unknown.json()["detail"]
    assert client.get(f"{base}/m000000000000").status_code == 404
    empty = client.post("/api/projects", json={"title": "No script"}).json()
    assert client.post(f"/api/projects/{empty['id']}/makes", json=SMALL).status_code == 409


def test_a_clean_picture_is_made_without_slate_or_caption(
    client: TestClient, project_id: str, tmp_path: Path
) -> None:
    base = f"/api/projects/{project_id}"
    made = client.post(f"{base}/makes", json={**SMALL, "picture": "clean"}).json()
    assert _wait(client, base, made["id"])["status"] == "succeeded"
    shot = client.get(f"{base}/storyboard").json()["shots"][0]
    take = client.get(f"{base}/shots/{shot['id']}/takes").json()[0]
    path = tmp_path / "take.mp4"
    path.write_bytes(client.get(take["video_url"]).content)
    drawn = read_drawn(path)
    assert drawn is not None
    kinds = {e.kind for e in drawn.elements}
    assert "setting" in kinds and not kinds & {"slate", "caption"}


def test_takes_and_versions_after_makes(client: TestClient, project_id: str) -> None:
    base = f"/api/projects/{project_id}"
    assert client.get(f"{base}/versions").json() == []
    made = client.post(f"{base}/makes", json=SMALL).json()
    assert _wait(client, base, made["id"])["status"] == "succeeded"

    shot = client.get(f"{base}/storyboard").json()["shots"][0]
    takes = client.get(f"{base}/shots/{shot['id']}/takes").json()
    assert len(takes) == 1
    take = takes[0]
    assert take["current"] is True and take["pinned"] is False
    assert take["engine"] == "previs"
    # What the make's checks found travels with the take.
    checks = {c["check"]: c for c in take["checks"]}
    assert set(checks) == {"conformance", "temporal", "flicker", "coverage"}
    assert checks["conformance"]["passed"] and take["score"] is not None
    video = client.get(take["video_url"], headers={"Range": "bytes=0-15"})
    assert video.status_code == 206
    assert video.headers["content-type"] == "video/mp4"
    assert video.content[4:8] == b"ftyp"

    # The film's timeline: its shots tile the film and its cues are the film's subtitles.
    timeline = client.get(f"{base}/versions/1/timeline").json()
    assert timeline["fps"] == SMALL["fps"]
    shots = timeline["shots"]
    assert [s["start"] for s in shots[1:]] == [s["start"] + s["frames"] for s in shots[:-1]]
    film_seconds = (shots[-1]["start"] + shots[-1]["frames"]) / SMALL["fps"]
    assert client.get(f"{base}/versions").json()[0]["duration"] == film_seconds
    assert take["frames"] == shots[0]["frames"]
    vtt = client.get(f"{base}/files/film.vtt").text
    assert vtt.count(" --> ") == len(timeline["cues"]) > 0
    assert all(cue["text"] in vtt for cue in timeline["cues"])
    assert client.get(f"{base}/versions/9/timeline").status_code == 404

    pinned = client.post(f"{base}/shots/{shot['id']}/takes/{take['key'][:8]}/pin")
    assert pinned.status_code == 200 and pinned.json()["pinned"] is True
    assert client.get(f"{base}/shots/{shot['id']}/takes").json()[0]["pinned"] is True
    assert client.delete(f"{base}/shots/{shot['id']}/pin").status_code == 204
    assert client.delete(f"{base}/shots/{shot['id']}/pin").status_code == 404
    assert client.post(f"{base}/shots/{shot['id']}/takes/ffff/pin").status_code == 404
    assert client.get(f"{base}/shots/zz9/takes").status_code == 404

    # A second make after an edit: a second version, and the diff names the change.
    new_size = "close_up" if shot["size"] != "close_up" else "wide"
    client.patch(f"{base}/storyboard/shots/{shot['id']}", json={"size": new_size})
    made = client.post(f"{base}/makes", json=SMALL).json()
    assert _wait(client, base, made["id"])["status"] == "succeeded"
    versions = client.get(f"{base}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["film_url"] == f"{base}/files/film.mp4"
    assert versions[1]["film_url"] is None
    assert versions[0]["shot_count"] == len(client.get(f"{base}/storyboard").json()["shots"])

    diff = client.get(f"{base}/versions/diff?a=1&b=2").json()
    assert diff["added"] == [] and diff["removed"] == []
    changed = {c["shot_id"]: c["changes"] for c in diff["changed"]}
    assert {"path": "size", "before": shot["size"], "after": new_size} in changed[shot["id"]]
    assert client.get(f"{base}/versions/diff?a=1&b=9").status_code == 404

    # Back to version 1 and forth to 2: every storyboard so far was made, so nothing
    # asks for force.
    restored = client.post(f"{base}/versions/1/checkout")
    assert restored.status_code == 200, restored.text
    assert restored.json()["shots"][0]["size"] == shot["size"]
    assert client.get(f"{base}/storyboard").json()["shots"][0]["size"] == shot["size"]
    assert client.post(f"{base}/versions/2/checkout").status_code == 200
    # An edit no make recorded is only replaced with force.
    client.patch(f"{base}/storyboard/shots/{shot['id']}", json={"size": "extreme_close_up"})
    assert client.post(f"{base}/versions/1/checkout").status_code == 409
    assert client.get(f"{base}/storyboard").json()["shots"][0]["size"] == "extreme_close_up"
    assert client.post(f"{base}/versions/1/checkout?force=true").status_code == 200
    assert client.get(f"{base}/storyboard").json()["shots"][0]["size"] == shot["size"]
    assert client.post(f"{base}/versions/7/checkout?force=true").status_code == 404


def test_a_replan_without_a_storyboard_file_keeps_the_filmed_ids(
    client: TestClient, project_id: str, settings: Settings
) -> None:
    base = f"/api/projects/{project_id}"
    made = client.post(f"{base}/makes", json=SMALL).json()
    assert _wait(client, base, made["id"])["status"] == "succeeded"
    shots = client.get(f"{base}/storyboard").json()["shots"]
    # Shots are told apart by what they show (the prompts of a scene change with its
    # world: a new beat's steam is the whole scene's weather).
    filmed = {s["action"]: s["id"] for s in shots}
    # The creator deletes storyboard.yaml and adds a beat before the others.
    (project_folder(settings, project_id) / "storyboard.yaml").unlink()
    beat = "Steam fogs the window."
    edited = SCRIPT.replace("MEI fills the kettle.", f"{beat}\n\nMEI fills the kettle.")
    assert client.put(f"{base}/script", json={"text": edited}).status_code == 200

    shots = client.get(f"{base}/storyboard").json()["shots"]

    [new] = [s for s in shots if beat in s["action"]]
    assert new["id"] not in filmed.values()
    assert {s["action"]: s["id"] for s in shots if s is not new} == filmed


def test_the_kling_engine_without_keys_is_refused_at_submission(
    client: TestClient, project_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KLING_ACCESS_KEY", raising=False)
    monkeypatch.delenv("KLING_SECRET_KEY", raising=False)
    base = f"/api/projects/{project_id}/makes"
    refused = client.post(base, json={**SMALL, "engine": "kling"})
    assert refused.status_code == 422
    assert "KLING_ACCESS_KEY" in refused.json()["detail"]
    assert client.get(base).json() == []  # no make was started, none failed later
