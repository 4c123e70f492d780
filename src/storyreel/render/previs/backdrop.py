"""The setting behind the figures: sky or walls, ground or floor, and scenery.

Layout and colours come from a seed of the location's name, so the same place looks the
same in every shot and different places differ. Scenery is laid out in backdrop units
around the first subject and scaled per shot with `Stage.backdrop_scale`, so a pan over
the same place in two shots shows the same houses.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image

from storyreel.model import Setting
from storyreel.render.previs.pen import Pen, glow
from storyreel.render.previs.stage import Stage
from storyreel.render.previs.util import RGB, mix, shade, stable_random

Time = Literal["day", "night", "dawn", "dusk"]
Kind = Literal["city", "nature", "room"]
# Backdrop units (x along the wall or street, y up from the horizon or floor line) to
# canvas pixels.
_At = Callable[[float, float], tuple[float, float]]
# A glow: centre x, y, radius (canvas pixels), colour, strength.
Light = tuple[float, float, float, RGB, float]

# World height of the horizon (camera a little below eye level) and of the line where an
# interior's back wall meets the floor.
HORIZON_Y = 0.75
FLOOR_LINE_Y = 0.32

_ROOM_WORDS = (
    "room", "kitchen", "office", "bar", "cafe", "café", "shop", "store", "hall", "house",
    "apartment", "flat", "bedroom", "studio", "classroom", "hospital", "restaurant", "car",
    "室", "房", "厅", "厨", "店", "馆", "屋", "家", "楼", "车厢", "教室", "医院",
)  # fmt: skip
_NATURE_WORDS = (
    "park", "forest", "wood", "field", "hill", "mountain", "river", "lake", "beach", "garden",
    "farm", "meadow", "countryside", "village", "valley", "shore", "sea", "desert",
    "公园", "山", "林", "田", "河", "湖", "海", "园", "村", "野", "岸", "坡",
)  # fmt: skip
_CITY_WORDS = ("street", "market", "city", "road", "alley", "square", "街", "市", "城", "路", "巷")
_LANTERN_WORDS = ("market", "lantern", "festival", "night market", "夜市", "灯笼", "庙会", "集")

SKIES: dict[Time, tuple[RGB, RGB]] = {  # zenith, horizon
    "day": ((92, 152, 222), (206, 228, 244)),
    "dawn": ((98, 104, 170), (250, 184, 160)),
    "dusk": ((64, 62, 124), (246, 156, 100)),
    "night": ((12, 16, 38), (40, 48, 88)),
}
_WALLS: tuple[RGB, ...] = (
    (230, 218, 194),
    (198, 212, 200),
    (214, 194, 172),
    (184, 200, 216),
    (232, 214, 206),
    (210, 206, 186),
)
_FLOORS: tuple[RGB, ...] = ((156, 108, 72), (124, 88, 62), (178, 172, 160), (142, 118, 92))
_GROUNDS: dict[Kind, tuple[RGB, ...]] = {
    "nature": ((110, 160, 84), (92, 146, 76), (134, 168, 90)),
    "city": ((150, 146, 140), (136, 134, 132), (160, 150, 136)),
    "room": ((150, 146, 140),),
}
_BUILDINGS: tuple[RGB, ...] = (
    (196, 170, 150),
    (170, 160, 164),
    (214, 196, 170),
    (150, 160, 176),
    (188, 140, 120),
    (200, 200, 196),
)
_ACCENTS: tuple[RGB, ...] = ((176, 70, 60), (70, 110, 150), (200, 150, 60), (90, 130, 90))


@dataclass(frozen=True)
class Place:
    """A setting resolved to what the previs draws for it."""

    location: str
    kind: Kind
    time: Time
    seed_key: str

    @property
    def interior(self) -> bool:
        return self.kind == "room"

    def rng(self, what: str) -> random.Random:
        return stable_random("place", self.seed_key, what)


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    for w in words:
        if w.isascii():
            if re.search(rf"\b{re.escape(w)}s?\b", text):
                return True
        elif w in text:
            return True
    return False


def place_for(setting: Setting | None) -> Place:
    location = (setting.location if setting else "").strip()
    text = location.lower()
    time: Time = (setting.time if setting and setting.time else None) or "day"
    interior = setting.interior if setting else None
    kind: Kind
    if interior == "int" or (interior is None and _mentions(text, _ROOM_WORDS)):
        kind = "room"
    elif _mentions(text, _NATURE_WORDS):
        kind = "nature"
    elif _mentions(text, _CITY_WORDS):
        kind = "city"
    else:
        kind = stable_random("kind", text).choice(("city", "nature"))
    return Place(location=location, kind=kind, time=time, seed_key=text)


def paint_backdrop(stage: Stage, setting: Setting | None, kind: str | None = None) -> np.ndarray:
    """The setting as an RGB array of the stage's canvas size: drawn as setting `kind`
    (one of sets.SET_KINDS) when given, else as a city, nature or room by the words of
    its location."""
    if kind is not None:
        # Imported here: the sets are drawn with this module's sky and helpers.
        from storyreel.render.previs.sets import paint_set

        return paint_set(stage, setting, kind).pixels
    place = place_for(setting)
    if place.interior:
        return _paint_room(stage, place)
    return _paint_outside(stage, place)


# --- outside ----------------------------------------------------------------------------


def vertical(top: RGB, bottom: RGB, rows: np.ndarray) -> np.ndarray:
    """Per-row colours (rows, 3) from `top` (t=0) to `bottom` (t=1)."""
    t = np.clip(rows, 0.0, 1.0)[:, None]
    a = np.asarray(top, dtype=np.float32)
    b = np.asarray(bottom, dtype=np.float32)
    colours: np.ndarray = a + (b - a) * t
    return colours


def horizon_px(stage: Stage, world_y: float) -> float:
    # Close framings would push the horizon far below the frame and leave an empty sky
    # or a bare wall; keep it near the bottom so the place stays readable.
    y = stage.px(0, world_y + stage.horizon_lift)[1]
    return min(y, stage.height - stage.frame_height * 0.06)


def _paint_outside(stage: Stage, place: Place) -> np.ndarray:
    rng = place.rng("outside")
    zenith, horizon_col = SKIES[place.time]
    zenith = mix(zenith, rng.choice(((70, 120, 210), (110, 170, 220), (90, 140, 200))), 0.25)
    ground = rng.choice(_GROUNDS[place.kind])
    if place.time == "night":
        ground = mix(shade(ground, 0.3), (20, 26, 50), 0.4)
    elif place.time in ("dawn", "dusk"):
        ground = mix(shade(ground, 0.8), (180, 110, 90), 0.15)
    hz = horizon_px(stage, HORIZON_Y)
    bs = stage.backdrop_scale(0.5)
    ox = stage.px(0, 0)[0]

    rows = np.arange(stage.height, dtype=np.float32)
    sky = vertical(zenith, horizon_col, 1 - (hz - rows) / (bs * 3.2))
    # The ground is lighter far away (haze) and darker at the viewer's feet.
    near = shade(ground, 0.82)
    land = vertical(mix(ground, horizon_col, 0.25), near, (rows - hz) / (stage.scale * 1.2 + 1))
    colours = np.where((rows < hz)[:, None], sky, land).astype(np.uint8)
    pixels = np.ascontiguousarray(
        np.broadcast_to(colours[:, None, :], (stage.height, stage.width, 3))
    )

    def at(x: float, y: float) -> tuple[float, float]:
        return ox + x * bs, hz - y * bs

    # Sun or moon behind everything else.
    lrng = place.rng("lights")
    light_x = lrng.uniform(-3.0, 3.0)
    if place.time == "night":
        mx, my = at(light_x, 2.5)
        glow(pixels, mx, my, bs * 0.9, (120, 130, 170), 0.35)
    elif place.time == "day":
        sx, sy = at(light_x, 2.4)
        glow(pixels, sx, sy, bs * 1.6, (255, 250, 225), 0.55)
    else:
        sx, sy = at(light_x, 0.35)
        glow(pixels, sx, sy, bs * 2.6, (255, 210, 150), 0.6)

    image = Image.fromarray(pixels)
    pen = Pen(0, 0, stage.width, stage.height)
    sky_things(pen, place, at, bs, light_x)
    if place.kind == "city":
        _city(pen, place, at, bs, horizon_col)
    else:
        _nature(pen, place, at, bs, horizon_col, ground)
    pen.rect(0, hz, stage.width, hz + max(1.0, bs * 0.012), shade(ground, 0.9))
    lights: list[Light] = []
    lanterns = place.time == "night" and _mentions(place.location.lower(), _LANTERN_WORDS)
    if place.time == "night" and not lanterns:
        lights = _street_lamps(pen, place, at, bs, stage)
    pen.composite_onto(image)
    if lanterns:
        # Their own layer, composited after their glow, just the height of the strings.
        top = max(0, int(at(0, 2.0)[1]))
        bottom = min(stage.height, int(at(0, 0.85)[1]) + 1)
        if top < bottom:
            strings = Pen(0, top, stage.width, bottom - top)
            lights = _lanterns(strings, place, at, bs)
            pixels = np.array(image)
            for light in lights:
                glow(pixels, *light)
            image = Image.fromarray(pixels)
            strings.composite_onto(image)
            return np.array(image)
    pixels = np.array(image)
    for light in lights:
        glow(pixels, *light)
    return pixels


def sky_things(pen: Pen, place: Place, at: _At, bs: float, light_x: float) -> None:
    rng = place.rng("sky")
    if place.time == "night":
        for _ in range(70):
            x, y = at(rng.uniform(-14, 14), rng.uniform(0.6, 5.0))
            r = max(0.6, bs * rng.uniform(0.006, 0.014))
            pen.ellipse(x, y, r, r, (250, 246, 220, rng.randint(150, 255)))
        mx, my = at(light_x, 2.5)
        pen.ellipse(mx, my, bs * 0.17, bs * 0.17, (244, 240, 214))
        pen.ellipse(mx + bs * 0.07, my - bs * 0.04, bs * 0.15, bs * 0.15, (34, 40, 74, 120))
        return
    if place.time == "day":
        sx, sy = at(light_x, 2.4)
        pen.ellipse(sx, sy, bs * 0.2, bs * 0.2, (255, 246, 200))
    else:
        sx, sy = at(light_x, 0.35)
        pen.ellipse(sx, sy, bs * 0.3, bs * 0.3, (255, 214, 150))
    cloud = (255, 255, 255, 225) if place.time == "day" else (255, 214, 204, 200)
    for _ in range(rng.randint(4, 7)):
        cx, cy = rng.uniform(-11, 11), rng.uniform(1.3, 3.4)
        size = rng.uniform(0.25, 0.5)
        for dx, dy, r in ((0, 0, 1.0), (0.9, -0.15, 0.75), (-0.9, -0.2, 0.7), (0.4, 0.35, 0.7)):
            x, y = at(cx + dx * size, cy + dy * size)
            pen.ellipse(x, y, r * size * bs * 1.1, r * size * bs * 0.7, cloud)


def _city(pen: Pen, place: Place, at: _At, bs: float, haze: RGB) -> None:
    rng = place.rng("city")
    night = place.time == "night"
    for row, (fade, tall) in enumerate(((0.55, 2.6), (0.25, 1.7))):
        x = -16.0 + rng.uniform(0, 0.5)
        while x < 16:
            w = rng.uniform(0.6, 1.4)
            h = rng.uniform(0.5, tall)
            base = rng.choice(_BUILDINGS)
            body = mix(shade(base, 0.22), (20, 24, 48), 0.3) if night else mix(base, haze, fade)
            x0, y0 = at(x, h)
            x1, y1 = at(x + w, 0)
            pen.rect(x0, y0, x1, y1, body)
            if row == 1:  # roof edge
                pen.rect(x0 - bs * 0.02, y0, x1 + bs * 0.02, y0 + bs * 0.05, shade(body, 0.8))
            _windows(pen, rng, (x, w, h), at, bs, body, night, row)
            x += w + rng.uniform(0.02, 0.35)


def _windows(
    pen: Pen,
    rng: random.Random,
    box: tuple[float, float, float],
    at: _At,
    bs: float,
    body: RGB,
    night: bool,
    row: int,
) -> None:
    x, w, h = box
    size, step = 0.12, 0.3
    cols = max(1, int((w - 0.15) / step))
    floors = max(1, int((h - 0.2) / step))
    margin = (w - cols * step) / 2 + (step - size) / 2
    for f in range(floors):
        for c in range(cols):
            wx = x + margin + c * step
            wy = h - 0.15 - f * step
            if night:
                lit = rng.random() < 0.45
                fill = (255, 214, 120) if lit else shade(body, 0.7)
            else:
                fill = mix(shade(body, 0.75), (150, 180, 210), 0.3 if row else 0.15)
            x0, y0 = at(wx, wy)
            x1, y1 = at(wx + size, wy - size * 1.3)
            pen.rect(x0, y0, x1, y1, fill)


def _nature(pen: Pen, place: Place, at: _At, bs: float, haze: RGB, ground: RGB) -> None:
    rng = place.rng("nature")
    night = place.time == "night"
    hill = mix(shade(ground, 0.85), haze, 0.45)
    for _ in range(5):
        cx, rx, ry = rng.uniform(-12, 12), rng.uniform(2.5, 5), rng.uniform(0.4, 1.1)
        x, y = at(cx, 0)
        # Only the part above the horizon: the ground in front stays ground.
        arc = [(math.cos(a / 16 * math.pi), math.sin(a / 16 * math.pi)) for a in range(17)]
        pen.polygon([(x + c * rx * bs, y - s * ry * bs) for c, s in arc], hill)
    x = -15.0
    while x < 15:
        x += rng.uniform(0.5, 1.6)
        h = rng.uniform(0.45, 0.9)
        leaf = rng.choice(((70, 128, 70), (88, 140, 72), (60, 112, 78), (110, 146, 70)))
        if night:
            leaf = mix(shade(leaf, 0.3), (16, 22, 44), 0.4)
        trunk = (60, 48, 44) if night else (110, 80, 56)
        tx, ty = at(x, h * 0.45)
        _, by = at(x, 0)
        pen.rect(tx - bs * 0.03, ty, tx + bs * 0.03, by, trunk)
        for dx, dy, r in ((0, 0.62, 0.26), (-0.14, 0.5, 0.2), (0.15, 0.52, 0.21)):
            cx, cy = at(x + dx * h, h * dy / 0.62 * 0.9)
            pen.ellipse(cx, cy, r * h * bs * 1.1, r * h * bs, shade(leaf, 1 + 0.08 * (dx > 0)))


def _lanterns(pen: Pen, place: Place, at: _At, bs: float) -> list[Light]:
    """Strings of paper lanterns across the sky; returns their lights for glows."""
    rng = place.rng("lanterns")
    lights: list[Light] = []
    for string in range(2):
        y = 1.25 + string * 0.35
        pts = [at(x / 2, y - 0.08 * math.sin(x / 2 * 1.3 + string)) for x in range(-30, 31)]
        pen.line(pts, (40, 30, 30), max(1.0, bs * 0.01))
        for x in np.arange(-14.5 + string * 0.2, 15, 0.45):
            px, py = at(float(x), y - 0.08 * math.sin(x * 1.3 + string) - 0.07)
            colour = rng.choice(((220, 50, 40), (236, 90, 40), (230, 170, 60)))
            pen.ellipse(px, py, bs * 0.07, bs * 0.085, colour)
            if -bs < px < pen.w + bs:
                lights.append((px, py, bs * 0.28, (255, 150, 80), 0.35))
    return lights


def _street_lamps(pen: Pen, place: Place, at: _At, bs: float, stage: Stage) -> list[Light]:
    """Lamp posts in front of the houses; returns their lights for glows."""
    rng = place.rng("lamps")
    near = stage.backdrop_scale(0.25) / bs  # lamps stand closer than the houses
    lights: list[Light] = []
    x = -12.0 + rng.uniform(0, 1)
    while x < 12:
        bx, by = at(x * near, 0)
        tx, ty = at(x * near, 1.1 * near)
        pen.rect(bx - bs * 0.015 * near, ty, bx + bs * 0.015 * near, by, (30, 30, 40))
        pen.ellipse(tx, ty, bs * 0.06 * near, bs * 0.06 * near, (255, 230, 160))
        lights.append((tx, ty, bs * 0.8 * near, (255, 214, 140), 0.45))
        x += rng.uniform(2.5, 4.0)
    return lights


# --- inside -----------------------------------------------------------------------------


def _paint_room(stage: Stage, place: Place) -> np.ndarray:
    rng = place.rng("room")
    night = place.time == "night"
    wall = rng.choice(_WALLS)
    floor = rng.choice(_FLOORS)
    accent = rng.choice(_ACCENTS)
    fl = horizon_px(stage, FLOOR_LINE_Y)
    bs = stage.backdrop_scale(0.35)
    ox = stage.px(0, 0)[0]

    def at(x: float, y: float) -> tuple[float, float]:
        return ox + x * bs, fl - y * bs

    rows = np.arange(stage.height, dtype=np.float32)
    wall_rows = vertical(shade(wall, 0.86), wall, 1 - (fl - rows) / (bs * 2.2))
    floor_rows = vertical(shade(floor, 1.15), shade(floor, 0.8), (rows - fl) / (stage.scale + 1))
    colours = np.where((rows < fl)[:, None], wall_rows, floor_rows).astype(np.uint8)
    pixels = np.ascontiguousarray(
        np.broadcast_to(colours[:, None, :], (stage.height, stage.width, 3))
    )
    image = Image.fromarray(pixels)
    pen = Pen(0, 0, stage.width, stage.height)

    # Wainscot and skirting, then planks.
    _, rail = at(0, 0.36)
    pen.rect(0, rail, stage.width, fl, shade(wall, 0.9))
    pen.rect(0, rail - bs * 0.02, stage.width, rail + bs * 0.02, shade(wall, 1.25))
    pen.rect(0, fl - bs * 0.06, stage.width, fl, shade(wall, 0.7))
    gap = stage.scale * 0.08 + 2
    y = fl + gap
    while y < stage.height:
        pen.rect(0, y, stage.width, y + max(1.0, gap * 0.06), shade(floor, 0.85))
        gap *= 1.35
        y += gap

    # Bays along the back wall, each with one piece; the bay at the subject is a window
    # so close-ups see outside behind the head.
    lamps: list[tuple[float, float]] = []
    for bay in range(-4, 5):
        x = bay * 2.3 + rng.uniform(-0.3, 0.3)
        piece = (
            "window" if bay == 0 else rng.choice(("window", "door", "shelf", "picture", "table"))
        )
        if piece == "window":
            _window(pen, at, bs, x, night, place)
        elif piece == "door":
            _door(pen, at, bs, x, shade(floor, 0.8))
        elif piece == "shelf":
            _shelf(pen, at, bs, x, shade(floor, 0.75), rng)
        elif piece == "picture":
            _picture(pen, at, bs, x, accent, rng)
        else:
            lamps.append(_table(pen, at, bs, x, shade(floor, 0.7), accent))
    pen.composite_onto(image)
    pixels = np.array(image)
    if night:
        # Lamplight: the room dims towards warm shadow, brightest around each lamp.
        dark = (pixels.astype(np.float32) * np.asarray((0.42, 0.38, 0.36), np.float32)).astype(
            np.uint8
        )
        reach = bs * 3.2
        lamps = [(lx, ly) for lx, ly in lamps if -reach < lx < stage.width + reach]
        pendant = not lamps
        lamps = lamps or [at(0.8, 1.7)]
        for lx, ly in lamps:
            glow(dark, lx, ly, reach, (255, 206, 140), 0.6)
        pixels = dark
        lit = Image.fromarray(pixels)
        # Lit shades, on a layer just the size of the lamps.
        x0 = max(0, int(min(lx for lx, _ in lamps) - bs * 0.2))
        x1 = min(stage.width, int(max(lx for lx, _ in lamps) + bs * 0.2) + 1)
        y0 = 0 if pendant else max(0, int(min(ly for _, ly in lamps) - bs * 0.2))
        y1 = min(stage.height, int(max(ly for _, ly in lamps) + bs * 0.1) + 1)
        if x0 < x1 and y0 < y1:
            shades = Pen(x0, y0, x1 - x0, y1 - y0)
            for lx, ly in lamps:
                if pendant:  # no table lamp in view: a lamp hangs from the ceiling
                    shades.rect(lx - bs * 0.006, 0, lx + bs * 0.006, ly - bs * 0.1, (40, 34, 30))
                shades.ellipse(lx, ly + bs * 0.05, bs * 0.07, bs * 0.05, (255, 240, 200))
                _lamp_shade(shades, lx, ly, bs, (250, 210, 150))
            shades.composite_onto(lit)
        pixels = np.array(lit)
    return pixels


def _window(pen: Pen, at: _At, bs: float, x: float, night: bool, place: Place) -> None:
    x0, y0 = at(x - 0.45, 1.5)
    x1, y1 = at(x + 0.45, 0.5)
    frame = (240, 236, 226) if not night else (150, 140, 130)
    pen.rect(x0 - bs * 0.05, y0 - bs * 0.05, x1 + bs * 0.05, y1 + bs * 0.05, frame)
    top, low = SKIES[place.time]
    steps = 12
    for i in range(steps):
        ya = y0 + (y1 - y0) * i / steps
        yb = y0 + (y1 - y0) * (i + 1) / steps
        pen.rect(x0, ya, x1, yb + 1, mix(top, low, i / (steps - 1)))
    if night:
        pen.ellipse(
            x0 + (x1 - x0) * 0.7, y0 + (y1 - y0) * 0.25, bs * 0.07, bs * 0.07, (240, 236, 210)
        )
    else:
        # A hillside outside, inside the glass.
        h = y1 - y0
        slope = [
            (x0 + (x1 - x0) * i / 8, y1 - h * (0.3 - 0.12 * math.sin(i / 8 * 2.5)))
            for i in range(9)
        ]
        pen.polygon([(x0, y1), *slope, (x1, y1)], (150, 190, 140))
    bar = max(1.0, bs * 0.03)
    pen.rect((x0 + x1) / 2 - bar / 2, y0, (x0 + x1) / 2 + bar / 2, y1, frame)
    pen.rect(x0, (y0 + y1) / 2 - bar / 2, x1, (y0 + y1) / 2 + bar / 2, frame)
    pen.rect(x0 - bs * 0.1, y1 + bs * 0.03, x1 + bs * 0.1, y1 + bs * 0.09, frame)


def _door(pen: Pen, at: _At, bs: float, x: float, wood: RGB) -> None:
    x0, y0 = at(x - 0.33, 1.55)
    x1, y1 = at(x + 0.33, 0)
    pen.rect(x0 - bs * 0.05, y0 - bs * 0.05, x1 + bs * 0.05, y1, shade(wood, 1.3))
    pen.rect(x0, y0, x1, y1, wood)
    inset = bs * 0.08
    mid = (y0 + y1) / 2
    pen.rect(x0 + inset, y0 + inset, x1 - inset, mid - inset / 2, shade(wood, 0.88))
    pen.rect(x0 + inset, mid + inset / 2, x1 - inset, y1 - inset, shade(wood, 0.88))
    pen.ellipse(x1 - bs * 0.09, mid, bs * 0.03, bs * 0.03, (214, 180, 90))


def _shelf(pen: Pen, at: _At, bs: float, x: float, wood: RGB, rng: random.Random) -> None:
    x0, y0 = at(x - 0.4, 1.4)
    x1, y1 = at(x + 0.4, 0)
    pen.rect(x0, y0, x1, y1, wood)
    for level in range(4):
        _, sy = at(0, 1.32 - level * 0.33)
        bx = x0 + bs * 0.05
        while bx < x1 - bs * 0.1:
            bw = bs * rng.uniform(0.04, 0.08)
            bh = bs * rng.uniform(0.16, 0.24)
            colour = rng.choice(((170, 70, 60), (70, 100, 150), (210, 180, 90), (90, 130, 90)))
            pen.rect(bx, sy + bs * 0.25 - bh, bx + bw, sy + bs * 0.25, colour)
            bx += bw + bs * 0.01
        pen.rect(x0, sy + bs * 0.25, x1, sy + bs * 0.29, shade(wood, 0.8))


def _picture(pen: Pen, at: _At, bs: float, x: float, accent: RGB, rng: random.Random) -> None:
    x0, y0 = at(x - 0.3, 1.45)
    x1, y1 = at(x + 0.3, 0.95)
    pen.rect(x0 - bs * 0.04, y0 - bs * 0.04, x1 + bs * 0.04, y1 + bs * 0.04, (90, 70, 50))
    pen.rect(x0, y0, x1, y1, (236, 230, 214))
    hx = x0 + (x1 - x0) * rng.uniform(0.3, 0.7)
    pen.polygon([(x0, y1), (hx, y0 + (y1 - y0) * 0.3), (x1, y1)], shade(accent, 1.2))
    pen.ellipse(x1 - (x1 - x0) * 0.25, y0 + (y1 - y0) * 0.3, bs * 0.05, bs * 0.05, (240, 190, 90))


def _table(pen: Pen, at: _At, bs: float, x: float, wood: RGB, accent: RGB) -> tuple[float, float]:
    """A side table with a lamp on it; returns the lamp's light position."""
    x0, y0 = at(x - 0.45, 0.5)
    x1, _ = at(x + 0.45, 0.5)
    _, y1 = at(0, 0)
    pen.rect(x0, y0, x1, y0 + bs * 0.05, wood)
    for lx in (x0 + bs * 0.05, x1 - bs * 0.1):
        pen.rect(lx, y0, lx + bs * 0.05, y1, shade(wood, 0.85))
    bx, by = at(x + 0.15, 0.5)
    pen.rect(bx - bs * 0.015, by - bs * 0.4, bx + bs * 0.015, by, (70, 60, 56))
    pen.ellipse(bx, by - bs * 0.01, bs * 0.08, bs * 0.02, (70, 60, 56))
    pen.ellipse(x0 + bs * 0.25, y0 - bs * 0.06, bs * 0.08, bs * 0.06, accent)  # a bowl
    lx, ly = bx, by - bs * 0.44
    _lamp_shade(pen, lx, ly, bs, shade(accent, 1.4))
    return lx, ly


def _lamp_shade(pen: Pen, lx: float, ly: float, bs: float, colour: RGB) -> None:
    pen.polygon(
        [
            (lx - bs * 0.08, ly - bs * 0.12),
            (lx + bs * 0.08, ly - bs * 0.12),
            (lx + bs * 0.16, ly + bs * 0.04),
            (lx - bs * 0.16, ly + bs * 0.04),
        ],
        colour,
    )
