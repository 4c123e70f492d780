"""Painters of the indoor setting kinds. sets.py lays the wall and floor first and
lights the room afterwards (windows by day, lamps by night); y is up from the floor
line in backdrop units, negative on the floor in front of it."""

from __future__ import annotations

import math

from storyreel.render.previs.scenery import (
    Painter,
    Scene,
    lamp_shade,
    sky_view,
    window,
)
from storyreel.render.previs.util import RGB, mix, shade

_BOOKS: tuple[RGB, ...] = (
    (170, 70, 60),
    (70, 100, 150),
    (210, 180, 90),
    (90, 130, 90),
    (120, 80, 120),
)
_WOOD: RGB = (150, 104, 68)


def shelf_of(s: Scene, x0: float, x1: float, y0: float, y1: float, levels: int, seed: str) -> None:
    """A bookcase (or shop shelving) between x0..x1, y1 (bottom)..y0 (top)."""
    rng = s.rng(seed)
    s.rect(x0, y0, x1, y1, shade(_WOOD, 0.8))
    step = (y0 - y1) / levels
    for level in range(levels):
        base = y1 + level * step + 0.04
        x = x0 + 0.04
        while x < x1 - 0.08:
            w, h = rng.uniform(0.04, 0.08), step * rng.uniform(0.6, 0.85)
            s.rect(x, base + h, x + w, base, rng.choice(_BOOKS))
            x += w + 0.008
        s.rect(x0, base, x1, base - 0.04, shade(_WOOD, 0.65))


def table(s: Scene, x: float, w: float, h: float, top: RGB, cloth: bool = False) -> None:
    if cloth:
        s.poly(
            [
                (x - w / 2, h),
                (x + w / 2, h),
                (x + w / 2 + 0.05, h - 0.3),
                (x - w / 2 - 0.05, h - 0.3),
            ],
            top,
        )
    else:
        s.rect(x - w / 2, h, x + w / 2, h - 0.05, top)
    for lx in (x - w / 2 + 0.05, x + w / 2 - 0.08):
        s.rect(lx, h - 0.05, lx + 0.04, 0, shade(top, 0.7))


def chair(s: Scene, x: float, colour: RGB, facing: int = 1) -> None:
    s.rect(x - 0.16, 0.3, x + 0.16, 0.26, colour)
    back = x - facing * 0.16
    s.rect(back - 0.025, 0.7, back + 0.025, 0, colour)
    s.rect(x + facing * 0.14 - 0.02, 0.28, x + facing * 0.14 + 0.02, 0, colour)


def ceiling_lights(s: Scene, step: float, y: float, colour: RGB = (250, 250, 236)) -> None:
    for x in s.xs(step, 0.3):
        s.rect(x - 0.35, y + 0.04, x + 0.35, y, colour)
        s.light(x, y, 1.8, (255, 244, 220), 0.35)


def _wainscot(s: Scene, wall: RGB) -> None:
    s.rect(-1e3, 0.36, 1e3, 0, shade(wall, 0.9))
    s.rect(-1e3, 0.38, 1e3, 0.34, shade(wall, 1.25))


# --- homes -------------------------------------------------------------------------


def living_room(s: Scene) -> None:
    _wainscot(s, (230, 218, 194))
    for x in s.xs(6.0, 0.0):
        window(s, x, 0.55, 0.9, 1.0)
        s.rounded(x + 1.2, 0.75, x + 3.0, 0.0, 0.1, (120, 100, 150))  # sofa
        s.rounded(x + 1.1, 0.5, x + 3.1, 0.0, 0.08, (140, 118, 170))
        for cx in (x + 1.6, x + 2.6):
            s.rounded(cx - 0.2, 0.6, cx + 0.2, 0.35, 0.05, (220, 190, 120))
        s.rect(x - 2.0, 1.3, x - 1.2, 0.0, shade(_WOOD, 0.8))  # a shelf
        shelf_of(s, x - 2.0, x - 1.2, 1.3, 0.0, 4, f"lr{x}")
        s.rect(x + 3.4, 1.4, x + 4.0, 0.9, (90, 70, 50))  # a picture
        s.rect(x + 3.45, 1.35, x + 3.95, 0.95, (200, 220, 200))
        s.rect(x + 4.45, 1.0, x + 4.5, 0.0, (60, 50, 44))  # standing lamp
        lamp_shade(s, x + 4.47, 1.25, 0.16, (250, 220, 170))
    s.ell(0.0, -0.45, 2.2, 0.3, (170, 70, 60))  # rug


def bedroom(s: Scene) -> None:
    for x in s.xs(6.0, 0.0):
        window(s, x - 1.5, 0.6, 0.8, 0.9)
        s.rect(x - 1.95, 1.6, x - 1.8, 0.2, (180, 120, 140))  # curtains
        s.rect(x - 1.2, 1.6, x - 1.05, 0.2, (180, 120, 140))
        s.rounded(x - 0.2, 0.95, x + 2.0, 0.0, 0.1, (120, 84, 60))  # headboard and bed
        s.rect(x - 0.25, 0.45, x + 2.05, 0.0, (236, 236, 244))
        s.rect(x + 0.6, 0.5, x + 2.05, 0.05, (110, 140, 190))  # duvet
        for px in (x + 0.1, x + 0.45):
            s.rounded(px - 0.15, 0.62, px + 0.15, 0.45, 0.06, (250, 250, 250))
        s.rect(x + 2.2, 0.45, x + 2.6, 0.0, _WOOD)  # night stand and lamp
        s.rect(x + 2.38, 0.65, x + 2.42, 0.45, (60, 50, 44))
        lamp_shade(s, x + 2.4, 0.85, 0.12, (250, 220, 170))
        s.rect(x + 3.2, 1.8, x + 4.2, 0.0, shade(_WOOD, 0.9))  # wardrobe
        s.line([(x + 3.7, 1.8), (x + 3.7, 0.0)], shade(_WOOD, 0.6), 0.01)


