"""The rules planner: a storyboard from film grammar, the embedded default director.

The rules, each a small function below:

* written direction wins: a size, angle, move, pace or transition written in the text
  ("CLOSE ON", "特写：", "the camera slowly pushes in", "镜头缓缓推近", "超高速") is
  used as written; a size ladder ("运用远全中近特不同景别", "from wide to close-up") is
  spread across the scene's shots;
* an establishing shot whenever the location changes;
* dialogue opens on a two-shot, then over-the-shoulder shots and singles follow the
  speaker; when a line lands (a question, an exclamation, a long speech) and the
  listener does not answer at once, a reaction shot cuts to them;
* the 180° rule: a character takes a side of the frame on first appearing in a scene
  and keeps it (and so their screen direction) for the whole scene;
* no jump cuts: never two consecutive shots of the same subject at the same size and
  angle;
* pacing from the text: reading and speaking time, quick verbs and lingering adverbs,
  the genre, slow motion; within the engine's longest shot.

Every shot ends with an engine prompt composed from all of the above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import ClassVar, Literal

from storyreel.direct import grammar
from storyreel.direct.planner import PlanRequest
from storyreel.direct.prompts import compose
from storyreel.model import (
    Action,
    Angle,
    CameraMove,
    Centered,
    Character,
    Dialogue,
    Direction,
    Lyric,
    Prompt,
    Scene,
    Script,
    Setting,
    Shot,
    ShotLine,
    ShotSize,
    Storyboard,
    Transition,
    TransitionKind,
)

# Shot lengths an audience reads comfortably, in seconds.
MIN_SHOT = 2.0
MAX_SHOT = 8.0
# Slowed action holds longer than anything played at speed.
MAX_SLOW_SHOT = 12.0
SLOW_MOTION_STRETCH = 1.8
ESTABLISHING = 3.5
REACTION = 2.0
# A line this long (words, or CJK characters) lands on the listener.
LONG_LINE_WORDS = 20
LONG_LINE_CHARS = 28
# Over-the-shoulder shots carry the first turns of an exchange; singles the rest.
OTS_TURNS = 2

# Where characters stand across the frame, in the order they appear in a scene: the
# first two face each other across the thirds, the next ones fill in between.
_SIDES = (1 / 3, 2 / 3, 1 / 2, 1 / 6, 5 / 6)

# Movement through space reads better with the camera moving along.
_TRAVEL = re.compile(
    r"\b(walks?|runs?|weaves?|crosses|hurries|wanders|drives?|rides?|strides?|marches)\b|"
    r"穿过|走过|奔跑|跑向|走向|走进|跑过|穿行",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"(?<=[。！？；，.!?;,])\s*")
_LATERAL = (CameraMove.pan, CameraMove.track, CameraMove.follow, CameraMove.orbit)

Kind = Literal["establishing", "action", "dialogue", "reaction"]


@dataclass
class Draft:
    """A shot while it is being planned; becomes a `Shot` once sizes settle."""

    kind: Kind
    scene: int
    setting: Setting
    size: ShotSize
    subjects: list[str] = field(default_factory=list)
    action: str = ""
    lines: list[ShotLine] = field(default_factory=list)
    angle: Angle = Angle.eye_level
    move: CameraMove = CameraMove.static
    direction: Direction | None = None
    seconds: float = MIN_SHOT
    transition: TransitionKind = TransitionKind.cut
    slow_motion: bool = False
    # The text chose the size: later rules change the angle instead.
    fixed_size: bool = False


@dataclass(frozen=True)
class Context:
    characters: dict[str, Character]
    language: str
    tempo: float  # the genre's pace, < 1 cuts faster
    longest: float  # the engine's longest shot (or ours)


def plan_rules(
    script: Script,
    *,
    width: int = 1280,
    height: int = 720,
    fps: int = 24,
    max_duration: float | None = None,
) -> Storyboard:
    """Direct `script` into a storyboard by the rules above."""
    notes = _notes(script)
    ctx = Context(
        characters=dict(script.characters),
        language=script.language,
        tempo=grammar.genre_tempo(notes),
        longest=max_duration or MAX_SLOW_SHOT,
    )
    drafts: list[Draft] = []
    sides: dict[int, dict[str, float]] = {}
    previous_location: str | None = None
    for number, scene in enumerate(script.scenes, start=1):
        new_place = bool(scene.location) and scene.location != previous_location
        drafts.extend(scene_drafts(number, scene, ctx, establish=new_place))
        sides[number] = screen_sides(scene_cast(scene, ctx.characters))
        previous_location = scene.location or previous_location
    no_jump_cuts(drafts)
    style = _style(notes)
    shots = [
        _finish(str(i), draft, sides[draft.scene], ctx, style)
        for i, draft in enumerate(drafts, start=1)
    ]
    return Storyboard(
        title=script.title,
        language=script.language,
        width=width,
        height=height,
        fps=fps,
        style=style,
        characters=dict(script.characters),
        shots=shots,
    )


class RulesPlanner:
    """The embedded director: film grammar applied to the script, offline, in
    milliseconds, the same board every time."""

    name: ClassVar[str] = "rules"

    def plan(self, script: Script, request: PlanRequest) -> Storyboard:
        return plan_rules(
            script,
            width=request.width,
            height=request.height,
            fps=request.fps,
            max_duration=request.max_duration,
        )


# --- a scene ----------------------------------------------------------------------------


def scene_drafts(number: int, scene: Scene, ctx: Context, *, establish: bool) -> list[Draft]:
    setting = Setting(location=scene.location, interior=scene.interior, time=scene.time)
    cast = scene_cast(scene, ctx.characters)
    texts = [el.text for el in scene.elements if isinstance(el, Action | Centered | Lyric)]
    notes = " ".join(t for t in texts if grammar.is_note(t))
    ladder = next((cues.ladder for t in texts if (cues := grammar.read_cues(t)).ladder), ())
    beats = _beat_count(scene) + establish
    drafts: list[Draft] = []
    if establish:
        drafts.append(establishing(number, scene, setting, cast))
    drafts.extend(coverage(number, scene, setting, cast, ctx, split=len(ladder) > beats))
    scene_cues = grammar.read_cues(notes)
    for draft in drafts:
        if scene_cues.slow_motion and draft.kind != "dialogue":
            draft.slow_motion = True
        if scene_cues.angle and draft.angle == Angle.eye_level:
            draft.angle = scene_cues.angle
    if ladder:
        climb(drafts, ladder)
    return drafts


def establishing(number: int, scene: Scene, setting: Setting, cast: list[str]) -> Draft:
    outside = scene.interior != "int"
    return Draft(
        kind="establishing",
        scene=number,
        setting=setting,
        size=ShotSize.extreme_wide if outside else ShotSize.wide,
        move=CameraMove.pan if outside else CameraMove.static,
        direction="right" if outside else None,
        seconds=ESTABLISHING,
        subjects=cast,
        action=scene.heading or scene.location,
    )


def coverage(
    number: int,
    scene: Scene,
    setting: Setting,
    cast: list[str],
    ctx: Context,
    *,
    split: bool = False,
) -> list[Draft]:
    """The shots of a scene's elements: action beats and dialogue coverage."""
    drafts: list[Draft] = []
    elements = scene.elements
    open_exchange = False
    last_speaker: str | None = None
    turn = 0
    for index, element in enumerate(elements):
        if isinstance(element, Dialogue) and not element.text:
            # A cue with only a parenthetical ("MEI / (nods)") is a reaction, not a line.
            action = f"{element.character}: ({'; '.join(element.parentheticals)})"
            drafts.append(reaction(number, setting, element.character, action))
        elif isinstance(element, Dialogue):
            line = _line(element)
            if element.dual and drafts and drafts[-1].lines:
                # Dual dialogue plays over the same picture, both speakers in it.
                drafts[-1].lines.append(line)
                if element.character not in drafts[-1].subjects:
                    drafts[-1].subjects.append(element.character)
                continue
            answer = _next_speaker(elements, index)
            listener = listener_of(element.character, last_speaker, answer, cast)
            turn = turn + 1 if open_exchange else 0
            drafts.append(dialogue_shot(number, setting, element, line, listener, turn))
            open_exchange, last_speaker = True, element.character
            if listener and lands(element.text) and answer != listener:
                drafts.append(reaction(number, setting, listener, _reacts(listener, ctx)))
        elif isinstance(element, Action | Centered | Lyric):
            if grammar.is_note(element.text):
                continue  # direction for the whole scene, applied by scene_drafts
            open_exchange = False
            pieces = clauses(element.text) if split else [element.text]
            drafts.extend(action_shot(number, setting, text, cast, ctx) for text in pieces)
        elif isinstance(element, Transition) and drafts:
            drafts[-1].transition = grammar.transition_of(element.text)
    return drafts


