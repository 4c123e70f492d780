from __future__ import annotations

from fastapi.testclient import TestClient

from storyreel.api import Settings

from .support import SCRIPT, project_folder

PROSE = "Mei walks to the river at dawn. She watches the boats. Then she goes home."


def test_get_and_put_script(client: TestClient, project_id: str, settings: Settings) -> None:
    got = client.get(f"/api/projects/{project_id}/script").json()
    assert got == {"text": SCRIPT, "format": "fountain"}

    put = client.put(f"/api/projects/{project_id}/script", json={"text": PROSE})
    assert put.json() == {"text": PROSE, "format": "prose"}
    folder = project_folder(settings, project_id)
    # Prose is kept under a name storyreel reads as prose again, and only one script.
    assert (folder / "script.txt").read_text() == PROSE
    assert not (folder / "script.fountain").exists()
    assert client.get(f"/api/projects/{project_id}/script").json()["format"] == "prose"


def test_unreadable_script_is_422_and_keeps_the_old_one(
    client: TestClient, project_id: str
) -> None:
    response = client.put(f"/api/projects/{project_id}/script", json={"text": "Title: Only\n"})
    assert response.status_code == 422
    assert "scene" in response.json()["detail"]
    assert client.get(f"/api/projects/{project_id}/script").json()["text"] == SCRIPT


def test_preview_plans_without_saving(
    client: TestClient, project_id: str, settings: Settings
) -> None:
    board_file = project_folder(settings, project_id) / "storyboard.yaml"
    client.get(f"/api/projects/{project_id}/storyboard")
    before = board_file.read_text()
    longer = SCRIPT + "\nINT. ATTIC - NIGHT\n\nA box of letters.\n"
    preview = client.post(f"/api/projects/{project_id}/script/preview", json={"text": longer})
    assert preview.status_code == 200
    saved = client.get(f"/api/projects/{project_id}/storyboard").json()
    assert len(preview.json()["shots"]) > len(saved["shots"])
    assert any(s["setting"]["location"] == "ATTIC" for s in preview.json()["shots"])
    assert board_file.read_text() == before
    assert client.get(f"/api/projects/{project_id}/script").json()["text"] == SCRIPT


def test_preview_of_a_bad_text_is_422(client: TestClient, project_id: str) -> None:
    response = client.post(f"/api/projects/{project_id}/script/preview", json={"text": ""})
    assert response.status_code == 422


def test_a_binary_script_is_refused_at_the_door(client: TestClient, project_id: str) -> None:
    base = f"/api/projects/{project_id}/script"
    controls = "INT. ROOM - DAY\n\n" + "".join(chr(c) for c in range(1, 9)) * 400
    for text in ("INT. ROOM - DAY\n\nMEI\x00waits.\n", controls):
        response = client.put(base, json={"text": text})
        assert response.status_code == 422, response.text
        assert "binary file" in response.json()["detail"]
    surrogate = client.put(
        base,
        content=b'{"text": "INT. ROOM - DAY\\n\\nMEI \\ud800 waits."}',
        headers={"Content-Type": "application/json"},
    )
    assert surrogate.status_code == 422
    # The project still works: its script is the old one.
    assert client.get(base).json()["text"] == SCRIPT
    assert client.get(f"/api/projects/{project_id}/storyboard").status_code == 200


def test_a_script_with_a_200000_character_line_is_refused(
    client: TestClient, project_id: str
) -> None:
    text = "INT. ROOM - DAY\n\n" + "mei waits " * 20_000 + "\n"
    response = client.put(f"/api/projects/{project_id}/script", json={"text": text})
    assert response.status_code == 422
    assert response.json()["line"] == 3
    assert "at most 20,000" in response.json()["detail"]


def test_a_bad_choice_is_422_with_its_line(client: TestClient, project_id: str) -> None:
    text = "INT. HALL - NIGHT\n\nMira waits.\n\n[[choice: Run -> ATTIC]]\n"
    for method, path in (("PUT", "/script"), ("POST", "/script/preview")):
        response = client.request(method, f"/api/projects/{project_id}{path}", json={"text": text})
        assert response.status_code == 422
        assert response.json()["line"] == 5
        assert "no scene or section is named 'ATTIC'" in response.json()["detail"]
    assert client.get(f"/api/projects/{project_id}/script").json()["text"] == SCRIPT
    # A good one is taken; a loop is not.
    good = text.replace("ATTIC", "STREET") + "\nEXT. STREET - NIGHT\n\nCars.\n"
    assert client.put(f"/api/projects/{project_id}/script", json={"text": good}).status_code == 200
    looped = good.replace("Cars.\n", "Cars.\n\n[[choice: Back -> HALL]]\n")
    response = client.put(f"/api/projects/{project_id}/script", json={"text": looped})
    assert response.status_code == 422 and response.json()["line"] == 11
