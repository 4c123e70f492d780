"""An instruction in words -> a storyboard diff.

    edit = instruct(board, "shot 7: make it a close-up at night and have Mei smile")
    edit = instruct(board, "把第三场改成雨夜，镜头推近")
    print("\\n".join(describe(edit.diff, board)))

The rules read the instruction first: targets ("shot 7", "scenes 2-3", "第三场", "the
second line of the seller", "the whole film", `shot=` for an instruction without one),
then the film grammar's words (sizes, moves, angles, transitions), time of day,
weather, durations ("slower" scales them), deletions, additions, what a person does
(the actions vocabulary: "have Mei smile") and the film's look ("warmer": words added
to the style prompt). The words are data: vocab/edits.yaml, actions.yaml, weather.yaml.

What the rules cannot read goes to the LLM planner's endpoint when one is given (the
answer is validated as a planned storyboard is, asked again once with its errors);
an instruction nothing can read raises NotUnderstood, one line, and changes nothing.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from storyreel.direct.diff import BoardDiff, DiffError, diff_boards
from storyreel.direct.grade import Grade
from storyreel.errors import StoryreelError
from storyreel.model import (
    Angle,
    CameraMove,
    Prompt,
    SceneInfo,
    Shot,
    ShotSize,
    Storyboard,
    TimeOfDay,
    TransitionKind,
)
from storyreel.script.lexicon import ACTION, WEATHER, lexicon
from storyreel.script.people import zh_number
from storyreel.vocab import BUNDLED, Vocabulary, load_vocabulary
from storyreel.world import WeatherKind

if TYPE_CHECKING:
    import httpx

    from storyreel.direct.llm import LlmOptions

EDIT_WORDS = BUNDLED / "edits.yaml"
# A shot the instruction adds, unless it says how long: long enough to read a face.
NEW_SHOT_SECONDS = 2.0
# Durations an edit may set (the storyboard's own ceiling is 60 s).
SHORTEST, LONGEST = 0.5, 60.0
_LADDER = list(ShotSize)  # widest first
Source = Literal["rules", "llm"]


class NotUnderstood(StoryreelError):
    """An instruction (or a part of it) that neither the rules nor the LLM could turn
    into a valid change; nothing was changed."""


@dataclass(frozen=True)
class Instructed:
    """What an instruction became: the storyboard after it, the diff, who read it."""

    instruction: str
    board: Storyboard
    diff: BoardDiff
    source: Source
    notes: tuple[str, ...] = ()


def instruct(
    board: Storyboard,
    instruction: str,
    *,
    shot: str | None = None,
    vocabulary: Vocabulary | None = None,
    llm: LlmOptions | None = None,
    client: httpx.Client | None = None,
) -> Instructed:
    """The storyboard diff `instruction` asks for on `board`. `shot` is the target of an
    instruction that names none; `llm` the endpoint asked what the rules cannot read."""
    text = instruction.strip()
    if not text:
        raise NotUnderstood("the instruction is empty; say what to change, e.g. 'shot 3: close-up'")
    if len(text) > 2000:
        raise NotUnderstood("the instruction is longer than 2000 characters; say it shorter")
    if shot is not None and shot not in {s.id for s in board.shots}:
        raise NotUnderstood(f"no shot {shot!r}; shots are {_ids(board)}")
    try:
        edited = edit_rules(board, text, shot=shot, vocabulary=vocabulary)
        diff = diff_boards(board, edited)
        if diff.empty:
            raise NotUnderstood(f"{text!r} changes nothing: the storyboard already is that way")
        return Instructed(text, edited, diff, "rules")
    except NotUnderstood as failure:
        if llm is None:
            raise
        reason = str(failure)
    from storyreel.direct.llm import LlmFailure

    try:
        edited = edit_llm(board, text, llm, shot=shot, vocabulary=vocabulary, client=client)
    except LlmFailure as again:
        raise NotUnderstood(
            f"{reason}; the LLM at {llm.endpoint} gave no valid edit either ({again})"
        ) from None
    diff = diff_boards(board, edited)
    if diff.empty:
        raise NotUnderstood(f"{reason}; the LLM's edit changes nothing")
    return Instructed(text, edited, diff, "llm", (f"read by the LLM ({reason})",))


# --- the words ---------------------------------------------------------------------------


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()


class _Pace(_Words):
    factor: float = Field(gt=0.1, lt=10)


class _Look(_Words):
    prompt: Prompt
    against: tuple[str, ...] = ()
    # How a drawn engine shows it (direct/grade.py).
    grade: Grade = Grade()


class EditWords(BaseModel):
    """vocab/edits.yaml: the words of an instruction, by what they change."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    size: dict[ShotSize, _Words]
    size_step: dict[Literal["tighter", "wider"], _Words]
    move: dict[CameraMove, _Words]
    angle: dict[Angle, _Words]
    transition: dict[TransitionKind, _Words]
    time: dict[TimeOfDay, _Words]
    pace: dict[str, _Pace]
    slow_motion: _Words
    weather_kept: tuple[WeatherKind, ...] = ()
    delete: _Words
    add: _Words
    after: _Words
    before: _Words
    film: _Words
    shot: _Words
    line: _Words
    someone: _Words
    look: dict[str, _Look]
    # "make the music tense", 配乐悲伤一点: the words for the score, and its moods as
    # the sound vocabulary's score genres.
    music: _Words = _Words()
    mood: dict[str, _Words] = {}


