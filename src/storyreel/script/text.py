"""Small text helpers shared by the parsers: script classes of characters, Fountain
emphasis markup, and joining wrapped lines back into one line of speech."""

from __future__ import annotations

import re

# Placeholders for escaped markup characters. Private-use code points never occur in
# a story, so they survive the emphasis regexes untouched and are swapped back after.
_ESC_STAR = "\ue000"
_ESC_UNDER = "\ue001"

# Fountain emphasis: the markup must hug its text (`* not this *`), and must not sit
# inside an ASCII word, so `snake_case_name` and `2*3*4` stay as written. CJK text has
# no spaces, so the word check is ASCII-only: `小梅*轻声*说` is still emphasis.
_EMPHASIS = [
    re.compile(
        rf"(?<![A-Za-z0-9]){re.escape(mark)}(?=\S)(.+?)(?<=\S){re.escape(mark)}(?![A-Za-z0-9])"
    )
    for mark in ("***", "**", "*", "_")
]


def strip_emphasis(text: str) -> str:
    """Remove Fountain emphasis markup (`*italic*`, `**bold**`, `***both***`,
    `_underline_`); `\\*` and `\\_` become literal `*` and `_`."""
    text = text.replace("\\*", _ESC_STAR).replace("\\_", _ESC_UNDER)
    for pattern in _EMPHASIS:
        # Repeat so nested markup (`_**bold underline**_`) is fully removed.
        previous = None
        while previous != text:
            previous = text
            text = pattern.sub(r"\1", text)
    return text.replace(_ESC_STAR, "*").replace(_ESC_UNDER, "_")


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF  # CJK Unified Ideographs
        or 0x3400 <= cp <= 0x4DBF  # Extension A
        or 0xF900 <= cp <= 0xFAFF  # Compatibility Ideographs
        or 0x20000 <= cp <= 0x3134F  # Extensions B-G
        or ch == "〇"
    )


def is_kana(ch: str) -> bool:
    cp = ord(ch)
    return 0x3041 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9F


def is_hangul(ch: str) -> bool:
    cp = ord(ch)
    return 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F


def is_cjk_punct(ch: str) -> bool:
    cp = ord(ch)
    return 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFF65


def is_spaceless(ch: str) -> bool:
    """True for characters of scripts written without spaces between words (Chinese
    and Japanese) and their punctuation. Korean separates words with spaces."""
    return is_han(ch) or is_kana(ch) or is_cjk_punct(ch)


def has_caseless_letters(text: str) -> bool:
    return any(is_han(c) or is_kana(c) or is_hangul(c) for c in text)


def join_lines(parts: list[str]) -> str:
    """Join wrapped lines: with a space between Latin words, with nothing between
    Chinese or Japanese characters (a space there would be read as a pause)."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (is_spaceless(out[-1]) or is_spaceless(part[0])):
            out += " "
        out += part
    return out


def word_set(text: str, sep: str | None = None) -> frozenset[str]:
    """A set of words (or of `sep`-separated phrases) written as one string."""
    return frozenset(w.strip() for w in text.split(sep) if w.strip())


def collapse_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
