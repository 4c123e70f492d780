"""The previs engine as a plugin: entry point, the take file, atomic writes, moves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyreel.model import CameraMove, ShotSize
from storyreel.render.engine import (
    Engine,
    RenderRequest,
    available_engines,
    load_engine,
)
from storyreel.render.engines.previs import PrevisEngine
from storyreel.render.previs import compose_panel

from .previs_support import MARKET_NIGHT, MakeRequest, area, changed_box, decode


def test_loads_through_the_entry_point() -> None:
    engine = load_engine("previs")
    assert isinstance(engine, PrevisEngine)
    assert isinstance(engine, Engine)
    assert available_engines()["previs"] is PrevisEngine
    assert engine.name == "previs"
    assert not engine.capabilities.needs_gpu
    assert not engine.capabilities.needs_network


@pytest.mark.parametrize("move", [CameraMove.static, CameraMove.pan, CameraMove.push_in])
def test_take_has_exact_frames_size_and_rate(
    request_for: MakeRequest, tmp_path: Path, move: CameraMove
) -> None:
    req = request_for(move=move, duration=0.75, fps=24)
    assert req.frame_count == 18
    take = PrevisEngine().render(req)

    frames, rate = decode(req.out_path)
    assert len(frames) == 18 == take.frames
    assert frames[0].shape == (180, 320, 3)
    assert rate == 24
    assert (take.width, take.height, take.fps, take.engine) == (320, 180, 24, "previs")
    assert take.path == req.out_path
    # Written atomically: nothing but the take is left in the folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take.mp4"]


def test_progress_is_reported_up_to_one(request_for: MakeRequest) -> None:
    seen: list[float] = []
    req = request_for(duration=2.0)
    PrevisEngine().render(_with_progress(req, seen.append))
    assert seen == sorted(seen)
    assert len(seen) >= 3
    assert seen[-1] == 1.0


def test_interrupted_render_leaves_no_file(request_for: MakeRequest, tmp_path: Path) -> None:
    def interrupt(fraction: float) -> None:
        if fraction >= 0.5:
            raise KeyboardInterrupt

    req = _with_progress(request_for(duration=2.0, move=CameraMove.pan), interrupt)
    with pytest.raises(KeyboardInterrupt):
        PrevisEngine().render(req)
    assert not req.out_path.exists()
    assert list(tmp_path.iterdir()) == []


def _column_shift(a: np.ndarray, b: np.ndarray, max_shift: int) -> int:
    """Horizontal shift of `b` relative to `a` (positive: content moved right), from the
    cross-correlation of their column brightness profiles."""
    pa = a.astype(np.float32).mean(axis=(0, 2))
    pb = b.astype(np.float32).mean(axis=(0, 2))
    best, best_score = 0, -np.inf
    for shift in range(-max_shift, max_shift + 1):
        xa = pa[max(0, -shift) : len(pa) - max(0, shift)]
        xb = pb[max(0, shift) : len(pb) - max(0, -shift)]
        xa, xb = xa - xa.mean(), xb - xb.mean()
        score = float((xa * xb).sum() / (np.sqrt((xa * xa).sum() * (xb * xb).sum()) + 1e-6))
        if score > best_score:
            best, best_score = shift, score
    return best


@pytest.mark.parametrize(("direction", "sign"), [("right", -1), ("left", 1), (None, -1)])
def test_pan_moves_the_picture(request_for: MakeRequest, direction: str | None, sign: int) -> None:
    req = request_for(
        move=CameraMove.pan,
        direction=direction,
        size=ShotSize.wide,
        duration=1.0,
        setting=MARKET_NIGHT,
    )
    PrevisEngine().render(req)
    frames, _ = decode(req.out_path)
    middle = len(frames) // 2
    assert np.abs(frames[middle].astype(int) - frames[middle + 1].astype(int)).mean() > 0.5
    # Compare a band clear of the slate and caption: the camera turning right moves the
    # picture left by the pan's travel (30 % of the frame width over the shot).
    band = slice(60, 150)
    shift = _column_shift(frames[0][band], frames[-1][band], 140)
    assert shift * sign > 0
    assert abs(abs(shift) - 0.3 * 320) <= 6


def test_tilt_moves_the_picture_vertically(request_for: MakeRequest) -> None:
    req = request_for(move=CameraMove.tilt, size=ShotSize.wide, duration=0.5, setting=MARKET_NIGHT)
    PrevisEngine().render(req)
    frames, _ = decode(req.out_path)
    first, last = frames[0].transpose(1, 0, 2), frames[-1].transpose(1, 0, 2)
    # Transposed, rows become columns: a tilt up moves the picture down.
    shift = _column_shift(first[80:300], last[80:300], 80)
    assert shift > 0
    assert abs(shift - 0.3 * 180) <= 6


def test_push_in_grows_the_subject(request_for: MakeRequest) -> None:
    # A wide shot keeps the whole figure in frame all the way, so its box can grow by
    # the full 1.3 x 1.3 of the push.
    req = request_for(move=CameraMove.push_in, size=ShotSize.wide, duration=0.5)
    boxes = []
    for t in (0.0, 1.0):
        bare = compose_panel(req, subjects=False, overlay=False, t=t)
        full = compose_panel(req, overlay=False, t=t)
        boxes.append(changed_box(bare, full, threshold=40))  # ink, not the soft shadow
    assert area(boxes[1]) > 1.4 * area(boxes[0])

    # The encoded take shows the same pictures as the panels.
    PrevisEngine().render(req)
    frames, _ = decode(req.out_path)
    for frame, t in ((frames[0], 0.0), (frames[-1], 1.0)):
        panel = compose_panel(req, t=t)
        assert np.abs(frame.astype(int) - panel.astype(int)).mean() < 6
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 8


def test_static_shot_holds_still(request_for: MakeRequest) -> None:
    req = request_for(duration=1.0, action="Wind combs the long grass.")
    PrevisEngine().render(req)
    frames, _ = decode(req.out_path)
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() < 1.0
    panel = compose_panel(req)
    assert np.abs(frames[0].astype(int) - panel.astype(int)).mean() < 4


def _with_progress(req: RenderRequest, callback: Callable[[float], None]) -> RenderRequest:
    return replace(req, on_progress=callback)
