"""The bundled example, end to end, checked against the brief and its own storyboard."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from storyreel.cut.timeline import cues
from storyreel.make import Progress, make_film

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "the_kite_mender.fountain"


@pytest.mark.slow
def test_the_bundled_example_film(tmp_path: Path) -> None:
    events: list[Progress] = []
    film = make_film(EXAMPLE, tmp_path / "kite.mp4", progress=events.append)
    board = film.storyboard

    assert len(board.shots) >= 8
    assert board.duration >= 60
    with av.open(str(film.path)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0]
        assert (video.width, video.height, video.average_rate) == (1280, 720, 24)
        assert video.codec_context.name == "h264" and audio.codec_context.name == "aac"
        assert audio.rate == 48000
        frames = sum(1 for _ in container.decode(video))
    with av.open(str(film.path)) as container:
        audio_seconds = sum(f.samples for f in container.decode(audio=0)) / 48000
    # Within one frame of the storyboard's duration, picture and sound alike.
    assert abs(frames / 24 - board.duration) <= 1 / 24
    assert abs(audio_seconds - board.duration) <= 1 / 24 + 1024 / 48000
    assert frames == film.frames

    # Every line was voiced, fits its shot, and has its subtitle.
    lines = [line for shot in board.shots for line in shot.lines]
    assert lines and all(line.duration > 0.3 for line in lines)
    for shot in board.shots:
        for line in shot.lines:
            assert line.start + line.duration <= shot.duration
    srt = film.subtitles.read_text(encoding="utf-8")
    assert srt.count(" --> ") == len(cues(board)) == len(lines)
    assert "风不吃风筝" in srt and "Can you fix it?" in srt

    # Progress reached the end of every stage.
    for stage in ("parse", "direct", "voice", "render", "cut"):
        last = [e for e in events if e.stage == stage][-1]
        assert last.done == last.total, stage
