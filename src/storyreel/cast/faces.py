"""Faces with dlib: find them, judge them (sharp? facing the camera?) and embed them.

dlib and its trained models are the optional `actors` extra. The models ship as data
files inside the `face_recognition_models` package; its `__init__` imports
`pkg_resources`, which current setuptools no longer has, so the package is located
through its import spec and never imported.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyreel.cast.errors import ActorsMissingError

_SHAPE_MODEL = "shape_predictor_5_face_landmarks.dat"
_EMBED_MODEL = "dlib_face_recognition_resnet_model_v1.dat"

# HOG detector scores: real faces score about 0.5 to 2; below this the detector is
# mostly finding face-like texture (a badge, a pattern in the background).
MIN_SCORE = 0.3

Image = NDArray[np.uint8]  # (H, W, 3) RGB


@dataclass(frozen=True)
class Face:
    """A detected face: its box in image pixels and the detector's confidence."""

    x0: float
    y0: float
    x1: float
    y1: float
    score: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2

    def scaled(self, factor: float) -> Face:
        return Face(
            self.x0 * factor, self.y0 * factor, self.x1 * factor, self.y1 * factor, self.score
        )


@dataclass(frozen=True)
class FaceModels:
    dlib: Any
    detector: Any
    shape: Any
    encoder: Any


def models_dir() -> Path:
    """The `models/` folder of the installed face_recognition_models package."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise ActorsMissingError("finding faces")
    for location in spec.submodule_search_locations:
        folder = Path(location) / "models"
        if (folder / _EMBED_MODEL).is_file() and (folder / _SHAPE_MODEL).is_file():
            return folder
    raise ActorsMissingError("finding faces (the face models are incomplete)")


@lru_cache(maxsize=1)
def face_models() -> FaceModels:
    """dlib's detector, 5-point landmarks and ResNet embedder, loaded once per process."""
    try:
        import dlib
    except ImportError:
        raise ActorsMissingError("finding faces") from None
    folder = models_dir()
    return FaceModels(
        dlib=dlib,
        detector=dlib.get_frontal_face_detector(),
        shape=dlib.shape_predictor(str(folder / _SHAPE_MODEL)),
        encoder=dlib.face_recognition_model_v1(str(folder / _EMBED_MODEL)),
    )


def available() -> bool:
    try:
        face_models()
    except ActorsMissingError:
        return False
    return True


def detect(image: Image, *, upsample: int = 0, min_score: float = MIN_SCORE) -> list[Face]:
    """Faces in `image`, left to right. `upsample` doubles the image that many times
    first, finding faces down to about 40 px instead of 80."""
    models = face_models()
    rects, scores, _ = models.detector.run(np.ascontiguousarray(image), upsample, 0.0)
    faces = [
        Face(float(r.left()), float(r.top()), float(r.right()), float(r.bottom()), float(s))
        for r, s in zip(rects, scores, strict=True)
        if s >= min_score
    ]
    return sorted(faces, key=lambda f: f.x0)


def find_faces(image: Image) -> list[Face]:
    """Faces in a still of any size: small stills are upsampled, large ones reduced, so
    a face filling a fair part of the picture is found quickly either way."""
    height, width = image.shape[:2]
    longest = max(height, width)
    if longest > 1000:
        step = int(np.ceil(longest / 800))
        return [f.scaled(step) for f in detect(image[::step, ::step])]
    return detect(image, upsample=1 if longest < 600 else 0)


def landmarks(image: Image, face: Face) -> Any:
    """dlib's 5-point shape (two corners of each eye, the base of the nose)."""
    models = face_models()
    rect = models.dlib.rectangle(round(face.x0), round(face.y0), round(face.x1), round(face.y1))
    return models.shape(np.ascontiguousarray(image), rect)


def shape_points(shape: Any) -> NDArray[np.float64]:
    return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)


def asymmetry(points: NDArray[np.float64]) -> float:
    """How far a face is turned from the camera: 0 for frontal, growing as it turns.

    A turned face moves the nose off the midpoint between the eyes and narrows the
    far eye; the larger of the two effects, relative to the eye spacing, is the score.
    """
    eye_a = points[0:2].mean(axis=0)
    eye_b = points[2:4].mean(axis=0)
    spacing = float(np.linalg.norm(eye_a - eye_b))
    if spacing < 1e-6:
        return 1.0
    middle = (eye_a + eye_b) / 2
    nose_offset = abs(float(points[4][0] - middle[0])) / spacing
    width_a = float(np.linalg.norm(points[0] - points[1]))
    width_b = float(np.linalg.norm(points[2] - points[3]))
    eye_ratio = abs(width_a - width_b) / max(width_a + width_b, 1e-6)
    return max(nose_offset, eye_ratio)


def sharpness(gray: NDArray[np.float32]) -> float:
    """Variance of the Laplacian: blur and motion smear lower it."""
    lap = gray[1:-1, :-2] + gray[1:-1, 2:] + gray[:-2, 1:-1] + gray[2:, 1:-1] - 4 * gray[1:-1, 1:-1]
    return float(lap.var())


def face_sharpness(image: Image, face: Face, size: int = 128) -> float:
    """Sharpness of the face region resampled to `size` pixels, so a large face and a
    small one are judged on the same scale."""
    x0, y0 = max(0, int(face.x0)), max(0, int(face.y0))
    x1, y1 = min(image.shape[1], int(face.x1)), min(image.shape[0], int(face.y1))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return 0.0
    region = image[y0:y1, x0:x1].astype(np.float32)
    gray = region @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    rows = np.linspace(0, gray.shape[0] - 1, size).round().astype(int)
    cols = np.linspace(0, gray.shape[1] - 1, size).round().astype(int)
    return sharpness(gray[np.ix_(rows, cols)])


def embed(image: Image, shape: Any) -> NDArray[np.float64]:
    """The 128-number identity of the face whose landmarks are `shape`."""
    vector = face_models().encoder.compute_face_descriptor(np.ascontiguousarray(image), shape)
    return np.array(vector, dtype=np.float64)


def embed_face(image: Image, face: Face) -> NDArray[np.float64]:
    return embed(image, landmarks(image, face))


def distance(a: NDArray[np.float64] | tuple[float, ...], b: NDArray[np.float64]) -> float:
    return float(np.linalg.norm(np.asarray(a, dtype=np.float64) - b))