@functools.cache
def edit_words(path: Path = EDIT_WORDS) -> EditWords:
    # libyaml's loader when PyYAML has it, as the vocabularies are read.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return EditWords.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))


@dataclass(frozen=True)
class _Sense:
    category: str  # "size", "move", ..., "action", "weather", "person"
    value: Any = None
    level: float = 0.5


@dataclass(frozen=True)
class _Table:
    en: Mapping[str, tuple[_Sense, ...]]
    zh: Mapping[str, tuple[_Sense, ...]]


@functools.cache
def _table(vocabulary: Vocabulary) -> _Table:
    """Every phrase an instruction may use, English lower-case, with what it means."""
    words = edit_words()
    en: dict[str, list[_Sense]] = {}
    zh: dict[str, list[_Sense]] = {}

    def add(entry: _Words, sense: _Sense) -> None:
        for phrase in entry.en:
            en.setdefault(phrase.lower(), []).append(sense)
        for phrase in entry.zh:
            zh.setdefault(phrase, []).append(sense)

    for category in (
        "size",
        "size_step",
        "move",
        "angle",
        "transition",
        "time",
        "pace",
        "look",
        "mood",
    ):
        for value, entry in getattr(words, category).items():
            add(entry, _Sense(category, value))
    for category in (
        "slow_motion",
        "delete",
        "add",
        "after",
        "before",
        "film",
        "shot",
        "line",
        "someone",
        "music",
    ):
        add(getattr(words, category), _Sense(category))
    lex = lexicon(vocabulary)
    for source, target in ((lex.en, en), (lex.zh, zh)):
        for phrase, senses in source.items():
            for s in senses:
                if s.category in (ACTION, WEATHER):
                    target.setdefault(phrase, []).append(_Sense(s.category, s.key, s.level))
    return _Table({k: tuple(v) for k, v in en.items()}, {k: tuple(v) for k, v in zh.items()})


# --- reading a clause ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    senses: tuple[_Sense, ...]

    def of(self, category: str) -> list[_Sense]:
        return [s for s in self.senses if s.category == category]


@dataclass(frozen=True)
class _Target:
    kind: Literal["shot", "scene", "film", "shot_at", "line_at"]
    values: tuple[str, ...]  # shot ids, scene numbers, or 1-based positions (-1: last)
    start: int
    end: int


_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
}
_EN_ORDINAL = (
    r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th))"
)
_ZH_NUMBER = r"([0-9零一二两三四五六七八九十百]+)"
_LIST = r"((?:\s*(?:,|and|&|-|–|to)\s*#?\d+[a-z]?)*)"
_Found = Literal["shot", "scene", "ordinal", "zh_ordinal"]
_WORDS = r"(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_NUMBER_WORDS = {w: str(n) for n, w in enumerate(_WORDS[1:-1].split("|"), 1)}
_PATTERNS: tuple[tuple[_Found, re.Pattern[str]], ...] = (
    ("shot", re.compile(r"\bshot\s+" + _WORDS + r"\b()", re.IGNORECASE)),
    ("scene", re.compile(r"\bscene\s+" + _WORDS + r"\b()", re.IGNORECASE)),
    ("shot", re.compile(r"\bshots?\s*#?\s*(\d+[a-z]?)" + _LIST, re.IGNORECASE)),
    ("scene", re.compile(r"\bscenes?\s*#?\s*(\d+)" + _LIST, re.IGNORECASE)),
    ("ordinal", re.compile(r"\b(?:the\s+)?" + _EN_ORDINAL + r"\s+(shot|scene|line)s?\b", re.I)),
    ("shot", re.compile(r"镜头\s*#?\s*([0-9]+[a-z]?)")),
    ("shot", re.compile(r"([0-9]+)\s*号\s*镜头?")),
    ("zh_ordinal", re.compile(r"第\s*" + _ZH_NUMBER + r"\s*(场|幕|个镜头|个镜|镜头|镜|句|条)")),
    ("zh_ordinal", re.compile(r"(最后)\s*一?\s*(场|幕|个镜头|个镜|镜头|镜|句|条)")),
    ("scene", re.compile(r"场景\s*([0-9]+)")),
)
_ZH_KIND = {"场": "scene", "幕": "scene", "句": "line", "条": "line"}
_QUOTE = re.compile(r"[\"“「『']([^\"”」』']{2,})[\"”」』']")
_SECONDS = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?|秒钟?)(?:\s*(longer|shorter))?(?![a-z])", re.I
)
_ZH_DELTA = re.compile(r"(长|短|加长|缩短|延长)\s*(\d+(?:\.\d+)?)\s*秒")
_CLAUSES = re.compile(r"[;；。\n]+")
# Who a line is said by, as an instruction names them: "the line of the seller", "the
# seller's line", "卖家的台词": an unknown name is an error, never any line.
_SPEAKER = re.compile(
    r"\blines?\s+(?:of|by|from)\s+(?:the\s+)?([\w-]+)"
    r"|\b([\w-]+)(?:'s|’s)\s+(?:\w+\s+)?lines?\b"
    r"|([\u3400-\u9fff\w]+?)的(?:第\S{1,3}句|最后一句)?(?:台词|对白|那句)",
    re.IGNORECASE,
)


