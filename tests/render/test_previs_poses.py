"""Posed figures: each action its own drawing, sitting and kneeling lower, walking
and running moving frame to frame, props in the hand, bodies by age and build."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyreel.model import Character, ShotSize
from storyreel.render.engines.previs import PrevisEngine
from storyreel.render.previs.figure import (
    ACTIONS,
    action_of,
    cycle_phases,
    draw_figure,
    hand_point,
    head_spot,
    phase_at,
)
from storyreel.render.previs.look import Look, look_for
from storyreel.render.previs.panel import draw_plate
from storyreel.render.previs.pen import Pen
from storyreel.run.jobs import render_key

from .previs_support import decode, make_request

MEI = look_for(Character(name="MEI", description="20s woman, red raincoat, short black hair"))
LEO = look_for(Character(name="LEO", description="10, yellow hoodie, messy brown hair"))
BIG = look_for(Character(name="BIG", description="burly man, blue jacket"))
MONK = look_for(Character(name="MONK", description="old monk, bald, grey robe"))

W, H = 400, 520
FEET = (200.0, 480.0)
UNIT = 260.0  # pixels per adult height


def drawn(
    look: Look, pose: str = "stand", phase: int = 0, holding: str | None = None
) -> np.ndarray:
    """The figure's RGBA layer, drawn facing right with feet at FEET."""
    pen = Pen(0, 0, W, H, ss=2)
    draw_figure(pen, look, FEET, UNIT, 1, max_line=2.0, pose=pose, phase=phase, holding=holding)
    return np.asarray(pen.finish())


def ink_box(layer: np.ndarray) -> tuple[int, int, int, int]:
    # The ground shadow is faint (alpha 60); the figure is opaque.
    ys, xs = np.nonzero(layer[:, :, 3] > 128)
    assert len(xs)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def height(layer: np.ndarray) -> int:
    box = ink_box(layer)
    return box[3] - box[1]


def test_there_are_at_least_fifteen_actions_and_words_for_them() -> None:
    assert len(ACTIONS) >= 15
    assert action_of("hand_over") == "give"
    assert action_of("look at") == "look"
    assert action_of("swing") == "fight"
    assert action_of("somersault") == "stand"  # unknown: stands


def test_every_action_is_drawn_differently() -> None:
    pictures = {action: drawn(MEI, action).tobytes() for action in ACTIONS}
    for a, b in itertools.combinations(ACTIONS, 2):
        assert pictures[a] != pictures[b], f"{a} and {b} look the same"


def test_sitting_and_kneeling_are_lower_and_lying_is_flat() -> None:
    stand = ink_box(drawn(MEI))
    sit, kneel, lie = (ink_box(drawn(MEI, a)) for a in ("sit", "kneel", "lie"))
    tall = stand[3] - stand[1]
    assert sit[1] > stand[1] + 0.15 * tall  # the head is lower
    assert kneel[1] > stand[1] + 0.15 * tall
    assert lie[3] - lie[1] < 0.45 * tall and lie[2] - lie[0] > 0.8 * tall
    for box in (sit, kneel):
        assert abs(box[3] - stand[3]) < 0.05 * tall  # still on the ground


def test_jumping_leaves_the_ground() -> None:
    assert ink_box(drawn(MEI, "jump"))[3] < ink_box(drawn(MEI))[3] - 0.03 * UNIT


def test_walking_and_running_cycle_through_distinct_drawings() -> None:
    for action in ("walk", "run"):
        phases = [drawn(MEI, action, p).tobytes() for p in range(cycle_phases(action))]
        assert len(set(phases)) == len(phases) >= 4
    # At 24 fps the walk steps every few frames and comes round again.
    steps = [phase_at("walk", i, 24) for i in range(24)]
    assert steps[0] == 0 and len(set(steps)) == 4 and steps.count(steps[0]) < 12


def test_fighting_raises_the_weapon_above_the_head() -> None:
    hand = hand_point(MEI, FEET, UNIT, 1, "fight")
    top = ink_box(drawn(MEI))[1]
    assert hand[1] < top  # the near hand is raised over the head
    with_sword = ink_box(drawn(MEI, "fight", holding="sword"))
    assert with_sword[1] < hand[1] - 0.3 * UNIT  # the blade rises above the hand


