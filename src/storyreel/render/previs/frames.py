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

from storyreel.render.previs.camera import Window
from storyreel.render.previs.overlay import YuvOverlay
from storyreel.render.previs.panel import Plate, crop

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


class FrameMaker:
    """Makes the frames of one shot from its plate and overlay."""

    def __init__(self, plate: Plate, overlay: Image.Image, boxes: list[tuple[int, int, int, int]]):
        self.plate = plate
        self.width, self.height = overlay.size
        self.overlay = YuvOverlay(overlay, boxes)
        self._overlay_rgba = overlay
        self._still: Any = None
        self._parity: dict[tuple[int, int], Planes] = {}
        self._last: tuple[Window, Any] | None = None

    def frame(self, t: float) -> Any:
        """The frame at time fraction `t` as a yuv420p VideoFrame."""
        if not self.plate.plan.moves:
            if self._still is None:
                self._still = self._make_still()
            return self._still
        window = self.plate.plan.window(t)
        if self._last is not None and self._last[0] == window:
            # Eased moves start and end slowly: the same window twice is the same frame.
            return self._last[1]
        frame = self._crop(window)
        self.overlay.apply(frame_planes(frame))
        self._last = (window, frame)
        return frame

    def _make_still(self) -> Any:
        window = self.plate.plan.window(0.0)
        image = Image.fromarray(np.ascontiguousarray(crop(self.plate.canvas, window)))
        if image.size != (self.width, self.height):
            image = image.resize((self.width, self.height), Image.Resampling.BILINEAR)
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

    def _crop(self, window: Window) -> Any:
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
        if (window.w, window.h) == (self.width, self.height):
            return source
        # One swscale call scales the planes; AREA averages like a box filter, which is
        # right for these gentle (at most 1.3x) downscales and cheaper than BILINEAR.
        return source.reformat(
            width=self.width, height=self.height, interpolation="AREA", threads=1
        )
