"""Every word of the vocabularies, in the forms a text writes it: the lookup tables that
scene understanding matches words against.

English words get their inflections (lantern -> lanterns, walk -> walks, walked,
walking); Chinese words are added to the segmenter's dictionary so 面摊 or 月下 are cut
as one word. Built once per vocabulary and cached.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from storyreel.vocab import Vocabulary

# What a word can be.
SETTING = "setting"
PROP = "prop"
ACTION = "action"
WEATHER = "weather"
PERSON = "person"


@dataclass(frozen=True)
class Sense:
    category: str  # SETTING, PROP, ...
    key: str  # the kind: "lantern", "walk", "woman"
    level: float = 0.5  # a weather word's intensity
    plural: bool = False  # "travellers", a group


@dataclass(frozen=True)
class Lexicon:
    # English phrases (lower-case words joined by one space) and Chinese words -> senses.
    en: dict[str, tuple[Sense, ...]] = field(default_factory=dict)
    zh: dict[str, tuple[Sense, ...]] = field(default_factory=dict)
    en_longest: int = 1  # words in the longest English phrase
    # Gender cues: lower-case English words and Chinese words per gender.
    words: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    titles: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    given: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    # English forms of props that are also verbs ("rings"): see PropKind.verbs.
    prop_verbs: frozenset[str] = frozenset()


_LEVELS = {"light": 0.25, "normal": 0.5, "heavy": 0.9}


@functools.cache
def lexicon(vocabulary: Vocabulary) -> Lexicon:
    en: dict[str, list[Sense]] = {}
    zh: dict[str, list[Sense]] = {}

    def add(table: dict[str, list[Sense]], word: str, sense: Sense) -> None:
        senses = table.setdefault(word, [])
        if sense not in senses:
            senses.append(sense)

    for kinds, category in (
        (vocabulary.settings, SETTING),
        (vocabulary.props, PROP),
        (vocabulary.people, PERSON),
    ):
        for key, entry in kinds.items():
            for word in entry.en:
                add(en, word, Sense(category, key))
                for plural in plurals(word):
                    if plural != word:
                        add(en, plural, Sense(category, key, plural=category == PERSON))
            for word in entry.zh:
                add(zh, word, Sense(category, key))
    for key, action in vocabulary.actions.items():
        for word in action.en:
            for form in verb_forms(word):
                add(en, form, Sense(ACTION, key))
        for word in action.zh:
            add(zh, word, Sense(ACTION, key))
    for key, weather in vocabulary.weather.items():
        for level, words in (
            ("normal", (*weather.en, *weather.zh)),
            ("light", weather.light),
            ("heavy", weather.heavy),
        ):
            for word in words:
                sense = Sense(WEATHER, key, level=_LEVELS[level])
                # A word listed as light or heavy is that, not also moderate.
                table = zh if _is_han(word) else en
                table[word] = [s for s in table.get(word, []) if s.key != key]
                add(table, word, sense)
    cues = {
        part: {
            gender: {
                "en": frozenset(getattr(entry, part).en),
                "zh": frozenset(getattr(entry, part).zh),
            }
            for gender, entry in vocabulary.names.items()
        }
        for part in ("words", "titles", "given")
    }
    return Lexicon(
        en={k: tuple(v) for k, v in en.items()},
        zh={k: tuple(v) for k, v in zh.items()},
        en_longest=max((len(k.split()) for k in en), default=1),
        words=cues["words"],
        titles=cues["titles"],
        given=cues["given"],
        prop_verbs=frozenset(w for prop in vocabulary.props.values() for w in prop.verbs),
    )


def zh_words(lex: Lexicon) -> list[tuple[str, str]]:
    """(word, part of speech) for the segmenter's dictionary."""
    return [(word, "v" if senses[0].category == ACTION else "n") for word, senses in lex.zh.items()]


def _is_han(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in word)


_ES = re.compile(r"(?:s|sh|ch|x|z)$")
_CVC = re.compile(r"^[^aeiou]*[aeiou][^aeiouwxy]$")


def plurals(phrase: str) -> tuple[str, ...]:
    """The phrase with its last word in the plural: "paper lantern" -> "paper lanterns"."""
    *head, word = phrase.split(" ")
    if word.endswith("man"):
        forms = [word[:-3] + "men"]
    elif _ES.search(word):
        forms = [word + "es"]
    elif word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        forms = [word[:-1] + "ies"]
    elif word.endswith("f"):
        forms = [word + "s", word[:-1] + "ves"]
    elif word.endswith("fe"):
        forms = [word + "s", word[:-2] + "ves"]
    else:
        forms = [word + "s"]
    return tuple(" ".join([*head, form]) for form in forms)


def verb_forms(phrase: str) -> tuple[str, ...]:
    """The phrase with its first word in each form: "look at" -> "looks at", "looked
    at", "looking at". Irregular forms are listed in the vocabulary itself."""
    word, *rest = phrase.split(" ")
    forms = {word}
    if _ES.search(word) or word.endswith("o"):
        forms.add(word + "es")
    elif word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    else:
        forms.add(word + "s")
    stem = word
    if len(word) <= 4 and _CVC.match(word):
        stem = word + word[-1]  # hug -> hugged, hugging; run -> running
    if word.endswith("ie"):
        forms |= {word + "d", word[:-2] + "ying"}
    elif word.endswith("e") and not word.endswith("ee"):
        forms |= {word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ied", word + "ing"}
    else:
        forms |= {stem + "ed", stem + "ing"}
    return tuple(" ".join([form, *rest]) for form in sorted(forms))
