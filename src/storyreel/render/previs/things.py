"""A shot's props, animals and posed figures on its canvas.

The request says what each subject does (`poses`) and which props are in the shot and
who holds them (`things`). Props nobody holds stand in the place at their real size
beside the group (flying ones in the air); a held prop is drawn in its holder's hand.

Figures that move in place (walking, running, fighting) keep the engine's one-drawing-
per-shot design: each is drawn once per phase of its cycle into a small patch of the
canvas, and a frame stamps the patch of its phase, as lip sync stamps a mouth.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from storyreel.model import ShotSize
from storyreel.render.engine import RenderRequest
from storyreel.render.previs.camera import View
from storyreel.render.previs.figure import action_of, cycle_phases, phase_at
from storyreel.render.previs.look import Look
from storyreel.render.previs.mouth import MouthArt
from storyreel.render.previs.pen import Pen, Point
from storyreel.render.previs.props import ADULT_M, draw_thing, thing_size
from storyreel.render.previs.puppet import draw_subject
from storyreel.render.previs.stage import Stage

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in canvas pixels

# Kinds seen in the air rather than on the ground, and how high (adult heights).
_FLYING: dict[str, float] = {
    "bird": 1.35,
    "eagle": 1.6,
    "crow": 1.4,
    "butterfly": 0.9,
    "kite": 1.8,
    "balloon": 1.5,
    "plane": 3.5,
    "spaceship": 3.0,
    "spaceship_craft": 3.0,
    "dragon": 1.2,
}
# The largest share of the view's width or height a loose prop takes.
_MOST = 0.5
# From a subject's feet to a prop standing beside them, in adult heights: clear of
# the widest figure's half-width (0.32 x build).
_BESIDE = 0.45
# Visible height of a prop's insert, in heights of the prop, per shot size.
_INSERT: dict[ShotSize, float] = {
    ShotSize.extreme_close_up: 1.0,
    ShotSize.close_up: 1.2,
    ShotSize.medium_close_up: 1.8,
    ShotSize.medium: 2.5,
    ShotSize.full: 3.5,
}


@dataclass(frozen=True)
class Placed:
    """One figure to draw: where it stands, its canvas box, what it does and holds."""

    look: Look
    feet: Point
    facing: int
    box: Box
    action: str = "stand"
    holding: str | None = None
    puppet: Path | None = None


@dataclass(frozen=True)
class Motion:
    """A figure that moves in place: its canvas box (even-aligned, for 4:2:0) and the
    box's pixels in every phase of the cycle (`art.patches[0]` is the canvas)."""

    art: MouthArt
    action: str

    def phase(self, index: int, fps: int) -> int:
        return phase_at(self.action, index, fps)


def shot_actions(request: RenderRequest) -> dict[str, str]:
    """Each subject's drawn action (see figure.ACTIONS), by name."""
    return {name: action_of(action) for name, action in request.poses.items()}


def shot_held(request: RenderRequest) -> dict[str, str]:
    """The prop each subject holds, by name: the first one the request gives them."""
    held: dict[str, str] = {}
    subjects = set(request.shot.subjects or [])
    for kind, holder in request.things:
        if holder is not None and holder in subjects and holder not in held:
            held[holder] = kind
    return held


def loose_things(request: RenderRequest, drawn_subjects: int) -> list[str]:
    """Props no drawn subject holds, in the request's order."""
    held = shot_held(request) if drawn_subjects else {}
    taken: set[tuple[str, str]] = set()
    loose: list[str] = []
    for kind, holder in request.things:
        if holder is not None and held.get(holder) == kind and (kind, holder) not in taken:
            taken.add((kind, holder))
            continue
        loose.append(kind)
    return loose


def prop_view(
    things: tuple[tuple[str, str | None], ...], size: ShotSize, aspect: float
) -> View | None:
    """The view of a shot with no one in it that frames its first prop (an insert),
    standing at x = 0; None for wide shots, which show the place."""
    if not things or size not in _INSERT:
        return None
    w_m, h_m = thing_size(things[0][0])
    w, h = w_m / ADULT_M, h_m / ADULT_M
    height = max(h, w / aspect) * _INSERT[size]
    if w < 0.4 * height * aspect and size != ShotSize.full:
        # A tall, thin thing (a lamp post, a spear): close on its top rather than
        # show a stick down the middle of the frame.
        height = w / (0.4 * aspect)
        return View(0.0, h - height / 2, height)
    return View(0.0, h / 2, height)