def _number(text: str) -> int | None:
    if text in _ORDINALS:
        return _ORDINALS[text]
    digits = re.match(r"\d+", text)
    if digits:
        return int(digits.group())
    if text == "最后":
        return -1
    return zh_number(text)


def _targets(clause: str) -> list[_Target]:
    found: list[_Target] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(clause):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if kind == "shot" or kind == "scene":
                rest = (m.group(2) if pattern.groups > 1 else None) or ""
                first = _NUMBER_WORDS.get(m.group(1).lower(), m.group(1))
                found.append(_Target(kind, _id_list(first, rest), *m.span()))
                continue
            what = m.group(2).lower()
            position = _number(m.group(1).lower())
            if position is None:
                continue
            noun = _ZH_KIND.get(what, "shot") if kind == "zh_ordinal" else what
            if noun == "scene" and position > 0:
                found.append(_Target("scene", (str(position),), *m.span()))
            elif noun == "scene":
                found.append(_Target("scene", ("-1",), *m.span()))
            else:
                target_kind: Literal["shot_at", "line_at"] = (
                    "line_at" if noun == "line" else "shot_at"
                )
                found.append(_Target(target_kind, (str(position),), *m.span()))
    return sorted(found, key=lambda t: t.start)


def _id_list(first: str, rest: str) -> tuple[str, ...]:
    """ "3", ", 5 and 7" -> 3, 5, 7; "3", "-5" -> 3, 4, 5."""
    ids = [first]
    for sep, value in re.findall(r"\s*(,|and|&|-|–|to)\s*#?(\d+[a-z]?)", rest, re.I):
        if sep in ("-", "–", "to") and ids[-1].isdigit() and value.isdigit():
            ids += [str(n) for n in range(int(ids[-1]) + 1, int(value) + 1)][:200]
        else:
            ids.append(value)
    return tuple(ids)


def _tokens(
    clause: str, table: _Table, people: Mapping[str, str], taken: list[tuple[int, int]]
) -> list[_Token]:
    """The clause's words that mean something, longest first, none overlapping `taken`
    (the targets) or each other."""
    lower = clause.lower()
    candidates: list[tuple[int, int, tuple[_Sense, ...]]] = []
    for phrase, senses in table.en.items():
        candidates += [(s, e, senses) for s, e in _find_words(lower, phrase)]
    for phrase, senses in table.zh.items():
        candidates += [(s, s + len(phrase), senses) for s in _find_all(clause, phrase)]
    for name, person in people.items():
        sense = (_Sense("person", person),)
        if _is_han(name):
            candidates += [(s, s + len(name), sense) for s in _find_all(clause, name)]
        else:
            candidates += [(s, e, sense) for s, e in _find_words(lower, name.lower())]
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))  # longest first, then leftmost
    chosen: list[_Token] = []
    busy = list(taken)
    for start, end, senses in candidates:
        if any(a < end and start < b for a, b in busy):
            continue
        busy.append((start, end))
        chosen.append(_Token(start, end, senses))
    return sorted(chosen, key=lambda t: t.start)


def _find_all(text: str, word: str) -> Iterable[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _find_words(text: str, phrase: str) -> Iterable[tuple[int, int]]:
    """`phrase` in `text` as whole words (English)."""
    for at in _find_all(text, phrase):
        end = at + len(phrase)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or after.isalnum()) or _is_han(before + after):
            yield at, end


def _is_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


# --- the edit -----------------------------------------------------------------------------


@dataclass
class _Work:
    """The storyboard being edited, as the JSON the file holds."""

    board: Storyboard
    shots: list[dict[str, Any]] = field(default_factory=list)
    scenes: dict[int, dict[str, Any]] = field(default_factory=dict)
    style: dict[str, str] = field(default_factory=dict)
    music: str | None = None

    @classmethod
    def of(cls, board: Storyboard) -> _Work:
        data = board.model_dump(mode="json")
        scenes = {s["scene"]: s for s in data["scenes"]}
        return cls(board, data["shots"], scenes, data["style"], data["music"])

    def result(self) -> Storyboard:
        data = self.board.model_dump(mode="json")
        data.update(
            shots=self.shots,
            scenes=[self.scenes[n] for n in sorted(self.scenes)],
            style=self.style,
            music=self.music,
        )
        try:
            return Storyboard.model_validate(data)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            raise NotUnderstood(f"the edit would make {where} invalid: {problem['msg']}") from None

    def shot(self, shot_id: str) -> dict[str, Any]:
        for shot in self.shots:
            if shot["id"] == shot_id:
                return shot
        raise NotUnderstood(f"no shot {shot_id!r}; shots are {_ids(self.board)}")

    def scene(self, number: int) -> dict[str, Any]:
        if number not in self.scenes:
            self.scenes[number] = SceneInfo(scene=number).model_dump(mode="json")
        return self.scenes[number]

    def scene_numbers(self) -> list[int]:
        return sorted({s["scene"] for s in self.shots} | set(self.scenes))