def kitchen(s: Scene) -> None:
    for x in s.xs(0.12):  # tiled splashback
        s.line([(x, 1.05), (x, 0.62)], (230, 236, 236), 0.005)
    for y in (0.7, 0.8, 0.9, 1.0):
        s.line([(-40, y), (40, y)], (230, 236, 236), 0.005)
    s.rect(-1e3, 1.7, 1e3, 1.1, (236, 230, 210))  # upper cabinets
    s.rect(-1e3, 0.6, 1e3, 0.0, (236, 230, 210))  # lower cabinets
    s.rect(-1e3, 0.64, 1e3, 0.58, (120, 116, 110))  # worktop
    for x in s.xs(0.6):
        s.line([(x, 1.7), (x, 1.1)], (190, 184, 170), 0.01)
        s.line([(x, 0.56), (x, 0.0)], (190, 184, 170), 0.01)
        s.rect(x + 0.25, 1.2, x + 0.35, 1.18, (120, 120, 120))
    for x in s.xs(5.0, 1.0):
        s.rect(x - 0.35, 0.66, x + 0.35, 0.62, (40, 40, 44))  # hob and pot
        s.rounded(x - 0.2, 0.9, x + 0.1, 0.66, 0.04, (170, 170, 176))
        s.rect(x - 0.3, 0.5, x + 0.3, 0.1, (60, 60, 66))  # oven door
        s.rect(x + 1.6, 1.9, x + 2.3, 0.0, (226, 232, 236))  # fridge
        s.line([(x + 1.6, 1.2), (x + 2.3, 1.2)], (160, 170, 176), 0.01)
        window(s, x - 1.6, 1.1, 0.8, 0.55)
        lamp_shade(s, x + 0.9, 1.9, 0.12, (200, 80, 60), cord=0.4)


def bathroom(s: Scene) -> None:
    for x in s.xs(0.2):
        s.line([(x, 1.3), (x, 0)], (190, 210, 220), 0.006)
    for k in range(7):
        s.line([(-40, k * 0.2), (40, k * 0.2)], (190, 210, 220), 0.006)
    for x in s.xs(4.5, 0.5):
        s.rounded(x - 1.2, 0.5, x + 0.4, 0.0, 0.15, (250, 250, 252))  # bath
        s.rect(x - 1.0, 0.75, x - 0.96, 0.5, (180, 180, 186))
        s.rect(x + 1.0, 0.5, x + 1.6, 0.0, (240, 240, 244))  # basin, mirror
        s.ell(x + 1.3, 0.56, 0.34, 0.08, (250, 250, 252))
        s.rect(x + 1.05, 1.5, x + 1.55, 0.8, (200, 220, 230))
        s.line([(x + 1.15, 1.4), (x + 1.45, 0.95)], (240, 248, 250), 0.02)


# --- work, study, care ---------------------------------------------------------------


def office(s: Scene) -> None:
    for x in s.xs(3.0, 0.0):
        window(s, x, 0.5, 1.4, 1.2, bars=False, scenery="city")
        for k in range(9):  # blinds
            y = 1.65 - k * 0.13
            s.rect(x - 0.7, y, x + 0.7, y - 0.05, (236, 236, 230, 200))
    for x in s.xs(3.0, 1.5):
        s.rect(x - 0.6, 0.5, x + 0.6, 0.45, (220, 220, 216))  # desk, monitor, chair
        s.rect(x - 0.55, 0.45, x + 0.55, 0.0, (150, 150, 156))
        s.rect(x - 0.22, 0.85, x + 0.22, 0.58, (30, 30, 36))
        s.rect(x - 0.19, 0.82, x + 0.19, 0.61, (90, 140, 200))
        s.rect(x - 0.03, 0.58, x + 0.03, 0.5, (60, 60, 66))
        s.light(x, 0.72, 0.5, (140, 190, 255), 0.35)
    ceiling_lights(s, 3.0, 2.2)


def classroom(s: Scene) -> None:
    for x in s.xs(9.0, 0.0):
        s.rect(x - 1.5, 1.6, x + 1.5, 0.6, (100, 80, 60))  # blackboard
        s.rect(x - 1.45, 1.55, x + 1.45, 0.65, (40, 70, 56))
        for k, w in enumerate((1.6, 1.1, 1.9, 0.8)):  # chalk writing
            y = 1.4 - k * 0.2
            s.line(
                [(x - 1.3 + 0.1 * i, y + 0.02 * math.sin(i * 2.1)) for i in range(int(w * 10))],
                (230, 236, 226),
                0.008,
            )
        s.rect(x - 1.5, 0.62, x + 1.5, 0.58, (140, 110, 80))
        s.ell(x + 2.2, 1.6, 0.16, 0.16, (250, 250, 246))  # clock
        s.line([(x + 2.2, 1.6), (x + 2.2, 1.72)], (30, 30, 30), 0.012)
        s.line([(x + 2.2, 1.6), (x + 2.28, 1.6)], (30, 30, 30), 0.012)
        window(s, x + 3.6, 0.6, 0.8, 1.0)
        window(s, x - 3.6, 0.6, 0.8, 1.0)
    for row in range(2):  # desks in rows
        y = -0.3 - row * 0.5
        for x in s.xs(1.1, 0.3 * row):
            s.rect(x - 0.38, y + 0.5, x + 0.38, y + 0.45, (200, 160, 110))
            s.rect(x - 0.34, y + 0.45, x - 0.3, y, (80, 80, 90))
            s.rect(x + 0.3, y + 0.45, x + 0.34, y, (80, 80, 90))
    ceiling_lights(s, 3.0, 2.2)


