"""Title cards and picture transitions: fades, dissolves and wipes.

A title card is one still frame (text centred on black, or on a soft gradient). The
transitions are pure functions of one or two frames and a progress `t` in 0..1, on
RGB arrays (H, W, 3) or on yuv420p planes (Y, U, V), so the cut can apply them to
the frames it decodes, or to an engine's planes, without converting to RGB:

    for i in range(n):                       # the last n frames of a shot
        frame = fade_rgb(frame, fade_out_weight(i, n))
    frame = dissolve_planes(outgoing, incoming, (i + 1) / (n + 1))
    frame = wipe_rgb(outgoing, incoming, t, "left")

Black in yuv420p (limited range, as the encoder writes it) is Y = 16, U = V = 128.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from PIL import Image, ImageDraw

from storyreel.fonts import font
from storyreel.render.previs.overlay import guess_lang, wrap

Planes = tuple[np.ndarray, np.ndarray, np.ndarray]
WipeDirection = Literal["left", "right"]
Backdrop = Literal["black", "soft"]

# What a plane holds where the picture is black (Y, U, V; limited range).
YUV_BLACK = (16, 128, 128)

_TEXT = (244, 240, 230)


def title_card(
    text: str,
    width: int,
    height: int,
    *,
    backdrop: Backdrop = "black",
    lang: str | None = None,
    subtitle: str = "",
) -> np.ndarray:
    """A title card: `text` centred on black or a soft gradient, as (H, W, 3) uint8.

    Long titles wrap to the card's middle three quarters; Chinese, Japanese and Korean
    are set in their own face of the bundled CJK font.
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"a title card needs a positive size, got {width}x{height}")
    image = Image.fromarray(_backdrop(width, height, backdrop))
    draw = ImageDraw.Draw(image)
    blocks = [(text.strip(), 0.075), (subtitle.strip(), 0.04)]
    laid: list[tuple[str, int, str]] = []  # line, size, lang
    for body, share in blocks:
        if not body:
            continue
        size = max(8, round(height * share))
        language = lang or guess_lang(body)
        face = font(size, language)
        for line in wrap(body, face, width * 0.75):
            laid.append((line, size, language))
    gaps = [round(size * 1.35) for _, size, _ in laid]
    y = (height - sum(gaps)) / 2
    for (line, size, language), gap in zip(laid, gaps, strict=True):
        face = font(size, language)
        draw.text((width / 2, y + gap / 2), line, font=face, fill=_TEXT, anchor="mm")
        y += gap
    return np.asarray(image).copy()


def _backdrop(width: int, height: int, backdrop: Backdrop) -> np.ndarray:
    if backdrop == "black":
        return np.zeros((height, width, 3), np.uint8)
    # A soft vignette: a warm dark grey in the middle falling to near black.
    ys = (np.arange(height, dtype=np.float32) - height / 2) / (height / 2)
    xs = (np.arange(width, dtype=np.float32) - width / 2) / (width / 2)
    fall = np.clip(1.0 - (ys[:, None] ** 2 + xs[None, :] ** 2) * 0.5, 0.0, 1.0)
    centre = np.asarray((58, 52, 60), np.float32)
    return (fall[:, :, None] * centre).astype(np.uint8)


# --- fades ---------------------------------------------------------------------------


def fade_in_weight(index: int, count: int) -> float:
    """How much picture frame `index` of a `count`-frame fade-in shows: 0 (black) at
    the first frame, rising to 1 just after the last."""
    _check(index, count)
    return index / count


def fade_out_weight(index: int, count: int) -> float:
    """How much picture frame `index` of a `count`-frame fade-out shows: 0 (black) at
    the last frame."""
    _check(index, count)
    return 1.0 - (index + 1) / count


def _check(index: int, count: int) -> None:
    if count <= 0 or not 0 <= index < count:
        raise ValueError(f"frame {index} is not inside a fade of {count} frames")


def fade_rgb(frame: np.ndarray, weight: float) -> np.ndarray:
    """`frame` (RGB uint8) mixed with black: weight 1 is the picture, 0 is black."""
    faded: np.ndarray = np.rint(frame.astype(np.float32) * _unit(weight)).astype(np.uint8)
    return faded


def fade_planes(planes: Planes, weight: float) -> Planes:
    """yuv420p planes mixed with black (see `fade_rgb`)."""
    w = np.float32(_unit(weight))
    levels = np.arange(256, dtype=np.float32)
    # One table per plane: a plane value's faded value, looked up rather than computed
    # per pixel (a fade touches every pixel of every frame it spans).
    y, u, v = (
        np.rint(black + (levels - black) * w).astype(np.uint8)[p]
        for p, black in zip(planes, YUV_BLACK, strict=True)
    )
    return y, u, v


# --- dissolves and wipes ---------------------------------------------------------------


def dissolve_rgb(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """`a` dissolving into `b`: t = 0 is `a`, 1 is `b`, 0.5 their average."""
    _same(a, b)
    w = _unit(t)
    mixed = a.astype(np.float32) * (1 - w) + b.astype(np.float32) * w
    out: np.ndarray = np.rint(mixed).astype(np.uint8)
    return out


def dissolve_planes(a: Planes, b: Planes, t: float) -> Planes:
    y, u, v = (dissolve_rgb(pa, pb, t) for pa, pb in zip(a, b, strict=True))
    return y, u, v


def wipe_rgb(
    a: np.ndarray, b: np.ndarray, t: float, direction: WipeDirection = "left"
) -> np.ndarray:
    """`b` wiping over `a`: the edge travels `direction` across the frame, so at t the
    fraction t of the width shows `b` ("left": entering from the right edge)."""
    _same(a, b)
    width = a.shape[1]
    edge = round(_unit(t) * width)
    out = a.copy()
    if direction == "left":
        out[:, width - edge :] = b[:, width - edge :]
    elif direction == "right":
        out[:, :edge] = b[:, :edge]
    else:
        raise ValueError(f"wipe direction must be 'left' or 'right', got {direction!r}")
    return out


def wipe_planes(a: Planes, b: Planes, t: float, direction: WipeDirection = "left") -> Planes:
    """`wipe_rgb` on yuv420p planes; the chroma edge follows the luma edge, halved."""
    y = wipe_rgb(a[0][:, :, None], b[0][:, :, None], t, direction)[:, :, 0]
    u = wipe_rgb(a[1][:, :, None], b[1][:, :, None], t, direction)[:, :, 0]
    v = wipe_rgb(a[2][:, :, None], b[2][:, :, None], t, direction)[:, :, 0]
    return y, u, v


def _same(a: np.ndarray, b: np.ndarray) -> None:
    if a.shape != b.shape:
        raise ValueError(f"a transition joins frames of one size, got {a.shape} and {b.shape}")


def _unit(t: float) -> float:
    return min(1.0, max(0.0, float(t)))
