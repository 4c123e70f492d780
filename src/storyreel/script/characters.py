"""Who is in the story: every speaker, plus anyone introduced in action with a
first-mention description, `MEI (20s, red raincoat)` or `小梅（二十多岁，红色雨衣）`.

Speakers are collected first so that a Chinese mention can be matched against the
names the script actually uses: Chinese has no case or spaces to mark where a name
starts, so `一位卖灯老人（...）` is only unambiguous once 卖灯老人 is known to speak.
"""

from __future__ import annotations

import re

from storyreel.model import Action, Character, Dialogue, Scene
from storyreel.script.conventions import is_speaker_name
from storyreel.script.lang import with_langs
from storyreel.script.text import is_han

# The maximal run of ALL-CAPS words right before a parenthesis.
_EN_MENTION = re.compile(
    r"(?<![\w'’])((?:[A-Z][A-Z0-9'’.\-]*\s+)*[A-Z][A-Z0-9'’.\-]*)\s*\(([^()]+)\)"
)
_ARTICLES = frozenset({"A", "AN", "THE"})
_ZH_MENTION = re.compile(r"[（(]([^（）()]+)[）)]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+$")
# Measure words that introduce a new person: 一位卖灯老人 -> 卖灯老人.
_ZH_MEASURES = ("一位", "一个", "一名", "一群", "一对", "一只", "这位", "那位", "位", "名")
_ZH_MAX_NAME = 4


def collect_characters(scenes: list[Scene], langs: dict[str, str]) -> dict[str, Character]:
    """Characters in order of first appearance, with descriptions and lang overrides."""
    speakers = {
        el.character for scene in scenes for el in scene.elements if isinstance(el, Dialogue)
    }
    found: dict[str, str] = {}  # name -> description, insertion-ordered
    for scene in scenes:
        for element in scene.elements:
            if isinstance(element, Dialogue):
                found.setdefault(element.character, "")
            elif isinstance(element, Action):
                for name, description in find_mentions(element.text, speakers):
                    if not found.get(name):
                        found[name] = description
    return {
        name: Character(name=name, description=description, lang=langs.get(name))
        for name, description in found.items()
    }


def with_lang_overrides(scenes: list[Scene], langs: dict[str, str]) -> list[Scene]:
    """A `[lang=xx]` tag on any cue sets the language of all that speaker's lines."""
    return with_langs(scenes, lambda line: langs.get(line.character))


def find_mentions(text: str, speakers: set[str]) -> list[tuple[str, str]]:
    """(name, description) pairs introduced in an action paragraph, in text order."""
    mentions: list[tuple[int, str, str]] = []
    for match in _EN_MENTION.finditer(text):
        words = match[1].split()
        while words and words[0] in _ARTICLES:
            words.pop(0)
        name = " ".join(words)
        if sum(c.isalpha() for c in name) >= 2 and is_speaker_name(name):
            mentions.append((match.start(), name, match[2].strip()))
    for match in _ZH_MENTION.finditer(text):
        zh_name = _zh_name(text[: match.start()], match[1], speakers)
        if zh_name:
            mentions.append((match.start(), zh_name, match[1].strip()))
    return [(name, description) for _, name, description in sorted(mentions)]


def _zh_name(before: str, description: str, speakers: set[str]) -> str | None:
    run = _HAN_RUN.search(before)
    if run is None:
        return None
    han = run[0]
    known = [s for s in speakers if all(is_han(c) for c in s) and han.endswith(s)]
    if known:
        return max(known, key=len)
    # Unknown name: only trust parentheses that read like a description, so an aside
    # such as 他笑了（苦笑） does not invent a character called 他笑了.
    if not re.search(r"[，,、]|岁", description):
        return None
    # The last measure word starts the name: 一个女孩和一位老人 -> 老人.
    cut = max((han.rindex(m) + len(m) for m in _ZH_MEASURES if m in han), default=0)
    han = han[cut:]
    han = han[-_ZH_MAX_NAME:]
    return han if len(han) >= 2 else None