def library(s: Scene) -> None:
    for x in s.xs(1.0, 0.0):
        shelf_of(s, x - 0.48, x + 0.48, 2.2, 0.0, 6, f"lib{x:.1f}")
    for x in s.xs(4.0, 2.0):
        s.rect(x - 0.8, 0.5, x + 0.8, 0.45, (110, 76, 50))  # reading table, green lamp
        s.rect(x - 0.75, 0.45, x - 0.7, -0.2, (90, 60, 40))
        s.rect(x + 0.7, 0.45, x + 0.75, -0.2, (90, 60, 40))
        s.rect(x - 0.01, 0.7, x + 0.01, 0.5, (200, 170, 90))
        s.ell(x, 0.72, 0.16, 0.06, (40, 110, 70))
        s.light(x, 0.68, 0.8, (255, 220, 150), 0.6)


def hospital(s: Scene) -> None:
    for x in s.xs(5.0, 0.0):
        window(s, x - 1.8, 0.7, 0.8, 0.8, bars=False)
        s.rect(x - 0.6, 0.5, x + 1.3, 0.4, (210, 214, 220))  # bed with rails
        s.rect(x - 0.6, 0.4, x + 1.3, 0.0, (180, 186, 194))
        s.rect(x - 0.6, 0.55, x + 1.3, 0.48, (250, 250, 252))
        s.rect(x - 0.65, 0.9, x - 0.58, 0.0, (150, 156, 166))
        s.rounded(x - 0.5, 0.65, x - 0.15, 0.52, 0.05, (252, 252, 252))
        s.line([(x - 0.2, 0.6), (x + 1.2, 0.6)], (160, 166, 176), 0.015)
        s.line([(x + 1.6, 0.0), (x + 1.6, 1.5)], (170, 176, 186), 0.015)  # drip stand
        s.rounded(x + 1.5, 1.45, x + 1.7, 1.2, 0.04, (220, 236, 250))
        s.rect(x - 1.2, 1.5, x - 0.9, 1.25, (30, 40, 40))  # monitor
        s.line(
            [
                (x - 1.18, 1.38),
                (x - 1.1, 1.38),
                (x - 1.07, 1.45),
                (x - 1.03, 1.3),
                (x - 0.92, 1.38),
            ],
            (90, 240, 120),
            0.01,
        )
        s.light(x - 1.05, 1.38, 0.4, (120, 255, 160), 0.3)
        for k in range(8):  # curtain on a rail
            cx = x + 2.1 + k * 0.12
            s.rect(cx, 1.8, cx + 0.1, 0.1, (150, 190, 200) if k % 2 else (170, 206, 214))
    ceiling_lights(s, 3.0, 2.2)


def workshop(s: Scene) -> None:
    for x in s.xs(4.0, 0.0):
        s.rect(x - 1.0, 1.7, x + 1.0, 0.8, (190, 160, 120))  # pegboard with tools
        for k in range(8):
            tx = x - 0.85 + 0.23 * k
            if k % 3 == 0:
                s.line([(tx, 1.55), (tx, 1.05)], (90, 90, 96), 0.025)
                s.rect(tx - 0.06, 1.6, tx + 0.06, 1.5, (200, 60, 50))
            elif k % 3 == 1:
                s.ell(tx, 1.3, 0.08, 0.08, (70, 70, 76))
            else:
                s.line([(tx, 1.6), (tx + 0.05, 1.0)], (160, 160, 170), 0.015)
        s.rect(x - 1.3, 0.62, x + 1.3, 0.52, (150, 110, 70))  # workbench
        s.rect(x - 1.25, 0.52, x - 1.15, 0.0, (120, 86, 56))
        s.rect(x + 1.15, 0.52, x + 1.25, 0.0, (120, 86, 56))
        s.rect(x + 0.7, 0.75, x + 1.0, 0.62, (60, 90, 140))  # vice
        lamp_shade(s, x, 2.0, 0.16, (70, 110, 80), cord=0.4)
        s.rect(x + 1.6, 1.2, x + 2.4, 0.0, (100, 100, 106))  # boxes on a rack
        for k in range(3):
            s.rect(x + 1.65, 0.35 + k * 0.4, x + 2.35, 0.08 + k * 0.4, (190, 150, 90))


