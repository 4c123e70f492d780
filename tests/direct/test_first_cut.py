from __future__ import annotations

from itertools import pairwise

from storyreel.direct import plan
from storyreel.direct.first_cut import MAX_SHOT, MIN_SHOT
from storyreel.model import (
    Action,
    CameraMove,
    Character,
    Dialogue,
    Scene,
    Script,
    ShotSize,
    Transition,
)


def script() -> Script:
    market = Scene(
        heading="EXT. MARKET - NIGHT",
        location="MARKET",
        interior="ext",
        time="night",
        line=1,
        elements=[
            Action(text="MEI weaves through the crowd.", line=3),
            Dialogue(character="MEI", text="Is this the lantern stall?", lang="en", line=5),
            Dialogue(character="SELLER", text="Only for those who forgot.", lang="en", line=8),
            Dialogue(character="MEI", text="Then I am in the right place.", lang="en", line=11),
            Action(text="CLOSE ON the lantern: a tiny city glows inside.", line=14),
            Transition(text="CUT TO:", line=16),
        ],
    )
    same_place = market.model_copy(
        update={
            "heading": "EXT. MARKET - LATER",
            "line": 18,
            "elements": [Action(text="The stalls close.", line=20)],
        }
    )
    home = Scene(
        heading="内景. 公寓 - 夜",
        location="公寓",
        interior="int",
        time="night",
        line=22,
        elements=[Action(text="镜头缓缓推近发光的纸城。", line=24)],
    )
    return Script(
        scenes=[market, same_place, home],
        characters={
            "MEI": Character(name="MEI", description="20s, red raincoat"),
            "SELLER": Character(name="SELLER", description="70s, grey beard"),
        },
    )


def test_an_establishing_shot_opens_each_new_location_only() -> None:
    board = plan(script())
    establishing = [s for s in board.shots if s.action.startswith(("EXT.", "内景"))]
    assert [s.scene for s in establishing] == [1, 3]
    assert establishing[0].size == ShotSize.extreme_wide  # exterior
    assert establishing[1].size == ShotSize.wide  # interior
    assert board.shots[0] is establishing[0]


def test_action_beats_and_dialogue_each_get_shots() -> None:
    board = plan(script())
    actions = [s.action for s in board.shots if not s.lines]
    assert "MEI weaves through the crowd." in actions
    assert "The stalls close." in actions
    spoken = [ln.text for s in board.shots for ln in s.lines]
    assert spoken == [
        "Is this the lantern stall?",
        "Only for those who forgot.",
        "Then I am in the right place.",
    ]


def test_an_exchange_opens_on_a_two_shot_then_singles() -> None:
    board = plan(script())
    dialogue = [s for s in board.shots if s.lines]
    assert dialogue[0].subjects[0] == "MEI" and "SELLER" in dialogue[0].subjects
    assert dialogue[0].size == ShotSize.medium
    assert [s.subjects for s in dialogue[1:]] == [["SELLER"], ["MEI"]]
    assert all(s.size == ShotSize.medium_close_up for s in dialogue[1:])


def test_written_direction_wins() -> None:
    board = plan(script())
    close = next(s for s in board.shots if s.action.startswith("CLOSE ON"))
    assert close.size == ShotSize.close_up
    assert close.transition == "cut"
    push = next(s for s in board.shots if "推近" in s.action)
    assert push.move == CameraMove.push_in
    weave = next(s for s in board.shots if "weaves" in s.action)
    assert weave.move == CameraMove.track and weave.subjects == ["MEI"]


def test_no_jump_cuts_and_sane_durations() -> None:
    board = plan(script())
    for a, b in pairwise(board.shots):
        assert (a.scene, a.subjects, a.size) != (b.scene, b.subjects, b.size)
    assert all(MIN_SHOT <= s.duration <= MAX_SHOT for s in board.shots)
    assert [s.id for s in board.shots] == [str(i) for i in range(1, len(board.shots) + 1)]


def test_a_cue_with_only_a_parenthetical_is_a_reaction_shot() -> None:
    base = script()
    scene = base.scenes[0]
    scene.elements.append(
        Dialogue(character="SELLER", parentheticals=["nods"], text="", lang="en", line=30)
    )
    board = plan(base)
    reaction = next(s for s in board.shots if s.action == "SELLER: (nods)")
    assert reaction.lines == [] and reaction.subjects == ["SELLER"]
