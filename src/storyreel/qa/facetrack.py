"""Faces on a take's frames, found and embedded as cheaply as the checks allow.

dlib's ResNet embedding is the dear part (about as much as the whole decode of a 5 s
720p take), then the HOG search of a whole frame. So:

- a frame is searched whole only while no face is known; once one is, the next frame
  is searched in a box around it (a face moves little between sampled frames), and
  whole again only when that finds nothing, at most `searches` times a take;
- each face found is reduced to a small aligned grey chip (dlib's face chip from its
  5 landmarks, 1 ms), and embedded only when its chip looks like no face already
  embedded in this take: the same face in the next frame reuses that embedding, a
  stranger's face or a face that drifted away gets its own.

What is found is kept with the take's decode (`TakeFrames.found`), so the lip-sync
check reads the faces the identity check found.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from storyreel.cast import faces
from storyreel.cast.faces import Face
from storyreel.qa.frames import TakeFrames

# The chip's side, pixels: enough to tell two people apart, too small to see a smile.
_CHIP = 32
# The share of the chip, from its top, compared: down to just under the nose.
_UPPER = 0.6
# A face box is searched again this many of its widths around it.
_MARGIN = 1.0
# The size, pixels, a face is searched at around a face already found.
_FACE = 100
# Whole frames larger than this (longest side, pixels) are searched at half size.
_WHOLE = 1400


@dataclass(frozen=True)
class Seen:
    face: Face  # the box, in the frame's pixels
    chip: NDArray[np.float32]  # the aligned grey face, zero mean and unit length
    embedding: NDArray[np.float64]  # dlib's 128 numbers


def seen(
    frames: TakeFrames,
    index: int,
    image: NDArray[np.uint8],
    *,
    same_look: float,
    searches: int,
) -> list[Seen]:
    """The faces on frame `index` (its RGB picture `image`), embedded; cached on `frames`."""
    key = ("seen", index)
    if key not in frames.found:
        found = boxes(frames, index, image, searches=searches)
        frames.found[key] = [_embedded(frames, image, box, same_look) for box in found]
    return list(frames.found[key])


def boxes(frames: TakeFrames, index: int, image: NDArray[np.uint8], *, searches: int) -> list[Face]:
    """The faces' boxes on frame `index`, left to right; cached on `frames`."""
    key = ("faces", index)
    if key in frames.found:
        return list(frames.found[key])
    found = _around(image, _nearest_faces(frames, index))
    used = int(frames.found.get("searches", 0))
    if not found and used < searches:
        frames.found["searches"] = used + 1
        found = _whole(image)
    frames.found[key] = found
    return list(found)


def _nearest_faces(frames: TakeFrames, index: int) -> list[Face]:
    known = [
        (abs(k[1] - index), v)
        for k, v in frames.found.items()
        if isinstance(k, tuple) and k[0] == "faces" and v
    ]
    if not known:
        return []
    _, nearest = min(known, key=lambda item: item[0])
    return list(nearest)


def _whole(image: NDArray[np.uint8]) -> list[Face]:
    height, width = image.shape[:2]
    if max(height, width) > _WHOLE:
        return [f.scaled(2) for f in faces.detect(np.ascontiguousarray(image[::2, ::2]))]
    return faces.detect(image, upsample=1 if max(height, width) < 600 else 0)


def _around(image: NDArray[np.uint8], hints: list[Face]) -> list[Face]:
    """Faces found in a box around each of `hints` (the same face a few frames away)."""
    found: list[Face] = []
    height, width = image.shape[:2]
    for hint in hints:
        pad = _MARGIN * max(hint.width, hint.height)
        x0, y0 = max(0, int(hint.x0 - pad)), max(0, int(hint.y0 - pad))
        x1, y1 = min(width, int(hint.x1 + pad)), min(height, int(hint.y1 + pad))
        if x1 - x0 < 16 or y1 - y0 < 16:
            continue
        # HOG finds faces from about 80 pixels: the crop is scaled so the face is a
        # little over that, which also makes a large face's search cheap.
        scale = min(3.0, max(0.25, _FACE / max(1.0, hint.width)))
        crop = np.ascontiguousarray(image[y0:y1, x0:x1])
        if abs(scale - 1.0) > 0.05:
            size = (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale)))
            crop = np.asarray(cv2.resize(crop, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
        else:
            scale = 1.0
        for face in faces.detect(crop):
            face = face.scaled(1 / scale)
            moved = Face(face.x0 + x0, face.y0 + y0, face.x1 + x0, face.y1 + y0, face.score)
            if not any(_overlap(moved, f) > 0.5 for f in found):
                found.append(moved)
    return sorted(found, key=lambda f: f.x0)


def _overlap(a: Face, b: Face) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / (a.width * a.height + b.width * b.height - inter)


def crop_of(
    image: NDArray[np.uint8], face: Face
) -> tuple[NDArray[np.uint8], Face, tuple[int, int]]:
    """The part of `image` around `face` (a face's width either side), the face's box
    in it and the crop's corner in the image: landmarks and embeddings read only this,
    not the whole frame."""
    height, width = image.shape[:2]
    pad = max(face.width, face.height)
    x0, y0 = max(0, int(face.x0 - pad)), max(0, int(face.y0 - pad))
    x1, y1 = min(width, int(face.x1 + pad)), min(height, int(face.y1 + pad))
    box = Face(face.x0 - x0, face.y0 - y0, face.x1 - x0, face.y1 - y0, face.score)
    return np.ascontiguousarray(image[y0:y1, x0:x1]), box, (x0, y0)


def _embedded(frames: TakeFrames, image: NDArray[np.uint8], face: Face, same_look: float) -> Seen:
    crop, box, _ = crop_of(image, face)
    shape = faces.landmarks(crop, box)
    chip = _chip(crop, shape)
    library: list[Seen] = frames.found.setdefault("embedded", [])
    for known in library:
        if float(known.chip @ chip) >= same_look:
            return Seen(face, chip, known.embedding)
    made = Seen(face, chip, faces.embed(crop, shape))
    library.append(made)
    return made


def _chip(crop: NDArray[np.uint8], shape: object) -> NDArray[np.float32]:
    dlib = faces.face_models().dlib
    chip = np.asarray(dlib.get_face_chip(crop, shape, size=_CHIP), dtype=np.float32)
    # The eyes, brows and nose only: a talking mouth is the same face.
    gray = chip[: int(_CHIP * _UPPER)].mean(axis=2).ravel()
    gray -= gray.mean()
    norm = float(np.linalg.norm(gray))
    return np.asarray(gray / norm if norm > 0 else gray, dtype=np.float32)