def factory(s: Scene) -> None:
    for x in s.xs(1.2):  # high windows in a row
        s.rect(x - 0.4, 2.6, x + 0.4, 2.0, (60, 64, 70))
        sky_view(s, x - 0.36, 2.56, x + 0.36, 2.04, "none")
    for x in s.xs(3.0):  # steel columns and beams
        s.rect(x - 0.08, s.top, x + 0.08, 0.0, (70, 90, 110))
    s.rect(-1e3, 1.9, 1e3, 1.8, (70, 90, 110))
    s.line([(-40, 1.55), (40, 1.55)], (160, 160, 150), 0.04)  # pipes
    s.line([(-40, 1.45), (40, 1.45)], (180, 100, 60), 0.03)
    for x in s.xs(4.0, 1.5):
        s.rect(x - 0.9, 1.0, x + 0.9, 0.0, (90, 120, 100))  # a machine
        s.rect(x - 0.6, 0.8, x - 0.1, 0.5, (50, 60, 56))
        s.ell(x + 0.45, 0.6, 0.22, 0.22, (60, 70, 66))
        s.rect(x + 0.3, 0.95, x + 0.4, 0.88, (250, 70, 50))
        s.light(x + 0.35, 0.92, 0.3, (255, 90, 60), 0.4)
    s.rect(-1e3, 0.35, 1e3, 0.25, (60, 60, 64))  # conveyor
    for x in s.xs(0.6):
        s.rect(x, 0.45, x + 0.35, 0.35, (190, 150, 90))
    ceiling_lights(s, 3.0, 2.4, (255, 246, 200))


# --- trade and leisure -------------------------------------------------------------


def restaurant(s: Scene) -> None:
    _wainscot(s, (170, 60, 50))
    for x in s.xs(2.0, 0.0):
        table(s, x, 0.9, 0.5, (244, 244, 240), cloth=True)
        chair(s, x - 0.6, (110, 70, 50), 1)
        chair(s, x + 0.6, (110, 70, 50), -1)
        s.rect(x - 0.02, 0.62, x + 0.02, 0.5, (240, 240, 250))
        s.ell(x + 0.2, 0.52, 0.1, 0.025, (250, 250, 250))
        lamp_shade(s, x, 1.7, 0.12, (200, 160, 60), cord=0.6)
    for x in s.xs(6.0, 3.0):
        s.rect(x - 0.4, 1.5, x + 0.4, 1.0, (90, 60, 40))
        s.rect(x - 0.35, 1.45, x + 0.35, 1.05, (220, 200, 160))


def cafe(s: Scene) -> None:
    for x in s.xs(7.0, 0.0):
        window(s, x - 1.7, 0.55, 1.2, 1.0, bars=False, scenery="city")
        s.rect(x + 0.5, 0.9, x + 3.0, 0.0, (120, 84, 60))  # counter
        s.rect(x + 0.45, 0.95, x + 3.05, 0.88, (220, 210, 196))
        s.rect(x + 1.9, 1.35, x + 2.5, 0.95, (170, 170, 176))  # espresso machine
        s.rect(x + 2.0, 1.0, x + 2.4, 0.96, (60, 60, 66))
        s.rect(x + 0.7, 2.0, x + 2.8, 1.5, (40, 44, 40))  # menu board
        for k in range(4):
            s.line(
                [(x + 0.85, 1.9 - k * 0.1), (x + 2.2 - 0.2 * (k % 2), 1.9 - k * 0.1)],
                (236, 236, 226),
                0.008,
            )
        for tx in (x - 1.7, x - 0.4):
            s.ell(tx, 0.55, 0.3, 0.04, (90, 66, 50))
            s.rect(tx - 0.02, 0.55, tx + 0.02, 0.0, (60, 60, 66))
            s.ell(tx, 0.6, 0.05, 0.04, (250, 250, 250))
        for lx in (x + 1.0, x + 2.0):
            lamp_shade(s, lx, 1.45, 0.08, (30, 30, 34), cord=0.7)


def bar(s: Scene) -> None:
    for x in s.xs(6.0, 0.0):
        shelf_bottles(s, x - 2.5, x + 2.5)
        s.rect(x - 3.0, 0.75, x + 3.0, 0.0, (90, 56, 40))  # counter
        s.rect(x - 3.05, 0.8, x + 3.05, 0.72, (140, 90, 60))
        for sx in (x - 2.0, x - 1.0, x, x + 1.0, x + 2.0):  # stools
            s.ell(sx, -0.05, 0.18, 0.05, (160, 40, 40))
            s.rect(sx - 0.02, -0.05, sx + 0.02, -0.6, (60, 60, 66))
        s.rounded(x + 2.6, 2.2, x + 3.6, 1.8, 0.1, (255, 80, 160))  # neon sign
        s.rounded(x + 2.7, 2.1, x + 3.5, 1.9, 0.08, (40, 20, 30))
        s.light(x + 3.1, 2.0, 1.2, (255, 90, 170), 0.5)
        lamp_shade(s, x - 1.5, 1.9, 0.1, (200, 150, 60), cord=0.4)
        lamp_shade(s, x + 1.5, 1.9, 0.1, (200, 150, 60), cord=0.4)


def shelf_bottles(s: Scene, x0: float, x1: float) -> None:
    rng = s.rng(f"bottles{x0:.1f}")
    s.rect(x0, 1.9, x1, 0.8, (70, 44, 34))
    for level in range(3):
        y = 0.9 + level * 0.35
        s.rect(x0, y, x1, y - 0.03, (120, 80, 56))
        bx = x0 + 0.08
        while bx < x1 - 0.1:
            colour = rng.choice(((60, 120, 60), (150, 90, 40), (200, 200, 210), (110, 40, 50)))
            h = rng.uniform(0.18, 0.26)
            s.rect(bx, y + h * 0.7, bx + 0.07, y, colour)
            s.rect(bx + 0.02, y + h, bx + 0.05, y + h * 0.7, colour)
            bx += 0.11


