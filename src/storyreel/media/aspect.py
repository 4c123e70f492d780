"""Frame shapes for delivery: a 16:9 film, a 9:16 vertical short, a 1:1 square.

An aspect picks the frame from the size asked for: its long side stays the long side
of a 16:9 or 9:16 frame and its short side becomes the square's. The film is made at
that frame from the start (the planner frames for it, previs draws at it, generative
engines are asked for it): nothing is cropped from a wide picture afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

Aspect = Literal["16:9", "9:16", "1:1"]
ASPECTS: tuple[Aspect, ...] = ("16:9", "9:16", "1:1")


def parse_aspects(text: str) -> list[Aspect]:
    """`"16:9,9:16"` as a list of aspects, in order, each once; a clear error otherwise."""
    found: list[Aspect] = []
    for word in (w.strip() for w in text.split(",")):
        aspect = next((a for a in ASPECTS if a == word), None)
        if aspect is None:
            raise ValueError(f"unknown aspect {word!r}; choose from {', '.join(ASPECTS)}")
        if aspect not in found:
            found.append(aspect)
    if not found:
        raise ValueError(f"give an aspect: {', '.join(ASPECTS)}, or several joined by commas")
    return found


def aspect_size(aspect: Aspect, width: int, height: int) -> tuple[int, int]:
    """The frame of `aspect` for a requested `width` x `height`: 1280x720 gives 1280x720,
    720x1280 or 720x720. Even sides, as the encoder needs."""
    long, short = max(width, height), min(width, height)
    if aspect == "1:1":
        return short, short
    # Keep the exact 16:9 of the long side (1280 -> 720), even.
    other = min(short, round(long * 9 / 16 / 2) * 2)
    return (long, other) if aspect == "16:9" else (other, long)


def aspect_output(out: Path, aspect: Aspect, several: bool) -> Path:
    """Where the film of `aspect` goes: `out` itself for one aspect, else `out` with the
    aspect in its name (film.9x16.mp4)."""
    if not several:
        return out
    return out.with_name(f"{out.stem}.{aspect.replace(':', 'x')}{out.suffix}")
