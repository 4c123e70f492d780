"""Painters of the outdoor setting kinds: what stands between the horizon and the
figures. The sky and the ground's colour are laid by sets.py first; y is up from the
horizon in backdrop units (negative: the ground in front of it)."""

from __future__ import annotations

import math

from storyreel.render.previs.scenery import (
    Painter,
    Scene,
    crowd_heads,
    curved_roof,
    palm,
    pine,
    pitched_house,
    round_tree,
    water,
)
from storyreel.render.previs.util import RGB, mix, shade

_BUILDINGS: tuple[RGB, ...] = (
    (196, 170, 150),
    (170, 160, 164),
    (214, 196, 170),
    (150, 160, 176),
    (188, 140, 120),
    (200, 200, 196),
)
_AWNINGS: tuple[RGB, ...] = ((200, 60, 50), (230, 150, 40), (60, 120, 170), (70, 140, 90))
_SEA: RGB = (56, 110, 160)


def skyline(s: Scene, tall: float = 2.4, rows: int = 2, lit: float = 0.45) -> None:
    """Rows of buildings with windows (lit at night)."""
    rng = s.rng("skyline")
    for row in range(rows):
        far = row < rows - 1
        x = -16.0 + rng.uniform(0, 0.5)
        while x < 16:
            w, h = rng.uniform(0.6, 1.4), rng.uniform(0.5, tall * (1.0 if far else 0.7))
            base = rng.choice(_BUILDINGS)
            body = s.c(mix(base, (206, 228, 244), 0.45) if far else base)
            if s.visible(x, x + w):
                s.rect(x, h, x + w, 0, body)
                if not far:
                    s.rect(x - 0.02, h, x + w + 0.02, h - 0.05, shade(body, 0.8))
                for wy in _steps(h - 0.15, 0.2, 0.3):
                    for wx in _steps(x + 0.1, x + w - 0.2, 0.3, up=True):
                        on = s.night and rng.random() < lit
                        fill = (255, 214, 120) if on else shade(body, 0.75)
                        s.rect(wx, wy, wx + 0.12, wy - 0.16, fill)
            x += w + rng.uniform(0.02, 0.35)


def _steps(a: float, b: float, step: float, *, up: bool = False) -> list[float]:
    out: list[float] = []
    v = a
    while (v <= b) if up else (v >= b):
        out.append(v)
        v += step if up else -step
    return out


def lamp_posts(s: Scene, step: float = 2.6, height: float = 1.0) -> None:
    for x in s.xs(step, 0.7):
        s.rect(x - 0.02, height, x + 0.02, -0.1, s.c((40, 40, 48)))
        s.ell(x, height, 0.06, 0.06, (255, 230, 160) if s.night else s.c((220, 220, 210)))
        s.light(x, height, 0.9, (255, 214, 140), 0.45)


def lantern_string(s: Scene, y: float, sag: float = 0.08, step: float = 0.45) -> None:
    rng = s.rng(f"lanterns{y}")
    xs = s.xs(step, 0.1)
    pts = [(x, y - sag * math.sin(x * 1.3)) for x in xs]
    s.line(pts, s.c((40, 30, 30)), 0.01)
    for x, ly in pts:
        colour = rng.choice(((220, 50, 40), (236, 90, 40), (230, 170, 60)))
        s.ell(x, ly - 0.07, 0.07, 0.085, colour if s.night else s.c(colour))
        s.light(x, ly - 0.07, 0.28, (255, 150, 80), 0.35)


def stall(s: Scene, x: float, w: float, awning: RGB, goods: bool = True) -> None:
    """A market stall: counter, posts and a striped awning."""
    s.rect(x - w / 2, 0.42, x + w / 2, 0, s.c((140, 100, 70)))
    s.rect(x - w / 2, 0.45, x + w / 2, 0.4, s.c((170, 126, 90)))
    for px in (x - w / 2 + 0.03, x + w / 2 - 0.03):
        s.rect(px - 0.02, 1.0, px + 0.02, 0.42, s.c((90, 70, 56)))
    stripes = 6
    for i in range(stripes):
        a = x - w / 2 - 0.08 + (w + 0.16) * i / stripes
        b = a + (w + 0.16) / stripes
        fill = awning if i % 2 == 0 else (240, 236, 226)
        s.poly([(a + 0.04, 1.15), (b + 0.04, 1.15), (b, 0.92), (a, 0.92)], s.c(fill))
    if goods:
        rng = s.rng(f"goods{x:.2f}")
        for gx in _steps(x - w / 2 + 0.1, x + w / 2 - 0.1, 0.14, up=True):
            colour = rng.choice(((220, 80, 50), (240, 190, 60), (120, 170, 70), (230, 130, 60)))
            s.ell(gx, 0.5, 0.06, 0.05, s.c(colour))
    if s.night:
        s.ell(x, 0.86, 0.05, 0.05, (255, 236, 180))
        s.light(x, 0.86, 0.7, (255, 200, 130), 0.45)


def road(s: Scene, colour: RGB = (96, 96, 100)) -> None:
    s.rect(-1e3, -0.05, 1e3, -0.6, s.c(colour))
    s.rect(-1e3, -0.02, 1e3, -0.07, s.c((170, 166, 160)))  # kerb
    for x in s.xs(1.0):
        s.rect(x, -0.32, x + 0.45, -0.36, s.c((236, 226, 180)))


# --- city ---------------------------------------------------------------------------


