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
  the genre, slow motion, a fast pace (超高速, fast-paced: shots of 2 s at most);
  within the engine's longest shot; a length the brief asks for ("15 second ad",
  30秒) is met by fitting the shots that carry no speech;
* the world of each scene (script/world.py): the people a beat shows, unnamed ones
  included, are its subjects, with their actions; its props are the shot's things;
  "CLOSE ON the lantern" / 特写：茶杯 is an insert framing the prop; an action scene
  without dialogue gets coverage (the fighters, each of them, inserts of what they
  hold, a reaction); V.O. plays over the scene, an O.S. line shows the listener;
  centred text is a title card; a threatening moment is shot from below, a lonely one
  from above.

Every shot ends with an engine prompt composed from all of the above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import ClassVar, Literal

from storyreel.direct import grammar, staging
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
    SceneInfo,
    Script,
    Setting,
    Shot,
    ShotLine,
    ShotSize,
    ShotThing,
    Storyboard,
    Transition,
    TransitionKind,
)
from storyreel.script.world import extract_world, off_screen
from storyreel.vocab import Vocabulary
from storyreel.world import Beat, SceneWorld

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

# A fast-paced film (超高速, fast-paced) cuts at least this often.
FAST_SHOT = 2.0
FASTEST_SHOT = 1.0
CARD = 2.5

# A moment of power or threat is shot from below; a small, lonely one from above.
_LOOMING = re.compile(
    r"\b(looms?|towers?|threatens?|menacing|towering|advances? on|corners?)\b|逼近|威胁|居高临下|"
    r"杀气|压迫|霸气|定胜负",
    re.IGNORECASE,
)
_LONELY = re.compile(
    r"\b(alone|lonely|small|tiny|lost|abandoned|huddles?|shrinks?)\b|孤独|独自|孤零零|渺小|蜷缩|无助",
    re.IGNORECASE,
)

# Words written to be shown on screen, not filmed: a title card.
_CARD_TEXT = re.compile(
    r"^\s*(?:text on screen|on-screen text|title card|caption|super|字幕卡|屏幕文字|字幕)"
    r"\s*[:：]\s*[\"“]?(?P<text>.+?)[\"”]?[.。]?\s*$",
    re.IGNORECASE,
)

Kind = Literal["establishing", "action", "dialogue", "reaction", "insert", "card"]


def card_text(action: str) -> str | None:
    """The words an action asks to show on screen (`Text on screen: "..."`), else None."""
    shown = _CARD_TEXT.match(action)
    return shown.group("text") if shown else None


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
    things: list[ShotThing] = field(default_factory=list)
    actions: dict[str, str] = field(default_factory=dict)
    focus: str | None = None
    card: str | None = None
    # Cut fast: 超高速 / fast-paced.
    fast: bool = False


@dataclass(frozen=True)
class Context:
    characters: dict[str, Character]
    language: str
    tempo: float  # the genre's pace, < 1 cuts faster
    longest: float  # the engine's longest shot (or ours)
    fast: bool = False  # the whole film is fast-paced


