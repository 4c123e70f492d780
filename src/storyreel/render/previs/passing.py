"""The view sliding past a vehicle's windows, copied into each frame's YUV planes.

The strip of passing country is converted to YUV once; a frame copies one slice of it
per window, shifted by the distance travelled, and only over the window's pixels that
no figure covers (a head in front of the glass stays in front of it).
"""

from __future__ import annotations

import numpy as np

from storyreel.render.previs.scenery import Passing

Planes = tuple[np.ndarray, np.ndarray, np.ndarray]


class PassingStamp:
    def __init__(self, passing: Passing) -> None:
        self.passing = passing
        strip = passing.strip
        h, w = strip.shape[0] // 2 * 2, strip.shape[1] // 2 * 2
        self.width = w
        widest = max(x1 - x0 for x0, _, x1, _ in passing.boxes) + 2
        # The strip followed by its own start, so any slice up to the widest window is
        # one copy without wrapping.
        reps = 1 + -(-widest // w)
        # Imported here: frames.py, which converts pictures to YUV, stamps these views.
        from storyreel.render.previs.frames import to_yuv

        self.planes = to_yuv(np.concatenate([strip[:h, :w]] * reps, axis=1))
        self.step = passing.speed / max(1, passing.fps)

    def stamp(self, planes: Planes, index: int, ox: int, oy: int) -> None:
        """Copy the view at frame `index` into `planes`, whose (0, 0) is canvas (ox, oy)."""
        shift = int(self.step * index) % self.width // 2 * 2
        for n, (x0, y0, x1, y1) in enumerate(self.passing.boxes):
            mask = self.passing.masks[n] if n < len(self.passing.masks) else None
            for i, (plane, source) in enumerate(zip(planes, self.planes, strict=True)):
                d = 1 if i == 0 else 2
                # Box in plane coordinates, clipped to the plane.
                bx0, by0 = (x0 - ox) // d, (y0 - oy) // d
                bx1, by1 = (x1 - ox) // d, (y1 - oy) // d
                cx0, cy0 = max(bx0, 0), max(by0, 0)
                cx1 = min(bx1, plane.shape[1], bx0 + source.shape[1] - shift // d)
                cy1 = min(by1, plane.shape[0], by0 + source.shape[0])
                if cx0 >= cx1 or cy0 >= cy1:
                    continue
                sx0, sy0 = shift // d + cx0 - bx0, cy0 - by0
                src = source[sy0 : sy0 + cy1 - cy0, sx0 : sx0 + cx1 - cx0]
                dst = plane[cy0:cy1, cx0:cx1]
                if mask is None:
                    dst[...] = src
                else:
                    m = mask[(cy0 - by0) * d :: d, (cx0 - bx0) * d :: d][: cy1 - cy0, : cx1 - cx0]
                    if m.shape != dst.shape:
                        continue
                    np.copyto(dst, src, where=m)
