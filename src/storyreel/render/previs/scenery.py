"""The drawing kit of the setting kinds (sets.py): a scene's coordinates, time-of-day
colours and the pieces many sets share (windows, lamps, trees, roofs, water).

Painters work in backdrop units, as backdrop.py does: x along the street or back wall,
y up from the horizon (outside) or the floor line (inside), scaled per shot with
`Stage.backdrop_scale`, so a pan over one place shows the same things in every shot.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from storyreel.render.previs.backdrop import (
    FLOOR_LINE_Y,
    HORIZON_Y,
    SKIES,
    Light,
    Place,
    horizon_px,
)
from storyreel.render.previs.pen import Fill, Pen
from storyreel.render.previs.stage import Stage
from storyreel.render.previs.util import RGB, mix, shade

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in canvas pixels
Point = tuple[float, float]

# Windows (canvas pixels) showing a view that slides past, and the view itself.
PASSING_SPEED = 1.4  # frame heights per second: a train at speed, seen from inside


@dataclass(frozen=True)
class Passing:
    """Windows whose view scrolls by: a strip (RGB, the windows' height) is shifted
    `speed` canvas pixels per second and copied into each window box per frame."""

    boxes: tuple[Box, ...]
    strip: np.ndarray
    speed: float  # canvas pixels per second
    fps: int = 0  # the shot's frame rate, once on a plate (panel.draw_plate)
    # Per box: the pixels still showing the window once figures stand in front of it.
    masks: tuple[np.ndarray, ...] = ()


class Scene:
    """One set being painted on one shot's canvas."""

    def __init__(self, stage: Stage, place: Place, kind: str, *, interior: bool) -> None:
        self.stage, self.place, self.kind, self.interior = stage, place, kind, interior
        self.time = place.time
        self.night = place.time == "night"
        self.w, self.h = stage.width, stage.height
        if interior:
            self.base = horizon_px(stage, FLOOR_LINE_Y)
            self.bs = stage.backdrop_scale(0.35)
        else:
            self.base = horizon_px(stage, HORIZON_Y)
            self.bs = stage.backdrop_scale(0.5)
        self.ox = stage.px(0, 0)[0]
        self.pen = Pen(0, 0, stage.width, stage.height)
        self.lights: list[Light] = []
        self.passing: list[Box] = []

    # --- coordinates -------------------------------------------------------------

    def at(self, x: float, y: float) -> Point:
        return self.ox + x * self.bs, self.base - y * self.bs

    def u(self, d: float) -> float:
        """`d` backdrop units in canvas pixels."""
        return d * self.bs

    @property
    def depth(self) -> float:
        """Backdrop units from the horizon (floor line) down to the canvas bottom."""
        return max(0.1, (self.h - self.base) / self.bs)

    @property
    def top(self) -> float:
        """Backdrop units from the horizon (floor line) up to the canvas top."""
        return max(0.1, self.base / self.bs)

    def xs(self, step: float, phase: float = 0.0, margin: float = 1.0) -> list[float]:
        """Positions every `step` units across the visible canvas (and `margin` beyond):
        repeated scenery is only drawn where the camera can see it."""
        lo = (0 - self.ox) / self.bs - margin
        hi = (self.w - self.ox) / self.bs + margin
        first = math.floor((lo - phase) / step)
        last = math.ceil((hi - phase) / step)
        return [phase + k * step for k in range(first, last + 1)]

    def visible(self, x0: float, x1: float) -> bool:
        a, b = self.at(x0, 0)[0], self.at(x1, 0)[0]
        return b >= -2 and a <= self.w + 2

    def rng(self, what: str) -> random.Random:
        return self.place.rng(f"{self.kind}:{what}")

    # --- colour ------------------------------------------------------------------

    def c(self, colour: RGB) -> RGB:
        """A surface colour in this scene's light. Interiors are darkened as a whole
        afterwards (lamplight), so only exteriors are tinted here."""
        if self.interior or self.time == "day":
            return colour
        if self.night:
            return mix(shade(colour, 0.3), (20, 26, 50), 0.4)
        return mix(shade(colour, 0.8), (180, 110, 90), 0.15)

    def ca(self, colour: RGB, alpha: int) -> Fill:
        r, g, b = self.c(colour)
        return (r, g, b, alpha)

    # --- shapes in units ---------------------------------------------------------

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Fill) -> None:
        a, b = self.at(x0, y0)
        c, d = self.at(x1, y1)
        self.pen.rect(a, b, c, d, fill)

    def rounded(self, x0: float, y0: float, x1: float, y1: float, r: float, fill: Fill) -> None:
        a, b = self.at(x0, y0)
        c, d = self.at(x1, y1)
        self.pen.rounded(a, b, c, d, self.u(r), fill)

    def poly(self, points: Sequence[Point], fill: Fill) -> None:
        self.pen.polygon([self.at(x, y) for x, y in points], fill)

    def ell(self, x: float, y: float, rx: float, ry: float, fill: Fill) -> None:
        cx, cy = self.at(x, y)
        self.pen.ellipse(cx, cy, self.u(rx), self.u(ry), fill)

    def line(self, points: Sequence[Point], fill: Fill, width: float) -> None:
        self.pen.line([self.at(x, y) for x, y in points], fill, max(1.0, self.u(width)))

    def light(self, x: float, y: float, radius: float, colour: RGB, strength: float) -> None:
        """A light source's glow, added after the shapes (at night and dusk outside,
        at night inside)."""
        px, py = self.at(x, y)
        if -self.u(radius) < px < self.w + self.u(radius):
            self.lights.append((px, py, self.u(radius), colour, strength))

    def pixels_rect(self, x0: float, y0: float, x1: float, y1: float) -> Box:
        a, b = self.at(x0, y0)
        c, d = self.at(x1, y1)
        return (int(min(a, c)), int(min(b, d)), int(max(a, c)), int(max(b, d)))


