"""Props and animals as clean parametric vector art, at their real size.

Every kind has a family (how a kind the engine has no picture for is drawn), a typical
largest dimension in metres, the width-to-height ratio it is drawn at, whether a
person holds it, and where a hand grips it. `draw_thing` draws a kind into any pixel
box at its own proportions: a lantern hanging from a hand, a cat at a figure's feet, a
teacup filling an insert shot. Long things (a sword, a spear) asked to fill a wide box
are laid diagonally across it, as an insert shot frames them.

The vocabulary (storyreel/vocab/props.yaml, extended per project) names the kinds the
story can mention; a kind it adds that has no drawing here is drawn by its family,
varied by its name so two such kinds never look the same.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, get_args

import numpy as np
import yaml
from PIL import Image

from storyreel.render.previs.pen import Fill, Pen
from storyreel.render.previs.sketch import Sketch
from storyreel.render.previs.util import INK, RGB, mix, shade, stable_random
from storyreel.vocab import PropFamily

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in canvas pixels

# The vocabulary's families, and "nature" (trees, rocks, leaves: scenery drawn like a
# prop when the story names one).
FAMILIES: tuple[str, ...] = (*get_args(PropFamily), "nature")

# The height of an adult figure in metres: figures are drawn in adult heights.
ADULT_M = 1.7


@dataclass(frozen=True)
class ThingSpec:
    family: str
    size: float  # largest dimension, metres
    aspect: float  # width / height, drawn upright (an animal facing right)
    held: bool = False
    # Where a hand holds it, as fractions of its box (u from the left, v from the top).
    grip: tuple[float, float] = (0.5, 0.5)


Drawer = Callable[[Sketch, random.Random], None]

# --- palette ---------------------------------------------------------------------

WOOD: RGB = (164, 112, 66)
DARK_WOOD: RGB = (108, 70, 44)
STEEL: RGB = (206, 212, 222)
IRON: RGB = (92, 96, 106)
BRASS: RGB = (206, 164, 70)
RED: RGB = (200, 56, 50)
PAPER: RGB = (242, 234, 212)
WHITE: RGB = (244, 242, 236)
BLACK: RGB = (40, 40, 46)
GLASS: Fill = (196, 226, 240, 150)
FLAME: RGB = (255, 176, 48)
FLAME_CORE: RGB = (255, 236, 150)
GREEN: RGB = (70, 146, 80)
LEAF: RGB = (92, 160, 70)
SKY: RGB = (110, 170, 220)

_SPECS: dict[str, ThingSpec] = {}
_DRAWERS: dict[str, Drawer] = {}


def _kind(
    name: str,
    family: str,
    size: float,
    aspect: float,
    held: bool = False,
    grip: tuple[float, float] = (0.5, 0.5),
) -> Callable[[Drawer], Drawer]:
    """Register a kind with its drawing (used as a decorator)."""

    def register(draw: Drawer) -> Drawer:
        _SPECS[name] = ThingSpec(family, size, aspect, held, grip)
        _DRAWERS[name] = draw
        return draw

    return register


def _alias(name: str, of: str, **changes: Any) -> None:
    """A kind drawn like `of` but varied (its own colours), with its own spec."""
    base = _SPECS[of]
    spec = ThingSpec(
        changes.get("family", base.family),
        changes.get("size", base.size),
        # A touch slimmer than its kin by default, so the two are never the same picture.
        changes.get("aspect", base.aspect * 0.9),
        changes.get("held", base.held),
        changes.get("grip", base.grip),
    )
    draw = _DRAWERS[of]
    tint: RGB | None = changes.get("tint")

    def varied(s: Sketch, r: random.Random) -> None:
        draw(s, random.Random(r.random()) if tint is None else _Tinted(tint))

    _SPECS[name] = spec
    _DRAWERS[name] = varied


class _Tinted(random.Random):
    """A generator whose `choice` of colour always returns one tint (for aliases)."""

    def __init__(self, tint: RGB) -> None:
        super().__init__(0)
        self.tint = tint

    def choice(self, seq: Any) -> Any:
        return self.tint if seq and isinstance(seq[0], tuple) else super().choice(seq)


def _glow(s: Sketch, u: float, v: float, r: float) -> None:
    """A soft halo of light, round where the box lets it be, kept inside the box."""
    ru = min(r, u, 1 - u)
    rv = min(r * s.w / max(s.h, 1e-6), v, 1 - v)
    s.ell(u, v, ru, rv, (255, 220, 140, 90), ink=False)


def _flame(s: Sketch, u: float, v: float, w: float, h: float) -> None:
    s.poly([(u - w, v), (u - w * 0.6, v - h * 0.5), (u, v - h), (u + w * 0.6, v - h * 0.5),
            (u + w, v)], FLAME, ink=False)  # fmt: skip
    s.poly([(u - w * 0.45, v), (u, v - h * 0.6), (u + w * 0.45, v)], FLAME_CORE, ink=False)


# --- lights ------------------------------------------------------------------------


@_kind("lantern", "light", 0.4, 0.72, True, (0.5, 0.0))
def _lantern(s: Sketch, r: random.Random) -> None:
    colour = r.choice([RED, (214, 70, 40), (190, 40, 60)])
    s.line([(0.5, 0.0), (0.5, 0.1)], INK, 1.5)
    s.rect(0.3, 0.08, 0.7, 0.16, BLACK)
    s.ell(0.5, 0.52, 0.48, 0.38, colour)
    for k in (-0.25, 0.0, 0.25):
        s.arc(0.5, 0.52, 0.48 * abs(k) * 2 + 0.02, 0.38, 270, 450, shade(colour, 0.7))
    s.ell(0.5, 0.52, 0.2, 0.2, (255, 214, 120, 120), ink=False)
    s.rect(0.3, 0.88, 0.7, 0.95, BLACK)
    s.line([(0.5, 0.95), (0.5, 1.0)], BRASS, 2)


@_kind("paper_lantern", "light", 0.45, 0.85, True, (0.5, 0.0))
def _paper_lantern(s: Sketch, r: random.Random) -> None:
    s.line([(0.5, 0.0), (0.5, 0.12)], INK, 1.2)
    s.ell(0.5, 0.55, 0.48, 0.42, (250, 236, 200))
    for k in range(1, 5):
        v = 0.13 + k * 0.168
        half = math.sqrt(max(0.0, 1 - ((v - 0.55) / 0.42) ** 2)) * 0.48
        s.line([(0.5 - half, v), (0.5 + half, v)], (200, 170, 120), 0.8)
    s.ell(0.5, 0.55, 0.22, 0.2, (255, 220, 140, 110), ink=False)


@_kind("lamp", "light", 0.5, 0.62)
def _lamp(s: Sketch, r: random.Random) -> None:
    shade_c = r.choice([(236, 214, 160), (220, 120, 90), (160, 196, 170)])
    s.ell(0.5, 0.96, 0.32, 0.04, IRON)
    s.rect(0.47, 0.4, 0.53, 0.95, BRASS)
    _glow(s, 0.5, 0.42, 0.35)
    s.poly([(0.22, 0.02), (0.78, 0.02), (0.98, 0.44), (0.02, 0.44)], shade_c)


@_kind("street_lamp", "light", 4.0, 0.3)
def _street_lamp(s: Sketch, r: random.Random) -> None:
    s.rect(0.44, 0.1, 0.56, 1.0, IRON)
    s.rect(0.36, 0.94, 0.64, 1.0, IRON)
    s.line([(0.5, 0.1), (0.5, 0.04), (0.85, 0.04), (0.85, 0.08)], IRON, 3)
    _glow(s, 0.85, 0.1, 0.3)
    s.poly([(0.72, 0.07), (0.98, 0.07), (0.9, 0.13), (0.8, 0.13)], FLAME_CORE)


@_kind("candle", "light", 0.2, 0.38, True, (0.5, 0.75))
def _candle(s: Sketch, r: random.Random) -> None:
    _glow(s, 0.5, 0.2, 0.5)
    s.ell(0.5, 0.94, 0.48, 0.05, BRASS)
    s.rect(0.3, 0.36, 0.7, 0.92, (246, 240, 222))
    s.line([(0.5, 0.36), (0.5, 0.3)], INK, 1)
    _flame(s, 0.5, 0.31, 0.12, 0.28)


@_kind("torch", "light", 0.6, 0.28, True, (0.5, 0.75))
def _torch(s: Sketch, r: random.Random) -> None:
    s.poly([(0.4, 0.32), (0.6, 0.32), (0.56, 1.0), (0.44, 1.0)], DARK_WOOD)
    s.rect(0.34, 0.28, 0.66, 0.38, (120, 100, 80))
    _glow(s, 0.5, 0.15, 0.5)
    _flame(s, 0.5, 0.3, 0.4, 0.3)


@_kind("flashlight", "light", 0.25, 2.6, True, (0.35, 0.5))
def _flashlight(s: Sketch, r: random.Random) -> None:
    s.rrect(0.02, 0.28, 0.62, 0.72, 0.03, r.choice([BLACK, (60, 80, 140), RED]))
    s.poly([(0.6, 0.2), (0.82, 0.04), (0.82, 0.96), (0.6, 0.8)], IRON)
    s.poly([(0.82, 0.1), (1.0, -0.2), (1.0, 1.2), (0.82, 0.9)], (255, 246, 190, 110), ink=False)
    s.rect(0.3, 0.24, 0.38, 0.3, STEEL)


@_kind("campfire", "light", 1.0, 1.3)
def _campfire(s: Sketch, r: random.Random) -> None:
    _glow(s, 0.5, 0.5, 0.6)
    s.poly([(0.05, 0.95), (0.1, 0.82), (0.9, 0.66), (0.95, 0.8)], DARK_WOOD)
    s.poly([(0.95, 0.95), (0.9, 0.82), (0.1, 0.66), (0.05, 0.8)], WOOD)
    _flame(s, 0.5, 0.82, 0.32, 0.8)
    _flame(s, 0.34, 0.82, 0.14, 0.45)
    _flame(s, 0.66, 0.82, 0.14, 0.5)
    for k in range(5):
        s.ell(0.15 + k * 0.175, 0.94, 0.08, 0.06, (130, 130, 128))


@_kind("neon_sign", "light", 1.5, 2.2)
def _neon_sign(s: Sketch, r: random.Random) -> None:
    glow = r.choice([(255, 80, 180), (80, 230, 255), (255, 200, 60)])
    s.rrect(0.02, 0.05, 0.98, 0.95, 0.05, (30, 28, 40))
    s.rrect(0.08, 0.16, 0.92, 0.84, 0.05, None)
    s.line([(0.16, 0.7), (0.22, 0.3), (0.3, 0.7), (0.36, 0.3)], glow, 3)
    s.ell(0.53, 0.5, 0.09, 0.2, None)
    s.arc(0.53, 0.5, 0.09, 0.2, 0, 360, glow, 3)
    s.line([(0.7, 0.3), (0.7, 0.7), (0.84, 0.7)], glow, 3)


# --- blades and weapons --------------------------------------------------------------


def _blade(s: Sketch, width: float, curve: float, guard: str, colour: RGB = STEEL) -> None:
    """A blade standing point up: `curve` bends it towards +u, `guard` "cross" or "disc"."""
    grip_top = 0.82
    s.rect(0.5 - 0.1, grip_top, 0.5 + 0.1, 0.98, (60, 40, 36))
    for k in range(3):  # a wrapped grip
        v = grip_top + 0.03 + k * 0.05
        s.line([(0.4, v), (0.6, v + 0.03)], (150, 120, 90), 0.8)
    rise = [float(v) for v in np.linspace(grip_top, 0.08, 8)]
    left = [(0.5 - width + curve * (grip_top - v) ** 2, v) for v in rise]
    right = [(0.5 + width + curve * (grip_top - v) ** 2, v) for v in reversed(rise)]
    tip = (0.5 + curve * (grip_top - 0.0) ** 2 + width * 0.2, 0.0)
    s.poly([*left, tip, *right], colour)
    s.line([(0.5 + curve * 0.02, grip_top - 0.02), (0.5 + curve * 0.4, 0.2)], shade(colour, 1.3))
    if guard == "cross":
        s.rrect(0.05, grip_top - 0.03, 0.95, grip_top + 0.02, 0.05, BRASS)
    else:
        s.ell(0.5, grip_top, 0.42, 0.025, BRASS)
    s.ell(0.5, 0.98, 0.14, 0.02, BRASS)


@_kind("sword", "weapon", 1.0, 0.14, True, (0.5, 0.9))
def _sword(s: Sketch, r: random.Random) -> None:
    _blade(s, 0.1, 0.0, "cross", r.choice([STEEL, (222, 226, 234)]))


@_kind("katana", "weapon", 1.0, 0.1, True, (0.5, 0.9))
def _katana(s: Sketch, r: random.Random) -> None:
    _blade(s, 0.12, 0.35, "disc")


@_kind("knife", "weapon", 0.25, 0.18, True, (0.5, 0.85))
def _knife(s: Sketch, r: random.Random) -> None:
    s.rrect(0.3, 0.62, 0.7, 1.0, 0.1, DARK_WOOD)
    s.poly([(0.25, 0.62), (0.75, 0.62), (0.72, 0.2), (0.3, 0.0), (0.25, 0.3)], STEEL)
    s.rect(0.18, 0.58, 0.82, 0.64, IRON)


@_kind("broadsword", "weapon", 1.1, 0.24, True, (0.5, 0.9))
def _broadsword(s: Sketch, r: random.Random) -> None:
    s.rect(0.42, 0.8, 0.58, 0.98, (120, 30, 30))
    s.poly([(0.35, 0.8), (0.6, 0.8), (0.9, 0.2), (0.75, 0.0), (0.35, 0.3)], STEEL)
    s.ell(0.48, 0.8, 0.35, 0.03, BRASS)
    s.ell(0.48, 0.99, 0.12, 0.015, (200, 40, 40))


@_kind("spear", "weapon", 2.2, 0.06, True, (0.5, 0.6))
def _spear(s: Sketch, r: random.Random) -> None:
    s.rect(0.35, 0.1, 0.65, 1.0, WOOD)
    s.poly([(0.5, 0.0), (0.95, 0.09), (0.6, 0.13), (0.4, 0.13), (0.05, 0.09)], STEEL)
    s.poly([(0.2, 0.13), (0.8, 0.13), (0.9, 0.2), (0.1, 0.2)], RED, ink=False)


@_kind("bow", "weapon", 1.3, 0.36, True, (0.3, 0.5))
def _bow(s: Sketch, r: random.Random) -> None:
    s.arc(0.0, 0.5, 0.7, 0.48, -88, 88, WOOD, 4)
    s.line([(0.02, 0.02), (0.02, 0.98)], (230, 230, 220), 0.8)
    s.rect(0.62, 0.45, 0.74, 0.55, (90, 50, 30))


@_kind("arrow", "weapon", 0.8, 0.08, True, (0.5, 0.6))
def _arrow(s: Sketch, r: random.Random) -> None:
    s.rect(0.42, 0.08, 0.58, 0.96, WOOD)
    s.poly([(0.5, 0.0), (0.95, 0.1), (0.05, 0.1)], STEEL)
    s.poly([(0.45, 0.8), (0.0, 0.92), (0.0, 1.0), (0.45, 0.9)], WHITE)
    s.poly([(0.55, 0.8), (1.0, 0.92), (1.0, 1.0), (0.55, 0.9)], WHITE)


@_kind("axe", "weapon", 0.8, 0.48, True, (0.5, 0.85))
def _axe(s: Sketch, r: random.Random) -> None:
    s.rect(0.44, 0.05, 0.56, 1.0, WOOD)
    s.poly([(0.56, 0.08), (0.95, 0.0), (1.0, 0.18), (0.95, 0.38), (0.56, 0.28)], STEEL)


@_kind("pistol", "weapon", 0.25, 1.45, True, (0.3, 0.7))
def _pistol(s: Sketch, r: random.Random) -> None:
    s.rect(0.1, 0.12, 1.0, 0.4, BLACK)
    s.poly([(0.1, 0.35), (0.42, 0.35), (0.36, 1.0), (0.08, 1.0)], (80, 56, 40))
    s.arc(0.48, 0.45, 0.1, 0.15, 0, 180, BLACK, 1.5)
    s.rect(0.9, 0.04, 0.96, 0.12, BLACK)


@_kind("rifle", "weapon", 1.1, 4.2, True, (0.4, 0.6))
def _rifle(s: Sketch, r: random.Random) -> None:
    s.poly([(0.0, 0.4), (0.3, 0.35), (0.6, 0.35), (0.62, 0.62), (0.32, 0.6), (0.0, 1.0)], WOOD)
    s.rect(0.3, 0.2, 1.0, 0.38, BLACK)
    s.rect(0.4, 0.05, 0.55, 0.2, IRON)


@_kind("shield", "weapon", 0.8, 0.8, True, (0.5, 0.5))
def _shield(s: Sketch, r: random.Random) -> None:
    face = r.choice([(150, 40, 40), (50, 80, 140), (90, 90, 90)])
    s.poly([(0.0, 0.05), (0.5, 0.0), (1.0, 0.05), (0.95, 0.55), (0.5, 1.0), (0.05, 0.55)], face)
    s.poly([(0.12, 0.12), (0.5, 0.08), (0.88, 0.12), (0.84, 0.52), (0.5, 0.88), (0.16, 0.52)],
           None)  # fmt: skip
    s.ell(0.5, 0.42, 0.12, 0.12, BRASS)


@_kind("staff", "weapon", 1.6, 0.05, True, (0.5, 0.5))
def _staff(s: Sketch, r: random.Random) -> None:
    s.rrect(0.3, 0.0, 0.7, 1.0, 0.3, DARK_WOOD)
    s.rect(0.2, 0.06, 0.8, 0.09, BRASS)
    s.rect(0.2, 0.91, 0.8, 0.94, BRASS)


# --- vessels ----------------------------------------------------------------------

_CERAMIC = [(236, 232, 220), (200, 224, 214), (150, 180, 210), (220, 190, 160)]


@_kind("cup", "vessel", 0.1, 1.15, True, (0.45, 0.55))
def _cup(s: Sketch, r: random.Random) -> None:
    body = r.choice(_CERAMIC)
    s.arc(0.78, 0.45, 0.16, 0.2, -80, 100, body, 3)
    s.poly([(0.04, 0.1), (0.8, 0.1), (0.7, 0.95), (0.14, 0.95)], body)
    s.ell(0.42, 0.1, 0.38, 0.07, shade(body, 0.75))
    s.ell(0.42, 0.12, 0.3, 0.04, (130, 90, 50), ink=False)


@_kind("teacup", "vessel", 0.09, 1.4, True, (0.5, 0.6))
def _teacup(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.9, 0.48, 0.09, (236, 232, 220))
    s.poly([(0.14, 0.2), (0.86, 0.2), (0.72, 0.82), (0.28, 0.82)], (236, 240, 232))
    s.line([(0.2, 0.45), (0.8, 0.45)], (60, 110, 170), 2)
    s.ell(0.5, 0.2, 0.36, 0.07, (170, 180, 120))


@_kind("mug", "vessel", 0.12, 1.1, True, (0.4, 0.55))
def _mug(s: Sketch, r: random.Random) -> None:
    body = r.choice([RED, (60, 110, 170), (240, 200, 80)])
    s.arc(0.78, 0.5, 0.18, 0.22, -90, 90, body, 4)
    s.rrect(0.05, 0.06, 0.78, 0.98, 0.05, body)
    s.ell(0.415, 0.08, 0.36, 0.05, shade(body, 0.6))
    s.ell(0.415, 0.5, 0.12, 0.12, WHITE)


@_kind("glass", "vessel", 0.15, 0.58, True, (0.5, 0.55))
def _glass(s: Sketch, r: random.Random) -> None:
    s.poly([(0.1, 0.4), (0.9, 0.4), (0.82, 0.96), (0.18, 0.96)], (210, 120, 40, 170), ink=False)
    s.poly([(0.05, 0.02), (0.95, 0.02), (0.82, 0.98), (0.18, 0.98)], GLASS)
    s.line([(0.2, 0.1), (0.26, 0.85)], WHITE, 1.5)


@_kind("wine_cup", "vessel", 0.15, 0.75, True, (0.5, 0.8))
def _wine_cup(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.95, 0.4, 0.05, GLASS)
    s.rect(0.46, 0.55, 0.54, 0.95, GLASS)
    s.pie(0.5, 0.1, 0.48, 0.45, 0, 180, GLASS)
    s.pie(0.5, 0.22, 0.4, 0.3, 0, 180, (150, 20, 50, 200))


@_kind("bowl", "vessel", 0.15, 1.9, True, (0.5, 0.6))
def _bowl(s: Sketch, r: random.Random) -> None:
    body = r.choice(_CERAMIC)
    s.pie(0.5, 0.12, 0.48, 0.78, 0, 180, body)
    s.ell(0.5, 0.12, 0.48, 0.12, shade(body, 0.8))
    s.rect(0.36, 0.86, 0.64, 1.0, shade(body, 0.9))
    s.arc(0.5, 0.2, 0.4, 0.45, 20, 160, (60, 110, 170), 1.5)


@_kind("rice_bowl", "vessel", 0.14, 1.6, True, (0.5, 0.7))
def _rice_bowl(s: Sketch, r: random.Random) -> None:
    s.pie(0.5, 0.4, 0.48, 0.48, 180, 360, WHITE)
    for k in range(6):
        s.ell(0.2 + k * 0.12, 0.3 - (k % 2) * 0.06, 0.05, 0.05, (250, 250, 246), ink=False)
    s.pie(0.5, 0.4, 0.48, 0.5, 0, 180, (60, 110, 170))
    s.rect(0.36, 0.86, 0.64, 1.0, (60, 110, 170))
    s.line([(0.62, 0.0), (0.9, 0.45)], DARK_WOOD, 1.5)
    s.line([(0.7, 0.0), (0.95, 0.42)], DARK_WOOD, 1.5)


@_kind("plate", "vessel", 0.25, 4.0, True, (0.5, 0.5))
def _plate(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.5, 0.5, 0.45, r.choice(_CERAMIC))
    s.ell(0.5, 0.45, 0.34, 0.25, WHITE)


@_kind("teapot", "vessel", 0.2, 1.45, True, (0.85, 0.45))
def _teapot(s: Sketch, r: random.Random) -> None:
    body = r.choice([(90, 140, 110), (180, 90, 60), (230, 228, 220)])
    s.poly([(0.2, 0.55), (0.0, 0.25), (0.08, 0.22), (0.3, 0.5)], body)
    s.arc(0.82, 0.55, 0.14, 0.25, -80, 80, body, 4)
    s.ell(0.5, 0.6, 0.34, 0.38, body)
    s.ell(0.5, 0.24, 0.18, 0.06, shade(body, 0.8))
    s.ell(0.5, 0.14, 0.05, 0.06, shade(body, 0.7))


@_kind("kettle", "vessel", 0.25, 1.1, True, (0.5, 0.05))
def _kettle(s: Sketch, r: random.Random) -> None:
    s.arc(0.5, 0.3, 0.28, 0.28, 180, 360, BLACK, 3)
    s.poly([(0.8, 0.6), (1.0, 0.32), (0.95, 0.3), (0.76, 0.5)], STEEL)
    s.poly([(0.15, 0.4), (0.85, 0.4), (0.95, 0.98), (0.05, 0.98)], STEEL)
    s.ell(0.5, 0.4, 0.35, 0.05, shade(STEEL, 0.8))


@_kind("bottle", "vessel", 0.3, 0.36, True, (0.5, 0.6))
def _bottle(s: Sketch, r: random.Random) -> None:
    body = r.choice([(60, 130, 80, 220), (120, 60, 40, 230), (150, 200, 220, 200)])
    s.poly([(0.35, 0.0), (0.65, 0.0), (0.65, 0.25), (0.95, 0.42), (0.95, 1.0), (0.05, 1.0),
            (0.05, 0.42), (0.35, 0.25)], body)  # fmt: skip
    s.rect(0.1, 0.55, 0.9, 0.8, PAPER)
    s.rect(0.33, 0.0, 0.67, 0.06, (180, 140, 90))


@_kind("jar", "vessel", 0.25, 0.76, True, (0.5, 0.5))
def _jar(s: Sketch, r: random.Random) -> None:
    body = r.choice([(120, 90, 60), (70, 110, 160), (190, 150, 100)])
    s.poly([(0.3, 0.0), (0.7, 0.0), (0.66, 0.14), (0.98, 0.42), (0.8, 1.0), (0.2, 1.0),
            (0.02, 0.42), (0.34, 0.14)], body)  # fmt: skip
    s.rect(0.3, 0.45, 0.7, 0.65, (230, 60, 50))


@_kind("tin", "vessel", 0.12, 0.8, True, (0.5, 0.5))
def _tin(s: Sketch, r: random.Random) -> None:
    body = r.choice([(60, 120, 90), (196, 52, 48), (212, 168, 56)])
    s.rect(0.04, 0.1, 0.96, 0.98, body)
    s.rect(0.0, 0.0, 1.0, 0.14, shade(body, 0.7))
    s.rect(0.04, 0.4, 0.96, 0.72, PAPER)
    s.ell(0.5, 0.56, 0.16, 0.1, body)


@_kind("can", "vessel", 0.12, 0.56, True, (0.5, 0.5))
def _can(s: Sketch, r: random.Random) -> None:
    body = r.choice([(200, 40, 40), (40, 120, 200), (230, 200, 60)])
    s.rect(0.02, 0.06, 0.98, 0.94, body)
    s.ell(0.5, 0.06, 0.48, 0.06, STEEL)
    s.ell(0.5, 0.94, 0.48, 0.06, STEEL)
    s.line([(0.1, 0.5), (0.9, 0.4)], WHITE, 3)


@_kind("pot", "vessel", 0.35, 1.6, False, (0.0, 0.3))
def _pot(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.26, 0.14, 0.36, BLACK)
    s.rect(0.86, 0.26, 1.0, 0.36, BLACK)
    s.rrect(0.1, 0.2, 0.9, 1.0, 0.08, IRON)
    s.ell(0.5, 0.2, 0.4, 0.08, shade(IRON, 0.6))
    s.ell(0.5, 0.06, 0.08, 0.05, BLACK)


@_kind("bucket", "vessel", 0.35, 1.0, True, (0.5, 0.0))
def _bucket(s: Sketch, r: random.Random) -> None:
    s.arc(0.5, 0.3, 0.4, 0.3, 180, 360, IRON, 2)
    s.poly([(0.06, 0.3), (0.94, 0.3), (0.84, 1.0), (0.16, 1.0)], r.choice([WOOD, STEEL, RED]))
    s.line([(0.1, 0.5), (0.9, 0.5)], IRON, 1.5)
    s.line([(0.14, 0.82), (0.86, 0.82)], IRON, 1.5)


# --- containers ------------------------------------------------------------------


@_kind("box", "container", 0.4, 1.3, True, (0.5, 0.5))
def _box(s: Sketch, r: random.Random) -> None:
    face = r.choice([(196, 160, 110), (210, 180, 130)])
    s.poly([(0.0, 0.25), (0.7, 0.25), (0.7, 1.0), (0.0, 1.0)], face)
    s.poly([(0.7, 0.25), (1.0, 0.0), (1.0, 0.75), (0.7, 1.0)], shade(face, 0.8))
    s.poly([(0.0, 0.25), (0.3, 0.0), (1.0, 0.0), (0.7, 0.25)], shade(face, 1.15))
    s.rect(0.28, 0.25, 0.42, 0.6, (220, 200, 160))


@_kind("gift", "container", 0.3, 1.0, True, (0.5, 0.5))
def _gift(s: Sketch, r: random.Random) -> None:
    paper = r.choice([RED, (60, 110, 190), (120, 60, 160)])
    s.rect(0.05, 0.3, 0.95, 1.0, paper)
    s.rect(0.0, 0.2, 1.0, 0.36, shade(paper, 0.85))
    s.rect(0.44, 0.2, 0.56, 1.0, (240, 206, 80))
    s.ell(0.36, 0.12, 0.14, 0.09, (240, 206, 80))
    s.ell(0.64, 0.12, 0.14, 0.09, (240, 206, 80))


@_kind("bag", "container", 0.4, 1.0, True, (0.5, 0.0))
def _bag(s: Sketch, r: random.Random) -> None:
    body = r.choice([(150, 90, 60), (60, 60, 70), (190, 60, 80), (220, 200, 170)])
    s.arc(0.5, 0.35, 0.28, 0.33, 180, 360, shade(body, 0.7), 3)
    s.poly([(0.12, 0.32), (0.88, 0.32), (1.0, 1.0), (0.0, 1.0)], body)
    s.rect(0.4, 0.42, 0.6, 0.5, BRASS)


@_kind("backpack", "container", 0.5, 0.8, True, (0.5, 0.05))
def _backpack(s: Sketch, r: random.Random) -> None:
    body = r.choice([(60, 110, 170), (200, 90, 50), (80, 120, 80)])
    s.arc(0.5, 0.12, 0.2, 0.1, 180, 360, shade(body, 0.7), 3)
    s.rrect(0.05, 0.1, 0.95, 1.0, 0.25, body)
    s.rrect(0.2, 0.55, 0.8, 0.92, 0.1, shade(body, 0.85))
    s.line([(0.05, 0.35), (0.95, 0.35)], shade(body, 0.7), 1)


@_kind("suitcase", "container", 0.7, 1.35, True, (0.5, 0.0))
def _suitcase(s: Sketch, r: random.Random) -> None:
    body = r.choice([(120, 70, 40), (40, 60, 100), (160, 40, 50)])
    s.rrect(0.35, 0.0, 0.65, 0.16, 0.05, BLACK)
    s.rrect(0.0, 0.12, 1.0, 1.0, 0.06, body)
    for u in (0.25, 0.75):
        s.rect(u - 0.04, 0.12, u + 0.04, 1.0, shade(body, 0.7))
    s.rect(0.45, 0.18, 0.55, 0.26, BRASS)


@_kind("basket", "container", 0.4, 1.2, True, (0.5, 0.0))
def _basket(s: Sketch, r: random.Random) -> None:
    straw = (206, 164, 100)
    s.arc(0.5, 0.45, 0.35, 0.44, 180, 360, shade(straw, 0.75), 3)
    s.ell(0.3, 0.42, 0.1, 0.1, RED)
    s.ell(0.5, 0.4, 0.1, 0.1, (240, 180, 60))
    s.poly([(0.0, 0.45), (1.0, 0.45), (0.88, 1.0), (0.12, 1.0)], straw)
    for k in range(1, 4):
        v = 0.45 + k * 0.14
        s.line([(0.03 + k * 0.03, v), (0.97 - k * 0.03, v)], shade(straw, 0.75), 0.8)


@_kind("envelope", "container", 0.2, 1.6, True, (0.5, 0.5))
def _envelope(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 1.0, r.choice([WHITE, (236, 220, 190)]))
    s.poly([(0.0, 0.0), (0.5, 0.55), (1.0, 0.0)], shade(PAPER, 0.92))
    s.ell(0.5, 0.52, 0.06, 0.1, RED)


@_kind("wallet", "container", 0.12, 1.4, True, (0.5, 0.5))
def _wallet(s: Sketch, r: random.Random) -> None:
    body = r.choice([(90, 56, 36), BLACK, (150, 40, 40)])
    s.rrect(0.0, 0.0, 1.0, 1.0, 0.08, body)
    s.rrect(0.55, 0.3, 1.0, 0.7, 0.05, shade(body, 1.2))
    s.ell(0.85, 0.5, 0.04, 0.06, BRASS)


@_kind("chest", "container", 0.8, 1.5)
def _chest(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.4, 1.0, 1.0, WOOD)
    s.pie(0.5, 0.4, 0.5, 0.4, 180, 360, DARK_WOOD)
    for u in (0.12, 0.88):
        s.rect(u - 0.04, 0.05, u + 0.04, 1.0, BRASS)
    s.rect(0.42, 0.36, 0.58, 0.55, BRASS)
    s.ell(0.5, 0.46, 0.03, 0.04, BLACK)


@_kind("crate", "container", 0.7, 1.0)
def _crate(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 1.0, (196, 150, 90))
    s.rect(0.08, 0.08, 0.92, 0.92, (210, 170, 110))
    s.line([(0.08, 0.08), (0.92, 0.92)], DARK_WOOD, 3)
    s.line([(0.92, 0.08), (0.08, 0.92)], DARK_WOOD, 3)


@_kind("barrel", "container", 0.9, 0.72)
def _barrel(s: Sketch, r: random.Random) -> None:
    s.poly([(0.1, 0.0), (0.9, 0.0), (1.0, 0.5), (0.9, 1.0), (0.1, 1.0), (0.0, 0.5)], WOOD)
    for v in (0.18, 0.82):
        s.line([(0.05, v), (0.95, v)], IRON, 2.5)
    s.line([(0.35, 0.0), (0.33, 1.0)], DARK_WOOD, 0.8)
    s.line([(0.65, 0.0), (0.67, 1.0)], DARK_WOOD, 0.8)


# --- paper -------------------------------------------------------------------------


@_kind("map", "paper", 0.5, 1.4, True, (0.1, 0.5))
def _map(s: Sketch, r: random.Random) -> None:
    s.poly([(0.0, 0.05), (0.33, 0.0), (0.66, 0.05), (1.0, 0.0), (1.0, 0.95), (0.66, 1.0),
            (0.33, 0.95), (0.0, 1.0)], (236, 222, 180))  # fmt: skip
    s.poly([(0.1, 0.3), (0.3, 0.2), (0.45, 0.35), (0.4, 0.6), (0.2, 0.7), (0.12, 0.5)], LEAF)
    s.poly([(0.6, 0.5), (0.8, 0.4), (0.9, 0.65), (0.7, 0.8)], (180, 150, 100))
    s.line([(0.25, 0.45), (0.5, 0.55), (0.62, 0.45), (0.78, 0.6)], RED, 1.2)
    s.line([(0.74, 0.56), (0.82, 0.64)], RED, 2)
    s.line([(0.82, 0.56), (0.74, 0.64)], RED, 2)
    for u in (0.33, 0.66):
        s.line([(u, 0.0), (u, 1.0)], (200, 180, 140), 0.6)


@_kind("letter", "paper", 0.25, 0.76, True, (0.5, 0.7))
def _letter(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 1.0, PAPER)
    for k in range(7):
        v = 0.15 + k * 0.1
        s.line([(0.12, v), (0.88 - (k % 3) * 0.1, v)], (90, 90, 120), 0.8)


@_kind("book", "paper", 0.25, 0.76, True, (0.3, 0.6))
def _book(s: Sketch, r: random.Random) -> None:
    cover = r.choice([(140, 40, 40), (40, 80, 130), (60, 110, 70), (120, 90, 50)])
    s.rect(0.08, 0.02, 1.0, 0.98, PAPER)
    s.rect(0.0, 0.0, 0.94, 0.96, cover)
    s.rect(0.0, 0.0, 0.1, 0.96, shade(cover, 0.7))
    s.rect(0.25, 0.15, 0.8, 0.3, BRASS)


@_kind("notebook", "paper", 0.2, 0.72, True, (0.3, 0.6))
def _notebook(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 1.0, r.choice([(250, 220, 90), (230, 120, 140), (120, 180, 220)]))
    s.rect(0.18, 0.06, 0.94, 0.94, WHITE)
    for k in range(8):
        s.ell(0.08, 0.08 + k * 0.12, 0.05, 0.03, None)


@_kind("ticket", "paper", 0.12, 2.0, True, (0.2, 0.5))
def _ticket(s: Sketch, r: random.Random) -> None:
    colour = r.choice([(240, 200, 120), (180, 220, 240), (240, 170, 170)])
    s.rect(0.0, 0.0, 1.0, 1.0, colour)
    s.line([(0.72, 0.0), (0.72, 1.0)], INK, 0.7)
    s.rect(0.08, 0.2, 0.6, 0.36, shade(colour, 0.7), ink=False)
    s.rect(0.08, 0.5, 0.45, 0.6, shade(colour, 0.7), ink=False)
    s.rect(0.08, 0.7, 0.55, 0.8, shade(colour, 0.7), ink=False)
    for k in range(5):
        s.rect(0.78 + k * 0.035, 0.2, 0.795 + k * 0.035, 0.8, INK, ink=False)


@_kind("photo", "paper", 0.15, 0.82, True, (0.5, 0.9))
def _photo(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 1.0, WHITE)
    s.rect(0.08, 0.07, 0.92, 0.76, SKY, ink=False)
    s.poly([(0.08, 0.76), (0.35, 0.4), (0.6, 0.76)], GREEN, ink=False)
    s.ell(0.64, 0.42, 0.1, 0.08, (240, 200, 160))
    s.rect(0.56, 0.5, 0.72, 0.76, RED, ink=False)


@_kind("newspaper", "paper", 0.5, 0.76, True, (0.5, 0.5))
def _newspaper(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 1.0, (230, 228, 218))
    s.rect(0.08, 0.05, 0.92, 0.16, BLACK, ink=False)
    s.rect(0.08, 0.22, 0.5, 0.52, (150, 150, 150), ink=False)
    for k in range(10):
        v = 0.24 + k * 0.07
        u0 = 0.56 if v < 0.54 else 0.08
        s.line([(u0, v), (0.92, v)], (110, 110, 110), 0.7)


@_kind("scroll", "paper", 0.5, 0.36, True, (0.5, 0.05))
def _scroll(s: Sketch, r: random.Random) -> None:
    s.rect(0.08, 0.06, 0.92, 0.94, (238, 226, 190))
    for k in range(4):  # columns of writing, top to bottom
        u = 0.75 - k * 0.17
        for j in range(6):
            s.rect(u - 0.04, 0.15 + j * 0.12, u + 0.04, 0.2 + j * 0.12, INK, ink=False)
    s.rrect(0.0, 0.0, 1.0, 0.07, 0.04, DARK_WOOD)
    s.rrect(0.0, 0.93, 1.0, 1.0, 0.04, DARK_WOOD)


@_kind("painting", "paper", 0.8, 1.3)
def _painting(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 1.0, BRASS)
    s.rect(0.07, 0.09, 0.93, 0.91, (250, 220, 170), ink=False)
    s.poly([(0.07, 0.91), (0.3, 0.4), (0.5, 0.7), (0.7, 0.3), (0.93, 0.91)], (90, 130, 150))
    s.ell(0.78, 0.25, 0.06, 0.08, (240, 120, 60), ink=False)


@_kind("poster", "paper", 0.8, 0.72)
def _poster(s: Sketch, r: random.Random) -> None:
    colour = r.choice([(230, 80, 70), (70, 120, 200), (240, 190, 60)])
    s.rect(0.0, 0.0, 1.0, 1.0, colour)
    s.rect(0.1, 0.08, 0.9, 0.2, WHITE, ink=False)
    s.ell(0.5, 0.55, 0.25, 0.2, shade(colour, 1.4), ink=False)
    s.rect(0.2, 0.84, 0.8, 0.9, WHITE, ink=False)


# --- furniture --------------------------------------------------------------------


@_kind("table", "furniture", 1.2, 1.6)
def _table(s: Sketch, r: random.Random) -> None:
    wood = r.choice([WOOD, (180, 140, 100), DARK_WOOD])
    for u in (0.08, 0.86):
        s.rect(u, 0.1, u + 0.06, 1.0, shade(wood, 0.8))
    s.rect(0.0, 0.0, 1.0, 0.1, wood)
    s.rect(0.06, 0.1, 0.94, 0.18, shade(wood, 0.85))


@_kind("chair", "furniture", 0.9, 0.55)
def _chair(s: Sketch, r: random.Random) -> None:
    wood = r.choice([WOOD, DARK_WOOD, (170, 80, 60)])
    s.rect(0.72, 0.0, 0.86, 1.0, shade(wood, 0.85))
    s.rect(0.1, 0.52, 0.22, 1.0, shade(wood, 0.8))
    s.rect(0.05, 0.48, 0.95, 0.56, wood)
    s.rect(0.74, 0.08, 0.84, 0.44, shade(wood, 1.15))


@_kind("bench", "furniture", 1.6, 2.6)
def _bench(s: Sketch, r: random.Random) -> None:
    for v in (0.05, 0.2):
        s.rect(0.0, v, 1.0, v + 0.1, WOOD)
    s.rect(0.0, 0.45, 1.0, 0.56, WOOD)
    for u in (0.08, 0.88):
        s.rect(u, 0.0, u + 0.04, 1.0, IRON)


@_kind("bed", "furniture", 2.0, 2.2)
def _bed(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 0.08, 1.0, DARK_WOOD)
    s.rect(0.92, 0.3, 1.0, 1.0, DARK_WOOD)
    s.rect(0.05, 0.45, 0.95, 0.8, WHITE)
    s.rrect(0.09, 0.32, 0.32, 0.48, 0.05, (236, 236, 250))
    s.rect(0.3, 0.4, 0.96, 0.75, r.choice([(120, 150, 210), (210, 140, 150)]))
    s.rect(0.05, 0.8, 0.95, 0.88, DARK_WOOD)


@_kind("desk", "furniture", 1.4, 1.7)
def _desk(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 0.1, WOOD)
    s.rect(0.62, 0.1, 0.98, 1.0, shade(WOOD, 0.85))
    for v in (0.3, 0.6):
        s.rect(0.66, v - 0.12, 0.94, v + 0.12, shade(WOOD, 0.95))
        s.ell(0.8, v, 0.03, 0.03, BRASS)
    s.rect(0.04, 0.1, 0.1, 1.0, shade(WOOD, 0.8))


@_kind("sofa", "furniture", 2.0, 2.4)
def _sofa(s: Sketch, r: random.Random) -> None:
    cloth = r.choice([(160, 70, 60), (70, 100, 140), (110, 130, 90)])
    s.rrect(0.06, 0.0, 0.94, 0.6, 0.06, shade(cloth, 0.85))
    s.rrect(0.0, 0.4, 1.0, 0.9, 0.04, cloth)
    s.rrect(0.0, 0.3, 0.12, 0.9, 0.05, shade(cloth, 1.1))
    s.rrect(0.88, 0.3, 1.0, 0.9, 0.05, shade(cloth, 1.1))
    s.line([(0.5, 0.4), (0.5, 0.88)], shade(cloth, 0.7), 0.8)
    for u in (0.08, 0.88):
        s.rect(u, 0.9, u + 0.04, 1.0, DARK_WOOD)


@_kind("stool", "furniture", 0.5, 0.8)
def _stool(s: Sketch, r: random.Random) -> None:
    s.line([(0.2, 0.12), (0.05, 1.0)], WOOD, 3)
    s.line([(0.8, 0.12), (0.95, 1.0)], WOOD, 3)
    s.line([(0.12, 0.6), (0.88, 0.6)], WOOD, 2)
    s.ell(0.5, 0.1, 0.48, 0.1, r.choice([RED, WOOD, (60, 110, 170)]))


@_kind("shelf", "furniture", 1.8, 0.7)
def _shelf(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 1.0, DARK_WOOD)
    s.rect(0.06, 0.04, 0.94, 0.98, shade(DARK_WOOD, 0.7))
    colours = [(180, 60, 50), (60, 100, 160), (200, 170, 80), (80, 140, 90), (150, 90, 140)]
    for k in range(4):
        v = 0.25 + k * 0.24
        s.rect(0.04, v - 0.02, 0.96, v + 0.01, WOOD)
        u = 0.08
        for j in range(6):
            w = 0.06 + ((k + j) % 3) * 0.02
            s.rect(u, v - 0.18 + (j % 2) * 0.02, u + w, v - 0.02, colours[(k + j) % 5])
            u += w + 0.02


@_kind("cabinet", "furniture", 1.5, 0.62)
def _cabinet(s: Sketch, r: random.Random) -> None:
    wood = r.choice([WOOD, (210, 210, 206), (120, 80, 50)])
    s.rect(0.0, 0.0, 1.0, 0.97, wood)
    s.rect(0.05, 0.04, 0.48, 0.92, shade(wood, 0.92))
    s.rect(0.52, 0.04, 0.95, 0.92, shade(wood, 0.92))
    s.ell(0.44, 0.5, 0.02, 0.02, BRASS)
    s.ell(0.56, 0.5, 0.02, 0.02, BRASS)
    s.rect(0.03, 0.97, 0.97, 1.0, shade(wood, 0.6))


@_kind("clock", "furniture", 0.4, 1.0, True)
def _clock(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.5, 0.5, 0.5, r.choice([WOOD, RED, BRASS]))
    s.ell(0.5, 0.5, 0.42, 0.42, WHITE)
    for k in range(12):
        a = math.radians(k * 30)
        s.line([(0.5 + 0.34 * math.cos(a), 0.5 + 0.34 * math.sin(a)),
                (0.5 + 0.39 * math.cos(a), 0.5 + 0.39 * math.sin(a))], INK, 1)  # fmt: skip
    s.line([(0.5, 0.5), (0.5, 0.22)], INK, 2)
    s.line([(0.5, 0.5), (0.7, 0.58)], INK, 2.5)


@_kind("door", "furniture", 2.0, 0.48)
def _door(s: Sketch, r: random.Random) -> None:
    wood = r.choice([WOOD, (150, 40, 40), (60, 90, 120)])
    s.rect(0.0, 0.0, 1.0, 1.0, wood)
    s.rect(0.12, 0.06, 0.88, 0.45, shade(wood, 0.9))
    s.rect(0.12, 0.52, 0.88, 0.94, shade(wood, 0.9))
    s.ell(0.8, 0.5, 0.05, 0.025, BRASS)


@_kind("window", "furniture", 1.2, 1.0)
def _window(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 1.0, WHITE)
    s.rect(0.07, 0.07, 0.93, 0.93, SKY)
    s.ell(0.7, 0.3, 0.12, 0.08, WHITE, ink=False)
    s.rect(0.47, 0.0, 0.53, 1.0, WHITE)
    s.rect(0.0, 0.47, 1.0, 0.53, WHITE)


@_kind("mirror", "furniture", 0.8, 0.62)
def _mirror(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.5, 0.5, 0.5, BRASS)
    s.ell(0.5, 0.5, 0.42, 0.44, (200, 220, 230))
    s.line([(0.3, 0.35), (0.45, 0.2)], WHITE, 2)
    s.line([(0.32, 0.5), (0.58, 0.24)], WHITE, 1.5)


@_kind("curtain", "furniture", 2.0, 0.8)
def _curtain(s: Sketch, r: random.Random) -> None:
    cloth = r.choice([(160, 40, 50), (60, 90, 140), (200, 170, 110)])
    s.rect(0.0, 0.0, 1.0, 0.04, BRASS)
    for k in range(6):
        u = k / 6
        s.poly([(u, 0.04), (u + 1 / 6, 0.04), (u + 1 / 6 + 0.02, 1.0), (u + 0.02, 1.0)],
               shade(cloth, 0.85 + 0.1 * (k % 2)))  # fmt: skip


@_kind("stall", "furniture", 2.0, 1.2)
def _stall(s: Sketch, r: random.Random) -> None:
    awning = r.choice([RED, (60, 130, 90), (60, 100, 170)])
    s.rect(0.04, 0.1, 0.08, 1.0, DARK_WOOD)
    s.rect(0.92, 0.1, 0.96, 1.0, DARK_WOOD)
    s.rect(0.0, 0.55, 1.0, 1.0, WOOD)
    for k in range(5):
        s.ell(0.14 + k * 0.18, 0.5, 0.07, 0.06, [RED, (240, 180, 60), LEAF][k % 3])
    s.poly([(0.0, 0.0), (1.0, 0.0), (1.05, 0.22), (-0.05, 0.22)], awning)
    for k in range(5):
        s.rect(0.0 + k * 0.2, 0.0, 0.1 + k * 0.2, 0.22, WHITE, ink=False)
    s.pie(0.5, 0.22, 0.55, 0.05, 0, 180, awning)


# --- vehicles ----------------------------------------------------------------------


def _wheel(s: Sketch, u: float, v: float, r: float, spokes: bool = False) -> None:
    rv = r * s.w / max(s.h, 1e-6)
    s.ell(u, v, r, rv, BLACK)
    s.ell(u, v, r * 0.5, rv * 0.5, STEEL if not spokes else None)
    if spokes:
        for k in range(4):
            a = math.radians(k * 45)
            s.line([(u - r * math.cos(a), v - rv * math.sin(a)),
                    (u + r * math.cos(a), v + rv * math.sin(a))], STEEL, 0.6)  # fmt: skip


def _car_body(s: Sketch, paint: RGB, roof: float) -> None:
    s.poly([(0.02, 0.55), (0.08, 0.42), (0.25, 0.38), (0.34, roof), (0.68, roof), (0.8, 0.4),
            (0.96, 0.45), (0.99, 0.62), (0.98, 0.82), (0.02, 0.82)], paint)  # fmt: skip
    s.poly([(0.36, roof + 0.05), (0.5, roof + 0.05), (0.5, 0.4), (0.29, 0.4)], SKY)
    s.poly([(0.53, roof + 0.05), (0.66, roof + 0.05), (0.76, 0.4), (0.53, 0.4)], SKY)
    s.ell(0.96, 0.52, 0.02, 0.04, FLAME_CORE)
    _wheel(s, 0.22, 0.82, 0.09)
    _wheel(s, 0.78, 0.82, 0.09)


@_kind("car", "vehicle", 4.5, 2.4)
def _car(s: Sketch, r: random.Random) -> None:
    _car_body(s, r.choice([RED, (60, 100, 170), (230, 230, 225), (40, 40, 44)]), 0.1)


@_kind("taxi", "vehicle", 4.5, 2.4)
def _taxi(s: Sketch, r: random.Random) -> None:
    _car_body(s, (240, 200, 50), 0.14)
    s.rect(0.44, 0.02, 0.58, 0.14, WHITE)
    for k in range(6):
        s.rect(0.1 + k * 0.14, 0.62, 0.17 + k * 0.14, 0.68, BLACK, ink=False)


@_kind("truck", "vehicle", 8.0, 2.3)
def _truck(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.05, 0.66, 0.8, r.choice([WHITE, (200, 200, 190), (70, 120, 80)]))
    s.poly([(0.68, 0.25), (0.88, 0.25), (1.0, 0.5), (1.0, 0.8), (0.68, 0.8)], RED)
    s.poly([(0.72, 0.3), (0.86, 0.3), (0.95, 0.5), (0.72, 0.5)], SKY)
    for u in (0.15, 0.5, 0.86):
        _wheel(s, u, 0.84, 0.07)


@_kind("bus", "vehicle", 12.0, 2.8)
def _bus(s: Sketch, r: random.Random) -> None:
    paint = r.choice([(60, 140, 90), (220, 140, 40), RED])
    s.rrect(0.0, 0.05, 1.0, 0.85, 0.03, paint)
    for k in range(6):
        s.rect(0.04 + k * 0.14, 0.15, 0.15 + k * 0.14, 0.45, SKY)
    s.rect(0.9, 0.15, 0.98, 0.75, SKY)
    s.rect(0.0, 0.55, 1.0, 0.6, WHITE, ink=False)
    _wheel(s, 0.18, 0.85, 0.06)
    _wheel(s, 0.8, 0.85, 0.06)


@_kind("train", "vehicle", 25.0, 4.0)
def _train(s: Sketch, r: random.Random) -> None:
    paint = r.choice([(60, 100, 160), (180, 50, 50), (220, 220, 215)])
    s.poly([(0.0, 0.1), (0.86, 0.1), (1.0, 0.5), (1.0, 0.85), (0.0, 0.85)], paint)
    for k in range(7):
        s.rrect(0.03 + k * 0.11, 0.22, 0.11 + k * 0.11, 0.5, 0.01, SKY)
    s.poly([(0.88, 0.2), (0.96, 0.48), (0.88, 0.48)], SKY)
    s.rect(0.0, 0.62, 1.0, 0.68, WHITE, ink=False)
    for u in (0.1, 0.2, 0.7, 0.8):
        _wheel(s, u, 0.9, 0.025)


@_kind("cart", "vehicle", 1.5, 1.6)
def _cart(s: Sketch, r: random.Random) -> None:
    s.line([(0.85, 0.35), (1.0, 0.05)], DARK_WOOD, 3)
    s.poly([(0.0, 0.2), (0.85, 0.2), (0.8, 0.7), (0.05, 0.7)], WOOD)
    for k in range(3):
        s.line([(0.05, 0.33 + k * 0.12), (0.82, 0.33 + k * 0.12)], DARK_WOOD, 0.8)
    _wheel(s, 0.42, 0.76, 0.22, spokes=True)


@_kind("noodle_cart", "vehicle", 1.8, 1.3)
def _noodle_cart(s: Sketch, r: random.Random) -> None:
    s.rect(0.04, 0.08, 0.08, 0.55, DARK_WOOD)
    s.rect(0.92, 0.08, 0.96, 0.55, DARK_WOOD)
    s.poly([(-0.02, 0.0), (1.02, 0.0), (0.98, 0.12), (0.02, 0.12)], RED)
    for k in range(4):
        _lantern(Sketch(s.pen, s.pt(0.2 + k * 0.2, 0.22), (s.w * 0.07, s.h * 0.12),
                        max_line=s.lw), r)  # fmt: skip
    s.rect(0.0, 0.5, 1.0, 0.85, WOOD)
    s.rect(0.05, 0.55, 0.6, 0.8, shade(WOOD, 0.85))
    s.ell(0.78, 0.46, 0.14, 0.05, IRON)
    s.poly([(0.7, 0.44), (0.66, 0.3), (0.74, 0.36), (0.78, 0.26), (0.82, 0.36), (0.86, 0.44)],
           (240, 240, 240, 150), ink=False)  # fmt: skip
    s.rect(0.1, 0.6, 0.5, 0.7, (240, 220, 160), ink=False)
    _wheel(s, 0.25, 0.88, 0.09, spokes=True)
    _wheel(s, 0.75, 0.88, 0.09, spokes=True)


@_kind("bicycle", "vehicle", 1.7, 1.7)
def _bicycle(s: Sketch, r: random.Random) -> None:
    frame = r.choice([RED, (60, 110, 170), (60, 150, 90)])
    for u in (0.2, 0.8):
        s.ell(u, 0.7, 0.19, 0.3, None)
        s.arc(u, 0.7, 0.19, 0.3, 0, 360, BLACK, 2.5)
    s.line([(0.2, 0.7), (0.45, 0.7), (0.36, 0.36), (0.2, 0.7)], frame, 2.5)
    s.line([(0.45, 0.7), (0.72, 0.36), (0.36, 0.36)], frame, 2.5)
    s.line([(0.8, 0.7), (0.7, 0.2), (0.62, 0.18)], frame, 2.5)
    s.rect(0.3, 0.28, 0.44, 0.32, BLACK)


@_kind("motorcycle", "vehicle", 2.0, 1.7)
def _motorcycle(s: Sketch, r: random.Random) -> None:
    paint = r.choice([RED, BLACK, (60, 110, 170)])
    _wheel(s, 0.2, 0.72, 0.18)
    _wheel(s, 0.8, 0.72, 0.18)
    s.poly([(0.25, 0.5), (0.45, 0.38), (0.7, 0.4), (0.75, 0.62), (0.3, 0.68)], paint)
    s.rrect(0.2, 0.34, 0.48, 0.42, 0.03, BLACK)
    s.line([(0.8, 0.72), (0.7, 0.2), (0.6, 0.18)], IRON, 2.5)
    s.ell(0.76, 0.32, 0.04, 0.06, FLAME_CORE)


@_kind("boat", "vehicle", 5.0, 2.6)
def _boat(s: Sketch, r: random.Random) -> None:
    s.rect(0.46, 0.0, 0.5, 0.6, DARK_WOOD)
    s.poly([(0.5, 0.04), (0.9, 0.55), (0.5, 0.55)], WHITE)
    s.poly(
        [(0.0, 0.55), (1.0, 0.55), (0.85, 1.0), (0.12, 1.0)], r.choice([WOOD, RED, (60, 110, 170)])
    )
    s.line([(0.04, 0.68), (0.96, 0.68)], shade(WOOD, 0.6), 1)


@_kind("ship", "vehicle", 40.0, 2.8)
def _ship(s: Sketch, r: random.Random) -> None:
    s.poly([(0.0, 0.55), (1.0, 0.5), (0.9, 1.0), (0.08, 1.0)], BLACK)
    s.rect(0.0, 0.62, 1.0, 0.68, RED, ink=False)
    s.rect(0.25, 0.3, 0.7, 0.55, WHITE)
    for k in range(6):
        s.ell(0.3 + k * 0.07, 0.42, 0.015, 0.03, SKY)
    s.rect(0.45, 0.05, 0.55, 0.3, RED)


@_kind("plane", "vehicle", 30.0, 3.0)
def _plane(s: Sketch, r: random.Random) -> None:
    s.poly([(0.35, 0.5), (0.6, 0.5), (0.4, 1.0), (0.3, 1.0)], (190, 196, 206))
    s.poly([(0.02, 0.3), (0.1, 0.0), (0.2, 0.0), (0.22, 0.4)], (190, 196, 206))
    s.rrect(0.0, 0.35, 1.0, 0.6, 0.12, WHITE)
    for k in range(10):
        s.ell(0.25 + k * 0.06, 0.44, 0.01, 0.03, SKY, ink=False)
    s.rect(0.0, 0.5, 1.0, 0.54, (60, 100, 170), ink=False)


@_kind("carriage", "vehicle", 4.0, 1.6)
def _carriage(s: Sketch, r: random.Random) -> None:
    s.rrect(0.15, 0.05, 0.85, 0.65, 0.05, r.choice([(120, 40, 40), DARK_WOOD, (40, 60, 100)]))
    s.rect(0.25, 0.15, 0.5, 0.4, SKY)
    s.rect(0.55, 0.15, 0.78, 0.4, SKY)
    s.line([(0.85, 0.6), (1.0, 0.55)], DARK_WOOD, 2)
    _wheel(s, 0.25, 0.8, 0.13, spokes=True)
    _wheel(s, 0.75, 0.8, 0.13, spokes=True)


@_kind("spaceship", "vehicle", 30.0, 1.6)
def _spaceship(s: Sketch, r: random.Random) -> None:
    s.poly([(0.5, 0.0), (0.7, 0.3), (0.7, 0.8), (0.3, 0.8), (0.3, 0.3)], (220, 224, 230))
    s.poly([(0.3, 0.55), (0.1, 0.9), (0.3, 0.8)], RED)
    s.poly([(0.7, 0.55), (0.9, 0.9), (0.7, 0.8)], RED)
    s.ell(0.5, 0.4, 0.07, 0.06, SKY)
    _flame(s, 0.5, 0.8, -0.1, -0.2)


# --- devices ---------------------------------------------------------------------


@_kind("phone", "device", 0.15, 0.5, True, (0.5, 0.6))
def _phone(s: Sketch, r: random.Random) -> None:
    s.rrect(0.0, 0.0, 1.0, 1.0, 0.15, r.choice([BLACK, (220, 220, 225), (60, 80, 130)]))
    s.rrect(0.08, 0.08, 0.92, 0.9, 0.05, (90, 150, 220), ink=False)
    s.rect(0.2, 0.2, 0.45, 0.3, WHITE, ink=False)
    s.rect(0.2, 0.38, 0.8, 0.45, WHITE, ink=False)
    s.ell(0.5, 0.95, 0.06, 0.02, (120, 120, 120), ink=False)


@_kind("laptop", "device", 0.35, 1.45, True, (0.5, 0.9))
def _laptop(s: Sketch, r: random.Random) -> None:
    s.rrect(0.08, 0.0, 0.92, 0.82, 0.02, (60, 62, 70))
    s.rect(0.12, 0.05, 0.88, 0.76, (90, 150, 220), ink=False)
    s.rect(0.16, 0.1, 0.5, 0.2, WHITE, ink=False)
    s.poly([(0.0, 0.88), (1.0, 0.88), (0.94, 1.0), (0.06, 1.0)], (180, 182, 190))
    s.rect(0.0, 0.82, 1.0, 0.88, (150, 152, 160))


@_kind("tablet", "device", 0.25, 0.76, True, (0.5, 0.6))
def _tablet(s: Sketch, r: random.Random) -> None:
    s.rrect(0.0, 0.0, 1.0, 1.0, 0.06, BLACK)
    s.rect(0.06, 0.06, 0.94, 0.94, (230, 170, 100), ink=False)
    s.ell(0.5, 0.45, 0.25, 0.2, (250, 220, 150), ink=False)


@_kind("radio", "device", 0.3, 1.5, True, (0.5, 0.0))
def _radio(s: Sketch, r: random.Random) -> None:
    s.line([(0.8, 0.25), (0.95, 0.0)], STEEL, 1)
    s.arc(0.5, 0.25, 0.3, 0.2, 180, 360, BLACK, 2)
    s.rrect(0.0, 0.25, 1.0, 1.0, 0.06, r.choice([(170, 60, 50), (80, 110, 90), (200, 180, 150)]))
    s.ell(0.3, 0.62, 0.2, 0.28, (60, 56, 52))
    s.rect(0.58, 0.4, 0.92, 0.55, (240, 220, 150))
    s.ell(0.66, 0.78, 0.05, 0.08, WHITE)
    s.ell(0.84, 0.78, 0.05, 0.08, WHITE)


@_kind("camera", "device", 0.15, 1.4, True, (0.3, 0.6))
def _camera(s: Sketch, r: random.Random) -> None:
    s.rect(0.15, 0.05, 0.4, 0.2, BLACK)
    s.rrect(0.0, 0.15, 1.0, 1.0, 0.08, BLACK)
    s.rect(0.0, 0.35, 1.0, 0.45, (140, 110, 80), ink=False)
    s.ell(0.55, 0.58, 0.27, 0.36, STEEL)
    s.ell(0.55, 0.58, 0.17, 0.23, (40, 60, 90))
    s.ell(0.5, 0.5, 0.05, 0.06, WHITE, ink=False)


@_kind("television", "device", 1.0, 1.5)
def _television(s: Sketch, r: random.Random) -> None:
    s.rrect(0.0, 0.0, 1.0, 0.88, 0.03, BLACK)
    s.rect(0.04, 0.05, 0.96, 0.82, (90, 150, 200), ink=False)
    s.poly([(0.04, 0.82), (0.4, 0.45), (0.6, 0.7), (0.75, 0.55), (0.96, 0.82)], GREEN, ink=False)
    s.rect(0.4, 0.88, 0.6, 0.95, IRON)
    s.rect(0.3, 0.95, 0.7, 1.0, IRON)


@_kind("watch", "device", 0.05, 0.55, True, (0.5, 0.5))
def _watch(s: Sketch, r: random.Random) -> None:
    s.rect(0.25, 0.0, 0.75, 1.0, r.choice([(90, 60, 40), BLACK, STEEL]))
    s.ell(0.5, 0.5, 0.5, 0.3, BRASS)
    s.ell(0.5, 0.5, 0.4, 0.24, WHITE)
    s.line([(0.5, 0.5), (0.5, 0.34)], INK, 1)
    s.line([(0.5, 0.5), (0.68, 0.56)], INK, 1)


@_kind("headphones", "device", 0.2, 1.0, True, (0.5, 0.1))
def _headphones(s: Sketch, r: random.Random) -> None:
    s.arc(0.5, 0.55, 0.4, 0.5, 180, 360, BLACK, 4)
    colour = r.choice([RED, WHITE, (60, 110, 170)])
    s.rrect(0.0, 0.5, 0.22, 1.0, 0.08, colour)
    s.rrect(0.78, 0.5, 1.0, 1.0, 0.08, colour)


@_kind("microphone", "device", 0.2, 0.3, True, (0.5, 0.7))
def _microphone(s: Sketch, r: random.Random) -> None:
    s.poly([(0.3, 0.35), (0.7, 0.35), (0.58, 1.0), (0.42, 1.0)], BLACK)
    s.ell(0.5, 0.2, 0.48, 0.2, (170, 174, 182))
    for k in range(3):
        s.line([(0.1, 0.12 + k * 0.07), (0.9, 0.12 + k * 0.07)], IRON, 0.6)


@_kind("robot", "device", 1.5, 0.62)
def _robot(s: Sketch, r: random.Random) -> None:
    metal = r.choice([(190, 196, 206), (230, 200, 80), (120, 160, 200)])
    s.line([(0.5, 0.0), (0.5, 0.08)], IRON, 1.5)
    s.ell(0.5, 0.02, 0.04, 0.02, RED)
    s.rrect(0.25, 0.08, 0.75, 0.3, 0.06, metal)
    s.ell(0.4, 0.19, 0.06, 0.04, SKY)
    s.ell(0.6, 0.19, 0.06, 0.04, SKY)
    s.rrect(0.15, 0.34, 0.85, 0.7, 0.06, metal)
    s.rect(0.35, 0.44, 0.65, 0.58, (60, 70, 80))
    s.rect(0.0, 0.36, 0.12, 0.62, shade(metal, 0.8))
    s.rect(0.88, 0.36, 1.0, 0.62, shade(metal, 0.8))
    s.rect(0.25, 0.7, 0.42, 1.0, shade(metal, 0.8))
    s.rect(0.58, 0.7, 0.75, 1.0, shade(metal, 0.8))


# --- instruments -------------------------------------------------------------------


@_kind("guitar", "instrument", 1.0, 0.38, True, (0.5, 0.55))
def _guitar(s: Sketch, r: random.Random) -> None:
    s.rect(0.42, 0.0, 0.58, 0.55, DARK_WOOD)
    s.ell(0.5, 0.62, 0.36, 0.12, r.choice([(210, 150, 80), (180, 60, 40), (60, 60, 64)]))
    s.ell(0.5, 0.82, 0.5, 0.17, r.choice([(210, 150, 80), (180, 60, 40)]))
    s.ell(0.5, 0.68, 0.14, 0.05, BLACK)
    s.rect(0.35, 0.86, 0.65, 0.89, DARK_WOOD)
    s.line([(0.5, 0.02), (0.5, 0.87)], WHITE, 0.4)


@_kind("piano", "instrument", 1.5, 1.4)
def _piano(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 1.0, 0.55, BLACK)
    s.rect(0.0, 0.55, 1.0, 0.7, WHITE)
    for k in range(1, 16):
        u = k / 16
        s.line([(u, 0.55), (u, 0.7)], INK, 0.5)
        if k % 7 not in (3, 0):
            s.rect(u - 0.015, 0.55, u + 0.015, 0.64, BLACK, ink=False)
    s.rect(0.0, 0.7, 1.0, 0.78, BLACK)
    s.rect(0.05, 0.78, 0.1, 1.0, BLACK)
    s.rect(0.9, 0.78, 0.95, 1.0, BLACK)


@_kind("drum", "instrument", 0.6, 1.0)
def _drum(s: Sketch, r: random.Random) -> None:
    s.rect(0.05, 0.2, 0.95, 0.85, r.choice([RED, (200, 60, 40), (60, 80, 150)]))
    for k in range(5):
        s.line([(0.05 + k * 0.225, 0.25), (0.16 + k * 0.225, 0.8)], BRASS, 1)
    s.ell(0.5, 0.85, 0.45, 0.1, shade(RED, 0.7))
    s.ell(0.5, 0.2, 0.45, 0.1, (236, 220, 190))
    s.line([(0.7, 0.0), (0.55, 0.18)], WOOD, 2)


@_kind("flute", "instrument", 0.6, 0.07, True, (0.5, 0.6))
def _flute(s: Sketch, r: random.Random) -> None:
    s.rrect(0.1, 0.0, 0.9, 1.0, 0.3, r.choice([(200, 180, 100), STEEL]))
    for k in range(6):
        s.ell(0.5, 0.2 + k * 0.1, 0.22, 0.015, BLACK, ink=False)


@_kind("violin", "instrument", 0.6, 0.4, True, (0.5, 0.3))
def _violin(s: Sketch, r: random.Random) -> None:
    s.rect(0.44, 0.0, 0.56, 0.4, BLACK)
    s.ell(0.5, 0.52, 0.38, 0.16, (170, 80, 30))
    s.ell(0.5, 0.78, 0.48, 0.2, (170, 80, 30))
    s.rect(0.4, 0.6, 0.6, 0.65, (160, 70, 24), ink=False)
    s.arc(0.32, 0.65, 0.06, 0.08, 90, 270, BLACK, 1)
    s.arc(0.68, 0.65, 0.06, 0.08, -90, 90, BLACK, 1)
    s.line([(0.5, 0.0), (0.5, 0.9)], WHITE, 0.4)


@_kind("erhu", "instrument", 0.8, 0.3, True, (0.5, 0.7))
def _erhu(s: Sketch, r: random.Random) -> None:
    s.rect(0.46, 0.0, 0.54, 0.85, DARK_WOOD)
    s.rect(0.3, 0.08, 0.7, 0.11, DARK_WOOD)
    s.rect(0.3, 0.16, 0.7, 0.19, DARK_WOOD)
    s.rect(0.3, 0.82, 0.7, 1.0, (120, 50, 30))
    s.rect(0.32, 0.84, 0.68, 0.98, (210, 200, 180), ink=False)
    s.line([(0.0, 0.5), (1.0, 0.9)], (230, 220, 190), 0.8)


@_kind("guzheng", "instrument", 1.6, 3.0)
def _guzheng(s: Sketch, r: random.Random) -> None:
    s.poly([(0.0, 0.3), (1.0, 0.15), (1.0, 0.6), (0.0, 0.75)], WOOD)
    for k in range(8):
        u = 0.1 + k * 0.1
        s.line([(0.02, 0.38 + k * 0.04), (0.98, 0.2 + k * 0.045)], WHITE, 0.4)
        s.poly([(u, 0.35 + k * 0.03), (u + 0.02, 0.4 + k * 0.03), (u - 0.02, 0.4 + k * 0.03)],
               WHITE)  # fmt: skip
    s.rect(0.05, 0.72, 0.1, 1.0, DARK_WOOD)
    s.rect(0.9, 0.58, 0.95, 1.0, DARK_WOOD)


@_kind("bell", "instrument", 0.8, 0.8, False, (0.5, 0.05))
def _bell(s: Sketch, r: random.Random) -> None:
    metal = r.choice([BRASS, (150, 110, 60), (96, 120, 100)])  # brass, bronze, verdigris
    s.arc(0.5, 0.08, 0.1, 0.08, 180, 360, shade(metal, 0.7), 2)
    s.ell(0.5, 0.16, 0.16, 0.08, metal)  # the dome
    s.poly(
        [(0.34, 0.16), (0.66, 0.16), (0.74, 0.5), (0.84, 0.86), (0.16, 0.86), (0.26, 0.5)], metal
    )
    s.rect(0.1, 0.84, 0.9, 0.92, shade(metal, 0.8))
    for v in (0.3, 0.62):
        s.line([(0.3, v), (0.7, v)], shade(metal, 0.6), 0.8)
    s.ell(0.5, 0.96, 0.07, 0.05, IRON)  # the clapper


@_kind("trumpet", "instrument", 0.5, 2.2, True, (0.4, 0.6))
def _trumpet(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.4, 0.8, 0.55, BRASS)
    s.poly([(0.7, 0.42), (1.0, 0.05), (1.0, 0.95), (0.7, 0.53)], BRASS)
    s.ell(1.0, 0.5, 0.03, 0.45, shade(BRASS, 0.7))
    for u in (0.35, 0.45, 0.55):
        s.rect(u - 0.02, 0.15, u + 0.02, 0.4, BRASS)
    s.rrect(0.3, 0.55, 0.6, 0.8, 0.04, None)


# --- food -------------------------------------------------------------------------


@_kind("noodles", "food", 0.2, 1.3, True, (0.5, 0.8))
def _noodles(s: Sketch, r: random.Random) -> None:
    s.line([(0.55, 0.0), (0.45, 0.42)], DARK_WOOD, 1.5)
    s.line([(0.65, 0.0), (0.5, 0.42)], DARK_WOOD, 1.5)
    s.pie(0.5, 0.42, 0.48, 0.55, 0, 180, (230, 70, 50))
    s.ell(0.5, 0.42, 0.48, 0.14, (210, 150, 80))
    for k in range(5):
        s.arc(0.3 + k * 0.1, 0.42, 0.06, 0.1, 180, 360, (250, 230, 160), 1.2)
    s.ell(0.32, 0.38, 0.08, 0.05, (250, 250, 240))
    s.ell(0.7, 0.4, 0.07, 0.05, LEAF)


@_kind("bread", "food", 0.3, 2.0, True, (0.5, 0.5))
def _bread(s: Sketch, r: random.Random) -> None:
    s.rrect(0.0, 0.15, 1.0, 1.0, 0.25, r.choice([(214, 160, 90), (200, 140, 80)]))
    for k in range(3):
        s.line([(0.25 + k * 0.22, 0.3), (0.35 + k * 0.22, 0.6)], (240, 210, 150), 1.5)


@_kind("apple", "food", 0.08, 1.0, True, (0.5, 0.5))
def _apple(s: Sketch, r: random.Random) -> None:
    s.ell(0.35, 0.58, 0.33, 0.4, r.choice([RED, (120, 190, 70)]))
    s.ell(0.65, 0.58, 0.33, 0.4, r.choice([RED, (120, 190, 70)]))
    s.line([(0.5, 0.2), (0.55, 0.02)], DARK_WOOD, 1.5)
    s.poly([(0.55, 0.1), (0.8, 0.0), (0.68, 0.14)], LEAF)


@_kind("orange", "food", 0.08, 1.0, True, (0.5, 0.5))
def _orange(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.55, 0.48, 0.44, (240, 140, 40))
    s.poly([(0.5, 0.12), (0.75, 0.0), (0.62, 0.15)], LEAF)
    s.ell(0.35, 0.4, 0.08, 0.06, (250, 190, 110), ink=False)


@_kind("rice", "food", 0.15, 1.5, True, (0.5, 0.7))
def _rice(s: Sketch, r: random.Random) -> None:
    s.pie(0.5, 0.45, 0.45, 0.42, 180, 360, (252, 252, 246))
    s.pie(0.5, 0.45, 0.48, 0.55, 0, 180, (236, 232, 220))


@_kind("dumplings", "food", 0.2, 1.7, True, (0.5, 0.7))
def _dumplings(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.8, 0.5, 0.18, (210, 180, 120))
    for u in (0.25, 0.5, 0.75):
        s.pie(u, 0.72, 0.16, 0.5, 180, 360, (248, 242, 226))
        s.arc(u, 0.72, 0.08, 0.2, 200, 340, (220, 210, 190), 0.8)


@_kind("cake", "food", 0.25, 1.2)
def _cake(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.95, 0.5, 0.05, WHITE)
    s.rect(0.08, 0.45, 0.92, 0.92, (240, 200, 150))
    s.rect(0.08, 0.45, 0.92, 0.58, r.choice([(250, 190, 210), WHITE, (120, 70, 50)]))
    for u in (0.3, 0.5, 0.7):
        s.rect(u - 0.02, 0.22, u + 0.02, 0.45, (120, 180, 240))
        _flame(s, u, 0.22, 0.03, 0.12)
    s.ell(0.5, 0.6, 0.06, 0.04, RED)


@_kind("mooncake", "food", 0.1, 1.5, True, (0.5, 0.5))
def _mooncake(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.55, 0.48, 0.42, (206, 140, 60))
    s.ell(0.5, 0.5, 0.36, 0.3, (220, 160, 80))
    s.rect(0.42, 0.4, 0.58, 0.6, shade((220, 160, 80), 0.75), ink=False)


@_kind("candy", "food", 0.15, 0.4, True, (0.5, 0.8))
def _candy(s: Sketch, r: random.Random) -> None:
    s.rect(0.45, 0.4, 0.55, 1.0, WHITE)
    s.ell(0.5, 0.22, 0.48, 0.2, r.choice([(240, 100, 160), (100, 190, 240), (250, 200, 60)]))
    s.arc(0.5, 0.22, 0.25, 0.1, 0, 300, WHITE, 1.5)


@_kind("egg", "food", 0.06, 0.78, True)
def _egg(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.55, 0.48, 0.44, r.choice([(250, 246, 236), (230, 200, 160)]))


@_kind("fruit", "food", 0.3, 1.3)
def _fruit(s: Sketch, r: random.Random) -> None:
    s.pie(0.5, 0.55, 0.5, 0.45, 0, 180, (200, 150, 90))
    for k, colour in enumerate([RED, (250, 210, 60), (120, 60, 140), (240, 140, 40)]):
        s.ell(0.22 + k * 0.18, 0.48 - (k % 2) * 0.15, 0.14, 0.18, colour)


@_kind("soup", "food", 0.2, 1.6)
def _soup(s: Sketch, r: random.Random) -> None:
    s.line([(0.35, 0.3), (0.3, 0.0), (0.4, 0.1)], (240, 240, 240, 140))
    s.line([(0.6, 0.3), (0.66, 0.02), (0.56, 0.12)], (240, 240, 240, 140))
    s.pie(0.5, 0.4, 0.48, 0.55, 0, 180, r.choice(_CERAMIC))
    s.ell(0.5, 0.4, 0.48, 0.12, (220, 150, 80))


@_kind("tea", "food", 0.1, 1.3)
def _tea(s: Sketch, r: random.Random) -> None:
    s.line([(0.45, 0.3), (0.4, 0.0)], (240, 240, 240, 150))
    s.line([(0.58, 0.3), (0.62, 0.02)], (240, 240, 240, 150))
    _teacup(Sketch(s.pen, s.pt(0.5, 0.68), (s.w, s.h * 0.64), max_line=s.lw), r)


@_kind("coffee", "food", 0.1, 1.1)
def _coffee(s: Sketch, r: random.Random) -> None:
    s.line([(0.45, 0.35), (0.38, 0.0)], (240, 240, 240, 150))
    _cup(Sketch(s.pen, s.pt(0.5, 0.68), (s.w, s.h * 0.64), max_line=s.lw), _Tinted(WHITE))
    s.ell(0.42, 0.43, 0.16, 0.04, (240, 230, 210), ink=False)


@_kind("watermelon", "food", 0.35, 1.4, True)
def _watermelon(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.55, 0.5, 0.45, (50, 130, 60))
    for k in range(4):
        s.arc(0.5, 0.55, 0.1 + k * 0.12, 0.45, 270, 450, (30, 90, 40), 1.5)


@_kind("wine", "food", 0.3, 0.34)
def _wine(s: Sketch, r: random.Random) -> None:
    _bottle(s, _Tinted((110, 30, 50)))


# --- toys and things ---------------------------------------------------------------


@_kind("kite", "toy", 0.8, 0.75, True, (0.5, 1.0))
def _kite(s: Sketch, r: random.Random) -> None:
    a, b = r.choice([(RED, (250, 210, 60)), ((60, 110, 190), WHITE)])
    s.line([(0.5, 0.7), (0.4, 0.85), (0.55, 0.92), (0.45, 1.0)], INK, 0.8)
    s.poly([(0.5, 0.0), (1.0, 0.3), (0.5, 0.7), (0.0, 0.3)], a)
    s.poly([(0.5, 0.0), (1.0, 0.3), (0.5, 0.3)], b)
    s.poly([(0.5, 0.3), (0.0, 0.3), (0.5, 0.7)], b)


@_kind("umbrella", "toy", 1.0, 1.05, True, (0.5, 0.98))
def _umbrella(s: Sketch, r: random.Random) -> None:
    cloth = r.choice([RED, (60, 110, 190), BLACK, (220, 180, 80)])
    s.line([(0.5, 0.3), (0.5, 0.92)], IRON, 1.5)
    s.arc(0.44, 0.92, 0.06, 0.06, 0, 180, DARK_WOOD, 2)
    s.pie(0.5, 0.38, 0.5, 0.36, 180, 360, cloth)
    for k in range(1, 4):
        s.line([(0.5, 0.02), (k * 0.25, 0.38)], shade(cloth, 0.7), 0.8)


@_kind("ball", "toy", 0.22, 1.0, True)
def _ball(s: Sketch, r: random.Random) -> None:
    colour = r.choice([RED, (240, 140, 40), WHITE])
    s.ell(0.5, 0.5, 0.48, 0.48, colour)
    s.arc(0.5, 0.5, 0.48, 0.2, 0, 180, shade(colour, 0.6), 1)
    s.arc(0.5, 0.5, 0.2, 0.48, 270, 450, shade(colour, 0.6), 1)


@_kind("balloon", "toy", 0.3, 0.5, True, (0.5, 1.0))
def _balloon(s: Sketch, r: random.Random) -> None:
    colour = r.choice([RED, (240, 100, 170), (80, 150, 230)])
    s.line([(0.5, 0.5), (0.42, 0.75), (0.55, 1.0)], INK, 0.8)
    s.ell(0.5, 0.26, 0.48, 0.25, colour)
    s.poly([(0.44, 0.54), (0.56, 0.54), (0.5, 0.5)], colour)
    s.ell(0.36, 0.17, 0.1, 0.05, shade(colour, 1.4), ink=False)


@_kind("doll", "toy", 0.3, 0.6, True, (0.5, 0.5))
def _doll(s: Sketch, r: random.Random) -> None:
    fur = r.choice([(170, 120, 70), (230, 200, 160), (240, 170, 180)])
    s.ell(0.2, 0.1, 0.14, 0.07, fur)
    s.ell(0.8, 0.1, 0.14, 0.07, fur)
    s.ell(0.5, 0.7, 0.42, 0.3, fur)
    s.ell(0.5, 0.25, 0.4, 0.22, fur)
    s.ell(0.5, 0.3, 0.14, 0.07, shade(fur, 1.3))
    s.ell(0.36, 0.22, 0.04, 0.025, INK, ink=False)
    s.ell(0.64, 0.22, 0.04, 0.025, INK, ink=False)


@_kind("fan", "toy", 0.3, 1.7, True, (0.5, 0.95))
def _fan(s: Sketch, r: random.Random) -> None:
    paper = r.choice([(240, 220, 190), RED, (200, 220, 240)])
    s.pie(0.5, 0.95, 0.5, 0.92, 200, 340, paper)
    s.pie(0.5, 0.95, 0.2, 0.35, 200, 340, DARK_WOOD)
    for k in range(8):
        a = math.radians(200 + k * 20)
        s.line([(0.5, 0.95), (0.5 + 0.5 * math.cos(a), 0.95 + 0.92 * math.sin(a))], DARK_WOOD, 0.5)


@_kind("flower", "plant", 0.3, 0.55, True, (0.5, 0.85))
def _flower(s: Sketch, r: random.Random) -> None:
    petal = r.choice([RED, (240, 120, 170), (250, 210, 60), WHITE])
    s.line([(0.5, 0.3), (0.52, 1.0)], GREEN, 2)
    s.poly([(0.52, 0.7), (0.9, 0.55), (0.55, 0.78)], LEAF)
    for k in range(6):
        a = math.radians(k * 60)
        s.ell(0.5 + 0.24 * math.cos(a), 0.24 + 0.13 * math.sin(a), 0.2, 0.1, petal)
    s.ell(0.5, 0.24, 0.14, 0.08, (250, 200, 60))


@_kind("tree", "plant", 6.0, 0.72)
def _tree(s: Sketch, r: random.Random) -> None:
    green = r.choice([(70, 140, 70), (90, 160, 80), (60, 120, 80)])
    s.poly([(0.42, 1.0), (0.45, 0.5), (0.55, 0.5), (0.58, 1.0)], (120, 84, 56))
    for cu, cv, ru, rv in ((0.3, 0.45, 0.28, 0.2), (0.7, 0.45, 0.28, 0.2), (0.5, 0.25, 0.35, 0.24)):
        s.ell(cu, cv, ru, rv, green)
    s.ell(0.42, 0.2, 0.1, 0.06, shade(green, 1.2), ink=False)


@_kind("leaf", "plant", 0.1, 0.6, True, (0.5, 0.95))
def _leaf(s: Sketch, r: random.Random) -> None:
    colour = r.choice([LEAF, (220, 150, 50), (200, 80, 40)])
    s.poly([(0.5, 0.0), (0.95, 0.35), (0.8, 0.7), (0.5, 0.85), (0.2, 0.7), (0.05, 0.35)], colour)
    s.line([(0.5, 0.05), (0.5, 1.0)], shade(colour, 0.6), 1)


@_kind("bamboo", "plant", 4.0, 0.12)
def _bamboo(s: Sketch, r: random.Random) -> None:
    s.rect(0.35, 0.0, 0.65, 1.0, (120, 170, 90))
    for k in range(1, 6):
        s.rect(0.3, k / 6 - 0.01, 0.7, k / 6 + 0.01, (80, 130, 60))
    for v in (0.04, 0.12, 0.3):
        s.poly([(0.65, v + 0.03), (1.0, v), (0.68, v + 0.05)], LEAF)
        s.poly([(0.35, v + 0.07), (0.0, v + 0.04), (0.32, v + 0.09)], LEAF)


@_kind("rock", "nature", 1.0, 1.5)
def _rock(s: Sketch, r: random.Random) -> None:
    stone = r.choice([(140, 140, 136), (150, 130, 110), (110, 116, 120)])
    s.poly([(0.0, 1.0), (0.1, 0.4), (0.35, 0.08), (0.7, 0.0), (0.92, 0.35), (1.0, 1.0)], stone)
    s.poly([(0.35, 0.08), (0.5, 0.5), (0.3, 1.0), (0.0, 1.0), (0.1, 0.4)], shade(stone, 1.15))


# --- tools -------------------------------------------------------------------------


@_kind("net", "tool", 1.5, 0.8, True, (0.5, 0.1))
def _net(s: Sketch, r: random.Random) -> None:
    s.line([(0.5, 0.0), (0.5, 0.2)], WOOD, 2)
    s.poly([(0.05, 0.2), (0.95, 0.2), (0.7, 1.0), (0.3, 1.0)], (200, 190, 160, 60))
    for k in range(7):
        u = k / 6
        s.line([(0.05 + u * 0.9, 0.2), (0.3 + u * 0.4, 1.0)], (120, 110, 90), 0.6)
        v = 0.2 + k * 0.8 / 6
        half = 0.45 - (v - 0.2) * 0.25
        s.line([(0.5 - half, v), (0.5 + half, v)], (120, 110, 90), 0.6)


@_kind("fishing_rod", "tool", 2.0, 0.55, True, (0.1, 0.95))
def _fishing_rod(s: Sketch, r: random.Random) -> None:
    s.line([(0.05, 1.0), (0.9, 0.0)], DARK_WOOD, 2)
    s.line([(0.9, 0.0), (0.95, 0.7)], (220, 220, 220), 0.5)
    s.ell(0.95, 0.72, 0.04, 0.02, RED)
    s.ell(0.15, 0.87, 0.06, 0.04, IRON)


@_kind("hammer", "tool", 0.35, 0.55, True, (0.5, 0.85))
def _hammer(s: Sketch, r: random.Random) -> None:
    s.rect(0.42, 0.2, 0.58, 1.0, WOOD)
    s.rect(0.0, 0.0, 1.0, 0.25, r.choice([IRON, (120, 110, 100)]))


@_kind("rope", "tool", 2.0, 1.3, True, (0.3, 0.3))
def _rope(s: Sketch, r: random.Random) -> None:
    for k in range(4):
        s.ell(0.5, 0.55, 0.45 - k * 0.08, 0.4 - k * 0.07, None)
        s.arc(0.5, 0.55, 0.45 - k * 0.08, 0.4 - k * 0.07, 0, 360, (200, 170, 110), 2.5)
    s.line([(0.9, 0.6), (1.0, 1.0)], (200, 170, 110), 2.5)


@_kind("broom", "tool", 1.3, 0.26, True, (0.5, 0.35))
def _broom(s: Sketch, r: random.Random) -> None:
    s.rect(0.44, 0.0, 0.56, 0.7, WOOD)
    s.poly([(0.3, 0.68), (0.7, 0.68), (1.0, 1.0), (0.0, 1.0)], (220, 190, 110))
    s.rect(0.3, 0.68, 0.7, 0.73, RED)


@_kind("shovel", "tool", 1.2, 0.22, True, (0.5, 0.2))
def _shovel(s: Sketch, r: random.Random) -> None:
    s.rect(0.44, 0.04, 0.56, 0.7, WOOD)
    s.rect(0.2, 0.0, 0.8, 0.05, DARK_WOOD)
    s.poly([(0.1, 0.68), (0.9, 0.68), (0.85, 0.92), (0.5, 1.0), (0.15, 0.92)], IRON)


@_kind("key", "tool", 0.06, 0.45, True, (0.5, 0.2))
def _key(s: Sketch, r: random.Random) -> None:
    colour = r.choice([BRASS, STEEL])
    s.ell(0.5, 0.2, 0.45, 0.18, colour)
    s.ell(0.5, 0.2, 0.2, 0.08, (0, 0, 0, 0))
    s.rect(0.42, 0.36, 0.58, 1.0, colour)
    s.rect(0.58, 0.8, 0.8, 0.86, colour)
    s.rect(0.58, 0.9, 0.75, 0.96, colour)


@_kind("ladder", "tool", 3.0, 0.34)
def _ladder(s: Sketch, r: random.Random) -> None:
    s.rect(0.05, 0.0, 0.15, 1.0, WOOD)
    s.rect(0.85, 0.0, 0.95, 1.0, WOOD)
    for k in range(1, 9):
        s.rect(0.15, k / 9 - 0.01, 0.85, k / 9 + 0.01, shade(WOOD, 0.9))


@_kind("flag", "tool", 1.5, 0.7, True, (0.1, 0.7))
def _flag(s: Sketch, r: random.Random) -> None:
    cloth = r.choice([RED, (60, 110, 190), (250, 210, 60)])
    s.rect(0.05, 0.0, 0.12, 1.0, DARK_WOOD)
    s.poly([(0.12, 0.04), (0.55, 0.08), (1.0, 0.02), (0.95, 0.24), (1.0, 0.45), (0.55, 0.42),
            (0.12, 0.46)], cloth)  # fmt: skip
    s.ell(0.5, 0.24, 0.12, 0.08, (250, 220, 80))


@_kind("oar", "tool", 2.0, 0.1, True, (0.5, 0.3))
def _oar(s: Sketch, r: random.Random) -> None:
    s.rect(0.38, 0.0, 0.62, 0.7, WOOD)
    s.rrect(0.0, 0.65, 1.0, 1.0, 0.4, WOOD)


@_kind("pen", "tool", 0.15, 0.09, True, (0.5, 0.6))
def _pen(s: Sketch, r: random.Random) -> None:
    s.rect(0.1, 0.0, 0.9, 0.85, r.choice([(40, 60, 120), BLACK, RED]))
    s.poly([(0.1, 0.85), (0.9, 0.85), (0.5, 1.0)], BRASS)


@_kind("brush", "tool", 0.25, 0.1, True, (0.5, 0.4))
def _brush(s: Sketch, r: random.Random) -> None:
    s.rect(0.25, 0.0, 0.75, 0.7, (200, 160, 90))
    s.poly([(0.1, 0.7), (0.9, 0.7), (0.5, 1.0)], BLACK)


@_kind("scissors", "tool", 0.2, 0.6, True, (0.5, 0.8))
def _scissors(s: Sketch, r: random.Random) -> None:
    s.poly([(0.45, 0.6), (0.2, 0.0), (0.55, 0.55)], STEEL)
    s.poly([(0.55, 0.6), (0.8, 0.0), (0.45, 0.55)], STEEL)
    colour = r.choice([RED, (60, 110, 190)])
    s.ell(0.3, 0.82, 0.2, 0.13, None)
    s.arc(0.3, 0.82, 0.2, 0.13, 0, 360, colour, 3)
    s.arc(0.7, 0.82, 0.2, 0.13, 0, 360, colour, 3)


@_kind("money", "tool", 0.15, 1.7, True)
def _money(s: Sketch, r: random.Random) -> None:
    s.rect(0.0, 0.0, 0.9, 0.8, (150, 200, 150))
    s.rect(0.1, 0.2, 1.0, 1.0, (170, 214, 170))
    s.ell(0.55, 0.6, 0.14, 0.2, shade((170, 214, 170), 0.8))


@_kind("ring", "tool", 0.03, 1.0, True)
def _ring(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.6, 0.42, 0.38, None)
    s.arc(0.5, 0.6, 0.42, 0.38, 0, 360, BRASS, 4)
    s.poly(
        [(0.5, 0.05), (0.68, 0.2), (0.5, 0.34), (0.32, 0.2)], r.choice([SKY, RED, (120, 220, 140)])
    )


@_kind("sign", "tool", 0.8, 1.3)
def _sign(s: Sketch, r: random.Random) -> None:
    s.rect(0.45, 0.5, 0.55, 1.0, DARK_WOOD)
    s.rect(0.0, 0.0, 1.0, 0.55, r.choice([(240, 230, 200), RED, (60, 110, 70)]))
    s.rect(0.12, 0.15, 0.88, 0.22, INK, ink=False)
    s.rect(0.12, 0.32, 0.7, 0.39, INK, ink=False)


@_kind("cane", "tool", 0.9, 0.2, True, (0.4, 0.1))
def _cane(s: Sketch, r: random.Random) -> None:
    s.arc(0.5, 0.12, 0.4, 0.1, 180, 360, DARK_WOOD, 3)
    s.rect(0.82, 0.1, 0.98, 1.0, DARK_WOOD)


@_kind("anchor", "tool", 1.0, 0.8)
def _anchor(s: Sketch, r: random.Random) -> None:
    s.ell(0.5, 0.07, 0.08, 0.07, None)
    s.arc(0.5, 0.07, 0.08, 0.07, 0, 360, IRON, 3)
    s.rect(0.46, 0.12, 0.54, 0.95, IRON)
    s.rect(0.25, 0.2, 0.75, 0.26, IRON)
    s.arc(0.5, 0.6, 0.42, 0.36, 10, 170, IRON, 5)


# --- wear ------------------------------------------------------------------------


@_kind("hat", "wear", 0.3, 1.6, True)
def _hat(s: Sketch, r: random.Random) -> None:
    felt = r.choice([(80, 60, 50), BLACK, (200, 170, 110)])
    s.ell(0.5, 0.8, 0.5, 0.18, shade(felt, 0.85))
    s.rrect(0.22, 0.1, 0.78, 0.82, 0.12, felt)
    s.rect(0.22, 0.6, 0.78, 0.72, RED)


@_kind("straw_hat", "wear", 0.5, 2.4, True)
def _straw_hat(s: Sketch, r: random.Random) -> None:
    straw = (220, 190, 120)
    s.poly([(0.0, 0.9), (0.5, 0.0), (1.0, 0.9), (0.5, 1.0)], straw)
    for k in range(1, 4):
        s.line([(0.5 - k * 0.12, k * 0.24), (0.5 + k * 0.12, k * 0.24)], shade(straw, 0.75), 0.7)


@_kind("crown", "wear", 0.2, 1.3, True)
def _crown(s: Sketch, r: random.Random) -> None:
    s.poly([(0.0, 1.0), (0.0, 0.2), (0.25, 0.55), (0.5, 0.0), (0.75, 0.55), (1.0, 0.2),
            (1.0, 1.0)], BRASS)  # fmt: skip
    s.ell(0.5, 0.75, 0.08, 0.1, RED)
    s.ell(0.2, 0.78, 0.06, 0.08, SKY)
    s.ell(0.8, 0.78, 0.06, 0.08, SKY)


@_kind("mask", "wear", 0.2, 1.2, True)
def _mask(s: Sketch, r: random.Random) -> None:
    face = r.choice([WHITE, RED, BLACK])
    s.ell(0.5, 0.5, 0.5, 0.48, face)
    s.ell(0.3, 0.4, 0.12, 0.08, INK)
    s.ell(0.7, 0.4, 0.12, 0.08, INK)
    s.arc(0.5, 0.62, 0.2, 0.12, 20, 160, RED if face != RED else BLACK, 2)


@_kind("scarf", "wear", 1.0, 1.8, True)
def _scarf(s: Sketch, r: random.Random) -> None:
    wool = r.choice([RED, (60, 110, 190), (240, 200, 80)])
    s.rrect(0.0, 0.0, 1.0, 0.35, 0.1, wool)
    s.rect(0.6, 0.3, 0.78, 1.0, wool)
    for k in range(4):
        s.line([(0.6 + k * 0.06, 1.0), (0.6 + k * 0.06, 0.9)], shade(wool, 0.7))


# --- animals ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Beast:
    """A four-legged animal facing right, in its box's units."""

    coat: RGB
    belly: RGB | None = None
    body: tuple[float, float, float, float] = (0.45, 0.5, 0.34, 0.2)  # cu, cv, ru, rv
    leg: float = 0.3  # leg length (v)
    leg_w: float = 0.06
    head: tuple[float, float, float, float] = (0.82, 0.3, 0.14, 0.16)
    ears: str = "pointed"  # pointed, round, long, floppy, horns, none
    tail: str = "thin"  # thin, bushy, tuft, stub, curl
    neck: float = 0.0  # a long neck (horse, deer) as a width