def street(s: Scene) -> None:
    skyline(s)
    road(s)
    rng = s.rng("signs")
    for x in s.xs(2.2, 0.4):
        s.rect(x, 0.9, x + 0.5, 0.72, s.c(rng.choice(_AWNINGS)))
    lamp_posts(s)


def night_market(s: Scene) -> None:
    skyline(s, tall=1.8, lit=0.6)
    rng = s.rng("stalls")
    for x in s.xs(1.25, 0.2):
        stall(s, x, 1.0, rng.choice(_AWNINGS))
    crowd_heads(s, -0.05, 0.32, "crowd")
    lantern_string(s, 1.55)
    lantern_string(s, 1.9, step=0.5)


def market(s: Scene) -> None:
    skyline(s, tall=1.4, rows=1)
    rng = s.rng("stalls")
    for x in s.xs(1.25, 0.5):
        stall(s, x, 1.05, rng.choice(_AWNINGS))
        for bx in (x - 0.3, x + 0.2):  # crates in front
            s.rect(bx, 0.0, bx + 0.25, -0.18, s.c((170, 130, 80)))
    crowd_heads(s, -0.1, 0.3, "crowd")


def alley(s: Scene) -> None:
    """Two brick walls close on either side, lines converging on a narrow gap."""
    top = s.top + 1
    vx, vy = 0.0, 0.1
    wall, dark = s.c((150, 96, 80)), s.c((110, 74, 64))
    for side in (-1, 1):
        near = side * 4.0
        far = side * 0.45
        s.poly([(near, top), (far, 1.6), (far, -0.05), (near, -s.depth)], wall)
        for k in range(1, 14):  # brick courses converge
            y_near = top - (top + s.depth) * k / 14
            y_far = 1.6 - 1.65 * k / 14
            s.line([(near, y_near), (far, y_far)], dark, 0.008)
        dx = side * 1.8  # a door in the wall, lit by a bulb at night
        s.poly([(dx, 0.9), (dx + side * 0.35, 0.85), (dx + side * 0.35, -0.18), (dx, -0.25)], dark)
        s.ell(
            dx + side * 0.15, 1.05, 0.05, 0.05, (255, 230, 160) if s.night else s.c((200, 200, 190))
        )
        s.light(dx + side * 0.15, 1.05, 0.9, (255, 210, 140), 0.5)
    s.rect(-0.45, 1.6, 0.45, -0.05, s.c((120, 130, 150)))  # far end
    s.line([(-2.5, 2.3), (vx, vy + 1.8), (2.5, 2.2)], s.c((30, 30, 30)), 0.01)  # wires
    for i, x in enumerate((-1.2, -0.8, 0.7, 1.1)):  # laundry
        colour = ((220, 80, 70), (240, 240, 230), (80, 130, 190), (230, 200, 80))[i]
        s.rect(x, 2.05, x + 0.22, 1.75, s.c(colour))


def rooftop(s: Scene) -> None:
    """Up high: the city is small and far below, behind a parapet."""
    rng = s.rng("far")
    for x in s.xs(0.35, rng.uniform(0, 0.3)):
        h = rng.uniform(0.1, 0.5)
        body = s.c(mix(rng.choice(_BUILDINGS), (206, 228, 244), 0.5))
        s.rect(x, h, x + 0.3, 0, body)
        if s.night and rng.random() < 0.6:
            s.rect(x + 0.1, h - 0.06, x + 0.14, h - 0.1, (255, 214, 120))
    s.rect(-1e3, 0.05, 1e3, -0.25, s.c((150, 146, 140)))  # parapet
    s.rect(-1e3, 0.07, 1e3, 0.02, s.c((180, 176, 170)))
    for x in s.xs(5.0, 1.5):  # water tank on legs, an antenna, AC units
        s.rect(x - 0.02, 0.6, x + 0.02, 0.05, s.c((80, 70, 60)))
        s.rect(x + 0.38, 0.6, x + 0.42, 0.05, s.c((80, 70, 60)))
        s.rounded(x - 0.06, 1.2, x + 0.46, 0.55, 0.06, s.c((140, 110, 80)))
        s.line([(x + 2.2, 0.05), (x + 2.2, 1.6)], s.c((60, 60, 66)), 0.015)
        s.line([(x + 2.0, 1.4), (x + 2.4, 1.4)], s.c((60, 60, 66)), 0.012)
        s.rect(x + 3, 0.3, x + 3.4, 0.05, s.c((200, 200, 196)))
        s.ell(x + 3.2, 0.18, 0.09, 0.09, s.c((120, 120, 120)))


def balcony(s: Scene) -> None:
    skyline(s, tall=2.0)
    s.rect(-1e3, 0.35, 1e3, 0.3, s.c((60, 60, 66)))  # railing
    for x in s.xs(0.16):
        s.rect(x - 0.012, 0.32, x + 0.012, -0.2, s.c((60, 60, 66)))
    s.rect(-1e3, -0.2, 1e3, -0.26, s.c((170, 166, 160)))
    for x in s.xs(3.0, 1.0):  # potted plants on the ledge
        s.poly(
            [(x - 0.12, -0.2), (x + 0.12, -0.2), (x + 0.16, 0.05), (x - 0.16, 0.05)],
            s.c((180, 100, 60)),
        )
        for dx in (-0.1, 0, 0.1):
            s.ell(x + dx, 0.18, 0.1, 0.14, s.c((70, 140, 70)))