@dataclass(frozen=True)
class _Scope:
    """What a clause changes: shots by id (in film order) and scenes by number."""

    shots: tuple[str, ...]
    scenes: tuple[int, ...]
    by: Literal["shot", "scene", "film"]
    said: bool = True  # named in the clause (else inherited or the film by default)


def edit_rules(
    board: Storyboard,
    instruction: str,
    *,
    shot: str | None = None,
    vocabulary: Vocabulary | None = None,
) -> Storyboard:
    """`board` as `instruction` asks, read by the rules; NotUnderstood naming the part of
    the instruction they cannot read."""
    table = _table(vocabulary or load_vocabulary())
    work = _Work.of(board)
    people = _people(board)
    scope: _Scope | None = None
    if shot is not None:
        scene = work.shot(shot)["scene"]
        scope = _Scope((shot,), (scene,), "shot", said=False)
    for clause in (c.strip(" ,，:：") for c in _CLAUSES.split(instruction)):
        if clause:
            scope = _clause(work, clause, table, people, scope)
    return work.result()


def _people(board: Storyboard) -> dict[str, str]:
    """Every person of the storyboard by the names an instruction may call them: the
    whole name, and the last word of a longer one where no one else shares it ("the
    seller" is OLD SELLER, 老人 is 卖灯老人)."""
    names = set(board.characters)
    for info in board.scenes:
        names |= {p.name for p in info.people}
    for shot in board.shots:
        names |= set(shot.subjects) | {line.character for line in shot.lines}
    called = {name: name for name in names}
    # A Chinese name's last two characters are its head noun (卖灯老人: 老人).
    heads = {
        name: name.split()[-1] if len(name.split()) > 1 else name[-2:]
        for name in names
        if len(name.split()) > 1 or (_is_han(name) and len(name) > 2)
    }
    for name, head in heads.items():
        if list(heads.values()).count(head) == 1 and head not in called:
            called[head] = name
    return called


def _clause(
    work: _Work, clause: str, table: _Table, people: Mapping[str, str], inherited: _Scope | None
) -> _Scope | None:
    """Make the changes of one clause; the scope the next clause inherits."""
    targets = _targets(clause)
    tokens = _tokens(clause, table, people, [(t.start, t.end) for t in targets])
    has = {s.category for t in tokens for s in t.senses}
    anchors = _anchors(targets, tokens, clause) if "add" in has else {}
    scoped = [t for t in targets if id(t) not in anchors and t.kind != "line_at"]
    scope = _scope(work, scoped, "film" in has) or inherited
    seconds = list(_SECONDS.finditer(clause)) + list(_ZH_DELTA.finditer(clause))
    if "add" in has and ("shot" in has or any(t.of("size") for t in tokens)):
        _add_shot(work, clause, tokens, [t for t in targets if id(t) in anchors], anchors, scope)
        return scope
    if "delete" in has:
        if _delete(work, clause, tokens, targets, scope):
            return scope
        raise NotUnderstood(f"cannot tell what to delete in {clause!r}: name a shot, scene or line")
    changed = False
    if "music" in has:
        # A mood word is the score's ("make the music darker" leaves the picture as it
        # is); the clause's other words still change what they name.
        moods = [str(s.value) for t in tokens for s in t.of("mood")]
        if not moods:
            known = ", ".join(edit_words().mood)
            raise NotUnderstood(f"cannot tell the music's mood in {clause!r}: say one of {known}")
        work.music = moods[-1]
        tokens = [t for t in tokens if not t.of("mood")]
        changed = True
    for category in ("size", "size_step", "move", "angle", "transition"):
        values = [s.value for t in tokens for s in t.of(category)]
        if values:
            for shot in _shots_of(work, scope, clause, category):
                shot.update(_framing(shot, category, values[-1]))
            changed = True
    if any(t.of("slow_motion") for t in tokens):
        for shot in _shots_of(work, scope, clause, "slow motion"):
            shot["slow_motion"] = True
        changed = True
    changed |= _time(work, clause, tokens, scope)
    changed |= _weather(work, tokens, scope, add="add" in has)
    changed |= _durations(work, clause, tokens, seconds, scope)
    changed |= _looks(work, tokens)
    changed |= _actions(work, clause, tokens, scope)
    rest = clause
    for target in sorted(targets, key=lambda t: -t.start):
        rest = rest[: target.start] + rest[target.end :]
    if not changed and (not targets or re.search(r"\w", rest)):
        raise NotUnderstood(f"cannot read {clause!r} as a change to the storyboard")
    if not changed and any(t.kind == "line_at" for t in targets):
        raise NotUnderstood(f"cannot tell what to do with the line in {clause!r}")
    return scope


