"""Which language a line is in, from its script and a few cheap cues.

This only needs to be good enough to pick a voice: Hangul means Korean, kana means
Japanese, Han means Chinese (Cantonese when it uses characters Mandarin never writes),
and Latin text is Spanish when its accents and function words say so, else English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from storyreel.errors import StoryError
from storyreel.model import Dialogue, Element, Scene
from storyreel.script.text import is_han, is_hangul, is_kana, word_set

SUPPORTED_LANGS: tuple[str, ...] = ("en", "zh", "yue", "ja", "ko", "es")

# Written Cantonese uses characters standard written Chinese does not; one is enough.
_YUE_STRONG = frozenset("嘅咗喺唔冇佢啲嘢噉乜嚟哋嗰咩啱冚攞嘥搵揾睇咁畀喎嚿㗎")
# These also occur in Mandarin text (關係, 返回, ...), so only two together count.
_YUE_WEAK = ("係", "返", "而家", "點解", "邊度", "邊個", "今日", "唔該", "多謝")

_ES_MARKS = frozenset("¿¡ñÑ")
_ES_ACCENTS = frozenset("áéíóúÁÉÍÓÚü")
_ES_WORDS = word_set(
    "que para los las está están dónde donde hola gracias el la de y es en un una por con "
    "no se del muy pero como qué bien usted estoy vamos aquí él ella yo tú mi su sí "
    "todos nosotros buenos buenas días noches adiós señor señora cómo"
)
_EN_WORDS = word_set(
    "the and is are you i to of in it that what this my your we he she they was be "
    "have has not for with on at going home hello everyone me do don't i'm it's"
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# A Han or kana character carries about a syllable, a Latin letter a fraction of one;
# weighting CJK characters higher makes "majority script" mean majority of content.
_CJK_WEIGHT = 3


def detect_lang(text: str, default: str = "en") -> str:
    """Return one of SUPPORTED_LANGS for `text`; `default` when it has no letters."""
    han = kana = hangul = latin = 0
    for ch in text:
        if is_han(ch):
            han += 1
        elif is_kana(ch):
            kana += 1
        elif is_hangul(ch):
            hangul += 1
        elif ch.isalpha() and ord(ch) < 0x2000:
            latin += 1
    cjk = (han + kana) * _CJK_WEIGHT
    hangul *= _CJK_WEIGHT
    if not (cjk or hangul or latin):
        return default
    if hangul >= cjk and hangul >= latin:
        return "ko"
    if cjk >= latin:
        # Japanese writes kanji among kana; any real share of kana means Japanese.
        if kana and kana * 10 >= han:
            return "ja"
        return "yue" if _is_cantonese(text) else "zh"
    return _latin_lang(text)


def _is_cantonese(text: str) -> bool:
    if any(ch in _YUE_STRONG for ch in text):
        return True
    return sum(1 for cue in _YUE_WEAK if cue in text) >= 2


def _latin_lang(text: str) -> str:
    if any(ch in _ES_MARKS for ch in text):
        return "es"
    words = [w.lower() for w in _WORD.findall(text)]
    es = sum(1 for w in words if w in _ES_WORDS)
    es += sum(1 for ch in text if ch in _ES_ACCENTS) // 2
    en = sum(1 for w in words if w in _EN_WORDS)
    return "es" if es > en else "en"


_LANG_NAMES = {
    "english": "en",
    "chinese": "zh",
    "mandarin": "zh",
    "中文": "zh",
    "普通话": "zh",
    "汉语": "zh",
    "cantonese": "yue",
    "粤语": "yue",
    "廣東話": "yue",
    "广东话": "yue",
    "zh-yue": "yue",
    "zh-hk": "yue",
    "japanese": "ja",
    "日本語": "ja",
    "korean": "ko",
    "한국어": "ko",
    "spanish": "es",
    "español": "es",
    "mixed": "multi",
}


def normalize_lang(value: str) -> str:
    """Turn a title page `Language:` value or a `[lang=..]` tag into a code:
    "English" -> "en", "zh-CN" -> "zh", "multi" stays "multi"."""
    key = value.strip().lower().replace("_", "-")
    if key in _LANG_NAMES:
        return _LANG_NAMES[key]
    return key.split("-")[0] if key else key


def text_weight(text: str) -> int:
    """How much content `text` carries, on the same scale detect_lang compares."""
    return sum(
        _CJK_WEIGHT if (is_han(c) or is_kana(c) or is_hangul(c)) else 1 for c in text if c.isalpha()
    )


def majority_lang(samples: list[tuple[str, str]], default: str = "en") -> str:
    """The language carrying the most content among (lang, text) samples."""
    totals: dict[str, int] = {}
    for lang, text in samples:
        totals[lang] = totals.get(lang, 0) + text_weight(text)
    if not totals or max(totals.values()) == 0:
        return default
    return max(totals, key=lambda lang: totals[lang])


def check_lang(
    code: str, where: str, *, allow_multi: bool = False, line: int | None = None
) -> None:
    """Raise StoryError for a language storyreel cannot voice, naming the ones it can."""
    if code in SUPPORTED_LANGS or (allow_multi and code == "multi"):
        return
    supported = ", ".join(SUPPORTED_LANGS)
    extra = ', or "multi" to detect each line' if allow_multi else ""
    raise StoryError(
        f"{where} names language {code!r}, which storyreel cannot voice; "
        f"supported languages: {supported}{extra}",
        line=line,
    )


def with_langs(scenes: list[Scene], lang_of: Callable[[Dialogue], str | None]) -> list[Scene]:
    """`scenes` with each dialogue in the language `lang_of` gives it (None keeps its
    own). Scenes are frozen values: the changed ones are new copies."""

    def relang(element: Element) -> Element:
        if isinstance(element, Dialogue) and (lang := lang_of(element)) is not None:
            return element.model_copy(update={"lang": lang})
        return element

    return [
        scene.model_copy(update={"elements": [relang(e) for e in scene.elements]})
        for scene in scenes
    ]


def with_title_lang(scenes: list[Scene], lang: str, tagged: dict[str, str]) -> list[Scene]:
    """The title page's one language for every line whose speaker has no tag."""
    return with_langs(scenes, lambda line: None if line.character in tagged else lang)


def check_dialogue_langs(scenes: list[Scene]) -> None:
    """Every line's language (from a [lang=xx] tag) must be one storyreel voices."""
    for scene in scenes:
        for element in scene.elements:
            if isinstance(element, Dialogue):
                check_lang(element.lang, f"{element.character}'s [lang=..] tag", line=element.line)