def square(s: Scene) -> None:
    """A civic square: a colonnaded hall, paving and a fountain."""
    skyline(s, tall=1.6, rows=1)
    stone = s.c((214, 206, 190))
    s.rect(-3.0, 1.3, 3.0, 0, stone)
    s.poly([(-3.2, 1.3), (3.2, 1.3), (0, 1.75)], s.c((200, 190, 176)))
    for x in [-2.7 + i * 0.6 for i in range(10)]:
        s.rect(x - 0.07, 1.15, x + 0.07, 0.05, s.c((236, 230, 216)))
    for k in range(6):  # paving lines
        y = -0.1 - k * 0.12
        s.line([(-40, y), (40, y)], s.c((150, 140, 130)), 0.006)
    s.ell(0, -0.05, 0.9, 0.12, s.c((180, 176, 170)))
    s.ell(0, -0.03, 0.8, 0.08, s.c((120, 170, 210)))
    s.rect(-0.04, 0.5, 0.04, 0.0, s.c((180, 176, 170)))
    for dx in (-1, 1):
        s.line([(0, 0.5), (dx * 0.25, 0.55), (dx * 0.45, 0.05)], s.c((200, 226, 246)), 0.02)


# --- green ------------------------------------------------------------------------


def park(s: Scene) -> None:
    rng = s.rng("trees")
    x = -15.0
    while x < 15:
        x += rng.uniform(0.8, 1.8)
        if s.visible(x - 1, x + 1):
            round_tree(s, x, rng.uniform(0.6, 1.0), rng.choice(((80, 140, 70), (100, 150, 72))))
    s.rect(-1e3, -0.1, 1e3, -0.35, s.c((210, 196, 160)))  # path
    for x in s.xs(3.0, 0.8):  # benches
        s.rect(x, 0.1, x + 0.6, 0.05, s.c((150, 100, 60)))
        s.rect(x, 0.28, x + 0.6, 0.22, s.c((150, 100, 60)))
        for lx in (x + 0.05, x + 0.5):
            s.rect(lx, 0.3, lx + 0.04, -0.05, s.c((50, 50, 56)))
    lamp_posts(s, step=3.0)


def garden(s: Scene) -> None:
    rng = s.rng("garden")
    s.rect(-1e3, 0.35, 1e3, 0, s.c((64, 116, 64)))  # hedge
    for x in s.xs(0.3):
        s.ell(x, 0.36, 0.18, 0.08, s.c((74, 128, 70)))
    for x in s.xs(4.0, 1.0):  # a rose arch
        s.line([(x - 0.4, 0), (x - 0.4, 0.9)], s.c((240, 240, 236)), 0.03)
        s.line([(x + 0.4, 0), (x + 0.4, 0.9)], s.c((240, 240, 236)), 0.03)
        arch = [(x - 0.4 + 0.08 * i, 0.9 + 0.3 * math.sin(math.pi * i / 10)) for i in range(11)]
        s.line(arch, s.c((240, 240, 236)), 0.03)
        for i in range(14):
            a = math.pi * i / 13
            s.ell(
                x - 0.4 * math.cos(a),
                0.9 + 0.3 * math.sin(a) * (i % 2),
                0.05,
                0.05,
                s.c((220, 70, 90)),
            )
    for band in range(3):  # flower beds in front
        y = -0.1 - band * 0.25
        for x in s.xs(0.16, rng.uniform(0, 0.1)):
            colour = rng.choice(((230, 80, 90), (250, 200, 60), (240, 240, 240), (170, 100, 200)))
            s.ell(x + rng.uniform(-0.05, 0.05), y, 0.05, 0.04, s.c(colour))


def courtyard(s: Scene) -> None:
    """A walled court: white walls with dark tile copings, a moon gate, a tree."""
    s.rect(-1e3, 1.0, 1e3, 0, s.c((236, 232, 222)))
    s.rect(-1e3, 1.12, 1e3, 0.98, s.c((70, 74, 80)))
    for x in s.xs(0.14):
        s.ell(x, 1.12, 0.07, 0.03, s.c((60, 64, 70)))
    for x in s.xs(6.0, 1.8):
        s.ell(x, 0.45, 0.42, 0.45, s.c((90, 96, 100)))
        s.ell(x, 0.45, 0.36, 0.39, s.c((120, 160, 110)))  # the garden seen through it
    round_tree(s, -2.2, 1.5, (96, 140, 70))
    for k in range(7):  # stone flags
        y = -0.08 - k * 0.14
        s.line([(-40, y), (40, y)], s.c((140, 136, 128)), 0.006)
    for x in s.xs(0.5):
        s.line([(x, -0.02), (x * 1.6, -s.depth)], s.c((140, 136, 128)), 0.006)


def forest(s: Scene) -> None:
    rng = s.rng("trees")
    for layer in range(3):
        fade = (0.55, 0.25, 0.0)[layer]
        leaf = mix((50, 100, 56), (170, 200, 190), fade)
        trunk = mix((80, 60, 46), (170, 200, 190), fade)
        for x in s.xs(0.55 - layer * 0.1, rng.uniform(0, 0.5)):
            x += rng.uniform(-0.15, 0.15)
            h = rng.uniform(1.0, 1.5) + layer * 0.25
            w = 0.05 + layer * 0.03
            s.rect(x - w, h, x + w, -0.05 * layer, s.c(trunk))
            s.ell(x, h, 0.35 + layer * 0.1, 0.5, s.c(leaf))
            s.ell(x + 0.18, h - 0.3, 0.28, 0.35, s.c(shade(leaf, 0.9)))
    s.rect(-1e3, s.top + 1, 1e3, 1.9, s.c((44, 90, 50)))  # the canopy closes overhead
    for x in s.xs(0.4):
        s.ell(x, 1.9, 0.3, 0.2, s.c((44, 90, 50)))