def _scope(work: _Work, targets: Sequence[_Target], film: bool) -> _Scope | None:
    if not targets:
        if film:
            return _Scope(tuple(s["id"] for s in work.shots), tuple(work.scene_numbers()), "film")
        return None
    shots: list[str] = []
    scenes: list[int] = []
    by: Literal["shot", "scene", "film"] = "shot"
    in_scenes = [t for t in targets if t.kind == "scene"]
    for target in in_scenes:
        by = "scene"
        for value in target.values:
            number = int(value)
            known = work.scene_numbers()
            if number == -1 and known:
                number = known[-1]
            if number not in known:
                raise NotUnderstood(
                    f"no scene {value}; scenes are {', '.join(map(str, known)) or 'none'}"
                )
            scenes.append(number)
    for target in targets:
        if target.kind == "shot":
            by = "shot"
            for value in target.values:
                shots.append(work.shot(value)["id"])
        elif target.kind == "shot_at":
            by = "shot"
            pool = [s for s in work.shots if not scenes or s["scene"] in scenes]
            position = int(target.values[0])
            if not pool or position > len(pool):
                where = f" of scene {', '.join(map(str, scenes))}" if scenes else ""
                raise NotUnderstood(f"there is no shot {position}{where}: it has {len(pool)}")
            shots.append(pool[position - 1 if position > 0 else -1]["id"])
    if by == "scene":
        shots = [s["id"] for s in work.shots if s["scene"] in scenes]
    else:
        scenes = sorted({work.shot(i)["scene"] for i in shots})
    order = [s["id"] for s in work.shots]
    return _Scope(tuple(sorted(set(shots), key=order.index)), tuple(scenes), by)


def _anchors(targets: Sequence[_Target], tokens: Sequence[_Token], clause: str) -> dict[int, str]:
    """Targets that say where an added shot goes ("after shot 3", "镜头3后"), by id()."""
    out: dict[int, str] = {}
    for target in targets:
        if target.kind not in ("shot", "shot_at"):
            continue
        for token in tokens:
            for side in ("after", "before"):
                if token.of(side) and (
                    0 <= target.start - token.end <= 8 or 0 <= token.start - target.end <= 3
                ):
                    out[id(target)] = side
    return out


def _shots_of(work: _Work, scope: _Scope | None, clause: str, what: str) -> list[dict[str, Any]]:
    if scope is None:
        raise NotUnderstood(
            f"{clause!r}: say which shot the {what.replace('_', ' ')} is for "
            "('shot 7: …', '第三场…', 'every shot …') or pass --shot"
        )
    return [work.shot(i) for i in scope.shots]


def _framing(shot: dict[str, Any], category: str, value: Any) -> dict[str, Any]:
    if category == "size_step":
        at = _LADDER.index(ShotSize(shot["size"]))
        at = min(at + 1, len(_LADDER) - 1) if value == "tighter" else max(at - 1, 0)
        return {"size": _LADDER[at].value}
    return {category: str(value.value if hasattr(value, "value") else value)}


def _time(work: _Work, clause: str, tokens: Sequence[_Token], scope: _Scope | None) -> bool:
    times = [s.value for t in tokens for s in t.of("time")]
    # A weather word with a time in it: 雨夜 is rain at night.
    for token in tokens:
        if token.of("weather"):
            times += _times_in(clause[token.start : token.end])
    if not times:
        return False
    time = times[-1]
    if scope is not None and scope.by == "shot":
        for shot_id in scope.shots:
            work.shot(shot_id)["setting"]["time"] = time
        return True
    numbers = scope.scenes if scope is not None else tuple(work.scene_numbers())
    for number in numbers:
        work.scene(number)["setting"]["time"] = time
    for shot in work.shots:
        if shot["scene"] in numbers:
            shot["setting"]["time"] = time
    return True


def _times_in(word: str) -> list[str]:
    lower = word.lower()
    return [
        time
        for time, entry in edit_words().time.items()
        if any(w in word for w in entry.zh)
        or any(any(True for _ in _find_words(lower, w)) for w in entry.en)
    ]


def _weather(work: _Work, tokens: Sequence[_Token], scope: _Scope | None, *, add: bool) -> bool:
    kinds: dict[str, float] = {}
    for token in tokens:
        if token.of("time"):
            continue  # "dawn" is a time of day here, not a sunrise over whatever weather
        for sense in token.of("weather"):
            kinds[str(sense.value)] = sense.level
    if not kinds:
        return False
    numbers = scope.scenes if scope is not None else tuple(work.scene_numbers())
    new = [{"kind": kind, "intensity": level} for kind, level in kinds.items()]
    for number in numbers:
        info = work.scene(number)
        keep = set(edit_words().weather_kept)
        kept = [w for w in info["weather"] if w["kind"] not in kinds and (add or w["kind"] in keep)]
        info["weather"] = kept + new
    return True