def shop(s: Scene) -> None:
    rng = s.rng("goods")
    for x in s.xs(1.5, 0.0):  # shelving full of goods
        s.rect(x - 0.7, 1.9, x + 0.7, 0.0, (230, 230, 226))
        for level in range(5):
            y = 0.1 + level * 0.37
            s.rect(x - 0.7, y, x + 0.7, y - 0.04, (170, 170, 176))
            gx = x - 0.65
            while gx < x + 0.6:
                w = rng.uniform(0.08, 0.16)
                s.rect(
                    gx,
                    y + rng.uniform(0.15, 0.28),
                    gx + w,
                    y,
                    rng.choice((*_BOOKS, (240, 140, 40))),
                )
                gx += w + 0.02
    for x in s.xs(8.0, 3.0):  # a counter with a till
        s.rect(x - 1.0, 0.7, x + 1.0, -0.5, (120, 90, 70))
        s.rect(x + 0.3, 0.95, x + 0.7, 0.7, (50, 50, 56))
        s.rect(x + 0.35, 0.92, x + 0.65, 0.82, (120, 200, 160))
    ceiling_lights(s, 2.5, 2.2)


def stage(s: Scene) -> None:
    """A theatre stage: red drapes, a pelmet, boards and spotlights."""
    s.rect(-1e3, s.top, 1e3, 0.0, (40, 30, 40))
    for x in s.xs(5.0, 0.0):
        for side in (-1, 1):
            for k in range(6):
                fx = x + side * (2.5 - 0.15 * k) - 0.08
                s.rect(fx, s.top, fx + 0.16, -0.1, (150 + 12 * (k % 2), 30, 40))
        s.light(x, 1.5, 2.2, (255, 240, 200), 0.45)
    s.rect(-1e3, s.top, 1e3, 2.2, (170, 40, 50))
    for x in s.xs(0.5):
        s.ell(x, 2.2, 0.25, 0.12, (170, 40, 50))
    s.rect(-1e3, 0.0, 1e3, -s.depth, (150, 100, 60))
    for x in s.xs(0.3):
        s.line([(x, 0.0), (x * 1.3, -s.depth)], (120, 80, 50), 0.008)
    s.ell(0, -0.3, 1.6, 0.25, (255, 240, 200, 80))  # the spot's pool


def palace_hall(s: Scene) -> None:
    """A throne hall: red columns in rows, a golden throne on a dais, a red carpet."""
    s.rect(-1e3, s.top, 1e3, 2.2, (90, 50, 40))
    for x in s.xs(0.6):  # coffered ceiling beams
        s.rect(x, s.top, x + 0.08, 2.2, (60, 110, 100))
    for x in s.xs(1.6, 0.8):
        s.rect(x - 0.14, 2.2, x + 0.14, 0.0, (180, 40, 36))
        s.line([(x, 2.2), (x, 0.0)], (220, 170, 70), 0.01)
        s.rect(x - 0.2, 0.1, x + 0.2, 0.0, (200, 180, 120))
    for x in s.xs(12.0, 0.0):
        for k in range(3):  # the dais
            s.rect(
                x - 1.0 + 0.2 * k,
                0.1 + 0.12 * k,
                x + 1.0 - 0.2 * k,
                0.0 + 0.12 * k,
                (200, 180, 130),
            )
        s.rect(x - 0.45, 1.2, x + 0.45, 0.36, (220, 170, 60))  # throne
        s.rect(x - 0.35, 1.1, x + 0.35, 0.6, (180, 50, 40))
        s.rect(x - 0.55, 0.65, x + 0.55, 0.36, (220, 170, 60))
        s.ell(x, 1.25, 0.2, 0.12, (240, 200, 80))
        s.light(x, 0.8, 1.6, (255, 220, 140), 0.35)
    s.poly([(-0.6, 0.0), (0.6, 0.0), (1.4, -s.depth), (-1.4, -s.depth)], (170, 30, 36))


def church(s: Scene) -> None:
    for x in s.xs(1.8, 0.0):  # pointed stained-glass windows
        pts = [
            (x - 0.3, 0.9),
            (x - 0.3, 1.9),
            *[
                (
                    x - 0.3 * math.cos(a / 6 * math.pi / 2),
                    1.9 + 0.45 * math.sin(a / 6 * math.pi / 2),
                )
                for a in range(7)
            ],
        ]
        pts += [
            (
                x + 0.3 * math.sin(a / 6 * math.pi / 2),
                2.35 - 0.45 * (1 - math.cos(a / 6 * math.pi / 2)),
            )
            for a in range(7)
        ]
        pts += [(x + 0.3, 0.9)]
        s.poly(pts, (60, 50, 60))
        for k, colour in enumerate(((200, 60, 60), (60, 100, 200), (230, 190, 60), (70, 160, 90))):
            s.rect(x - 0.24 + 0.12 * k, 2.1, x - 0.14 + 0.12 * k, 0.96, colour)
        s.light(x, 1.5, 0.8, (255, 236, 200), 0.35)
    for x in s.xs(10.0, 0.0):  # altar with candles
        s.rect(x - 0.6, 0.6, x + 0.6, 0.0, (236, 230, 214))
        s.rect(x - 0.03, 1.4, x + 0.03, 0.6, (200, 170, 80))
        s.rect(x - 0.2, 1.2, x + 0.2, 1.15, (200, 170, 80))
        for cx in (x - 0.4, x + 0.4):
            s.rect(cx - 0.02, 0.8, cx + 0.02, 0.6, (250, 246, 230))
            s.ell(cx, 0.84, 0.02, 0.04, (255, 200, 90))
            s.light(cx, 0.84, 0.4, (255, 200, 100), 0.5)
    for row in range(3):  # pews
        y = -0.2 - row * 0.45
        for x in s.xs(2.4, 1.2):
            s.rect(x - 0.9, y + 0.55, x + 0.9, y + 0.45, (110, 70, 44))
            s.rect(x - 0.9, y + 0.3, x + 0.9, y + 0.24, (130, 86, 54))
            s.rect(x - 0.9, y + 0.55, x - 0.85, y, (100, 64, 40))


