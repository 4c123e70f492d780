"""Chinese screenplay conventions: headings, cues without case, colon dialogue,
camera directives, transitions and first-mention descriptions."""

from __future__ import annotations

import pytest

from storyreel.model import Action, Dialogue, Element, Script, Transition
from storyreel.script import parse_story


def els(script: Script) -> list[Element]:
    return [el for scene in script.scenes for el in scene.elements]


def dialogue(script: Script) -> list[Dialogue]:
    return [el for el in els(script) if isinstance(el, Dialogue)]


@pytest.mark.parametrize(
    ("line", "location", "interior", "time"),
    [
        ("外景. 夜市 - 夜", "夜市", "ext", "night"),
        ("内景 小梅的公寓 日", "小梅的公寓", "int", "day"),
        ("1、内景  咖啡馆  夜", "咖啡馆", "int", "night"),
        ("第一场 外景。海边。黄昏", "海边", "ext", "dusk"),
        ("场景1：内外景 汽车 清晨", "汽车", "int/ext", "dawn"),
        ("12. 内/外景 车站 傍晚", "车站", "int/ext", "dusk"),
        ("外景　山顶　深夜", "山顶", "ext", "night"),
        ("内景. 厨房 - 白天", "厨房", "int", "day"),
        ("外景 操场", "操场", "ext", None),
    ],
)
def test_chinese_heading_forms(line: str, location: str, interior: str, time: str | None) -> None:
    scene = parse_story(f"{line}\n\n雨停了。\n").scenes[0]
    assert (scene.heading, scene.location, scene.interior, scene.time) == (
        line,
        location,
        interior,
        time,
    )


def test_chinese_time_inherits() -> None:
    script = parse_story(
        "外景 街道 夜\n\n甲。\n\n内景 房间 稍后\n\n乙。\n\n内景 厨房 连续\n\n丙。\n"
    )
    assert [s.time for s in script.scenes] == ["night", "night", "night"]


def test_cue_without_case_with_parenthetical_and_extension() -> None:
    script = parse_story(
        "内景 房间 夜\n\n小梅（画外音）\n（轻声）\n你还记得吗？\n那天晚上。\n\n阿杰\n记得。\n"
    )
    first, second = dialogue(script)
    assert first.character == "小梅"
    assert first.extensions == ["画外音"]
    assert first.parentheticals == ["轻声"]
    assert first.text == "你还记得吗？那天晚上。"  # CJK lines join without a space
    assert first.lang == "zh"
    assert second.character == "阿杰"


def test_long_or_punctuated_line_is_not_a_cue() -> None:
    script = parse_story(
        "内景 房间 夜\n\n她慢慢地走到窗前看着外面的雨\n雨越下越大。\n\n雨停了。\n他走了\n"
    )
    assert dialogue(script) == []


def test_colon_dialogue_lines() -> None:
    script = parse_story("内景 房间 夜\n\n小梅：你好。\n\n老李（轻声）：你来了\n")
    first, second = dialogue(script)
    assert (first.character, first.text, first.parentheticals) == ("小梅", "你好。", [])
    assert (second.character, second.text, second.parentheticals) == ("老李", "你来了", ["轻声"])
    assert first.line == 3


@pytest.mark.parametrize(
    "directive",
    [
        "特写：灯笼",
        "近景：手",
        "远景：城市",
        "全景：广场",
        "中景：两人",
        "镜头：推",
        "字幕：三年后",
        "画面：黑",
    ],
)
def test_camera_directives_are_action(directive: str) -> None:
    script = parse_story(f"内景 房间 夜\n\n{directive}\n")
    assert dialogue(script) == []
    assert els(script) == [Action(text=directive, line=3)]


def test_narration_with_saying_verb_is_action() -> None:
    script = parse_story("内景 房间 夜\n\n他说：走吧。\n")
    assert dialogue(script) == []


@pytest.mark.parametrize(
    "word", ["淡出", "淡入：", "切至：", "切到", "叠化", "闪回", "转场", "黑场。"]
)
def test_chinese_transitions(word: str) -> None:
    script = parse_story(f"内景 房间 夜\n\n雨停了。\n\n{word}\n")
    transitions = [el for el in els(script) if isinstance(el, Transition)]
    assert [t.text for t in transitions] == [word]


def test_description_matches_known_speaker() -> None:
    script = parse_story(
        "外景 夜市 夜\n\n巷子尽头，一位卖灯老人（七十多岁，灰胡子）坐着。\n\n卖灯老人\n来了。\n"
    )
    assert list(script.characters) == ["卖灯老人"]
    assert script.characters["卖灯老人"].description == "七十多岁，灰胡子"


def test_description_of_unknown_character_drops_measure_word() -> None:
    script = parse_story("外景 夜市 夜\n\n街角站着一名警察（三十岁，制服）。\n")
    assert script.characters["警察"].description == "三十岁，制服"


def test_aside_in_parentheses_is_not_a_character() -> None:
    script = parse_story("外景 夜市 夜\n\n他笑了（苦笑）。\n")
    assert script.characters == {}


def test_chinese_story_is_screenplay_with_two_cues() -> None:
    script = parse_story("小梅\n你好。\n\n阿杰\n你好啊。\n")
    assert script.source == "fountain"
    assert [d.character for d in dialogue(script)] == ["小梅", "阿杰"]
