"""Takes with known defects, made by the tests from previs takes and scikit-image's
photographs (nothing downloaded)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw
from tests.run.support import request, shot

from storyreel.render.engine import RenderRequest, Take
from storyreel.render.engines.previs import PrevisEngine

FPS = 24


def pan_request(path: Path, seconds: float = 2.5, **changes: object) -> RenderRequest:
    """A previs pan across a park: every frame moves, the move is smooth."""
    the_shot = shot(duration=seconds, move="pan", lines=[])
    return request(path, the_shot, width=320, height=180, fps=FPS, **changes)


def clean_take(folder: Path, **changes: object) -> tuple[Take, RenderRequest]:
    req = pan_request(folder / "clean.mp4", **changes)
    return PrevisEngine().render(req), req


def with_file(take: Take, path: Path) -> Take:
    return take.model_copy(update={"path": path})


def painted_mouth(
    head: NDArray[np.uint8], box: tuple[float, float, float, float], opening: float
) -> NDArray[np.uint8]:
    """`head` with its mouth painted open by `opening` (0..1) inside `box` (the inner
    lips' x0, y0, x1, y1): a dark oval with a lip-coloured rim."""
    x0, y0, x1, y1 = box
    middle, width = (y0 + y1) / 2, x1 - x0
    half = 1 + opening * width * 0.22
    image = Image.fromarray(head.copy())
    ImageDraw.Draw(image).ellipse(
        [x0 - width * 0.1, middle - half, x1 + width * 0.1, middle + half],
        fill=(60, 20, 25),
        outline=(170, 80, 80),
        width=3,
    )
    return np.asarray(image)