def prison(s: Scene) -> None:
    for y in range(14):  # block wall
        for x in s.xs(0.5, 0.25 * (y % 2)):
            s.line([(x, y * 0.18), (x, y * 0.18 + 0.18)], (120, 120, 120), 0.008)
        s.line([(-40, y * 0.18), (40, y * 0.18)], (120, 120, 120), 0.008)
    for x in s.xs(5.0, 1.5):
        s.rect(x - 0.3, 1.9, x + 0.3, 1.5, (60, 60, 60))  # high barred window
        sky_view(s, x - 0.28, 1.88, x + 0.28, 1.52, "none")
        for k in range(4):
            s.rect(x - 0.22 + 0.15 * k, 1.9, x - 0.19 + 0.15 * k, 1.5, (50, 50, 54))
        s.light(x, 1.7, 1.2, (230, 236, 250), 0.35)
        s.rect(x - 1.8, 0.45, x - 0.4, 0.35, (110, 110, 116))  # a bunk
        s.rect(x - 1.8, 0.5, x - 0.4, 0.44, (160, 160, 150))
        s.rect(x - 1.8, 0.35, x - 1.74, 0.0, (90, 90, 96))
    for x in s.xs(0.35):  # the cell's bars, in front of everything
        s.rect(x - 0.025, s.top, x + 0.025, -s.depth, (50, 50, 56))
    s.rect(-1e3, 2.3, 1e3, 2.2, (50, 50, 56))


def cave(s: Scene) -> None:
    """Rock walls closing round an opening of daylight (or night), stalactites."""
    rng = s.rng("rock")
    s.rect(-1e3, s.top, 1e3, -s.depth, (70, 60, 54))
    for x in s.xs(8.0, 2.6):  # the mouth, seen from inside (beside the subject)
        pts = [
            (
                x + 1.3 * math.cos(a / 12 * math.pi) * (1 + 0.1 * math.sin(a * 3)),
                1.5 * math.sin(a / 12 * math.pi) * (1 + 0.08 * math.cos(a * 2)),
            )
            for a in range(13)
        ]
        s.poly(pts, (120, 140, 160) if not s.night else (30, 40, 70))
        sky_view(s, x - 0.9, 1.2, x + 0.9, 0.0)
        s.light(x, 0.6, 2.5, (220, 230, 240), 0.3)
    for x in s.xs(0.45, rng.uniform(0, 0.4)):  # boulders, strata, stalactites
        s.ell(
            x,
            rng.uniform(0.2, 2.2),
            rng.uniform(0.2, 0.5),
            rng.uniform(0.1, 0.3),
            shade((90, 78, 70), rng.uniform(0.8, 1.2)),
        )
        y = s.top + 0.1
        ln = rng.uniform(0.2, 0.6)
        s.poly([(x - 0.08, y), (x + 0.08, y), (x, y - ln - 0.4)], (84, 72, 64))
    for x in s.xs(1.3):
        s.ell(x, -0.3, 0.5, 0.12, (60, 52, 48))


# --- travel --------------------------------------------------------------------------


def train_carriage(s: Scene) -> None:
    """Seats in rows under a row of windows (their view slides by), luggage racks."""
    s.rect(-1e3, s.top, 1e3, 2.25, (214, 214, 206))  # ceiling
    s.rect(-1e3, 2.25, 1e3, 2.2, (180, 180, 176))
    for x in s.xs(1.6, 0.0):
        x0, x1, y0, y1 = x - 0.55, x + 0.55, 1.55, 0.85
        s.rounded(x0 - 0.05, y0 + 0.05, x1 + 0.05, y1 - 0.05, 0.1, (150, 150, 146))
        sky_view(s, x0, y0, x1, y1)
        s.passing.append(s.pixels_rect(x0 + 0.02, y0 - 0.02, x1 - 0.02, y1 + 0.02))
        s.rect(x0 - 0.2, 1.95, x1 + 0.2, 1.9, (120, 120, 124))  # luggage rack
        for k in range(7):
            rx = x0 - 0.15 + k * 0.2
            s.line([(rx, 1.9), (rx + 0.05, 1.75)], (120, 120, 124), 0.008)
        s.rect(x0 - 0.2, 1.76, x1 + 0.2, 1.73, (120, 120, 124))
        if (round(x / 1.6)) % 2 == 0:
            s.rect(x - 0.3, 2.05, x + 0.1, 1.95, (80, 110, 150))  # a bag on the rack
        s.rect(x - 0.35, 2.22, x + 0.35, 2.2, (255, 250, 230))
        s.light(x, 2.2, 1.0, (255, 246, 220), 0.35)
    for x in s.xs(0.8, 0.4):  # seat backs, a row in front
        s.rounded(x - 0.32, 0.95, x + 0.32, 0.0, 0.1, (60, 90, 140))
        s.rounded(x - 0.28, 0.92, x + 0.28, 0.75, 0.06, (230, 230, 236))
    s.rect(-1e3, 0.0, 1e3, -0.12, (90, 90, 96))


