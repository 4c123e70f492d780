"""Identity: is each cast member in the shot still themselves, frame after frame?

On frames sampled through the take (full size), every face is found and embedded
with dlib's ResNet (the embedding the cast already holds for each digital actor:
cast/faces.py), as cheaply as qa/facetrack.py can. Each subject with an embedding is
matched to the nearest face:

- drift: the subject's nearest face is farther than dlib's same-person distance
  (0.6) on a frame where faces are seen: someone else has the part;
- swap: the face nearest one subject is nearer another subject's embedding.

Where two neighbouring sampled frames disagree (one as cast, the next a stranger),
the frames between them are bisected, so a stranger's second in the take is placed
to the frame at both ends, for the cost of about four more faces per end.

Frames without a face say nothing (the subject turned away, or a wide shot). The
check is not applicable, and says why, when the `actors` extra is not installed or
no subject of the shot has a face in the cast.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import pairwise
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from storyreel.cast import faces
from storyreel.cast.errors import ActorsMissingError
from storyreel.cast.subject import SAME_PERSON
from storyreel.qa import CheckResult, Evidence
from storyreel.qa.facetrack import seen
from storyreel.qa.frames import TakeFrames, UnreadableTake, decoded, read_take, rgb
from storyreel.render.engine import RenderRequest, Take

# What a sampled frame says of one subject: "ok", "drift", "swap", or "none" (no face).
_BAD = ("drift", "swap")


class IdentityOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Frames sampled through the take: a stranger shown for longer than the gap
    # between two of them (0.7 s in a 5 s take) is always seen on one.
    samples: int = Field(default=8, ge=1, le=240)
    # dlib's same-person distance: farther faces are another person.
    same_person: float = Field(default=SAME_PERSON, gt=0.0, le=2.0)
    # Share of the frames showing faces on which the subject may be missing or drifted.
    max_drift: float = Field(default=0.0, ge=0.0, le=1.0)
    # Frames searched whole for faces at most (each about as dear as an embedding);
    # the others are searched around the faces already found.
    searches: int = Field(default=3, ge=1, le=240)
    # Correlation of two small aligned face chips above which the second is taken for
    # the first (same person, same light) and not embedded again.
    same_look: float = Field(default=0.97, ge=0.0, le=1.0)


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
        return self._judge(frames, cast)

    def _verdict(
        self,
        frames: TakeFrames,
        index: int,
        image: NDArray[np.uint8],
        cast: dict[str, NDArray[np.float64]],
    ) -> dict[str, tuple[str, float]]:
        """Each subject's label on frame `index` and its distance to the nearest face."""
        found = seen(
            frames,
            index,
            image,
            same_look=self.options.same_look,
            searches=self.options.searches,
        )
        if not found:
            return {name: ("none", -1.0) for name in cast}
        limit = self.options.same_person
        out = {}
        for name, target in cast.items():
            nearest = min(found, key=lambda s: faces.distance(target, s.embedding))
            gap = faces.distance(target, nearest.embedding)
            others = [faces.distance(v, nearest.embedding) for o, v in cast.items() if o != name]
            if any(d < gap and d < limit for d in others):
                out[name] = ("swap", gap)
            elif gap > limit:
                out[name] = ("drift", gap)
            else:
                out[name] = ("ok", gap)
        return out

    def _judge(self, frames: TakeFrames, cast: dict[str, NDArray[np.float64]]) -> CheckResult:
        samples = sorted(frames.stills)
        known = {i: self._verdict(frames, i, frames.stills[i], cast) for i in samples}
        judged = [i for i in samples if any(v[0] != "none" for v in known[i].values())]
        if not judged:
            return CheckResult.not_applicable(self.name, "no face seen on the sampled frames")
        self._refine(frames, known, samples, cast)
        evidence: list[Evidence] = []
        notes: list[str] = []
        bad = 0
        for name in cast:
            for first, last, label, gap in _runs(known, name):
                bad += last - first + 1
                evidence.append(Evidence(frame=first, kind=f"{label} {name}", value=gap))
                if last != first:
                    evidence.append(Evidence(frame=last, kind=f"{label} {name}", value=gap))
                what = "is someone else" if label == "drift" else "swapped"
                span = f"frame {first}" if first == last else f"frames {first}-{last}"
                notes.append(f"{name} {what} on {span} (distance {gap:.2f})")
        # The frames that show faces, in proportion to the sampled frames that did.
        shown = frames.count * len(judged) / len(samples)
        share = min(1.0, bad / (len(cast) * shown))
        return CheckResult(
            check=self.name,
            score=1.0 - share,
            passed=share <= self.options.max_drift,
            notes=notes,
            evidence=sorted(evidence, key=lambda e: (e.frame, e.kind)),
            # Similarity (1 - distance) per sampled frame, -1 where no face was seen.
            series={
                f"similarity {n}": [
                    -1.0 if known[i][n][0] == "none" else round(max(0.0, 1.0 - known[i][n][1]), 3)
                    for i in samples
                ]
                for n in cast
            }
            | {"frames": [float(i) for i in samples]},
        )

    def _refine(
        self,
        frames: TakeFrames,
        known: dict[int, dict[str, tuple[str, float]]],
        samples: list[int],
        cast: dict[str, NDArray[np.float64]],
    ) -> None:
        """Bisect the frames between two sampled frames whose labels differ where one of
        them is a defect, until the change is placed between two neighbouring frames.
        `known` gains the frames looked at."""
        gaps = [
            (a, b)
            for a, b in pairwise(samples)
            if b - a > 1
            and any(
                known[a][n][0] != known[b][n][0] and {known[a][n][0], known[b][n][0]} & set(_BAD)
                for n in cast
            )
        ]
        if not gaps:
            return
        pictures = decoded(frames, [i for a, b in gaps for i in range(a + 1, b)])

        def label(index: int) -> dict[str, tuple[str, float]]:
            if index not in known:
                image = rgb(pictures[index]) if index in pictures else frames.stills[index]
                known[index] = self._verdict(frames, index, image, cast)
            return known[index]

        for a, b in gaps:
            for name in cast:
                _bisect(a, b, partial(_label_of, label, name))


def _label_of(label: Callable[[int], dict[str, tuple[str, float]]], name: str, index: int) -> str:
    return label(index)[name][0]


def _bisect(lo: int, hi: int, label: Callable[[int], str]) -> None:
    start = label(lo)
    if start == label(hi):
        return
    while hi - lo > 1:
        middle = (lo + hi) // 2
        if label(middle) == start:
            lo = middle
        else:
            hi = middle


def _runs(
    known: dict[int, dict[str, tuple[str, float]]], name: str
) -> list[tuple[int, int, str, float]]:
    """The runs of one defect label over the frames looked at: (first, last, label,
    the largest distance), a run ending where a frame looked at says otherwise."""
    runs: list[tuple[int, int, str, float]] = []
    for index in sorted(known):
        label, gap = known[index][name]
        if label not in _BAD:
            continue
        if runs and runs[-1][2] == label and _next_known(known, runs[-1][1]) == index:
            first, _, _, worst = runs[-1]
            runs[-1] = (first, index, label, max(worst, gap))
        else:
            runs.append((index, index, label, gap))
    return runs


def _next_known(known: dict[int, dict[str, tuple[str, float]]], index: int) -> int:
    later = [i for i in known if i > index]
    return min(later) if later else -1