def plan_rules(
    script: Script,
    *,
    width: int = 1280,
    height: int = 720,
    fps: int = 24,
    max_duration: float | None = None,
    vocabulary: Vocabulary | None = None,
) -> Storyboard:
    """Direct `script` into a storyboard by the rules above, its world read with
    `vocabulary` (the bundled one when None)."""
    notes = _notes(script)
    worlds = extract_world(script, vocabulary)
    characters = dict(script.characters)
    for world in worlds:
        for person in world.people:
            # Unnamed people (白发剑士, the young woman) are cast like characters, so
            # they look the same in every shot and the cast can describe them.
            if person.name not in characters and not person.extra:
                characters[person.name] = Character(
                    name=person.name, description=person.description
                )
    ctx = Context(
        characters=characters,
        language=script.language,
        tempo=grammar.genre_tempo(notes),
        longest=max_duration or MAX_SLOW_SHOT,
        fast=grammar.read_cues(notes).fast_pace,
    )
    drafts: list[Draft] = []
    sides: dict[int, dict[str, float]] = {}
    infos: list[SceneInfo] = []
    previous_location: str | None = None
    for number, (scene, world) in enumerate(zip(script.scenes, worlds, strict=True), start=1):
        # A place the prose names only by its words (在暴风雨中驾船) is a place too.
        location = scene.location or world.place.kind or ""
        new_place = bool(location) and location != previous_location
        drafts.extend(scene_drafts(number, scene, ctx, establish=new_place, world=world))
        sides[number] = screen_sides(scene_cast(scene, ctx.characters, world))
        infos.append(staging.scene_info(number, world))
        previous_location = location or previous_location
    no_jump_cuts(drafts)
    style = _style(notes)
    lengths = [shot_seconds(draft, ctx) for draft in drafts]
    target = staging.target_seconds(script)
    if target is not None and drafts:
        lengths = staging.fit_lengths(lengths, [bool(d.lines) for d in drafts], target)
    by_number = {info.scene: info for info in infos}
    shots = [
        _finish(str(i), draft, sides[draft.scene], ctx, style, (seconds, by_number[draft.scene]))
        for i, (draft, seconds) in enumerate(zip(drafts, lengths, strict=True), start=1)
    ]
    return Storyboard(
        title=script.title,
        language=script.language,
        width=width,
        height=height,
        fps=fps,
        style=style,
        characters=characters,
        scenes=infos,
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
            vocabulary=request.vocabulary,
        )


# --- a scene ----------------------------------------------------------------------------


def scene_drafts(
    number: int,
    scene: Scene,
    ctx: Context,
    *,
    establish: bool,
    world: SceneWorld | None = None,
) -> list[Draft]:
    setting = Setting(location=scene.location, interior=scene.interior, time=scene.time)
    cast = scene_cast(scene, ctx.characters, world)
    texts = [el.text for el in scene.elements if isinstance(el, Action | Centered | Lyric)]
    notes = " ".join(t for t in texts if grammar.is_note(t))
    ladder = next((cues.ladder for t in texts if (cues := grammar.read_cues(t)).ladder), ())
    beats = _beat_count(scene) + establish
    action_scene = staging.is_action_scene(world) and not any(
        isinstance(el, Dialogue) for el in scene.elements
    )
    drafts: list[Draft] = []
    if establish:
        drafts.append(establishing(number, scene, setting, cast, world))
    drafts.extend(
        coverage(
            number,
            scene,
            setting,
            cast,
            ctx,
            split=len(ladder) > beats and not action_scene,
            world=world,
            action_scene=action_scene,
        )
    )
    scene_cues = grammar.read_cues(notes)
    for draft in drafts:
        if scene_cues.slow_motion and draft.kind not in ("dialogue", "card"):
            draft.slow_motion = True
        if (scene_cues.fast_pace or ctx.fast) and draft.kind != "dialogue":
            draft.fast = True
        if scene_cues.angle and draft.angle == Angle.eye_level:
            draft.angle = scene_cues.angle
    if ladder:
        climb(drafts, ladder)
    return drafts


def establishing(
    number: int,
    scene: Scene,
    setting: Setting,
    cast: list[str],
    world: SceneWorld | None = None,
) -> Draft:
    outside = scene.interior != "int"
    if world is not None and world.place.interior is not None:
        outside = world.place.interior != "int"
    # The place with what stands in it: the lanterns and stalls of a market.
    standing = [t.name for t in world.things if t.holder is None] if world else []
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
        things=staging.shot_things(world, standing),
        # Seen in the place, doing nothing in particular yet.
        actions={name: "stand" for name in cast},
    )


