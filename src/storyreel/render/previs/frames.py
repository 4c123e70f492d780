"""Frames for the encoder, made in YUV 4:2:0 so each frame costs a few copies.

The encoder wants yuv420p. Converting an RGB picture per frame costs as much as a good
part of the encoding itself, so the canvas is converted once per shot and each frame is
a crop of its planes:

* a static shot is one finished frame, handed to the encoder every time;
* a 1:1 window (pan, tilt, track) is three plane copies;
* a scaled window (push, pull) is three plane copies and one swscale call.

The slate and caption are blended into the frame's planes where they cover it.
"""

from __future__ import annotations

from typing import Any

import av
import numpy as np
from PIL import Image

from storyreel.direct.grade import Grade
from storyreel.render.previs.camera import Window
from storyreel.render.previs.grade import apply_grade
from storyreel.render.previs.mouth import MouthArt, level_of, mouth_art
from storyreel.render.previs.overlay import YuvOverlay
from storyreel.render.previs.panel import Plate, crop
from storyreel.render.previs.passing import PassingStamp

Planes = tuple[np.ndarray, np.ndarray, np.ndarray]


def frame_planes(frame: Any) -> Planes:
    """Writable numpy views of a yuv420p VideoFrame's planes (without line padding)."""
    views = []
    for plane in frame.planes:
        rows = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)
        views.append(rows[:, : plane.width])
    return views[0], views[1], views[2]


def to_yuv(rgb: np.ndarray) -> Planes:
    """An RGB array (even width and height) as Y, U, V arrays, converted by swscale
    exactly as the encoder would convert it."""
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
    yuv = frame.reformat(format="yuv420p")
    y, u, v = frame_planes(yuv)
    return y.copy(), u.copy(), v.copy()


class MouthStamp:
    """One mouth's states as YUV patches, written into a frame's planes.

    A patch lands on an even plane position only when the crop that holds it does;
    an odd offset uses the patch less its first row or column (the box has a margin
    of untouched canvas, so nothing drawn is lost) converted separately, cached."""

    def __init__(self, art: MouthArt) -> None:
        self.art = art
        self._yuv: dict[tuple[int, int, int], Planes] = {}

    def stamp(self, planes: Planes, level: int, ox: int, oy: int) -> None:
        """Draw state `level` into `planes`, whose (0, 0) is canvas pixel (ox, oy)."""
        if level <= 0:
            return  # the canvas already shows the closed mouth
        x0, y0, _, _ = self.art.box
        sx, sy = x0 - ox, y0 - oy
        px, py = sx % 2, sy % 2
        key = (level, px, py)
        if key not in self._yuv:
            rgb = self.art.patches[level][py:, px:]
            h, w = rgb.shape[0] // 2 * 2, rgb.shape[1] // 2 * 2
            self._yuv[key] = to_yuv(rgb[:h, :w])
        sx, sy = sx + px, sy + py
        for i, (plane, patch) in enumerate(zip(planes, self._yuv[key], strict=True)):
            d = 1 if i == 0 else 2  # chroma planes are half size
            left, top = sx // d, sy // d
            x0c, y0c = max(left, 0), max(top, 0)
            x1c = min(left + patch.shape[1], plane.shape[1])
            y1c = min(top + patch.shape[0], plane.shape[0])
            if x0c < x1c and y0c < y1c:
                plane[y0c:y1c, x0c:x1c] = patch[y0c - top : y1c - top, x0c - left : x1c - left]


