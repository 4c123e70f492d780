"""Where the camera looks: framing per shot size, and the move as a path of crop windows.

The world is measured in adult figure heights: a grown-up stands 1.0 tall with the feet
at y = 0, and y grows upwards. Subjects stand in a row, the first at x = 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from storyreel.model import CameraMove, Direction, ShotSize

# Distance between neighbouring subjects: a conversation, not a queue.
SUBJECT_GAP = 0.55
# Eye height of a standing adult, used to aim close framings at the face.
FACE_Y = 0.9

# (visible height, world y at the frame's centre) per size, for an adult of height 1.
_FRAMING: dict[ShotSize, tuple[float, float]] = {
    ShotSize.extreme_wide: (5.0, 1.6),  # figure ~20 % of the frame height
    ShotSize.wide: (3.4, 1.1),  # ~30 %
    # The whole figure fills ~77 %, feet above the caption band.
    ShotSize.full: (1.3, 0.42),
    ShotSize.medium: (0.66, 0.75),  # waist up
    ShotSize.medium_close_up: (0.44, 0.84),  # chest up
    ShotSize.close_up: (0.28, 0.88),  # the head fills ~60 %
    ShotSize.extreme_close_up: (0.1, 0.885),  # eyes to mouth
}
# How far the window travels, as a fraction of the frame, per move.
PUSH_ZOOM = 1.3
PAN_TRAVEL = 0.3
TILT_TRAVEL = 0.3
TRACK_TRAVEL = 0.5


@dataclass(frozen=True)
class View:
    """A rectangle of the world: centre and visible height (width follows the aspect)."""

    cx: float
    cy: float
    height: float


@dataclass(frozen=True)
class Window:
    """A crop of the canvas in canvas pixels; even sizes so YUV 4:2:0 planes align."""

    x: int
    y: int
    w: int
    h: int


def framing(size: ShotSize, subject_heights: list[float], aspect: float) -> View:
    """The view for a shot size: the first subject framed, on a third when others share it."""
    height, cy = _FRAMING[size]
    if not subject_heights:
        # No one to frame: show the place at its widest sensible framing.
        height, cy = _FRAMING[ShotSize.wide if size != ShotSize.extreme_wide else size]
        return View(0.0, cy, height)
    # Closer shots frame the first subject's body, so a child's close-up is still a
    # close-up of their face; a full shot keeps the tallest of them whole.
    tall = max(subject_heights) if size == ShotSize.full else subject_heights[0]
    if size not in (ShotSize.extreme_wide, ShotSize.wide):
        height, cy = height * tall, cy * tall
    cx = 0.0
    if len(subject_heights) > 1:
        # Rule of thirds: the subject sits on the left third, looking into the space
        # where the others stand.
        cx = height * aspect / 6
    return View(cx, cy, height)


def smoothstep(t: float) -> float:
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


@dataclass(frozen=True)
class CameraPlan:
    """The canvas to draw (world view and pixel size) and how the window crosses it."""

    canvas: View  # the world rectangle the canvas shows
    canvas_w: int
    canvas_h: int
    scale: float  # canvas pixels per world unit
    start: tuple[float, float, float]  # window centre x, y and width in canvas pixels
    end: tuple[float, float, float]
    frame_w: int
    frame_h: int
    # Canvas pixels per output pixel at the tightest window (1 unless pushing).
    zoom: float = 1.0

    @property
    def moves(self) -> bool:
        return self.start != self.end

    def window(self, t: float) -> Window:
        """The crop at time fraction `t` (0..1), eased in and out."""
        e = smoothstep(t)
        cx, cy, w = (a + (b - a) * e for a, b in zip(self.start, self.end, strict=True))
        return self._snap(cx, cy, w)

    def _snap(self, cx: float, cy: float, w: float) -> Window:
        # Even width and height from one rounded width keep the aspect fixed; the corner
        # is rounded from the centre so a push's edges move together, without wobble.
        ww = max(2, 2 * round(w / 2))
        hh = max(2, 2 * round(ww * self.frame_h / self.frame_w / 2))
        if abs(ww - self.frame_w) <= 2 and abs(hh - self.frame_h) <= 2:
            ww, hh = self.frame_w, self.frame_h  # exactly 1:1, no rescale needed
        ww, hh = min(ww, self.canvas_w), min(hh, self.canvas_h)
        x = min(max(0, round(cx - ww / 2)), self.canvas_w - ww)
        y = min(max(0, round(cy - hh / 2)), self.canvas_h - hh)
        return Window(x, y, ww, hh)

    def to_canvas(self, x: float, y: float) -> tuple[float, float]:
        """World point to canvas pixels."""
        left = self.canvas.cx - self.canvas_w / self.scale / 2
        top = self.canvas.cy + self.canvas.height / 2
        return (x - left) * self.scale, (top - y) * self.scale


def _even(v: float) -> int:
    return max(2, 2 * math.ceil(v / 2))


def plan_camera(
    view: View,
    move: CameraMove,
    direction: Direction | None,
    width: int,
    height: int,
    *,
    focus: tuple[float, float] | None = None,
) -> CameraPlan:
    """Canvas and window path for `move` around the framing `view`.

    The canvas is drawn at the resolution of the tightest window, so every frame is a
    1:1 crop or a downscale: close framings stay crisp, never an upscaled blur.
    `focus` is the world point a push aims at (the subject's face).
    """
    aspect = width / height
    scale = height / view.height
    cw, ch = float(width), float(height)
    mid = (width / 2, height / 2)
    start = end = (mid[0], mid[1], float(width))
    canvas = view
    if move in (CameraMove.push_in, CameraMove.pull_out):
        scale *= PUSH_ZOOM
        cw, ch = width * PUSH_ZOOM, height * PUSH_ZOOM
        fx, fy = focus if focus is not None else (view.cx, view.cy)
        # Aim the tight end between the framing centre and the face, kept inside.
        tx = view.cx + (fx - view.cx) * 0.6
        ty = view.cy + (fy - view.cy) * 0.6
        half_w = view.height * aspect / 2 * (1 - 1 / PUSH_ZOOM)
        half_h = view.height / 2 * (1 - 1 / PUSH_ZOOM)
        tx = min(max(tx, view.cx - half_w), view.cx + half_w)
        ty = min(max(ty, view.cy - half_h), view.cy + half_h)
        wide = (cw / 2, ch / 2, cw)
        tight = (cw / 2 + (tx - view.cx) * scale, ch / 2 - (ty - view.cy) * scale, float(width))
        start, end = (wide, tight) if move == CameraMove.push_in else (tight, wide)
    elif move in (CameraMove.pan, CameraMove.track):
        travel = PAN_TRAVEL if move == CameraMove.pan else TRACK_TRAVEL
        cw = width * (1 + travel)
        left = (width / 2, height / 2, float(width))
        right = (cw - width / 2, height / 2, float(width))
        start, end = (right, left) if direction == "left" else (left, right)
    elif move == CameraMove.tilt:
        ch = height * (1 + TILT_TRAVEL)
        top = (width / 2, height / 2, float(width))
        bottom = (width / 2, ch - height / 2, float(width))
        start, end = (top, bottom) if direction == "down" else (bottom, top)
    canvas_w, canvas_h = _even(cw), _even(ch)
    canvas = View(view.cx, view.cy, canvas_h / scale)
    zoom = PUSH_ZOOM if move in (CameraMove.push_in, CameraMove.pull_out) else 1.0
    return CameraPlan(canvas, canvas_w, canvas_h, scale, start, end, width, height, zoom)
