"""Instructions in English and Chinese become storyboard diffs, field by field."""

from __future__ import annotations

from typing import Any

import pytest

from storyreel.direct import plan
from storyreel.direct.diff import BoardDiff, DiffError, apply_diff, describe, diff_boards
from storyreel.direct.instruct import NotUnderstood, instruct
from storyreel.model import Storyboard
from storyreel.script import parse_story

from .scripts import market_script


@pytest.fixture(scope="module")
def board() -> Storyboard:
    # Scene 1: shots 1-6 (MEI and SELLER, three lines), scene 2: shot 7, scene 3: 8-9.
    planned = plan(market_script())
    assert [s.id for s in planned.shots] == [str(n) for n in range(1, 10)]
    return planned


def changes(diff: BoardDiff) -> dict[tuple[str, str, str], tuple[Any, Any]]:
    return {(c.where, c.key, ".".join(c.path)): (c.before, c.after) for c in diff.changes}


@pytest.mark.parametrize(
    ("instruction", "expected"),
    [
        ("shot 3: make it a close-up", {("shot", "3", "size"): ("medium", "close_up")}),
        ("镜头3改成特写", {("shot", "3", "size"): ("medium", "close_up")}),
        ("shot 6 wider", {("shot", "6", "size"): ("close_up", "medium_close_up")}),
        ("shot 7: push in", {("shot", "7", "move"): ("static", "push_in")}),
        ("第二场镜头推近", {("shot", "7", "move"): ("static", "push_in")}),
        ("shot 4 low angle", {("shot", "4", "angle"): ("eye_level", "low")}),
        ("第4个镜头俯拍", {("shot", "4", "angle"): ("eye_level", "high")}),
        ("shot 9: dissolve", {("shot", "9", "transition"): ("cut", "dissolve")}),
    ],
)
def test_framing(board: Storyboard, instruction: str, expected: dict[Any, Any]) -> None:
    edit = instruct(board, instruction)
    assert edit.source == "rules"
    assert changes(edit.diff) == expected


def test_time_of_a_scene_changes_the_scene_and_its_shots(board: Storyboard) -> None:
    edit = instruct(board, "make scene 3 dawn")
    assert changes(edit.diff) == {
        ("scene", "3", "setting.time"): ("night", "dawn"),
        ("shot", "8", "setting.time"): ("night", "dawn"),
        ("shot", "9", "setting.time"): ("night", "dawn"),
    }
    zh = instruct(board, "第三场改成白天")
    assert changes(zh.diff)[("scene", "3", "setting.time")] == ("night", "day")


def test_time_of_one_shot(board: Storyboard) -> None:
    edit = instruct(board, "shot 8: at dusk")
    assert changes(edit.diff) == {("shot", "8", "setting.time"): ("night", "dusk")}


def test_weather_with_a_time_in_it(board: Storyboard) -> None:
    day = instruct(board, "第三场改成白天").board
    edit = instruct(day, "把第三场改成雨夜，镜头推近")
    found = changes(edit.diff)
    assert found[("scene", "3", "weather")] == ([], [{"kind": "rain", "intensity": 0.5}])
    assert found[("scene", "3", "setting.time")] == ("day", "night")
    assert found[("shot", "8", "move")] == ("static", "push_in")
    assert ("shot", "9", "move") not in found  # already pushing in
    assert ("scene", "1", "weather") not in found


def test_weather_in_english_with_its_intensity(board: Storyboard) -> None:
    edit = instruct(board, "scene 1: heavy snow... no, a blizzard")
    assert changes(edit.diff) == {
        ("scene", "1", "weather"): ([], [{"kind": "snow", "intensity": 0.9}])
    }
    dry = instruct(edit.board, "remove the snow from scene 1")
    assert changes(dry.diff) == {
        ("scene", "1", "weather"): ([{"kind": "snow", "intensity": 0.9}], [])
    }


def test_durations(board: Storyboard) -> None:
    slower = instruct(board, "scene 3 slower")
    assert changes(slower.diff) == {
        ("shot", "8", "duration"): (3.5, 4.38),
        ("shot", "9", "duration"): (4.38, 5.47),
    }
    exact = instruct(board, "镜头2改成5秒")
    assert changes(exact.diff) == {("shot", "2", "duration"): (3.17, 5.0)}
    longer = instruct(board, "shot 1: 2 seconds longer")
    assert changes(longer.diff) == {("shot", "1", "duration"): (3.5, 5.5)}
    faster = instruct(board, "全片节奏快一点")
    assert len(faster.diff.changes) == 9
    assert changes(faster.diff)[("shot", "6", "duration")] == (4.5, 3.6)