def bamboo_forest(s: Scene) -> None:
    """Stalks in three depths, segmented at their nodes, with narrow leaves."""
    rng = s.rng("bamboo")
    top = s.top + 0.5
    for layer in range(3):
        fade = (0.5, 0.25, 0.0)[layer]
        stalk = mix((96, 150, 70), (200, 220, 200), fade)
        node = shade(stalk, 0.7)
        leaf = mix((70, 130, 60), (200, 220, 200), fade)
        w = 0.035 + layer * 0.025
        for x in s.xs(0.3 - layer * 0.05, rng.uniform(0, 0.3)):
            x += rng.uniform(-0.08, 0.08)
            lean = rng.uniform(-0.05, 0.05)
            bottom = -0.1 * layer
            s.poly(
                [(x - w, bottom), (x + w, bottom), (x + w + lean, top), (x - w + lean, top)],
                s.c(stalk),
            )
            seg = rng.uniform(0.35, 0.5)
            y = bottom + seg
            while y < top:
                xn = x + lean * (y - bottom) / (top - bottom)
                s.rect(xn - w * 1.15, y + 0.015, xn + w * 1.15, y - 0.015, s.c(node))
                if rng.random() < 0.6 and y > 0.5:  # a spray of leaves from the node
                    side = rng.choice((-1, 1))
                    for k in range(4):
                        a = side * (0.5 + 0.3 * k)
                        ex, ey = xn + math.sin(a) * 0.3, y - 0.04 - 0.07 * k
                        mx, my = (xn + ex) / 2, (y + ey) / 2
                        s.poly([(xn, y), (mx, my + 0.035), (ex, ey), (mx, my - 0.02)], s.c(leaf))
                y += seg
    s.rect(-1e3, 0.0, 1e3, -s.depth, s.ca((90, 110, 60), 90))  # litter of old leaves


def mountain(s: Scene) -> None:
    rng = s.rng("peaks")
    for layer in range(2):
        rock = mix((110, 110, 126), (190, 200, 220), 0.45 - layer * 0.3)
        for x in s.xs(3.0 - layer * 0.8, rng.uniform(0, 2)):
            h = rng.uniform(1.6, 2.8) - layer * 0.5
            w = h * rng.uniform(0.9, 1.3)
            s.poly([(x - w, 0), (x - w * 0.1, h), (x + w * 0.1, h * 0.96), (x + w, 0)], s.c(rock))
            cap = h * 0.28
            s.poly(
                [(x - w * 0.1 - cap * 0.6, h - cap), (x - w * 0.1, h), (x + w * 0.1, h * 0.96),
                 (x + cap * 0.7, h - cap * 1.1), (x, h - cap * 0.75)],
                s.c((246, 248, 252)),
            )  # fmt: skip
    for x in s.xs(0.9, 0.3):
        pine(s, x, 0.5, (60, 100, 70))
    for x in s.xs(1.7, 0.4):
        s.ell(x, -0.3, 0.25, 0.1, s.c((120, 116, 110)))


def meadow(s: Scene) -> None:
    rng = s.rng("meadow")
    for x in s.xs(6, 2):
        s.ell(x, 0, 3.5, 0.6, s.c((130, 170, 100)))
    for x in s.xs(4.5, 1.3):
        round_tree(s, x, 0.5, (90, 140, 70))
    for x in s.xs(0.12):
        for row in range(4):
            y = -0.1 - row * 0.22
            if rng.random() < 0.3:
                colour = rng.choice(((250, 240, 120), (240, 240, 250), (230, 120, 140)))
                s.ell(x + rng.uniform(-0.05, 0.05), y, 0.025, 0.025, s.c(colour))
            s.line([(x, y), (x + 0.03, y + 0.08)], s.c((90, 140, 70)), 0.008)


# --- water ------------------------------------------------------------------------


def beach(s: Scene) -> None:
    water(s, 0, -0.35, _SEA, waves=6)
    for x in s.xs(0.7):  # surf on the sand
        s.ell(x, -0.37, 0.4, 0.04, s.c((244, 246, 246)))
    for x in s.xs(5.0, 2.2):
        palm(s, x, 1.6)
        s.poly([(x + 1.2, 0.6), (x + 0.7, 0.4), (x + 1.7, 0.4)], s.c((230, 80, 70)))  # parasol
        s.line([(x + 1.2, 0.6), (x + 1.2, -0.5)], s.c((240, 240, 240)), 0.015)


def sea(s: Scene) -> None:
    water(s, 0, -s.depth, _SEA, waves=14)
    for x in s.xs(7.0, 3.0):  # a ship on the horizon
        s.poly([(x - 0.4, 0.1), (x + 0.4, 0.1), (x + 0.3, 0.0), (x - 0.3, 0.0)], s.c((70, 60, 60)))
        s.rect(x - 0.1, 0.25, x + 0.15, 0.1, s.c((230, 226, 220)))


