"""Text to the phonemes Kokoro-82M reads, and those phonemes to the model's token ids.

Kokoro takes phonemes, not text, in the symbol set of its own G2P (misaki): IPA with
stress marks, a few capitals for diphthongs and affricates (A = eɪ, I = aɪ, ʧ = tʃ) and
arrows for Mandarin tones. Where each language's phonemes come from, and why:

* Mandarin: misaki's `zh` reader (jieba words, pypinyin readings, pinyin to IPA), the
  same reader the v1.0 model was trained with. Pure Python, no espeak-ng.
* English: misaki's pronouncing lexicons (about 180,000 words, US and GB, shipped as
  JSON in its wheel) are read directly. misaki's own English reader needs spaCy and a
  spaCy model from a model hub, which storyreel does not download, so the part-of-speech
  choice between two readings ("read" now or before) takes the lexicon's default. A word
  the lexicons lack (a name, a number) is read by espeak-ng and its IPA mapped onto
  misaki's symbols.
* Japanese and Spanish: espeak-ng's IPA, mapped the same way. Japanese kanji are read
  as kana first (voice/japanese.py), as espeak-ng reads kana only.

espeak-ng is GPL-licensed and runs in-process; the English path calls it only for words
missing from the lexicons, the Mandarin path never.

The phoneme table is the model's own vocabulary (kokoro-onnx's config.json for the v1.0
model): data, not a dependency, because importing the `kokoro_onnx` package would import
`phonemizer` (GPL) for its tokenizer even when it is never used.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import unicodedata
from importlib import resources
from typing import Any, Literal

from storyreel.errors import VoiceError
from storyreel.voice.espeak import ipa
from storyreel.voice.japanese import KANJI, kana_reading

Accent = Literal["us", "gb"]
ACCENTS: tuple[Accent, ...] = ("us", "gb")

# The model reads at most this many phonemes at once (512 positions less two pads).
MAX_TOKENS = 510

# Kokoro v1.0's phoneme vocabulary: symbol -> token id (id 0 pads both ends).
VOCAB: dict[str, int] = {
    ";": 1, ":": 2, ",": 3, ".": 4, "!": 5, "?": 6, "—": 9, "…": 10, '"': 11, "(": 12,
    ")": 13, "“": 14, "”": 15, " ": 16, "\u0303": 17, "ʣ": 18, "ʥ": 19, "ʦ": 20, "ʨ": 21,
    "ᵝ": 22, "\uab67": 23, "A": 24, "I": 25, "O": 31, "Q": 33, "S": 35, "T": 36, "W": 39,
    "Y": 41, "ᵊ": 42, "a": 43, "b": 44, "c": 45, "d": 46, "e": 47, "f": 48, "h": 50,
    "i": 51, "j": 52, "k": 53, "l": 54, "m": 55, "n": 56, "o": 57, "p": 58, "q": 59,
    "r": 60, "s": 61, "t": 62, "u": 63, "v": 64, "w": 65, "x": 66, "y": 67, "z": 68,
    "ɑ": 69, "ɐ": 70, "ɒ": 71, "æ": 72, "β": 75, "ɔ": 76, "ɕ": 77, "ç": 78, "ɖ": 80,
    "ð": 81, "ʤ": 82, "ə": 83, "ɚ": 85, "ɛ": 86, "ɜ": 87, "ɟ": 90, "ɡ": 92, "ɥ": 99,
    "ɨ": 101, "ɪ": 102, "ʝ": 103, "ɯ": 110, "ɰ": 111, "ŋ": 112, "ɳ": 113, "ɲ": 114,
    "ɴ": 115, "ø": 116, "ɸ": 118, "θ": 119, "œ": 120, "ɹ": 123, "ɾ": 125, "ɻ": 126,
    "ʁ": 128, "ɽ": 129, "ʂ": 130, "ʃ": 131, "ʈ": 132, "ʧ": 133, "ʊ": 135, "ʋ": 136,
    "ʌ": 138, "ɣ": 139, "ɤ": 140, "χ": 142, "ʎ": 143, "ʒ": 147, "ʔ": 148, "ˈ": 156,
    "ˌ": 157, "ː": 158, "ʰ": 162, "ʲ": 164, "↓": 169, "→": 171, "↗": 172, "↘": 173,
    "ᵻ": 177,
}  # fmt: skip

# espeak-ng's tied IPA (t^ʃ) to misaki's symbols: the phonemes every language shares,
# then English's own conventions. Applied longest first.
_ESPEAK_COMMON = {
    "a^ɪ": "I", "a^ʊ": "W", "e^ɪ": "A", "o^ʊ": "O", "ə^ʊ": "Q", "ɔ^ɪ": "Y",
    "d^z": "ʣ", "d^ʒ": "ʤ", "t^s": "ʦ", "t^ʃ": "ʧ", "t^ɕ": "ʨ", "d^ʑ": "ʥ", "s^s": "S",
}  # fmt: skip
_ESPEAK_ENGLISH = {
    "ʔˌn\u0329": "ʔn", "ʔn\u0329": "ʔn", "ə^l": "ᵊl", "ʲo": "jo", "ʲə": "jə", "ʲ": "",
    "ɚ": "əɹ", "r": "ɹ", "x": "k", "ç": "k", "ɐ": "ə", "ɬ": "l", "e": "A", "\u0303": "",
}  # fmt: skip
_ESPEAK_US = {"ɜːɹ": "ɜɹ", "ɜː": "ɜɹ", "ɪə": "iə", "ː": "", "ɾ": "T", "ʔ": "t"}
_ESPEAK_GB = {"e^ə": "ɛː", "iə": "ɪə", "ɾ": "T", "ʔ": "t"}
# espeak-ng's language-switch marks, "(en)" around a word it reads in another language.
_SWITCH = re.compile(r"\([^)]*\)")

# What Kokoro does with written punctuation: it pauses at these, so they are kept.
_PUNCTUATION = {
    ",": ",", "，": ",", "、": ",", ".": ".", "。": ".", "!": "!", "！": "!", "?": "?",
    "？": "?", ";": ";", "；": ";", ":": ":", "：": ":", "—": "—", "…": "…", "(": "(",
    ")": ")", "（": "(", "）": ")", "“": "“", "”": "”", '"': '"', "「": "“", "」": "”",
    "『": "“", "』": "”", "¡": "", "¿": "",
}  # fmt: skip
_EN_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,:]\d+)*|\S")
_MARKS = "".join(_PUNCTUATION)
_CLAUSE = re.compile(f"[^{re.escape(_MARKS)}]+|[{re.escape(_MARKS)}]")
# Abbreviated titles whose full stop is not a sentence end.
_TITLES = {"mr", "mrs", "ms", "dr", "st", "prof", "mt", "jr", "sr"}
# Words whose lexicon entry is the stressed citation form; in a sentence they are weak.
_WEAK = {"a": "ɐ", "an": "ɐn"}

_zh_lock = threading.Lock()


def phonemize(text: str, lang: str, accent: Accent = "us") -> str:
    """`text` in language `lang` as Kokoro phonemes (symbols outside the vocabulary
    dropped). Raises VoiceError for a language with no reader here."""
    if lang == "zh":
        out = _mandarin(text)
    elif lang == "en":
        out = _english(text, accent)
    elif lang in ("ja", "es"):
        out = _espeak_language(text, lang)
    else:
        raise VoiceError(f"kokoro has no phoneme reader for language {lang!r}")
    return _in_vocab(out)


def tokens(phonemes: str) -> list[int]:
    return [VOCAB[p] for p in phonemes if p in VOCAB]


def chunks(phonemes: str, limit: int = MAX_TOKENS) -> list[str]:
    """`phonemes` in runs of at most `limit` symbols, cut after a sentence end where
    possible, else after a clause mark, else at a space."""
    out: list[str] = []
    rest = phonemes.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = 0
        for marks in (".!?…", ",;:—", " "):
            cut = max(window.rfind(m) for m in marks) + 1
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        out.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        out.append(rest)
    return [c for c in out if c]


def _in_vocab(phonemes: str) -> str:
    kept: list[str] = []
    for ch in phonemes:
        if ch in VOCAB:
            kept.append(ch)
        else:
            # ä, o̞ and the like: the base letter where the model knows it.
            kept.extend(c for c in unicodedata.normalize("NFD", ch) if c in VOCAB)
    return re.sub(r" {2,}", " ", "".join(kept)).strip()


# --- Mandarin ---------------------------------------------------------------------------


@functools.cache
def _zh_reader() -> Any:
    try:
        from misaki.zh import ZHG2P
    except ImportError as exc:
        raise VoiceError(
            f"kokoro reads Mandarin through misaki[zh], which is not installed ({exc}); "
            "install it with `make .venv/.runtime`"
        ) from exc
    # No version: the reader the v1.0 model was trained with (v1.1 has its own).
    return ZHG2P()


def _mandarin(text: str) -> str:
    reader = _zh_reader()
    # jieba's first use builds its dictionary; one thread at a time does that.
    with _zh_lock:
        phonemes, _ = reader(text)
    return str(phonemes)


# --- English ----------------------------------------------------------------------------


@functools.cache
def _lexicon(accent: Accent) -> dict[str, Any]:
    try:
        data = resources.files("misaki.data")
        merged: dict[str, Any] = json.loads((data / f"{accent}_silver.json").read_text("utf-8"))
        merged.update(json.loads((data / f"{accent}_gold.json").read_text("utf-8")))
    except (ImportError, OSError, ValueError) as exc:
        raise VoiceError(
            f"kokoro reads English through misaki's lexicons, which cannot be read ({exc}); "
            "install misaki with `make .venv/.runtime`"
        ) from exc
    return merged


def _looked_up(word: str, accent: Accent) -> str | None:
    lexicon = _lexicon(accent)
    for form in (word, word.lower(), word.capitalize()):
        entry = lexicon.get(form)
        if isinstance(entry, dict):
            entry = entry.get("DEFAULT") or next(iter(entry.values()), None)
        if isinstance(entry, str):
            return entry
    return None


def _english_word(word: str, accent: Accent) -> str | None:
    if (weak := _WEAK.get(word.lower())) is not None:
        return weak
    if (found := _looked_up(word, accent)) is not None:
        return found
    # Possessives and plurals of known words: "Anna's", "lanterns".
    for suffix, sound in (("'s", "z"), ("’s", "z"), ("s", "z")):
        if word.lower().endswith(suffix) and len(word) > len(suffix) + 1:
            base = _looked_up(word[: -len(suffix)], accent)
            if base is not None:
                voiceless = base[-1:] in ("p", "t", "k", "f", "θ")
                return base + ("s" if voiceless else sound)
    return None


def _english(text: str, accent: Accent) -> str:
    parts: list[str] = []
    unknown: list[tuple[int, str]] = []
    found_tokens = _EN_TOKEN.findall(text)
    for i, token in enumerate(found_tokens):
        if token in _PUNCTUATION:
            if token == "." and i and found_tokens[i - 1].lower() in _TITLES:
                continue  # "Mr. Tanaka" is said without a stop
            parts.append(_PUNCTUATION[token])
            continue
        if not token[0].isalnum():
            continue
        if token.lower() == "the":
            # "thuh lantern", "thee apple": the lexicon has only the citation form.
            after = found_tokens[i + 1][:1].lower() if i + 1 < len(found_tokens) else ""
            parts.append(" ði" if after in ("a", "e", "i", "o", "u") else " ðə")
            continue
        found = _english_word(token, accent)
        if found is None:
            unknown.append((len(parts), token))
            parts.append("")
        else:
            parts.append(" " + found)
    for index, word in unknown:
        parts[index] = " " + _espeak_english(word, accent)
    return "".join(parts)


def _espeak_english(word: str, accent: Accent) -> str:
    out = _SWITCH.sub("", ipa(word, "en" if accent == "us" else "en-gb"))
    for table in (_ESPEAK_ENGLISH, _ESPEAK_US if accent == "us" else _ESPEAK_GB, _ESPEAK_COMMON):
        out = _replaced(out, table)
    return out.replace("^", "").replace(" ", "")


def _replaced(text: str, table: dict[str, str]) -> str:
    for old in sorted(table, key=len, reverse=True):
        text = text.replace(old, table[old])
    return text


# --- Japanese and Spanish ---------------------------------------------------------------


def _espeak_language(text: str, lang: str) -> str:
    if lang == "ja" and KANJI.search(text):
        text = kana_reading(text).spoken
    parts: list[str] = []
    for piece in _CLAUSE.findall(text):
        if piece in _PUNCTUATION:
            parts.append(_PUNCTUATION[piece])
        elif any(ch.isalnum() for ch in piece):
            spoken = _SWITCH.sub("", ipa(piece, lang))
            parts.append(" " + _replaced(spoken, _ESPEAK_COMMON).replace("^", "").replace("-", ""))
    return "".join(parts)
