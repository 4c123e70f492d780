from __future__ import annotations

import io
import wave

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image

from storyreel.api import Settings

from .support import project_folder


def _png(size: int = 96) -> bytes:
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 255, (size, size, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def test_script_characters_join_the_cast(client: TestClient, project_id: str) -> None:
    client.get(f"/api/projects/{project_id}/storyboard")
    cast = client.get(f"/api/projects/{project_id}/cast").json()
    assert [(s["name"], s["kind"], s["slug"]) for s in cast] == [("MEI", "character", "mei")]


def test_add_with_image_then_edit_and_remove(
    client: TestClient, project_id: str, settings: Settings
) -> None:
    base = f"/api/projects/{project_id}/cast"
    added = client.post(
        base,
        data={"name": "Old Kite", "kind": "prop", "description": "a red paper kite"},
        files={"image": ("../../evil name.png", _png(), "image/png")},
    )
    assert added.status_code == 201, added.text
    subject = added.json()
    assert subject["slug"] == "old-kite"
    assert subject["kind"] == "prop"
    assert len(subject["image_urls"]) == 1
    image = client.get(subject["image_urls"][0])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == (96, 96)
    # The client's file name went nowhere; the upload was cleaned up.
    folder = project_folder(settings, project_id)
    assert not list(folder.rglob("*evil*"))
    assert not list((folder / ".storyreel/uploads").glob("*"))

    patched = client.patch(f"{base}/old-kite", json={"description": "torn"})
    assert patched.json()["description"] == "torn"
    assert client.get(f"{base}/old-kite").json()["description"] == "torn"
    assert client.get(f"{base}/old-kite/images/3").status_code == 404

    assert client.delete(f"{base}/old-kite").status_code == 204
    assert client.get(f"{base}/old-kite").status_code == 404


def test_undecodable_image_is_415(client: TestClient, project_id: str) -> None:
    response = client.post(
        f"/api/projects/{project_id}/cast",
        data={"name": "Broken"},
        files={"image": ("x.png", b"\x89PNG\r\n\x1a\nnot really", "image/png")},
    )
    assert response.status_code == 415
    assert "decoded" in response.json()["detail"]
    assert client.get(f"/api/projects/{project_id}/cast/broken").status_code == 404


def test_clip_that_is_not_a_video_is_415(client: TestClient, project_id: str) -> None:
    response = client.post(
        f"/api/projects/{project_id}/cast",
        data={"name": "Actor"},
        files={"clip": ("a.mp4", b"\x00\x00\x00\x18ftypmp42 nonsense", "video/mp4")},
    )
    assert response.status_code == 415


def test_oversize_upload_is_413(client: TestClient, project_id: str) -> None:
    big = _png(400)  # random pixels do not compress: well over the 64 KiB test limit
    response = client.post(
        f"/api/projects/{project_id}/cast",
        data={"name": "Huge"},
        files={"image": ("big.png", big, "image/png")},
    )
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]


def test_duplicate_name_is_refused(client: TestClient, project_id: str) -> None:
    base = f"/api/projects/{project_id}/cast"
    assert client.post(base, data={"name": "Lin"}).status_code == 201
    again = client.post(base, data={"name": "LIN"})
    assert again.status_code == 422
    assert "already has" in again.json()["detail"]


def test_voice_preview_is_a_wav_of_the_line(client: TestClient, project_id: str) -> None:
    client.get(f"/api/projects/{project_id}/storyboard")
    response = client.get(f"/api/projects/{project_id}/cast/mei/voice-preview?text=Tea time")
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as audio:
        assert audio.getnchannels() == 1
        seconds = audio.getnframes() / audio.getframerate()
    assert 0.3 < seconds < 5
    assert client.get(f"/api/projects/{project_id}/cast/mei/voice-preview").status_code == 422
