"""What the text says about how a person looks: gender, age band, build and colours.

Each reads a description ("20s, red raincoat, short black hair", 七十多岁，灰胡子) or
the words a text puts before an unnamed person (白发, "old"); nothing here guesses what
the text does not say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from storyreel.script.lexicon import Lexicon
from storyreel.script.text import is_han, word_set
from storyreel.world import AgeBand, Build, Colours, Gender

_EN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def cue_gender(text: str, lex: Lexicon) -> Gender | None:
    """The gender the description's words say, by majority; None when they are silent
    or split evenly."""
    lowered = text.casefold()
    words = _EN_WORD.findall(lowered)
    counts: dict[str, int] = {}
    for gender, cues in lex.words.items():
        count = sum(word in cues["en"] for word in words)
        count += _count_zh(lowered, cues["zh"])
        counts[gender] = count
    return _majority(counts)


def title_gender(name: str, lex: Lexicon) -> Gender | None:
    """Mrs Chen, MR. LEE, 王先生, 李奶奶."""
    words = name.casefold().replace(".", " ").split()
    for gender, titles in lex.titles.items():
        if words and words[0] in titles["en"]:
            return _gender(gender)
        if any(name.startswith(t) or name.endswith(t) for t in titles["zh"] if len(name) > len(t)):
            return _gender(gender)
    return None


def given_name_gender(name: str, lex: Lexicon) -> Gender | None:
    """A common given name: any word of a Latin name (ANNA, LI WEI), or the last
    character of a two- or three-character Chinese name (小梅)."""
    words = [w.strip("'’.") for w in name.casefold().split()]
    han = all(is_han(c) for c in name) and 2 <= len(name) <= 3
    for gender, given in lex.given.items():
        if any(word in given["en"] for word in words):
            return _gender(gender)
        if han and name[-1] in given["zh"]:
            return _gender(gender)
    return None


def _gender(value: str) -> Gender | None:
    return "female" if value == "female" else "male" if value == "male" else None


def _majority(counts: dict[str, int]) -> Gender | None:
    female, male = counts.get("female", 0), counts.get("male", 0)
    if female > male:
        return "female"
    if male > female:
        return "male"
    return None


def _count_zh(text: str, words: Iterable[str]) -> int:
    """Chinese cue words, longest first, each character counted once: 姐夫 is not 姐."""
    used = [False] * len(text)
    count = 0
    for word in sorted(words, key=len, reverse=True):
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            if not any(used[start:end]):
                count += 1
                used[start:end] = [True] * len(word)
            start = text.find(word, end)
    return count


# --- age ------------------------------------------------------------------------------

_EN_DECADE = re.compile(r"\b(\d)0['’]?s\b")
# "45 years old", or a description that starts with the age alone: "(10, yellow hoodie)".
_EN_YEARS = re.compile(r"\b(\d{1,3})[\s-]*(?:years?|yrs?)[\s-]*old\b|^\s*(\d{1,3})\s*(?:[,，]|$)")
_ZH_AGE = re.compile(r"([零〇一二两三四五六七八九十百0-9]+)\s*(多|来|几)?\s*岁")
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_AGE_WORDS: tuple[tuple[AgeBand, frozenset[str], frozenset[str]], ...] = (
    (
        "old",
        word_set("old elderly aged ancient wrinkled frail grey-haired gray-haired"),
        word_set("老人 老头 老太 老者 老汉 老翁 老奶奶 老爷爷 老妇 年迈 苍老 老年 花甲 古稀 耄耋"),
    ),
    ("middle", word_set("middle-aged"), word_set("中年 半百")),
    (
        "child",
        word_set("child kid little toddler baby infant"),
        word_set("孩子 小孩 儿童 幼"),
    ),
    ("teen", word_set("teen teenage teenager adolescent"), word_set("少年 少女")),
    ("young", word_set("young youthful"), word_set("年轻 青年")),
)


def age_band(text: str, modifiers: Iterable[str] = ()) -> AgeBand | None:
    """Numbers first ("20s", 七十多岁, "45 years old"), then words (old, 年迈); a
    modifier 老 or 小 right before an unnamed person (老和尚, 小和尚)."""
    years: float | None = None
    if m := _EN_DECADE.search(text):
        years = int(m[1]) * 10 + 5
    elif m := _ZH_AGE.search(text):
        value = zh_number(m[1])
        years = None if value is None else value + (3 if m[2] else 0)
    elif m := _EN_YEARS.search(text):
        years = float(m[1] or m[2])
    if years is not None:
        return _band(years)
    lowered = text.casefold()
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)?", lowered))
    for band, en, zh in _AGE_WORDS:
        if words & en or any(w in text for w in zh):
            return band
    mods = set(modifiers)
    if "老" in mods:
        return "old"
    if "小" in mods:
        return "child"
    return None


def _band(years: float) -> AgeBand:
    if years < 13:
        return "child"
    if years < 20:
        return "teen"
    if years < 35:
        return "young"
    if years < 45:
        return "adult"
    if years < 60:
        return "middle"
    return "old"


def zh_number(text: str) -> int | None:
    """二十 -> 20, 七十 -> 70, 十五 -> 15; digits as they are."""
    if text.isdigit():
        return int(text)
    total = current = 0
    for ch in text:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


# --- build and colours -----------------------------------------------------------------

_BUILDS: tuple[tuple[Build, frozenset[str], frozenset[str]], ...] = (
    (
        "heavy",
        word_set("heavy fat stout stocky plump burly portly chubby"),
        word_set("胖 肥胖 壮硕 魁梧 发福"),
    ),
    (
        "muscular",
        word_set("muscular brawny athletic strong hulking"),
        word_set("健壮 强壮 结实 肌肉"),
    ),
    (
        "slim",
        word_set("slim thin skinny slender lanky wiry gaunt"),
        word_set("瘦 瘦削 纤细 苗条 消瘦"),
    ),
    ("tall", word_set("tall towering"), word_set("高大 高个 高挑 高瘦")),
    ("short", word_set("short petite"), word_set("矮 矮小 个子不高")),
)
_COLOURS: dict[str, tuple[str, ...]] = {
    "red": ("red", "crimson", "scarlet", "红", "赤"),
    "orange": ("orange", "橙", "橘"),
    "yellow": ("yellow", "黄"),
    "gold": ("gold", "golden", "金"),
    "green": ("green", "绿", "翠"),
    "blue": ("blue", "navy", "蓝"),
    "purple": ("purple", "violet", "紫"),
    "pink": ("pink", "粉"),
    "brown": ("brown", "棕", "褐"),
    "black": ("black", "dark", "黑", "乌", "玄"),
    "white": ("white", "白"),
    "grey": ("grey", "gray", "灰"),
    "silver": ("silver", "silver-haired", "银"),
}
_HAIR = ("hair", "haired", "ponytail", "braid", "braids", "bun", "发", "辫", "鬓")
_BEARD = ("beard", "bearded", "moustache", "mustache", "胡", "须")


def build_of(text: str) -> Build | None:
    for item in _items(text):
        if _has(item, _HAIR):
            continue  # "short black hair" says nothing of the body
        words = set(re.findall(r"[a-z]+", item.casefold()))
        for build, en, zh in _BUILDS:
            if words & en or any(w in item for w in zh):
                return build
    return None


def colours_of(text: str) -> Colours:
    """Hair colour (a beard's when the hair's is not given) and clothing colours."""
    hair = beard = None
    clothing: list[str] = []
    for item in _items(text):
        colour = _colour(item)
        if colour is None:
            continue
        if _has(item, _HAIR):
            hair = hair or colour
        elif _has(item, _BEARD):
            beard = beard or colour
        elif colour not in clothing and not _has(item, ("eye", "skin", "眼", "肤")):
            clothing.append(colour)  # "red raincoat", "a woman in red", 黑甲
    return Colours(hair=hair or beard, clothing=tuple(clothing))


def _items(text: str) -> list[str]:
    return [item for item in re.split(r"[,，、;；]|\band\b|\bwith\b", text) if item.strip()]


def _has(item: str, words: Iterable[str]) -> bool:
    lowered = item.casefold()
    for word in words:
        if is_han(word[0]):
            if word in item:
                return True
        elif re.search(rf"\b{re.escape(word)}", lowered):
            return True
    return False


def _colour(item: str) -> str | None:
    lowered = item.casefold()
    best: tuple[int, str] | None = None
    for colour, words in _COLOURS.items():
        for word in words:
            at = lowered.find(word) if is_han(word[0]) else _word_at(lowered, word)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, colour)
    return best[1] if best else None


def _word_at(text: str, word: str) -> int:
    m = re.search(rf"\b{re.escape(word)}\b", text)
    return m.start() if m else -1
