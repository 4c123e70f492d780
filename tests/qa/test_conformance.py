"""The built-in check reads a take's container header against its request."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tests.run.support import request

from storyreel.media.encode import VideoSettings, VideoWriter
from storyreel.qa import load_check
from storyreel.render.engine import Take
from storyreel.render.engines.previs import PrevisEngine


def test_a_take_as_asked_passes(tmp_path: Path) -> None:
    req = request(tmp_path / "take.mp4")
    take = PrevisEngine().render(req)
    result = load_check("conformance").check(take, req)
    assert (result.passed, result.score, result.notes) == (True, 1.0, [])


def test_a_short_small_take_fails_and_says_why(tmp_path: Path) -> None:
    req = request(tmp_path / "take.mp4")
    path = tmp_path / "short.mp4"
    small = VideoSettings(width=req.width // 2, height=req.height // 2, fps=req.fps)
    with VideoWriter(path, small) as writer:
        for _ in range(max(1, req.frame_count - 2)):
            writer.write(np.zeros((small.height, small.width, 3), np.uint8))
    take = Take.made_for(req, "previs").model_copy(update={"path": path})
    result = load_check("conformance").check(take, req)
    assert not result.passed and result.score < 1.0
    assert any(f"asked for {req.frame_count}" in note for note in result.notes)
    assert any(f"asked for {req.width}x{req.height}" in note for note in result.notes)
    lenient = load_check("conformance", {"frame_tolerance": 2}).check(take, req)
    assert not any("frames" in note for note in lenient.notes)


def test_a_file_that_is_not_a_video_scores_zero(tmp_path: Path) -> None:
    req = request(tmp_path / "take.mp4")
    path = tmp_path / "notes.mp4"
    path.write_text("not a video", encoding="utf-8")
    take = Take.made_for(req, "previs").model_copy(update={"path": path})
    result = load_check("conformance").check(take, req)
    assert (result.passed, result.score) == (False, 0.0)
    assert result.notes[0].startswith("not a video")
