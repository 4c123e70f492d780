"""The world of each scene (script/world.py) as the planner stages it: the storyboard's
per-scene setting, weather and people, a beat's things, actions and focus, and a film
fitted to the length its brief asks for ("15 second ad", 30秒, `Duration: 0:30`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from storyreel.model import SceneInfo, ScenePerson, SceneWeather, Script, SetPlace, ShotThing
from storyreel.world import Beat, SceneWorld, Thing

# Actions that make a scene an action scene: it gets coverage, not one shot per beat.
ACTION_KINDS = frozenset({"fight", "run", "jump", "fall", "throw", "climb"})
# Names of speakers that are never seen, whatever the cue's extension says.
_OFF_SCREEN_NAMES = frozenset(
    {"voiceover", "voice-over", "voice over", "narrator", "旁白", "画外音"}
)
_VOICE_OVER = frozenset({"v.o.", "vo", "v.o", "voice over", "voice-over", "画外音", "旁白"})
_OFF_STAGE = frozenset({"o.s.", "os", "o.s", "o.c.", "oc", "off", "off screen", "画外"})

# How long the film should be, where the brief says: a number of seconds (or minutes)
# next to a word for a film, or a `Duration:` key of the title page.
_UNIT = r"(?:seconds?|secs?|s|minutes?|mins?|m)"
_FILM = r"(?:ad|advert|advertisement|commercial|spot|film|video|clip|short|trailer|teaser|promo)"
_EN_TARGET = re.compile(rf"\b(\d+(?:\.\d+)?)[\s-]*({_UNIT})\b[\s-]*(?:long\s+)?{_FILM}\b", re.I)
_ZH_TARGET = re.compile(
    r"(\d+(?:\.\d+)?)\s*(秒|分钟)钟?(?:的|长)?\s*(?:广告|短片|视频|宣传片|片|影片|动画)"
)
_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})\s*$")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z秒分钟]*)", re.I)


def scene_info(number: int, world: SceneWorld) -> SceneInfo:
    """The storyboard's record of a scene's world (what storyboard.yaml lets a user edit)."""
    place = world.place
    return SceneInfo(
        scene=number,
        setting=SetPlace(kind=place.kind, interior=place.interior, time=place.time),
        weather=[SceneWeather(kind=w.kind, intensity=w.intensity) for w in world.weather],
        people=[
            ScenePerson(
                name=p.name, description=p.description, gender=p.gender, age=p.age, extra=p.extra
            )
            for p in world.people
        ],
        crowd=world.crowd,
    )


def beat_at(world: SceneWorld | None, element: int) -> Beat | None:
    if world is None:
        return None
    return next((beat for beat in world.beats if beat.element == element), None)


def seen_people(world: SceneWorld | None, beat: Beat | None) -> list[str]:
    """The people a beat shows, groups of extras left to the crowd."""
    if world is None or beat is None:
        return []
    extras = {p.name for p in world.people if p.extra}
    return [name for name in beat.people if name not in extras]


def thing_named(world: SceneWorld | None, name: str) -> Thing | None:
    if world is None:
        return None
    return next((t for t in world.things if t.name == name), None)


def shot_things(world: SceneWorld | None, names: Sequence[str]) -> list[ShotThing]:
    """The beat's things as a shot holds them: one per kind, in the order shown."""
    out: list[ShotThing] = []
    for name in names:
        thing = thing_named(world, name)
        if thing is not None and all(t.kind != thing.kind for t in out):
            out.append(ShotThing(kind=thing.kind, name=thing.name, holder=thing.holder))
    return out


# Poses a later action of the same beat replaces: "They stand in the courtyard. She
# leaps; he falls" shows him falling, not standing.
_POSES = frozenset({"stand", "look"})


def beat_actions(beat: Beat | None, subjects: Sequence[str]) -> dict[str, str]:
    """Each subject's first visible action in the beat (speaking shows as talking),
    a pose giving way to a later action."""
    actions: dict[str, str] = {}
    for act in beat.actions if beat else ():
        person = act.person
        if person is None or person not in subjects or act.kind == "speak":
            continue
        if person not in actions or (actions[person] in _POSES and act.kind not in _POSES):
            actions[person] = act.kind
    return actions


def is_action_scene(world: SceneWorld | None) -> bool:
    """People fight, run or jump in it: it is covered from several sides."""
    if world is None:
        return False
    return any(act.kind in ACTION_KINDS for beat in world.beats for act in beat.actions)


def target_seconds(script: Script) -> float | None:
    """The film's length the brief asks for, in seconds, or None."""
    for key, value in script.title_page.items():
        if key.strip().lower() in ("duration", "length", "runtime", "时长", "片长"):
            seconds = _amount(value)
            if seconds:
                return seconds
    texts = [script.title or ""]
    for scene in script.scenes[:1]:
        texts.append(scene.heading)
        texts.extend(getattr(el, "text", "") for el in scene.elements[:3])
    texts.extend(script.notes)
    for text in texts:
        if match := _EN_TARGET.search(text):
            return _seconds(float(match.group(1)), match.group(2))
        if match := _ZH_TARGET.search(text):
            return _seconds(float(match.group(1)), match.group(2))
    return None


def _amount(value: str) -> float | None:
    clock = _CLOCK.match(value)
    if clock:
        hours, minutes, seconds = (int(g) if g else 0 for g in clock.groups())
        # "0:30" is minutes and seconds; "1:00:00" hours too.
        return (
            float(hours * 3600 + minutes * 60 + seconds)
            if clock.group(1)
            else float(minutes * 60 + seconds)
        )
    match = _AMOUNT.search(value)
    if not match:
        return None
    return _seconds(float(match.group(1)), match.group(2))


def _seconds(amount: float, unit: str) -> float:
    return amount * 60 if unit.lower().startswith(("m", "分")) else amount


def fit_lengths(
    lengths: Sequence[float], fixed: Sequence[bool], target: float, shortest: float = 0.8
) -> list[float]:
    """Shot lengths scaled so they add up to `target`: shots marked `fixed` (speech
    sets their length) keep theirs, the others share what is left in proportion."""
    kept = sum(s for s, f in zip(lengths, fixed, strict=True) if f)
    free = sum(s for s, f in zip(lengths, fixed, strict=True) if not f)
    if free <= 0:
        return list(lengths)
    scale = max(target - kept, shortest * sum(1 for f in fixed if not f)) / free
    return [
        s if f else max(shortest, round(s * scale, 2)) for s, f in zip(lengths, fixed, strict=True)
    ]
