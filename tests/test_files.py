from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyreel.files import atomic_path, write_text_atomic


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
