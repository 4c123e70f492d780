"""The mapping from world units to the pixels of one shot's canvas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Distance between neighbouring subjects: a conversation, not a queue.
SUBJECT_GAP = 0.55

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
    # World units the horizon (or an interior's floor line) is raised by: a high angle
    # looks down on the ground behind the subject, a low one up at the sky.
    horizon_lift: float = 0.0
    # Per subject, in the shot's order: world x of the feet and facing (+1 right, -1
    # left). Empty: the subjects stand in a row from x = 0, as `stand` says.
    spots: tuple[tuple[float, int], ...] = ()

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

    def stand(self, index: int) -> tuple[tuple[float, float], int]:
        """Canvas pixels of subject `index`'s feet, and which way they face."""
        if index < len(self.spots):
            x, facing = self.spots[index]
        else:
            # The first subject looks towards the others; the others look back at them.
            x, facing = index * SUBJECT_GAP, 1 if index == 0 else -1
        return self.px(x, 0.0), facing


def placements(
    subjects: Sequence[str], screen: Mapping[str, float]
) -> tuple[tuple[float, int], ...]:
    """World x and facing per subject, from the storyboard's screen positions.

    The 180° rule made visible: subjects stand left to right in the order of their
    screen positions, the first (framed) one at x = 0, and each faces the frame's
    centre, so a character keeps their side and screen direction from shot to shot.
    Without positions for every subject: () and the default row.
    """
    if not subjects or any(name not in screen for name in subjects):
        return ()
    order = sorted(range(len(subjects)), key=lambda i: (screen[subjects[i]], i))
    rank = {i: r for r, i in enumerate(order)}
    first = rank[0]
    spots = []
    for i, name in enumerate(subjects):
        x = (rank[i] - first) * SUBJECT_GAP
        side = screen[name] - 0.5
        if abs(side) < 1e-6:
            # Dead centre: face whoever else is in the shot, else the right.
            others = [screen[n] for n in subjects if n != name]
            side = (sum(others) / len(others) - 0.5) * -1 if others else -1.0
        spots.append((x, 1 if side < 0 else -1))
    return tuple(spots)