def dialogue_shot(
    number: int,
    setting: Setting,
    element: Dialogue,
    line: ShotLine,
    listener: str | None,
    turn: int,
) -> Draft:
    """Turn 0 opens the exchange on both of them; then over the listener's shoulder;
    then the speaker alone, closer when the line is a question or an exclamation."""
    speaker = element.character
    if listener is None:
        subjects, size = [speaker], ShotSize.medium_close_up
    elif turn == 0:
        subjects, size = [speaker, listener], ShotSize.medium
    elif turn <= OTS_TURNS:
        subjects, size = [speaker, listener], ShotSize.medium_close_up
    else:
        subjects = [speaker]
        size = ShotSize.close_up if lands(element.text) else ShotSize.medium_close_up
    return Draft(
        kind="dialogue",
        scene=number,
        setting=setting,
        size=size,
        subjects=subjects,
        action=element.text,
        lines=[line],
        seconds=speech_seconds(element.text, element.lang) + 1.0,
    )


def reaction(number: int, setting: Setting, who: str, action: str) -> Draft:
    return Draft(
        kind="reaction",
        scene=number,
        setting=setting,
        size=ShotSize.medium_close_up,
        subjects=[who],
        action=action,
        seconds=REACTION,
    )


def action_shot(number: int, setting: Setting, text: str, cast: list[str], ctx: Context) -> Draft:
    cues = grammar.read_cues(text)
    subjects = mentioned(text, ctx.characters)
    explicit = cues.size is not None and not cues.ladder
    size = cues.size if explicit and cues.size else ShotSize.full if subjects else ShotSize.wide
    move, direction = cues.move, cues.direction
    if move is None:
        travels = bool(subjects) and bool(_TRAVEL.search(text))
        move = CameraMove.track if travels else CameraMove.static
    if move in _LATERAL and direction is None and subjects:
        # Keep screen direction: someone standing on the left moves to the right.
        direction = "right" if screen_sides(cast).get(subjects[0], 0.5) <= 0.5 else "left"
    return Draft(
        kind="action",
        scene=number,
        setting=setting,
        size=size,
        subjects=subjects,
        action=text,
        angle=cues.angle or Angle.eye_level,
        move=move,
        direction=direction,
        seconds=reading_seconds(text) * grammar.beat_tempo(text),
        transition=cues.transition or TransitionKind.cut,
        slow_motion=cues.slow_motion,
        fixed_size=explicit,
    )