def harbour(s: Scene) -> None:
    skyline(s, tall=1.0, rows=1)
    for x in s.xs(6.0, 2.5):  # a crane
        s.line([(x, 0), (x, 1.8), (x + 1.2, 1.8)], s.c((200, 90, 50)), 0.04)
        s.line([(x + 1.1, 1.8), (x + 1.1, 1.0)], s.c((60, 60, 60)), 0.01)
    water(s, 0, -0.6, (60, 104, 140))
    rng = s.rng("boats")
    for x in s.xs(2.2, 0.8):  # moored boats with masts
        hull = rng.choice(((230, 230, 226), (200, 70, 60), (60, 100, 150)))
        y = -0.25
        s.poly([(x - 0.45, y + 0.18), (x + 0.5, y + 0.18), (x + 0.35, y), (x - 0.35, y)], s.c(hull))
        s.line([(x, y + 0.18), (x, y + 1.1)], s.c((90, 80, 70)), 0.015)
        s.line([(x, y + 1.1), (x + 0.45, y + 0.2)], s.c((90, 80, 70)), 0.006)
        if s.night:
            s.ell(x, y + 1.1, 0.03, 0.03, (255, 220, 150))
    s.rect(-1e3, -0.6, 1e3, -s.depth, s.c((134, 100, 70)))  # the pier's deck
    for x in s.xs(0.25):
        s.line([(x, -0.6), (x, -s.depth)], s.c((104, 76, 54)), 0.008)
    for x in s.xs(1.6, 0.3):  # bollards
        s.rounded(x - 0.07, -0.45, x + 0.07, -0.72, 0.04, s.c((50, 50, 56)))
        s.rect(x - 0.1, -0.47, x + 0.1, -0.5, s.c((50, 50, 56)))
    lamp_posts(s, step=3.5, height=1.2)


def lighthouse(s: Scene) -> None:
    water(s, 0, -s.depth, _SEA, waves=10)
    for x in s.xs(14.0, 0.9):
        s.poly(
            [(x - 2.5, -0.5), (x - 1.8, 0.3), (x - 0.4, 0.55), (x + 0.6, 0.4), (x + 1.8, -0.6)],
            s.c((110, 100, 94)),
        )
        bottom, top = 0.4, 1.55
        for i in range(5):  # red and white bands, narrowing up
            a, b = bottom + (top - bottom) * i / 5, bottom + (top - bottom) * (i + 1) / 5
            wa, wb = 0.28 - 0.1 * i / 5, 0.28 - 0.1 * (i + 1) / 5
            s.poly(
                [(x - wa, a), (x + wa, a), (x + wb, b), (x - wb, b)],
                s.c((210, 50, 50) if i % 2 else (240, 240, 236)),
            )
        s.rect(
            x - 0.15,
            top + 0.25,
            x + 0.15,
            top,
            (255, 236, 160) if s.night else s.c((200, 220, 230)),
        )
        s.poly([(x - 0.2, top + 0.25), (x + 0.2, top + 0.25), (x, top + 0.45)], s.c((60, 60, 66)))
        if s.night:  # the beam
            s.poly([(x, top + 0.12), (x + 5, top + 0.6), (x + 5, top - 0.4)], (255, 244, 200, 70))
            s.light(x, top + 0.12, 1.4, (255, 240, 190), 0.7)


def boat_deck(s: Scene) -> None:
    water(s, 0, -0.3, _SEA, waves=5)
    s.rect(-1e3, 0.3, 1e3, 0.26, s.c((236, 236, 230)))  # rail
    for x in s.xs(0.5):
        s.rect(x - 0.015, 0.3, x + 0.015, -0.3, s.c((236, 236, 230)))
    s.rect(-1e3, -0.3, 1e3, -s.depth, s.c((176, 130, 84)))  # deck planks
    for k in range(12):
        y = -0.3 - k * 0.12
        s.line([(-40, y), (40, y)], s.c((140, 100, 66)), 0.006)
    for x in s.xs(8.0, 2.0):  # mast, rigging, a life ring, a coil of rope
        s.rect(x - 0.05, s.top, x + 0.05, -0.4, s.c((150, 110, 70)))
        s.line([(x, s.top), (x - 2.5, 0.3)], s.c((80, 70, 60)), 0.008)
        s.line([(x, s.top), (x + 2.5, 0.3)], s.c((80, 70, 60)), 0.008)
        s.ell(x + 1.3, 0.05, 0.16, 0.16, s.c((236, 90, 50)))
        s.ell(x + 1.3, 0.05, 0.09, 0.09, s.c((56, 110, 160)))
        s.ell(x - 1.4, -0.55, 0.22, 0.07, s.c((200, 170, 120)))
        s.ell(x - 1.4, -0.55, 0.12, 0.035, s.c((150, 120, 80)))


def river(s: Scene) -> None:
    rng = s.rng("bank")
    for x in s.xs(1.0, rng.uniform(0, 1)):  # trees on the far bank
        round_tree(s, x, rng.uniform(0.4, 0.7), (80, 130, 70))
    s.rect(-1e3, 0, 1e3, -0.08, s.c((110, 140, 80)))
    water(s, -0.08, -0.7, (80, 130, 150), waves=6)
    for x in s.xs(0.2):  # reeds on the near bank
        s.line([(x, -0.75), (x + 0.04, -0.45)], s.c((110, 130, 60)), 0.012)


def lake(s: Scene) -> None:
    rng = s.rng("far")
    for x in s.xs(4.0, rng.uniform(0, 2)):
        s.poly([(x - 2.5, 0), (x, 1.1), (x + 2.5, 0)], s.c((120, 140, 150)))
        s.poly([(x - 2.5, 0), (x, -0.5), (x + 2.5, 0)], s.c((120, 150, 170)))  # reflection
    water(s, -0.0, -0.8, (96, 150, 180), waves=4)
    for x in s.xs(9.0, 2.0):  # a jetty
        s.rect(x - 0.3, -0.55, x + 0.3, -s.depth, s.c((140, 104, 70)))
        for px in (x - 0.28, x + 0.24):
            s.rect(px, -0.45, px + 0.04, -0.6, s.c((110, 80, 56)))


