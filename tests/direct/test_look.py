"""A film's look read from its storyboard, written as a style file, given to another."""

from __future__ import annotations

import pytest

from storyreel.direct import plan
from storyreel.direct.look import Look, LookError, apply_look, dump_look, load_look, look_of
from storyreel.model import Prompt, ShotSize, Storyboard
from storyreel.voice import VoiceProfile

from .scripts import market_script


@pytest.fixture(scope="module")
def board() -> Storyboard:
    return plan(market_script())


def test_a_look_round_trips_through_its_file(board: Storyboard) -> None:
    voices = {"MEI": VoiceProfile(variant="f3", gender="female", pitch=60)}
    styled = board.model_copy(update={"style": Prompt(en="noir", zh="黑色电影")})
    look = look_of(styled, voices, name="Market")
    assert look.style == Prompt(en="noir", zh="黑色电影")
    assert sum(look.sizes.values()) == pytest.approx(1.0, abs=0.01)
    assert look.sizes[ShotSize.medium_close_up] == pytest.approx(2 / 9, abs=0.001)
    assert look.seconds_per_shot == pytest.approx(board.duration / 9, abs=0.01)
    again = load_look(dump_look(look))
    assert again.model_dump(exclude={"sizes", "angles", "moves"}) == look.model_dump(
        exclude={"sizes", "angles", "moves"}
    )
    assert again.sizes == pytest.approx(look.sizes, abs=0.002)


def test_applying_a_look_keeps_the_order_of_sizes(board: Storyboard) -> None:
    look = Look(sizes={"wide": 1, "close_up": 2}, moves={"handheld": 1}, seconds_per_shot=2.0)
    after = apply_look(board, look)
    ladder = list(ShotSize)
    # Three shots wide, six close: the three widest before are the wide ones now.
    assert sorted(s.size.value for s in after.shots) == ["close_up"] * 6 + ["wide"] * 3
    widest = sorted(range(9), key=lambda i: (ladder.index(board.shots[i].size), i))[:3]
    assert {i for i, s in enumerate(after.shots) if s.size == ShotSize.wide} == set(widest)
    assert {s.move.value for s in after.shots} == {"handheld"}
    assert after.duration / 9 == pytest.approx(2.0, abs=0.02)
    assert after.style == board.style  # a look with no style words leaves them


def test_a_look_keeps_what_it_has_room_for(board: Storyboard) -> None:
    moves = [s.move.value for s in board.shots]  # pan, track, static, a push-in last
    look = Look(moves={"static": 7, "push_in": 2})
    after = [s.move.value for s in apply_look(board, look).shots]
    assert after.count("static") == 7 and after.count("push_in") == 2
    # Every static shot stays static; the others become the push-ins.
    kept = [a for a, b in zip(after, moves, strict=True) if b == "static"]
    assert kept == ["static"] * moves.count("static")
    assert after[-1] == "push_in"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("style: {en: x}\n", "not a storyreel style"),
        ("storyreel_style: 1\nsizes: {huge: 1}\n", "sizes.huge"),
        ("storyreel_style: 1\nsizes: {wide: 0}\n", "not all 0"),
        ("storyreel_style: 1\nseconds_per_shot: 0\n", "seconds_per_shot"),
        ("storyreel_style: 1\npalette: warm\n", "palette"),
        ("storyreel_style: [\n", "not valid YAML"),
    ],
)
def test_a_bad_style_file_is_named(text: str, says: str) -> None:
    with pytest.raises(LookError, match=says):
        load_look(text, "look.yaml")
