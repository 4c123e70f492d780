"""Is the lead still the lead? Identity of a rendered take against the cast.

Frames are sampled through the take, every face in them is embedded, and the face
closest to the subject's embedding gives that frame's distance. The QA stage builds on
this to catch a face that drifts into a passer-by's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from storyreel.cast import faces
from storyreel.cast.errors import CastError
from storyreel.cast.subject import SAME_PERSON


@dataclass(frozen=True)
class IdentityScore:
    """How well a take keeps a subject's identity.

    `score` is the share of sampled frames in which a face within dlib's same-person
    distance of the subject was found: 1.0 means the subject is recognisably there
    throughout, 0.0 never. `distances` has one entry per sampled frame (None where no
    face was found), so a caller can tell "drifted" from "turned away".
    """

    score: float
    distances: list[float | None]
    times: list[float]

    @property
    def median_distance(self) -> float | None:
        seen = [d for d in self.distances if d is not None]
        return float(np.median(seen)) if seen else None


def sample_frames(path: Path, count: int) -> list[tuple[float, NDArray[np.uint8]]]:
    """About `count` frames spread evenly through the video at `path`."""
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError) as error:
        raise CastError(f"{path}: cannot be read as a video ({error})") from None
    with container:
        if not container.streams.video:
            raise CastError(f"{path}: the file has no picture")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        total = stream.frames or 0
        decoded = [] if total else list(container.decode(stream))
        frames_total = total or len(decoded)
        wanted = set(np.linspace(0, max(0, frames_total - 1), max(1, count)).round().astype(int))
        source = decoded if decoded else container.decode(stream)
        out = []
        for i, frame in enumerate(source):
            if i in wanted:
                t = float(frame.time) if frame.time is not None else 0.0
                rgb = np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)
                out.append((t, rgb))
        return out


def score_identity(
    path: Path, embedding: Sequence[float] | NDArray[np.float64], *, samples: int = 8
) -> IdentityScore:
    """Identity of the subject with `embedding` across the take at `path`."""
    target = np.asarray(embedding, dtype=np.float64)
    distances: list[float | None] = []
    times: list[float] = []
    for t, image in sample_frames(Path(path), samples):
        found = faces.find_faces(image)
        times.append(t)
        if not found:
            distances.append(None)
            continue
        distances.append(min(faces.distance(faces.embed_face(image, f), target) for f in found))
    matched = sum(1 for d in distances if d is not None and d < SAME_PERSON)
    return IdentityScore(matched / len(distances) if distances else 0.0, distances, times)
