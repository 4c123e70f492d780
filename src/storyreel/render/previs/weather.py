"""Weather and atmosphere: what is still is painted once, what moves is stamped per frame.

A shot's weather is a tuple of (kind, intensity 0..1). Each kind has up to two parts:

* a static part painted into the plate's canvas behind the figures, once per shot:
  fog and haze, the overcast of rain and storms, the warm glow of a sunrise, sunset
  or fire, the moon and stars;
* particles (rain streaks, snowflakes, leaves, flames, embers, smoke, steam, dust)
  and lightning flashes, laid on each finished frame in screen space. Their paths are
  precomputed arrays, so a frame costs a few vectorised reads and writes of the
  touched pixels of its YUV planes, never a redraw.

Everything is seeded by the request's seed: the same request gives the same bytes.
Rain, snow and blown leaves fall outside: an interior keeps its fog, steam, smoke,
dust and the flashes of a storm seen through its windows, not rain on the carpet.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import get_args

import av
import numpy as np

from storyreel.errors import EngineError
from storyreel.render.previs.backdrop import HORIZON_Y, horizon_px
from storyreel.render.previs.stage import Stage
from storyreel.render.previs.util import stable_seed
from storyreel.world import WeatherKind

# Accepted and drawn as nothing: fair weather is the sets' own sky.
_NOTHING = ("clear",)
WEATHER_KINDS: tuple[str, ...] = tuple(k for k in get_args(WeatherKind) if k not in _NOTHING)
_OUTDOOR_ONLY = ("rain", "snow", "wind_leaves")

Weather = tuple[tuple[str, float], ...]
Planes = tuple[np.ndarray, np.ndarray, np.ndarray]


def check_weather(weather: Iterable[tuple[str, float]]) -> Weather:
    """The weather with kinds checked and intensities clamped to 0..1."""
    out: list[tuple[str, float]] = []
    for kind, intensity in weather:
        if kind in _NOTHING:
            continue
        if kind not in WEATHER_KINDS:
            known = ", ".join((*WEATHER_KINDS, *_NOTHING))
            raise EngineError(f"unknown weather {kind!r}; the previs draws: {known}")
        level = float(intensity)
        if not math.isfinite(level):
            raise EngineError(f"weather {kind!r}: intensity must be a number in 0..1")
        out.append((kind, min(1.0, max(0.0, level))))
    return tuple(out)


def _rng(seed: int, kind: str) -> np.random.Generator:
    return np.random.default_rng(stable_seed("weather", kind, str(seed)))


# --- static parts, on the canvas ---------------------------------------------------------


def paint_weather(
    pixels: np.ndarray, stage: Stage, weather: Weather, seed: int, *, interior: bool
) -> np.ndarray:
    """`pixels` (the painted set, RGB) with the weather's still parts laid on."""
    if not weather:
        return pixels
    out = pixels.astype(np.float32)
    hz = horizon_px(stage, HORIZON_Y)
    rows = np.arange(stage.height, dtype=np.float32)[:, None, None]
    for kind, level in weather:
        if level <= 0:
            continue
        if kind == "fog":
            # Thickest along the horizon, where the most air lies between us and the land.
            near = np.clip(1 - np.abs(rows - hz) / (stage.frame_height * stage.zoom * 0.9), 0, 1)
            _veil(out, (206, 210, 216), level * (0.35 + 0.35 * near))
        elif kind == "rain":
            _veil(out, (130, 138, 150), 0.22 * level)
        elif kind == "storm_lightning":
            _veil(out, (50, 56, 72), 0.4 * level)
        elif kind == "dust":
            _veil(out, (206, 176, 126), 0.3 * level)
        elif kind in ("sunrise", "sunset"):
            _sun_low(out, stage, hz, rows, kind == "sunset", level, interior)
        elif kind == "fire_smoke":
            depth = np.clip((rows - stage.height * 0.5) / (stage.height * 0.5), 0, 1)
            _veil(out, (255, 140, 60), 0.35 * level * depth)
        elif kind == "moon_stars" and not interior:
            _moon_and_stars(out, stage, hz, level, seed)
        elif kind == "steam":
            _veil(out, (236, 236, 236), 0.1 * level)
    painted: np.ndarray = np.clip(out, 0, 255).astype(np.uint8)
    return painted


