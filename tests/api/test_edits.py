"""The studio's command box: an instruction's diff first, then applied and made."""

from __future__ import annotations

from fastapi.testclient import TestClient

from storyreel.api import Settings
from storyreel.direct.board_file import read_document

from .support import project_folder
from .test_makes import SMALL, _wait


def test_show_then_apply_an_instruction(
    client: TestClient, project_id: str, settings: Settings
) -> None:
    base = f"/api/projects/{project_id}"
    first = client.post(f"{base}/makes", json=SMALL)
    assert _wait(client, base, first.json()["id"])["status"] == "succeeded"
    path = project_folder(settings, project_id) / "storyboard.yaml"
    before = path.read_bytes()
    shot = client.get(f"{base}/storyboard").json()["shots"][0]
    assert shot["size"] != "close_up"

    shown = client.post(f"{base}/storyboard/edit", json={"instruction": "特写", "shot": shot["id"]})
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["applied"] is False and body["make"] is None
    assert body["source"] == "rules"
    assert body["shots"] == [shot["id"]]
    (line,) = body["changes"]
    assert line.startswith(f"shot {shot['id']}: size ") and line.endswith("-> close-up (特写)")
    assert path.read_bytes() == before  # shown, not written

    applied = client.post(
        f"{base}/storyboard/edit",
        json={"instruction": f"shot {shot['id']}: close-up", "apply": True, "make": SMALL},
    )
    assert applied.status_code == 200, applied.text
    make = applied.json()["make"]
    assert applied.json()["applied"] is True
    assert read_document(path).board.shots[0].size.value == "close_up"
    done = _wait(client, base, make["id"])
    assert done["status"] == "succeeded", done["error"]
    assert list(done["shots"]) == [shot["id"]]  # the one shot rendered, the rest cached
    versions = client.get(f"{base}/versions").json()
    assert versions[0]["message"] == f"shot {shot['id']}: close-up"


def test_an_instruction_nothing_can_read(
    client: TestClient, project_id: str, settings: Settings
) -> None:
    base = f"/api/projects/{project_id}"
    client.get(f"{base}/storyboard")
    path = project_folder(settings, project_id) / "storyboard.yaml"
    before = path.read_bytes()
    answer = client.post(
        f"{base}/storyboard/edit", json={"instruction": "hum a tune", "apply": True}
    )
    assert answer.status_code == 422
    assert answer.json()["detail"] == "cannot read 'hum a tune' as a change to the storyboard"
    assert path.read_bytes() == before
    assert client.post(f"{base}/storyboard/edit", json={"instruction": ""}).status_code == 422
    assert (
        client.post(f"{base}/storyboard/edit", json={"instruction": "x", "shot": "99"}).status_code
        == 422
    )
