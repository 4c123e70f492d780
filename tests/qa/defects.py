"""Takes with known defects, made by the tests from previs takes and scikit-image's
photographs (nothing downloaded)."""

from __future__ import annotations

from pathlib import Path

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
