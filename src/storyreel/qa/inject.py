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


# --- a speaking face ---------------------------------------------------------------------
# Lip sync is measured on a photograph whose mouth is painted open along a known track.


def lips_box(head: NDArray[np.uint8]) -> tuple[float, float, float, float]:
    """The inner lips (x0, y0, x1, y1) of the first face dlib finds in `head`."""
    from storyreel.cast import faces
    from storyreel.qa.lipsync import _predictor

    face = faces.find_faces(head)[0]
    rect = faces.face_models().dlib.rectangle(
        round(face.x0), round(face.y0), round(face.x1), round(face.y1)
    )
    shape = _predictor()(head, rect)
    lips = np.array([(shape.part(k).x, shape.part(k).y) for k in range(60, 68)], dtype=float)
    (x0, y0), (x1, y1) = lips.min(axis=0), lips.max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


def painted_mouth(
    head: NDArray[np.uint8], box: tuple[float, float, float, float], opening: float
) -> NDArray[np.uint8]:
    """`head` with its mouth painted open by `opening` (0..1) inside `box` (the inner
    lips, as `lips_box` finds them): a dark oval with a lip-coloured rim."""
    from PIL import Image, ImageDraw

    x0, y0, x1, y1 = box
    middle, width = (y0 + y1) / 2, x1 - x0
    half = 1 + opening * width * 0.22
    image = Image.fromarray(head.copy())
    ImageDraw.Draw(image).ellipse(
        [x0 - width * 0.1, middle - half, x1 + width * 0.1, middle + half],
        fill=(60, 20, 25),
        outline=(170, 80, 80),
        width=3,
    )
    return np.asarray(image)
