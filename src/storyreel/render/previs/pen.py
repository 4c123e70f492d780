"""Anti-aliased vector drawing with Pillow: draw supersampled on a layer, then reduce.

ImageDraw does not anti-alias shapes. Drawing at `ss` times the size on a transparent
layer and box-reducing it gives smooth edges, at the cost of one C-level reduce, and
keeps close-ups crisp because shapes are rasterised at the frame's own resolution.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from storyreel.render.previs.util import RGB

Point = tuple[float, float]
Fill = RGB | tuple[int, int, int, int]


def _premultiplied(fill: Fill | None) -> Fill | None:
    if fill is None or len(fill) == 3:
        return fill
    r, g, b, a = fill
    return (r * a // 255, g * a // 255, b * a // 255, a)


class Pen:
    """ImageDraw in canvas pixel coordinates (floats) on a supersampled layer.

    The layer covers the canvas box (x0, y0, x0 + w, y0 + h); `finish()` returns it at
    canvas resolution, ready to composite at (x0, y0). Shapes replace what is under
    them on the layer (no blending within a layer), as ImageDraw does.

    The layer is premultiplied ("RGBa"): Pillow reduces an RGBA image by converting it
    to premultiplied and back at full supersampled size, which costs several times
    the reduce itself.
    """

    def __init__(self, x0: int, y0: int, w: int, h: int, ss: int = 2) -> None:
        self.x0, self.y0, self.w, self.h, self.ss = x0, y0, w, h, ss
        self.layer = Image.new("RGBa", (max(1, w * ss), max(1, h * ss)), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.layer)

    def _p(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.x0) * self.ss, (y - self.y0) * self.ss)

    def _w(self, width: float) -> int:
        return max(1, round(width * self.ss))

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Fill) -> None:
        a, b = self._p(min(x0, x1), min(y0, y1))
        c, d = self._p(max(x0, x1), max(y0, y1))
        self.draw.rectangle((a, b, c, d), fill=_premultiplied(fill))

    def rounded(
        self, x0: float, y0: float, x1: float, y1: float, radius: float, fill: Fill
    ) -> None:
        a, b = self._p(min(x0, x1), min(y0, y1))
        c, d = self._p(max(x0, x1), max(y0, y1))
        r = max(0, min(radius * self.ss, (c - a) / 2, (d - b) / 2))
        self.draw.rounded_rectangle((a, b, c, d), radius=r, fill=_premultiplied(fill))

    def ellipse(
        self,
        cx: float,
        cy: float,
        rx: float,
        ry: float,
        fill: Fill | None,
        outline: Fill | None = None,
        width: float = 1,
    ) -> None:
        a, b = self._p(cx - rx, cy - ry)
        c, d = self._p(cx + rx, cy + ry)
        if c - a < 1 or d - b < 1:
            return
        self.draw.ellipse(
            (a, b, c, d),
            fill=_premultiplied(fill),
            outline=_premultiplied(outline),
            width=self._w(width),
        )

    def polygon(
        self,
        points: Sequence[Point],
        fill: Fill | None,
        outline: Fill | None = None,
        width: float = 1,
    ) -> None:
        xy = [self._p(x, y) for x, y in points]
        self.draw.polygon(
            xy, fill=_premultiplied(fill), outline=_premultiplied(outline), width=self._w(width)
        )

    def line(self, points: Sequence[Point], fill: Fill, width: float) -> None:
        xy = [self._p(x, y) for x, y in points]
        self.draw.line(xy, fill=_premultiplied(fill), width=self._w(width))

    def arc(
        self,
        cx: float,
        cy: float,
        rx: float,
        ry: float,
        start: float,
        end: float,
        fill: Fill,
        width: float,
    ) -> None:
        a, b = self._p(cx - rx, cy - ry)
        c, d = self._p(cx + rx, cy + ry)
        if c - a < 1 or d - b < 1:
            return
        self.draw.arc((a, b, c, d), start, end, fill=_premultiplied(fill), width=self._w(width))

    def finish(self) -> Image.Image:
        """The layer at canvas resolution, as straight (not premultiplied) RGBA."""
        small = self.layer.reduce(self.ss) if self.ss > 1 else self.layer
        return small.convert("RGBA")

    def composite_onto(self, image: Image.Image) -> None:
        """Blend the finished layer onto `image` (RGB or RGBA) at the layer's box."""
        layer = self.finish()
        if image.mode == "RGBA":
            image.alpha_composite(layer, (self.x0, self.y0))
        else:
            image.paste(layer, (self.x0, self.y0), layer)


def glow(
    pixels: np.ndarray, cx: float, cy: float, radius: float, colour: RGB, strength: float
) -> None:
    """Add a soft radial light (sun halo, lamp) to an RGB uint8 array in place."""
    h, w = pixels.shape[:2]
    x0, x1 = max(0, int(cx - radius)), min(w, int(cx + radius) + 1)
    y0, y1 = max(0, int(cy - radius)), min(h, int(cy + radius) + 1)
    if x0 >= x1 or y0 >= y1 or radius <= 0:
        return
    ys = (np.arange(y0, y1, dtype=np.float32) - cy)[:, None]
    xs = (np.arange(x0, x1, dtype=np.float32) - cx)[None, :]
    fall = np.clip(1.0 - np.sqrt(xs * xs + ys * ys) / radius, 0.0, 1.0)
    alpha = (strength * fall * fall)[:, :, None]
    region = pixels[y0:y1, x0:x1].astype(np.float32)
    target = np.asarray(colour, dtype=np.float32)
    pixels[y0:y1, x0:x1] = (region + (target - region) * alpha).astype(np.uint8)
