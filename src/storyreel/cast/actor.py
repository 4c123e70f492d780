"""A digital actor from a 3–8 s clip of one person speaking: the face, tracked through
the clip, gives a few sharp near-frontal reference crops and an identity embedding;
the sound gives a voice profile and a clean reference recording.

    storyreel cast add MEI --from-video mei.mp4
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyreel.cast import faces
from storyreel.cast.clip import Clip, Still, read_clip
from storyreel.cast.errors import ActorError
from storyreel.cast.faces import Face
from storyreel.cast.voiceprint import VoiceMeasure, clean_reference, measure_voice, profile_for
from storyreel.voice import VoiceProfile

# Faces are found on stills reduced to at most this width: a speaking person's face is
# well over the HOG detector's 80 px there, and detection costs grow with the pixels.
DETECT_WIDTH = 640
# At most this turned from the camera (see faces.asymmetry) counts as near-frontal.
FRONTAL = 0.12
MIN_CROPS = 3
MAX_CROPS = 5
# Crops this far apart in time differ in expression and light, which serves a
# reference-image model better than five copies of one moment.
CROP_SPACING = 0.3
# A clip shows "several people" when this share of the stills with a face has more.
CROWD_SHARE = 0.3


@dataclass(frozen=True)
class Crop:
    t: float  # seconds into the clip
    image: NDArray[np.uint8]  # the reference picture: head and shoulders
    face: Face  # in the still's pixels
    sharpness: float
    asymmetry: float
    embedding: NDArray[np.float64]


@dataclass(frozen=True)
class Capture:
    """Everything taken from one clip."""

    crops: list[Crop]  # best first
    embedding: NDArray[np.float64]  # the mean of the crops' embeddings
    voice: VoiceProfile | None
    measure: VoiceMeasure | None
    reference: NDArray[np.float32] | None  # clean speech for cloning engines
    sample_rate: int
    duration: float


@dataclass(frozen=True)
class _Seen:
    still: Still
    face: Face


def capture_actor(
    path: Path,
    *,
    face_index: int | None = None,
    trim: tuple[float | None, float | None] | None = None,
) -> Capture:
    faces.face_models()  # missing libraries fail before any decoding
    clip = read_clip(path, trim=trim)
    found = [_detect(still.image) for still in clip.stills]
    track = _track(clip, found, face_index)
    crops = _best_crops(track)
    embedding = np.mean([c.embedding for c in crops], axis=0)
    measure = measure_voice(clip.audio, clip.sample_rate)
    return Capture(
        crops=crops,
        embedding=embedding,
        voice=profile_for(measure) if measure else None,
        measure=measure,
        reference=clean_reference(clip.audio, clip.sample_rate, measure) if measure else None,
        sample_rate=clip.sample_rate,
        duration=clip.duration,
    )


def _detect(image: NDArray[np.uint8]) -> list[Face]:
    step = max(1, math.ceil(image.shape[1] / DETECT_WIDTH))
    small = image[::step, ::step]
    upsample = 1 if small.shape[1] < 480 else 0
    return [f.scaled(step) for f in faces.detect(small, upsample=upsample)]


def _track(clip: Clip, found: list[list[Face]], face_index: int | None) -> list[_Seen]:
    """The chosen person's face in every still where it can be followed."""
    with_face = [i for i, fs in enumerate(found) if fs]
    if not with_face:
        raise ActorError(
            f"{clip.path}: no face found in the clip; a digital actor needs one person "
            "facing the camera"
        )
    most = max(len(fs) for fs in found)
    crowded = sum(1 for fs in found if len(fs) > 1)
    anchor = next(i for i, fs in enumerate(found) if len(fs) == most)
    if face_index is None:
        if most > 1 and crowded >= max(2, CROWD_SHARE * len(with_face)):
            raise ActorError(
                f"{clip.path}: {most} faces in the clip; choose one with --face-index N "
                f"(0 is the leftmost, {most - 1} the rightmost)"
            )
        # A passer-by in a frame or two: follow the most confident face.
        anchor = max(with_face, key=lambda i: max(f.score for f in found[i]))
        first = max(found[anchor], key=lambda f: f.score)
    else:
        if not 0 <= face_index < most:
            raise ActorError(
                f"{clip.path}: --face-index {face_index} is out of range; the clip shows "
                f"at most {most} face{'s' if most > 1 else ''} (0 is the leftmost)"
            )
        first = found[anchor][face_index]

    seen = {anchor: first}
    for order in (range(anchor + 1, len(found)), range(anchor - 1, -1, -1)):
        last = first
        for i in order:
            near = _nearest(found[i], last)
            if near is not None:
                seen[i] = last = near
    return [_Seen(clip.stills[i], seen[i]) for i in sorted(seen)]


def _nearest(candidates: list[Face], last: Face) -> Face | None:
    """The face closest to where the tracked face was, if it can be the same one."""
    if not candidates:
        return None
    lx, ly = last.centre

    def gap(face: Face) -> float:
        x, y = face.centre
        return math.hypot(x - lx, y - ly)

    best = min(candidates, key=gap)
    return best if gap(best) <= last.width * 0.8 else None


def _best_crops(track: list[_Seen]) -> list[Crop]:
    if len(track) < MIN_CROPS:
        raise ActorError(
            f"the face is clearly visible in only {len(track)} of the clip's stills; "
            f"a digital actor needs at least {MIN_CROPS} (a steadier, brighter, frontal take)"
        )
    judged = []
    for seen in track:
        shape = faces.landmarks(seen.still.image, seen.face)
        judged.append(
            (
                seen,
                shape,
                faces.face_sharpness(seen.still.image, seen.face),
                faces.asymmetry(faces.shape_points(shape)),
            )
        )
    # Near-frontal first, then sharpest.
    judged.sort(key=lambda j: (j[3] > FRONTAL, -j[2]))
    chosen: list[int] = []  # positions in `judged`, which stays in rank order
    for spacing in (CROP_SPACING, 0.0):
        for n, item in enumerate(judged):
            if len(chosen) == MAX_CROPS:
                break
            if n in chosen:
                continue
            if all(abs(item[0].still.t - judged[c][0].still.t) >= spacing for c in chosen):
                chosen.append(n)
        if len(chosen) >= MIN_CROPS:
            break
    picked: list[tuple[_Seen, Any, float, float]] = [judged[n] for n in sorted(chosen)]
    return [
        Crop(
            t=seen.still.t,
            image=portrait(seen.still.image, seen.face),
            face=seen.face,
            sharpness=sharp,
            asymmetry=asym,
            embedding=faces.embed(seen.still.image, shape),
        )
        for seen, shape, sharp, asym in picked
    ]


def portrait(image: NDArray[np.uint8], face: Face) -> NDArray[np.uint8]:
    """Head and shoulders around `face`: the hair above it and the clothing below it
    stay in the picture, for the palette and for reference-image models."""
    w, h = face.width, face.height
    cx = (face.x0 + face.x1) / 2
    x0 = max(0, round(cx - w * 1.1))
    x1 = min(image.shape[1], round(cx + w * 1.1))
    y0 = max(0, round(face.y0 - h * 0.8))
    y1 = min(image.shape[0], round(face.y1 + h * 1.2))
    return np.ascontiguousarray(image[y0:y1, x0:x1])