def _beast(s: Sketch, b: _Beast) -> None:
    cu, cv, ru, rv = b.body
    hu, hv, hr, hvr = b.head
    dark = shade(b.coat, 0.78)
    # Tail, far legs, body, near legs, neck, head.
    tail_base = (cu - ru * 0.95, cv - rv * 0.4)
    tip = (max(0.01, cu - ru - 0.12), cv - rv * 0.2 + (-0.2 if b.tail == "curl" else 0.1))
    if b.tail == "bushy":
        s.poly([tail_base, (tip[0] - 0.02, tip[1] - 0.04), (tip[0], tip[1] + 0.1)], b.coat)
    elif b.tail == "tuft":
        s.line([tail_base, (tip[0] + 0.04, tip[1] + 0.1)], dark, 2)
        s.ell(tip[0] + 0.04, tip[1] + 0.14, 0.025, 0.05, dark)
    elif b.tail == "stub":
        s.ell(tail_base[0], tail_base[1], 0.04, 0.04, b.belly or b.coat)
    else:
        s.line([tail_base, (tail_base[0] - 0.08, tail_base[1] - 0.08), tip], dark, 2.5)
    bottom = cv + rv * 0.5
    for du in (-0.7, 0.55):  # far legs, a little darker
        u = cu + ru * du + 0.04
        s.rect(u - b.leg_w / 2, bottom - 0.05, u + b.leg_w / 2, bottom + b.leg, dark)
    s.ell(cu, cv, ru, rv, b.coat)
    if b.belly is not None:
        s.ell(cu + ru * 0.1, cv + rv * 0.45, ru * 0.7, rv * 0.42, b.belly, ink=False)
    for du in (-0.8, 0.65):
        u = cu + ru * du
        s.rect(u - b.leg_w / 2, bottom - 0.05, u + b.leg_w / 2, bottom + b.leg, b.coat)
        s.rect(u - b.leg_w / 2, bottom + b.leg - 0.03, u + b.leg_w / 2 + 0.02, bottom + b.leg,
               dark)  # fmt: skip
    if b.neck > 0:
        s.poly([(cu + ru * 0.5, cv - rv * 0.6), (hu - hr * 0.5, hv - hvr * 0.3),
                (hu, hv + hvr * 0.5), (cu + ru * 0.9, cv + rv * 0.2)], b.coat)  # fmt: skip
    if b.ears == "pointed":
        for du in (-0.5, 0.2):
            s.poly([(hu + du * hr, hv - hvr * 0.5), (hu + (du + 0.2) * hr, hv - hvr * 1.6),
                    (hu + (du + 0.6) * hr, hv - hvr * 0.6)], b.coat)  # fmt: skip
    elif b.ears == "round":
        for du in (-0.6, 0.5):
            s.ell(hu + du * hr, hv - hvr * 0.8, hr * 0.35, hvr * 0.3, dark)
    elif b.ears == "long":
        for du in (-0.4, 0.2):
            s.ell(hu + du * hr, hv - hvr * 1.6, hr * 0.22, hvr * 0.9, b.coat)
    elif b.ears == "horns":
        s.arc(hu - hr * 0.4, hv - hvr * 0.9, hr * 0.5, hvr * 0.5, 180, 300, (230, 220, 200), 2.5)
        s.arc(hu + hr * 0.4, hv - hvr * 0.9, hr * 0.5, hvr * 0.5, 240, 360, (230, 220, 200), 2.5)
    s.ell(hu, hv, hr, hvr, b.coat)
    if b.ears == "floppy":
        s.ell(hu - hr * 0.6, hv - hvr * 0.1, hr * 0.3, hvr * 0.6, dark)
    s.ell(hu + hr * 0.45, hv + hvr * 0.3, hr * 0.45, hvr * 0.38, b.belly or shade(b.coat, 1.15))
    s.ell(hu + hr * 0.85, hv + hvr * 0.2, hr * 0.14, hvr * 0.1, INK, ink=False)
    s.ell(hu + hr * 0.25, hv - hvr * 0.2, hr * 0.13, hvr * 0.13, INK, ink=False)


