"""One shot's drawing: the setting and its figures on a canvas the camera moves over."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from storyreel.model import Character
from storyreel.render.engine import RenderRequest
from storyreel.render.previs.backdrop import paint_backdrop
from storyreel.render.previs.camera import (
    FACE_Y,
    SUBJECT_GAP,
    CameraPlan,
    Window,
    framing,
    plan_camera,
)
from storyreel.render.previs.figure import draw_figure, figure_box
from storyreel.render.previs.look import Look, look_for
from storyreel.render.previs.overlay import overlay_image
from storyreel.render.previs.pen import Pen
from storyreel.render.previs.stage import Stage

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in canvas pixels


@dataclass(frozen=True)
class Plate:
    """The drawn canvas of a shot and the camera path across it."""

    canvas: np.ndarray  # (canvas_h, canvas_w, 3) uint8 RGB
    plan: CameraPlan
    # Where each drawn figure is, by character name (clipped to the canvas).
    figures: dict[str, Box]


def cast_looks(request: RenderRequest) -> list[Look]:
    """Looks of the shot's subjects in order; a subject missing from the cast is drawn
    from its name alone."""
    by_name = {c.name: c for c in request.cast}
    names = request.shot.subjects or []
    return [look_for(by_name.get(name) or Character(name=name)) for name in names]


def plan_for(request: RenderRequest, looks: list[Look]) -> CameraPlan:
    shot = request.shot
    aspect = request.width / request.height
    view = framing(shot.size, [look.height for look in looks], aspect)
    focus = (0.0, FACE_Y * looks[0].height) if looks else None
    return plan_camera(view, shot.move, shot.direction, request.width, request.height, focus=focus)


def stage_for(plan: CameraPlan, frame_height: int) -> Stage:
    left = plan.canvas.cx - plan.canvas_w / plan.scale / 2
    top = plan.canvas.cy + plan.canvas_h / plan.scale / 2
    return Stage(plan.canvas_w, plan.canvas_h, plan.scale, left, top, frame_height, plan.zoom)


def draw_plate(request: RenderRequest, *, subjects: bool = True) -> Plate:
    """Paint the shot's canvas: the setting, then (unless `subjects` is False) its cast."""
    looks = cast_looks(request)
    plan = plan_for(request, looks)
    stage = stage_for(plan, request.height)
    pixels = paint_backdrop(stage, request.shot.setting)
    figures: dict[str, Box] = {}
    if subjects and looks:
        pixels, figures = _draw_cast(pixels, stage, looks)
    return Plate(canvas=pixels, plan=plan, figures=figures)


def _draw_cast(
    pixels: np.ndarray, stage: Stage, looks: list[Look]
) -> tuple[np.ndarray, dict[str, Box]]:
    placed: list[tuple[Look, tuple[float, float], int, Box]] = []
    for i, look in enumerate(looks):
        feet = stage.px(i * SUBJECT_GAP, 0.0)
        # The first subject looks towards the others; the others look back at them.
        facing = 1 if i == 0 else -1
        half_w, height, _ = figure_box(look, stage.scale)
        box = (
            int(feet[0] - half_w) - 2,
            int(feet[1] - height * 1.05) - 2,
            int(feet[0] + half_w) + 3,
            int(feet[1] + stage.scale * 0.03) + 3,
        )
        clipped = (
            max(0, box[0]),
            max(0, box[1]),
            min(stage.width, box[2]),
            min(stage.height, box[3]),
        )
        if clipped[0] < clipped[2] and clipped[1] < clipped[3]:
            placed.append((look, feet, facing, clipped))
    if not placed:
        return pixels, {}
    x0 = min(b[0] for *_, b in placed)
    y0 = min(b[1] for *_, b in placed)
    x1 = max(b[2] for *_, b in placed)
    y1 = max(b[3] for *_, b in placed)
    # One supersampled layer over just the figures' box: close-ups draw a head several
    # thousand pixels tall, and a layer the size of the canvas would be mostly empty.
    ss = 3 if (x1 - x0) * (y1 - y0) < 600_000 else 2
    pen = Pen(x0, y0, x1 - x0, y1 - y0, ss=ss)
    # Later subjects stand behind the first, so draw them first.
    for look, feet, facing, _ in reversed(placed):
        draw_figure(pen, look, feet, stage.scale, facing, max_line=stage.max_line)
    image = Image.fromarray(pixels)
    pen.composite_onto(image)
    return np.array(image), {look.name: box for look, _, _, box in placed}


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
    if overlay:
        image.paste(*_with_mask(overlay_image(request)))
    return np.array(image)


def _with_mask(layer: Image.Image) -> tuple[Image.Image, tuple[int, int], Image.Image]:
    return layer, (0, 0), layer
