from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyreel.files import atomic_folder, atomic_path, write_text_atomic


def test_the_finished_file_appears_only_on_success_with_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "film.srt"
    old = os.umask(0o022)
    try:
        with atomic_path(target) as tmp:
            tmp.write_text("partial")
            assert not target.exists()
            assert tmp.name.startswith(".film.") and tmp.suffix == ".srt"
    finally:
        os.umask(old)
    assert target.read_text() == "partial"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["film.srt"]


def test_an_interrupted_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "film.srt"
    write_text_atomic(target, "old")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_text("new but unfinished")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["film.srt"]


def test_a_folder_appears_complete_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "stems"
    with atomic_folder(target) as tmp:
        (tmp / "dialogue.wav").write_bytes(b"1")
        (tmp / "music.wav").write_bytes(b"2")
        assert not target.exists() and tmp.name.startswith(".stems.")
    assert sorted(p.name for p in target.iterdir()) == ["dialogue.wav", "music.wav"]
    # A second one replaces it whole; an interrupted one leaves it and no temp behind.
    with atomic_folder(target) as tmp:
        (tmp / "dialogue.wav").write_bytes(b"3")
    assert [p.name for p in target.iterdir()] == ["dialogue.wav"]
    with pytest.raises(KeyboardInterrupt), atomic_folder(target) as tmp:
        (tmp / "music.wav").write_bytes(b"unfinished")
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["stems"]
    assert (target / "dialogue.wav").read_bytes() == b"3"