def climb(drafts: list[Draft], ladder: tuple[ShotSize, ...]) -> None:
    """Spread a written size ladder over the scene's shots, first rung to last."""
    free = [d for d in drafts if not d.fixed_size]
    last = len(free) - 1
    for i, draft in enumerate(free):
        draft.size = ladder[round(i * (len(ladder) - 1) / last) if last > 0 else 0]


def clauses(text: str) -> list[str]:
    """A long beat cut at its commas and full stops, for a scene that asks for more
    shots than it has beats."""
    pieces = [p.strip() for p in _CLAUSE.split(text)]
    return [p for p in pieces if len(p.strip("，。,.;；!！?？ ")) >= 2] or [text]


# --- dialogue ---------------------------------------------------------------------------


def _line(element: Dialogue) -> ShotLine:
    return ShotLine(
        character=element.character,
        text=element.text,
        lang=element.lang,
        parenthetical=element.parentheticals[0] if element.parentheticals else None,
    )


def lands(text: str) -> bool:
    """A line the listener has to take in: a question, an exclamation, a long speech."""
    stripped = text.strip().rstrip("”\"'」』…").rstrip()
    if stripped.endswith(("?", "？", "!", "！")):
        return True
    if _is_cjk(text):
        return len(text) >= LONG_LINE_CHARS
    return len(text.split()) >= LONG_LINE_WORDS


def listener_of(
    speaker: str, last_speaker: str | None, next_speaker: str | None, cast: list[str]
) -> str | None:
    """Who the line is spoken to: whoever spoke last, else whoever answers, else the
    next person present."""
    for name in (last_speaker, next_speaker):
        if name and name != speaker:
            return name
    return next((name for name in cast if name != speaker), None)


def _next_speaker(elements: Sequence[object], index: int) -> str | None:
    """The speaker of the next dialogue right after `index`, if dialogue comes next."""
    for element in elements[index + 1 :]:
        if isinstance(element, Transition):
            continue
        if isinstance(element, Dialogue) and element.text:
            return element.character
        return None
    return None


def _reacts(name: str, ctx: Context) -> str:
    return f"{name}的反应" if ctx.language.startswith("zh") else f"{name} reacts."


# --- the 180° rule ----------------------------------------------------------------------


def screen_sides(cast: list[str]) -> dict[str, float]:
    """Each character's place across the frame for a scene, by order of appearance."""
    return {name: round(_SIDES[i % len(_SIDES)], 3) for i, name in enumerate(cast)}