def bridge(s: Scene) -> None:
    """On a bridge: its towers and cables ahead, the water far below, a railing."""
    water(s, 0, -s.depth, (80, 120, 150), waves=8)
    for x in s.xs(6.0, 2.0):
        s.rect(x - 0.1, 2.6, x + 0.1, -0.1, s.c((170, 70, 60)))
        s.rect(x - 0.1, 2.2, x + 0.1, 2.1, s.c((140, 50, 44)))
        for side in (-1, 1):
            cable = [
                (x + side * 0.3 * i, 2.5 - 2.2 * math.sin(math.pi / 20 * i)) for i in range(11)
            ]
            s.line(cable, s.c((150, 60, 54)), 0.025)
            for i in range(1, 10):
                hx = x + side * 0.3 * i
                hy = 2.5 - 2.2 * math.sin(math.pi / 2 * i / 10)
                s.line([(hx, hy), (hx, 0.25)], s.c((150, 60, 54)), 0.008)
    s.rect(-1e3, 0.3, 1e3, 0.2, s.c((150, 146, 140)))  # the deck's edge
    s.rect(-1e3, 0.42, 1e3, 0.38, s.c((90, 90, 96)))
    for x in s.xs(0.3):
        s.rect(x - 0.012, 0.42, x + 0.012, 0.2, s.c((90, 90, 96)))
    s.rect(-1e3, 0.2, 1e3, -s.depth, s.c((130, 128, 126)))
    lamp_posts(s, step=3.0, height=1.3)


# --- far lands --------------------------------------------------------------------


def desert(s: Scene) -> None:
    rng = s.rng("dunes")
    for layer in range(3):
        colour = mix((226, 170, 100), (250, 220, 180), 0.4 - layer * 0.2)
        y0 = -layer * 0.35
        phase = rng.uniform(0, 6)
        pts = [(x / 2, y0 + 0.25 + 0.22 * math.sin(x / 2 * 0.9 + phase)) for x in range(-40, 41)]
        s.poly([(-20, y0 - 2), *pts, (20, y0 - 2)], s.c(colour))
        s.line(pts, s.c(shade(colour, 1.2)), 0.01)
    for x in s.xs(5.0, 1.5):  # a few rocks and a dead bush
        s.ell(x, -0.5, 0.2, 0.08, s.c((160, 110, 80)))
        s.line([(x + 1.0, -0.2), (x + 1.0, 0.1), (x + 0.85, 0.25)], s.c((120, 90, 60)), 0.02)


def snowfield(s: Scene) -> None:
    for x in s.xs(5, 1):
        s.ell(x, 0, 3.0, 0.7, s.c((226, 234, 244)))
    rng = s.rng("pines")
    for x in s.xs(0.9, rng.uniform(0, 1)):
        pine(s, x + rng.uniform(-0.2, 0.2), rng.uniform(0.5, 0.9), (50, 90, 80), snow=True)
    for x in s.xs(1.3):  # drifts
        s.ell(x, -0.4, 0.7, 0.06, s.c((214, 226, 240)))


def farm(s: Scene) -> None:
    for x in s.xs(8.0, 1.5):  # a red barn and a silo
        s.rect(x - 0.6, 0.8, x + 0.6, 0, s.c((170, 50, 40)))
        s.poly(
            [(x - 0.7, 0.8), (x + 0.7, 0.8), (x + 0.4, 1.15), (x - 0.4, 1.15)], s.c((90, 60, 50))
        )
        s.rect(x - 0.2, 0.5, x + 0.2, 0, s.c((240, 236, 226)))
        s.line([(x - 0.2, 0.5), (x + 0.2, 0)], s.c((170, 50, 40)), 0.03)
        s.rect(x + 0.8, 1.3, x + 1.1, 0, s.c((190, 190, 196)))
        s.ell(x + 0.95, 1.3, 0.15, 0.1, s.c((160, 160, 170)))
    for x in s.xs(0.4):  # a fence
        s.rect(x - 0.02, 0.3, x + 0.02, -0.05, s.c((160, 120, 80)))
    s.rect(-1e3, 0.22, 1e3, 0.19, s.c((160, 120, 80)))
    s.rect(-1e3, 0.1, 1e3, 0.07, s.c((160, 120, 80)))
    for k in range(9):  # crop rows
        y = -0.1 - k * k * 0.03
        s.rect(-1e3, y, 1e3, y - 0.03 - 0.01 * k, s.c((110, 150, 60)))


def village(s: Scene) -> None:
    rng = s.rng("houses")
    x = -15.0
    while x < 15:
        w = rng.uniform(0.7, 1.0)
        if s.visible(x, x + w):
            pitched_house(
                s,
                x + w / 2,
                w,
                rng.uniform(0.45, 0.6),
                rng.choice(((230, 220, 196), (200, 180, 150), (240, 236, 226))),
                rng.choice(((150, 70, 50), (90, 90, 100), (120, 80, 60))),
            )
        x += w + rng.uniform(0.3, 1.2)
        if rng.random() < 0.5 and s.visible(x - 1, x + 1):
            round_tree(s, x - 0.15, 0.7, (90, 140, 70))
    s.rect(-1e3, -0.15, 1e3, -0.45, s.c((196, 170, 130)))  # a dirt road
    for x in s.xs(0.5):
        s.rect(x - 0.015, 0.0, x + 0.015, -0.15, s.c((140, 110, 80)))


