"""Scene understanding: the world of each scene, read from the script's words.

    worlds = extract_world(read_story(Path("story.fountain")))
    worlds[0].place.kind     # "night_market"
    worlds[0].things[0]      # Thing(kind="lantern", name="paper lanterns", holder=None)

Like WordsEye and Plotagon, it works by lexicon: nouns are looked up in the props,
settings and people vocabularies (storyreel/vocab/*.yaml, extended by the user),
verbs in the actions one, weather words in the weather one. Chinese is cut into words
by jieba first (script/segment.py); English is matched on words, plurals and verb
forms included.

People are the script's characters (speakers and CAPS mentions) and the unnamed
people the text describes ("a young woman", 白发剑士, 老和尚), each given a stable name
so they are cast once and stay the same across shots. A pronoun (he/she, 他/她) is the
most recent person it can be; it tells the gender of someone the text says nothing
else about. A held prop's holder is the doer of a verb that puts it in hand (holds,
拿着, 拔出, opens, drinks).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from storyreel.model import Action, Dialogue, Scene, Script
from storyreel.script.lexicon import (
    ACTION,
    PERSON,
    PROP,
    SETTING,
    WEATHER,
    Lexicon,
    Sense,
    lexicon,
    zh_words,
)
from storyreel.script.people import (
    age_band,
    build_of,
    colours_of,
    cue_gender,
    given_name_gender,
    title_gender,
)
from storyreel.script.prose import derive_time, sentence_spans
from storyreel.script.segment import Token, segmenter
from storyreel.script.text import is_han, word_set
from storyreel.vocab import Vocabulary, load_vocabulary
from storyreel.world import (
    Act,
    Beat,
    Gender,
    Person,
    Place,
    PlaceTime,
    SceneWorld,
    Thing,
    Weather,
)

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
    "vfx tv ok usa uk fbi cia"
)
_ZH_LOCATIVE = "上下里中边旁前后内外"
_ZH_ASPECT = "着了过"
_ZH_NUMERAL = "一二两三四五六七八九十几半每"
_CLAUSE = re.compile(r"[,;:，；：、]|\s—\s|\bthen\b")
_CLOSE_UP = re.compile(
    r"^\W*(?:[a-z]+\s+)?(?:close on|close[- ]?ups?(?:\s+(?:on|of))?|insert(?:\s+shot)?|"
    r"extreme close[- ]?up|ecu)\b|^\s*(?:大?特写|插入镜头)",
    re.IGNORECASE,
)
_CROWD_WORDS = re.compile(
    r"\b(?:crowds?|throngs?|passers-by|bustling|busy|packed|crowded)\b|人群|人潮|熙熙攘攘|熙攘|"
    r"人山人海|围观|拥挤",
    re.IGNORECASE,
)
_ENDED = re.compile(r"\b(?:stopped|stops|ended|ends|ceased|cleared|over)\b|停|散去|过后")
# Text that names no visible thing: descriptions in parentheses (already the
# character's), quoted words (a label's, a sign's), and the film camera.
_NOT_SEEN = re.compile(
    r"\([^()]*\)|（[^（）]*）|\"[^\"]*\"|“[^”]*”|「[^」]*」|\bthe camera\b", re.IGNORECASE
)
_OFF_SCREEN_NAMES = word_set(
    "voiceover voice-over narrator announcer v.o. vo 旁白 画外音 解说 配音"
)
_VOICE_OVER = frozenset(
    {"v.o.", "vo", "v.o", "voice over", "voice-over", "voiceover", "画外音", "旁白"}
)
_OFF_SCREEN = frozenset({"o.s.", "os", "o.c.", "oc", "off", "off screen", "off-screen", "画外"})


def extract_world(script: Script, vocabulary: Vocabulary | None = None) -> tuple[SceneWorld, ...]:
    """One SceneWorld per scene of `script`, in order."""
    vocabulary = vocabulary or load_vocabulary()
    reader = _Reader(script, vocabulary)
    scans = [reader.scan(scene) for scene in script.scenes]
    people = reader.people()
    return tuple(scan.world(people) for scan in scans)


# --- what a sentence mentions ------------------------------------------------------------


@dataclass
class _Hit:
    start: int
    end: int
    category: str  # SETTING, PROP, ACTION, WEATHER, PERSON, PRONOUN, NAME
    key: str  # a kind; a person's name for NAME; a gender for PRONOUN
    surface: str
    level: float = 0.5
    plural: bool = False
    modifiers: tuple[str, ...] = ()
    person: str | None = None  # filled in when a person is resolved
    token: int = 0  # the senses of one word share it
    numeral: bool = False  # written with a numeral before it in one word: 一剑


@dataclass(frozen=True)
class _Sentence:
    text: str
    hits: list[_Hit]


@dataclass
class _PersonState:
    name: str
    named: bool
    kind: str | None = None
    modifiers: frozenset[str] = frozenset()
    description: str = ""
    gender: Gender | None = None
    pronoun_gender: Gender | None = None
    extra: bool = False


@dataclass
class _ThingState:
    kind: str
    name: str
    holder: str | None = None


@dataclass
class _Scan:
    place: Place
    weather: dict[str, float] = field(default_factory=dict)
    people: list[str] = field(default_factory=list)
    things: dict[str, _ThingState] = field(default_factory=dict)
    crowd: bool = False
    beats: list[Beat] = field(default_factory=list)

    def world(self, people: dict[str, Person]) -> SceneWorld:
        return SceneWorld(
            place=self.place,
            weather=tuple(
                Weather.model_validate({"kind": k, "intensity": v}) for k, v in self.weather.items()
            ),
            people=tuple(people[name] for name in self.people),
            things=tuple(
                Thing(kind=t.kind, name=t.name, holder=t.holder) for t in self.things.values()
            ),
            crowd=self.crowd or any(people[name].extra for name in self.people),
            beats=tuple(self.beats),
        )


class _Reader:
    """Reads a script's scenes one after another; people are the story's, so the same
    unnamed person is recognised again in a later scene."""

    def __init__(self, script: Script, vocabulary: Vocabulary) -> None:
        self.script = script
        self.vocabulary = vocabulary
        self.lex = lexicon(vocabulary)
        self.persons: dict[str, _PersonState] = {}
        self._segmenter_ready = False
        self._tokens = itertools.count(1)
        speakers = {
            el.character
            for scene in script.scenes
            for el in scene.elements
            if isinstance(el, Dialogue)
        }
        for name in [*script.characters, *sorted(speakers)]:
            if name not in self.persons and not _voice_over_name(name):
                self._add_named(name)
        # English names by their lower-case words; Chinese names as written.
        self.en_names = {_possessive(n.casefold()): n for n in self.persons if not _has_han(n)}
        self.zh_names = sorted((n for n in self.persons if _has_han(n)), key=len, reverse=True)

    # --- people -----------------------------------------------------------------------

    def _add_named(self, name: str) -> None:
        character = self.script.characters.get(name)
        description = character.description if character else ""
        kind, modifiers = self._head(name)
        gender = (
            cue_gender(description, self.lex)
            or title_gender(name, self.lex)
            or (self.vocabulary.people[kind].gender if kind else None)
            or given_name_gender(name, self.lex)
        )
        self.persons[name] = _PersonState(
            name, True, kind, frozenset(modifiers), description, gender
        )

    def _head(self, name: str) -> tuple[str | None, list[str]]:
        """The kind of person a name is or ends with (CONDUCTOR: conductor; OLD SELLER:
        seller, after "old"; 卖灯老人: old_man, after 卖灯), so that "the old seller" or
        老人 later in the text is that character and not someone new."""
        if _has_han(name):
            parts: list[str] = list(name)
            joiner = ""
        else:
            parts = name.casefold().split()
            joiner = " "
        table = self.lex.zh if joiner == "" else self.lex.en
        for cut in range(len(parts)):
            for sense in table.get(joiner.join(parts[cut:]), ()):
                if sense.category == PERSON:
                    before = joiner.join(parts[:cut])
                    return sense.key, [before] if before and joiner == "" else parts[:cut]
        return None, []

    def _unnamed(self, hit: _Hit) -> str:
        """The person an unnamed mention is: one seen before with the same kind and
        agreeing words before it ("the woman" after "a young woman"), or a new one."""
        mods = frozenset(hit.modifiers)
        for person in self.persons.values():
            if (
                person.kind == hit.key
                and person.extra == hit.plural
                and (mods <= person.modifiers or person.modifiers <= mods)
            ):
                return person.name
        if _has_han(hit.surface):
            name = "".join(hit.modifiers) + hit.surface
        else:
            name = " ".join(["the", *hit.modifiers, hit.surface.casefold()])
        kind = self.vocabulary.people[hit.key]
        self.persons[name] = _PersonState(
            name,
            False,
            hit.key,
            mods,
            name.removeprefix("the "),
            cue_gender(name, self.lex) or kind.gender,
            extra=hit.plural,
        )
        return name

    def people(self) -> dict[str, Person]:
        out = {}
        for state in self.persons.values():
            text = state.description
            kind = self.vocabulary.people[state.kind] if state.kind else None
            age = age_band(text, state.modifiers) or (kind.age if kind else None)
            out[state.name] = Person(
                name=state.name,
                description=state.description,
                gender=state.gender or state.pronoun_gender,
                age=age,
                build=build_of(text),
                colours=colours_of(text),
                named=state.named,
                extra=state.extra,
            )
        return out

    # --- a scene ----------------------------------------------------------------------

    def scan(self, scene: Scene) -> _Scan:
        beats: list[tuple[int, Action | Dialogue, list[_Sentence]]] = []
        for index, element in enumerate(scene.elements):
            if isinstance(element, Action):
                text = _NOT_SEEN.sub(" ", element.text)
                parts = [text[s:e] for s, e in sentence_spans(text)]
                beats.append((index, element, [_Sentence(p, self._hits(p)) for p in parts]))
            elif isinstance(element, Dialogue):
                beats.append((index, element, []))
        prose = " ".join(e.text for _, e, _ in beats if isinstance(e, Action))
        heading_hits = self._hits(scene.location) if scene.location else []
        setting = _first(heading_hits, SETTING) or _first(
            (h for _, _, sentences in beats for sentence in sentences for h in sentence.hits),
            SETTING,
        )
        scan = _Scan(place=self._place(scene, setting, prose))
        scan.crowd = bool(setting and self.vocabulary.settings[setting.key].crowd) or bool(
            _CROWD_WORDS.search(prose)
        )
        recent: list[str] = []  # people of this scene, most recently mentioned last
        for index, element, sentences in beats:
            if isinstance(element, Dialogue):
                scan.beats.append(self._dialogue_beat(index, element, scan, recent))
                continue
            beat_people: list[str] = []
            acts: list[Act] = []
            things: list[str] = []
            for sentence in sentences:
                hits = sentence.hits
                self._resolve_people(hits, recent)
                for hit in hits:
                    if hit.person and hit.person not in beat_people:
                        beat_people.append(hit.person)
                    if hit.person and hit.person not in scan.people:
                        scan.people.append(hit.person)
                    # A word that names the place is not also a prop in it (驾船, "train").
                    if hit.category == PROP and not (setting and hit.token == setting.token):
                        name = hit.surface if _has_han(hit.surface) else hit.surface.casefold()
                        thing = scan.things.setdefault(hit.key, _ThingState(hit.key, name))
                        if thing.name not in things:
                            things.append(thing.name)
                        self._held_by_neighbour(hit, hits, thing)
                    if hit.category == WEATHER:
                        self._weather(hit, sentence.text, scan)
                acts += self._acts(sentence, scan)
            focus = self._focus(element.text, sentences, acts, beat_people, scan)
            scan.beats.append(
                Beat(
                    element=index,
                    people=tuple(beat_people),
                    actions=tuple(acts),
                    things=tuple(things),
                    focus=focus,
                )
            )
        # A group such as "five travellers" in a scene whose speakers are those
        # travellers is drawn once, as the speakers.
        named = tuple(p for p in scan.people if self.persons[p].named)
        if len(named) >= 2:
            groups = {p for p in scan.people if self.persons[p].extra}
            scan.people = [p for p in scan.people if p not in groups]
            scan.beats = [_replace_groups(beat, groups, named) for beat in scan.beats]
        return scan

    def _place(self, scene: Scene, setting: _Hit | None, prose: str) -> Place:
        kind = setting.key if setting else None
        interior = scene.interior if scene.interior in ("int", "ext") else None
        if interior is None and kind:
            interior = self.vocabulary.settings[kind].interior
        time: PlaceTime | None = scene.time or derive_time(prose)
        name = scene.location or (setting.surface if setting else "")
        return Place(kind=kind, name=name, interior=interior, time=time)

    def _held_by_neighbour(self, hit: _Hit, hits: list[_Hit], thing: _ThingState) -> None:
        """剑士一剑: a held prop written right after a person is theirs."""
        if thing.holder or not self.vocabulary.props[thing.kind].held:
            return
        for other in hits:
            # Side by side, or a numeral between: 剑士一剑 (the swordsman, one stroke).
            if other.person and _has_han(hit.surface) and hit.start - other.end in (0, 1):
                between = hit.surface if hit.start == other.end else None
                if between is not None or hit.numeral:
                    thing.holder = other.person

    def _dialogue_beat(self, index: int, element: Dialogue, scan: _Scan, recent: list[str]) -> Beat:
        name = element.character
        extensions = {e.strip().casefold() for e in element.extensions}
        if _voice_over_name(name) or extensions & _VOICE_OVER:
            return Beat(element=index)  # heard over the scene, never seen
        if name not in scan.people:
            scan.people.append(name)
        _touch(recent, name)
        if extensions & _OFF_SCREEN:
            # Heard from off screen: in the scene, not in this beat's picture.
            return Beat(element=index, actions=(Act(person=name, kind="speak"),))
        return Beat(
            element=index, people=(name,), actions=(Act(person=name, kind="speak"),), focus=name
        )

    def _resolve_people(self, hits: list[_Hit], recent: list[str]) -> None:
        seen: set[str] = set()  # people of this sentence so far
        for k, hit in enumerate(hits):
            if hit.category == NAME:
                hit.person = hit.key
            elif hit.category == PERSON:
                hit.person = self._unnamed(hit)
            elif hit.category == PRONOUN:
                # Right after a verb the pronoun is its object, and an object is not
                # the one doing it: in 老师看着他 / "the teacher watches him", he is
                # someone else. ("his" is never an object.)
                is_object = k > 0 and hits[k - 1].category == ACTION
                others = seen if is_object and hit.surface.casefold() != "his" else set()
                hit.person = self._pronoun(hit.key, [r for r in recent if r not in others])
            if hit.person:
                _touch(recent, hit.person)
                seen.add(hit.person)

    def _pronoun(self, gender: str, recent: list[str]) -> str | None:
        """The person mentioned last, when nothing says they are of the other gender
        (and if nothing said theirs, now the pronoun does); else the most recent person
        of that gender."""
        if recent:
            last = self.persons[recent[-1]]
            known = last.gender or last.pronoun_gender
            if not last.extra and known in (None, gender):
                if known is None:
                    last.pronoun_gender = "female" if gender == "female" else "male"
                return last.name
        for name in reversed(recent):
            person = self.persons[name]
            if not person.extra and (person.gender or person.pronoun_gender) == gender:
                return name
        return None

    def _weather(self, hit: _Hit, text: str, scan: _Scan) -> None:
        rest = text[hit.end :]
        boundary = _CLAUSE.search(rest)
        if _ENDED.search(rest[: boundary.start() if boundary else len(rest)][:24]):
            return  # "Rain has just stopped", 雨刚停: not falling now
        scan.weather[hit.key] = max(scan.weather.get(hit.key, 0.0), hit.level)

    def _acts(self, sentence: _Sentence, scan: _Scan) -> list[Act]:
        hits = sentence.hits
        acts = []
        people = [h for h in hits if h.person]
        for i, hit in enumerate(hits):
            if hit.category != ACTION:
                continue
            before = [h for h in people if h.end <= hit.start]
            doer = before[-1].person if before else (people[0].person if people else None)
            object_hit = _object(sentence, i, doer)
            target = None
            thing = None
            if object_hit is not None and object_hit.person:
                target = object_hit.person
            elif object_hit is not None and object_hit.key in scan.things:
                thing = scan.things[object_hit.key]
                target = thing.name
            acts.append(Act(person=doer, kind=hit.key, target=target))
            action = self.vocabulary.actions[hit.key]
            if (
                action.holds
                and doer
                and thing
                and self.vocabulary.props[thing.kind].held
                and thing.holder is None
            ):
                thing.holder = doer
        return acts

    def _focus(
        self,
        text: str,
        sentences: list[_Sentence],
        acts: list[Act],
        people: list[str],
        scan: _Scan,
    ) -> str | None:
        hits = [h for s in sentences for h in s.hits]
        if _CLOSE_UP.search(text):
            for hit in hits:
                if hit.category == PROP and hit.key in scan.things:
                    return scan.things[hit.key].name
                if hit.person:
                    return hit.person
        doers = [a.person for a in acts if a.person]
        if doers:
            return doers[0]
        if people:
            return people[0]
        things = [h for h in hits if h.category == PROP and h.key in scan.things]
        return scan.things[things[0].key].name if things else None

    # --- words ------------------------------------------------------------------------

    def _hits(self, text: str) -> list[_Hit]:
        return self._zh_hits(text) if _has_han(text) else self._en_hits(text)

    def _en_hits(self, text: str) -> list[_Hit]:
        words = [(m.start(), m.end(), m[0]) for m in _EN_WORDS.finditer(text)]
        lowered = [_possessive(w.casefold()) for _, _, w in words]
        hits: list[_Hit] = []
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
        return hits

    def _en_name(
        self, words: list[tuple[int, int, str]], lowered: list[str], i: int
    ) -> tuple[int, list[_Hit]] | None:
        # Only a capitalised word starts a name: "Will" is a person, "will" is not.
        if not words[i][2][0].isupper():
            return None
        for size in range(min(4, len(words) - i), 0, -1):
            phrase = " ".join(lowered[i : i + size])
            if phrase in self.en_names:
                start, end = words[i][0], words[i + size - 1][1]
                name = self.en_names[phrase]
                return size, [_Hit(start, end, NAME, name, name, token=next(self._tokens))]
        return None

    def _en_caps_name(
        self, words: list[tuple[int, int, str]], lowered: list[str], i: int, text: str
    ) -> tuple[int, list[_Hit]] | None:
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
        name = _possessive(text[start:end])
        if name not in self.persons:
            self._add_named(name)
            self.en_names[name.casefold()] = name
        return size, [_Hit(start, end, NAME, name, name, token=next(self._tokens))]

    def _en_word(
        self, words: list[tuple[int, int, str]], lowered: list[str], i: int, text: str
    ) -> tuple[int, list[_Hit]] | None:
        if lowered[i] in _EN_PRONOUNS:
            start, end, word = words[i]
            gender = _EN_PRONOUNS[lowered[i]]
            return 1, [_Hit(start, end, PRONOUN, gender, word, token=next(self._tokens))]
        for size in range(min(self.lex.en_longest, len(words) - i), 0, -1):
            phrase = " ".join(lowered[i : i + size])
            senses = self.lex.en.get(phrase)
            if not senses:
                continue
            start, end = words[i][0], words[i + size - 1][1]
            surface = text[start:end]
            hits = []
            token = next(self._tokens)
            for sense in senses:
                hit = _hit(start, end, sense, surface, token)
                if sense.category == PERSON:
                    hit.modifiers = _en_modifiers(lowered, i, self.lex)
                hits.append(hit)
            return size, hits
        return None

    def _zh_hits(self, text: str) -> list[_Hit]:
        if not self._segmenter_ready:
            segmenter().add_words(zh_words(self.lex))
            self._segmenter_ready = True
        tokens = list(self._zh_tokens(text))
        hits: list[_Hit] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.tag == NAME:
                hits.append(_Hit(token.start, token.end, NAME, token.word, token.word))
            elif token.word in _ZH_PRONOUNS:
                gender = _ZH_PRONOUNS[token.word]
                hits.append(_Hit(token.start, token.end, PRONOUN, gender, token.word))
            elif found := self._zh_name(tokens, i):
                size, name = found
                start, end = token.start, tokens[i + size - 1].end
                hits.append(_Hit(start, end, NAME, name, name, token=next(self._tokens)))
                i += size
                continue
            else:
                hits += self._zh_word(tokens, i)
            i += 1
        return hits

    def _zh_name(self, tokens: list[Token], i: int) -> tuple[int, str] | None:
        """A name the script never introduces, as a clause's subject: 李四 (a name in
        the dictionary), or a surname or 小/阿 with one or two characters the
        dictionary does not know (小明, 张三, 王芳), before a verb (走进, 在, 和)."""
        previous = tokens[i - 1] if i else None
        if previous is not None and previous.tag != "x" and previous.word not in _ZH_BEFORE_NAME:
            return None
        token = tokens[i]
        size = 1
        if token.tag == "nr" and 2 <= len(token.word) <= 3 and token.word not in self.lex.zh:
            name = token.word
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
        if after is None or not after.tag.startswith(("v", "d", "p", "c")):
            return None
        if name not in self.persons:
            self._add_named(name)
            self.zh_names = sorted([*self.zh_names, name], key=len, reverse=True)
        return size, name

    def _zh_tokens(self, text: str) -> Iterator[Token]:
        """Tokens of `text`, with the script's own names kept whole (tagged NAME)."""
        at = 0
        while at < len(text):
            found = min(
                ((text.find(n, at), n) for n in self.zh_names if text.find(n, at) >= 0),
                default=None,
                key=lambda pair: (pair[0], -len(pair[1])),
            )
            end = found[0] if found else len(text)
            if end > at:
                for token in segmenter().cut(text[at:end]):
                    yield Token(token.word, token.tag, token.start + at, token.end + at)
            if not found:
                return
            yield Token(found[1], NAME, found[0], found[0] + len(found[1]))
            at = found[0] + len(found[1])

    def _zh_word(self, tokens: list[Token], i: int) -> list[_Hit]:
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