Painter = Callable[[Scene], None]


# --- shared pieces --------------------------------------------------------------------


def sky_view(s: Scene, x0: float, y0: float, x1: float, y1: float, scenery: str = "hill") -> None:
    """A window's view: the sky of the time of day and a little of the land outside."""
    top, low = SKIES[s.time]
    steps = 8
    for i in range(steps):
        ya = y0 + (y1 - y0) * i / steps
        yb = y0 + (y1 - y0) * (i + 1) / steps
        s.rect(x0, ya, x1, yb, mix(top, low, i / (steps - 1)))
    if s.night:
        s.ell(x0 + (x1 - x0) * 0.72, y0 + (y1 - y0) * 0.25, 0.05, 0.05, (240, 236, 210))
        return
    w, h = x1 - x0, y0 - y1
    if scenery == "hill":
        pts = [(x0 + w * i / 8, y1 + h * (0.3 - 0.12 * math.sin(i / 8 * 2.5))) for i in range(9)]
        s.poly([(x0, y1), *pts, (x1, y1)], (150, 190, 140))
    elif scenery == "city":
        for i in range(4):
            bx = x0 + w * i / 4
            s.rect(
                bx + w * 0.02, y1 + h * (0.25 + 0.12 * (i % 3)), bx + w * 0.22, y1, (170, 180, 196)
            )


def window(
    s: Scene,
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    frame: RGB = (236, 232, 222),
    bars: bool = True,
    scenery: str = "hill",
) -> None:
    """A window centred on x, its sill at height y; lets daylight in by day."""
    x0, x1, y1, y0 = x - w / 2, x + w / 2, y, y + h
    t = 0.05
    s.rect(x0 - t, y0 + t, x1 + t, y1 - t, frame)
    sky_view(s, x0, y0, x1, y1, scenery)
    if bars:
        s.rect(x - t / 3, y0, x + t / 3, y1, frame)
        s.rect(x0, (y0 + y1) / 2 + t / 3, x1, (y0 + y1) / 2 - t / 3, frame)
    if not s.night:
        s.light(x, (y0 + y1) / 2, max(w, h) * 1.4, (255, 252, 236), 0.22)


def lamp_shade(s: Scene, x: float, y: float, size: float, colour: RGB, cord: float = 0) -> None:
    """A hanging or standing lamp shade (a trapezoid) with its light."""
    if cord > 0:
        s.line([(x, y + cord), (x, y)], (40, 34, 30), 0.012)
    s.poly(
        [
            (x - size * 0.5, y),
            (x + size * 0.5, y),
            (x + size, y - size * 0.9),
            (x - size, y - size * 0.9),
        ],
        colour,
    )
    s.ell(x, y - size * 0.9, size * 0.45, size * 0.12, (255, 240, 200))
    s.light(x, y - size * 0.8, size * 14, (255, 206, 140), 0.6)


def round_tree(s: Scene, x: float, h: float, leaf: RGB, trunk: RGB = (110, 80, 56)) -> None:
    s.rect(x - 0.03 * h * 2, h * 0.45, x + 0.03 * h * 2, 0, s.c(trunk))
    for dx, dy, r in ((0, 0.62, 0.26), (-0.14, 0.5, 0.2), (0.15, 0.52, 0.21)):
        s.ell(
            x + dx * h,
            h * dy / 0.62 * 0.9,
            r * h * 1.1,
            r * h,
            s.c(shade(leaf, 1 + 0.08 * (dx > 0))),
        )


