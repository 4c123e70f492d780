"""Long shots in segments: planning how many frames each makes, and joining them.

Video models make at most a fixed number of frames in one go (81 for Wan 2.1), and
their frame counts come in steps of the VAE's temporal compression (4k+1 frames for a
4x VAE). A longer shot is made as a chain: each segment after the first starts from
the last frame of the one before, so consecutive segments share one frame, which the
join keeps once.
"""

from __future__ import annotations

import math

import numpy as np


def valid_length(frames: int, step: int) -> int:
    """The smallest length of the form step*k + 1 that holds `frames` frames."""
    return step * max(0, math.ceil((frames - 1) / step)) + 1


def plan_segments(needed: int, limit: int, step: int) -> list[int]:
    """Frame counts for the segments that make `needed` frames together.

    Each count is step*k + 1 and at most `limit` (itself rounded down to that form);
    consecutive segments share a frame, so the segments make sum(counts) - (n - 1)
    distinct frames, at least `needed` (the surplus, under one step per segment, is
    trimmed by the caller). The work is spread evenly rather than leaving a stub.
    """
    if needed < 1:
        raise ValueError(f"a shot needs at least one frame, got {needed}")
    if step < 1:
        raise ValueError(f"the frame step must be at least 1, got {step}")
    limit = step * ((limit - 1) // step) + 1
    if limit < step + 1:
        raise ValueError(f"a segment must hold at least {step + 1} frames, got {limit}")
    if needed <= limit:
        return [valid_length(needed, step)]
    # Each segment after the first adds (length - 1) new frames.
    count = math.ceil((needed - 1) / (limit - 1))
    new_frames = math.ceil((needed - 1) / count)
    length = valid_length(new_frames + 1, step)
    return [length] * count


def join_segments(segments: list[np.ndarray]) -> np.ndarray:
    """One clip from chained segments (each F×H×W×C), the shared frames kept once."""
    if not segments:
        raise ValueError("nothing to join")
    parts = [segments[0]] + [s[1:] for s in segments[1:]]
    return np.concatenate(parts, axis=0)