@_kind("cat", "animal", 0.45, 1.3, True, (0.45, 0.5))
def _cat(s: Sketch, r: random.Random) -> None:
    coat = r.choice([(230, 150, 70), (60, 60, 66), (200, 200, 196)])
    _beast(s, _Beast(coat, (246, 240, 230), (0.45, 0.55, 0.32, 0.18), 0.22, 0.06,
                     (0.8, 0.34, 0.14, 0.17), "pointed", "curl"))  # fmt: skip


@_kind("dog", "animal", 0.7, 1.3)
def _dog(s: Sketch, r: random.Random) -> None:
    coat = r.choice([(200, 150, 90), (110, 80, 60), (236, 226, 206)])
    _beast(s, _Beast(coat, (250, 240, 220), (0.45, 0.5, 0.33, 0.18), 0.3, 0.08,
                     (0.82, 0.3, 0.15, 0.18), "floppy", "thin"))  # fmt: skip


@_kind("horse", "animal", 2.4, 1.15)
def _horse(s: Sketch, r: random.Random) -> None:
    coat = r.choice([(140, 90, 50), (240, 236, 226), (60, 46, 40)])
    _beast(s, _Beast(coat, None, (0.42, 0.45, 0.32, 0.14), 0.4, 0.06,
                     (0.86, 0.16, 0.09, 0.09), "pointed", "tuft", 0.1))  # fmt: skip
    s.poly([(0.72, 0.1), (0.82, 0.05), (0.7, 0.32), (0.62, 0.3)], shade(coat, 0.5))


