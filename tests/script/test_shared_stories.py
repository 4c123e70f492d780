"""The example stories in shared/stories, parsed end to end through read_story."""

from __future__ import annotations

from pathlib import Path

from storyreel.model import Action, Dialogue, Script, Transition
from storyreel.script import read_story


def dialogue(script: Script) -> list[Dialogue]:
    return [el for s in script.scenes for el in s.elements if isinstance(el, Dialogue)]


def test_night_market(stories: Path) -> None:
    script = read_story(stories / "night_market.fountain")
    assert script.source == "fountain"
    assert script.title == "The Lantern Seller"
    assert script.title_page["credit"] == "written for storyreel tests"
    assert script.language == "en"
    first, second = script.scenes
    assert (first.location, first.interior, first.time, first.line) == (
        "NIGHT MARKET",
        "ext",
        "night",
        5,
    )
    assert (second.location, second.interior, second.time) == ("MEI'S APARTMENT", "int", "night")
    assert list(script.characters) == ["MEI", "OLD SELLER"]
    assert script.characters["MEI"].description == "20s, red raincoat, short black hair"
    assert script.characters["OLD SELLER"].description == "70s, grey beard, round glasses"
    lines = dialogue(script)
    assert [d.character for d in lines] == ["MEI", "OLD SELLER", "OLD SELLER", "MEI"]
    assert lines[1].parentheticals == ["without looking up"]
    assert lines[3].text == "Then show me."
    assert all(d.lang == "en" for d in lines)
    close_on = first.elements[6]
    assert isinstance(close_on, Action) and close_on.text.startswith("CLOSE ON the lantern")
    assert second.elements[-1] == Transition(text="FADE OUT.", line=37)


def test_lantern_chinese(stories: Path) -> None:
    script = read_story(stories / "灯笼.fountain")
    assert script.title == "会记忆的灯笼"
    assert script.language == "zh"
    first, second = script.scenes
    assert (first.heading, first.location, first.interior, first.time) == (
        "外景. 夜市 - 夜",
        "夜市",
        "ext",
        "night",
    )
    assert (second.location, second.interior, second.time) == ("小梅的公寓", "int", "night")
    assert list(script.characters) == ["小梅", "卖灯老人"]
    assert script.characters["小梅"].description == "二十多岁，红色雨衣，黑色短发"
    assert script.characters["卖灯老人"].description == "七十多岁，灰胡子，圆眼镜"
    lines = dialogue(script)
    assert [d.character for d in lines] == ["小梅", "卖灯老人", "卖灯老人", "小梅"]
    assert lines[1].parentheticals == ["头也不抬"]
    assert lines[3].parentheticals == ["轻声"]
    assert lines[3].text == "那就带我去看看。"
    assert all(d.lang == "zh" for d in lines)
    close_up = first.elements[6]
    assert isinstance(close_up, Action) and close_up.text.startswith("特写：")
    assert isinstance(second.elements[-1], Transition)
    assert second.elements[-1].text == "淡出。"


def test_dialogue_multilang(stories: Path) -> None:
    script = read_story(stories / "dialogue_multilang.fountain")
    assert script.language == "multi"
    assert [(d.character, d.lang) for d in dialogue(script)] == [
        ("ANNA", "es"),
        ("KENJI", "ja"),
        ("MINJI", "ko"),
        ("WING", "yue"),
        ("LI WEI", "zh"),
        ("TOM", "en"),
    ]
    assert {c.name: c.lang for c in script.characters.values()} == {
        "ANNA": "es",
        "KENJI": "ja",
        "MINJI": "ko",
        "WING": "yue",
        "LI WEI": "zh",
        "TOM": "en",
    }


def test_anime_battle_prompt_is_chinese_prose(stories: Path) -> None:
    script = read_story(stories / "anime_battle.txt")
    assert script.source == "prose"
    assert script.language == "zh"
    (scene,) = script.scenes
    assert scene.heading == ""
    assert scene.location == "竹林"
    assert all(isinstance(el, Action) for el in scene.elements)
    assert [el.line for el in scene.elements] == [1, 1]
    assert scene.elements[1].text.endswith("最后剑士一剑定胜负。")


def test_ad_brief_prose_with_voiceover(stories: Path) -> None:
    script = read_story(stories / "ad_brief.md")
    assert script.source == "prose"
    assert script.title == "Spring tea — 15 second ad"
    assert script.language == "en"
    (scene,) = script.scenes
    assert scene.location == "balcony"
    (voice,) = dialogue(script)
    assert voice.character == "VOICEOVER"
    assert voice.parentheticals == ["female, warm"]
    assert voice.text == "Spring, in every cup."
    assert voice.line == 5
    assert list(script.characters) == ["VOICEOVER"]
    actions = [el for el in scene.elements if isinstance(el, Action)]
    assert actions[0].text == "A young woman opens a tin of green tea on a sunny balcony."
    assert any('"Mountain Spring Tea"' in a.text for a in actions)
    assert not any(a.text.startswith("#") for a in actions)
