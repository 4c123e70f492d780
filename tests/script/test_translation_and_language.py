"""Translations for bilingual subtitles, and the title page's Language: key."""

from __future__ import annotations

import pytest

from storyreel.errors import StoryError
from storyreel.model import Dialogue
from storyreel.script import parse_story


def dialogue(text: str) -> list[Dialogue]:
    script = parse_story(text)
    return [e for s in script.scenes for e in s.elements if isinstance(e, Dialogue)]


def test_a_translation_line_in_a_dialogue_block() -> None:
    (line,) = dialogue(
        "INT. ROOF - DAY\n\nNAINAI\n(softly)\n风不吃风筝。\n[en: The wind does not eat kites.]\n"
    )
    assert line.text == "风不吃风筝。"  # never spoken
    assert line.translation == "The wind does not eat kites."
    assert line.parentheticals == ["softly"]


@pytest.mark.parametrize(
    "tag", ["[translation: Hello.]", "[EN: Hello.]", "[译：Hello.]", "[zh-Hant: Hello.]"]
)
def test_translation_tag_spellings(tag: str) -> None:
    (line,) = dialogue(f"INT. ROOF - DAY\n\nLEO\n你好。\n{tag}\n")
    assert line.translation == "Hello."


def test_a_translation_after_a_colon_line() -> None:
    lines = dialogue("小梅：你好。[en: Hello.]\n\nLEO: Hi. [zh: 嗨。]\n")
    assert [(d.text, d.translation) for d in lines] == [("你好。", "Hello."), ("Hi.", "嗨。")]


def test_square_brackets_that_are_not_a_translation_stay_spoken() -> None:
    (line,) = dialogue("INT. ROOF - DAY\n\nLEO\nI said [pause] no.\n")
    assert line.text == "I said [pause] no." and line.translation is None


def test_title_page_language_holds_for_untagged_lines() -> None:
    lines = dialogue(
        "Title: X\nLanguage: Cantonese\n\nINT. ROOM - DAY\n\nMEI\n你好。\n\nLEO [lang=en]\nHello.\n"
    )
    assert [d.lang for d in lines] == ["yue", "en"]


def test_title_page_multi_leaves_detection() -> None:
    lines = dialogue("Title: X\nLanguage: multi\n\nINT. ROOM - DAY\n\nMEI\n你好。\n\nLEO\nHello.\n")
    assert [d.lang for d in lines] == ["zh", "en"]


def test_an_unsupported_title_language_is_an_error() -> None:
    with pytest.raises(StoryError, match=r"'french'.*supported languages: en, zh, yue, ja, ko, es"):
        parse_story("Title: X\nLanguage: French\n\nINT. ROOM - DAY\n\nMEI\nBonjour.\n")


def test_an_unsupported_tag_is_an_error_at_its_line() -> None:
    with pytest.raises(StoryError, match=r"line 3: MEI's \[lang=..\] tag names language 'de'"):
        parse_story("INT. ROOM - DAY\n\nMEI [lang=de]\nHallo.\n")