@_kind("cow", "animal", 2.2, 1.5)
def _cow(s: Sketch, r: random.Random) -> None:
    _beast(s, _Beast((240, 238, 230), (250, 200, 200), (0.45, 0.45, 0.36, 0.2), 0.28, 0.08,
                     (0.86, 0.32, 0.11, 0.14), "horns", "tuft"))  # fmt: skip
    s.ell(0.36, 0.4, 0.1, 0.08, BLACK, ink=False)
    s.ell(0.58, 0.5, 0.08, 0.07, BLACK, ink=False)


@_kind("rabbit", "animal", 0.4, 1.0, True)
def _rabbit(s: Sketch, r: random.Random) -> None:
    coat = r.choice([WHITE, (180, 150, 120), (150, 150, 150)])
    s.ell(0.42, 0.68, 0.32, 0.3, coat)
    s.ell(0.12, 0.66, 0.08, 0.08, WHITE)
    for du in (0.6, 0.76):
        s.ell(du, 0.18, 0.06, 0.2, coat)
    s.ell(0.68, 0.4, 0.18, 0.18, coat)
    s.ell(0.78, 0.38, 0.03, 0.03, INK, ink=False)
    s.ell(0.84, 0.46, 0.03, 0.02, (230, 130, 140), ink=False)
    s.ell(0.5, 0.94, 0.16, 0.05, coat)