def coverage(
    number: int,
    scene: Scene,
    setting: Setting,
    cast: list[str],
    ctx: Context,
    *,
    split: bool = False,
    world: SceneWorld | None = None,
    action_scene: bool = False,
) -> list[Draft]:
    """The shots of a scene's elements: action beats and dialogue coverage."""
    drafts: list[Draft] = []
    elements = scene.elements
    open_exchange = False
    last_speaker: str | None = None
    turn = 0
    for index, element in enumerate(elements):
        beat = staging.beat_at(world, index)
        if isinstance(element, Centered) and not grammar.is_note(element.text):
            drafts.append(card(number, setting, element.text))
        elif isinstance(element, Action) and (shown := _CARD_TEXT.match(element.text)):
            drafts.append(card(number, setting, shown.group("text")))
        elif (
            isinstance(element, Dialogue)
            and element.text
            and (away := off_screen(element.character, element.extensions))
        ):
            # Heard, not seen: V.O. plays over what the scene shows; O.S. shows the
            # one listening.
            open_exchange, last_speaker = True, element.character
            listener = listener_of(element.character, None, _next_speaker(elements, index), cast)
            drafts.append(unseen_line(number, setting, element, drafts, listener, away))
        elif isinstance(element, Dialogue) and not element.text:
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
            shot = dialogue_shot(number, setting, element, line, listener, turn)
            shot.actions = staging.beat_actions(beat, shot.subjects)
            drafts.append(shot)
            open_exchange, last_speaker = True, element.character
            if listener and lands(element.text) and answer != listener:
                drafts.append(reaction(number, setting, listener, _reacts(listener, ctx)))
        elif isinstance(element, Action | Centered | Lyric):
            if grammar.is_note(element.text):
                continue  # direction for the whole scene, applied by scene_drafts
            open_exchange = False
            pieces = clauses(element.text) if split else [element.text]
            shots = [action_shot(number, setting, text, cast, ctx) for text in pieces]
            for shot in shots:
                stage_beat(shot, world, beat)
            if action_scene and len(shots) == 1 and shots[0].kind == "action":
                shots = action_coverage(shots[0], world)
            drafts.extend(shots)
        elif isinstance(element, Transition) and drafts:
            drafts[-1].transition = grammar.transition_of(element.text)
    return drafts


def card(number: int, setting: Setting, text: str) -> Draft:
    """Centred text (`> THE END <`): the words alone on a card, no one in it."""
    words = text.strip().strip("><").strip()
    return Draft(
        kind="card",
        scene=number,
        setting=setting,
        size=ShotSize.full,
        action=words,
        card=words,
        seconds=CARD,
        fixed_size=True,
    )


def unseen_line(
    number: int,
    setting: Setting,
    element: Dialogue,
    drafts: list[Draft],
    listener: str | None,
    away: str,
) -> Draft:
    """A line whose speaker is not in the picture. An O.S. line shows its listener; a
    voice-over shows what the scene showed last (a wide of the place when nothing)."""
    before = drafts[-1] if drafts and drafts[-1].scene == number else None
    if away == "os" and listener:
        subjects, size = [listener], ShotSize.medium_close_up
    elif before is not None and before.kind != "card":
        subjects = [n for n in before.subjects if n != element.character]
        size = before.size if subjects or before.things else ShotSize.wide
    else:
        subjects, size = [], ShotSize.wide
    draft = Draft(
        kind="dialogue",
        scene=number,
        setting=setting,
        size=size,
        subjects=subjects,
        action=element.text,
        lines=[_line(element)],
        seconds=speech_seconds(element.text, element.lang) + 1.0,
    )
    if before is not None and away == "vo":
        draft.things = [t for t in before.things]
        draft.actions = {n: a for n, a in before.actions.items() if n in subjects}
        draft.focus = before.focus if before.focus != element.character else None
    return draft


def stage_beat(draft: Draft, world: SceneWorld | None, beat: Beat | None) -> None:
    """What the scene's world says the beat shows: its people (unnamed ones too), what
    each does, its props, and what it frames first. A beat that shows a prop and no one
    is an insert of that prop."""
    if beat is None:
        return
    people = [*draft.subjects]
    people.extend(n for n in staging.seen_people(world, beat) if n not in people)
    if people and not draft.subjects and not draft.fixed_size:
        draft.size = ShotSize.full  # someone the text describes is seen: frame them
    draft.subjects = people
    draft.things = staging.shot_things(world, beat.things)
    # Someone seen doing nothing the vocabulary knows is standing there.
    draft.actions = {name: "stand" for name in people} | staging.beat_actions(beat, people)
    focus = staging.thing_named(world, beat.focus) if beat.focus else None
    draft.focus = focus.kind if focus else (beat.focus if beat.focus in people else None)
    if focus is not None and not people:
        close = draft.fixed_size or len(draft.things) == 1
        if close:
            draft.kind = "insert"
            draft.things = [t for t in draft.things if t.kind == focus.kind]
            if not draft.fixed_size:
                draft.size = ShotSize.close_up
            draft.fixed_size = True
    if _LOOMING.search(draft.action) and draft.angle == Angle.eye_level and people:
        draft.angle = Angle.low
    elif _LONELY.search(draft.action) and draft.angle == Angle.eye_level and people:
        draft.angle = Angle.high