class FrameMaker:
    """Makes the frames of one shot from its plate and overlay.

    `mouths` (character -> openness per frame) animates the mouths of the speakers the
    plate drew; everything else stays exactly as fast as a silent shot: a static
    shot keeps one finished frame per combination of mouth states it has met.
    """

    def __init__(
        self,
        plate: Plate,
        overlay: Image.Image,
        boxes: list[tuple[int, int, int, int]],
        mouths: dict[str, list[float]] | None = None,
        fps: int = 24,
        grade: Grade | None = None,
    ):
        self.plate = plate
        self.fps = fps
        # The film's look, graded under the caption and slate (which keep their colours).
        self.grade = grade if grade is not None and not grade.identity else None
        self.width, self.height = overlay.size
        self.overlay = YuvOverlay(overlay, boxes)
        self._overlay_rgba = overlay
        self._stills: dict[tuple[int, ...], Any] = {}
        self._parity: dict[tuple[int, int], Planes] = {}
        self._last: tuple[tuple[Window, tuple[int, ...], int], Any] | None = None
        self._speakers: list[tuple[MouthStamp, list[float]]] = []
        # A view sliding past windows or moving weather: every frame is its own.
        self._passing = PassingStamp(plate.passing) if plate.passing is not None else None
        self._animated = self._passing is not None or plate.particles is not None
        for name, track in (mouths or {}).items():
            spot = plate.mouths.get(name)
            art = mouth_art(plate.canvas, spot) if spot is not None and any(track) else None
            if art is not None:
                self._speakers.append((MouthStamp(art), track))
        # Figures moving in place: their box stamped in the phase of the frame, under
        # the mouths (a walker's head stays put from phase to phase).
        self._movers = [(MouthStamp(m.art), m) for m in plate.motions]

    def levels(self, index: int) -> tuple[int, ...]:
        """Each moving figure's phase, then each speaker's mouth state, in frame `index`."""
        phases = tuple(motion.phase(index, self.fps) for _, motion in self._movers)
        return phases + tuple(
            level_of(track[index]) if index < len(track) else 0 for _, track in self._speakers
        )

    def _stamps(self, levels: tuple[int, ...]) -> list[tuple[MouthStamp, int]]:
        """The stamps of `levels` in drawing order: moving figures, then mouths."""
        stamps = [s for s, _ in self._movers] + [s for s, _ in self._speakers]
        return list(zip(stamps, levels, strict=True))

    def frame(self, t: float, index: int = 0) -> Any:
        """Frame `index`, at time fraction `t`, as a yuv420p VideoFrame."""
        levels = self.levels(index)
        if not self.plate.plan.moves and not self._animated:
            if levels not in self._stills:
                self._stills[levels] = self._make_still(levels)
            return self._stills[levels]
        window = self.plate.plan.window(t)
        # Weather and passing views move on twos, as drawn effects do: each even frame
        # repeats for the odd one after it, which the encoder stores for next to nothing.
        tick = index // 2 * 2 if self._animated else 0
        key = (window, levels, tick)
        if self._last is not None and self._last[0] == key:
            # Eased moves start and end slowly: the same window twice is the same frame.
            return self._last[1]
        frame = self._crop(window, levels, tick)
        if self.plate.particles is not None:
            # Weather lies in screen space, over the scaled picture and under the caption.
            self.plate.particles.stamp(frame_planes(frame), tick)
        if self.grade is not None:
            apply_grade(frame_planes(frame), self.grade)
        self.overlay.apply(frame_planes(frame))
        self._last = (key, frame)
        return frame

    def _make_still(self, levels: tuple[int, ...]) -> Any:
        window = self.plate.plan.window(0.0)
        pixels = np.array(crop(self.plate.canvas, window))
        for stamp, level in self._stamps(levels):
            if level > 0:
                _paste(pixels, stamp.art.patches[level], stamp.art.box, window)
        image = Image.fromarray(pixels)
        if image.size != (self.width, self.height):
            image = image.resize((self.width, self.height), Image.Resampling.BILINEAR)
        if self.grade is not None:
            still = av.VideoFrame.from_ndarray(np.asarray(image), format="rgb24")
            graded = still.reformat(format="yuv420p")
            apply_grade(frame_planes(graded), self.grade)
            self.overlay.apply(frame_planes(graded))
            return graded
        image.paste(self._overlay_rgba, (0, 0), self._overlay_rgba)
        rgb = av.VideoFrame.from_ndarray(np.asarray(image), format="rgb24")
        return rgb.reformat(format="yuv420p")

    def _planes_for(self, px: int, py: int) -> Planes:
        """The canvas in YUV, shifted by (px, py) so that odd crop corners still land on
        a chroma sample: 4:2:0 chroma only aligns with even luma positions."""
        key = (px, py)
        if key not in self._parity:
            canvas = self.plate.canvas[py:, px:]
            h, w = canvas.shape[0] // 2 * 2, canvas.shape[1] // 2 * 2
            self._parity[key] = to_yuv(canvas[:h, :w])
        return self._parity[key]

    def _crop(self, window: Window, levels: tuple[int, ...] = (), index: int = 0) -> Any:
        px, py = window.x % 2, window.y % 2
        y_plane, u_plane, v_plane = self._planes_for(px, py)
        x, y = window.x - px, window.y - py
        # A window pushed against the far edge of a shifted copy loses its last column;
        # step back one chroma sample instead (a one-pixel shift, on the canvas edge).
        x = min(x, y_plane.shape[1] - window.w)
        y = min(y, y_plane.shape[0] - window.h)
        source = av.VideoFrame(window.w, window.h, "yuv420p")
        ys, us, vs = frame_planes(source)
        ys[...] = y_plane[y : y + window.h, x : x + window.w]
        cx, cy, cw, ch = x // 2, y // 2, window.w // 2, window.h // 2
        us[...] = u_plane[cy : cy + ch, cx : cx + cw]
        vs[...] = v_plane[cy : cy + ch, cx : cx + cw]
        if self._passing is not None:
            self._passing.stamp((ys, us, vs), index, x + px, y + py)
        # Mouths go in before the scaling, at the canvas's own resolution.
        for stamp, level in self._stamps(levels):
            stamp.stamp((ys, us, vs), level, x + px, y + py)
        if (window.w, window.h) == (self.width, self.height):
            return source
        # One swscale call scales the planes; AREA averages like a box filter, which is
        # right for these gentle (at most 1.3x) downscales and cheaper than BILINEAR.
        return source.reformat(
            width=self.width, height=self.height, interpolation="AREA", threads=1
        )


def _paste(
    pixels: np.ndarray, patch: np.ndarray, box: tuple[int, int, int, int], window: Window
) -> None:
    """Copy an RGB `patch` at canvas `box` into `pixels`, a crop of the canvas at `window`."""
    x0, y0 = box[0] - window.x, box[1] - window.y
    h, w = pixels.shape[:2]
    cx0, cy0 = max(x0, 0), max(y0, 0)
    cx1, cy1 = min(x0 + patch.shape[1], w), min(y0 + patch.shape[0], h)
    if cx0 < cx1 and cy0 < cy1:
        pixels[cy0:cy1, cx0:cx1] = patch[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0]
