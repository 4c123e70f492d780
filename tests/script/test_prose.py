from __future__ import annotations

import pytest

from storyreel.errors import StoryError
from storyreel.model import Action, Dialogue, Section
from storyreel.script import parse_story
from storyreel.script.prose import sentence_spans


def test_one_line_english_prompt() -> None:
    script = parse_story("A lonely robot waters a flower on a rooftop at sunset.")
    assert script.source == "prose"
    (scene,) = script.scenes
    assert scene.heading == ""
    assert scene.location == "rooftop"
    assert scene.time == "dusk"
    assert [type(el) for el in scene.elements] == [Action]


def test_sentences_become_beats_short_ones_merged() -> None:
    script = parse_story("He runs. He falls. The crowd gasps as the rain keeps falling.\n")
    texts = [el.text for el in script.scenes[0].elements]
    assert texts == ["He runs. He falls. The crowd gasps as the rain keeps falling."]
    script = parse_story(
        "The old lighthouse keeper climbs the stairs. The lamp is dark tonight.\n"
        "\n"
        "Far below, a ship turns toward the rocks.\n"
    )
    beats = script.scenes[0].elements
    assert [b.text for b in beats] == [
        "The old lighthouse keeper climbs the stairs.",
        "The lamp is dark tonight.",
        "Far below, a ship turns toward the rocks.",
    ]
    assert [b.line for b in beats] == [1, 1, 3]


def test_quotes_stay_intact() -> None:
    text = 'She whispers, "Stop. Please stop." Then she leaves. 他说：「走吧。快走！」然后离开了。'
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == [
        'She whispers, "Stop. Please stop."',
        "Then she leaves.",
        "他说：「走吧。快走！」然后离开了。",
    ]


def test_abbreviations_and_decimals_do_not_split() -> None:
    text = "Mr. Lee pays 3.50 dollars. Dr. Kim waits."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Mr. Lee pays 3.50 dollars.",
        "Dr. Kim waits.",
    ]


def test_chinese_prose_splits_on_full_stops() -> None:
    script = parse_story("清晨，老人推开木门走进院子。鸡叫了。阳光照在石板路上，一只猫跳上墙头。")
    beats = [el.text for el in script.scenes[0].elements]
    assert beats == ["清晨，老人推开木门走进院子。", "鸡叫了。阳光照在石板路上，一只猫跳上墙头。"]
    assert script.language == "zh"
    assert script.scenes[0].time == "dawn"


def test_colon_dialogue_in_prose() -> None:
    script = parse_story("A kitchen at night.\n\nMOM: Go to bed.\n小梅：不要！\n")
    lines = [el for el in script.scenes[0].elements if isinstance(el, Dialogue)]
    assert [(d.character, d.text, d.lang) for d in lines] == [
        ("MOM", "Go to bed.", "en"),
        ("小梅", "不要！", "zh"),
    ]


def test_markdown_heading_is_title_and_later_ones_sections() -> None:
    script = parse_story("# The Storm\n\nThunder rolls over the valley.\n\n## Part two\n\nRain.\n")
    assert script.title == "The Storm"
    kinds = [type(el) for el in script.scenes[0].elements]
    assert kinds == [Action, Section, Action]


def test_prose_with_title_only_is_nothing_to_film() -> None:
    with pytest.raises(StoryError, match="nothing to film"):
        parse_story("# Only a title\n")


def test_english_prose_with_mixed_case_lines_stays_prose() -> None:
    script = parse_story("Chapter One\nIt was a dark night.\n\nShe waited.\n")
    assert script.source == "prose"


def test_lang_tag_in_prose_colon_lines() -> None:
    script = parse_story("A quiet street.\n\nANNA [lang=es]: Okay.\n\nANNA: Okay again.\n")
    assert [el.lang for el in script.scenes[0].elements if isinstance(el, Dialogue)] == [
        "es",
        "es",
    ]
    assert script.characters["ANNA"].lang == "es"


def test_error_without_path_reads_as_a_sentence() -> None:
    with pytest.raises(StoryError, match=r"^the story is empty: write a story"):
        parse_story("  \n")
