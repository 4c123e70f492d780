"""Where each shot and each spoken line sits in the film, in frames.

Shot durations are snapped to whole frames before anything is rendered, so the
storyboard's duration and the film's duration agree exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyreel.model import Shot, ShotLine, Storyboard
from storyreel.render.engine import frames_for


@dataclass(frozen=True)
class Placement:
    shot: Shot
    start_frame: int
    frames: int


@dataclass(frozen=True)
class Cue:
    """One subtitle: a spoken line placed on the film's clock, in seconds."""

    start: float
    end: float
    text: str
    character: str
    lang: str
    # The script's translation of the line, shown as a second line.
    translation: str | None = None
    # (shot id, line index) of the line it comes from, to find its word timings.
    key: tuple[str, int] | None = None


def snap_to_frames(seconds: float, fps: int) -> float:
    return frames_for(seconds, fps) / fps


def placements(board: Storyboard) -> list[Placement]:
    out: list[Placement] = []
    start = 0
    for shot in board.shots:
        frames = frames_for(shot.duration, board.fps)
        out.append(Placement(shot, start, frames))
        start += frames
    return out


def total_frames(board: Storyboard) -> int:
    return sum(frames_for(shot.duration, board.fps) for shot in board.shots)


def line_start(board: Storyboard, placement: Placement, line: ShotLine) -> float:
    return placement.start_frame / board.fps + line.start


def cues(board: Storyboard) -> list[Cue]:
    """Subtitle cues for every voiced line, in film order."""
    out: list[Cue] = []
    for placement in placements(board):
        for index, line in enumerate(placement.shot.lines):
            if line.duration <= 0:
                continue
            start = line_start(board, placement, line)
            out.append(
                Cue(
                    start,
                    start + line.duration,
                    line.text,
                    line.character,
                    line.lang,
                    translation=line.translation,
                    key=(placement.shot.id, index),
                )
            )
    return out
