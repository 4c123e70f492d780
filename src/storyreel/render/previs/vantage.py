"""Where the camera stands: angles (high, low, overhead, dutch) and a camera that
follows its subject, done to a shot's canvas once per shot.

* high / low / overhead: the horizon (or an interior's floor line) rises or sinks behind
  the subject, and the picture is keystoned, the rows nearest the lens a little wider,
  as a lens looking down (or up) sees them;
* dutch: the canvas is drawn with a margin and rotated once, so every crop of it is
  tilted and none shows a corner;
* follow: the figures ride with the camera: the plate holds the place alone and the
  figures become a layer fixed on screen, blended into each frame like the caption.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from PIL import Image

from storyreel.model import Angle
from storyreel.render.previs.camera import CameraPlan, View
from storyreel.render.previs.figure import MouthSpot

DUTCH_DEGREES = 8.0
# Horizon lift per angle, in view heights: a high angle sees ground behind the subject,
# a low one sky, an overhead shot nothing but ground.
_HORIZON_LIFT = {Angle.high: 0.3, Angle.low: -0.3, Angle.overhead: 3.0}
# How much wider the rows nearest the lens are: the tops of heads from above, the feet
# from below.
_KEYSTONE = {Angle.high: 0.12, Angle.low: 0.12, Angle.overhead: 0.2}

Box = tuple[int, int, int, int]


def horizon_lift(angle: Angle, plan: CameraPlan) -> float:
    """World units to raise the horizon by for `angle` (negative lowers it)."""
    view_height = plan.frame_h / plan.scale
    return _HORIZON_LIFT.get(angle, 0.0) * view_height


def padded(plan: CameraPlan, angle: Angle) -> CameraPlan:
    """The plan with a canvas big enough to rotate for a dutch angle (the rotated canvas
    still covers every window), else the plan itself."""
    if angle != Angle.dutch:
        return plan
    a = math.radians(DUTCH_DEGREES)
    w = plan.canvas_w * math.cos(a) + plan.canvas_h * math.sin(a)
    h = plan.canvas_w * math.sin(a) + plan.canvas_h * math.cos(a)
    w, h = 2 * math.ceil(w / 2), 2 * math.ceil(h / 2)
    # The canvas stays centred on the same world point, so world-to-pixel mapping only
    # shifts by the margin.
    return replace(
        plan, canvas=View(plan.canvas.cx, plan.canvas.cy, h / plan.scale), canvas_w=w, canvas_h=h
    )


def turn(
    pixels: np.ndarray, mouths: dict[str, MouthSpot], angle: Angle, plan: CameraPlan
) -> tuple[np.ndarray, dict[str, MouthSpot]]:
    """Apply `angle` to a painted canvas (drawn for `padded(plan, angle)`): the canvas
    of `plan`, and the mouths moved with the picture."""
    if angle == Angle.dutch:
        return _rotate(pixels, mouths, plan)
    if angle in _KEYSTONE:
        return _keystone(pixels, mouths, _KEYSTONE[angle], near_top=angle != Angle.low)
    return pixels, mouths


def _rotate(
    pixels: np.ndarray, mouths: dict[str, MouthSpot], plan: CameraPlan
) -> tuple[np.ndarray, dict[str, MouthSpot]]:
    big_h, big_w = pixels.shape[:2]
    turned = Image.fromarray(pixels).rotate(DUTCH_DEGREES, Image.Resampling.BILINEAR)
    x0, y0 = (big_w - plan.canvas_w) // 2, (big_h - plan.canvas_h) // 2
    out = np.asarray(turned)[y0 : y0 + plan.canvas_h, x0 : x0 + plan.canvas_w]
    # PIL turns counter-clockwise about the centre; move each mouth the same way.
    a = math.radians(DUTCH_DEGREES)
    cx, cy = big_w / 2, big_h / 2
    moved = {}
    for name, spot in mouths.items():
        dx, dy = spot.cx - cx, spot.cy - cy
        x = cx + dx * math.cos(a) + dy * math.sin(a)
        y = cy - dx * math.sin(a) + dy * math.cos(a)
        moved[name] = replace(spot, cx=x - x0, cy=y - y0)
    return np.ascontiguousarray(out), moved


def _keystone(
    pixels: np.ndarray, mouths: dict[str, MouthSpot], amount: float, *, near_top: bool
) -> tuple[np.ndarray, dict[str, MouthSpot]]:
    """Widen each row about the centre, most at the edge nearest the lens (1 + amount)
    and not at all at the far edge: verticals converge away from the camera."""
    h, w = pixels.shape[:2]
    rows = np.arange(h, dtype=np.float32) / max(1, h - 1)
    near = 1 - rows if near_top else rows
    stretch = 1 + amount * near
    centre = (w - 1) / 2
    cols = np.arange(w, dtype=np.float32) - centre
    source = np.rint(centre + cols[None, :] / stretch[:, None]).astype(np.intp)
    out = np.take_along_axis(pixels, source[:, :, None], axis=1)
    moved = {}
    for name, spot in mouths.items():
        s = float(stretch[min(h - 1, max(0, round(spot.cy)))])
        moved[name] = replace(spot, cx=centre + (spot.cx - centre) * s, rx=spot.rx * s)
    return out, moved


def turn_box(
    box: tuple[float, float, float, float], angle: Angle, plan: CameraPlan
) -> tuple[float, float, float, float]:
    """Where a box drawn on the canvas before `turn` lies after it: its corners moved
    as the picture is (rotated and cropped for dutch, keystoned for high, low and
    overhead), and the box around them."""
    x0, y0, x1, y1 = box
    corners = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]
    if angle == Angle.dutch:
        big = padded(plan, angle)
        a = math.radians(DUTCH_DEGREES)
        cx, cy = big.canvas_w / 2, big.canvas_h / 2
        ox, oy = (big.canvas_w - plan.canvas_w) // 2, (big.canvas_h - plan.canvas_h) // 2
        corners = [
            (
                cx + (x - cx) * math.cos(a) + (y - cy) * math.sin(a) - ox,
                cy - (x - cx) * math.sin(a) + (y - cy) * math.cos(a) - oy,
            )
            for x, y in corners
        ]
    elif angle in _KEYSTONE:
        amount, near_top = _KEYSTONE[angle], angle != Angle.low
        h, centre = plan.canvas_h, (plan.canvas_w - 1) / 2
        moved = []
        for x, y in corners:
            row = min(1.0, max(0.0, y / max(1, h - 1)))
            stretch = 1 + amount * ((1 - row) if near_top else row)
            moved.append((centre + (x - centre) * stretch, y))
        corners = moved
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def riders(figures_rgba: np.ndarray, plan: CameraPlan) -> Image.Image:
    """The figures as a layer fixed on screen: drawn on a clear canvas, cropped where
    the camera is mid-move and sized to the frame."""
    window = plan.window(0.5)
    crop = figures_rgba[window.y : window.y + window.h, window.x : window.x + window.w]
    layer = Image.fromarray(np.ascontiguousarray(crop), "RGBA")
    if layer.size != (plan.frame_w, plan.frame_h):
        layer = layer.resize((plan.frame_w, plan.frame_h), Image.Resampling.BILINEAR)
    return layer


def with_riders(
    layer: Image.Image | None, overlay: Image.Image, boxes: list[Box]
) -> tuple[Image.Image, list[Box]]:
    """The overlay with the riding figures under it, and the boxes to blend."""
    if layer is None:
        return overlay, boxes
    bbox = layer.getbbox()
    if bbox is None:
        return overlay, boxes
    merged = layer.copy()
    merged.alpha_composite(overlay)
    x0, y0, x1, y1 = bbox
    box = (x0 - x0 % 2, y0 - y0 % 2, min(layer.width, x1 + x1 % 2), min(layer.height, y1 + y1 % 2))
    # Boxes are blended one by one: overlapping ones would blend their overlap twice.
    apart = []
    for other in boxes:
        if other[0] < box[2] and box[0] < other[2] and other[1] < box[3] and box[1] < other[3]:
            box = (
                min(box[0], other[0]),
                min(box[1], other[1]),
                max(box[2], other[2]),
                max(box[3], other[3]),
            )
        else:
            apart.append(other)
    return merged, [box, *apart]
