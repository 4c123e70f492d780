from __future__ import annotations

import pytest

from storyreel.script import SUPPORTED_LANGS, detect_lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hello everyone, I'm going home.", "en"),
        ("Hola a todos, ¿a dónde van?", "es"),
        ("Gracias, para los niños.", "es"),
        ("Mañana", "es"),
        ("El perro está en la casa de mi madre", "es"),
        ("The café was closed.", "en"),
        ("你们好，我要去北京。", "zh"),
        ("我今日唔得閒，聽日先啦。", "yue"),
        ("佢喺邊度？", "yue"),
        ("呢個係乜嘢？", "yue"),
        ("大家好，我返香港。", "zh"),  # 返 alone also occurs in Mandarin
        ("沒關係，我們回去吧。", "zh"),  # 係 alone is Mandarin's 關係
        ("こんにちは。東京まで行きます。", "ja"),
        ("東京駅前広場で待ち合わせ", "ja"),
        ("안녕하세요. 저는 서울에 가요.", "ko"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_majority_script_wins_on_mixed_lines() -> None:
    assert detect_lang("我今天在Starbucks买了一杯咖啡。") == "zh"
    assert detect_lang("We ate 饺子 at the night market yesterday.") == "en"
    assert detect_lang("She said 안녕하세요 to everybody in the room today.") == "en"


def test_no_letters_gives_default() -> None:
    assert detect_lang("123 ... !!!") == "en"
    assert detect_lang("", default="zh") == "zh"


def test_every_result_is_supported() -> None:
    assert set(SUPPORTED_LANGS) == {"en", "zh", "yue", "ja", "ko", "es"}