@_kind("bear", "animal", 2.0, 1.4)
def _bear(s: Sketch, r: random.Random) -> None:
    _beast(s, _Beast((110, 74, 50), None, (0.45, 0.5, 0.36, 0.24), 0.22, 0.13,
                     (0.82, 0.38, 0.15, 0.17), "round", "stub"))  # fmt: skip


@_kind("panda", "animal", 1.5, 1.35)
def _panda(s: Sketch, r: random.Random) -> None:
    _beast(s, _Beast(WHITE, None, (0.45, 0.52, 0.36, 0.24), 0.2, 0.14,
                     (0.8, 0.36, 0.16, 0.18), "round", "stub"))  # fmt: skip
    s.rect(0.54, 0.3, 0.66, 0.7, BLACK, ink=False)
    for u in (0.15, 0.2, 0.63, 0.7):
        s.rect(u - 0.06, 0.72, u + 0.08, 0.95, BLACK, ink=False)
    s.ell(0.84, 0.33, 0.05, 0.05, BLACK, ink=False)


@_kind("deer", "animal", 1.6, 1.0)
def _deer(s: Sketch, r: random.Random) -> None:
    coat = (190, 130, 80)
    _beast(s, _Beast(coat, (240, 220, 190), (0.42, 0.5, 0.3, 0.13), 0.38, 0.05,
                     (0.84, 0.2, 0.08, 0.08), "pointed", "stub", 0.08))  # fmt: skip
    for k in range(3):
        s.ell(0.3 + k * 0.1, 0.46, 0.02, 0.02, WHITE, ink=False)
    s.line([(0.82, 0.12), (0.76, 0.0), (0.7, 0.02)], (150, 110, 70), 1.5)
    s.line([(0.86, 0.12), (0.92, 0.0), (0.98, 0.02)], (150, 110, 70), 1.5)