def _veil(out: np.ndarray, colour: tuple[int, int, int], alpha: float | np.ndarray) -> None:
    """Blend towards `colour` by `alpha` (a number or per-row array) in place."""
    target = np.asarray(colour, np.float32)
    out += (target - out) * alpha


def _sun_low(
    out: np.ndarray,
    stage: Stage,
    hz: float,
    rows: np.ndarray,
    sunset: bool,
    level: float,
    interior: bool,
) -> None:
    warm = (255, 150, 80) if sunset else (255, 196, 150)
    if interior:  # low sun through the windows: the room turns warm
        _veil(out, warm, 0.2 * level)
        return
    span = stage.frame_height * stage.zoom * 1.1
    sky = np.clip(1 - (hz - rows) / span, 0, 1) * (rows < hz)
    _veil(out, warm, level * 0.65 * sky**1.2)
    _veil(out, warm, level * 0.12 * (rows >= hz))
    view = stage.frame_height * stage.zoom
    cx = stage.px(0, 0)[0] + view * (-0.5 if sunset else 0.5)
    r = view * 0.09
    ys = np.arange(stage.height, dtype=np.float32)[:, None]
    xs = np.arange(stage.width, dtype=np.float32)[None, :]
    d = np.sqrt((xs - cx) ** 2 + (ys - hz) ** 2)
    glow = np.clip(1 - d / (r * 4), 0, 1) ** 2 * 0.6 + (d < r) * 0.9
    glow = glow * (ys < hz) * level
    _veil(out, (255, 236, 180), glow[:, :, None])


def _moon_and_stars(out: np.ndarray, stage: Stage, hz: float, level: float, seed: int) -> None:
    if hz < stage.height * 0.12:
        return  # no sky in view
    rng = _rng(seed, "stars")
    n = int(260 * level * stage.width * hz / (1280 * 720)) + 8
    xs = rng.integers(0, stage.width, n)
    ys = rng.integers(0, max(1, int(hz * 0.9)), n)
    r_, g_, b_ = out[ys, xs, 0], out[ys, xs, 1], out[ys, xs, 2]
    dark = (b_ < 130) & (b_ > r_ + 12) & (b_ > g_ + 8)  # the night sky's blue, not a tree
    bright = rng.uniform(150, 255, n).astype(np.float32)
    for dy, dx in ((0, 0), (0, 1), (1, 0), (1, 1)):
        yy, xx = np.minimum(ys + dy, stage.height - 1), np.minimum(xs + dx, stage.width - 1)
        cur = out[yy, xx]
        out[yy, xx] = np.where(dark[:, None], np.maximum(cur, bright[:, None]), cur)
    view = stage.frame_height * stage.zoom
    r = view * 0.06 * (0.8 + 0.4 * level)
    # Up and to the right of the subject, inside the frame at any shot size.
    cx = stage.px(0, 0)[0] + view * 0.5
    cy = max(r * 1.6, min(hz * 0.35, stage.height * 0.3))
    y0, y1 = max(0, int(cy - r * 5)), min(stage.height, int(cy + r * 5))
    x0, x1 = max(0, int(cx - r * 5)), min(stage.width, int(cx + r * 5))
    if y0 >= y1 or x0 >= x1:
        return
    yy = np.arange(y0, y1, dtype=np.float32)[:, None]
    xx = np.arange(x0, x1, dtype=np.float32)[None, :]
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
    halo = np.clip(1 - d / (r * 5), 0, 1) ** 2 * 0.45 * level
    disc = np.clip(r - d + 0.5, 0, 1)
    shadow = np.sqrt((xx - cx - r * 0.35) ** 2 + (yy - cy + r * 0.2) ** 2) < r * 0.18
    region = out[y0:y1, x0:x1]
    _veil(region, (200, 210, 240), halo[:, :, None])
    _veil(region, (246, 242, 220), disc[:, :, None])
    _veil(region, (200, 196, 180), (disc * shadow * 0.6)[:, :, None])