def bus(s: Scene) -> None:
    for x in s.xs(1.5, 0.0):
        x0, x1, y0, y1 = x - 0.68, x + 0.68, 1.75, 0.8
        s.rect(x0 - 0.06, y0 + 0.05, x1 + 0.06, y1 - 0.05, (70, 70, 76))
        sky_view(s, x0, y0, x1, y1, "city")
        s.passing.append(s.pixels_rect(x0, y0, x1, y1))
    s.line([(-40, 2.05), (40, 2.05)], (230, 190, 40), 0.025)  # handrail with straps
    for x in s.xs(0.5, 0.2):
        s.line([(x, 2.05), (x, 1.85)], (60, 60, 60), 0.01)
        s.rounded(x - 0.05, 1.86, x + 0.05, 1.74, 0.04, (230, 190, 40))
    for x in s.xs(3.0, 1.4):  # poles
        s.rect(x - 0.025, s.top, x + 0.025, -s.depth, (230, 190, 40))
    for x in s.xs(0.75, 0.3):
        s.rounded(x - 0.28, 0.85, x + 0.28, 0.0, 0.08, (180, 60, 60))
    s.rect(-1e3, 0.0, 1e3, -0.1, (70, 70, 76))


def car_interior(s: Scene) -> None:
    """In a car: the windscreen's view slides by above the dashboard."""
    s.rect(-1e3, s.top, 1e3, -s.depth, (60, 60, 66))
    for x in s.xs(6.0, 0.0):
        x0, x1, y0, y1 = x - 2.6, x + 2.6, 2.1, 0.9
        s.poly([(x0, y1), (x1, y1), (x1 - 0.35, y0), (x0 + 0.35, y0)], (40, 40, 44))
        sky_view(s, x0 + 0.5, y0 - 0.08, x1 - 0.5, y1, "city")
        s.passing.append(s.pixels_rect(x0 + 0.5, y0 - 0.08, x1 - 0.5, y1))
        s.rect(x - 0.15, y0 - 0.05, x + 0.15, y0 - 0.2, (30, 30, 34))  # mirror
        s.rounded(x0 - 0.2, 0.95, x1 + 0.2, 0.2, 0.2, (46, 46, 50))  # dashboard
        s.pen.ellipse(
            *s.at(x - 1.2, 0.45), s.u(0.55), s.u(0.55), None, outline=(20, 20, 22), width=s.u(0.07)
        )
        s.rect(x - 0.3, 0.75, x + 0.3, 0.5, (30, 60, 80))  # the radio's display
        s.light(x, 0.62, 0.4, (120, 200, 255), 0.4)
        for hx in (x - 1.2, x + 1.2):  # headrests
            s.rounded(hx - 0.3, 0.2, hx + 0.3, -0.3, 0.1, (80, 76, 72))


def airport(s: Scene) -> None:
    """A terminal: a glass wall onto the apron and a plane, a departures board, seats."""
    for x in s.xs(1.2):
        sky_view(s, x - 0.6, 2.4, x + 0.6, 0.3, "none")
        s.rect(x - 0.62, 2.4, x - 0.58, 0.3, (110, 116, 126))
    s.rect(-1e3, 0.34, 1e3, 0.0, (120, 124, 130))
    for x in s.xs(9.0, 2.0):  # a plane on the apron
        s.rounded(x - 2.0, 0.85, x + 1.8, 0.5, 0.17, (236, 238, 242))
        s.poly([(x - 0.5, 0.62), (x + 0.6, 0.62), (x - 0.2, 0.35)], (200, 204, 210))
        s.poly([(x - 2.0, 0.8), (x - 1.6, 0.8), (x - 2.1, 1.35)], (40, 80, 160))
        for k in range(10):
            s.ell(x - 1.3 + 0.25 * k, 0.72, 0.04, 0.04, (90, 120, 160))
    for x in s.xs(7.0, 0.0):
        s.rect(x - 0.9, 2.25, x + 0.9, 1.65, (30, 30, 40))  # departures
        for k in range(4):
            y = 2.15 - k * 0.14
            s.rect(x - 0.8, y, x + 0.3, y - 0.06, (250, 200, 60))
            s.rect(x + 0.45, y, x + 0.8, y - 0.06, (100, 220, 120))
    for x in s.xs(2.0, 0.5):  # rows of seats
        for k in range(3):
            sx = x + k * 0.35
            s.rounded(sx - 0.15, 0.0, sx + 0.15, -0.3, 0.04, (60, 100, 170))
    ceiling_lights(s, 2.5, 2.7)


