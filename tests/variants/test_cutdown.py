"""Re-fitting a longer film's shots to a shorter length (variants/cutdown.py)."""

from __future__ import annotations

import pytest

from storyreel.timeline import LineTime, ShotTime, Timeline
from storyreel.variants.cutdown import SHORTEST, cutdown_frames, speech_frames
from storyreel.variants.transform import VariantError
from storyreel.voice.stage import TAIL

FPS = 24


def _timeline(frames: list[int], spoken: dict[int, int]) -> Timeline:
    """Shots of `frames`; `spoken` maps a shot's index to its one line's milliseconds."""
    shots, lines, start = [], [], 0
    for index, count in enumerate(frames):
        shots.append(ShotTime(shot_id=str(index + 1), start=start, frames=count))
        if index in spoken:
            lines.append(
                LineTime(
                    shot_id=str(index + 1),
                    index=0,
                    character="VOICEOVER",
                    text="Spring, in every cup.",
                    lang="en",
                    shot_start=start,
                    offset_ms=350,
                    duration_ms=spoken[index],
                )
            )
        start += count
    return Timeline(fps=FPS, shots=tuple(shots), lines=tuple(lines))


def test_a_cut_keeps_the_lines_and_shares_the_rest() -> None:
    # A 30 s film: six 4 s shots and a 6 s shot with a 2 s line in it.
    timeline = _timeline([96] * 6 + [144], {6: 2000})
    spoken = [False] * 6 + [True]
    frames = cutdown_frames(timeline, spoken, 15)
    assert frames[6] == 144  # the shot with a line keeps its length
    assert all(f < 96 for f in frames[:6])  # the others share what is left
    assert abs(sum(frames) - 15 * FPS) <= 6
    assert all(f <= whole for f, whole in zip(frames, timeline.shot_frames(), strict=True))


def test_when_lines_crowd_a_cut_their_shots_are_cut_to_their_speech() -> None:
    # Two shots with long lines take 20 of the film's 30 s: a 15 s cut trims them to
    # what their speech needs (lead-in, line, tail), never shorter.
    timeline = _timeline([240, 240, 120, 120], {0: 5000, 1: 5000})
    spoken = [True, True, False, False]
    frames = cutdown_frames(timeline, spoken, 15)
    need = speech_frames(timeline, "1")
    assert need == round((0.35 + 5.0 + TAIL) * FPS)
    assert frames[:2] == [need, need]
    assert frames[2] == frames[3] >= round(SHORTEST * FPS)
    assert sum(frames) <= 15 * 1.1 * FPS


def test_a_cut_too_short_for_its_lines_is_refused_with_the_shortest_length() -> None:
    # The lines need 2 x 8.95 s, the third shot 0.8 s: 18.7 s, which 18 s holds
    # within the planner's 10 %.
    timeline = _timeline([240, 240, 120], {0: 8000, 1: 8000})
    spoken = [True, True, False]
    with pytest.raises(VariantError, match=r"a 10 s cut cannot hold .* at least 18 s"):
        cutdown_frames(timeline, spoken, 10)
    with pytest.raises(VariantError):
        cutdown_frames(timeline, spoken, 17)
    assert sum(cutdown_frames(timeline, spoken, 18)) <= 18 * 1.1 * FPS
