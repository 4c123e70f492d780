"""The camera path: smooth, jitter-free windows over the canvas."""

from __future__ import annotations

from itertools import pairwise

import pytest

from storyreel.model import CameraMove, Direction, ShotSize
from storyreel.render.previs.camera import (
    PAN_TRAVEL,
    Window,
    framing,
    plan_camera,
    smoothstep,
)


def windows(
    move: CameraMove, direction: Direction | None = None, frames: int = 240
) -> list[Window]:
    view = framing(ShotSize.medium, [1.0, 1.0], 16 / 9)
    plan = plan_camera(view, move, direction, 1280, 720, focus=(0.0, 0.9))
    return [plan.window(i / (frames - 1)) for i in range(frames)]


@pytest.mark.parametrize("move", [CameraMove.push_in, CameraMove.pull_out])
def test_push_windows_shrink_steadily_without_wobble(move: CameraMove) -> None:
    ws = windows(move)
    if move == CameraMove.pull_out:
        ws.reverse()
    widths = [w.w for w in ws]
    assert widths == sorted(widths, reverse=True)
    assert widths[0] > widths[-1] == 1280
    for w in ws:
        assert w.w % 2 == 0 and w.h % 2 == 0
        assert abs(w.h - w.w * 720 / 1280) <= 1  # fixed aspect
    # The centre glides in one direction: its steps never reverse by more than rounding.
    centres = [w.x + w.w / 2 for w in ws]
    steps = [b - a for a, b in pairwise(centres)]
    assert all(s >= -0.5 for s in steps) or all(s <= 0.5 for s in steps)


@pytest.mark.parametrize(("direction", "sign"), [("right", 1), ("left", -1)])
def test_pan_windows_move_one_way_in_small_steps(direction: Direction, sign: int) -> None:
    ws = windows(CameraMove.pan, direction)
    xs = [w.x for w in ws]
    assert all(w.w == 1280 and w.h == 720 for w in ws)  # 1:1 crops, no rescale
    assert xs == sorted(xs, reverse=sign < 0)
    assert abs(xs[-1] - xs[0]) == pytest.approx(PAN_TRAVEL * 1280, abs=2)
    # A slow pan (10 s) moves at most a few pixels per frame, and eases in and out.
    steps = [abs(b - a) for a, b in pairwise(xs)]
    assert max(steps) <= 4
    assert steps[0] <= 1 and steps[-1] <= 1


def test_static_plan_does_not_move() -> None:
    ws = windows(CameraMove.static, frames=10)
    assert len(set(ws)) == 1
    assert smoothstep(0) == 0 and smoothstep(1) == 1 and smoothstep(0.5) == 0.5