def scene_cast(scene: Scene, characters: dict[str, Character]) -> list[str]:
    """Characters who speak or are named in the scene, in order of appearance."""
    found: list[str] = []
    for element in scene.elements:
        if isinstance(element, Dialogue):
            names = [element.character]
        elif isinstance(element, Action | Centered | Lyric):
            names = mentioned(element.text, characters)
        else:
            names = []
        found.extend(n for n in names if n not in found)
    return found


def mentioned(text: str, characters: dict[str, Character]) -> list[str]:
    """Character names that appear in `text`, in order of appearance."""
    hits: list[tuple[int, str]] = []
    for name in characters:
        if _is_cjk(name):
            pos = text.find(name)
        else:
            match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
            pos = match.start() if match else -1
        if pos >= 0:
            hits.append((pos, name))
    return [name for _, name in sorted(hits)]


# --- no jump cuts -----------------------------------------------------------------------


def no_jump_cuts(drafts: list[Draft]) -> None:
    """Two consecutive shots of the same subject at the same size and angle read as a
    jump cut: the second one steps a size closer, or, when the text fixed its size,
    changes its angle."""
    for before, after in pairwise(drafts):
        if not is_jump_cut(before, after):
            continue
        if after.fixed_size:
            after.angle = Angle.high if after.angle != Angle.high else Angle.eye_level
        else:
            after.size = _step(after.size)


def is_jump_cut(before: Draft | Shot, after: Draft | Shot) -> bool:
    return (
        before.scene == after.scene
        and before.subjects[:1] == after.subjects[:1]
        and before.size == after.size
        and before.angle == after.angle
    )


def _step(size: ShotSize) -> ShotSize:
    sizes = list(ShotSize)  # widest to tightest
    i = sizes.index(size)
    return sizes[i + 1] if i + 1 < len(sizes) else sizes[i - 1]


# --- pacing -----------------------------------------------------------------------------


def reading_seconds(text: str) -> float:
    """How long a beat of action plays: about a second per 3 words / 5 characters."""
    if _is_cjk(text):
        return 1.5 + len(text) / 6.0
    return 1.5 + len(text.split()) / 3.0


def speech_seconds(text: str, lang: str) -> float:
    if lang in {"zh", "yue", "ja", "ko"} or _is_cjk(text):
        return len(text) / 4.5
    return len(text.split()) / 2.6


def shot_seconds(draft: Draft, ctx: Context) -> float:
    """The draft's length with the film's tempo, slow motion and the engine's limits."""
    seconds = draft.seconds
    if draft.kind != "dialogue":
        # Speech sets its own pace; the genre paces what is seen.
        seconds *= ctx.tempo
    longest = min(MAX_SHOT, ctx.longest)
    if draft.slow_motion:
        seconds *= SLOW_MOTION_STRETCH
        longest = min(MAX_SLOW_SHOT, ctx.longest)
    return round(min(longest, max(min(MIN_SHOT, longest), seconds)), 2)


# --- finishing --------------------------------------------------------------------------


def _finish(
    shot_id: str, draft: Draft, sides: dict[str, float], ctx: Context, style: Prompt
) -> Shot:
    shot = Shot(
        id=shot_id,
        scene=draft.scene,
        size=draft.size,
        angle=draft.angle,
        move=draft.move,
        direction=draft.direction,
        duration=shot_seconds(draft, ctx),
        slow_motion=draft.slow_motion,
        subjects=draft.subjects,
        screen={name: sides.get(name, 0.5) for name in draft.subjects},
        setting=draft.setting,
        action=draft.action,
        lines=draft.lines,
        transition=draft.transition,
    )
    prompt, negative = compose(shot, ctx.characters, style)
    return shot.model_copy(update={"prompt": prompt, "negative": negative})


def _notes(script: Script) -> str:
    """The text that directs the whole film: the title page and every directing note."""
    texts = [f"{k} {v}" for k, v in script.title_page.items() if k.lower() != "title"]
    for scene in script.scenes:
        texts.extend(
            el.text
            for el in scene.elements
            if isinstance(el, Action | Centered) and grammar.is_note(el.text)
        )
    return "\n".join(texts)


def _style(notes: str) -> Prompt:
    found = grammar.styles(notes)
    return Prompt(en=", ".join(en for en, _ in found), zh="，".join(zh for _, zh in found))


def _beat_count(scene: Scene) -> int:
    return sum(
        1
        for el in scene.elements
        if isinstance(el, Dialogue)
        or (isinstance(el, Action | Centered | Lyric) and not grammar.is_note(el.text))
    )


def _is_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)
