"""Casting listens to the script: pronouns, titles, given names, a voice-over's own
marks, with what the user's cast says always winning."""

from __future__ import annotations

from storyreel.direct import plan
from storyreel.model import Character
from storyreel.script import parse_story
from storyreel.voice import VoiceProfile
from storyreel.voice.casting import cast_board, voice_for
from storyreel.voice.stage import profiles_for

LANTERNS = """\
INT. 灯笼铺 - 夜

小梅推门进来，她抖落雨衣上的水。

小梅
老板，还有灯笼吗？

卖灯老人
有，有。
"""

STATION = """\
EXT. STATION - DAY

ANNA waits on the platform. She checks her phone. TOM runs in; he is late.
KENJI waves at them. JUNE laughs.

ANNA
You're late.

TOM
The train was early.

KENJI
こんにちは。

JUNE
Hello, all of you.
"""

AD = """\
# Spring tea

A young man opens a tin of green tea on a sunny balcony.

VOICEOVER (female, warm): Spring, in every cup.
"""


def _cast(text: str) -> dict[str, VoiceProfile]:
    return cast_board(plan(parse_story(text)))


def test_pronouns_and_names_cast_the_right_gender() -> None:
    lanterns = _cast(LANTERNS)
    assert lanterns["小梅"].gender == "female"
    assert lanterns["卖灯老人"].gender == "male"
    station = _cast(STATION)
    assert {name: v.gender for name, v in station.items()} == {
        "ANNA": "female",
        "TOM": "male",
        "KENJI": "male",
        "JUNE": "female",
    }


def test_a_voice_over_takes_its_voice_from_its_marks() -> None:
    # The scene is about a man; the voice-over says it is a woman's voice.
    assert _cast(AD)["VOICEOVER"].gender == "female"


def test_speakers_of_one_gender_get_different_voices() -> None:
    station = _cast(STATION)
    assert station["ANNA"].variant != station["JUNE"].variant
    assert station["TOM"].variant != station["KENJI"].variant


def test_the_description_outranks_the_story() -> None:
    # The user's cast file writes the description, and it wins over pronouns.
    board = plan(parse_story(STATION))
    described = board.model_copy(
        update={
            "characters": {
                **board.characters,
                "ANNA": Character(name="ANNA", description="an old man"),
            }
        }
    )
    assert cast_board(described)["ANNA"].gender == "male"
    # A voice the cast sets wins over everything.
    own = VoiceProfile(variant="m1", gender="male")
    assert profiles_for(board, {"JUNE": own})["JUNE"] == own


def test_casting_is_stable() -> None:
    assert _cast(STATION) == _cast(STATION)
    # One character alone is cast as the board casts them when nobody else competes.
    assert voice_for(Character(name="JUNE")).gender == "female"
