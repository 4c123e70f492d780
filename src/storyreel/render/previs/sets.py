"""Setting kinds: a recognisable backdrop for each kind of place a story names.

`paint_set(stage, setting, kind)` lays the sky and ground (outside) or the wall and
floor (inside) in the light of the setting's time of day, calls the kind's painter
(sets_outside.py, sets_inside.py) and lights the result: lamps and lit windows glow
at night, windows let daylight into rooms by day. Layout and colours are seeded by the
location's name, as backdrop.py's are, so a place looks the same in every shot.

A kind outside the vocabulary falls back to a plain living room or street (by whether
the setting is an interior), so an extended vocabulary still renders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from storyreel.model import Setting
from storyreel.render.previs.backdrop import (
    SKIES,
    Place,
    place_for,
    sky_things,
    vertical,
)
from storyreel.render.previs.pen import Pen, glow
from storyreel.render.previs.scenery import PASSING_SPEED, Passing, Scene
from storyreel.render.previs.sets_inside import INSIDE
from storyreel.render.previs.sets_outside import OUTSIDE
from storyreel.render.previs.stage import Stage
from storyreel.render.previs.util import RGB, mix, shade

# Other names of drawn kinds (the vocabulary's keys and common synonyms).
ALIASES: dict[str, str] = {
    "ocean": "sea",
    "field": "meadow",
    "harbor": "harbour",
    "pier": "harbour",
    "space_ship": "spaceship",
    "restaurant_cafe": "restaurant",
    "hall": "corridor",
    "hallway": "corridor",
    "room": "living_room",
    "city": "street",
    "nature": "park",
}
SET_KINDS: tuple[str, ...] = tuple(sorted((*OUTSIDE, *INSIDE)))

# The sea's colours stand in for the sky under water: bright above, deep below.
_UNDERWATER_SKY: dict[str, tuple[RGB, RGB]] = {
    "day": ((120, 200, 220), (30, 100, 140)),
    "dawn": ((110, 170, 200), (30, 80, 120)),
    "dusk": ((90, 140, 180), (24, 64, 100)),
    "night": ((20, 50, 80), (6, 20, 40)),
}


@dataclass(frozen=True)
class SetPicture:
    """A painted set: the canvas (RGB) and any windows whose view moves."""

    pixels: np.ndarray
    passing: Passing | None = None


def set_kind(kind: str | None, setting: Setting | None) -> str:
    """The drawn kind for `kind` (an alias resolved), or the fallback for an unknown or
    missing one: a street outside, a living room inside."""
    if kind:
        key = kind.strip().lower().replace(" ", "_").replace("-", "_")
        key = ALIASES.get(key, key)
        if key in OUTSIDE or key in INSIDE:
            return key
    place = place_for(setting)
    return "living_room" if place.interior else {"city": "street"}.get(place.kind, "park")


def is_interior(kind: str | None, setting: Setting | None) -> bool:
    """Whether the set drawn for `kind` (None: from the location's words) is indoors."""
    if kind is None:
        return place_for(setting).interior
    return set_kind(kind, setting) in INSIDE


def paint_set(stage: Stage, setting: Setting | None, kind: str | None) -> SetPicture:
    """The setting drawn as `kind` (see `set_kind`) on the stage's canvas."""
    drawn = set_kind(kind, setting)
    place = place_for(setting)
    if drawn in INSIDE:
        return _inside(stage, place, drawn)
    return _outside(stage, place, drawn)


# --- outside ---------------------------------------------------------------------------


def _outside(stage: Stage, place: Place, kind: str) -> SetPicture:
    s = Scene(stage, place, kind, interior=False)
    ground_colour, painter = OUTSIDE[kind]
    under = kind == "underwater"
    zenith, horizon_col = (_UNDERWATER_SKY if under else SKIES)[place.time]
    ground = s.c(ground_colour)
    rows = np.arange(stage.height, dtype=np.float32)
    hz = s.base
    sky = vertical(zenith, horizon_col, 1 - (hz - rows) / (s.bs * 3.2))
    land = vertical(
        mix(ground, horizon_col, 0.2), shade(ground, 0.85), (rows - hz) / (s.h - hz + 1)
    )
    colours = np.where((rows < hz)[:, None], sky, land).astype(np.uint8)
    pixels = np.ascontiguousarray(np.broadcast_to(colours[:, None, :], (s.h, s.w, 3)))
    light_x = place.rng("lights").uniform(-3.0, 3.0)
    if not under:
        _sun_glow(pixels, s, light_x)
        sky_things(s.pen, place, s.at, s.bs, light_x)
    painter(s)
    image = Image.fromarray(pixels)
    s.pen.composite_onto(image)
    pixels = np.array(image)
    strength = {"night": 1.0, "dusk": 0.5, "dawn": 0.3}.get(place.time, 0.0)
    if strength:
        for x, y, r, colour, amount in s.lights:
            glow(pixels, x, y, r, colour, amount * strength)
    return SetPicture(pixels)


def _sun_glow(pixels: np.ndarray, s: Scene, light_x: float) -> None:
    if s.night:
        mx, my = s.at(light_x, 2.5)
        glow(pixels, mx, my, s.bs * 0.9, (120, 130, 170), 0.35)
    elif s.time == "day":
        sx, sy = s.at(light_x, 2.4)
        glow(pixels, sx, sy, s.bs * 1.6, (255, 250, 225), 0.55)
    else:
        sx, sy = s.at(light_x, 0.35)
        glow(pixels, sx, sy, s.bs * 2.6, (255, 210, 150), 0.6)


# --- inside ----------------------------------------------------------------------------


def _inside(stage: Stage, place: Place, kind: str) -> SetPicture:
    s = Scene(stage, place, kind, interior=True)
    wall, floor, painter = INSIDE[kind]
    rows = np.arange(stage.height, dtype=np.float32)
    fl = s.base
    wall_rows = vertical(shade(wall, 0.86), wall, 1 - (fl - rows) / (s.bs * 2.2))
    floor_rows = vertical(shade(floor, 1.1), shade(floor, 0.8), (rows - fl) / (s.h - fl + 1))
    colours = np.where((rows < fl)[:, None], wall_rows, floor_rows).astype(np.uint8)
    pixels = np.ascontiguousarray(np.broadcast_to(colours[:, None, :], (s.h, s.w, 3)))
    s.rect(-1e3, 0.05, 1e3, 0.0, shade(wall, 0.7))  # skirting
    painter(s)
    image = Image.fromarray(pixels)
    s.pen.composite_onto(image)
    pixels = np.array(image)
    if s.night:
        # Lamplight: the room dims to warm shadow, brightest round each lamp; a room
        # without a lamp in view is lit from above.
        pixels = (pixels.astype(np.float32) * np.float32(0.45)).astype(np.uint8)
        lights = s.lights or [(*s.at(0.8, 2.0), s.u(3.2), (255, 206, 140), 0.5)]
        for x, y, r, colour, amount in lights:
            glow(pixels, x, y, r, colour, amount)
    elif s.time in ("dawn", "dusk"):
        # Low sun: the room dims and warms, and the lamps are coming on.
        warm = np.asarray((0.86, 0.76, 0.66), np.float32)
        pixels = (pixels.astype(np.float32) * warm).astype(np.uint8)
        for x, y, r, colour, amount in s.lights:
            glow(pixels, x, y, r, colour, amount * 0.6)
    else:
        for x, y, r, colour, amount in s.lights:
            glow(pixels, x, y, r, colour, amount * 0.5)
    passing = _passing(s, pixels) if s.passing else None
    return SetPicture(pixels, passing)


def _passing(s: Scene, pixels: np.ndarray) -> Passing | None:
    """The view that slides past the scene's windows, painted into them at its start."""
    # Even corners and sizes: the boxes are copied into 4:2:0 planes per frame.
    boxes = tuple(
        (a, b, a + (c - a) // 2 * 2, b + (d - b) // 2 * 2)
        for a, b, c, d in (
            (max(0, x0 + x0 % 2), max(0, y0 + y0 % 2), min(s.w, x1), min(s.h, y1))
            for x0, y0, x1, y1 in s.passing
        )
        if c - a >= 4 and d - b >= 4
    )
    if not boxes:
        return None
    height = max(y1 - y0 for _, y0, _, y1 in boxes)
    height += height % 2
    speed = PASSING_SPEED * s.stage.frame_height * s.stage.zoom
    width = max(64, int(speed * 2)) // 2 * 2  # two seconds of travel, then it repeats
    strip = _strip(s, width, height)
    for x0, y0, x1, y1 in boxes:
        pixels[y0:y1, x0:x1] = _tile(strip, x1 - x0)[: y1 - y0]
    return Passing(boxes=boxes, strip=strip, speed=speed)


def _tile(strip: np.ndarray, width: int) -> np.ndarray:
    reps = -(-width // strip.shape[1])
    tiled: np.ndarray = np.concatenate([strip] * reps, axis=1)[:, :width]
    return tiled


def _strip(s: Scene, width: int, height: int) -> np.ndarray:
    """Countryside rushing by: sky, hills, poles and trees (by night: dark land and
    the streaks of passing lights)."""
    rng = s.rng("strip")
    top, low = SKIES[s.time]
    rows = np.arange(height, dtype=np.float32) / max(1, height - 1)
    colours = vertical(top, low, rows / 0.6).astype(np.uint8)
    pixels = np.ascontiguousarray(np.broadcast_to(colours[:, None, :], (height, width, 3)))
    image = Image.fromarray(pixels)
    pen = Pen(0, 0, width, height)
    land = (40, 50, 60) if s.night else (120, 170, 110)
    horizon = height * 0.62
    pts = [
        (width * i / 16, horizon - height * 0.1 * (1 + np.sin(i / 16 * 2 * np.pi * 2)))
        for i in range(17)
    ]
    pen.polygon([(0, height), *[(float(x), float(y)) for x, y in pts], (width, height)], land)
    n = 6
    for i in range(n):
        x = width * (i + rng.uniform(0.1, 0.9)) / n
        if s.night:
            y = height * rng.uniform(0.55, 0.85)
            pen.rect(x, y, x + width * 0.04, y + max(1.0, height * 0.02), (255, 220, 140))
        else:
            pen.ellipse(x, horizon - height * 0.08, height * 0.12, height * 0.1, (70, 120, 70))
            pen.rect(x + width * 0.06, height * 0.2, x + width * 0.06 + 2, height, (80, 70, 60))
    pen.composite_onto(image)
    return np.array(image)