def _durations(
    work: _Work,
    clause: str,
    tokens: Sequence[_Token],
    seconds: Sequence[re.Match[str]],
    scope: _Scope | None,
) -> bool:
    factors = [edit_words().pace[str(s.value)].factor for t in tokens for s in t.of("pace")]
    if not factors and not seconds:
        return False
    if seconds:
        shots = _shots_of(work, scope, clause, "duration")
        m = seconds[-1]
        if m.re is _ZH_DELTA:
            delta = float(m.group(2)) * (-1 if m.group(1) in ("短", "缩短") else 1)
            for shot in shots:
                shot["duration"] = _clamp(shot["duration"] + delta)
        elif m.group(2):
            delta = float(m.group(1)) * (1 if m.group(2).lower() == "longer" else -1)
            for shot in shots:
                shot["duration"] = _clamp(shot["duration"] + delta)
        else:
            for shot in shots:
                shot["duration"] = _clamp(float(m.group(1)))
        return True
    shots = [work.shot(i) for i in scope.shots] if scope is not None else work.shots
    for shot in shots:
        shot["duration"] = _clamp(shot["duration"] * factors[-1])
    return True


def _clamp(seconds: float) -> float:
    return round(min(max(seconds, SHORTEST), LONGEST), 2)


def _looks(work: _Work, tokens: Sequence[_Token]) -> bool:
    looks = edit_words().look
    chosen = [str(s.value) for t in tokens for s in t.of("look")]
    if not chosen:
        return False
    for name in chosen:
        look = looks[name]
        for lang in ("en", "zh"):
            sep = ", " if lang == "en" else "，"
            parts = [p for p in re.split(r"\s*[,，]\s*", work.style.get(lang, "")) if p]
            drop: set[str] = set()
            for other in (*look.against, name):
                drop |= set(re.split(r"\s*[,，]\s*", getattr(looks[other].prompt, lang)))
            parts = [p for p in parts if p not in drop]
            parts += [p for p in re.split(r"\s*[,，]\s*", getattr(look.prompt, lang)) if p]
            work.style[lang] = sep.join(parts)
    return True


def _actions(work: _Work, clause: str, tokens: Sequence[_Token], scope: _Scope | None) -> bool:
    # The doer comes before the verb ("have Mei smile", "让梅微笑") and is not a
    # possessive ("the seller's reply" is no instruction to speak).
    doers = [
        t
        for t in tokens
        if (t.of("person") or t.of("someone"))
        and not re.match(r"\s*(?:'s|’s|的)", clause[t.end : t.end + 4])
    ]
    first = min((t.start for t in doers), default=len(clause))
    actions = [str(s.value) for t in tokens if t.start > first for s in t.of("action")]
    if not actions:
        return False
    named = list(dict.fromkeys(str(s.value) for t in doers for s in t.of("person")))
    pronoun = any(t.of("someone") for t in doers)
    if not named and not pronoun:
        return False  # a verb with nobody doing it is not an instruction to act
    action = actions[-1]
    shots = [work.shot(i) for i in scope.shots] if scope is not None else work.shots
    done = False
    for shot in shots:
        who = named or shot["subjects"][:1]
        for name in who:
            if name not in shot["subjects"]:
                if scope is None or scope.by != "shot":
                    continue
                shot["subjects"] = [*shot["subjects"], name]  # asked for by name in this shot
            shot["actions"] = {**shot["actions"], name: action}
            done = True
    if not done:
        where = "the shots named" if scope is not None else "any shot"
        raise NotUnderstood(f"{clause!r}: {', '.join(named) or 'nobody'} is in none of {where}")
    return True


def _add_shot(
    work: _Work,
    clause: str,
    tokens: Sequence[_Token],
    targets: Sequence[_Target],
    anchors: Mapping[int, str],
    scope: _Scope | None,
) -> None:
    named = list(dict.fromkeys(str(s.value) for t in tokens for s in t.of("person")))
    sizes = [s.value for t in tokens for s in t.of("size")]
    size = sizes[-1] if sizes else (ShotSize.close_up if named else ShotSize.medium)
    order = [s["id"] for s in work.shots]
    anchor_scope = _scope(work, targets, film=False) if targets else None
    if anchor_scope is not None and anchor_scope.shots:
        first = order.index(anchor_scope.shots[0])
        side = anchors[id(targets[0])]
        at = first if side == "before" else first + 1
        neighbour = work.shots[first]
    elif scope is not None and scope.shots:
        at = order.index(scope.shots[-1]) + 1
        neighbour = work.shots[at - 1]
    elif work.shots:
        at, neighbour = len(order), work.shots[-1]
    else:
        raise NotUnderstood("the storyboard has no shots to add one beside")
    actions = [str(s.value) for t in tokens for s in t.of("action")]
    moves = [str(s.value) for t in tokens for s in t.of("move")]
    angles = [str(s.value) for t in tokens for s in t.of("angle")]
    seconds = _SECONDS.search(clause)
    new_id = _next_id(order)
    shot = Shot(
        id=new_id,
        scene=neighbour["scene"],
        size=ShotSize(size),
        move=CameraMove(moves[-1]) if moves else CameraMove.static,
        angle=Angle(angles[-1]) if angles else Angle.eye_level,
        duration=_clamp(float(seconds.group(1))) if seconds else NEW_SHOT_SECONDS,
        subjects=named,
        actions={n: actions[-1] for n in named} if actions else {},
        setting=neighbour["setting"],
        action=clause,
    )
    work.shots.insert(at, shot.model_dump(mode="json"))


def _next_id(ids: Sequence[str]) -> str:
    return str(max((int(i) for i in ids if i.isdigit()), default=0) + 1)


