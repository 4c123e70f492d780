"""Scene understanding: the world of each scene, read from the script's words.

    worlds = extract_world(read_story(Path("story.fountain")))
    worlds[0].place.kind     # "night_market"
    worlds[0].things[0]      # Thing(kind="lantern", name="paper lanterns", holder=None)

Like WordsEye and Plotagon, it works by lexicon: nouns are looked up in the props,
settings and people vocabularies (storyreel/vocab/*.yaml, extended by the user),
verbs in the actions one, weather words in the weather one. Chinese is cut into words
by jieba first (script/segment.py); English is matched on words, plurals and verb
forms included (script/mentions.py finds what each sentence mentions).

People are the script's characters (speakers and CAPS mentions) and the unnamed
people the text describes ("a young woman", 白发剑士, 老和尚), each given a stable name
so they are cast once and stay the same across shots. A pronoun (he/she, 他/她) is the
most recent person it can be; it tells the gender of someone the text says nothing
else about. A held prop's holder is the doer of a verb that puts it in hand (holds,
拿着, 拔出, opens, drinks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from storyreel.model import Action, Dialogue, Scene, Script
from storyreel.script.lexicon import (
    ACTION,
    PERSON,
    PROP,
    SETTING,
    WEATHER,
    lexicon,
)
from storyreel.script.mentions import GROUP, NAME, PRONOUN, Hit, Mentions, Sentence, has_han
from storyreel.script.people import (
    age_band,
    build_of,
    colours_of,
    cue_gender,
    given_name_gender,
    title_gender,
)
from storyreel.script.prose import derive_time, sentence_spans
from storyreel.script.text import word_set
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

_WITH = re.compile(
    r"\bwith\s+(?:a|an|the|his|her|their|its|one)?\s*(?:[a-z]+\s+)?$|用(?:一[把根支个只])?$"
)
_SKY_TIMES: tuple[tuple[str, PlaceTime], ...] = (
    ("moon_stars", "night"),
    ("sunrise", "dawn"),
    ("sunset", "dusk"),
    ("clear", "day"),
)
_NEGATED = re.compile(r"\b(?:without|not|never|no)\b|不|没|未|别", re.IGNORECASE)
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
_ENDED = re.compile(
    r"\b(?:stopped|stops|ended|ends|ceased|cleared|(?:is|was|are) over)\b|停|散去|过后"
)
# Text that names no visible thing: descriptions in parentheses (already the
# character's), quoted words (a label's, a sign's), and the film camera.
_NOT_SEEN = re.compile(
    r"\([^()]*\)|（[^（）]*）|\"[^\"]*\"|“[^”]*”|「[^」]*」"
    # The camera and what it does ("the camera pans left": no pans are in the picture).
    r"|\bthe camera(?:\s+\w+ly)?\s+(?:pan|tilt|push|pull|track|doll(?:y|ie)|zoom|crane|move"
    r"|follow|hold|rise|drift|swing|whip|circle|orbit|find|settle|linger|glide|sweep|rack)\w*"
    r"|\bthe camera\b",
    re.IGNORECASE,
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


# --- what is known so far ---------------------------------------------------------------


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
        speakers = {
            el.character
            for scene in script.scenes
            for el in scene.elements
            if isinstance(el, Dialogue)
        }
        for name in [*script.characters, *sorted(speakers)]:
            if name not in self.persons and not _voice_over_name(name):
                self._add_named(name)
        self.mentions = Mentions(self.lex, list(self.persons), self._add_named)

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
        if has_han(name):
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

    def _unnamed(self, hit: Hit) -> str:
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
        if has_han(hit.surface):
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
            # A name can describe too: OLD SELLER is old, 白发剑士 white-haired.
            text = f"{state.description}, {state.name}" if state.named else state.description
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
        beats: list[tuple[int, Action | Dialogue, list[Sentence]]] = []
        for index, element in enumerate(scene.elements):
            if isinstance(element, Action):
                text = _NOT_SEEN.sub(" ", element.text)
                parts = [text[s:e] for s, e in sentence_spans(text)]
                beats.append((index, element, [Sentence(p, self.mentions.hits(p)) for p in parts]))
            elif isinstance(element, Dialogue):
                beats.append((index, element, []))
        prose = " ".join(e.text for _, e, _ in beats if isinstance(e, Action))
        heading_hits = self.mentions.hits(scene.location) if scene.location else []
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
            scan.beats.append(self._action_beat(index, element, sentences, setting, scan, recent))
        if scan.place.time is None:
            # No time said, but the sky tells it: a moon is night, a sunrise dawn.
            for kind, time in _SKY_TIMES:
                if kind in scan.weather:
                    scan.place = scan.place.model_copy(update={"time": time})
                    break
        # A group such as "five travellers" in a scene whose speakers are those
        # travellers is drawn once, as the speakers.
        named = tuple(p for p in scan.people if self.persons[p].named)
        if len(named) >= 2:
            groups = {p for p in scan.people if self.persons[p].extra}
            scan.people = [p for p in scan.people if p not in groups]
            scan.beats = [_replace_groups(beat, groups, named) for beat in scan.beats]
        return scan

    def _action_beat(
        self,
        index: int,
        element: Action,
        sentences: list[Sentence],
        setting: Hit | None,
        scan: _Scan,
        recent: list[str],
    ) -> Beat:
        people: list[str] = []
        acts: list[Act] = []
        things: list[str] = []
        for sentence in sentences:
            hits = sentence.hits
            self._resolve_people(hits, recent)
            for hit in hits:
                if hit.person and hit.person not in people:
                    people.append(hit.person)
                if hit.person and hit.person not in scan.people:
                    scan.people.append(hit.person)
                # A word that names the place is not also a prop in it (驾船, "train").
                if hit.category == PROP and not (setting and hit.token == setting.token):
                    name = hit.surface if has_han(hit.surface) else hit.surface.casefold()
                    thing = scan.things.setdefault(hit.key, _ThingState(hit.key, name))
                    if thing.name not in things:
                        things.append(thing.name)
                    self._held_by_neighbour(hit, hits, thing)
                if hit.category == WEATHER:
                    self._weather(hit, sentence.text, scan)
            acts += self._acts(sentence, scan)
        return Beat(
            element=index,
            people=tuple(people),
            actions=tuple(acts),
            things=tuple(things),
            focus=self._focus(element.text, sentences, acts, people, scan),
        )

    def _place(self, scene: Scene, setting: Hit | None, prose: str) -> Place:
        kind = setting.key if setting else None
        interior = scene.interior if scene.interior in ("int", "ext") else None
        if interior is None and kind:
            interior = self.vocabulary.settings[kind].interior
        time: PlaceTime | None = scene.time or derive_time(prose)
        name = scene.location or (setting.surface if setting else "")
        return Place(kind=kind, name=name, interior=interior, time=time)

    def _held_by_neighbour(self, hit: Hit, hits: list[Hit], thing: _ThingState) -> None:
        """剑士一剑: a held prop written right after a person is theirs."""
        if thing.holder or not self.vocabulary.props[thing.kind].held:
            return
        for other in hits:
            if not other.person or not has_han(hit.surface):
                continue
            # Side by side, or a numeral between: 剑士一剑 (the swordsman, one stroke).
            gap = hit.start - other.end
            if gap == 0 or (gap == 1 and hit.numeral):
                thing.holder = other.person

    def _dialogue_beat(self, index: int, element: Dialogue, scan: _Scan, recent: list[str]) -> Beat:
        name = element.character
        extensions = {e.strip().casefold() for e in element.extensions}
        if _voice_over_name(name) or extensions & _VOICE_OVER:
            return Beat(element=index)  # heard over the scene, never seen
        if name not in scan.people:
            scan.people.append(name)
        _touch(recent, name)
        acts = [Act(person=name, kind="speak")]
        # How the line is said, when it is something to see: (laughing), （笑）, (crying).
        for aside in element.parentheticals:
            if _NEGATED.search(aside):
                continue  # (without looking up), （头也不抬）
            for hit in self.mentions.hits(aside):
                if hit.category == ACTION and hit.key not in {a.kind for a in acts}:
                    acts.append(Act(person=name, kind=hit.key))
        if extensions & _OFF_SCREEN:
            # Heard from off screen: in the scene, not in this beat's picture.
            return Beat(element=index, actions=tuple(acts))
        return Beat(element=index, people=(name,), actions=tuple(acts), focus=name)

    def _resolve_people(self, hits: list[Hit], recent: list[str]) -> None:
        seen: set[str] = set()  # people of this sentence so far
        for k, hit in enumerate(hits):
            if hit.category == NAME:
                hit.person = hit.key
            elif hit.category == PERSON:
                hit.person = self._unnamed(hit)
            elif hit.category == PRONOUN and hit.key == GROUP:
                # "They", 两人: the last two people mentioned, none of them a crowd.
                hit.group = tuple([r for r in recent if not self.persons[r].extra][-2:])
                continue
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

    def _weather(self, hit: Hit, text: str, scan: _Scan) -> None:
        rest = text[hit.end :]
        boundary = _CLAUSE.search(rest)
        if _ENDED.search(rest[: boundary.start() if boundary else len(rest)][:24]):
            return  # "Rain has just stopped", 雨刚停: not falling now
        scan.weather[hit.key] = max(scan.weather.get(hit.key, 0.0), hit.level)

    def _acts(self, sentence: Sentence, scan: _Scan) -> list[Act]:
        hits = sentence.hits
        acts = []
        people = [h for h in hits if h.person or h.group]
        for i, hit in enumerate(hits):
            if hit.category != ACTION:
                continue
            if i > 0 and hits[i - 1].category == WEATHER:
                continue  # "Snow falls", 雨打在窗上: the weather does it, not a person
            before = [h for h in people if h.end <= hit.start]
            subject = before[-1] if before else (people[0] if people else None)
            if subject is not None and subject.group:
                # "They fight": each of them does it.
                acts += [Act(person=name, kind=hit.key) for name in subject.group]
                continue
            doer = subject.person if subject else None
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
        self._held_with(sentence, scan)
        return acts

    def _held_with(self, sentence: Sentence, scan: _Scan) -> None:
        """A prop someone works with, or their own, is in their hand: "sweeps the steps
        with a broom", 用扫帚扫地; "Mei's umbrella", "her bag", 小梅的伞."""
        hits = sentence.hits
        for i, hit in enumerate(hits):
            thing = scan.things.get(hit.key) if hit.category == PROP else None
            if thing is None or thing.holder or not self.vocabulary.props[thing.kind].held:
                continue
            before = hits[i - 1] if i else None
            gap = sentence.text[before.end if before else 0 : hit.start]
            if before is not None and before.person and _owns(before, sentence.text, gap):
                thing.holder = before.person
            elif _WITH.search(gap):
                people = [h.person for h in hits[:i] if h.person]
                if people:
                    thing.holder = people[-1]

    def _focus(
        self,
        text: str,
        sentences: list[Sentence],
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


# --- helpers -------------------------------------------------------------------------------


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


def _first(hits: Iterable[Hit], category: str) -> Hit | None:
    return next((hit for hit in hits if hit.category == category), None)


def _object(sentence: Sentence, i: int, doer: str | None) -> Hit | None:
    """What the verb at hits[i] acts on: the first person or prop after it in its
    clause, before the next verb ("clutching a folded map" -> the map)."""
    verb = sentence.hits[i]
    for hit in sentence.hits[i + 1 :]:
        if _CLAUSE.search(sentence.text[verb.end : hit.start]) or hit.category == ACTION:
            return None
        if (hit.person and hit.person != doer) or hit.category == PROP:
            return hit
    return None


def _owns(person: Hit, text: str, gap: str) -> bool:
    """The person hit is the owner of what follows the gap: MEI'S, his, her, 小梅的."""
    if gap.strip() == "的":
        return True
    if gap.strip():
        return False
    written = text[person.start : person.end].casefold()
    return written.endswith(("'s", "’s")) or written in ("his", "her", "their")


def _touch(recent: list[str], name: str) -> None:
    if name in recent:
        recent.remove(name)
    recent.append(name)


def off_screen(name: str, extensions: Iterable[str]) -> Literal["vo", "os"] | None:
    """How a speaker is heard without being seen: "vo" over the scene (a narrator, a
    V.O. line), "os" from inside the scene but out of the shot (O.S.), None on screen."""
    marks = {e.strip().casefold() for e in extensions}
    if _voice_over_name(name) or marks & _VOICE_OVER:
        return "vo"
    return "os" if marks & _OFF_SCREEN else None


def _voice_over_name(name: str) -> bool:
    return name.strip().casefold() in _OFF_SCREEN_NAMES
