"""One shot's drawing: the setting and its figures on a canvas the camera moves over."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image

from storyreel.model import Angle, CameraMove, Character
from storyreel.render.engine import RenderRequest
from storyreel.render.previs import vantage
from storyreel.render.previs.backdrop import paint_backdrop
from storyreel.render.previs.camera import (
    FACE_Y,
    CameraPlan,
    View,
    Window,
    framing,
    plan_camera,
)
from storyreel.render.previs.figure import MouthSpot, figure_box, mouth_spot
from storyreel.render.previs.look import Look, look_for
from storyreel.render.previs.overlay import overlay_image
from storyreel.render.previs.props import ADULT_M, thing_size
from storyreel.render.previs.puppet import dress_looks, puppet_for, puppets_for
from storyreel.render.previs.scenery import Passing
from storyreel.render.previs.sets import is_interior, paint_set
from storyreel.render.previs.stage import Stage, placements
from storyreel.render.previs.things import (
    Motion,
    Placed,
    draw_figures,
    ground_things,
    motions,
    prop_view,
    shot_actions,
    shot_held,
)
from storyreel.render.previs.weather import (
    Particles,
    check_weather,
    paint_weather,
    particles_for,
    stamp_rgb,
)

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in canvas pixels


@dataclass(frozen=True)
class Plate:
    """The drawn canvas of a shot and the camera path across it."""

    canvas: np.ndarray  # (canvas_h, canvas_w, 3) uint8 RGB
    plan: CameraPlan
    # Where each drawn figure is, by character name: the pixels it changed, on the
    # canvas before the angle's turn. A following camera's figures ride on screen
    # (`riders`), cut from the canvas at mid-shot: these are where they were cut from.
    figures: dict[str, Box]
    # Where each drawn figure's mouth is, for lip sync (canvas pixels).
    mouths: dict[str, MouthSpot] = field(default_factory=dict)
    # A camera that follows: the figures as a layer fixed on screen (frame pixels),
    # laid over every frame; the canvas then holds the place alone.
    riders: Image.Image | None = None
    # Figures that move in place (walk, run, fight): each one's canvas box in every
    # phase of its cycle, stamped per frame like a mouth (see things.Motion).
    motions: tuple[Motion, ...] = ()
    # Where each drawn prop or animal is, by kind (canvas pixels).
    things: dict[str, Box] = field(default_factory=dict)
    # Windows with a view that slides past (a train, a bus), and the weather's moving
    # parts: both make every frame of the shot its own.
    passing: Passing | None = None
    particles: Particles | None = None


def cast_looks(request: RenderRequest) -> list[Look]:
    """Looks of the shot's subjects in order; a subject missing from the cast is drawn
    from its name alone."""
    by_name = {c.name: c for c in request.cast}
    names = request.shot.subjects or []
    genders = request.genders
    looks = [
        look_for(by_name.get(name) or Character(name=name), genders.get(name)) for name in names
    ]
    return dress_looks(looks, request.references)  # the cast library's colours win


def plan_for(request: RenderRequest, looks: list[Look]) -> CameraPlan:
    shot = request.shot
    aspect = request.width / request.height
    # The storyboard's screen position of the framed subject (the 180° rule).
    anchor = shot.screen.get(shot.subjects[0]) if shot.subjects else None
    view = framing(shot.size, [look.height for look in looks], aspect, anchor)
    focus = (0.0, FACE_Y * looks[0].height) if looks else None
    framed: View | None = None if looks else prop_view(request.things, shot.size, aspect)
    if framed is not None:
        # Nobody in the shot: the shot size frames its first prop (an insert).
        view, focus = framed, (framed.cx, framed.cy)
    return plan_camera(
        view,
        shot.move,
        shot.direction,
        request.width,
        request.height,
        focus=focus,
        seconds=request.seconds,
    )


def stage_for(
    plan: CameraPlan,
    frame_height: int,
    *,
    horizon_lift: float = 0.0,
    spots: tuple[tuple[float, int], ...] = (),
) -> Stage:
    left = plan.canvas.cx - plan.canvas_w / plan.scale / 2
    top = plan.canvas.cy + plan.canvas_h / plan.scale / 2
    return Stage(
        plan.canvas_w,
        plan.canvas_h,
        plan.scale,
        left,
        top,
        frame_height,
        plan.zoom,
        horizon_lift=horizon_lift,
        spots=spots,
    )


def draw_plate(request: RenderRequest, *, subjects: bool = True) -> Plate:
    """Paint the shot's canvas: the setting, then (unless `subjects` is False) its cast."""
    shot = request.shot
    looks = cast_looks(request)
    plan = plan_for(request, looks)
    # Angles and screen positions are drawn in (see vantage.py and stage.placements).
    stage = stage_for(
        vantage.padded(plan, shot.angle),
        request.height,
        horizon_lift=vantage.horizon_lift(shot.angle, plan),
        spots=placements(shot.subjects, shot.screen),
    )
    passing: Passing | None = None
    if request.set_kind is None:
        pixels = paint_backdrop(stage, shot.setting)
    else:
        painted = paint_set(stage, shot.setting, request.set_kind)
        pixels, passing = painted.pixels, painted.passing
    weather = check_weather(request.weather)
    interior = is_interior(request.set_kind, shot.setting)
    pixels = paint_weather(pixels, stage, weather, request.seed, interior=interior)
    backdrop = pixels
    # Where the camera looks mid-shot (the middle frame is the one the take records);
    # a dutch angle's padded canvas is turned afterwards, so its props stay where set.
    middle = plan.window(0.5)
    view = None if shot.angle == Angle.dutch else _box(middle)
    pixels, things = ground_things(pixels, stage, request, len(looks) if subjects else 0, view=view)
    figures: dict[str, Box] = {}
    mouths: dict[str, MouthSpot] = {}
    moving: tuple[Motion, ...] = ()
    riders = None
    actions, held = shot_actions(request), shot_held(request)
    if subjects and looks and shot.move == CameraMove.follow:
        clear = np.zeros((stage.height, stage.width, 4), np.uint8)
        puppets = puppets_for(request.references)
        drawn, figures = _draw_cast(clear, stage, looks, puppets, actions, held)
        figures = _tight(figures, clear, drawn)
        riders = vantage.riders(vantage.turn(drawn, {}, shot.angle, plan)[0], plan)
    elif subjects and looks:
        puppets = puppets_for(request.references)
        under = pixels
        pixels, figures = _draw_cast(pixels, stage, looks, puppets, actions, held)
        mouths = _mouths(stage, looks, figures, puppets, actions)
        moving = motions(under, pixels, _placed(stage, looks, puppets, actions, held), stage)
        figures = _tight(figures, under, pixels)
    turned, mouths = vantage.turn(pixels, mouths, shot.angle, plan)
    if turned is not pixels:
        moving = ()  # an angled canvas is warped: its figures hold their first phase
    if passing is not None:
        # A turned canvas (dutch, high, low) moves the windows: keep them still there.
        passing = None if turned is not pixels else _unmasked(passing, backdrop, pixels, request)
    particles = particles_for(
        weather,
        request.width,
        request.height,
        request.fps,
        request.frame_count,
        request.seed,
        interior=interior,
        set_kind=request.set_kind,
    )
    return Plate(
        canvas=turned,
        plan=plan,
        figures=figures,
        mouths=mouths,
        riders=riders,
        motions=moving,
        things=things,
        passing=passing,
        particles=particles,
    )