def _delete(
    work: _Work,
    clause: str,
    tokens: Sequence[_Token],
    targets: Sequence[_Target],
    scope: _Scope | None,
) -> bool:
    if any(t.of("slow_motion") for t in tokens):
        for shot in _shots_of(work, scope, clause, "slow motion"):
            shot["slow_motion"] = False
        return True
    weather = {str(s.value) for t in tokens for s in t.of("weather")}
    if weather:
        numbers = scope.scenes if scope is not None else tuple(work.scene_numbers())
        for number in numbers:
            info = work.scene(number)
            info["weather"] = [w for w in info["weather"] if w["kind"] not in weather]
        return True
    quoted = [m.group(1) for m in _QUOTE.finditer(clause)]
    line_at = [t for t in targets if t.kind == "line_at"]
    if quoted or line_at or any(t.of("line") for t in tokens):
        return _delete_lines(work, clause, tokens, quoted, line_at, scope)
    if scope is None or not scope.said:
        return False
    if scope.by == "film":
        raise NotUnderstood("the whole film cannot be deleted; name the shots or scenes to cut")
    gone = set(scope.shots)
    if len(gone) == len(work.shots):
        raise NotUnderstood(f"{clause!r} would delete every shot; a film needs one at least")
    work.shots[:] = [s for s in work.shots if s["id"] not in gone]
    return True


def _delete_lines(
    work: _Work,
    clause: str,
    tokens: Sequence[_Token],
    quoted: Sequence[str],
    line_at: Sequence[_Target],
    scope: _Scope | None,
) -> bool:
    named = {str(s.value) for t in tokens for s in t.of("person")}
    speaker = _SPEAKER.search(clause)
    if speaker and not named:
        who = next(g for g in speaker.groups() if g)
        for verb in sorted(edit_words().delete.zh, key=len, reverse=True):
            who = who.removeprefix("把").removeprefix(verb).removeprefix("把")
        raise NotUnderstood(
            f"{clause!r}: nobody called {who!r} speaks; the people are "
            f"{', '.join(sorted(set(_people(work.board).values())))}"
        )
    shots = [work.shot(i) for i in scope.shots] if scope is not None else work.shots
    found = [
        (shot, index)
        for shot in shots
        for index, line in enumerate(shot["lines"])
        if (not named or line["character"] in named)
        and all(q.lower() in line["text"].lower() for q in quoted)
    ]
    who = f" of {', '.join(sorted(named))}" if named else ""
    if not found:
        raise NotUnderstood(f"{clause!r}: no line{who} found there")
    if line_at:
        position = int(line_at[0].values[0])
        if position > len(found):
            raise NotUnderstood(f"{clause!r}: there are only {len(found)} lines{who}")
        found = [found[position - 1 if position > 0 else -1]]
    elif len(found) > 1 and not quoted and (scope is None or scope.by != "shot"):
        raise NotUnderstood(
            f"{clause!r}: {len(found)} lines{who} match; say which "
            "('the second line of …', a quote of it, or a shot)"
        )
    for shot, index in sorted(found, key=lambda f: -f[1]):
        del shot["lines"][index]
    return True


# --- the LLM, for what the rules cannot read ----------------------------------------------


class FieldPatch(BaseModel):
    """One field set to a value: on a shot (`shot`: its id), a scene (`scene`: its
    number) or the film (neither: only `style`)."""

    model_config = ConfigDict(extra="forbid")
    shot: str | None = None
    scene: int | None = None
    field: str = Field(min_length=1, max_length=40)
    value: JsonValue


class NewShotPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    after: str | None = None
    size: ShotSize = ShotSize.medium
    move: CameraMove = CameraMove.static
    angle: Angle = Angle.eye_level
    duration: float = Field(default=NEW_SHOT_SECONDS, ge=SHORTEST, le=LONGEST)
    subjects: list[str] = []
    actions: dict[str, str] = {}
    action: str = ""


class EditAnswer(BaseModel):
    """What the model answers: the changes, the shots taken out, the shots put in."""

    model_config = ConfigDict(extra="forbid")
    changes: list[FieldPatch] = Field(default=[], max_length=500)
    delete: list[str] = Field(default=[], max_length=500)
    add: list[NewShotPatch] = Field(default=[], max_length=50)


_SHOT_FIELDS = {
    "size",
    "angle",
    "move",
    "direction",
    "duration",
    "slow_motion",
    "subjects",
    "actions",
    "focus",
    "setting",
    "action",
    "lines",
    "transition",
    "things",
}
_SCENE_FIELDS = {"setting", "weather", "people", "crowd"}


def edit_llm(
    board: Storyboard,
    instruction: str,
    options: LlmOptions,
    *,
    shot: str | None = None,
    vocabulary: Vocabulary | None = None,
    client: httpx.Client | None = None,
) -> Storyboard:
    """The storyboard as the model edits it; LlmFailure when it gives no valid edit twice."""
    from storyreel.direct.llm import ask

    messages = [
        {"role": "system", "content": _llm_instructions()},
        {"role": "user", "content": _llm_message(board, instruction, shot)},
    ]
    return ask(
        options,
        messages,
        EditAnswer,
        "storyboard_edit",
        lambda answer: _validate_edit(board, answer, vocabulary),
        client=client,
    )


