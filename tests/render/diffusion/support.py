"""Requests and measurements shared by the diffusion engine tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from storyreel.cast.subject import SubjectRef
from storyreel.render.engine import RenderRequest

from ..previs_support import decode, make_request

# Small and short: 48x32 at 8 fps keeps every model at a few latent pixels and frames.
WIDTH, HEIGHT, FPS = 48, 32, 8
# Tiny-model settings: 2 steps, a 32 px short side, segments of at most 9 frames.
TINY = {"steps": 2, "resolution": 32, "segment_frames": 9}


def request(
    out: Path,
    *,
    duration: float = 0.5,
    seed: int = 0,
    references: tuple[Path, ...] = (),
    progress: list[float] | None = None,
) -> RenderRequest:
    base = make_request(out, width=WIDTH, height=HEIGHT, fps=FPS, duration=duration)
    refs = [SubjectRef(name="MEI", images=references)] if references else []
    return replace(
        base,
        seed=seed,
        references=refs,
        on_progress=progress.append if progress is not None else None,
    )


def frames_of(path: Path) -> np.ndarray:
    frames, rate = decode(path)
    assert rate == FPS
    return np.stack(frames)


def as_uint8(frame: np.ndarray) -> np.ndarray:
    """A model frame (floats 0..1) as the engine hands it on."""
    scaled: np.ndarray = np.clip(frame, 0.0, 1.0) * 255.0 + 0.5
    return scaled.astype(np.uint8)