def _box(window: Window) -> Box:
    return (window.x, window.y, window.x + window.w, window.y + window.h)


def _tight(figures: dict[str, Box], before: np.ndarray, after: np.ndarray) -> dict[str, Box]:
    """Each figure's box shrunk to the pixels drawing it changed: the box it was drawn
    in leaves room for limbs and held things that most poses do not reach."""
    tight: dict[str, Box] = {}
    for name, (x0, y0, x1, y1) in figures.items():
        changed = np.any(before[y0:y1, x0:x1] != after[y0:y1, x0:x1], axis=2)
        ys, xs = np.nonzero(changed)
        if len(xs):
            tight[name] = (
                x0 + int(xs.min()),
                y0 + int(ys.min()),
                x0 + int(xs.max()) + 1,
                y0 + int(ys.max()) + 1,
            )
        else:
            tight[name] = (x0, y0, x1, y1)
    return tight


def _unmasked(
    passing: Passing, backdrop: np.ndarray, canvas: np.ndarray, request: RenderRequest
) -> Passing:
    """`passing` at the request's rate, with the window pixels no prop or figure covers."""
    masks = tuple(
        np.all(canvas[y0:y1, x0:x1] == backdrop[y0:y1, x0:x1], axis=2)
        for x0, y0, x1, y1 in passing.boxes
    )
    return replace(passing, fps=request.fps, masks=masks)


def _stand(stage: Stage, i: int) -> tuple[tuple[float, float], int]:
    """Where subject i stands and which way they face."""
    return stage.stand(i)