def _hit(start: int, end: int, sense: Sense, surface: str, token: int) -> _Hit:
    return _Hit(
        start, end, sense.category, sense.key, surface, sense.level, sense.plural, token=token
    )


def _replace_groups(beat: Beat, groups: set[str], named: tuple[str, ...]) -> Beat:
    """The beat with a group of people replaced by the scene's named people."""
    if not groups & set(beat.people):
        return beat
    people = [p for p in beat.people if p not in groups]
    people += [p for p in named if p not in people]
    focus = None if beat.focus in groups else beat.focus
    acts = tuple(
        a.model_copy(update={"person": None}) if a.person in groups else a for a in beat.actions
    )
    return beat.model_copy(update={"people": tuple(people), "focus": focus, "actions": acts})


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


def _first(hits: Iterable[_Hit], category: str) -> _Hit | None:
    return next((hit for hit in hits if hit.category == category), None)


def _object(sentence: _Sentence, i: int, doer: str | None) -> _Hit | None:
    """What the verb at hits[i] acts on: the first person or prop after it in its
    clause, before the next verb ("clutching a folded map" -> the map)."""
    verb = sentence.hits[i]
    for hit in sentence.hits[i + 1 :]:
        if _CLAUSE.search(sentence.text[verb.end : hit.start]) or hit.category == ACTION:
            return None
        if (hit.person and hit.person != doer) or hit.category == PROP:
            return hit
    return None


def _touch(recent: list[str], name: str) -> None:
    if name in recent:
        recent.remove(name)
    recent.append(name)


def _is_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _has_han(text: str) -> bool:
    return any(is_han(c) for c in text)


def _voice_over_name(name: str) -> bool:
    return name.strip().casefold() in _OFF_SCREEN_NAMES
