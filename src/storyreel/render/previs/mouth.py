"""A speaking figure's mouth, opening and closing with the voice track.

The engine stays a few copies per frame: the mouth is drawn once per shot in a few
states (closed as the figure was drawn, then wider and wider) as small RGB patches of
the canvas around the mouth, and a frame only swaps the patch for the state that the
voice's openness asks for. Static shots keep one finished frame per state; moving
shots paste the patch into the crop before it is scaled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from storyreel.render.previs.figure import MouthSpot
from storyreel.render.previs.pen import Pen
from storyreel.render.previs.util import INK, shade

Box = tuple[int, int, int, int]  # x0, y0, x1, y1

# Closed plus five openings: at 24 fps finer steps are not visible on a drawn mouth.
LEVELS = 6
_INSIDE = (96, 30, 40)
_TONGUE = (196, 92, 102)
# Below this the mouth is too small to read: a wide shot animates nothing.
_MIN_RX = 2.0


def level_of(openness: float) -> int:
    """The mouth state (0 closed .. LEVELS - 1 wide) for an openness in 0..1."""
    return round(min(max(openness, 0.0), 1.0) * (LEVELS - 1))


@dataclass(frozen=True)
class MouthArt:
    """The canvas box around a mouth (even-aligned, for 4:2:0) and the RGB patch of
    that box for every state; `patches[0]` is the canvas as drawn."""

    box: Box
    patches: list[np.ndarray]


def mouth_box(spot: MouthSpot, width: int, height: int) -> Box:
    """The canvas box every state of the mouth fits in, clipped and even-aligned."""
    half_w = spot.rx * 1.35 + 2
    x0 = int(spot.cx - half_w)
    x1 = int(spot.cx + half_w) + 2
    y0 = int(spot.cy - spot.ry * 0.8) - 2
    y1 = int(spot.cy + spot.ry * 1.2 + spot.rx * 1.5) + 3
    x0, y0 = max(0, x0 - x0 % 2), max(0, y0 - y0 % 2)
    x1, y1 = min(width, x1 + x1 % 2), min(height, y1 + y1 % 2)
    return x0, y0, x1, y1


def mouth_art(canvas: np.ndarray, spot: MouthSpot) -> MouthArt | None:
    """Every state of the mouth at `spot`, or None when it is too small to matter."""
    if spot.rx < _MIN_RX:
        return None
    height, width = canvas.shape[:2]
    box = mouth_box(spot, width, height)
    x0, y0, x1, y1 = box
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    base = np.ascontiguousarray(canvas[y0:y1, x0:x1])
    patches = [base]
    for level in range(1, LEVELS):
        image = Image.fromarray(base)
        pen = Pen(0, 0, x1 - x0, y1 - y0, ss=4)
        _draw_open(pen, spot, x0, y0, level / (LEVELS - 1))
        pen.composite_onto(image)
        patches.append(np.asarray(image))
    return MouthArt(box, patches)


def _draw_open(pen: Pen, spot: MouthSpot, x0: int, y0: int, openness: float) -> None:
    cx, cy, rx, ry = spot.cx - x0, spot.cy - y0, spot.rx, spot.ry
    line = max(0.6, rx * 0.1)
    if spot.beard is None:
        # Paint out the closed smile (the lower half of an ellipse at cx, cy).
        pen.ellipse(cx, cy + ry * 0.62, rx * 1.04, ry * 0.55 + line, spot.skin)
    top = cy - ry * 0.15
    half_h = ry * 0.3 + openness * rx * 0.75
    half_w = rx * (0.8 + 0.2 * openness)
    mid = top + half_h
    pen.ellipse(cx, mid, half_w, half_h, _INSIDE, INK, line)
    if openness > 0.35:
        pen.ellipse(cx, mid + half_h * 0.5, half_w * 0.55, half_h * 0.35, _TONGUE)
    # The upper lip keeps the mouth reading as a mouth rather than a hole.
    lip = shade(spot.skin, 0.7) if spot.beard is None else spot.beard
    pen.arc(cx, mid, half_w, half_h, 200, 340, lip, line * 1.2)
