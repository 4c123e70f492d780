"""Lip sync: how many frames the speaker's mouth runs ahead of or behind the words.

The request carries, per speaking character, how far their mouth should be open on
each frame (from the voice track: voice/visemes.py). The take's mouth opening is
placed with dlib's 68-point landmarks on the take's sampled stills and read on every
frame, from the luma the shared decode keeps, as the darkness inside the lips (an
open mouth shows its dark inside). The offset is the lag, in frames, that maximises
the normalised cross-correlation of the two series; more than `max_offset` fails the
take.

Not applicable, with the reason: no line is spoken in the shot, the `actors` extra
is missing, or no face is seen.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from storyreel.cast import faces
from storyreel.cast.errors import ActorsMissingError
from storyreel.qa import CheckResult, Evidence
from storyreel.qa.facetrack import boxes, crop_of
from storyreel.qa.frames import UnreadableTake, read_take
from storyreel.render.engine import RenderRequest, Take

_SHAPE_68 = "shape_predictor_68_face_landmarks.dat"
# The inner lips in dlib's 68-point layout: top 61-63, bottom 65-67.
_TOP, _BOTTOM = (61, 62, 63), (67, 66, 65)


class LipSyncOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Offset, in frames, the eye forgives: about 45 ms ahead to 125 ms behind is the
    # broadcast limit (ITU-R BT.1359); 2 frames at 24 fps is 83 ms.
    max_offset: int = Field(default=2, ge=0, le=48)
    # Lags searched either way, frames.
    search: int = Field(default=12, ge=1, le=96)
    # Below this peak correlation the mouth does not follow the words at all.
    min_correlation: float = Field(default=0.3, ge=-1.0, le=1.0)


class LipSyncCheck:
    name: ClassVar[str] = "lipsync"
    Options: ClassVar[type[LipSyncOptions]] = LipSyncOptions

    def __init__(self, options: LipSyncOptions | None = None) -> None:
        self.options = options or LipSyncOptions()

    def check(self, take: Take, request: RenderRequest) -> CheckResult:
        tracks = {n: t for n, t in request.mouths.items() if t and max(t) > 0}
        if not tracks:
            return CheckResult.not_applicable(self.name, "no line is spoken in the shot")
        try:
            faces.face_models()
            predictor = _predictor()
        except ActorsMissingError as error:
            return CheckResult.not_applicable(self.name, str(error))
        speaker, expected = max(tracks.items(), key=lambda item: sum(item[1]))
        try:
            measured = mouth_openness(take.path, predictor)
        except (OSError, UnreadableTake) as error:
            return CheckResult(check=self.name, score=0.0, passed=False, notes=[str(error)])
        if measured is None:
            return CheckResult.not_applicable(self.name, f"no face of {speaker} is seen")
        return self.judge(np.asarray(expected, dtype=np.float64), measured, speaker)

    def judge(
        self, expected: NDArray[np.float64], measured: NDArray[np.float64], speaker: str
    ) -> CheckResult:
        lags, correlation = cross_correlation(expected, measured, self.options.search)
        best = int(np.argmax(correlation))
        offset, peak = int(lags[best]), float(correlation[best])
        notes = []
        if peak < self.options.min_correlation:
            notes.append(f"{speaker}'s mouth does not follow the words (correlation {peak:.2f})")
        elif abs(offset) > self.options.max_offset:
            side = "behind" if offset > 0 else "ahead of"
            notes.append(f"{speaker}'s mouth is {abs(offset)} frames {side} the words")
        first = int(np.argmax(expected > 0)) if expected.max() > 0 else 0
        return CheckResult(
            check=self.name,
            score=max(0.0, peak) / (1.0 + max(0, abs(offset) - self.options.max_offset)),
            passed=not notes,
            notes=notes,
            evidence=[Evidence(frame=first, kind="offset", value=float(offset))],
            series={
                "lags": [float(v) for v in lags],
                "correlation": [round(float(v), 4) for v in correlation],
                "mouth": [round(float(v), 4) for v in measured],
            },
        )


def cross_correlation(
    expected: NDArray[np.float64], measured: NDArray[np.float64], search: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Normalised correlation of `measured` against `expected` shifted by each lag:
    a positive lag means the mouth moves that many frames after the words."""
    n = min(len(expected), len(measured))
    a = expected[:n] - expected[:n].mean()
    b = measured[:n] - measured[:n].mean()
    lags = np.arange(-search, search + 1)
    out = []
    for lag in lags:
        if lag >= 0:
            x, y = a[: n - lag], b[lag:]
        else:
            x, y = a[-lag:], b[: n + lag]
        denominator = float(np.linalg.norm(x) * np.linalg.norm(y))
        out.append(float(x @ y) / denominator if denominator > 0 else 0.0)
    return lags, np.asarray(out, dtype=np.float64)


@lru_cache(maxsize=1)
def _predictor() -> Any:
    folder = faces.models_dir()
    path = folder / _SHAPE_68
    if not path.is_file():
        raise ActorsMissingError("measuring mouths (the 68-point landmark model is missing)")
    return faces.face_models().dlib.shape_predictor(str(path))


def mouth_openness(path: Path, predictor: Any, searches: int = 3) -> NDArray[np.float64] | None:
    """How open the speaker's mouth is on every frame of the take at `path` (the
    darkness of the inside of the mouth, 0..1); None when no face is found.

    The faces are those found on the take's sampled stills (shared with the identity
    check: qa/facetrack.py); the largest one's 68 landmarks place the mouth, and on
    every frame the mouth's box is read from the luma the decode kept: an open mouth
    shows its dark inside. dlib's 68-point model costs about 1 ms on a crop of the
    face, the box read 0.1 ms; nothing is decoded again.
    """
    frames = read_take(path)
    mouths: dict[int, tuple[int, int, int, int]] = {}
    dlib = faces.face_models().dlib
    for index, image in sorted(frames.stills.items()):
        found = boxes(frames, index, image, searches=searches)
        if not found:
            continue
        crop, face, corner = crop_of(image, max(found, key=lambda f: f.width * f.height))
        rect = dlib.rectangle(round(face.x0), round(face.y0), round(face.x1), round(face.y1))
        shape = predictor(crop, rect)
        lips = np.array([(shape.part(k).x, shape.part(k).y) for k in range(60, 68)], dtype=float)
        lips += corner
        (x0, y0), (x1, y1) = lips.min(axis=0), lips.max(axis=0)
        # The inner lips' box, widened to the height an open mouth reaches.
        half = max(3.0, (x1 - x0) * 0.3)
        middle = (y0 + y1) / 2
        mouths[index] = (int(x0), int(middle - half), int(x1) + 1, int(middle + half) + 1)
    if not mouths:
        return None
    known = sorted(mouths)
    step = frames.luma_step
    values = []
    for i, luma in enumerate(frames.luma):
        x0, y0, x1, y1 = mouths[min(known, key=lambda k: abs(k - i))]
        box = luma[max(0, y0) // step : -(-y1 // step), max(0, x0) // step : -(-x1 // step)]
        values.append(1.0 - float(box.mean()) / 255.0 if box.size else 0.0)
    return np.asarray(values, dtype=np.float64)
