"""Flicker: VBench's model-free temporal-flicker score, and the brightness ripple.

VBench scores temporal flicker as (255 - mean absolute difference of consecutive
frames) / 255: 1 for a picture that never changes, lower as pixels jump. It reads
motion as flicker too, so a fast pan scores lower than a locked-off shot; the take
fails only when it is also measurably flickering: its brightness ripples from frame to
frame (how far each frame's brightness stands off the line between its neighbours')
by more than `max_ripple` grey levels on average.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from storyreel.qa import CheckResult, Evidence
from storyreel.qa.frames import TakeFrames, UnreadableTake, read_take
from storyreel.qa.temporal import flash_frames, stormy
from storyreel.render.engine import RenderRequest, Take


class FlickerOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # VBench's score below which a take fails (its published models score 0.93-0.99).
    min_score: float = Field(default=0.9, ge=0.0, le=1.0)
    # Mean frame-to-frame brightness ripple, grey levels: a light bulb's 50 Hz beat on
    # a camera is 1-3, a diffusion model's flicker 2-10; a steady take stays under 0.5.
    max_ripple: float = Field(default=1.5, ge=0.0, le=255.0)
    # A frame whose own ripple exceeds this is shown as evidence.
    frame_ripple: float = Field(default=4.0, ge=0.0, le=255.0)


class FlickerCheck:
    name: ClassVar[str] = "flicker"
    Options: ClassVar[type[FlickerOptions]] = FlickerOptions

    def __init__(self, options: FlickerOptions | None = None) -> None:
        self.options = options or FlickerOptions()

    def check(self, take: Take, request: RenderRequest) -> CheckResult:
        try:
            frames = read_take(take.path)
        except UnreadableTake as error:
            return CheckResult(check=self.name, score=0.0, passed=False, notes=[str(error)])
        return judge(frames, self.options, self.name, lightning=stormy(request))


def judge(
    frames: TakeFrames, options: FlickerOptions, name: str = "flicker", *, lightning: bool = False
) -> CheckResult:
    """`lightning`: the shot has a storm, whose flashes (and the frames beside them,
    whose ripple they raise) are left out of the mean ripple: they are meant."""
    diffs = frames.differences()
    score = 1.0 - float(diffs.mean()) / 255.0 if diffs.size else 1.0
    bright = frames.brightness()
    residual = ripple(bright)
    judged = residual
    if lightning and residual.size:
        lit = {f + d for f in flash_frames(bright) for d in range(-_NEAR_FLASH, _NEAR_FLASH + 1)}
        judged = np.delete(residual, sorted(f for f in lit if 0 <= f < residual.size))
    mean_ripple = float(judged.mean()) if judged.size else 0.0
    notes = []
    if score < options.min_score:
        notes.append(f"temporal flicker score {score:.3f}, under {options.min_score}")
    if mean_ripple > options.max_ripple:
        notes.append(f"brightness ripples by {mean_ripple:.2f} grey levels a frame")
    evidence = [
        Evidence(frame=i, kind="ripple", value=round(float(v), 3))
        for i, v in enumerate(residual)
        if v > options.frame_ripple
    ]
    return CheckResult(
        check=name,
        score=max(0.0, min(1.0, score)),
        passed=not notes,
        notes=notes,
        evidence=evidence[:100],
        series={"ripple": [round(float(v), 3) for v in residual]},
    )


# Frames either side of a flash whose ripple it raises (a frame's ripple reads its
# neighbours, and the picture is drawn on twos).
_NEAR_FLASH = 2


def ripple(bright: NDArray[np.float64]) -> NDArray[np.float64]:
    """How far each frame's brightness stands off the line between its neighbours':
    0 for a steady or steadily changing picture (a fade, the sun going in), the
    amplitude's double for brightness that goes up and down every frame."""
    if bright.size < 3:
        return np.zeros(bright.size, dtype=np.float64)
    padded = np.pad(bright, 1, mode="edge")
    return np.asarray(np.abs(bright - (padded[:-2] + padded[2:]) / 2), dtype=np.float64)
