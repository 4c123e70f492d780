from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from storyreel.api import Settings
from storyreel.direct.board_file import read_document

from .support import SCRIPT, project_folder


def test_storyboard_shape(client: TestClient, project_id: str, settings: Settings) -> None:
    board = client.get(f"/api/projects/{project_id}/storyboard").json()
    assert (board["width"], board["height"], board["fps"]) == (1280, 720, 24)
    assert len(board["shots"]) >= 2
    first = board["shots"][0]
    assert first["index"] == 0
    assert first["subjects"] == ["MEI"]
    assert first["setting"]["location"] == "KITCHEN"
    assert first["thumbnail_url"].endswith(f"/storyboard/shots/{first['id']}/thumbnail")
    spoken = [line for shot in board["shots"] for line in shot["lines"]]
    assert spoken == [{"character": "MEI", "text": "Tea?", "lang": "en"}]
    assert abs(board["duration"] - sum(s["duration"] for s in board["shots"])) < 1e-9
    # Written where `storyreel make` reads it.
    on_disk = read_document(project_folder(settings, project_id) / "storyboard.yaml")
    assert [s.id for s in on_disk.board.shots] == [s["id"] for s in board["shots"]]


def test_unchanged_storyboard_is_not_written_again(
    client: TestClient, project_id: str, settings: Settings
) -> None:
    path = project_folder(settings, project_id) / "storyboard.yaml"
    client.get(f"/api/projects/{project_id}/storyboard")
    stamp = path.stat().st_mtime_ns, path.stat().st_ino
    client.get(f"/api/projects/{project_id}/storyboard")
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == stamp


def test_edit_survives_replanning(client: TestClient, project_id: str) -> None:
    base = f"/api/projects/{project_id}"
    shot = client.get(f"{base}/storyboard").json()["shots"][0]
    edit = {"size": "extreme_close_up", "move": "push_in", "duration": 2.5, "prompt": {"en": "a"}}
    edited = client.patch(f"{base}/storyboard/shots/{shot['id']}", json=edit)
    assert edited.status_code == 200
    assert edited.json()["size"] == "extreme_close_up"
    assert edited.json()["prompt"]["en"] == "a"
    assert edited.json()["prompt"]["zh"] == shot["prompt"]["zh"]  # untouched
    # The script changes: shots are re-planned, the edit stays.
    longer = SCRIPT + "\nINT. ATTIC - NIGHT\n\nA box of letters.\n"
    assert client.put(f"{base}/script", json={"text": longer}).status_code == 200
    board = client.get(f"{base}/storyboard").json()
    again = next(s for s in board["shots"] if s["id"] == shot["id"])
    assert (again["size"], again["move"], again["duration"]) == ("extreme_close_up", "push_in", 2.5)
    assert any(s["setting"]["location"] == "ATTIC" for s in board["shots"])


def test_bad_edits(client: TestClient, project_id: str) -> None:
    base = f"/api/projects/{project_id}/storyboard/shots"
    assert client.patch(f"{base}/nope", json={"size": "wide"}).status_code == 404
    wrong = client.patch(f"{base}/1", json={"size": "giant"})
    assert wrong.status_code == 422
    assert "size" in wrong.json()["detail"]
    assert client.patch(f"{base}/1", json={"duration": 0}).status_code == 422
    assert client.patch(f"{base}/1", json={"colour": "red"}).status_code == 422


def test_hand_broken_storyboard_says_the_line(
    client: TestClient, project_id: str, settings: Settings
) -> None:
    client.get(f"/api/projects/{project_id}/storyboard")
    path = project_folder(settings, project_id) / "storyboard.yaml"
    lines = path.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("size:"))
    lines[at] = lines[at].split(":")[0] + ": giant"
    path.write_text("\n".join(lines) + "\n")
    response = client.get(f"/api/projects/{project_id}/storyboard")
    assert response.status_code == 422
    assert response.json()["line"] == at + 1
    assert "giant" in response.json()["detail"]


