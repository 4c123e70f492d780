"""Motion: how much the picture moves (VBench's dynamic degree), from OpenCV's optical
flow, so that a take of an action shot that came out still is flagged.

Dense optical flow (OpenCV's DIS, ultrafast preset: bench/qa.py measured it at about
1/25 of Farneback's cost on the same pairs) is computed between frame pairs of the
small grey frames; a pair's motion is the mean of its largest 5 % of flow magnitudes
(a figure running across a still background moves that much, however small it is). As
in VBench, the take is dynamic when enough pairs move more than a threshold scaled to
the frame's size: 6 pixels at 256 pixels (VBench's RAFT threshold), so about 2 pixels
on the 90-pixel-high frames read here. The score is the share of moving pairs.

Only a shot that asks for motion can fail: a camera move other than `static`, or a
subject whose action is one of `moving_actions`. A shot that asks for none is
judged not applicable (a still take of two people talking is as asked).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from storyreel.model import CameraMove
from storyreel.qa import CheckResult, Evidence
from storyreel.qa.frames import TakeFrames, UnreadableTake, read_take
from storyreel.render.engine import RenderRequest, Take

# Pairs measured at most: evenly spread, enough to see a second of stillness.
_PAIRS = 48


class MotionOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Flow, in pixels at a 256-pixel frame height, above which a pair moves (VBench).
    threshold: float = Field(default=6.0, gt=0.0, le=256.0)
    # Share of moving pairs below which a take that should move is "static".
    min_dynamic: float = Field(default=0.25, ge=0.0, le=1.0)
    # The threshold where the shot moves the camera: a camera move shifts the whole
    # picture together, and a slow push-in does 2-3 pixels at 256 in VBench's eighth
    # of a second, under the 6 a figure's motion is held to (bench/qa.py's clean
    # push-ins failed at 6).
    camera_threshold: float = Field(default=2.0, gt=0.0, le=256.0)
    # Actions of the vocabulary (vocab/actions.yaml) that move the body across frames.
    moving_actions: list[str] = Field(
        default=["walk", "run", "fight", "jump", "fall", "dance", "climb", "throw", "hug"],
        max_length=200,
    )


class MotionCheck:
    name: ClassVar[str] = "motion"
    Options: ClassVar[type[MotionOptions]] = MotionOptions

    def __init__(self, options: MotionOptions | None = None) -> None:
        self.options = options or MotionOptions()

    def check(self, take: Take, request: RenderRequest) -> CheckResult:
        wants = self.wanted(request)
        if not wants:
            return CheckResult.not_applicable(self.name, "the shot asks for no motion")
        try:
            frames = read_take(take.path)
        except UnreadableTake as error:
            return CheckResult(check=self.name, score=0.0, passed=False, notes=[str(error)])
        magnitudes, pairs = flow_magnitudes(frames)
        camera = request.shot.move != CameraMove.static
        threshold = self.options.camera_threshold if camera else self.options.threshold
        limit = threshold * frames.gray.shape[1] / 256.0
        moving = magnitudes > limit
        score = float(moving.mean()) if moving.size else 0.0
        passed = score >= self.options.min_dynamic
        notes = [] if passed else [f"static: {score:.0%} of the take moves, but the shot {wants}"]
        evidence = [] if passed else [Evidence(frame=int(pairs[0]), kind="static", value=score)]
        return CheckResult(
            check=self.name,
            score=min(1.0, score / self.options.min_dynamic) if self.options.min_dynamic else 1.0,
            passed=passed,
            notes=notes,
            evidence=evidence,
            series={"flow": [round(float(m), 3) for m in magnitudes]},
        )

    def wanted(self, request: RenderRequest) -> str:
        """What in the shot asks for motion, in words; empty when nothing does."""
        shot = request.shot
        if shot.card is not None:
            return ""
        if shot.move != CameraMove.static:
            return f"moves the camera ({shot.move.value})"
        moving = set(self.options.moving_actions)
        acting = sorted(f"{who} {what}s" for who, what in request.poses.items() if what in moving)
        return f"has {', '.join(acting)}" if acting else ""


def flow_magnitudes(frames: TakeFrames) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Each measured pair's motion (pixels of the small frames) and its first frame."""
    import cv2

    # VBench reads its clips at 8 frames a second: pairs are that far apart.
    step = max(1, round(frames.fps / 8))
    count = frames.count
    if count <= step:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    last = count - 1 - step
    starts = np.unique(np.linspace(0, last, min(_PAIRS, last + 1)).round().astype(np.int64))
    out = []
    dis = cv2.DISOpticalFlow_create(  # type: ignore[attr-defined]
        cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST
    )
    for i in starts:
        flow = dis.calc(frames.gray[i], frames.gray[i + step], None)
        magnitude = np.hypot(flow[..., 0], flow[..., 1]).ravel()
        top = np.partition(magnitude, int(magnitude.size * 0.95))[int(magnitude.size * 0.95) :]
        out.append(float(top.mean()))
    return np.asarray(out, dtype=np.float64), starts
