"""The mapping from world units to the pixels of one shot's canvas."""

from __future__ import annotations

from dataclasses import dataclass

# View height of a wide shot (see camera._FRAMING): the scale at which backdrop
# elements have their nominal size.
_REFERENCE_VIEW = 3.4


@dataclass(frozen=True)
class Stage:
    width: int  # canvas pixels
    height: int
    scale: float  # canvas pixels per world unit
    left: float  # world x at the canvas's left edge
    top: float  # world y at the canvas's top edge
    frame_height: int  # the output frame's height in pixels
    zoom: float = 1.0  # canvas pixels per output pixel

    @property
    def max_line(self) -> float:
        """Thickest outline in canvas pixels: ink lines stay thin in close-ups, as a
        storyboard artist's pen does, instead of growing with the figure."""
        return self.frame_height * 0.004 * self.zoom

    def px(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.left) * self.scale, (self.top - y) * self.scale

    def backdrop_scale(self, depth: float) -> float:
        """Pixels per unit for scenery `depth` away (0 = with the figures, 1 = infinity).

        A long lens magnifies distant scenery less than the subject: a close-up shows a
        few windows of the street behind, not a single giant brick.
        """
        reference = self.frame_height / _REFERENCE_VIEW
        ratio = self.scale / reference
        return float(reference * ratio ** (1 - depth))