# --- particles, per frame ---------------------------------------------------------------


def _rgb_to_yuv(rgb: np.ndarray) -> np.ndarray:
    """BT.601 limited range, as swscale converts the encoder's frames."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
    u = 128 - 0.148 * r - 0.291 * g + 0.439 * b
    v = 128 + 0.439 * r - 0.368 * g - 0.071 * b
    yuv: np.ndarray = np.stack([y, u, v], axis=-1).astype(np.float32)
    return yuv


@dataclass(frozen=True)
class Swarm:
    """Particles sharing one sprite: where each starts, how it moves per frame, its
    colour (YUV) and opacity. Positions wrap around the box (x_lo..x_hi, y_lo..y_hi)."""

    x0: np.ndarray
    y0: np.ndarray
    vx: np.ndarray  # pixels per frame
    vy: np.ndarray
    sway: np.ndarray  # amplitude (pixels) of a sideways swing
    pace: np.ndarray  # its angular speed (radians per frame)
    phase: np.ndarray
    alpha: np.ndarray
    yuv: np.ndarray  # (n, 3)
    dy: np.ndarray  # the sprite: offsets and their weights
    dx: np.ndarray
    weight: np.ndarray
    box: tuple[float, float, float, float]
    chroma: bool
    # Per sprite pixel of all particles (flattened): its opacity and whose it is.
    opacity: np.ndarray
    owner: np.ndarray

    def stamp(self, planes: Planes, index: int) -> None:
        y_plane, u_plane, v_plane = planes
        h, w = y_plane.shape
        x_lo, x_hi, y_lo, y_hi = self.box
        x = self.x0 + self.vx * index + self.sway * np.sin(self.pace * index + self.phase)
        y = self.y0 + self.vy * index
        x = np.mod(x - x_lo, x_hi - x_lo) + x_lo
        y = np.mod(y - y_lo, y_hi - y_lo) + y_lo
        ys = (np.rint(y).astype(np.int32)[:, None] + self.dy[None, :]).ravel()
        xs = (np.rint(x).astype(np.int32)[:, None] + self.dx[None, :]).ravel()
        keep = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
        ys, xs, a, which = ys[keep], xs[keep], self.opacity[keep], self.owner[keep]
        _blend(y_plane, ys, xs, a, self.yuv[which, 0])
        if self.chroma:
            cy, cx = ys // 2, xs // 2
            _blend(u_plane, cy, cx, a, self.yuv[which, 1])
            _blend(v_plane, cy, cx, a, self.yuv[which, 2])


def _blend(
    plane: np.ndarray, ys: np.ndarray, xs: np.ndarray, a: np.ndarray, to: np.ndarray
) -> None:
    cur = plane[ys, xs].astype(np.float32)
    plane[ys, xs] = (cur + (to - cur) * a).astype(np.uint8)


@dataclass(frozen=True)
class Flashes:
    """Lightning: per frame, how bright the sky flashes (0 = not), and the bolt's
    pixels, drawn while it flashes."""

    levels: np.ndarray
    bolt_y: np.ndarray
    bolt_x: np.ndarray

    def stamp(self, planes: Planes, index: int) -> None:
        if index >= len(self.levels) or self.levels[index] <= 0:
            return
        k = int(self.levels[index] * 256)
        y_plane = planes[0]
        lifted = y_plane.astype(np.uint16)
        lifted += ((255 - lifted) * k) >> 8
        y_plane[...] = lifted
        if self.levels[index] > 0.3:
            h, w = y_plane.shape
            ok = (self.bolt_y < h) & (self.bolt_x < w)
            y_plane[self.bolt_y[ok], self.bolt_x[ok]] = 250


@dataclass(frozen=True)
class Particles:
    """A shot's moving weather, laid on each finished frame (after any scaling, under
    the caption)."""

    swarms: tuple[Swarm, ...]
    flashes: Flashes | None = None

    def stamp(self, planes: Planes, index: int) -> None:
        if self.flashes is not None:
            self.flashes.stamp(planes, index)
        for swarm in self.swarms:
            swarm.stamp(planes, index)


def stamp_rgb(particles: Particles, rgb: np.ndarray, index: int) -> np.ndarray:
    """An RGB picture (even width and height) with frame `index`'s weather on it, through
    the YUV planes the encoder's frames get it in: for stills and contact sheets."""
    # Imported here: frames.py builds on the plates that carry these particles.
    from storyreel.render.previs.frames import frame_planes

    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
    yuv = frame.reformat(format="yuv420p")
    particles.stamp(frame_planes(yuv), index)
    out: np.ndarray = yuv.to_ndarray(format="rgb24")
    return out