def pine(s: Scene, x: float, h: float, leaf: RGB, snow: bool = False) -> None:
    s.rect(x - h * 0.03, h * 0.15, x + h * 0.03, 0, s.c((90, 64, 50)))
    for k in range(3):
        base, w = h * (0.12 + k * 0.25), h * (0.3 - k * 0.07)
        s.poly([(x - w, base), (x + w, base), (x, base + h * 0.42)], s.c(shade(leaf, 1 - 0.05 * k)))
        if snow:
            s.poly(
                [
                    (x - w * 0.45, base + h * 0.23),
                    (x + w * 0.45, base + h * 0.23),
                    (x, base + h * 0.42),
                ],
                s.c((246, 248, 252)),
            )


def palm(s: Scene, x: float, h: float) -> None:
    pts = [(x + 0.12 * h * math.sin(t / 6 * 1.2), t / 6 * h) for t in range(7)]
    s.line(pts, s.c((130, 96, 62)), h * 0.05)
    tx, ty = pts[-1]
    for a in range(6):
        ang = a / 6 * math.tau
        ex, ey = tx + math.cos(ang) * h * 0.35, ty + math.sin(ang) * h * 0.1 - h * 0.08
        s.poly(
            [(tx, ty), (tx + (ex - tx) * 0.5, ty + h * 0.06), (ex, ey)],
            s.c((70, 140, 70)),
        )


def curved_roof(s: Scene, x: float, y: float, w: float, h: float, colour: RGB) -> None:
    """An East Asian roof over a hall: wide eaves that sweep up at both ends."""
    n = 12
    eave = [(x - w / 2 + w * i / n, y + h * 0.25 * ((2 * i / n - 1) ** 4)) for i in range(n + 1)]
    ridge = (x + w * 0.32, y + h), (x - w * 0.32, y + h)
    s.poly([*eave, *ridge], s.c(colour))
    s.rect(x - w * 0.34, y + h + 0.04, x + w * 0.34, y + h - 0.02, s.c(shade(colour, 0.7)))
    for end in (-1, 1):  # upturned tips
        tx = x + end * w / 2
        s.poly(
            [(tx, y + h * 0.25), (tx + end * 0.08, y + h * 0.42), (tx - end * 0.1, y + h * 0.2)],
            s.c(colour),
        )


def pitched_house(s: Scene, x: float, w: float, h: float, wall: RGB, roof: RGB) -> None:
    s.rect(x - w / 2, h, x + w / 2, 0, s.c(wall))
    s.poly([(x - w / 2 - 0.08, h), (x + w / 2 + 0.08, h), (x, h + w * 0.45)], s.c(roof))
    s.rect(x - 0.08, 0.28, x + 0.08, 0, s.c(shade(wall, 0.55)))
    lit = (255, 214, 120) if s.night else s.c((150, 180, 210))
    for dx in (-w * 0.28, w * 0.28):
        s.rect(x + dx - 0.07, h * 0.8, x + dx + 0.07, h * 0.8 - 0.14, lit)
        if s.night:
            s.light(x + dx, h * 0.72, 0.5, (255, 200, 120), 0.3)


def water(s: Scene, y0: float, y1: float, colour: RGB, *, waves: int = 10) -> None:
    """A band of water between heights y0 (far) and y1 (near), with ripple lines."""
    s.rect(-1e3, y0, 1e3, y1, s.c(colour))
    near = shade(colour, 0.8)
    band = y0 - y1
    s.rect(-1e3, y0 - band * 0.55, 1e3, y1, s.ca(near, 120))
    rng = s.rng("water")
    crest = s.c(shade(colour, 1.35))
    for k in range(waves):
        y = y0 - band * (k + 0.5) / waves
        for x in s.xs(1.3 + 0.2 * (k % 3), rng.uniform(0, 1)):
            ln = 0.25 + 0.25 * (k / waves)
            s.line([(x, y), (x + ln, y)], crest, 0.01 + 0.01 * k / waves)


def crowd_heads(s: Scene, y: float, size: float, seed: str) -> None:
    """A row of simple silhouettes: a crowd behind the subjects."""
    rng = s.rng(seed)
    for x in s.xs(size * 1.3, rng.uniform(0, 1)):
        x += rng.uniform(-0.1, 0.1) * size
        body = rng.choice(
            ((80, 70, 90), (60, 80, 110), (120, 80, 60), (70, 90, 70), (140, 120, 100))
        )
        s.rounded(x - size * 0.35, y + size * 1.2, x + size * 0.35, y, size * 0.2, s.c(body))
        s.ell(x, y + size * 1.45, size * 0.22, size * 0.25, s.c((200, 160, 130)))
