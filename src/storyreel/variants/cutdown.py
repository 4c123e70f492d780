"""A shorter length cut down from the longest, as an ad editor cuts a :15 from the :30:
the same shots (ids, content, subjects, moves, lines), each one's take the first
frames of the longer film's take, their lengths fitted again to the shorter target.

    board = cutdown_board(master.storyboard, master.timeline, 15)

Pure: the longer film's storyboard and timeline in, the shorter film's storyboard out.
How the lengths are fitted (`cutdown_frames`):

1. A shot with a line keeps its length in the longer film, and the shots without
   lines share what is left of the target in proportion to their lengths there, none
   shorter than `SHORTEST` seconds (the planner's own rule, direct/staging.py).
2. When that overruns the target by more than the planner's tolerance, the shots with
   lines are cut to what their speech needs (its lead-in, the lines, the tail after the
   last, as the voice stage lays them out) and the others fitted again.
3. No shot is ever longer than it is in the longer film (its take has no more frames),
   and a shot with a line never shorter than its speech. When even step 2 overruns,
   no shot is dropped (a dropped shot could be the one the story turns on): the cut
   is refused with a `VariantError` that says the shortest length it can have.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from storyreel.direct.staging import fit_lengths
from storyreel.model import Storyboard
from storyreel.timeline import Timeline, frames_for
from storyreel.variants.transform import VariantError
from storyreel.voice.stage import TAIL

# The shortest shot a cutdown leaves, in seconds: the planner's own floor.
SHORTEST = 0.8
# How far over its target a cutdown may run: the planner's own tolerance (±10 %).
TOLERANCE = 0.10


def speech_frames(timeline: Timeline, shot_id: str) -> int:
    """The fewest frames `shot_id` may last for its lines to be heard in it whole: to
    the end of its last line and the voice stage's tail after it; 0 without lines."""
    lines = timeline.lines_in(shot_id)
    if not lines:
        return 0
    end_ms = max(line.offset_ms + line.duration_ms for line in lines)
    return math.ceil((end_ms / 1000 + TAIL) * timeline.fps)


def cutdown_frames(timeline: Timeline, spoken: Sequence[bool], length: float) -> list[int]:
    """Each shot's frames in a cut of `length` seconds of the film `timeline` times
    (`spoken`: whether each shot has lines); the rules are the module's. VariantError
    when the lines do not fit in `length` with the planner's tolerance."""
    fps = timeline.fps
    longest = timeline.shot_frames()
    needs = [speech_frames(timeline, shot.shot_id) for shot in timeline.shots]
    limit = length * (1 + TOLERANCE) * fps

    def fitted(kept: Sequence[int]) -> list[int]:
        seconds = fit_lengths([k / fps for k in kept], spoken, length, SHORTEST)
        return [
            min(whole, max(need, frames_for(s, fps)))
            for s, whole, need in zip(seconds, longest, needs, strict=True)
        ]

    frames = fitted(longest)
    if sum(frames) > limit:
        frames = fitted(
            [
                need if said else whole
                for need, whole, said in zip(needs, longest, spoken, strict=True)
            ]
        )
    if sum(frames) > limit:
        shortest = math.ceil(sum(frames) / fps / (1 + TOLERANCE))
        raise VariantError(
            f"a {length:g} s cut cannot hold this film's lines: cut to what they need and "
            f"every other shot to {SHORTEST:g} s, it lasts {sum(frames) / fps:.1f} s; ask "
            f"for a length of at least {shortest} s, or shorten the lines"
        )
    return frames


def cutdown_board(board: Storyboard, timeline: Timeline, length: int) -> Storyboard:
    """The longer film's filmed storyboard (`board`, its `timeline`) as a cut of
    `length` seconds: the same shots, each lasting its fitted frames (whole frames, so
    the voice stage keeps them), its lines' timing left for the voice stage to lay
    out again."""
    spoken = [bool(shot.lines) for shot in board.shots]
    frames = dict(
        zip(
            (shot.shot_id for shot in timeline.shots),
            cutdown_frames(timeline, spoken, length),
            strict=True,
        )
    )
    shots = [
        shot.model_copy(
            update={
                "duration": frames[shot.id] / board.fps,
                "lines": [
                    line.model_copy(update={"start": 0.0, "duration": 0.0}) for line in shot.lines
                ],
            }
        )
        for shot in board.shots
    ]
    return board.model_copy(update={"shots": shots})
