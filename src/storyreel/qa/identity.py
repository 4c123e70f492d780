"""Identity: is each cast member in the shot still themselves, frame after frame?

On frames sampled through the take (full size), every face is found and embedded
with dlib's ResNet (the embedding the cast already holds for each digital actor:
cast/faces.py). Each subject with an embedding is matched to the nearest face:

- drift: the subject's nearest face is farther than dlib's same-person distance
  (0.6) on a frame where faces are seen: someone else has the part;
- swap: the face nearest one subject is nearer another subject's embedding.

Frames without a face say nothing (the subject turned away, or a wide shot). The
check is not applicable, and says why, when the `actors` extra is not installed or
no subject of the shot has a face in the cast.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from storyreel.cast import faces
from storyreel.cast.errors import ActorsMissingError
from storyreel.cast.subject import SAME_PERSON
from storyreel.qa import CheckResult, Evidence
from storyreel.qa.frames import UnreadableTake, read_take
from storyreel.render.engine import RenderRequest, Take


class IdentityOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Frames sampled through the take: each costs a face search and an embedding
    # (about 50 ms at 720p), so 8 keep a 5 s take's check near 0.4 s.
    samples: int = Field(default=8, ge=1, le=240)
    # dlib's same-person distance: farther faces are another person.
    same_person: float = Field(default=SAME_PERSON, gt=0.0, le=2.0)
    # Share of the frames showing faces on which the subject may be missing or drifted.
    max_drift: float = Field(default=0.0, ge=0.0, le=1.0)


class IdentityCheck:
    name: ClassVar[str] = "identity"
    Options: ClassVar[type[IdentityOptions]] = IdentityOptions

    def __init__(self, options: IdentityOptions | None = None) -> None:
        self.options = options or IdentityOptions()

    def check(self, take: Take, request: RenderRequest) -> CheckResult:
        cast = {r.name: np.asarray(r.embedding) for r in request.references if r.embedding}
        if not cast:
            return CheckResult.not_applicable(
                self.name, "no subject of the shot has a face in the cast (storyreel cast actor)"
            )
        try:
            faces.face_models()
        except ActorsMissingError as error:
            return CheckResult.not_applicable(self.name, str(error))
        try:
            frames = read_take(take.path, self.options.samples)
        except UnreadableTake as error:
            return CheckResult(check=self.name, score=0.0, passed=False, notes=[str(error)])
        return self._judge(frames.stills, cast)

    def _judge(
        self, stills: dict[int, NDArray[np.uint8]], cast: dict[str, NDArray[np.float64]]
    ) -> CheckResult:
        limit = self.options.same_person
        evidence: list[Evidence] = []
        series: dict[str, list[float]] = {name: [] for name in cast}
        judged = 0
        for index in sorted(stills):
            image = stills[index]
            embedded = [faces.embed_face(image, f) for f in faces.find_faces(image)]
            if not embedded:
                for name in cast:
                    series[name].append(-1.0)  # no face: nothing to say
                continue
            judged += 1
            for name, target in cast.items():
                nearest = min(embedded, key=lambda e: faces.distance(target, e))
                gap = faces.distance(target, nearest)
                series[name].append(round(max(0.0, 1.0 - gap), 3))
                others = {o: faces.distance(v, nearest) for o, v in cast.items() if o != name}
                closer = [o for o, d in others.items() if d < gap and d < limit]
                if closer:
                    evidence.append(Evidence(frame=index, kind=f"swap {name}", value=gap))
                elif gap > limit:
                    evidence.append(Evidence(frame=index, kind=f"drift {name}", value=gap))
        if not judged:
            return CheckResult.not_applicable(self.name, "no face seen on the sampled frames")
        bad_frames = {e.frame for e in evidence}
        share = len(bad_frames) / judged
        notes = [
            f"{e.kind.split()[1]} {'is someone else' if e.kind.startswith('drift') else 'swapped'}"
            f" on frame {e.frame} (distance {e.value:.2f})"
            for e in evidence
        ]
        return CheckResult(
            check=self.name,
            score=1.0 - share,
            passed=share <= self.options.max_drift,
            notes=notes,
            evidence=evidence,
            # Similarity (1 - distance) per sampled frame, -1 where no face was seen.
            series={f"similarity {n}": v for n, v in series.items()}
            | {"frames": [float(i) for i in sorted(stills)]},
        )
