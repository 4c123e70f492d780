"""Translation marks: several languages after a line and after on-screen text."""

from __future__ import annotations

from tests.variants.support import BRIEF

from storyreel.model import Action, Centered, Dialogue
from storyreel.script import parse_story
from storyreel.script.marks import gather, mark_line, peel


def _elements(text: str) -> list[object]:
    return [e for scene in parse_story(text).scenes for e in scene.elements]


def test_a_prose_line_carries_a_translation_per_language() -> None:
    line = next(e for e in _elements(BRIEF) if isinstance(e, Dialogue))
    assert line.text == "Spring, in every cup."
    assert line.translations == {"zh": "春天，就在每一杯里。", "ja": "春を、一杯ごとに。"}
    # The first mark stays the subtitle's translation, as with one mark.
    assert line.translation == "春天，就在每一杯里。"


def test_on_screen_text_keeps_its_words_and_gains_its_marks() -> None:
    shown = [e for e in _elements(BRIEF) if isinstance(e, Action) and "Text on screen" in e.text]
    assert [e.text for e in shown] == ['Text on screen: "Mountain Spring Tea".']
    assert shown[0].translations == {"zh": "山泉茶", "ja": "山の泉のお茶"}
    # The marks are no sentence of their own.
    assert not any(isinstance(e, Action) and e.text.startswith("[") for e in _elements(BRIEF))


def test_a_fountain_block_takes_marks_on_their_own_lines() -> None:
    text = (
        "INT. TEA SHOP - DAY\n\nMEI\nWelcome.\n[zh: 欢迎。]\n[ja: ようこそ。]\n\n"
        "> THE END <\n[zh: 剧终]\n"
    )
    elements = _elements(text)
    line = next(e for e in elements if isinstance(e, Dialogue))
    assert (line.text, line.translation) == ("Welcome.", "欢迎。")
    assert line.translations == {"zh": "欢迎。", "ja": "ようこそ。"}
    card = next(e for e in elements if isinstance(e, Centered))
    assert card.translations == {"zh": "剧终"}


def test_one_mark_keeps_the_single_translation_behaviour() -> None:
    text = "INT. ROOM - DAY\n\nMEI\n风不吃风筝。\n[en: The wind does not eat kites.]\n"
    line = next(e for e in _elements(text) if isinstance(e, Dialogue))
    assert line.text == "风不吃风筝。"
    assert line.translation == "The wind does not eat kites."
    assert line.translations == {"en": "The wind does not eat kites."}


def test_peel_and_gather() -> None:
    words, marks = peel("Buy now [zh: 立即购买] [translation: Jetzt kaufen]")
    assert words == "Buy now"
    assert [(m.lang, m.text) for m in marks] == [("zh", "立即购买"), (None, "Jetzt kaufen")]
    assert gather(marks) == ("立即购买", {"zh": "立即购买"})
    assert peel("[zh: 只有标记]") == ("[zh: 只有标记]", [])
    assert mark_line("not a mark [zh: 不]") is None