def test_handing_over_reaches_towards_the_other_person() -> None:
    stand = hand_point(MEI, FEET, UNIT, 1, "stand")
    give = hand_point(MEI, FEET, UNIT, 1, "give")
    assert give[0] > stand[0] + 0.2 * UNIT
    left = hand_point(MEI, FEET, UNIT, -1, "give")
    assert left[0] < FEET[0] - 0.2 * UNIT  # facing left, the arm goes left


@pytest.mark.parametrize("action", ["hold", "give", "drink", "eat", "open"])
def test_a_held_cup_is_drawn_in_the_hand(action: str) -> None:
    bare = drawn(MEI, action)
    holding = drawn(MEI, action, holding="cup")
    changed = np.abs(holding.astype(np.int16) - bare.astype(np.int16)).max(axis=2) > 24
    ys, xs = np.nonzero(changed)
    assert len(xs) > 20
    hand = hand_point(MEI, FEET, UNIT, 1, action)
    centre = (xs.mean(), ys.mean())
    assert abs(centre[0] - hand[0]) < 0.08 * UNIT and abs(centre[1] - hand[1]) < 0.08 * UNIT


def test_bodies_differ_by_age_and_build() -> None:
    adult, child = ink_box(drawn(MEI)), ink_box(drawn(LEO))
    assert child[3] - child[1] < 0.75 * (adult[3] - adult[1])
    big = ink_box(drawn(BIG, "walk"))
    slim = ink_box(drawn(replace(BIG, build=0.85), "walk"))
    assert big[2] - big[0] > slim[2] - slim[0]
    # An old monk is bald and stoops: his head sits forward of his feet.
    assert MONK.hair_style == "bald" and MONK.stoop
    upright = replace(MONK, stoop=False)
    for action in ("walk", "sit", "give"):
        (monk_x, monk_y), _ = head_spot(MONK, FEET, UNIT, 1, action)
        (up_x, up_y), _ = head_spot(upright, FEET, UNIT, 1, action)
        assert monk_x > up_x + 0.02 * UNIT and monk_y > up_y


def test_poses_and_props_are_part_of_the_take_key(tmp_path: Path) -> None:
    base = make_request(tmp_path / "t.mp4")
    keys = {
        render_key(base, "previs", "1"),
        render_key(replace(base, poses={"MEI": "sit"}), "previs", "1"),
        render_key(replace(base, things=(("cup", "MEI"),)), "previs", "1"),
        render_key(replace(base, things=(("cup", None),)), "previs", "1"),
    }
    assert len(keys) == 4


def test_a_walking_figure_moves_in_the_rendered_take(tmp_path: Path) -> None:
    request = make_request(
        tmp_path / "take.mp4", size=ShotSize.full, duration=0.5, width=320, height=180
    )
    walking = replace(request, poses={"MEI": "walk"}, things=(("lantern", "MEI"),))
    PrevisEngine().render(walking)
    frames, _ = decode(walking.out_path)
    standing = replace(request, out_path=tmp_path / "still.mp4")
    PrevisEngine().render(standing)
    still, _ = decode(standing.out_path)

    def moved(a: np.ndarray, b: np.ndarray) -> int:
        return int((np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2) > 48).sum())

    # A static camera, yet the legs move; standing, only the encoder's noise differs.
    assert max(moved(frames[0], f) for f in frames) > 150
    assert max(moved(still[0], f) for f in still) < 30
    poses = {min(range(4), key=lambda p: moved(f, frames[p * 3])) for f in frames[:12]}
    assert len(poses) == 4  # every phase of the cycle is shown
    # The motion is drawn once per phase, not per frame: one patch per phase.
    plate = draw_plate(walking)
    assert [len(m.art.patches) for m in plate.motions] == [cycle_phases("walk")]


def test_a_sitting_figure_keeps_its_mouth_on_its_face(tmp_path: Path) -> None:
    request = make_request(tmp_path / "t.mp4", size=ShotSize.medium, width=320, height=180)
    stand = draw_plate(request)
    sit = draw_plate(replace(request, poses={"MEI": "sit"}))
    assert sit.mouths["MEI"].cy > stand.mouths["MEI"].cy  # lower, with the head