def ground_things(
    pixels: np.ndarray,
    stage: Stage,
    request: RenderRequest,
    drawn_subjects: int,
    view: Box | None = None,
) -> tuple[np.ndarray, dict[str, Box]]:
    """Draw the props no one holds beside the subjects (behind them), at real size.
    Within `view` (the canvas the camera shows mid-shot) when given: a prop placed
    beyond its edge is moved in, so a shot of two people and "paper birds" shows the
    birds, not a bare margin of the canvas."""
    kinds = loose_things(request, drawn_subjects)
    if not kinds:
        return pixels, {}
    per_m = stage.scale / ADULT_M
    ground = stage.px(0.0, 0.0)[1]
    xs = [stage.stand(i)[0][0] for i in range(drawn_subjects)]
    right = max(xs) + _BESIDE * stage.scale if xs else None
    left = min(xs) - _BESIDE * stage.scale if xs else None
    boxes: list[tuple[str, tuple[float, float, float, float]]] = []
    for i, kind in enumerate(kinds):
        w_m, h_m = thing_size(kind)
        w, h = w_m * per_m, h_m * per_m
        if view is not None:
            # A thing too big for the view (a dragon, a ship) is seen farther off.
            fit = min(1.0, _MOST * (view[2] - view[0]) / w, _MOST * (view[3] - view[1]) / h)
            w, h = w * fit, h * fit
        if right is None or left is None:  # nobody here: the first stands at x = 0
            cx = stage.px(0.0, 0.0)[0]
            right, left = cx + w / 2 + _BESIDE * stage.scale, cx - w / 2 - _BESIDE * stage.scale
        elif i % 2 == 0:
            cx, right = right + w / 2, right + w + _BESIDE * stage.scale
        else:
            cx, left = left - w / 2, left - w - _BESIDE * stage.scale
        base = ground - (_FLYING.get(kind, 0.0) * stage.scale if drawn_subjects else 0.0)
        if view is not None:
            cx, base = _within_view(cx, base, w, h, view)
        boxes.append((kind, (cx - w / 2, base - h, cx + w / 2, base)))
    x0 = max(0, int(min(b[0] for _, b in boxes)) - 2)
    y0 = max(0, int(min(b[1] for _, b in boxes)) - 2)
    x1 = min(stage.width, int(max(b[2] for _, b in boxes)) + 3)
    y1 = min(stage.height, int(max(b[3] for _, b in boxes)) + 3)
    if x0 >= x1 or y0 >= y1:
        return pixels, {}
    pen = Pen(x0, y0, x1 - x0, y1 - y0, ss=_ss(x1 - x0, y1 - y0))
    drawn: dict[str, Box] = {}
    for kind, box in boxes:
        at = draw_thing(pen, kind, box, max_line=stage.max_line)
        clipped = (
            max(0, int(at[0])),
            max(0, int(at[1])),
            min(stage.width, int(at[2]) + 1),
            min(stage.height, int(at[3]) + 1),
        )
        if clipped[0] < clipped[2] and clipped[1] < clipped[3]:
            drawn.setdefault(kind, clipped)
    image = Image.fromarray(pixels)
    pen.composite_onto(image)
    return np.array(image), drawn


def _within_view(cx: float, base: float, w: float, h: float, view: Box) -> tuple[float, float]:
    """A prop's centre and base moved inside `view` with a small margin."""
    x0, y0, x1, y1 = view
    mx, my = 0.04 * (x1 - x0), 0.04 * (y1 - y0)
    lo, hi = x0 + mx + w / 2, x1 - mx - w / 2
    cx = (x0 + x1) / 2 if lo > hi else min(max(cx, lo), hi)
    # Clear of the slate along the top of an annotated picture.
    top, bottom = y0 + 0.14 * (y1 - y0) + h, y1 - my
    base = (y0 + y1 + h) / 2 if top > bottom else min(max(base, top), bottom)
    return cx, base


def _ss(w: int, h: int) -> int:
    # Close-ups draw shapes several thousand pixels across: supersample those less.
    return 3 if w * h < 600_000 else 2


def figure_layer(
    stage: Stage, placed: list[Placed], box: Box, phases: dict[str, int], ss: int
) -> Image.Image:
    """The figures drawn over `box` (canvas pixels) as an RGBA layer of its size."""
    x0, y0, x1, y1 = box
    pen = Pen(x0, y0, x1 - x0, y1 - y0, ss=ss)
    # Later subjects stand behind the first, so draw them first.
    for p in reversed(placed):
        draw_subject(
            pen,
            p.look,
            p.feet,
            stage.scale,
            p.facing,
            max_line=stage.max_line,
            puppet=p.puppet,
            pose=p.action,
            phase=phases.get(p.look.name, 0),
            holding=p.holding,
        )
    return pen.finish()


def draw_figures(pixels: np.ndarray, stage: Stage, placed: list[Placed], box: Box) -> np.ndarray:
    """`pixels` with the placed figures drawn in their first phase."""
    layer = figure_layer(stage, placed, box, {}, _ss(box[2] - box[0], box[3] - box[1]))
    image = Image.fromarray(pixels)
    image.paste(layer, (box[0], box[1]), layer)
    return np.array(image)


def motions(
    under: np.ndarray, drawn: np.ndarray, placed: list[Placed], stage: Stage
) -> tuple[Motion, ...]:
    """Every phase of each moving figure, drawn over `under` (the canvas before its
    figures) with the other figures as they stand, so overlaps stay right; the first
    phase is `drawn`, the canvas as painted."""
    if not placed or not any(cycle_phases(p.action) > 1 for p in placed):
        return ()
    union = (
        min(p.box[0] for p in placed),
        min(p.box[1] for p in placed),
        max(p.box[2] for p in placed),
        max(p.box[3] for p in placed),
    )
    # The same supersampling as the canvas's own figures, so phase 0 matches exactly.
    ss = _ss(union[2] - union[0], union[3] - union[1])
    found: list[Motion] = []
    height, width = under.shape[:2]
    for p in placed:
        count = cycle_phases(p.action)
        if count < 2:
            continue
        x0, y0, x1, y1 = p.box
        x0, y0 = max(0, x0 - x0 % 2), max(0, y0 - y0 % 2)
        x1, y1 = min(width - width % 2, x1 + x1 % 2), min(height - height % 2, y1 + y1 % 2)
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        box = (x0, y0, x1, y1)
        patches = [np.ascontiguousarray(drawn[y0:y1, x0:x1])]
        for phase in range(1, count):
            layer = figure_layer(stage, placed, box, {p.look.name: phase}, ss)
            region = Image.fromarray(np.ascontiguousarray(under[y0:y1, x0:x1]))
            region.paste(layer, (0, 0), layer)
            patches.append(np.asarray(region))
        found.append(Motion(MouthArt(box, patches), p.action))
    return tuple(found)
