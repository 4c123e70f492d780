"""Small helpers shared by the drawing modules: stable seeds and colour arithmetic."""

from __future__ import annotations

import hashlib
import random

RGB = tuple[int, int, int]

# The outline colour of every drawn figure and thing: a warm near-black, as ink.
INK: RGB = (44, 36, 40)


def stable_seed(*parts: str) -> int:
    """A seed that is the same in every process (unlike hash(), which is salted)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def stable_random(*parts: str) -> random.Random:
    return random.Random(stable_seed(*parts))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """`a` moved a fraction `t` of the way towards `b`."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(c: RGB, factor: float) -> RGB:
    """Darker (factor < 1) or lighter (factor > 1, towards white) version of `c`."""
    if factor <= 1:
        return (round(c[0] * factor), round(c[1] * factor), round(c[2] * factor))
    return mix(c, (255, 255, 255), min(1.0, factor - 1))


def luma(c: RGB) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