def _validate_edit(board: Storyboard, answer: str, vocabulary: Vocabulary | None) -> Storyboard:
    from storyreel.direct.llm import LlmFailure, unfenced

    try:
        edit = EditAnswer.model_validate_json(unfenced(answer))
    except ValidationError as error:
        raise LlmFailure(
            "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:10]
            )
        ) from None
    work = _Work.of(board)
    problems: list[str] = []
    for i, patch in enumerate(edit.changes):
        if patch.shot is not None:
            if patch.field not in _SHOT_FIELDS:
                problems.append(f"changes[{i}]: a shot's field is one of {sorted(_SHOT_FIELDS)}")
            elif patch.shot not in {s["id"] for s in work.shots}:
                problems.append(f"changes[{i}]: no shot {patch.shot!r}; shots are {_ids(board)}")
            else:
                work.shot(patch.shot)[patch.field] = patch.value
        elif patch.scene is not None:
            if patch.field not in _SCENE_FIELDS:
                problems.append(f"changes[{i}]: a scene's field is one of {sorted(_SCENE_FIELDS)}")
            else:
                work.scene(patch.scene)[patch.field] = patch.value
        elif patch.field == "style" and isinstance(patch.value, dict):
            work.style = {k: str(v) for k, v in patch.value.items()}
        elif patch.field == "music" and isinstance(patch.value, str) and patch.value:
            work.music = patch.value
        else:
            problems.append(
                f"changes[{i}]: name a shot or a scene (the film's fields are style and music)"
            )
    for gone in edit.delete:
        if gone not in {s["id"] for s in work.shots}:
            problems.append(f"delete: no shot {gone!r}")
    work.shots[:] = [s for s in work.shots if s["id"] not in set(edit.delete)]
    for new in edit.add:
        order = [s["id"] for s in work.shots]
        at = order.index(new.after) + 1 if new.after in order else len(order)
        neighbour = work.shots[at - 1] if at else (work.shots[0] if work.shots else None)
        if neighbour is None:
            problems.append("add: the storyboard has no shots to add one beside")
            continue
        data = new.model_dump(mode="json", exclude={"after"})
        data |= {
            "id": _next_id(order),
            "scene": neighbour["scene"],
            "setting": neighbour["setting"],
        }
        work.shots.insert(at, data)
    if problems:
        raise LlmFailure("\n".join(problems))
    try:
        edited = work.result()
    except NotUnderstood as error:
        raise LlmFailure(str(error)) from None
    known = set(_people(board).values())
    allowed = (vocabulary or load_vocabulary()).actions
    for s in edited.shots:
        unknown = [n for n in s.subjects if n not in known]
        if unknown:
            problems.append(f"shot {s.id}: unknown subjects {unknown}; people are {sorted(known)}")
        acts = [a for a in s.actions.values() if a not in allowed]
        if acts:
            problems.append(
                f"shot {s.id}: unknown actions {acts}; actions are {', '.join(allowed)}"
            )
    if problems:
        raise LlmFailure("\n".join(problems))
    return edited


def _llm_instructions() -> str:
    def names(cls: Any) -> str:
        return ", ".join(f"{m.value} ({m.zh})" for m in cls)

    return (
        "You edit a film's storyboard as a director's instruction asks. Answer with a JSON "
        'object {"changes": [...], "delete": [...], "add": [...]}: each change sets one '
        'field of one shot ({"shot": ID, "field": NAME, "value": VALUE}), of one scene '
        '({"scene": NUMBER, ...}: setting, weather, people, crowd), the film\'s style '
        '({"field": "style", "value": {"en": ..., "zh": ...}}) or its score\'s mood '
        f'({{"field": "music", "value": one of {", ".join(edit_words().mood)}}}); '
        "`delete` lists shot ids to "
        "take out; `add` lists new shots (after: the id they follow). Change only what the "
        "instruction asks. Values use the storyboard's own names:\n"
        f"size: {names(ShotSize)}\nangle: {names(Angle)}\nmove: {names(CameraMove)}\n"
        f"transition: {names(TransitionKind)}\ntime: day, night, dawn, dusk\n"
        f"actions: name -> one of {', '.join(load_vocabulary().actions)}."
    )


def _llm_message(board: Storyboard, instruction: str, shot: str | None) -> str:
    data = board.model_dump(
        mode="json", exclude={"shots": {"__all__": {"prompt", "negative", "screen"}}}
    )
    message = {"storyboard": data, "instruction": instruction}
    if shot is not None:
        message["about shot"] = shot
    return json.dumps(message, ensure_ascii=False)


def _ids(board: Storyboard) -> str:
    ids = [s.id for s in board.shots]
    return ", ".join(ids[:30]) + (" …" if len(ids) > 30 else "") if ids else "none"


__all__ = [
    "DiffError",
    "EditAnswer",
    "Instructed",
    "NotUnderstood",
    "edit_llm",
    "edit_rules",
    "edit_words",
    "instruct",
]