@_kind("pig", "animal", 1.2, 1.6)
def _pig(s: Sketch, r: random.Random) -> None:
    _beast(s, _Beast((240, 176, 176), None, (0.45, 0.5, 0.36, 0.26), 0.18, 0.08,
                     (0.84, 0.4, 0.14, 0.17), "pointed", "curl"))  # fmt: skip
    s.ell(0.96, 0.46, 0.04, 0.07, (220, 140, 140))


@_kind("sheep", "animal", 1.2, 1.4)
def _sheep(s: Sketch, r: random.Random) -> None:
    wool = (244, 242, 232)
    s.line([(0.25, 0.7), (0.25, 0.98)], BLACK, 3)
    s.line([(0.65, 0.7), (0.65, 0.98)], BLACK, 3)
    for k in range(7):
        s.ell(0.2 + (k % 4) * 0.17, 0.42 + (k // 4) * 0.15, 0.14, 0.14, wool)
    s.ell(0.85, 0.36, 0.11, 0.14, BLACK)
    s.ell(0.74, 0.3, 0.07, 0.04, BLACK)
    s.ell(0.88, 0.32, 0.02, 0.02, WHITE, ink=False)


@_kind("tiger", "animal", 2.5, 1.8)
def _tiger(s: Sketch, r: random.Random) -> None:
    coat = (236, 140, 50)
    _beast(s, _Beast(coat, (250, 240, 220), (0.45, 0.5, 0.34, 0.17), 0.26, 0.07,
                     (0.84, 0.36, 0.12, 0.16), "round", "thin"))  # fmt: skip
    for k in range(5):
        u = 0.25 + k * 0.1
        s.line([(u, 0.36), (u + 0.03, 0.5)], BLACK, 2)


@_kind("wolf", "animal", 1.4, 1.5)
def _wolf(s: Sketch, r: random.Random) -> None:
    coat = r.choice([(140, 140, 146), (210, 110, 50)])
    _beast(s, _Beast(coat, (230, 228, 222), (0.45, 0.5, 0.33, 0.16), 0.3, 0.06,
                     (0.84, 0.3, 0.13, 0.14), "pointed", "bushy"))  # fmt: skip


@_kind("monkey", "animal", 0.6, 0.9)
def _monkey(s: Sketch, r: random.Random) -> None:
    fur = (140, 96, 60)
    s.arc(0.2, 0.6, 0.18, 0.3, 90, 270, fur, 3)
    s.ell(0.5, 0.62, 0.28, 0.25, fur)
    s.line([(0.3, 0.8), (0.3, 1.0)], fur, 4)
    s.line([(0.65, 0.8), (0.7, 1.0)], fur, 4)
    s.line([(0.7, 0.5), (0.95, 0.3)], fur, 4)
    for du in (-0.25, 0.25):
        s.ell(0.55 + du, 0.22, 0.08, 0.08, (230, 190, 150))
    s.ell(0.55, 0.24, 0.22, 0.2, fur)
    s.ell(0.57, 0.3, 0.14, 0.11, (230, 190, 150))
    s.ell(0.5, 0.2, 0.025, 0.025, INK, ink=False)
    s.ell(0.64, 0.2, 0.025, 0.025, INK, ink=False)


@_kind("mouse", "animal", 0.15, 1.8)
def _mouse(s: Sketch, r: random.Random) -> None:
    s.line([(0.2, 0.7), (0.0, 0.5), (0.05, 0.3)], (220, 160, 160), 1.5)
    s.pie(0.5, 0.95, 0.32, 0.7, 180, 360, (160, 160, 164))
    s.ell(0.72, 0.35, 0.1, 0.2, (220, 170, 170))
    s.poly([(0.6, 0.4), (0.98, 0.78), (0.7, 0.95)], (160, 160, 164))
    s.ell(0.84, 0.65, 0.025, 0.05, INK, ink=False)


def _bird_body(s: Sketch, body: RGB, wing: RGB, beak: RGB, legs: bool = True) -> None:
    if legs:
        s.line([(0.42, 0.7), (0.4, 1.0)], (220, 150, 60), 1.2)
        s.line([(0.55, 0.7), (0.57, 1.0)], (220, 150, 60), 1.2)
    s.poly([(0.25, 0.45), (0.0, 0.35), (0.05, 0.6)], wing)
    s.ell(0.47, 0.52, 0.3, 0.22, body)
    s.ell(0.74, 0.3, 0.16, 0.2, body)
    s.poly([(0.88, 0.26), (1.0, 0.34), (0.88, 0.38)], beak)
    s.ell(0.78, 0.26, 0.03, 0.04, INK, ink=False)
    s.pie(0.4, 0.48, 0.22, 0.16, 0, 180, wing)


@_kind("bird", "animal", 0.2, 1.2, True)
def _bird(s: Sketch, r: random.Random) -> None:
    body = r.choice([(120, 90, 70), (90, 150, 210), (240, 200, 60)])
    _bird_body(s, body, shade(body, 0.75), (240, 160, 40))


@_kind("crow", "animal", 0.45, 1.1)
def _crow(s: Sketch, r: random.Random) -> None:
    _bird_body(s, BLACK, (24, 24, 30), (60, 60, 64))


@_kind("chicken", "animal", 0.4, 1.0)
def _chicken(s: Sketch, r: random.Random) -> None:
    coat = r.choice([WHITE, (190, 110, 50)])
    s.poly([(0.25, 0.45), (0.0, 0.1), (0.15, 0.5)], shade(coat, 0.85))
    _bird_body(s, coat, shade(coat, 0.85), (240, 170, 40))
    s.ell(0.74, 0.1, 0.06, 0.06, RED)
    s.ell(0.88, 0.44, 0.03, 0.06, RED)


@_kind("duck", "animal", 0.4, 1.2)
def _duck(s: Sketch, r: random.Random) -> None:
    coat = r.choice([WHITE, (150, 120, 80)])
    _bird_body(s, coat, shade(coat, 0.85), (240, 150, 40), legs=False)
    s.rect(0.3, 0.72, 0.62, 0.78, (240, 150, 40), ink=False)


@_kind("eagle", "animal", 0.9, 1.8)
def _eagle(s: Sketch, r: random.Random) -> None:
    brown = (110, 76, 50)
    s.poly([(0.5, 0.5), (0.0, 0.0), (0.2, 0.45)], brown)
    s.poly([(0.5, 0.5), (1.0, 0.0), (0.8, 0.45)], brown)
    s.ell(0.5, 0.55, 0.14, 0.25, brown)
    s.poly([(0.42, 0.75), (0.58, 0.75), (0.5, 1.0)], brown)
    s.ell(0.5, 0.3, 0.07, 0.12, WHITE)
    s.poly([(0.5, 0.36), (0.55, 0.42), (0.5, 0.46)], (240, 190, 40))


@_kind("owl", "animal", 0.4, 0.8)
def _owl(s: Sketch, r: random.Random) -> None:
    feathers = (150, 110, 80)
    s.ell(0.5, 0.58, 0.45, 0.4, feathers)
    s.ell(0.5, 0.66, 0.3, 0.28, (220, 200, 170))
    s.poly([(0.1, 0.25), (0.2, 0.0), (0.35, 0.2)], feathers)
    s.poly([(0.9, 0.25), (0.8, 0.0), (0.65, 0.2)], feathers)
    for u in (0.33, 0.67):
        s.ell(u, 0.3, 0.14, 0.11, WHITE)
        s.ell(u, 0.3, 0.06, 0.05, INK)
    s.poly([(0.45, 0.38), (0.55, 0.38), (0.5, 0.48)], (240, 170, 40))


@_kind("fish", "animal", 0.4, 2.2, True, (0.3, 0.5))
def _fish(s: Sketch, r: random.Random) -> None:
    scales = r.choice([(240, 120, 50), (120, 160, 190), (230, 80, 60)])
    s.poly([(0.2, 0.5), (0.0, 0.15), (0.0, 0.85)], shade(scales, 0.85))
    s.ell(0.55, 0.5, 0.4, 0.36, scales)
    s.poly([(0.45, 0.18), (0.6, 0.0), (0.65, 0.2)], shade(scales, 0.85))
    s.arc(0.72, 0.5, 0.08, 0.3, 270, 450, shade(scales, 0.7), 1)
    s.ell(0.82, 0.42, 0.04, 0.07, WHITE)
    s.ell(0.83, 0.42, 0.02, 0.04, INK, ink=False)


@_kind("snake", "animal", 1.5, 2.6)
def _snake(s: Sketch, r: random.Random) -> None:
    colour = r.choice([(90, 150, 60), (150, 110, 60)])
    points = [(0.02 + k * 0.04, 0.7 + 0.18 * math.sin(k * 0.7)) for k in range(21)]
    s.line(points, INK, 7)
    s.line(points, colour, 5)
    s.ell(0.88, 0.55, 0.07, 0.13, colour)
    s.ell(0.9, 0.5, 0.015, 0.03, INK, ink=False)
    s.line([(0.95, 0.58), (1.0, 0.62)], RED, 0.8)


@_kind("butterfly", "animal", 0.1, 1.3)
def _butterfly(s: Sketch, r: random.Random) -> None:
    wing = r.choice([(240, 150, 40), (90, 150, 230), (240, 120, 180)])
    for du in (-1, 1):
        s.ell(0.5 + du * 0.24, 0.32, 0.24, 0.28, wing)
        s.ell(0.5 + du * 0.18, 0.72, 0.16, 0.22, shade(wing, 0.85))
    s.rrect(0.47, 0.15, 0.53, 0.9, 0.03, BLACK)
    s.line([(0.5, 0.15), (0.4, 0.0)], BLACK, 0.7)
    s.line([(0.5, 0.15), (0.6, 0.0)], BLACK, 0.7)


@_kind("dragon", "animal", 12.0, 2.2)
def _dragon(s: Sketch, r: random.Random) -> None:
    scales = r.choice([(60, 150, 90), (200, 50, 40), (220, 180, 60)])
    spine = [(0.02 + k * 0.05, 0.6 + 0.18 * math.sin(k * 0.55)) for k in range(17)]
    s.line(spine, INK, 11)
    s.line(spine, scales, 9)
    for u, v in spine[1:-1:2]:
        s.poly([(u - 0.02, v - 0.08), (u, v - 0.17), (u + 0.02, v - 0.08)], shade(scales, 0.7))
    for k in (4, 10):
        u, v = spine[k]
        s.line([(u, v + 0.05), (u + 0.02, v + 0.3)], scales, 4)
        s.line([(u + 0.02, v + 0.3), (u + 0.05, v + 0.32)], BRASS, 2)
    hu, hv = spine[-1]
    s.poly([(hu - 0.05, hv - 0.1), (hu + 0.12, hv - 0.04), (hu + 0.13, hv + 0.06),
            (hu - 0.04, hv + 0.1)], scales)  # fmt: skip
    s.line([(hu, hv - 0.1), (hu - 0.06, hv - 0.3)], BRASS, 2)
    s.line([(hu + 0.1, hv + 0.04), (hu + 0.2, hv + 0.2)], (240, 220, 120), 1)
    s.ell(hu + 0.04, hv - 0.04, 0.012, 0.025, (250, 220, 60))


# --- kinds named by the vocabulary, drawn like a kin ----------------------------------

_alias("bus_vehicle", "bus")
_alias("spaceship_craft", "spaceship")
_alias("gun", "pistol")
_alias("motorbike", "motorcycle")
_alias("tv", "television", family="device")
_alias("tram", "train", size=15.0)
_alias("goblet", "wine_cup")
_alias("sake_cup", "teacup", tint=(240, 240, 236))
_alias("coin", "ring", size=0.03)
_alias("lotus", "flower", tint=(240, 170, 200))


# --- the vocabulary -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vocabulary() -> Mapping[str, Mapping[str, Any]]:
    """The shipped props vocabulary (storyreel/vocab/props.yaml), or {} without one."""
    try:
        text = resources.files("storyreel").joinpath("vocab/props.yaml").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return {}
    # libyaml where PyYAML has it: the pure-Python parser takes a second over this file,
    # paid by the first shot each render process draws.
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return {str(k): v for k, v in data.items() if isinstance(v, Mapping)}


def thing_spec(kind: str, family: str | None = None) -> ThingSpec:
    """How `kind` is drawn: its own spec, else one made from the vocabulary's family and
    size, else a generic thing of `family` (or a box)."""
    if kind in _SPECS:
        spec = _SPECS[kind]
        entry = _vocabulary().get(kind)
        if entry is not None and isinstance(entry.get("size"), int | float):
            spec = ThingSpec(spec.family, float(entry["size"]), spec.aspect, spec.held, spec.grip)
        return spec
    entry = _vocabulary().get(kind, {})
    fam = family or str(entry.get("family") or "container")
    if fam not in _FAMILY_BASE:
        fam = "container"
    base = _SPECS[_FAMILY_BASE[fam]]
    size = entry.get("size")
    held = entry.get("held")
    return ThingSpec(
        fam,
        float(size) if isinstance(size, int | float) else base.size,
        base.aspect,
        bool(held) if isinstance(held, bool) else base.held,
        base.grip,
    )


def thing_size(kind: str, family: str | None = None) -> tuple[float, float]:
    """The drawn width and height of `kind` in metres."""
    spec = thing_spec(kind, family)
    if spec.aspect >= 1:
        return spec.size, spec.size / spec.aspect
    return spec.size * spec.aspect, spec.size


# The kind whose drawing a family's unknown kinds borrow (varied by name).
_FAMILY_BASE: dict[str, str] = {
    "light": "lantern",
    "weapon": "sword",
    "vessel": "jar",
    "container": "box",
    "paper": "book",
    "furniture": "cabinet",
    "vehicle": "car",
    "device": "radio",
    "instrument": "drum",
    "food": "bread",
    "toy": "ball",
    "tool": "hammer",
    "wear": "hat",
    "plant": "flower",
    "nature": "rock",
    "animal": "dog",
}

THING_KINDS: tuple[str, ...] = tuple(sorted(_SPECS))


# The least share of a box's width (or height) a fitted thing spans: a lamp post in
# a wide insert is framed on its top, cropped, rather than drawn as a thin stick.
_MIN_SPAN = 0.5


def fit_box(kind: str, box: Box, family: str | None = None) -> tuple[Box, float]:
    """The box `kind` is drawn in inside `box`, and its turn in radians.

    The thing keeps its proportions, centred across and standing on the box's bottom.
    A long thin thing a hand can hold, in a box of the other shape, is laid along the
    box's diagonal; any other thing that would span less than `_MIN_SPAN` of the box
    grows past it, cropped (a tall one keeps its top in the box, a long one its
    middle).
    """
    spec = thing_spec(kind, family)
    x0, y0, x1, y1 = box
    w, h = max(1e-6, x1 - x0), max(1e-6, y1 - y0)
    box_aspect = w / h
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    opposite = (spec.aspect < 1 < box_aspect) or (box_aspect < 1 < spec.aspect)
    mismatch = max(spec.aspect / box_aspect, box_aspect / spec.aspect)
    if spec.held and opposite and mismatch > 3:
        # The long side along the diagonal, rising to the right (a blade's point, at
        # the top of its box, to the upper right), as long as fits with its thickness.
        k = min(spec.aspect, 1 / spec.aspect)
        angle = math.atan2(h, w)
        c, s_ = math.cos(angle), math.sin(angle)
        length = min(w / (c + k * s_), h / (s_ + k * c))
        thick = length * k
        turn = -angle if spec.aspect > 1 else math.atan2(w, h)
        dw, dh = (length, thick) if spec.aspect > 1 else (thick, length)
        return (cx - dw / 2, cy - dh / 2, cx + dw / 2, cy + dh / 2), turn
    if box_aspect > spec.aspect:  # taller than the box's shape
        dw = max(h * spec.aspect, w * _MIN_SPAN)
        dh = dw / spec.aspect
        top = y1 - dh if dh <= h else y0
        return (cx - dw / 2, top, cx + dw / 2, top + dh), 0.0
    dh = max(w / spec.aspect, h * _MIN_SPAN)
    dw = dh * spec.aspect
    return (cx - dw / 2, y1 - dh, cx + dw / 2, y1), 0.0


def draw_thing(
    pen: Pen,
    kind: str,
    box: Box,
    *,
    family: str | None = None,
    facing: int = 1,
    max_line: float = 3.0,
    fit: bool = True,
    turn: float = 0.0,
) -> Box:
    """Draw `kind` inside the canvas `box` (fitted to its proportions unless `fit` is
    False, then turned by `turn` radians, clockwise) facing right (+1) or left (-1);
    returns the box it was drawn in (axis aligned, canvas pixels)."""
    inner, turn = fit_box(kind, box, family) if fit else (box, turn)
    x0, y0, x1, y1 = inner
    w, h = x1 - x0, y1 - y0
    if w < 1 or h < 1:
        return inner
    if fit and turn == 0.0 and not _within(inner, box):
        # Grown past the box to fill it (see fit_box): draw on a layer of the box's
        # own size, so the crop is the box, then lay it on the pen's layer.
        bx0, by0 = math.floor(box[0]), math.floor(box[1])
        bx1, by1 = math.ceil(box[2]), math.ceil(box[3])
        clip = Pen(bx0, by0, bx1 - bx0, by1 - by0, ss=pen.ss)
        _draw(clip, kind, inner, 0.0, family, facing, max_line)
        _lay(pen, clip)
        return max(x0, box[0]), max(y0, box[1]), min(x1, box[2]), min(y1, box[3])
    return _draw(pen, kind, inner, turn, family, facing, max_line)


def _within(inner: Box, box: Box) -> bool:
    return (
        inner[0] >= box[0] - 0.5
        and inner[1] >= box[1] - 0.5
        and inner[2] <= box[2] + 0.5
        and inner[3] <= box[3] + 0.5
    )


def _lay(pen: Pen, clip: Pen) -> None:
    """Blend `clip`'s layer over `pen`'s (both premultiplied, same supersampling)."""
    left, top = (clip.x0 - pen.x0) * pen.ss, (clip.y0 - pen.y0) * pen.ss
    at = (left, top, left + clip.layer.width, top + clip.layer.height)
    under = pen.layer.crop(at).convert("RGBA")
    under.alpha_composite(clip.layer.convert("RGBA"))
    pen.layer.paste(under.convert("RGBa"), at)


def _draw(
    pen: Pen,
    kind: str,
    inner: Box,
    turn: float,
    family: str | None,
    facing: int,
    max_line: float,
) -> Box:
    x0, y0, x1, y1 = inner
    w, h = x1 - x0, y1 - y0
    sketch = Sketch(
        pen, ((x0 + x1) / 2, (y0 + y1) / 2), (w, h), turn=turn, mirror=facing < 0, max_line=max_line
    )
    if kind in _DRAWERS:
        _DRAWERS[kind](sketch, stable_random("thing", kind))
    else:
        # A kind with no drawing of its own: its family's, in colours from its name.
        spec = thing_spec(kind, family)
        _DRAWERS[_FAMILY_BASE[spec.family]](sketch, _Tinted(mix_tint((150, 150, 150), kind)))
    if turn == 0.0:
        return inner
    corners = [sketch.pt(u, v) for u, v in ((0, 0), (1, 0), (1, 1), (0, 1))]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def thing_image(kind: str, width: int, height: int, *, family: str | None = None) -> Image.Image:
    """`kind` drawn alone into a transparent RGBA image of the given size."""
    pen = Pen(0, 0, width, height, ss=3)
    draw_thing(pen, kind, (0, 0, width, height), family=family, max_line=max(1.0, height / 120))
    return pen.finish()


def held_box(
    kind: str, hand: tuple[float, float], px_per_m: float, turn: float = 0.0, facing: int = 1
) -> Box:
    """The canvas box of `kind` held with its grip at `hand`, `px_per_m` pixels a metre,
    turned by `turn` about the grip (the box is the unturned one, for `draw_thing`)."""
    spec = thing_spec(kind)
    w_m, h_m = thing_size(kind)
    w, h = w_m * px_per_m, h_m * px_per_m
    gu, gv = spec.grip
    # From the grip to the box's centre, mirrored with the facing, then turned.
    ox, oy = (0.5 - gu) * w * (1 if facing >= 0 else -1), (0.5 - gv) * h
    c, s_ = math.cos(turn), math.sin(turn)
    cx, cy = hand[0] + ox * c - oy * s_, hand[1] + ox * s_ + oy * c
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def mix_tint(colour: RGB, kind: str) -> RGB:
    """A colour nudged by the kind's name (for kinds drawn by their family)."""
    rng = stable_random("tint", kind)
    return mix(colour, (rng.randrange(256), rng.randrange(256), rng.randrange(256)), 0.35)