def temple(s: Scene) -> None:
    """A hall on a terrace: red pillars, a sweeping tiled roof, stone steps, lanterns."""
    for x in s.xs(3.2, 1.2):
        pine(s, x, 1.0, (60, 100, 70))
    red, roof = (176, 48, 40), (70, 74, 84)
    s.rect(-2.4, 0.25, 2.4, 0, s.c((200, 194, 180)))  # terrace
    for k in range(5):  # steps down to us
        y = -0.05 * k
        s.rect(
            -0.8 - 0.1 * k, y, 0.8 + 0.1 * k, y - 0.06, s.c(shade((210, 204, 190), 1 - 0.04 * k))
        )
    s.rect(-1.9, 1.0, 1.9, 0.25, s.c((96, 40, 34)))  # the hall's dark interior
    for x in (-1.7, -1.0, -0.35, 0.35, 1.0, 1.7):
        s.rect(x - 0.07, 1.0, x + 0.07, 0.25, s.c(red))
    s.rect(-2.0, 1.1, 2.0, 0.98, s.c((60, 110, 90)))  # painted beam
    curved_roof(s, 0, 1.08, 4.8, 0.5, roof)
    s.rect(-1.2, 1.62, 1.2, 1.5, s.c((96, 40, 34)))
    curved_roof(s, 0, 1.6, 2.8, 0.35, roof)  # the upper tier
    for x in (-2.9, 2.9):  # stone lanterns
        s.rect(x - 0.06, 0.45, x + 0.06, 0, s.c((170, 166, 156)))
        s.rect(x - 0.14, 0.6, x + 0.14, 0.45, s.c((180, 176, 166)))
        s.poly([(x - 0.2, 0.6), (x + 0.2, 0.6), (x, 0.76)], s.c((150, 146, 140)))
        s.light(x, 0.52, 0.6, (255, 200, 120), 0.5)
    s.light(0, 0.6, 1.2, (255, 190, 110), 0.35)


def castle(s: Scene) -> None:
    stone, dark = (170, 164, 150), (130, 124, 114)
    s.rect(-1e3, 1.0, 1e3, 0, s.c(stone))
    for x in s.xs(0.3):  # battlements
        s.rect(x, 1.15, x + 0.16, 1.0, s.c(stone))
    for k in range(1, 7):
        s.line([(-40, k * 0.15), (40, k * 0.15)], s.c(dark), 0.005)
    for x in s.xs(3.5, 0.5):  # towers with banners, a gate
        s.rect(x - 0.4, 1.9, x + 0.4, 0, s.c(shade(stone, 1.06)))
        for bx in (-0.4, -0.15, 0.1, 0.35):
            s.rect(x + bx, 2.05, x + bx + 0.1, 1.9, s.c(shade(stone, 1.06)))
        s.rounded(
            x - 0.08, 1.5, x + 0.08, 1.25, 0.08, (255, 214, 120) if s.night else s.c((50, 50, 60))
        )
        s.line([(x, 2.05), (x, 2.5)], s.c((60, 50, 40)), 0.015)
        s.poly([(x, 2.5), (x + 0.35, 2.42), (x, 2.32)], s.c((190, 40, 40)))
        s.light(x, 1.38, 0.5, (255, 200, 120), 0.4)
    s.ell(1.75, 0.4, 0.35, 0.4, s.c((60, 50, 46)))
    s.rect(1.4, 0.4, 2.1, 0, s.c((60, 50, 46)))


def battlefield(s: Scene) -> None:
    rng = s.rng("field")
    for x in s.xs(5, 1):
        s.ell(x, 0, 3.0, 0.45, s.c((130, 120, 96)))
    for x in s.xs(1.4, rng.uniform(0, 1)):  # banners on poles, spears stuck in the earth
        h = rng.uniform(1.1, 1.6)
        s.line([(x, -0.05), (x + 0.05, h)], s.c((80, 60, 40)), 0.02)
        colour = rng.choice(((180, 40, 40), (40, 50, 70), (200, 160, 60)))
        s.poly(
            [(x + 0.05, h), (x + 0.4, h - 0.08), (x + 0.35, h - 0.45), (x + 0.04, h - 0.4)],
            s.c(colour),
        )
        for k in range(2):
            sx = x + rng.uniform(0.3, 1.1)
            s.line(
                [(sx, -0.2 - 0.2 * k), (sx + rng.uniform(-0.2, 0.2), 0.5 - 0.2 * k)],
                s.c((110, 90, 70)),
                0.012,
            )
    for x in s.xs(3.0, 1.2):  # smoke rising in the distance
        for k in range(4):
            s.ell(
                x + 0.15 * k,
                0.3 + 0.35 * k,
                0.25 + 0.1 * k,
                0.18 + 0.05 * k,
                s.ca((110, 106, 100), 120),
            )
    for x in s.xs(0.9):  # churned earth
        s.ell(x, -0.5 - rng.uniform(0, 0.4), 0.25, 0.04, s.c((90, 76, 60)))