def particles_for(
    weather: Weather,
    width: int,
    height: int,
    fps: int,
    frames: int,
    seed: int,
    *,
    interior: bool,
    set_kind: str | None = None,
) -> Particles | None:
    """The moving parts of `weather` for frames of width x height at `fps` (`set_kind`,
    the place's kind, picks what the wind carries)."""
    swarms: list[Swarm] = []
    flashes: Flashes | None = None
    for kind, level in weather:
        if level <= 0 or (interior and kind in _OUTDOOR_ONLY):
            continue
        rng = _rng(seed, kind)
        frame = _Frame(width, height, fps, rng, level)
        if kind in ("rain", "storm_lightning") and not interior:
            swarms += _rain(frame, heavy=kind == "storm_lightning")
        if kind == "storm_lightning":
            flashes = _lightning(frame, frames, seed)
        elif kind == "snow":
            swarms += _snow(frame)
        elif kind == "wind_leaves":
            swarms.append(_leaves(frame, bamboo=set_kind == "bamboo_forest"))
        elif kind == "fire_smoke":
            swarms += _fire(frame)
        elif kind == "steam":
            swarms.append(_steam(frame))
        elif kind == "dust":
            swarms.append(_dust(frame))
    if not swarms and flashes is None:
        return None
    return Particles(tuple(swarms), flashes)


@dataclass(frozen=True)
class _Frame:
    w: int
    h: int
    fps: int
    rng: np.random.Generator
    level: float

    def count(self, per_hd_frame: float) -> int:
        """A density given for a 1280x720 frame, at this size and intensity."""
        return max(1, int(per_hd_frame * self.level * self.w * self.h / (1280 * 720)))

    def per_frame(self, per_second: float) -> float:
        return per_second / self.fps

    def uniform(self, lo: float, hi: float, n: int) -> np.ndarray:
        values: np.ndarray = self.rng.uniform(lo, hi, n).astype(np.float32)
        return values


