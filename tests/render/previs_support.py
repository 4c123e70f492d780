"""Shared builders and pixel measurements for the previs tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np

from storyreel.model import CameraMove, Character, Direction, Setting, Shot, ShotLine, ShotSize
from storyreel.render.engine import RenderRequest

MEI = Character(name="MEI", description="20s, red raincoat, short black hair")
NAINAI = Character(name="NAINAI", description="70s, grey bun, green cardigan, round glasses")
LEO = Character(name="LEO", description="10, yellow hoodie, messy brown hair")
CAST = {c.name: c for c in (MEI, NAINAI, LEO)}

PARK_DAY = Setting(location="HILLTOP PARK", interior="ext", time="day")
MARKET_NIGHT = Setting(location="NIGHT MARKET", interior="ext", time="night")
KITCHEN_DAY = Setting(location="NAINAI'S KITCHEN", interior="int", time="day")
KITCHEN_NIGHT = Setting(location="NAINAI'S KITCHEN", interior="int", time="night")

MakeRequest = Callable[..., RenderRequest]


def make_request(
    out_path: Path,
    *,
    size: ShotSize = ShotSize.medium,
    move: CameraMove = CameraMove.static,
    direction: Direction | None = None,
    subjects: tuple[str, ...] = ("MEI",),
    setting: Setting = PARK_DAY,
    duration: float = 0.5,
    lines: tuple[ShotLine, ...] = (),
    action: str = "",
    scene: int = 1,
    width: int = 320,
    height: int = 180,
    fps: int = 24,
) -> RenderRequest:
    shot = Shot(
        id="7",
        scene=scene,
        size=size,
        move=move,
        direction=direction,
        duration=duration,
        subjects=list(subjects),
        setting=setting,
        action=action,
        lines=list(lines),
    )
    return RenderRequest(
        shot=shot,
        cast=[CAST[name] for name in subjects if name in CAST],
        width=width,
        height=height,
        fps=fps,
        out_path=out_path,
    )


def decode(path: Path) -> tuple[list[np.ndarray], float]:
    """All frames as RGB arrays, and the stream's frame rate."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = float(stream.average_rate)
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(stream)]
    return frames, rate


def changed_box(a: np.ndarray, b: np.ndarray, threshold: int = 24) -> tuple[int, int, int, int]:
    """Bounding box (x0, y0, x1, y1) of the pixels that differ between two RGB images."""
    diff = np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2) > threshold
    ys, xs = np.nonzero(diff)
    assert len(xs), "no changed pixels"
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def area(box: tuple[int, int, int, int]) -> int:
    return (box[2] - box[0]) * (box[3] - box[1])
