"""Props and animals: every kind draws, inside its box, unlike its kin, at its real
size, and fills an insert shot that frames it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyreel.model import ShotSize
from storyreel.render.previs.panel import compose_panel, draw_plate
from storyreel.render.previs.pen import Pen
from storyreel.render.previs.props import (
    FAMILIES,
    THING_KINDS,
    draw_thing,
    thing_image,
    thing_size,
    thing_spec,
)
from storyreel.render.previs.props import _vocabulary as vocabulary

from .previs_support import KITCHEN_DAY, area, changed_box, make_request


def alpha_of(kind: str, w: int = 72, h: int = 72, family: str | None = None) -> np.ndarray:
    return np.asarray(thing_image(kind, w, h, family=family))[:, :, 3]


def ink_box(alpha: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(alpha > 16)
    assert len(xs), "nothing drawn"
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def test_there_are_at_least_120_kinds_in_every_family() -> None:
    assert len(THING_KINDS) >= 120
    families = {thing_spec(kind).family for kind in THING_KINDS}
    assert families == set(FAMILIES)


@pytest.mark.parametrize("kind", THING_KINDS)
def test_each_kind_draws_inside_its_box(kind: str) -> None:
    # A canvas twice the box, the box in its middle: ink outside it would show.
    pen = Pen(0, 0, 160, 160, ss=2)
    drawn = draw_thing(pen, kind, (40, 40, 120, 120), max_line=1.0)
    alpha = np.asarray(pen.finish())[:, :, 3]
    total = int((alpha > 16).sum())
    assert total > 40, f"{kind} drew almost nothing"
    inside = int((alpha[38:122, 38:122] > 16).sum())
    assert inside >= 0.95 * total, f"{kind} spills out of its box"
    assert drawn[0] >= 38 and drawn[2] <= 122


def test_kinds_of_a_family_differ_from_each_other() -> None:
    by_family: dict[str, list[str]] = defaultdict(list)
    for kind in THING_KINDS:
        by_family[thing_spec(kind).family].append(kind)
    for family, kinds in by_family.items():
        pictures = {kind: np.asarray(thing_image(kind, 64, 64)).tobytes() for kind in kinds}
        assert len(set(pictures.values())) == len(kinds), f"two {family} kinds look the same"


def test_a_kind_only_the_vocabulary_knows_is_drawn_by_its_family_in_its_own_colours() -> None:
    own = alpha_of("sword")
    unknown = np.asarray(thing_image("zweihander", 72, 72, family="weapon"))
    other = np.asarray(thing_image("claymore", 72, 72, family="weapon"))
    assert (unknown[:, :, 3] > 16).sum() > 40
    assert ink_box(unknown[:, :, 3]) == ink_box(own)  # a sword's silhouette
    assert not np.array_equal(unknown, np.asarray(thing_image("bread", 72, 72)))
    assert not np.array_equal(unknown[:, :, 3], np.zeros_like(own))
    assert unknown.tobytes() != other.tobytes()  # colours come from the name
    animal = alpha_of("capybara", family="animal")
    assert (animal > 16).sum() > 40


def test_every_vocabulary_kind_draws() -> None:
    # The shipped vocabulary (when present) names kinds the story can mention; each
    # one draws, by its own picture or its family's.
    for kind, entry in vocabulary().items():
        family = entry.get("family")
        alpha = alpha_of(kind, family=family if isinstance(family, str) else None)
        assert (alpha > 16).sum() > 40, kind


def test_sizes_are_real_metres() -> None:
    cup_w, cup_h = thing_size("cup")
    bus_w, _ = thing_size("bus")
    horse_w, horse_h = thing_size("horse")
    assert max(cup_w, cup_h) < 0.2
    assert bus_w > 8
    assert 1.5 < horse_w < 3 and horse_h < horse_w


@pytest.mark.parametrize("kind", THING_KINDS)
def test_a_prop_close_up_fills_a_quarter_of_the_frame(kind: str) -> None:
    w, h = 320, 180
    pen = Pen(0, 0, w, h, ss=1)
    draw_thing(pen, kind, (0, 0, w, h), max_line=1.0)
    box = ink_box(np.asarray(pen.finish())[:, :, 3])
    assert area(box) >= 0.25 * w * h, kind


@pytest.mark.parametrize(
    "kind", ["lantern", "teacup", "map", "sword", "cat", "tin", "street_lamp", "bus"]
)
def test_an_insert_shot_frames_its_prop(tmp_path: Path, kind: str) -> None:
    empty = make_request(
        tmp_path / "t.mp4", size=ShotSize.close_up, subjects=(), setting=KITCHEN_DAY
    )
    insert = replace(empty, things=((kind, None),))
    before = compose_panel(empty, overlay=False)
    after = compose_panel(insert, overlay=False)
    box = changed_box(before, after)
    assert area(box) >= 0.25 * before.shape[0] * before.shape[1]
    assert kind in draw_plate(insert).things


def test_loose_props_stand_beside_the_subject_and_held_ones_are_in_hand(tmp_path: Path) -> None:
    base = make_request(tmp_path / "t.mp4", size=ShotSize.full, subjects=("MEI",))
    held = draw_plate(replace(base, things=(("table", None), ("cat", None), ("cup", "MEI"))))
    assert set(held.things) == {"table", "cat"}  # the cup is in MEI's hand
    plate = draw_plate(replace(base, things=(("table", None), ("cat", None))))
    figure = plate.figures["MEI"]
    for box in plate.things.values():
        # Beside her, not on top of her, and standing on the ground she stands on.
        assert box[2] <= figure[0] + 4 or box[0] >= figure[2] - 4
        assert abs(box[3] - figure[3]) < 0.08 * (figure[3] - figure[1])


def test_loose_props_are_where_the_camera_looks(tmp_path: Path) -> None:
    # Two people, a bench and paper birds (the kite mender's shot 4), a dragon far too
    # big for a full shot, and a kite in the air over a runner: each is in the view.
    two = make_request(tmp_path / "t.mp4", size=ShotSize.full, subjects=("NAINAI", "LEO"))
    one = make_request(tmp_path / "t.mp4", size=ShotSize.full, subjects=("LEO",))
    for request, kinds in (
        (replace(two, things=(("bench", None), ("bird", None))), {"bench", "bird"}),
        (replace(two, things=(("dragon", None),)), {"dragon"}),
        (replace(one, things=(("kite", None),)), {"kite"}),
    ):
        plate = draw_plate(request)
        window = plate.plan.window(0.5)
        assert set(plate.things) == kinds
        for box in plate.things.values():
            assert window.x <= box[0] and box[2] <= window.x + window.w
            # Below the slate's band along the top.
            assert window.y + 0.1 * window.h <= box[1] and box[3] <= window.y + window.h
            assert (box[2] - box[0]) <= 0.52 * window.w
