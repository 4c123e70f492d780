"""The built-in check: does the take's file hold what was asked for?

It reads the file's container header (no frame is decoded): the frame count, the frame
size and the rate against the request. An engine whose model ignored the size asked
for, or a take cut short by a crash that still left a playable file, is caught here
before the cut stretches or pads it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import ClassVar

import av
from pydantic import BaseModel, ConfigDict, Field

from storyreel.qa import CheckResult
from storyreel.render.engine import RenderRequest, Take


class ConformanceOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Frames a take may miss or add: a generative model's clip length is fixed in steps
    # of 4 or 8 frames and the cut fits it by resampling, so one or two are harmless.
    frame_tolerance: int = Field(default=0, ge=0, le=240)


class ConformanceCheck:
    name: ClassVar[str] = "conformance"
    Options: ClassVar[type[ConformanceOptions]] = ConformanceOptions

    def __init__(self, options: ConformanceOptions | None = None) -> None:
        self.options = options or ConformanceOptions()

    def check(self, take: Take, request: RenderRequest) -> CheckResult:
        try:
            with av.open(str(take.path)) as container:
                stream = container.streams.video[0]
                found = (stream.frames, stream.width, stream.height, stream.average_rate)
        except (av.FFmpegError, IndexError, OSError) as error:
            return CheckResult(
                check=self.name, score=0.0, passed=False, notes=[f"not a video: {error}"]
            )
        frames, width, height, rate = found
        notes = []
        if abs(frames - request.frame_count) > self.options.frame_tolerance:
            notes.append(f"{frames} frames, asked for {request.frame_count}")
        if (width, height) != (request.width, request.height):
            notes.append(f"{width}x{height}, asked for {request.width}x{request.height}")
        if rate is None or Fraction(rate) != request.fps:
            notes.append(f"{float(rate or 0):g} fps, asked for {request.fps}")
        return CheckResult(
            check=self.name, score=1.0 - len(notes) / 3, passed=not notes, notes=notes
        )
