"""Reference images: decoded before they are accepted, stored normalised, and read for
what previs needs (a palette of hair, skin and clothing, and a cut-out when the
background can be removed)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from storyreel.cast.errors import ActorsMissingError, CastError
from storyreel.cast.subject import RGB, Palette

# Reference images are kept at most this large: enough for a first frame or an
# identity embedding, small enough that a cast stays cheap to version and share.
MAX_SIDE = 1024

Box = tuple[int, int, int, int]  # x0, y0, x1, y1


def load_image(path: Path) -> Image.Image:
    """Decode `path` fully (a truncated or mislabelled file fails here, not at render
    time) and return it upright, as RGB, or RGBA when it has transparency."""
    path = Path(path)
    if not path.is_file():
        raise CastError(f"{path}: no such image file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as opened:
                opened.load()
                image = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise CastError(f"{path}: not a readable image ({error})") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise CastError(f"{path}: the image is too large to be a reference image") from None
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    if min(image.size) < 16:
        raise CastError(f"{path}: the image is {image.width}x{image.height}; too small to use")
    return image


def normalised(image: Image.Image) -> Image.Image:
    if max(image.size) <= MAX_SIDE:
        return image
    scale = MAX_SIDE / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


# --- the foreground ---------------------------------------------------------------------


def foreground(image: Image.Image) -> NDArray[np.bool_] | None:
    """Which pixels are the subject, when that can be told without a model: by alpha,
    or against a plain background (the colour all along the border). None otherwise."""
    if image.mode == "RGBA":
        alpha = np.asarray(image.getchannel("A"))
        if (alpha < 250).mean() > 0.01:
            return _plausible(alpha > 127)
    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    edge = max(1, min(rgb.shape[:2]) // 50)
    border = np.concatenate(
        [
            rgb[:edge].reshape(-1, 3),
            rgb[-edge:].reshape(-1, 3),
            rgb[:, :edge].reshape(-1, 3),
            rgb[:, -edge:].reshape(-1, 3),
        ]
    )
    backdrop = np.median(border, axis=0)
    if (np.abs(border - backdrop).max(axis=1) <= 24).mean() < 0.9:
        return None  # a scene behind the subject, not a backdrop
    return _plausible(np.abs(rgb - backdrop).max(axis=2) > 40)


def _plausible(mask: NDArray[np.bool_]) -> NDArray[np.bool_] | None:
    # A subject is neither a speck nor the whole picture.
    share = float(mask.mean())
    return mask if 0.03 < share < 0.97 else None


def mask_box(mask: NDArray[np.bool_]) -> Box:
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def cutout(image: Image.Image, mask: NDArray[np.bool_]) -> Image.Image:
    """The subject alone on transparency, cropped to it, with a softened edge."""
    alpha = Image.fromarray((mask * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    if image.mode == "RGBA":
        alpha = Image.fromarray(np.minimum(np.asarray(alpha), np.asarray(image.getchannel("A"))))
    out = image.convert("RGB").convert("RGBA")
    out.putalpha(alpha)
    return out.crop(mask_box(mask))


# --- the palette ------------------------------------------------------------------------


@dataclass(frozen=True)
class Regions:
    """Where to look for each colour, as boxes in image pixels."""

    hair: Box
    skin: Box
    top: Box
    bottom: Box | None


def regions_around_face(face: tuple[float, float, float, float], size: tuple[int, int]) -> Regions:
    """Hair just above the face, clothing from below the neck down: the proportions of
    a head-and-shoulders photo, which is what reference portraits are."""
    x0, y0, x1, y1 = face
    w, h = x1 - x0, y1 - y0
    cx = (x0 + x1) / 2
    width, height = size

    def box(left: float, top: float, right: float, bottom: float) -> Box:
        return (
            int(max(0, left)),
            int(max(0, top)),
            int(min(width, right)),
            int(min(height, bottom)),
        )

    below = y1 + h * 3.2
    return Regions(
        hair=box(cx - w * 0.55, y0 - h * 0.5, cx + w * 0.55, y0 + h * 0.02),
        skin=box(cx - w * 0.22, y0 + h * 0.3, cx + w * 0.22, y0 + h * 0.75),
        top=box(cx - w * 0.9, y1 + h * 0.45, cx + w * 0.9, y1 + h * 1.6),
        bottom=box(cx - w * 0.6, below, cx + w * 0.6, below + h * 1.2)
        if below + h * 0.5 < height
        else None,
    )


def guess_face(mask: NDArray[np.bool_] | None, size: tuple[int, int]) -> tuple[float, ...]:
    """Where the face most likely is when no detector can say: near the top of the
    silhouette, or the upper middle of a portrait."""
    width, height = size
    if mask is not None:
        x0, y0, x1, _ = mask_box(mask)
        top_rows = mask[y0 : y0 + max(2, (x1 - x0) // 3)]
        cols = np.flatnonzero(top_rows.any(axis=0))
        cx = (cols[0] + cols[-1]) / 2 if cols.size else (x0 + x1) / 2
        w = max(8.0, (x1 - x0) * 0.3)
        return (cx - w / 2, y0 + w * 0.35, cx + w / 2, y0 + w * 1.5)
    w = width * 0.3
    return (width / 2 - w / 2, height * 0.15, width / 2 + w / 2, height * 0.15 + w * 1.15)


def dominant(pixels: NDArray[np.uint8]) -> RGB | None:
    """The most common colour among `pixels` (N, 3), after a median-cut quantisation
    into a few colours, so texture and shading do not split one colour into many."""
    if len(pixels) < 32:
        return None
    strip = Image.fromarray(np.ascontiguousarray(pixels.reshape(1, -1, 3)))
    quantised = strip.quantize(colors=4, method=Image.Quantize.MEDIANCUT)
    counts = quantised.getcolors() or []
    if not counts:
        return None
    index = int(max(counts)[1])  # type: ignore[call-overload]
    palette = quantised.getpalette() or []
    r, g, b = palette[index * 3 : index * 3 + 3]
    return (int(r), int(g), int(b))


def _pixels(rgb: NDArray[np.uint8], mask: NDArray[np.bool_] | None, box: Box) -> NDArray[np.uint8]:
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return np.zeros((0, 3), np.uint8)
    region = rgb[y0:y1, x0:x1]
    if mask is None:
        return region.reshape(-1, 3)
    return region[mask[y0:y1, x0:x1]]


def palette_for(image: Image.Image, face: tuple[float, float, float, float] | None) -> Palette:
    """Hair, skin and clothing colours of the person in `image`, with `face` as found
    by a detector (or guessed when None)."""
    mask = foreground(image)
    rgb = np.asarray(image.convert("RGB"))
    box = face if face is not None else guess_face(mask, image.size)
    regions = regions_around_face((box[0], box[1], box[2], box[3]), image.size)
    return Palette(
        hair=dominant(_pixels(rgb, mask, regions.hair)),
        skin=dominant(_pixels(rgb, mask, regions.skin)),
        top=dominant(_pixels(rgb, mask, regions.top)),
        bottom=dominant(_pixels(rgb, mask, regions.bottom)) if regions.bottom else None,
    )


def detected_face(image: Image.Image) -> tuple[float, float, float, float] | None:
    """The most confident face in `image`, or None (also when dlib is not installed:
    the palette then falls back to a portrait's usual proportions)."""
    from storyreel.cast import faces

    try:
        found = faces.find_faces(np.asarray(image.convert("RGB")))
    except ActorsMissingError:
        return None
    if not found:
        return None
    best = max(found, key=lambda f: f.score)
    return (best.x0, best.y0, best.x1, best.y1)