def test_thumbnail_is_a_cached_png(client: TestClient, project_id: str, settings: Settings) -> None:
    shot = client.get(f"/api/projects/{project_id}/storyboard").json()["shots"][0]
    response = client.get(shot["thumbnail_url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (384, 216)
    cached = list((project_folder(settings, project_id) / ".storyreel/thumbnails").glob("*.png"))
    assert len(cached) == 1
    assert client.get(shot["thumbnail_url"]).content == response.content
    assert len(list(cached[0].parent.glob("*.png"))) == 1
    # A changed shot is drawn anew.
    other = "close_up" if shot["size"] != "close_up" else "wide"
    client.patch(f"/api/projects/{project_id}/storyboard/shots/{shot['id']}", json={"size": other})
    client.get(shot["thumbnail_url"])
    assert len(list(cached[0].parent.glob("*.png"))) == 2


def test_options_list_every_value_with_labels(client: TestClient, project_id: str) -> None:
    options = client.get(f"/api/projects/{project_id}/storyboard/options").json()
    sizes = {o["value"]: o for o in options["sizes"]}
    assert sizes["close_up"]["label_zh"] == "特写"
    assert sizes["close_up"]["label_en"] == "close-up"
    assert {o["value"] for o in options["moves"]} >= {"static", "push_in", "orbit"}
    assert {o["value"] for o in options["angles"]} >= {"eye_level", "dutch"}
    assert 0 < options["duration"]["min"] < options["duration"]["max"] <= 60


def test_a_cast_description_reaches_the_prompts(
    client: TestClient, project_id: str, settings: Settings
) -> None:
    base = f"/api/projects/{project_id}"
    before = client.get(f"{base}/storyboard").json()["shots"]
    assert all("grey wool coat" not in s["prompt"]["en"] for s in before)
    patched = client.patch(f"{base}/cast/mei", json={"description": "60s, grey wool coat"})
    assert patched.status_code == 200
    shots = client.get(f"{base}/storyboard").json()["shots"]
    with_mei = [s for s in shots if "MEI" in s["subjects"]]
    assert with_mei and all("MEI (60s, grey wool coat)" in s["prompt"]["en"] for s in with_mei)
    assert all("MEI（60s, grey wool coat）" in s["prompt"]["zh"] for s in with_mei)
    others = {s["id"]: s["prompt"] for s in shots if "MEI" not in s["subjects"]}
    assert others == {s["id"]: s["prompt"] for s in before if s["id"] in others}
    on_disk = read_document(project_folder(settings, project_id) / "storyboard.yaml")
    assert on_disk.board.characters["MEI"].description == "60s, grey wool coat"


def test_the_shots_world_is_shown_and_edited(
    client: TestClient, project_id: str, settings: Settings
) -> None:
    base = f"/api/projects/{project_id}/storyboard"
    board = client.get(base).json()
    assert board["shots"][0]["actions"] == {"MEI": "stand"}
    kettle = next(s for s in board["shots"] for t in s["things"] if t["kind"] == "kettle")
    # Put a cup in her hand, and frame the cup first.
    cup = {"kind": "cup", "name": "cup", "holder": "MEI"}
    edit = {"things": [*kettle["things"], cup], "focus": "cup"}
    edited = client.patch(f"{base}/shots/{kettle['id']}", json=edit)
    assert edited.status_code == 200, edited.text
    assert edited.json()["focus"] == "cup" and cup in edited.json()["things"]
    on_disk = read_document(project_folder(settings, project_id) / "storyboard.yaml").board
    shot = next(s for s in on_disk.shots if s.id == kettle["id"])
    assert shot.focus == "cup" and [t.kind for t in shot.things][-1] == "cup"
    # A kind the vocabulary does not know, or a focus on nothing in the shot, is refused
    # with what is allowed, and the file is left as it was.
    before = (project_folder(settings, project_id) / "storyboard.yaml").read_text()
    wrong = client.patch(f"{base}/shots/{kettle['id']}", json={"things": [{"kind": "cupp"}]})
    assert wrong.status_code == 422 and "'cupp' is not a prop kind" in wrong.text
    assert "did you mean cup?" in wrong.text and "teapot" in wrong.text  # and every kind
    assert "storyboard.yaml" not in wrong.text  # the studio's user never sees the file
    lost = client.patch(f"{base}/shots/{kettle['id']}", json={"focus": "piano"})
    assert lost.status_code == 422 and "choose one of" in lost.text and "MEI" in lost.text
    assert (project_folder(settings, project_id) / "storyboard.yaml").read_text() == before


def test_reorder_the_shots(client: TestClient, project_id: str, settings: Settings) -> None:
    base = f"/api/projects/{project_id}/storyboard"
    ids = [s["id"] for s in client.get(base).json()["shots"]]
    order = [ids[-1], *ids[:-1]]
    answer = client.put(f"{base}/order", json={"shots": order})
    assert answer.status_code == 200, answer.text
    assert [s["id"] for s in answer.json()["shots"]] == order
    assert [s["index"] for s in answer.json()["shots"]] == list(range(len(ids)))
    # Written where `storyreel make` reads it, and read back in that order.
    on_disk = read_document(project_folder(settings, project_id) / "storyboard.yaml")
    assert [s.id for s in on_disk.board.shots] == order
    assert [s["id"] for s in client.get(base).json()["shots"]] == order

    # Not every shot once: refused with what is wrong, nothing written.
    for bad, words in (
        (order[:-1], f"missing: {order[-1]}"),
        ([*order, "zz"], "not in the storyboard: zz"),
        ([*order[:-1], order[0]], f"named twice: {order[0]}"),
    ):
        refused = client.put(f"{base}/order", json={"shots": bad})
        assert refused.status_code == 422
        assert words in refused.json()["detail"]
    assert [s["id"] for s in client.get(base).json()["shots"]] == order
