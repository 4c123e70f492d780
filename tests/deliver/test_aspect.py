"""`--aspect`: one film per frame shape, each made at its frame from the start."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from typer.testing import CliRunner

from storyreel.cli import app
from storyreel.exports import latest_film
from storyreel.media.aspect import aspect_size, parse_aspects
from storyreel.project import Project
from storyreel.render.drawn import read_drawn

STORY = """Title: Two Cups

INT. KITCHEN - DAY

MEI and LI sit at the table.

MEI
Tea?

LI
Please. The green one.
"""


def test_aspects_keep_the_long_side_and_refuse_unknown_shapes() -> None:
    assert aspect_size("16:9", 1280, 720) == (1280, 720)
    assert aspect_size("9:16", 1280, 720) == (720, 1280)
    assert aspect_size("1:1", 1280, 720) == (720, 720)
    assert parse_aspects("9:16, 16:9,9:16") == ["9:16", "16:9"]
    with pytest.raises(ValueError, match="unknown aspect '4:3'"):
        parse_aspects("4:3")


def test_a_vertical_cut_keeps_every_speakers_face_in_frame(tmp_path: Path) -> None:
    story = tmp_path / "cups.fountain"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "cups.mp4"
    args = ["make", str(story), "-o", str(out), "--size", "192x108", "--workers", "1"]
    result = CliRunner().invoke(app, [*args, "--aspect", "16:9,9:16"])
    assert result.exit_code == 0, result.output

    for name, size in (("cups.16x9.mp4", (192, 108)), ("cups.9x16.mp4", (108, 192))):
        with av.open(str(tmp_path / name)) as container:
            stream = container.streams.video[0]
            assert (stream.width, stream.height) == size
    # The latest version is the vertical film: every speaking character was drawn with
    # their head inside the narrow frame (the take's record of what it drew where).
    request = latest_film(Project.at(None, story))
    assert request.board.width == 108 and request.board.height == 192
    speaking = 0
    for shot in request.board.shots:
        drawn = read_drawn(request.takes[shot.id].path)
        assert drawn is not None
        people = {e.name: e.box for e in drawn.elements if e.kind == "person"}
        for speaker in {line.character for line in shot.lines}:
            speaking += 1
            x0, y0, x1, _ = people[speaker]
            assert 0.1 < (x0 + x1) / 2 < 0.9, (shot.id, speaker, people[speaker])
            assert 0.0 <= y0 < 0.5  # the head, at the figure's top, is in the frame
    assert speaking >= 2