def _mouths(
    stage: Stage,
    looks: list[Look],
    figures: dict[str, Box],
    puppets: dict[str, Path],
    actions: dict[str, str] | None = None,
) -> dict[str, MouthSpot]:
    """Mouths of the drawn figures; a cut-out puppet's mouth is where its picture has
    it, unknown here, so puppets do not lip-sync."""
    spots: dict[str, MouthSpot] = {}
    for i, look in enumerate(looks):
        if look.name in figures and puppet_for(puppets, look) is None:
            feet, facing = _stand(stage, i)
            pose = (actions or {}).get(look.name, "stand")
            spots[look.name] = mouth_spot(look, feet, stage.scale, facing, pose)
    return spots


def _placed(
    stage: Stage,
    looks: list[Look],
    puppets: dict[str, Path] | None,
    actions: dict[str, str] | None = None,
    held: dict[str, str] | None = None,
) -> list[Placed]:
    """The figures to draw, each with where it stands and its canvas box, clipped."""
    placed: list[Placed] = []
    for i, look in enumerate(looks):
        feet, facing = _stand(stage, i)
        action = (actions or {}).get(look.name, "stand")
        holding = (held or {}).get(look.name)
        half_w, height, _ = figure_box(look, stage.scale)
        box = (
            int(feet[0] - half_w) - 2,
            int(feet[1] - height * 1.05) - 2,
            int(feet[0] + half_w) + 3,
            int(feet[1] + stage.scale * 0.03) + 3,
        )
        if action != "stand" or holding is not None:
            # Limbs and held things reach out of the standing box: a raised sword, a
            # figure lying down, a hand held out.
            reach = stage.scale * max(look.height, 0.5)
            prop = max(thing_size(holding)) / ADULT_M * stage.scale if holding else 0.0
            box = (
                int(feet[0] - reach * 0.75 - prop) - 2,
                int(feet[1] - reach * 1.2 - prop) - 2,
                int(feet[0] + reach * 0.75 + prop) + 3,
                box[3],
            )
        clipped = (
            max(0, box[0]),
            max(0, box[1]),
            min(stage.width, box[2]),
            min(stage.height, box[3]),
        )
        if clipped[0] < clipped[2] and clipped[1] < clipped[3]:
            puppet = puppet_for(puppets, look)
            placed.append(Placed(look, feet, facing, clipped, action, holding, puppet))
    return placed


def _draw_cast(
    pixels: np.ndarray,
    stage: Stage,
    looks: list[Look],
    puppets: dict[str, Path] | None = None,
    actions: dict[str, str] | None = None,
    held: dict[str, str] | None = None,
) -> tuple[np.ndarray, dict[str, Box]]:
    placed = _placed(stage, looks, puppets, actions, held)
    if not placed:
        return pixels, {}
    box = (
        min(p.box[0] for p in placed),
        min(p.box[1] for p in placed),
        max(p.box[2] for p in placed),
        max(p.box[3] for p in placed),
    )
    return draw_figures(pixels, stage, placed, box), {p.look.name: p.box for p in placed}


def crop(canvas: np.ndarray, window: Window) -> np.ndarray:
    return canvas[window.y : window.y + window.h, window.x : window.x + window.w]


def compose_panel(
    request: RenderRequest, *, subjects: bool = True, overlay: bool = True, t: float = 0.0
) -> np.ndarray:
    """The frame at time fraction `t` of the shot as an (H, W, 3) RGB array.

    The engine encodes the same pictures through a faster YUV path; this one is for
    previews, stills and tests.
    """
    plate = draw_plate(request, subjects=subjects)
    window = plate.plan.window(t)
    image = Image.fromarray(np.ascontiguousarray(crop(plate.canvas, window)))
    if image.size != (request.width, request.height):
        image = image.resize((request.width, request.height), Image.Resampling.BILINEAR)
    if plate.particles is not None and image.width % 2 == 0 and image.height % 2 == 0:
        tick = round(t * max(0, request.frame_count - 1)) // 2 * 2  # on twos, as frames.py
        image = Image.fromarray(stamp_rgb(plate.particles, np.asarray(image), tick))
    if plate.riders is not None:
        image.paste(plate.riders, (0, 0), plate.riders)
    if overlay:
        image.paste(*_with_mask(overlay_image(request)))
    return np.array(image)


def _with_mask(layer: Image.Image) -> tuple[Image.Image, tuple[int, int], Image.Image]:
    return layer, (0, 0), layer
