"""The previs engine draws the storyboard's grammar: every move is real motion, every
angle a real change of picture, and subjects stand where the storyboard puts them."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from storyreel.model import Angle, CameraMove, ShotSize
from storyreel.render.engine import load_engine
from storyreel.render.previs import compose_panel
from storyreel.render.previs.camera import framing, plan_camera
from storyreel.render.previs.stage import placements

from .previs_support import MakeRequest, decode

NEW_MOVES = [
    CameraMove.follow,
    CameraMove.crane_up,
    CameraMove.crane_down,
    CameraMove.orbit,
    CameraMove.handheld,
]


def mean_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


@pytest.mark.parametrize("move", NEW_MOVES)
def test_every_new_move_is_motion_on_screen(
    request_for: MakeRequest, tmp_path: Path, move: CameraMove
) -> None:
    req = request_for(move=move, size=ShotSize.full, duration=1.0, subjects=("MEI", "NAINAI"))
    take = load_engine("previs").render(req)
    frames, _ = decode(take.path)
    assert len(frames) == take.frames == 24
    assert mean_diff(frames[0], frames[-1]) > 2.0
    # Smooth: no frame jumps more than the whole move does.
    steps = [mean_diff(a, b) for a, b in pairwise(frames)]
    assert max(steps) < mean_diff(frames[0], frames[-1]) + 2


def test_crane_rises_and_widens() -> None:
    view = framing(ShotSize.medium, [1.0], 16 / 9)
    up = plan_camera(view, CameraMove.crane_up, None, 320, 180)
    start, end = up.window(0.0), up.window(1.0)
    assert end.y < start.y and end.w > start.w  # higher, and showing more
    down = plan_camera(view, CameraMove.crane_down, None, 320, 180)
    assert down.window(0.0) == end and down.window(1.0) == start


def test_orbit_sweeps_sideways_and_comes_closest_mid_arc() -> None:
    view = framing(ShotSize.medium, [1.0], 16 / 9)
    plan = plan_camera(view, CameraMove.orbit, "right", 320, 180)
    a, mid, b = plan.window(0.0), plan.window(0.5), plan.window(1.0)
    assert a.x < mid.x < b.x
    assert mid.w < a.w and mid.w < b.w


def test_handheld_sways_smoothly_and_the_same_every_time() -> None:
    view = framing(ShotSize.medium, [1.0], 16 / 9)
    plan = plan_camera(view, CameraMove.handheld, None, 320, 180, seconds=4.0)
    again = plan_camera(view, CameraMove.handheld, None, 320, 180, seconds=4.0)
    windows = [plan.window(i / 95) for i in range(96)]
    assert windows == [again.window(i / 95) for i in range(96)]
    xs = [w.x for w in windows]
    assert 2 <= max(xs) - min(xs) <= 20  # a sway, not a pan
    assert max(abs(a - b) for a, b in pairwise(xs)) <= 2


def red_centre(frame: np.ndarray) -> float:
    """Mean x of MEI's red raincoat."""
    rgb = frame.astype(int)
    red = (rgb[..., 0] > 150) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)
    xs = np.nonzero(red)[1]
    assert len(xs) > 50
    return float(xs.mean())


@pytest.mark.parametrize("move", [CameraMove.follow, CameraMove.track])
def test_a_following_camera_keeps_its_subject_still_while_the_place_slides(
    request_for: MakeRequest, move: CameraMove
) -> None:
    req = request_for(move=move, size=ShotSize.full, duration=1.0)
    frames, _ = decode(load_engine("previs").render(req).path)
    first, last = frames[0], frames[-1]
    subject_moved = abs(red_centre(first) - red_centre(last))
    assert mean_diff(first, last) > 2.0  # the place slides in both
    if move == CameraMove.follow:
        assert subject_moved < 2  # the figure rides with the camera
    else:
        assert subject_moved > 20  # the camera passes the figure


@pytest.mark.parametrize("angle", [Angle.high, Angle.low, Angle.overhead, Angle.dutch])
def test_every_angle_changes_the_picture(request_for: MakeRequest, angle: Angle) -> None:
    flat = request_for(size=ShotSize.full, subjects=("MEI",))
    shot = flat.shot.model_copy(update={"angle": angle})
    level = compose_panel(flat, overlay=False)
    angled = compose_panel(replace(flat, shot=shot), overlay=False)
    assert angled.shape == level.shape
    assert mean_diff(level, angled) > 3.0


def test_high_angle_raises_the_horizon_and_low_lowers_it(request_for: MakeRequest) -> None:
    def sky_rows(angle: Angle) -> int:
        req = request_for(size=ShotSize.wide, subjects=())
        req = replace(req, shot=req.shot.model_copy(update={"angle": angle}))
        image = compose_panel(req, overlay=False).astype(int)
        column = image[:, 4]
        blue = (column[:, 2] > column[:, 1] + 10) & (column[:, 2] > 150)
        return int(blue.sum())

    assert sky_rows(Angle.low) > sky_rows(Angle.eye_level) > sky_rows(Angle.high)
    assert sky_rows(Angle.overhead) == 0


def test_subjects_stand_on_their_storyboard_side(request_for: MakeRequest) -> None:
    def figure_centre(screen: dict[str, float]) -> float:
        req = request_for(size=ShotSize.full, subjects=("MEI",))
        req = replace(req, shot=req.shot.model_copy(update={"screen": screen}))
        bare = compose_panel(req, subjects=False, overlay=False).astype(int)
        drawn = compose_panel(req, overlay=False).astype(int)
        xs = np.nonzero((np.abs(drawn - bare).sum(axis=2) > 30).any(axis=0))[0]
        return float(xs.mean()) / drawn.shape[1]

    assert figure_centre({"MEI": 0.25}) < 0.4
    assert figure_centre({"MEI": 0.75}) > 0.6


def test_placements_keep_the_line_and_face_the_centre() -> None:
    # SELLER framed first but standing on the right: MEI stands to the left of SELLER.
    spots = placements(["SELLER", "MEI"], {"SELLER": 0.67, "MEI": 0.33})
    (seller_x, seller_facing), (mei_x, mei_facing) = spots
    assert seller_x == 0.0 and mei_x < 0
    assert seller_facing == -1 and mei_facing == 1
    assert placements(["A", "B"], {"A": 0.3}) == ()  # incomplete: the default row
