"""The previs take's record of what it drew on its middle frame (see render/drawn.py).

The plate knows where it drew every figure and prop on its canvas; the camera plan
knows which window of the canvas the middle frame shows. A box on the canvas is moved
as the angle moved the picture (vantage.turn_box), then measured in that window.
"""

from __future__ import annotations

from storyreel.model import CameraMove
from storyreel.render.drawn import Drawn, DrawnFrame
from storyreel.render.engine import RenderRequest
from storyreel.render.previs import vantage
from storyreel.render.previs.camera import Window
from storyreel.render.previs.overlay import OverlayPart
from storyreel.render.previs.panel import Plate
from storyreel.render.previs.things import shot_held

Fractions = tuple[float, float, float, float]
WHOLE: Fractions = (0.0, 0.0, 1.0, 1.0)


def middle_frame(count: int) -> tuple[int, float]:
    """The middle frame of a `count`-frame take and its time fraction, as the engine
    times frames (frame i at i / (count - 1))."""
    middle = count // 2
    return middle, middle / (count - 1) if count > 1 else 0.0


def drawn_frame(
    request: RenderRequest, plate: Plate, parts: list[OverlayPart], count: int
) -> DrawnFrame:
    """Everything the take draws on its middle frame, back to front."""
    middle, t = middle_frame(count)
    # A following camera's figures were cut from the canvas at mid-shot (vantage.riders).
    riding = request.shot.move == CameraMove.follow
    window = plate.plan.window(0.5 if riding else t)
    shot = request.shot
    elements = [Drawn(kind="setting", name=request.set_kind or shot.setting.location, box=WHOLE)]
    # Weather lies over the whole frame (falling rain, fog, a flash).
    elements += [Drawn(kind="weather", name=kind, box=WHOLE) for kind, _ in request.weather]
    for kind, box in plate.things.items():
        seen = _in_window(vantage.turn_box(box, shot.angle, plate.plan), window)
        if seen is not None:
            elements.append(Drawn(kind="thing", name=kind, box=seen))
    people: dict[str, Fractions] = {}
    for name, box in plate.figures.items():
        seen = _in_window(vantage.turn_box(box, shot.angle, plate.plan), window)
        if seen is not None:
            people[name] = seen
            elements.append(Drawn(kind="person", name=name, box=seen))
    for holder, kind in shot_held(request).items():
        if holder in people:  # drawn in the hand: inside its figure's box
            elements.append(Drawn(kind="thing", name=kind, box=people[holder], holder=holder))
    w, h = request.width, request.height
    for part in parts:
        x0, y0, x1, y1 = part.box
        on_screen = (x0 / w, y0 / h, x1 / w, y1 / h)
        kind = "slate" if part.kind == "slate" else "caption"
        elements.append(Drawn(kind=kind, name=part.text, box=on_screen))
    return DrawnFrame(frame=middle, elements=tuple(elements))


def _in_window(box: Fractions, window: Window) -> Fractions | None:
    """`box` (canvas pixels) as fractions of the window, clipped; None when outside."""
    x0 = min(1.0, max(0.0, (box[0] - window.x) / window.w))
    y0 = min(1.0, max(0.0, (box[1] - window.y) / window.h))
    x1 = min(1.0, max(0.0, (box[2] - window.x) / window.w))
    y1 = min(1.0, max(0.0, (box[3] - window.y) / window.h))
    if x1 <= x0 or y1 <= y0:
        return None
    return round(x0, 4), round(y0, 4), round(x1, 4), round(y1, 4)