def action_coverage(beat: Draft, world: SceneWorld | None) -> list[Draft]:
    """An action beat covered as an action scene is: the fighters together, each of
    them (the attacker from below), the other's reaction, and an insert of what they
    hold."""
    people = beat.subjects[:2]
    if not people:
        return [beat]
    # One doer written for a duel (白发剑士与黑甲武士…对决) means both of them fight.
    kind = next((a for a in beat.actions.values() if a in staging.ACTION_KINDS), None)
    if kind is not None:
        beat.actions = {n: kind if a == "stand" else a for n, a in beat.actions.items()}
    shots = [beat]
    pace = max(MIN_SHOT, beat.seconds / 2)

    def part(kind: Kind, subjects: list[str], size: ShotSize) -> Draft:
        return Draft(
            kind=kind,
            scene=beat.scene,
            setting=beat.setting,
            size=size,
            subjects=subjects,
            action=beat.action,
            seconds=pace,
            things=[t for t in beat.things if t.holder in subjects],
            actions={n: a for n, a in beat.actions.items() if n in subjects}
            or {n: "fight" for n in subjects},
            focus=subjects[0] if subjects else None,
            slow_motion=beat.slow_motion,
        )

    # One person doing something is the beat's own shot; two are covered apart.
    for i, name in enumerate(people if len(people) > 1 else []):
        single = part("action", [name], ShotSize.medium)
        single.angle = Angle.low if i == 0 else Angle.eye_level
        shots.append(single)
    if len(people) > 1:
        shots.append(part("reaction", [people[-1]], ShotSize.medium_close_up))
    # The inserts come last, the closest shots of the scene (the blade that decides it).
    for thing in beat.things:
        insert = part("insert", [], ShotSize.close_up)
        insert.things, insert.focus, insert.actions = [thing], thing.kind, {}
        shots.append(insert)
    return shots


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
        translation=element.translation,
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


def scene_cast(
    scene: Scene, characters: dict[str, Character], world: SceneWorld | None = None
) -> list[str]:
    """Characters who speak on screen or are named in the scene, then the people its
    world sees (unnamed ones too), in order of appearance."""
    found: list[str] = []
    for element in scene.elements:
        if isinstance(element, Dialogue):
            away = off_screen(element.character, element.extensions) == "vo"
            names = [] if away else [element.character]
        elif isinstance(element, Action | Centered | Lyric):
            names = mentioned(element.text, characters)
        else:
            names = []
        found.extend(n for n in names if n not in found)
    if world is not None:
        seen = {name for beat in world.beats for name in staging.seen_people(world, beat)}
        found.extend(p.name for p in world.people if p.name in seen and p.name not in found)
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
    if draft.fast:
        # Cut fast: every shot of what is seen within FAST_SHOT, however slow its beat.
        return round(min(FAST_SHOT, ctx.longest, max(FASTEST_SHOT, seconds / 2)), 2)
    return round(min(longest, max(min(MIN_SHOT, longest), seconds)), 2)


# --- finishing --------------------------------------------------------------------------


def _finish(
    shot_id: str,
    draft: Draft,
    sides: dict[str, float],
    ctx: Context,
    style: Prompt,
    fitted: tuple[float, SceneInfo],
) -> Shot:
    seconds, scene = fitted
    shot = Shot(
        id=shot_id,
        scene=draft.scene,
        size=draft.size,
        angle=draft.angle,
        move=draft.move,
        direction=draft.direction,
        duration=seconds,
        slow_motion=draft.slow_motion,
        subjects=draft.subjects,
        screen={name: sides.get(name, 0.5) for name in draft.subjects},
        setting=draft.setting,
        action=draft.action,
        lines=draft.lines,
        transition=draft.transition,
        things=draft.things,
        actions=draft.actions,
        focus=draft.focus,
        card=draft.card,
    )
    prompt, negative = compose(shot, ctx.characters, style, scene)
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
