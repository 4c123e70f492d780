"""The film's look on a drawn picture: a colour grade as three lookup tables.

A grade (direct/grade.py) is applied to the frame's Y, U and V planes as they go to
the encoder: brightness and contrast on Y, warmth and saturation on U and V. One table
lookup per sample, so a graded shot costs next to nothing more than an ungraded one.
"""

from __future__ import annotations

import functools

import numpy as np

from storyreel.direct.grade import Grade

Planes = tuple[np.ndarray, np.ndarray, np.ndarray]

# Limited-range BT.601, as swscale writes the encoder's planes.
_BLACK, _WHITE = 16.0, 235.0
# How far full warmth moves U and V away from grey.
_WARM_SHIFT = 14.0


@functools.cache
def tables(grade: Grade) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Y, U and V lookup tables of `grade`."""
    level = (np.arange(256, dtype=np.float64) - _BLACK) / (_WHITE - _BLACK)
    level = level * 2.0**grade.exposure
    level = 0.5 + (level - 0.5) * grade.contrast
    level = grade.lift + level * (1.0 - grade.lift)
    y = _BLACK + np.clip(level, 0.0, 1.0) * (_WHITE - _BLACK)
    chroma = np.arange(256, dtype=np.float64) - 128.0
    u = 128.0 + chroma * grade.saturation - grade.warmth * _WARM_SHIFT
    v = 128.0 + chroma * grade.saturation + grade.warmth * _WARM_SHIFT
    return _table(y), _table(u), _table(v)


def _table(values: np.ndarray) -> np.ndarray:
    table: np.ndarray = np.clip(np.rint(values), 0, 255).astype(np.uint8)
    return table


def apply_grade(planes: Planes, grade: Grade) -> None:
    """Grade a frame's planes in place."""
    for plane, table in zip(planes, tables(grade), strict=True):
        np.take(table, plane, out=plane)
