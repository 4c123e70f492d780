"""Where the camera looks: framing per shot size, and the move as a path of crop windows.

The world is measured in adult figure heights: a grown-up stands 1.0 tall with the feet
at y = 0, and y grows upwards. Subjects stand in a row, the first at x = 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from storyreel.model import CameraMove, Direction, ShotSize
from storyreel.render.previs.stage import SUBJECT_GAP

__all__ = ["SUBJECT_GAP", "CameraPlan", "View", "Window", "framing", "plan_camera"]
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
# Following a walker, the place slides past faster than in a plain track.
FOLLOW_TRAVEL = 0.7
# A crane rises (or sinks) this much of the frame height, widening as it climbs: the
# slight downward tilt of a rising camera that keeps its subject while showing more.
CRANE_TRAVEL = 0.35
CRANE_ZOOM = 1.15
# An orbit sweeps sideways and swings in closest at the middle of its arc.
ORBIT_TRAVEL = 0.45
ORBIT_REACH = 1.12
# Handheld: a small, smooth, deterministic sway (fractions of the frame width), a few
# slow cycles a second; the canvas gets a margin so the sway never hits its edge.
SHAKE = 0.012
SHAKE_HZ = 0.9
# How much a shot's framing leans the subject towards their side of the frame: a
# close-up keeps the face nearer the centre, an extreme close-up centres it.
_LEAN = {ShotSize.close_up: 0.5, ShotSize.extreme_close_up: 0.0}


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


def framing(
    size: ShotSize, subject_heights: list[float], aspect: float, anchor: float | None = None
) -> View:
    """The view for a shot size: the first subject framed, on a third when others share it.

    `anchor` is where across the frame (0 left .. 1 right) the first subject stands, from
    the storyboard's screen positions; None keeps the default composition."""
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
    if anchor is not None:
        lean = _LEAN.get(size, 1.0)
        cx = (0.5 - (0.5 + (anchor - 0.5) * lean)) * height * aspect
    elif len(subject_heights) > 1:
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
    # Added to the eased path at its middle, fading out to both ends: (x, y, width) in
    # canvas pixels, for an orbit's swing.
    arc: tuple[float, float, float] = (0.0, 0.0, 0.0)
    # Handheld sway: amplitude in canvas pixels and the number of cycles over the shot.
    shake: float = 0.0
    shake_cycles: float = 0.0

    @property
    def moves(self) -> bool:
        return self.start != self.end or self.shake > 0 or self.arc != (0.0, 0.0, 0.0)

    def window(self, t: float) -> Window:
        """The crop at time fraction `t` (0..1), eased in and out."""
        e = smoothstep(t)
        cx, cy, w = (a + (b - a) * e for a, b in zip(self.start, self.end, strict=True))
        if self.arc != (0.0, 0.0, 0.0):
            swing = math.sin(math.pi * e)
            cx, cy, w = cx + self.arc[0] * swing, cy + self.arc[1] * swing, w + self.arc[2] * swing
        if self.shake:
            dx, dy = sway(t * self.shake_cycles)
            cx, cy = cx + self.shake * dx, cy + self.shake * dy
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


def sway(phase: float) -> tuple[float, float]:
    """A hand-held camera's drift at `phase` (cycles), within -1..1 on each axis: sums of
    slow sines at unrelated frequencies, so it is smooth, never repeats visibly, and is
    the same on every render."""
    tau = 2 * math.pi
    dx = 0.6 * math.sin(tau * phase + 0.3) + 0.4 * math.sin(tau * 2.3 * phase + 1.1)
    dy = 0.6 * math.sin(tau * 0.8 * phase + 2.0) + 0.4 * math.sin(tau * 1.9 * phase + 0.7)
    return dx, dy


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
    seconds: float = 0.0,
) -> CameraPlan:
    """Canvas and window path for `move` around the framing `view`.

    The canvas is drawn at the resolution of the tightest window, so every frame is a
    1:1 crop or a downscale: close framings stay crisp, never an upscaled blur.
    `focus` is the world point a push aims at (the subject's face); `seconds` is the
    shot's length, which sets how many times a handheld camera sways.
    """
    aspect = width / height
    scale = height / view.height
    cw, ch = float(width), float(height)
    mid = (width / 2, height / 2)
    start = end = (mid[0], mid[1], float(width))
    arc = (0.0, 0.0, 0.0)
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
    elif move in (CameraMove.pan, CameraMove.track, CameraMove.follow):
        travel = {CameraMove.pan: PAN_TRAVEL, CameraMove.track: TRACK_TRAVEL}.get(
            move, FOLLOW_TRAVEL
        )
        cw = width * (1 + travel)
        left = (width / 2, height / 2, float(width))
        right = (cw - width / 2, height / 2, float(width))
        start, end = (right, left) if direction == "left" else (left, right)
    elif move == CameraMove.tilt:
        ch = height * (1 + TILT_TRAVEL)
        top = (width / 2, height / 2, float(width))
        bottom = (width / 2, ch - height / 2, float(width))
        start, end = (top, bottom) if direction == "down" else (bottom, top)
    elif move in (CameraMove.crane_up, CameraMove.crane_down):
        cw, ch = width * CRANE_ZOOM, height * (CRANE_ZOOM + CRANE_TRAVEL)
        low = (cw / 2, ch - height / 2, float(width))
        high = (cw / 2, ch - height * CRANE_TRAVEL - height * CRANE_ZOOM / 2, width * CRANE_ZOOM)
        start, end = (low, high) if move == CameraMove.crane_up else (high, low)
    elif move == CameraMove.orbit:
        w = width * ORBIT_REACH
        cw, ch = w * (1 + ORBIT_TRAVEL), height * ORBIT_REACH
        left = (w / 2, ch / 2, w)
        right = (cw - w / 2, ch / 2, w)
        start, end = (right, left) if direction == "left" else (left, right)
        arc = (0.0, 0.0, float(width) - w)  # closest to the subject mid-arc
    elif move == CameraMove.handheld:
        margin = 2 * SHAKE * width + 4
        cw, ch = width + 2 * margin, height + 2 * margin
        start = end = (cw / 2, ch / 2, float(width))
    canvas_w, canvas_h = _even(cw), _even(ch)
    canvas = View(view.cx, view.cy, canvas_h / scale)
    zoom = PUSH_ZOOM if move in (CameraMove.push_in, CameraMove.pull_out) else 1.0
    shake = SHAKE * width if move == CameraMove.handheld else 0.0
    return CameraPlan(
        canvas,
        canvas_w,
        canvas_h,
        scale,
        start,
        end,
        width,
        height,
        zoom,
        arc=arc,
        shake=shake,
        shake_cycles=max(1.0, seconds * SHAKE_HZ),
    )