def _disc(radius: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r = max(0.6, radius)
    k = math.ceil(r)
    dy, dx = np.mgrid[-k : k + 1, -k : k + 1]
    d = np.sqrt(dy * dy + dx * dx)
    inside = d <= r
    weight = np.clip(1.2 - d / r, 0, 1)[inside].astype(np.float32)
    return dy[inside].astype(np.int32), dx[inside].astype(np.int32), weight


def _tongue(rx: float, ry: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A flame: an upright teardrop, widest near its base, soft at the edges."""
    kx, ky = math.ceil(rx), math.ceil(ry)
    dy, dx = np.mgrid[-ky : ky // 3 + 1, -kx : kx + 1]
    up = np.clip(-dy / ry, 0, 1)  # 0 at the base, 1 at the tip
    half = rx * (1 - up) ** 0.8
    inside = (np.abs(dx) <= half) & (dy <= ky // 3)
    weight = np.clip(1.1 - np.abs(dx) / np.maximum(half, 0.5) * 0.6 - up * 0.5, 0, 1)
    return (
        dy[inside].astype(np.int32),
        dx[inside].astype(np.int32),
        weight[inside].astype(np.float32),
    )


def _streak(length: float, slant: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A thin line `length` pixels long leaning `slant` pixels sideways per pixel down,
    brightest at its head."""
    n = max(2, round(length))
    t = np.arange(n, dtype=np.float32)
    dy = -np.rint(t).astype(np.int32)
    dx = -np.rint(t * slant).astype(np.int32)
    weight = (1 - t / n) ** 0.7
    return dy, dx, weight.astype(np.float32)


def _swarm(
    f: _Frame,
    n: int,
    sprite: tuple[np.ndarray, np.ndarray, np.ndarray],
    colours: np.ndarray,
    *,
    velocity: tuple[np.ndarray, np.ndarray],
    alpha: np.ndarray,
    sway: tuple[np.ndarray, np.ndarray] | None = None,
    box: tuple[float, float, float, float] | None = None,
    chroma: bool = True,
) -> Swarm:
    """A swarm of `n` particles spread over `box` (the frame and a margin by default)."""
    margin = max(np.abs(sprite[0]).max(), np.abs(sprite[1]).max()) + 2
    x_lo, x_hi, y_lo, y_hi = box or (-margin, f.w + margin, -margin, f.h + margin)
    zero = np.zeros(n, np.float32)
    amplitude, pace = sway or (zero, zero)
    return Swarm(
        x0=f.uniform(x_lo, x_hi, n),
        y0=f.uniform(y_lo, y_hi, n),
        vx=velocity[0],
        vy=velocity[1],
        sway=amplitude,
        pace=pace,
        phase=f.uniform(0, math.tau, n),
        alpha=alpha,
        yuv=colours,
        dy=sprite[0],
        dx=sprite[1],
        weight=sprite[2],
        box=(x_lo, x_hi, y_lo, y_hi),
        chroma=chroma,
        opacity=(alpha[:, None] * sprite[2][None, :]).ravel(),
        owner=np.repeat(np.arange(n), len(sprite[0])),
    )


def _pick(f: _Frame, palette: list[tuple[int, int, int]], n: int) -> np.ndarray:
    yuv = _rgb_to_yuv(np.asarray(palette, np.float32))
    picked: np.ndarray = yuv[f.rng.integers(0, len(palette), n)]
    return picked


def _rain(f: _Frame, *, heavy: bool) -> list[Swarm]:
    """Two depths of thin slanted streaks: near ones long, bright and fast."""
    slant = 0.22 if heavy else 0.14
    swarms = []
    for depth, (density, length, speed, opacity) in enumerate(
        ((170, 0.05, 2.6, 0.5), (260, 0.03, 1.8, 0.32))
    ):
        n = f.count(density * (1.3 if heavy else 1.0))
        fall = f.per_frame(speed * f.h) * f.uniform(0.85, 1.15, n)
        colours = np.repeat(_rgb_to_yuv(np.asarray([[226, 232, 240]], np.float32)), n, axis=0)
        swarms.append(
            _swarm(
                f,
                n,
                _streak(length * f.h * (0.8 + 0.4 * f.level), slant),
                colours,
                velocity=(fall * slant, fall),
                alpha=np.full(n, opacity * (1 - 0.2 * depth), np.float32),
                chroma=False,
            )
        )
    return swarms


def _snow(f: _Frame) -> list[Swarm]:
    swarms = []
    for size, density, speed, opacity in ((0.007, 200, 0.14, 0.95), (0.004, 380, 0.09, 0.8)):
        n = f.count(density)
        colours = np.repeat(_rgb_to_yuv(np.asarray([[250, 250, 252]], np.float32)), n, axis=0)
        swarms.append(
            _swarm(
                f,
                n,
                _disc(size * f.h),
                colours,
                velocity=(
                    np.full(n, f.per_frame(0.02 * f.w), np.float32),
                    f.per_frame(speed * f.h) * f.uniform(0.7, 1.3, n),
                ),
                alpha=np.full(n, opacity, np.float32),
                sway=(f.uniform(0.005, 0.02, n) * f.w, f.uniform(0.5, 1.5, n) / f.fps),
            )
        )
    return swarms


def _leaves(f: _Frame, bamboo: bool) -> Swarm:
    """Leaves blown across: autumn's, or a bamboo grove's narrow green blades."""
    n = f.count(130)
    r = max(2.0, 0.011 * f.h) * (1.3 if bamboo else 1.0)
    thin = 0.3 if bamboo else 0.6
    dy, dx = np.mgrid[
        -math.ceil(r * thin) : math.ceil(r * thin) + 1, -math.ceil(r) : math.ceil(r) + 1
    ]
    # Tilted a little, so a blade reads as a blade and not a dash.
    inside = ((dx / r) ** 2 + ((dy - 0.35 * dx) / (r * thin)) ** 2 <= 1) & (np.abs(dy) <= r)
    sprite = (
        dy[inside].astype(np.int32),
        dx[inside].astype(np.int32),
        np.ones(int(inside.sum()), np.float32),
    )
    palette = (
        [(110, 170, 70), (80, 140, 60), (150, 190, 90)]
        if bamboo
        else [(120, 160, 60), (200, 170, 50), (210, 110, 40), (150, 90, 50), (90, 140, 60)]
    )
    return _swarm(
        f,
        n,
        sprite,
        _pick(f, palette, n),
        velocity=(
            f.per_frame(0.28 * f.w) * f.uniform(0.6, 1.4, n),
            f.per_frame(0.12 * f.h) * f.uniform(0.5, 1.5, n),
        ),
        alpha=np.full(n, 0.95, np.float32),
        sway=(f.uniform(0.01, 0.03, n) * f.h, f.uniform(2.0, 4.0, n) / f.fps),
    )


def _fire(f: _Frame) -> list[Swarm]:
    """Flames licking up from the bottom edge, embers rising, and smoke above."""
    band = f.h * (0.12 + 0.12 * f.level)
    n = f.count(320)
    flames = _swarm(
        f,
        n,
        _tongue(0.024 * f.h, 0.07 * f.h),
        _pick(f, [(255, 200, 60), (255, 150, 40), (240, 90, 30), (255, 230, 120)], n),
        velocity=(np.zeros(n, np.float32), -f.per_frame(0.5 * f.h) * f.uniform(0.7, 1.3, n)),
        alpha=f.uniform(0.5, 0.85, n),
        sway=(f.uniform(0.003, 0.01, n) * f.h, f.uniform(3.0, 6.0, n) / f.fps),
        box=(-4.0, f.w + 4.0, f.h - band, f.h + 0.02 * f.h),
    )
    m = f.count(60)
    embers = _swarm(
        f,
        m,
        _disc(0.002 * f.h),
        _pick(f, [(255, 180, 60), (255, 120, 40)], m),
        velocity=(np.zeros(m, np.float32), -f.per_frame(0.25 * f.h) * f.uniform(0.6, 1.4, m)),
        alpha=np.full(m, 0.9, np.float32),
        sway=(f.uniform(0.005, 0.02, m) * f.h, f.uniform(1.0, 3.0, m) / f.fps),
    )
    k = f.count(40)
    smoke = _swarm(
        f,
        k,
        _disc(0.045 * f.h),
        _pick(f, [(90, 88, 92), (120, 116, 118)], k),
        velocity=(
            np.full(k, f.per_frame(0.03 * f.w), np.float32),
            -f.per_frame(0.1 * f.h) * f.uniform(0.7, 1.3, k),
        ),
        alpha=f.uniform(0.12, 0.22, k),
        sway=(f.uniform(0.01, 0.03, k) * f.h, f.uniform(0.3, 0.8, k) / f.fps),
        box=(-0.05 * f.w, 1.05 * f.w, -0.06 * f.h, f.h * 0.8),
        chroma=False,
    )
    return [smoke, flames, embers]


def _steam(f: _Frame) -> Swarm:
    """Two plumes of vapour rising from low in the frame, to either side of the middle
    (where a subject stands)."""
    n = f.count(90)
    swarm = _swarm(
        f,
        n,
        _disc(0.04 * f.h),
        np.repeat(_rgb_to_yuv(np.asarray([[248, 248, 248]], np.float32)), n, axis=0),
        velocity=(np.zeros(n, np.float32), -f.per_frame(0.14 * f.h) * f.uniform(0.7, 1.3, n)),
        alpha=f.uniform(0.16, 0.3, n),
        sway=(f.uniform(0.01, 0.04, n) * f.h, f.uniform(0.5, 1.2, n) / f.fps),
        box=(-0.1 * f.w, 1.1 * f.w, f.h * 0.15, f.h * 1.05),
        chroma=False,
    )
    plume = np.where(np.arange(n) % 2 == 0, 0.2, 0.8).astype(np.float32)
    spread = f.rng.normal(0, 0.035, n).astype(np.float32)
    return replace(swarm, x0=(plume + spread * (1 + f.uniform(0, 2, n))) * f.w)


def _dust(f: _Frame) -> Swarm:
    n = f.count(300)
    return _swarm(
        f,
        n,
        _disc(0.003 * f.h),
        _pick(f, [(230, 200, 150), (200, 170, 120)], n),
        velocity=(f.per_frame(0.35 * f.w) * f.uniform(0.6, 1.4, n), f.uniform(-0.3, 0.3, n)),
        alpha=f.uniform(0.4, 0.8, n),
        sway=(f.uniform(0.005, 0.02, n) * f.h, f.uniform(1.0, 3.0, n) / f.fps),
    )


def strike_frames(seed: int, level: float, frames: int, fps: int) -> tuple[int, ...]:
    """The frames on which a storm's lightning strikes flash in a shot of `frames` frames
    at `fps`, drawn from the request's seed and the storm's intensity (`level`): the
    first within the shot's first second, so short shots have one, and about one more
    per three seconds of a strong storm. The sound's thunder is laid by them."""
    rng = _rng(seed, "storm_lightning strikes")
    extra = round(2 * level * frames / (3 * fps))
    strikes = 1 + int(rng.integers(0, 1 + extra))
    starts = [int(rng.integers(0, max(1, min(frames, fps))))]
    starts += [int(rng.integers(0, max(1, frames))) for _ in range(strikes - 1)]
    # Frames are drawn on twos (frames.py), so a strike starts on an even frame.
    return tuple(sorted({start // 2 * 2 for start in starts}))


def _lightning(f: _Frame, frames: int, seed: int) -> Flashes:
    """Strikes, each a bright flash that flickers and fades over a third of a second,
    the first within the shot's first second so short shots have one."""
    levels = np.zeros(max(1, frames), np.float32)
    for start in strike_frames(seed, f.level, frames, f.fps):
        for k, amount in enumerate((0.6, 0.25, 0.5, 0.1)):
            at = start + 2 * k
            if at < frames:
                levels[at] = max(levels[at], amount * (0.6 + 0.4 * f.level))
    # A jagged bolt from the top edge down to about mid-height.
    x = float(f.rng.uniform(0.2, 0.8) * f.w)
    ys, xs = [], []
    y = 0.0
    while y < f.h * 0.55:
        step = f.h * float(f.rng.uniform(0.04, 0.08))
        nx = x + f.w * float(f.rng.uniform(-0.04, 0.04))
        t = np.linspace(0, 1, max(2, int(step)))
        for width in range(max(2, f.h // 150)):
            ys.append(np.rint(y + step * t).astype(np.int32))
            xs.append(np.rint(x + (nx - x) * t).astype(np.int32) + width)
        x, y = nx, y + step
    bolt_y = np.clip(np.concatenate(ys), 0, f.h - 1)
    bolt_x = np.clip(np.concatenate(xs), 0, f.w - 1)
    return Flashes(levels, bolt_y, bolt_x)