def test_global_style_and_pace(board: Storyboard) -> None:
    edit = instruct(board, "make the whole film warmer and slower")
    found = changes(edit.diff)
    assert found[("film", "", "style.en")] == ("", "warm colour palette, golden light")
    assert found[("film", "", "style.zh")] == ("", "暖色调，金色光线")
    assert all(
        found[("shot", str(n), "duration")][1] > board.shots[n - 1].duration for n in range(1, 10)
    )
    cooler = instruct(edit.board, "整部片冷色一点")
    # A cool look replaces the warm one rather than piling up on it.
    assert changes(cooler.diff)[("film", "", "style.en")] == (
        "warm colour palette, golden light",
        "cool colour palette, blue light",
    )


@pytest.mark.parametrize(
    ("instruction", "music"),
    [
        ("make the music tense", "fight"),
        ("配乐悲伤一点", "sad"),
        ("make the music darker", "mystery"),  # the score's dark, not the picture's
        ("背景音乐要浪漫", "romance"),
    ],
)
def test_the_music_mood(board: Storyboard, instruction: str, music: str) -> None:
    assert changes(instruct(board, instruction).diff) == {("film", "", "music"): (None, music)}


def test_the_picture_and_the_music_in_one_instruction(board: Storyboard) -> None:
    found = changes(instruct(board, "全片暖一点，配乐欢快").diff)
    assert found[("film", "", "music")] == (None, "festive")
    assert found[("film", "", "style.en")] == ("", "warm colour palette, golden light")
    with pytest.raises(NotUnderstood, match="the music's mood"):
        instruct(board, "make the music louder")


def test_world_words_make_a_person_act(board: Storyboard) -> None:
    edit = instruct(board, "shot 7: make it a close-up at dawn and have Mei smile")
    found = changes(edit.diff)
    assert ("shot", "7", "size") not in found  # a close-up already
    assert found[("shot", "7", "setting.time")] == ("night", "dawn")
    # Shot 7 (a prop insert) had nobody: Mei is put in it to smile.
    assert found[("shot", "7", "subjects")] == ([], ["MEI"])
    assert found[("shot", "7", "actions")] == ({}, {"MEI": "smile"})
    zh = instruct(board, "镜头3：让SELLER大笑")
    assert changes(zh.diff) == {("shot", "3", "actions"): ({}, {"SELLER": "laugh"})}


def test_delete_a_line_of_a_speaker(board: Storyboard) -> None:
    edit = instruct(board, "cut the second line of Mei")
    assert changes(edit.diff) == {
        ("shot", "5", "lines"): (
            [
                {
                    "character": "MEI",
                    "text": "Then I am in the right place.",
                    "lang": "en",
                    "parenthetical": None,
                    "translation": None,
                    "start": 0.0,
                    "duration": 0.0,
                }
            ],
            [],
        )
    }
    assert describe(edit.diff) == ["shot 5: line deleted: MEI “Then I am in the right place.”"]
    zh = instruct(board, "删掉MEI的第一句台词")
    assert [c.key for c in zh.diff.changes] == ["3"]
    quoted = instruct(board, "remove the line 'only for those who forgot'")
    assert [c.key for c in quoted.diff.changes] == ["4"]


def test_delete_shots_and_scenes(board: Storyboard) -> None:
    assert instruct(board, "delete shot 2").diff.deleted == ("2",)
    assert instruct(board, "删掉第三场").diff.deleted == ("8", "9")
    assert instruct(board, "drop shots 4 and 6").diff.deleted == ("4", "6")


def test_add_a_shot(board: Storyboard) -> None:
    edit = instruct(board, "add a close-up of Mei after shot 2")
    (added,) = edit.diff.added
    assert added.after == "2"
    assert (added.shot.id, added.shot.scene, added.shot.size.value) == ("10", 1, "close_up")
    assert added.shot.subjects == ["MEI"]
    assert [s.id for s in edit.board.shots][:4] == ["1", "2", "10", "3"]
    zh = instruct(board, "在镜头8之前加一个大远景镜头，4秒")
    (added,) = zh.diff.added
    assert (added.after, added.shot.size.value, added.shot.duration) == ("7", "extreme_wide", 4.0)
    assert added.shot.scene == 3


