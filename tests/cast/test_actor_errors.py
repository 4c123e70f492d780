"""Every clip a digital actor cannot come from gets one clear error."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from storyreel.cast import ActorError, ActorsMissingError, faces
from storyreel.cast.actor import capture_actor
from storyreel.cast.clip import parse_trim

from .conftest import astronaut_head, clip, skdata


def test_no_face(tmp_path: Path) -> None:
    landscape = skdata.rocket()  # a launch pad under the sky, no one in it
    path = clip(tmp_path / "rocket.mp4", landscape, seconds=3.5)
    with pytest.raises(ActorError, match="no face found"):
        capture_actor(path)


def test_two_faces_ask_for_a_face_index_and_accept_one(tmp_path: Path) -> None:
    path = clip(tmp_path / "two.mp4", astronaut_head(), copies=2, seconds=3.5)
    with pytest.raises(ActorError, match=r"2 faces.*--face-index N"):
        capture_actor(path)
    with pytest.raises(ActorError, match="out of range"):
        capture_actor(path, face_index=2)
    right = capture_actor(path, face_index=1)
    # The rightmost face was followed: every crop came from the right half.
    assert all(crop.face.x0 > 320 for crop in right.crops)


def test_too_short(tmp_path: Path) -> None:
    path = clip(tmp_path / "short.mp4", astronaut_head(), seconds=2.0)
    with pytest.raises(ActorError, match=r"2\.0 s, shorter than the 3–8 s"):
        capture_actor(path)


def test_too_long_offers_trim_and_trim_works(tmp_path: Path) -> None:
    path = clip(tmp_path / "long.mp4", astronaut_head(), seconds=9.0)
    with pytest.raises(ActorError, match=r"9\.0 s, longer .* --trim START:END"):
        capture_actor(path)
    captured = capture_actor(path, trim=parse_trim("0.5:5"))
    assert abs(captured.duration - 4.5) < 0.1
    assert len(captured.crops) >= 3


def test_trim_is_parsed_strictly() -> None:
    assert parse_trim("1.5:6") == (1.5, 6.0)
    assert parse_trim(":4") == (None, 4.0)
    for bad in ("1-5", "6:2", "a:b"):
        with pytest.raises(ActorError, match="--trim"):
            parse_trim(bad)


def test_no_audio_track(tmp_path: Path) -> None:
    path = clip(tmp_path / "mute.mp4", astronaut_head(), seconds=3.5, sound=False)
    with pytest.raises(ActorError, match="no audio track"):
        capture_actor(path)


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    junk = tmp_path / "clip.mp4"
    junk.write_text("this is not a video", encoding="utf-8")
    with pytest.raises(ActorError, match="cannot be read as a video"):
        capture_actor(junk)
    with pytest.raises(ActorError, match="no such file"):
        capture_actor(tmp_path / "gone.mp4")


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def hide(name: str, *args: object) -> object:
        return None if name == "face_recognition_models" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", hide)
    faces.face_models.cache_clear()
    try:
        with pytest.raises(ActorsMissingError, match=r"pip install 'storyreel\[actors\]'"):
            capture_actor(Path("whatever.mp4"))
    finally:
        monkeypatch.undo()
        faces.face_models.cache_clear()