def station(s: Scene) -> None:
    """A platform under a canopy: tracks, the yellow edge line, a sign and a clock."""
    s.rect(-1e3, 0.3, 1e3, 0.0, s.c((120, 110, 100)))  # far platform wall
    for k in range(2):  # tracks
        y = -0.05 - k * 0.22
        s.rect(-1e3, y, 1e3, y - 0.03, s.c((150, 150, 156)))
        s.rect(-1e3, y - 0.12, 1e3, y - 0.15, s.c((150, 150, 156)))
        for x in s.xs(0.25):
            s.rect(x, y - 0.02, x + 0.08, y - 0.16, s.c((100, 80, 60)))
    s.rect(-1e3, -0.5, 1e3, -s.depth, s.c((180, 176, 170)))  # our platform
    s.rect(-1e3, -0.52, 1e3, -0.58, s.c((240, 200, 50)))
    s.rect(-1e3, s.top, 1e3, 2.0, s.c((90, 96, 104)))  # canopy
    for x in s.xs(2.4, 0.6):
        s.rect(x - 0.05, 2.0, x + 0.05, -0.55, s.c((70, 90, 110)))
    for x in s.xs(6.0, 2.0):
        s.rect(x - 0.6, 1.8, x + 0.6, 1.5, s.c((30, 60, 120)))
        s.rect(x - 0.5, 1.7, x + 0.5, 1.6, s.c((240, 240, 240)))
        s.ell(x + 1.8, 1.65, 0.15, 0.15, s.c((240, 240, 236)))
        s.line([(x + 1.8, 1.65), (x + 1.8, 1.75)], s.c((30, 30, 30)), 0.01)
        s.line([(x + 1.8, 1.65), (x + 1.87, 1.65)], s.c((30, 30, 30)), 0.01)
    for x in s.xs(2.4, 1.8):
        s.rect(x - 0.2, 1.98, x + 0.2, 1.94, (255, 250, 230) if s.night else s.c((220, 220, 220)))
        s.light(x, 1.9, 1.0, (250, 250, 230), 0.4)


def underwater(s: Scene) -> None:
    rng = s.rng("sea")
    for x in s.xs(1.2, rng.uniform(0, 1)):  # light shafts from the surface
        s.poly(
            [(x, s.top), (x + 0.25, s.top), (x + 0.8, -0.2), (x + 0.4, -0.2)], (200, 240, 250, 40)
        )
    for x in s.xs(0.5, rng.uniform(0, 0.5)):  # sea weed swaying up from the sand
        h = rng.uniform(0.4, 1.2)
        pts = [(x + 0.06 * math.sin(t * 1.5), -0.3 + t * h / 5) for t in range(6)]
        s.line(pts, s.c((60, 140, 90)), 0.03)
    for x in s.xs(2.2, rng.uniform(0, 2)):  # fish and bubbles
        y = rng.uniform(0.4, 1.8)
        colour = rng.choice(((250, 150, 60), (250, 220, 80), (120, 190, 230)))
        s.ell(x, y, 0.14, 0.07, s.c(colour))
        s.poly([(x - 0.12, y), (x - 0.25, y + 0.07), (x - 0.25, y - 0.07)], s.c(colour))
        for k in range(3):
            s.ell(
                x + 0.6, y + 0.2 + k * 0.15, 0.02 + 0.01 * k, 0.02 + 0.01 * k, (220, 240, 250, 160)
            )
    for x in s.xs(1.0, 0.3):
        s.ell(x, -0.35, 0.18, 0.1, s.c((230, 120, 110)))  # coral


def sky(s: Scene) -> None:
    """Above the clouds: a sea of cloud below, tall clouds about."""
    rng = s.rng("clouds")
    white = (250, 250, 252) if s.time == "day" else s.c((250, 230, 226))
    for band in range(4):
        y = -band * 0.4
        for x in s.xs(0.7, rng.uniform(0, 0.7)):
            s.ell(x, y + rng.uniform(-0.05, 0.05), 0.55, 0.22, shade(white, 1 - band * 0.04))
    s.rect(-1e3, -1.4, 1e3, -s.depth, shade(white, 0.86))
    for x in s.xs(4.0, 1.0):
        for dx, dy, r in ((0, 0.4, 0.6), (0.5, 0.2, 0.45), (-0.5, 0.25, 0.45), (0.1, 0.85, 0.4)):
            s.ell(x + dx, dy + 0.3, r, r * 0.7, white)


OUTSIDE: dict[str, tuple[RGB, Painter]] = {
    "street": ((150, 146, 140), street),
    "night_market": ((140, 132, 124), night_market),
    "market": ((176, 160, 136), market),
    "alley": ((120, 116, 112), alley),
    "rooftop": ((150, 146, 140), rooftop),
    "balcony": ((200, 190, 176), balcony),
    "square": ((200, 192, 176), square),
    "park": ((110, 160, 84), park),
    "garden": ((100, 156, 80), garden),
    "courtyard": ((170, 166, 156), courtyard),
    "forest": ((80, 110, 60), forest),
    "bamboo_forest": ((104, 130, 70), bamboo_forest),
    "mountain": ((130, 140, 110), mountain),
    "meadow": ((134, 178, 90), meadow),
    "beach": ((232, 212, 164), beach),
    "sea": (_SEA, sea),
    "harbour": ((134, 100, 70), harbour),
    "lighthouse": (_SEA, lighthouse),
    "boat_deck": ((176, 130, 84), boat_deck),
    "river": ((110, 150, 84), river),
    "lake": ((110, 150, 84), lake),
    "bridge": ((130, 128, 126), bridge),
    "desert": ((226, 180, 120), desert),
    "snowfield": ((236, 242, 250), snowfield),
    "farm": ((150, 130, 84), farm),
    "village": ((140, 160, 96), village),
    "temple": ((200, 194, 180), temple),
    "castle": ((140, 150, 100), castle),
    "battlefield": ((120, 104, 80), battlefield),
    "station": ((180, 176, 170), station),
    "underwater": ((200, 186, 140), underwater),
    "sky": ((240, 242, 246), sky),
}
