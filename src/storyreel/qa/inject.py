"""Defects put into a clean take on purpose, to measure the checks against.

    frames = decode(take.path); write(frozen(frames, at=40, count=12), out, fps)

Each function takes the take's frames (RGB arrays) and returns new ones with one
defect at a known frame, so a test or a benchmark knows exactly what a check should
find and where.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from storyreel.media.encode import VideoSettings, VideoWriter

Frames = list[NDArray[np.uint8]]


def decode(path: Path) -> Frames:
    with av.open(str(path)) as container:
        return [
            np.asarray(f.to_ndarray(format="rgb24"), dtype=np.uint8)
            for f in container.decode(video=0)
        ]


def write(frames: Sequence[NDArray[np.uint8]], path: Path, fps: int) -> Path:
    height, width = frames[0].shape[:2]
    with VideoWriter(path, VideoSettings(width=width, height=height, fps=fps)) as writer:
        for frame in frames:
            writer.write(frame)
    return path


def frozen(frames: Frames, at: int, count: int) -> Frames:
    """Frames at+1 .. at+count show frame `at` again (the take keeps its length)."""
    return [*frames[: at + 1], *[frames[at]] * count, *frames[at + 1 + count :]]


def dropped(frames: Frames, at: int, count: int) -> Frames:
    """Frames at .. at+count-1 are gone: frame at-1 is followed by frame at+count."""
    return [*frames[:at], *frames[at + count :]]


def black(frames: Frames, at: int, count: int) -> Frames:
    dark = np.zeros_like(frames[0])
    return [dark if at <= i < at + count else f for i, f in enumerate(frames)]


def flash(frames: Frames, at: int, count: int = 1) -> Frames:
    white = np.full_like(frames[0], 255)
    return [white if at <= i < at + count else f for i, f in enumerate(frames)]


def pasted(
    frames: Frames, image: NDArray[np.uint8], start: int, count: int, xy: tuple[int, int]
) -> Frames:
    """`image` laid over frames start .. start+count-1 with its top-left corner at `xy`."""
    x, y = xy
    h, w = image.shape[:2]
    out = []
    for i, frame in enumerate(frames):
        if start <= i < start + count:
            frame = frame.copy()
            frame[y : y + h, x : x + w] = image
        out.append(frame)
    return out
