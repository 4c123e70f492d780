"""What a sentence mentions: the people (by name, by kind, by pronoun), settings,
props, actions and weather its words name, found by the vocabularies' lexicon.

English is matched on words, longest phrase first; Chinese is cut into words by the
segmenter first, with the script's own names kept whole. A character the script
never introduces is found too: in capitals as a sentence's subject (Fountain's way,
"ANNA sets a cup down") or, in Chinese prose, a name before its verb (小明走进教室).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from storyreel.script.lexicon import ACTION, PERSON, PROP, WEATHER, Lexicon, Sense, zh_words
from storyreel.script.segment import Token, segmenter
from storyreel.script.text import is_han, word_set
from storyreel.world import Gender

PRONOUN = "pronoun"
NAME = "name"

_EN_PRONOUNS: dict[str, Gender] = {
    "he": "male",
    "him": "male",
    "his": "male",
    "himself": "male",
    "she": "female",
    "her": "female",
    "hers": "female",
    "herself": "female",
}
_ZH_PRONOUNS: dict[str, Gender] = {"他": "male", "她": "female"}
# "They fight", 两人交手: the people of the scene together. A pronoun hit's key is then
# GROUP rather than a gender.
GROUP = "group"
_EN_THEY = frozenset({"they", "both"})
# The pronouns that can be a verb's subject ("she rings", not "her rings").
_EN_SUBJECTS = frozenset({"he", "she", "they", "both"})
_ZH_THEY = frozenset({"他们", "她们", "两人", "二人", "双方", "俩人", "两个人"})


def _group_at(tokens: Sequence[Token], i: int) -> int:
    """How many tokens from `i` spell a group pronoun (两人 may come as 两 + 人); 0: none."""
    for size in (3, 2, 1):
        if "".join(t.word for t in tokens[i : i + size]) in _ZH_THEY:
            return size
    return 0


# Words that cannot stand between an article and its noun: "a young woman" keeps
# "young", "she gives the woman" does not keep "gives".
_EN_STOP = word_set(
    "a an the this that these those some any each every another other one two three four "
    "five six seven eight nine ten several many few both all his her their its my our your "
    "in on at by to of from with into onto over under near behind beside and or but as is "
    "are was were be been has have had not no who which while when then there here it"
)
_ZH_GROUP = ("群", "众", "些", "们")
# Tags of words that can describe a person before the noun: nouns, adjectives,
# distinguishing words (黑, 白发, 短发).
_ZH_MODIFIER_TAGS = ("n", "a", "b", "z", "ng", "nz", "nr")
_ZH_MAX_MODIFIER = 4
# Common surnames, and 小/阿 that start a familiar name (小明, 阿强).
_ZH_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹孟熊秦邱江尹薛段雷侯史陶贺顾毛郝龚邵万钱"
    "严武戴莫孔汤小阿"
)
_ZH_DIGIT_NAMES = frozenset("一二三四五六七八九")
_ZH_BEFORE_NAME = frozenset("和与跟同对向把被让给见叫")
_ZH_NOT_IN_NAME = ("v", "p", "c", "d", "u", "r", "m", "q", "x", "f")
# Capitalised words that are the trade's, not a character's.
_FILM_TERMS = word_set(
    "close on insert angle pov cu ecu mcu ws ms wide back to cut fade dissolve int ext super "
    "title titles montage series shots later continuous intercut flashback end the a an sfx "
    "vfx tv ok usa uk fbi cia night day morning evening dawn dusk noon midnight meanwhile "
    "suddenly silence boom bang crash"
)
_ZH_LOCATIVE = "上下里中边旁前后内外"
_ZH_ASPECT = "着了过"
_ZH_NUMERAL = "一二两三四五六七八九十几半每"


@dataclass
class Hit:
    """One mention; a word with several senses (\"train\": a setting and a prop) gives
    one hit per sense, sharing `token`."""

    start: int
    end: int
    category: str  # SETTING, PROP, ACTION, WEATHER, PERSON, PRONOUN, NAME
    key: str  # a kind; a person's name for NAME; a gender or GROUP for PRONOUN
    surface: str
    level: float = 0.5
    plural: bool = False
    modifiers: tuple[str, ...] = ()
    person: str | None = None  # filled in when a person is resolved
    group: tuple[str, ...] = ()  # a GROUP pronoun's people, when resolved
    token: int = 0  # the senses of one word share it
    numeral: bool = False  # written with a numeral before it in one word: 一剑


@dataclass(frozen=True)
class Sentence:
    text: str  # the sentence as scanned: descriptions and quotes blanked out
    hits: list[Hit]


class Mentions:
    """Finds what sentences mention. `names` are the script's characters; a name found
    in the text that the script never introduced is reported to `on_new_name`."""

    def __init__(self, lex: Lexicon, names: Iterable[str], on_new_name: Callable[[str], None]):
        self.lex = lex
        self._on_new_name = on_new_name
        names = list(names)
        # English names by their lower-case words; Chinese names as written, longest first.
        self.en_names = {possessive(n.casefold()): n for n in names if not has_han(n)}
        self.zh_names = sorted((n for n in names if has_han(n)), key=len, reverse=True)
        self._zh_pattern: re.Pattern[str] | None = None
        self._segmenter_ready = False
        self._tokens = itertools.count(1)

    def _new_name(self, name: str) -> None:
        if name in self.en_names.values() or name in self.zh_names:
            return
        if has_han(name):
            self.zh_names = sorted([*self.zh_names, name], key=len, reverse=True)
            self._zh_pattern = None
        else:
            self.en_names[name.casefold()] = name
        self._on_new_name(name)

    # --- words ------------------------------------------------------------------------

    def hits(self, text: str) -> list[Hit]:
        return self._zh_hits(text) if has_han(text) else self._en_hits(text)

    def _en_hits(self, text: str) -> list[Hit]:
        words = [(m.start(), m.end(), m[0]) for m in _EN_WORDS.finditer(text)]
        lowered = [possessive(w.casefold()) for _, _, w in words]
        hits: list[Hit] = []
        i = 0
        while i < len(words):
            found = (
                self._en_name(words, lowered, i)
                or self._en_caps_name(words, lowered, i, text)
                or self._en_word(words, lowered, i, text)
            )
            if not found:
                i += 1
                continue
            size, new = found
            hits += new
            i += size
        return [h for k, h in enumerate(hits) if not self._en_verb(h, hits[:k], text)]

    def _en_verb(self, hit: Hit, before: list[Hit], text: str) -> bool:
        """A prop's word used as a verb right after its subject: "A bell rings", "The
        camera pans left", "He bows" (but "her rings", "two rings" stay things)."""
        if hit.category != PROP or hit.surface.casefold() not in self.lex.prop_verbs:
            return False
        subject = next((h for h in reversed(before) if h.token != hit.token), None)
        if subject is None:
            return False
        senses = [h for h in before if h.token == subject.token]
        if not any(
            h.category in (PROP, PERSON, NAME)
            or (h.category == PRONOUN and h.surface.casefold() in _EN_SUBJECTS)
            for h in senses
        ):
            return False
        gap = text[subject.end : hit.start].split()
        return len(gap) == 0 or (len(gap) == 1 and gap[0].casefold().endswith("ly"))

    def _en_name(
        self, words: list[tuple[int, int, str]], lowered: list[str], i: int
    ) -> tuple[int, list[Hit]] | None:
        # Only a capitalised word starts a name: "Will" is a person, "will" is not.
        if not words[i][2][0].isupper():
            return None
        for size in range(min(4, len(words) - i), 0, -1):
            phrase = " ".join(lowered[i : i + size])
            if phrase in self.en_names:
                start, end = words[i][0], words[i + size - 1][1]
                name = self.en_names[phrase]
                return size, [Hit(start, end, NAME, name, name, token=next(self._tokens))]
        return None

    def _en_caps_name(
        self, words: list[tuple[int, int, str]], lowered: list[str], i: int, text: str
    ) -> tuple[int, list[Hit]] | None:
        """A character introduced in capitals without a description, as Fountain writers
        do: "ANNA sets a cup down", "MEI and TOM run". Only as a sentence's subject (its
        first word, or after "and" or a comma) before a lower-case word, and never a
        term of the trade (CLOSE ON, INSERT, POV) or a word of the vocabularies."""
        size = 0
        while i + size < len(words) and size < 3 and _is_caps(words[i + size][2]):
            size += 1
        if size == 0 or i + size >= len(words) or not words[i + size][2][0].islower():
            return None
        parts = lowered[i : i + size]
        if any(w in _FILM_TERMS or w in self.lex.en for w in parts):
            return None
        if i > 0 and lowered[i - 1] != "and" and not text[: words[i][0]].rstrip().endswith(","):
            return None
        start, end = words[i][0], words[i + size - 1][1]
        name = possessive(text[start:end])
        self._new_name(name)
        return size, [Hit(start, end, NAME, name, name, token=next(self._tokens))]

    def _en_word(
        self, words: list[tuple[int, int, str]], lowered: list[str], i: int, text: str
    ) -> tuple[int, list[Hit]] | None:
        if lowered[i] in _EN_PRONOUNS or lowered[i] in _EN_THEY:
            start, end, word = words[i]
            key = _EN_PRONOUNS.get(lowered[i], GROUP)
            return 1, [Hit(start, end, PRONOUN, key, word, token=next(self._tokens))]
        for size in range(min(self.lex.en_longest, len(words) - i), 0, -1):
            phrase = " ".join(lowered[i : i + size])
            senses = self.lex.en.get(phrase)
            if not senses:
                continue
            start, end = words[i][0], words[i + size - 1][1]
            surface = possessive(text[start:end])
            hits = []
            token = next(self._tokens)
            for sense in senses:
                hit = _hit(start, end, sense, surface, token)
                if sense.category == PERSON:
                    hit.modifiers = _en_modifiers(lowered, i, self.lex)
                hits.append(hit)
            return size, hits
        return None

    def _zh_hits(self, text: str) -> list[Hit]:
        if not self._segmenter_ready:
            segmenter().add_words(zh_words(self.lex))
            self._segmenter_ready = True
        tokens = list(self._zh_tokens(text))
        hits: list[Hit] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.tag == NAME:
                hits.append(Hit(token.start, token.end, NAME, token.word, token.word))
            elif token.word in _ZH_PRONOUNS:
                gender = _ZH_PRONOUNS[token.word]
                hits.append(Hit(token.start, token.end, PRONOUN, gender, token.word))
            elif size := _group_at(tokens, i):
                end = tokens[i + size - 1].end
                hits.append(Hit(token.start, end, PRONOUN, GROUP, text[token.start : end]))
                i += size
                continue
            elif found := self._zh_name(tokens, i):
                size, name = found
                start, end = token.start, tokens[i + size - 1].end
                hits.append(Hit(start, end, NAME, name, name, token=next(self._tokens)))
                i += size
                continue
            else:
                hits += self._zh_word(tokens, i)
            i += 1
        return hits

    def _zh_name(self, tokens: list[Token], i: int) -> tuple[int, str] | None:
        """A name the script never introduces, as a clause's subject: 李四 (a name in
        the dictionary), or a surname or 小/阿 with one or two characters the
        dictionary does not know (小明, 张三, 王芳), before a verb (走进, 在, 和) or 的."""
        previous = tokens[i - 1] if i else None
        if previous is not None and previous.tag != "x" and previous.word not in _ZH_BEFORE_NAME:
            return None
        token = tokens[i]
        size = 1
        if (
            token.tag == "nr"
            and 2 <= len(token.word) <= 3
            and token.word[0] in _ZH_SURNAMES
            and token.word not in self.lex.zh
            and not any(token.word in cues["zh"] for cues in self.lex.words.values())
        ):
            name = token.word  # 李四, 林黛玉; not 胡子 (a beard) nor 白发 (white hair)
        elif token.word in _ZH_SURNAMES:
            name = token.word
            while (
                i + size < len(tokens)
                and size <= 2
                and len(tokens[i + size].word) == 1
                and is_han(tokens[i + size].word)
                and (
                    not tokens[i + size].tag.startswith(_ZH_NOT_IN_NAME)
                    or tokens[i + size].word in _ZH_DIGIT_NAMES  # 张三, 李四, 王五
                )
                and tokens[i + size].word not in self.lex.zh
            ):
                name += tokens[i + size].word
                size += 1
            if len(name) < 2:
                return None
        else:
            return None
        after = tokens[i + size] if i + size < len(tokens) else None
        if after is None or not (after.tag.startswith(("v", "d", "p", "c")) or after.word == "的"):
            return None
        self._new_name(name)
        return size, name

    def _zh_tokens(self, text: str) -> Iterator[Token]:
        """Tokens of `text`, with the script's own names kept whole (tagged NAME)."""
        at = 0
        for found in self._zh_name_pattern().finditer(text) if self.zh_names else ():
            if found.start() > at:
                for token in segmenter().cut(text[at : found.start()]):
                    yield Token(token.word, token.tag, token.start + at, token.end + at)
            yield Token(found[0], NAME, found.start(), found.end())
            at = found.end()
        if at < len(text):
            for token in segmenter().cut(text[at:]):
                yield Token(token.word, token.tag, token.start + at, token.end + at)

    def _zh_name_pattern(self) -> re.Pattern[str]:
        # Longest first, so 卖灯老人 is found whole rather than as 老人.
        if self._zh_pattern is None:
            self._zh_pattern = re.compile("|".join(re.escape(n) for n in self.zh_names))
        return self._zh_pattern

    def _zh_word(self, tokens: list[Token], i: int) -> list[Hit]:
        token = tokens[i]
        word, start = token.word, token.start
        senses = self.lex.zh.get(word)
        prefix = ""
        if not senses and len(word) > 1 and word[-1] in _ZH_ASPECT + _ZH_LOCATIVE:
            # 拿着 -> 拿, 桌上 -> 桌, 窗边 -> 窗
            senses = self.lex.zh.get(word[:-1])
            word = word[:-1]
        if not senses and len(word) > 2:
            # The head of a compound is its last word: 纸灯笼 -> 灯笼, 老和尚 -> 和尚.
            for cut in range(1, len(word) - 1):
                if word[cut:] in self.lex.zh:
                    prefix, word = word[:cut], word[cut:]
                    senses = self.lex.zh[word]
                    break
        if not senses and len(word) == 2 and word[0] in _ZH_NUMERAL:
            # 一剑, 一碗: a numeral with a noun.
            senses = self.lex.zh.get(word[1])
            prefix, word = word[0], word[1]
        if not senses:
            return []
        hits = []
        previous = tokens[i - 1] if i else None
        number = next(self._tokens)
        for sense in senses:
            if (
                sense.category == WEATHER
                and len(word) == 1
                and previous is not None
                and previous.tag in ("m", "q")
            ):
                continue  # 一个月 is a month, not the moon
            hit = _hit(start + len(prefix), token.end, sense, word, number)
            hit.numeral = bool(prefix) and prefix in _ZH_NUMERAL
            if sense.category == PERSON:
                mods = _zh_modifiers(tokens, i, self.lex)
                if prefix and prefix not in _ZH_NUMERAL:
                    mods.append(prefix)
                hit.modifiers = tuple(mods)
                following = tokens[i + 1].word if i + 1 < len(tokens) else ""
                group = previous is not None and any(g in previous.word for g in _ZH_GROUP)
                hit.plural = group or following == "们"
            hits.append(hit)
        if len(word) > 1 and any(sense.category == ACTION for sense in senses):
            # A verb with its object in one word: 拔刀 draws a knife, 喝茶 drinks tea.
            for cut in range(1, len(word)):
                props = [s for s in self.lex.zh.get(word[cut:], ()) if s.category == PROP]
                if props:
                    at = start + len(prefix) + cut
                    hits += [_hit(at, token.end, p, word[cut:], number) for p in props]
                    break
        return hits


# --- helpers -------------------------------------------------------------------------------

_EN_WORDS = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


def _hit(start: int, end: int, sense: Sense, surface: str, token: int) -> Hit:
    return Hit(
        start, end, sense.category, sense.key, surface, sense.level, sense.plural, token=token
    )


def _en_modifiers(lowered: list[str], i: int, lex: Lexicon) -> tuple[str, ...]:
    """Up to two describing words right before a person noun: "a young woman", "an old
    fisherman"; never an article, a number or a word of the vocabularies."""
    mods: list[str] = []
    j = i - 1
    while j >= 0 and len(mods) < 2:
        word = lowered[j]
        if word in _EN_STOP or word in _EN_PRONOUNS or word in lex.en or not word.isalpha():
            break
        mods.insert(0, word)
        j -= 1
    return tuple(mods)


def _zh_modifiers(tokens: list[Token], i: int, lex: Lexicon) -> list[str]:
    """The describing words right before a person noun: 白发 in 白发剑士, 黑 甲 in 黑甲武士;
    never past a numeral, a measure word, a verb or punctuation (一个, 在, ，)."""
    mods: list[str] = []
    size = 0
    j = i - 1
    while j >= 0:
        token = tokens[j]
        if not token.tag.startswith(_ZH_MODIFIER_TAGS) or token.word in lex.zh:
            break
        if token.tag == NAME or size + len(token.word) > _ZH_MAX_MODIFIER:
            break
        mods.insert(0, token.word)
        size += len(token.word)
        j -= 1
    return mods


def _is_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def possessive(word: str) -> str:
    """The word without a possessive 's: MEI'S -> MEI, dragon's -> dragon."""
    if word[-2:].casefold() in ("'s", "’s"):
        return word[:-2]
    return word


# The ranges text.is_han knows, as one search: this runs on every sentence.
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f〇]")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None
