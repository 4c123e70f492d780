"""A stylised character figure drawn from a Look with vector shapes.

Proportions are in the figure's own height (feet at 0, top of the head at 1), so the
same code draws a tiny figure in a wide shot and a face filling a close-up, each at the
frame's own resolution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from storyreel.render.previs.look import Look
from storyreel.render.previs.pen import Pen, Point
from storyreel.render.previs.util import RGB, luma, mix, shade

INK: RGB = (44, 36, 40)


@dataclass(frozen=True)
class Body:
    """Key heights and half-widths of a figure, in its own height units."""

    head_rx: float
    head_ry: float
    head_v: float  # centre of the head
    shoulder_v: float
    hip_v: float
    shoulder_w: float
    hip_w: float


def body_for(look: Look) -> Body:
    # Children have larger heads for their height; everyone gets a slightly large,
    # friendly head, as in a storyboard, so faces read in wide shots.
    head_rx = {"child": 0.1, "teen": 0.08, "adult": 0.074, "old": 0.076}[look.age]
    head_ry = head_rx * 1.14
    head_v = 1 - head_ry
    shoulder_v = head_v - head_ry - 0.035
    hip_v = 0.42 if look.age == "child" else 0.48
    return Body(
        head_rx=head_rx,
        head_ry=head_ry,
        head_v=head_v,
        shoulder_v=shoulder_v,
        hip_v=hip_v,
        shoulder_w=0.125 * look.build,
        hip_w=0.095 * look.build,
    )


def figure_box(look: Look, unit_px: float) -> tuple[float, float, float]:
    """Half-width, height and head-centre height of the drawn figure, in pixels."""
    s = unit_px * look.height
    body = body_for(look)
    return s * 0.32 * look.build, s, s * body.head_v


@dataclass(frozen=True)
class MouthSpot:
    """Where a figure's mouth is drawn, in canvas pixels: the centre and half-sizes of
    the closed mouth, and what it is drawn over (skin, or a beard)."""

    cx: float
    cy: float
    rx: float
    ry: float
    skin: RGB
    beard: RGB | None


def mouth_spot(look: Look, feet: Point, unit_px: float, facing: int = 1) -> MouthSpot:
    """The mouth of `look` as `draw_figure` draws it with the same arguments."""
    (hx, hy), (rx, ry) = _head(look, feet, unit_px, facing)
    turn = facing * rx * 0.14
    if look.beard is not None:
        return MouthSpot(hx + turn, hy + ry * 0.55, rx * 0.2, ry * 0.07, look.skin, look.beard)
    return MouthSpot(hx + turn, hy + ry * 0.45, rx * 0.22, ry * 0.14, look.skin, None)


def _head(look: Look, feet: Point, unit_px: float, facing: int) -> tuple[Point, Point]:
    """Centre and radii of the head in canvas pixels."""
    s = unit_px * look.height
    b = body_for(look)
    lean = 0.03 * facing if look.stoop else 0.0
    p = _Mapper(feet[0], feet[1], s, lean, b.hip_v)
    return p(0, b.head_v), (b.head_rx * s, b.head_ry * s)


@dataclass(frozen=True)
class _Mapper:
    """Figure units (u across, v up from the feet) to canvas pixels."""

    fx: float
    fy: float
    s: float  # pixels per figure height
    lean: float
    hip_v: float

    def __call__(self, u: float, v: float) -> Point:
        # The lean grows with height, so the feet stay put and the head moves forward.
        bend = self.lean * max(0.0, v - self.hip_v) / (1 - self.hip_v)
        return self.fx + (u + bend) * self.s, self.fy - v * self.s


def draw_figure(
    pen: Pen,
    look: Look,
    feet: Point,
    unit_px: float,
    facing: int = 1,
    *,
    max_line: float = 3.0,
) -> None:
    """Draw `look` standing with feet at canvas point `feet`, `unit_px` per adult height.

    `facing` is +1 (looking right) or -1 (left); the face and stoop follow it.
    """
    s = unit_px * look.height
    fx, fy = feet
    b = body_for(look)
    lean = 0.03 * facing if look.stoop else 0.0  # an older back bends towards the gaze
    p = _Mapper(fx, fy, s, lean, b.hip_v)

    line = max(0.5, min(s * 0.006, max_line))
    outline = INK
    skin = look.skin

    pen.ellipse(fx, fy, s * 0.2 * look.build, s * 0.025, (0, 0, 0, 60))

    # Long hair and ponytails hang behind the body.
    if look.hair_style == "long":
        top = p(-b.head_rx * 1.12, b.head_v + b.head_ry * 0.2)
        bottom = p(b.head_rx * 1.12, b.shoulder_v - 0.07)
        pen.rounded(top[0], top[1], bottom[0], bottom[1], s * 0.05, look.hair)
    elif look.hair_style == "ponytail":
        tail = [
            p(-facing * b.head_rx * 0.7, b.head_v + b.head_ry * 0.3),
            p(-facing * b.head_rx * 1.45, b.head_v - b.head_ry * 0.6),
            p(-facing * b.head_rx * 1.2, b.shoulder_v - 0.04),
            p(-facing * b.head_rx * 0.9, b.head_v - b.head_ry * 0.5),
        ]
        pen.polygon(tail, look.hair, outline, line)

    _legs(pen, look, b, p, line)
    _torso(pen, look, b, p, line, facing)
    _arms(pen, look, b, p, line)

    # Neck, then the head over it.
    nx0, ny0 = p(-0.026, b.head_v - b.head_ry * 0.6)
    nx1, ny1 = p(0.026, b.shoulder_v + 0.005)
    pen.rect(nx0, ny0, nx1, ny1, shade(skin, 0.88))
    hx, hy = p(0, b.head_v)
    rx, ry = b.head_rx * s, b.head_ry * s
    for side in (-1, 1):  # ears
        pen.ellipse(
            hx + side * rx * 0.97, hy + ry * 0.05, rx * 0.16, ry * 0.18, skin, outline, line
        )
    pen.ellipse(hx, hy, rx, ry, skin, outline, line)
    _hair(pen, look, (hx, hy), (rx, ry), line, facing)
    _face(pen, look, (hx, hy), (rx, ry), line, facing)
    if look.hat is not None:
        _hat(pen, look.hat, (hx, hy), (rx, ry), line)


def _legs(pen: Pen, look: Look, b: Body, p: _Mapper, line: float) -> None:
    trousers = look.bottom
    if look.garment == "dress":
        trousers = mix(look.skin, look.bottom, 0.15)  # bare or stockinged legs
    for side in (-1, 1):
        x_out = side * b.hip_w * 0.95
        x_in = side * 0.012
        leg = [p(x_out, b.hip_v), p(x_in, b.hip_v), p(x_in * 1.5, 0.04), p(x_out * 0.75, 0.04)]
        pen.polygon(leg, trousers, INK, line)
        sx, sy = p(side * b.hip_w * 0.55, 0.022)
        pen.ellipse(sx, sy, b.hip_w * 0.5 * p.s, 0.024 * p.s, look.shoes)


def _torso(pen: Pen, look: Look, b: Body, p: _Mapper, line: float, facing: int) -> None:
    top, low = b.shoulder_v, b.hip_v
    hem = {"coat": 0.2, "dress": 0.26, "skirt": 0.3}.get(look.garment, low - 0.02)
    flare = {"coat": 1.25, "dress": 1.7, "skirt": 1.6}.get(look.garment, 1.0)
    sw, hw = b.shoulder_w, b.hip_w
    body = [
        p(-sw * 0.8, top + 0.012),
        p(sw * 0.8, top + 0.012),
        p(sw, top - 0.04),
        p(hw * 1.05, low),
        p(hw * flare, hem),
        p(-hw * flare, hem),
        p(-hw * 1.05, low),
        p(-sw, top - 0.04),
    ]
    pen.polygon(body, look.top, INK, line)
    if look.garment == "skirt":
        skirt = [
            p(hw * 1.05, low + 0.02),
            p(hw * flare, hem),
            p(-hw * flare, hem),
            p(-hw * 1.05, low + 0.02),
        ]
        pen.polygon(skirt, look.bottom, INK, line)
    trim = shade(look.top, 0.78) if luma(look.top) > 60 else shade(look.top, 1.35)
    if look.garment in ("jacket", "coat"):
        # Open front over a light shirt, and buttons down the placket.
        shirt = (236, 232, 222) if luma(look.top) < 200 else (90, 100, 120)
        pen.polygon([p(-0.04, top + 0.01), p(0.04, top + 0.01), p(0, top - 0.09)], shirt)
        for i in range(3 if look.garment == "coat" else 2):
            bx, by = p(0.012 * facing, top - 0.12 - i * 0.08)
            pen.ellipse(bx, by, 0.009 * p.s, 0.009 * p.s, trim)
        bx0, by0 = p(-hw * 1.05, low + 0.02)
        bx1, by1 = p(hw * 1.05, low)
        if look.garment == "coat":  # belt
            pen.rect(bx0, by0, bx1, by1, trim)
    elif look.garment == "hoodie":
        pen.ellipse(*p(0, top), 0.07 * p.s, 0.03 * p.s, trim, INK, line)
        px0, py0 = p(-hw * 0.8, low + 0.13)
        px1, py1 = p(hw * 0.8, low + 0.03)
        pen.rounded(px0, py0, px1, py1, 0.02 * p.s, trim)
    else:
        # Collar.
        pen.polygon([p(-0.045, top + 0.012), p(0, top - 0.03), p(0.045, top + 0.012)], trim)


def _arms(pen: Pen, look: Look, b: Body, p: _Mapper, line: float) -> None:
    sleeve = shade(look.top, 0.9)
    for side in (-1, 1):
        sx = side * (b.shoulder_w - 0.02)
        hand_u = side * (b.hip_w + 0.055)
        hand_v = b.hip_v - 0.03
        arm = [
            p(sx - side * 0.02, b.shoulder_v + 0.008),
            p(sx + side * 0.035, b.shoulder_v - 0.025),
            p(hand_u + side * 0.022, hand_v + 0.04),
            p(hand_u - side * 0.03, hand_v + 0.04),
            p(sx - side * 0.03, b.shoulder_v - 0.07),
        ]
        pen.polygon(arm, sleeve, INK, line)
        hx, hy = p(hand_u - side * 0.004, hand_v + 0.015)
        pen.ellipse(hx, hy, 0.028 * p.s, 0.032 * p.s, look.skin, INK, line)


def _hair(pen: Pen, look: Look, c: Point, r: tuple[float, float], line: float, facing: int) -> None:
    (hx, hy), (rx, ry) = c, r
    hair = look.hair
    if look.hair_style == "bald":
        if look.age == "old":  # a fringe of hair around the sides
            for side in (-1, 1):
                pen.ellipse(hx + side * rx * 0.88, hy - ry * 0.05, rx * 0.2, ry * 0.3, hair)
        return
    # The hairline: high over the forehead, dropping to the ears, swept to one side.
    long = look.hair_style in ("long", "ponytail", "bun")
    side_drop = 0.45 if long else 0.12
    outer = [
        (hx + rx * 1.06 * math.cos(a), hy - ry * 0.06 + ry * 1.06 * math.sin(a))
        for a in (math.radians(d) for d in range(170, 371, 10))
    ]
    inner = []
    for i in range(11):
        u = 1 - i / 5  # from the right side (1) to the left (-1)
        x = hx + u * rx * 0.98
        y = hy - ry * 0.5 * (1 - u**4) + ry * side_drop * u**4 - ry * 0.14 * facing * u
        inner.append((x, y))
    pen.polygon(outer + inner, hair, INK, line)
    if look.hair_style == "bun":
        pen.ellipse(hx - facing * rx * 0.2, hy - ry * 1.15, rx * 0.42, ry * 0.34, hair, INK, line)


def _face(pen: Pen, look: Look, c: Point, r: tuple[float, float], line: float, facing: int) -> None:
    (hx, hy), (rx, ry) = c, r
    # A three-quarter view: features sit a little towards the side the figure faces.
    turn = facing * rx * 0.14
    eye_y = hy + ry * 0.08
    brow = shade(look.hair, 0.7) if luma(look.hair) > 90 else look.hair
    for side in (-1, 1):
        ex = hx + turn + side * rx * 0.38
        pen.ellipse(ex, eye_y, rx * 0.11, ry * 0.13, INK)
        pen.ellipse(ex + rx * 0.035, eye_y - ry * 0.045, rx * 0.035, rx * 0.035, (255, 255, 255))
        pen.arc(ex, eye_y - ry * 0.12, rx * 0.2, ry * 0.12, 200, 340, brow, line * 1.6)
        cheek = mix(look.skin, (236, 120, 120), 0.35)
        pen.ellipse(ex - side * rx * 0.02, eye_y + ry * 0.32, rx * 0.13, ry * 0.07, cheek)
    nose = shade(look.skin, 0.82)
    pen.ellipse(hx + turn * 1.6, hy + ry * 0.3, rx * 0.07, ry * 0.06, nose)
    if look.beard is not None:
        beard = [
            (hx - rx * 0.9, hy + ry * 0.2),
            (hx - rx * 0.55, hy + ry * 0.85),
            (hx + turn, hy + ry * 1.1),
            (hx + rx * 0.55, hy + ry * 0.85),
            (hx + rx * 0.9, hy + ry * 0.2),
            (hx + rx * 0.45, hy + ry * 0.5),
            (hx - rx * 0.45, hy + ry * 0.5),
        ]
        pen.polygon(beard, look.beard, INK, line)
        pen.ellipse(hx + turn, hy + ry * 0.55, rx * 0.2, ry * 0.07, (150, 70, 70))
    else:
        pen.arc(hx + turn, hy + ry * 0.45, rx * 0.22, ry * 0.14, 20, 160, (150, 60, 60), line * 1.8)
    if look.glasses:
        frame = (60, 50, 50)
        for side in (-1, 1):
            ex = hx + turn + side * rx * 0.38
            pen.ellipse(ex, eye_y, rx * 0.25, ry * 0.2, None, frame, line * 1.5)
        pen.line(
            [(hx + turn - rx * 0.13, eye_y), (hx + turn + rx * 0.13, eye_y)], frame, line * 1.5
        )


def _hat(pen: Pen, colour: RGB, c: Point, r: tuple[float, float], line: float) -> None:
    (hx, hy), (rx, ry) = c, r
    pen.ellipse(hx, hy - ry * 0.55, rx * 1.35, ry * 0.16, shade(colour, 0.85), INK, line)
    pen.rounded(hx - rx * 0.85, hy - ry * 1.35, hx + rx * 0.85, hy - ry * 0.55, rx * 0.3, colour)
