"""A drawing box for props and animals: shapes in the box's own units, any size or turn.

A thing is drawn in unit coordinates (u across from the left, v down from the top, both
0..1 of its box), so the same code draws a teacup in a hand and a teacup filling an
insert shot. The box may be mirrored (an animal facing left) or turned (a sword laid
diagonally across a close-up); shapes are mapped point by point, so ellipses and
rounded corners become polygons when the box is turned.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from storyreel.render.previs.pen import Fill, Pen
from storyreel.render.previs.util import INK

UV = tuple[float, float]


class Sketch:
    """Unit-box shapes drawn with a `Pen` into the canvas box centred at (cx, cy)."""

    def __init__(
        self,
        pen: Pen,
        centre: tuple[float, float],
        size: tuple[float, float],
        *,
        turn: float = 0.0,
        mirror: bool = False,
        max_line: float = 3.0,
    ) -> None:
        self.pen = pen
        self.cx, self.cy = centre
        self.w, self.h = size
        self.turn = turn
        self.m = -1.0 if mirror else 1.0
        self._cos, self._sin = math.cos(turn), math.sin(turn)
        # Ink lines thin with the thing, and never thicker than the figures' own.
        self.lw = max(0.5, min(max(self.w, self.h) * 0.012, max_line))

    def pt(self, u: float, v: float) -> tuple[float, float]:
        lx = (u - 0.5) * self.w * self.m
        ly = (v - 0.5) * self.h
        return (
            self.cx + lx * self._cos - ly * self._sin,
            self.cy + lx * self._sin + ly * self._cos,
        )

    def poly(self, points: Sequence[UV], fill: Fill | None, ink: bool = True) -> None:
        xy = [self.pt(u, v) for u, v in points]
        self.pen.polygon(xy, fill, INK if ink else None, self.lw)

    def rect(
        self, u0: float, v0: float, u1: float, v1: float, fill: Fill, ink: bool = True
    ) -> None:
        self.poly([(u0, v0), (u1, v0), (u1, v1), (u0, v1)], fill, ink)

    def rrect(
        self,
        u0: float,
        v0: float,
        u1: float,
        v1: float,
        r: float,
        fill: Fill | None,
        ink: bool = True,
    ) -> None:
        """A rounded rectangle; `r` is the corner radius as a fraction of the box width
        (kept round when the box is not square)."""
        ru = min(r, (u1 - u0) / 2)
        rv = min(r * self.w / max(self.h, 1e-6), (v1 - v0) / 2)
        points: list[UV] = []
        corners = ((u1 - ru, v0 + rv, 270), (u1 - ru, v1 - rv, 0), (u0 + ru, v1 - rv, 90))
        for cu, cv, start in ((u0 + ru, v0 + rv, 180), *corners):
            for k in range(5):
                a = math.radians(start + k * 22.5)
                points.append((cu + ru * math.cos(a), cv + rv * math.sin(a)))
        self.poly(points, fill, ink)

    def ell(
        self, cu: float, cv: float, ru: float, rv: float, fill: Fill | None, ink: bool = True
    ) -> None:
        if self.turn == 0.0:
            x, y = self.pt(cu, cv)
            rx, ry = ru * self.w, rv * self.h
            self.pen.ellipse(x, y, rx, ry, fill, INK if ink else None, self.lw)
            return
        self.poly(self._ring(cu, cv, ru, rv, 0, 360), fill, ink)

    def pie(
        self, cu: float, cv: float, ru: float, rv: float, a0: float, a1: float, fill: Fill
    ) -> None:
        """A slice of an ellipse from angle a0 to a1 (degrees, clockwise from +u)."""
        self.poly([(cu, cv), *self._ring(cu, cv, ru, rv, a0, a1)], fill)

    def line(self, points: Sequence[UV], colour: Fill, width: float = 1.0) -> None:
        """A polyline `width` ink-lines thick."""
        xy = [self.pt(u, v) for u, v in points]
        self.pen.line(xy, colour, self.lw * width)

    def arc(
        self,
        cu: float,
        cv: float,
        ru: float,
        rv: float,
        a0: float,
        a1: float,
        colour: Fill,
        width: float = 1.0,
    ) -> None:
        self.line(self._ring(cu, cv, ru, rv, a0, a1), colour, width)

    def _ring(self, cu: float, cv: float, ru: float, rv: float, a0: float, a1: float) -> list[UV]:
        steps = max(6, int(abs(a1 - a0) / 10))
        return [
            (
                cu + ru * math.cos(math.radians(a0 + (a1 - a0) * k / steps)),
                cv + rv * math.sin(math.radians(a0 + (a1 - a0) * k / steps)),
            )
            for k in range(steps + 1)
        ]
