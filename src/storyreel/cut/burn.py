"""Subtitles drawn into the picture (`--burn-subtitles`).

Done in the cut rather than by an engine: the cues are word-timed and cross shot
boundaries' timing only through the film's clock, and takes from any engine (a
diffusion model, a hosted API) must get the same subtitles. The cost is that the
film's video is re-encoded instead of joined by packet copy, which is why burning is
an option and the subtitle files are always written beside the film.

Each cue is drawn once with Pillow (Noto Sans CJK, the face of the cue's language) as
an RGBA layer, turned into premultiplied YUV patches, and blended per frame into just
the rows it covers. The text sits above the bottom fifth of the frame, clear of the
previs engine's caption band.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import av
from PIL import Image, ImageDraw

from storyreel.fonts import font
from storyreel.render.previs.frames import frame_planes
from storyreel.render.previs.overlay import YuvOverlay
from storyreel.timeline import Cue

_TEXT = (255, 255, 255, 255)
_TRANSLATION = (255, 232, 144, 255)
_OUTLINE = (16, 16, 16, 255)
# Bottom edge of the subtitle block, as a fraction of the frame height from the top.
_BOTTOM = 0.78


def cue_overlay(cue: Cue, width: int, height: int) -> YuvOverlay:
    """One cue's text, centred, outlined, as a YUV overlay patch."""
    size = max(10, round(height * 0.05))
    lines = [(cue.text, cue.lang, size, _TEXT)]
    if cue.translation:
        lines.append((cue.translation, "en", max(9, round(size * 0.8)), _TRANSLATION))
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    stroke = max(1, size // 14)
    step = [round(s * 1.35) for _, _, s, _ in lines]
    y = round(height * _BOTTOM) - sum(step)
    top = y
    for (text, lang, s, colour), advance in zip(lines, step, strict=True):
        face = font(s, lang)
        x = (width - face.getlength(text)) / 2
        draw.text((x, y), text, font=face, fill=colour, stroke_width=stroke, stroke_fill=_OUTLINE)
        y += advance
    box = (
        0,
        max(0, (top - stroke * 2) // 2 * 2),
        width,
        min(height, (y + stroke * 2 + 1) // 2 * 2),
    )
    return YuvOverlay(layer, [box])


def burned(
    frames: Iterator[Any], cues: list[Cue], fps: int, width: int, height: int
) -> Iterator[Any]:
    """`frames` (yuv420p VideoFrames, one per film frame) with the active cue drawn in."""
    overlays: dict[int, YuvOverlay] = {}
    ordered = sorted(range(len(cues)), key=lambda i: cues[i].start)
    for n, frame in enumerate(frames):
        t = n / fps
        active = next((i for i in ordered if cues[i].start <= t < cues[i].end), None)
        if active is None:
            yield frame
            continue
        if active not in overlays:
            overlays[active] = cue_overlay(cues[active], width, height)
        # A fresh frame: the decoder may hand the same frame out again (a held last
        # frame), and blending twice into it would darken the text's edges.
        out = av.VideoFrame(width, height, "yuv420p")
        for dst, src in zip(frame_planes(out), frame_planes(frame), strict=True):
            dst[...] = src
        overlays[active].apply(frame_planes(out))
        yield out
