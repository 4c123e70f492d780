"""The visible AI label (GB 45438-2025's explicit label for video), drawn by the cut.

The standard asks a generated video to say so where a viewer sees it: a text with an
"AI" element and a "generated" element on an edge or corner of the opening frames, for
at least 2 s, its text at least 5 % of the frame's short side tall (docs/labels.md says
what was followed). The cut draws it, not an exporter: the cut already decodes the
frames a transition touches, so the opening two seconds are one more such run and the
rest of the film is still joined by packet copy. A mark in the corner throughout
("corner") means encoding every frame, as burned subtitles do.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import av
from PIL import Image, ImageDraw

from storyreel.fonts import font
from storyreel.render.previs.frames import frame_planes
from storyreel.render.previs.overlay import YuvOverlay

# The standard's floors: text height over the frame's short side, and seconds shown.
MIN_TEXT_HEIGHT = 0.05
MIN_SECONDS = 2.0

LabelPlacement = Literal["opening", "corner"]

# The label's words per language: an "AI" element and a "generated" element each.
_TEXTS = {"zh": "AI生成", "ja": "AI生成", "ko": "AI 생성"}
_DEFAULT_TEXT = "AI-generated"


def label_text(language: str) -> str:
    """The label in the film's language ("zh-hant" takes "zh"'s), English otherwise."""
    return _TEXTS.get(language.lower().split("-")[0], _DEFAULT_TEXT)


@dataclass(frozen=True)
class Label:
    """What the cut draws: `text` in the top-right corner for the first `seconds` of
    the film, or on every frame when `placement` is "corner"."""

    text: str
    language: str
    seconds: float = MIN_SECONDS
    placement: LabelPlacement = "opening"
    # Text height over the frame's short side (the ink of the glyphs, not the em box).
    height: float = 0.06

    def __post_init__(self) -> None:
        if self.seconds < MIN_SECONDS:
            raise ValueError(f"the AI label shows for at least {MIN_SECONDS} s, not {self.seconds}")
        if self.height < MIN_TEXT_HEIGHT:
            raise ValueError(
                f"the AI label's text is at least {MIN_TEXT_HEIGHT:.0%} of the frame's short "
                f"side tall, not {self.height:.1%}"
            )

    @classmethod
    def for_language(cls, language: str, placement: LabelPlacement = "opening") -> Label:
        return cls(label_text(language), language, placement=placement)

    def frames(self, fps: int, total: int) -> int:
        """How many opening frames carry the label (every frame for "corner")."""
        if self.placement == "corner":
            return total
        return min(total, math.ceil(self.seconds * fps))

    def describe(self) -> str:
        where = "every frame" if self.placement == "corner" else f"the first {self.seconds:g} s"
        return f'"{self.text}" on {where}, {self.height:.0%} of the short side'


def label_box(label: Label, width: int, height: int) -> tuple[int, int, int, int]:
    """Where the label's text ink sits in a `width` x `height` frame: (x0, y0, x1, y1)."""
    face, origin = _layout(label, width, height)
    left, top, right, bottom = face.getbbox(label.text, anchor="lt")
    return origin[0] + left, origin[1] + top, origin[0] + right, origin[1] + bottom


def _layout(label: Label, width: int, height: int) -> tuple[Any, tuple[int, int]]:
    """The face sized so the text's ink is `label.height` of the short side tall, and
    where its top-left goes: in the top-right corner (previs's slate is in the top-left),
    half the text's height from the edges."""
    short = min(width, height)
    want = math.ceil(label.height * short)
    probe = font(100, label.language)
    _, top, _, bottom = probe.getbbox(label.text, anchor="lt")
    size = max(8, math.ceil(100 * want / max(1, bottom - top)))
    face = font(size, label.language)
    _, top, _, bottom = face.getbbox(label.text, anchor="lt")
    while bottom - top < want:  # rounding in the rasteriser: never below the floor
        size += 1
        face = font(size, label.language)
        _, top, _, bottom = face.getbbox(label.text, anchor="lt")
    margin = max(4, want // 2)
    right = math.ceil(face.getbbox(label.text, anchor="lt")[2])
    return face, (max(0, width - margin - right), margin)


def label_overlay(label: Label, width: int, height: int) -> YuvOverlay:
    """The label as white text on a translucent dark plate, as a YUV overlay patch."""
    face, (x, y) = _layout(label, width, height)
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    left, top, right, bottom = face.getbbox(label.text, anchor="lt")
    pad = max(2, (bottom - top) // 4)
    plate = (x + left - pad, y + top - pad, x + right + pad, y + bottom + pad)
    draw.rectangle(plate, fill=(0, 0, 0, 150))
    draw.text((x, y), label.text, font=face, fill=(255, 255, 255, 255), anchor="lt")
    box = (
        max(0, plate[0] // 2 * 2),
        max(0, plate[1] // 2 * 2),
        min(width, (plate[2] + 2) // 2 * 2),
        min(height, (plate[3] + 2) // 2 * 2),
    )
    return YuvOverlay(layer, [box])


def labelled(
    frames: Iterator[Any], label: Label, fps: int, width: int, height: int, start: int = 0
) -> Iterator[Any]:
    """`frames` (yuv420p VideoFrames, film frames from `start` on) with the label drawn
    into those it covers."""
    overlay: YuvOverlay | None = None
    last = label.frames(fps, 1 << 62)
    for n, frame in enumerate(frames, start):
        if n >= last:
            yield frame
            continue
        overlay = overlay or label_overlay(label, width, height)
        # A fresh frame: a decoder may hand out the same frame again (a held last frame).
        out = av.VideoFrame(width, height, "yuv420p")
        for dst, src in zip(frame_planes(out), frame_planes(frame), strict=True):
            dst[...] = src
        overlay.apply(frame_planes(out))
        yield out