def spaceship(s: Scene) -> None:
    """Metal panels, a round port onto stars, consoles of blinking lights."""
    rng = s.rng("panels")
    s.rect(-1e3, s.top, 1e3, -s.depth, (150, 160, 176))
    for x in s.xs(1.0):
        s.line([(x, s.top), (x, 0.0)], (110, 120, 136), 0.012)
    for y in (0.5, 1.3, 2.1):
        s.line([(-40, y), (40, y)], (110, 120, 136), 0.012)
    for x in s.xs(4.0, 0.0):
        s.ell(x, 1.4, 0.62, 0.62, (90, 96, 110))
        s.ell(x, 1.4, 0.52, 0.52, (6, 8, 20))
        for _ in range(14):
            a, r = rng.uniform(0, math.tau), rng.uniform(0, 0.48)
            s.ell(x + r * math.cos(a), 1.4 + r * math.sin(a), 0.012, 0.012, (250, 250, 240))
        s.ell(x + 0.2, 1.55, 0.12, 0.12, (110, 150, 220))  # a planet
    for x in s.xs(4.0, 2.0):
        s.poly([(x - 1.0, 0.0), (x + 1.0, 0.0), (x + 0.8, 0.8), (x - 0.8, 0.8)], (60, 66, 80))
        for k in range(10):
            colour = rng.choice(((90, 240, 140), (250, 80, 70), (80, 180, 255), (250, 220, 80)))
            s.rect(x - 0.7 + 0.14 * k, 0.6, x - 0.64 + 0.14 * k, 0.54, colour)
        s.rect(x - 0.5, 0.45, x + 0.5, 0.15, (20, 60, 90))
        s.light(x, 0.45, 1.0, (120, 200, 255), 0.4)
    s.rect(-1e3, 2.6, 1e3, 2.54, (120, 200, 255))
    s.light(0, 2.57, 3.0, (140, 210, 255), 0.25)


def corridor(s: Scene) -> None:
    """A long hallway seen down its length: walls and doors converge on the far end."""
    wall, door = (220, 214, 196), (140, 100, 70)
    for side in (-1, 1):
        near, far = side * 3.5, side * 0.45
        s.poly([(near, s.top + 1), (far, 1.7), (far, 0.0), (near, -s.depth)], shade(wall, 0.9))
        for k in range(4):  # doors, shrinking with distance
            t0, t1 = 0.12 + k * 0.2, 0.22 + k * 0.2
            xa, xb = near + (far - near) * t0, near + (far - near) * t1
            ya0 = -s.depth + (0.0 + s.depth) * t0
            yb0 = -s.depth + (0.0 + s.depth) * t1
            ha, hb = (2.4 - 0.9 * t0) * (1 - t0 * 0.6), (2.4 - 0.9 * t1) * (1 - t1 * 0.6)
            s.poly([(xa, ya0), (xb, yb0), (xb, yb0 + hb), (xa, ya0 + ha)], door)
    s.rect(-0.45, 1.7, 0.45, 0.0, wall)  # far end with a door
    s.rect(-0.15, 0.6, 0.15, 0.0, door)
    s.poly([(-3.5, s.top + 1), (3.5, s.top + 1), (0.45, 1.7), (-0.45, 1.7)], (236, 234, 228))
    for k in range(5):  # ceiling lights down the middle
        t = k / 5
        y = s.top + 1 - (s.top + 1 - 1.7) * t
        w = 0.4 * (1 - t * 0.8)
        s.rect(-w, y - 0.02, w, y - 0.08, (255, 252, 236))
        s.light(0, y - 0.05, 1.0 * (1 - t * 0.6), (255, 246, 220), 0.35)
    s.poly([(-0.45, 0.0), (0.45, 0.0), (3.5, -s.depth), (-3.5, -s.depth)], (150, 140, 130))
    s.line([(0, 0.0), (0, -s.depth)], mix((150, 140, 130), (90, 80, 70), 0.5), 0.01)


INSIDE: dict[str, tuple[RGB, RGB, Painter]] = {  # wall, floor, painter
    "living_room": ((230, 218, 194), (156, 108, 72), living_room),
    "bedroom": ((214, 206, 226), (170, 130, 96), bedroom),
    "kitchen": ((210, 224, 220), (200, 196, 186), kitchen),
    "bathroom": ((214, 232, 240), (220, 226, 230), bathroom),
    "office": ((226, 228, 226), (120, 130, 144), office),
    "classroom": ((236, 226, 196), (170, 140, 100), classroom),
    "library": ((120, 86, 60), (120, 84, 56), library),
    "hospital": ((206, 228, 214), (214, 220, 222), hospital),
    "workshop": ((180, 170, 150), (120, 116, 110), workshop),
    "factory": ((150, 150, 146), (110, 110, 108), factory),
    "restaurant": ((240, 226, 200), (120, 76, 50), restaurant),
    "cafe": ((236, 222, 200), (150, 110, 76), cafe),
    "bar": ((70, 50, 56), (80, 56, 44), bar),
    "shop": ((240, 240, 236), (210, 210, 206), shop),
    "stage": ((40, 30, 40), (150, 100, 60), stage),
    "palace_hall": ((200, 80, 60), (190, 170, 130), palace_hall),
    "church": ((214, 206, 190), (170, 160, 146), church),
    "prison": ((160, 160, 156), (120, 120, 118), prison),
    "cave": ((70, 60, 54), (60, 52, 48), cave),
    "train_carriage": ((226, 224, 214), (90, 90, 96), train_carriage),
    "bus": ((226, 226, 220), (80, 80, 86), bus),
    "car_interior": ((60, 60, 66), (50, 50, 56), car_interior),
    "airport": ((226, 228, 232), (210, 212, 214), airport),
    "spaceship": ((150, 160, 176), (110, 116, 130), spaceship),
    "corridor": ((220, 214, 196), (150, 140, 130), corridor),
}