def test_shot_option_is_the_target_of_an_instruction_without_one(board: Storyboard) -> None:
    edit = instruct(board, "特写", shot="8")
    assert changes(edit.diff) == {("shot", "8", "size"): ("wide", "close_up")}


@pytest.mark.parametrize(
    ("instruction", "says"),
    [
        ("make it sing like a bird", "cannot read"),
        ("make it a close-up", "say which shot"),
        ("shot 42: close-up", "no shot '42'"),
        ("第九场改成雨夜", "no scene 9"),
        ("cut the second line of the seller", "only 1 lines"),
        ("", "empty"),
    ],
)
def test_what_cannot_be_read_changes_nothing(
    board: Storyboard, instruction: str, says: str
) -> None:
    before = board.model_dump()
    with pytest.raises(NotUnderstood, match=says) as caught:
        instruct(board, instruction)
    assert "\n" not in str(caught.value)  # one line
    assert board.model_dump() == before


def test_a_diff_applies_and_refuses_a_stale_board(board: Storyboard) -> None:
    edit = instruct(board, "shot 3: close-up; delete shot 2; add a wide shot after shot 9")
    assert apply_diff(board, edit.diff) == edit.board
    assert diff_boards(board, edit.board) == edit.diff
    moved = instruct(board, "shot 3: extreme wide").board
    with pytest.raises(DiffError, match="shot 3: size is now extreme_wide, not medium"):
        apply_diff(moved, edit.diff)


def test_slow_motion_on_and_off(board: Storyboard) -> None:
    slow = instruct(board, "shot 6 in slow motion")
    assert changes(slow.diff) == {("shot", "6", "slow_motion"): (False, True)}
    back = instruct(slow.board, "镜头6去掉慢动作")
    assert changes(back.diff) == {("shot", "6", "slow_motion"): (True, False)}


def test_a_person_is_called_by_the_last_word_of_a_longer_name() -> None:
    story = (
        "EXT. MARKET - NIGHT\n\nMEI waits.\n\nOLD SELLER\nLanterns!\n\nMEI\nOne, please.\n\n"
        "OLD SELLER\nFor you, two.\n"
    )
    board = plan(parse_story(story))
    edit = instruct(board, "cut the second line of the seller")
    assert [line.split(": ", 1)[1] for line in describe(edit.diff)] == [
        "line deleted: OLD SELLER “For you, two.”"
    ]


def test_a_new_sky_keeps_the_steam_of_the_place(board: Storyboard) -> None:
    steamy = instruct(board, "scene 2: steam").board
    foggy = instruct(steamy, "scene 2: fog")
    assert changes(foggy.diff)[("scene", "2", "weather")][1] == [
        {"kind": "steam", "intensity": 0.5},
        {"kind": "fog", "intensity": 0.5},
    ]
    rain = instruct(foggy.board, "scene 2: rain")
    assert [w.kind for w in rain.board.scenes[1].weather] == ["steam", "rain"]


def test_a_target_with_words_nothing_reads_is_refused(board: Storyboard) -> None:
    with pytest.raises(NotUnderstood, match="cannot read 'shot 3 sing'"):
        instruct(board, "shot 3 sing")


@pytest.mark.parametrize(
    ("instruction", "says"),
    [
        (
            "cut the second line of the baker",
            "nobody called 'baker' speaks; the people are MEI, SELLER",
        ),
        ("删掉卖家的第一句台词", "nobody called '卖家' speaks"),
    ],
)
def test_a_line_of_someone_unknown_deletes_nothing(
    board: Storyboard, instruction: str, says: str
) -> None:
    with pytest.raises(NotUnderstood, match=says):
        instruct(board, instruction)


def test_numbers_in_words(board: Storyboard) -> None:
    edit = instruct(board, "shot eight: close-up; scene two at dusk")
    found = changes(edit.diff)
    assert found[("shot", "8", "size")] == ("wide", "close_up")
    assert found[("scene", "2", "setting.time")] == ("night", "dusk")


def test_a_chinese_name_by_its_head_noun() -> None:
    story = "外景. 夜市 - 夜\n\n小梅走过。\n\n卖灯老人\n只卖给忘了什么东西的人。\n\n小梅\n谢谢。\n"
    board = plan(parse_story(story))
    edit = instruct(board, "删掉老人的第一句台词")
    assert [line.split(": ", 1)[1] for line in describe(edit.diff)] == [
        "line deleted: 卖灯老人 “只卖给忘了什么东西的人。”"
    ]
