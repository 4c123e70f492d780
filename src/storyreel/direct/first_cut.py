"""The first director: a plain, predictable storyboard from a Script.

An establishing shot whenever the location changes, one shot per action beat, and
shots for the dialogue (a two-shot to open an exchange, then the speaker). Explicit
direction written in the text ("CLOSE ON", "特写", "pushes in", "推近") wins over the
defaults. Durations are first estimates from text length; the voice stage stretches
dialogue shots to fit their speech.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from storyreel.model import (
    Action,
    CameraMove,
    Centered,
    Character,
    Dialogue,
    Direction,
    Lyric,
    Scene,
    Script,
    Setting,
    Shot,
    ShotLine,
    ShotSize,
    Storyboard,
    Transition,
)

# Shot lengths an audience reads comfortably, in seconds.
MIN_SHOT = 2.5
MAX_SHOT = 8.0
ESTABLISHING = 3.5

# Written direction, English and Chinese: (pattern, size) — the first match wins.
_SIZE_CUES: list[tuple[re.Pattern[str], ShotSize]] = [
    (re.compile(r"\bEXTREME CLOSE[- ]?UP\b|\bECU\b|大特写", re.I), ShotSize.extreme_close_up),
    (re.compile(r"\bCLOSE ON\b|\bCLOSE[- ]?UP\b|\bINSERT\b|特写", re.I), ShotSize.close_up),
    (re.compile(r"\bMEDIUM CLOSE\b|近景", re.I), ShotSize.medium_close_up),
    (re.compile(r"\bWIDE\b|\bAERIAL\b|远景|俯瞰", re.I), ShotSize.wide),
]
_MOVE_CUES: list[tuple[re.Pattern[str], CameraMove, Direction | None]] = [
    (
        re.compile(r"push(es)? in|dolly in|zoom(s)? in|推近|推向|推进|镜头.{0,4}推", re.I),
        CameraMove.push_in,
        None,
    ),
    (
        re.compile(r"pull(s)? (back|out)|zoom(s)? out|拉远|拉开|镜头.{0,4}拉", re.I),
        CameraMove.pull_out,
        None,
    ),
    (re.compile(r"\bpans?\b|摇镜|横摇", re.I), CameraMove.pan, None),
    (re.compile(r"\btilts? up\b|仰拍|上摇", re.I), CameraMove.tilt, "up"),
    (re.compile(r"\btilts? down\b|下摇", re.I), CameraMove.tilt, "down"),
    (re.compile(r"\btracks?\b|\bfollows?\b|跟拍|移镜", re.I), CameraMove.track, None),
]
# Movement through space reads better with the camera moving along.
_TRAVEL = re.compile(
    r"\b(walks?|runs?|weaves?|crosses|hurries|wanders|drives?|rides?)\b|穿过|走过|奔跑|跑向|走向",
    re.I,
)


def plan(script: Script, *, width: int = 1280, height: int = 720, fps: int = 24) -> Storyboard:
    """Direct a first storyboard for `script`."""
    shots: list[Shot] = []
    previous_location: str | None = None
    for number, scene in enumerate(script.scenes, start=1):
        setting = Setting(location=scene.location, interior=scene.interior, time=scene.time)
        cast = _scene_cast(scene, script.characters)
        if scene.location and scene.location != previous_location:
            shots.append(_establishing(len(shots), number, scene, setting, cast))
        previous_location = scene.location or previous_location
        shots.extend(_scene_shots(len(shots), number, scene, setting, cast, script.characters))
    return Storyboard(
        title=script.title,
        language=script.language,
        width=width,
        height=height,
        fps=fps,
        characters=dict(script.characters),
        shots=_avoid_jump_cuts(shots),
    )


def _establishing(index: int, number: int, scene: Scene, setting: Setting, cast: list[str]) -> Shot:
    outside = scene.interior != "int"
    return Shot(
        id=str(index + 1),
        scene=number,
        size=ShotSize.extreme_wide if outside else ShotSize.wide,
        move=CameraMove.pan if outside else CameraMove.static,
        direction="right" if outside else None,
        duration=ESTABLISHING,
        subjects=cast,
        setting=setting,
        action=scene.heading or scene.location,
    )


def _scene_shots(
    start: int,
    number: int,
    scene: Scene,
    setting: Setting,
    cast: list[str],
    characters: dict[str, Character],
) -> list[Shot]:
    shots: list[Shot] = []
    speakers_so_far: list[str] = []
    in_exchange = False

    def next_id() -> str:
        return str(start + len(shots) + 1)

    for element in scene.elements:
        if isinstance(element, Dialogue) and not element.text:
            # A cue with only a parenthetical ("MEI / (nods)") is a reaction, not a line.
            in_exchange = False
            shots.append(
                Shot(
                    id=next_id(),
                    scene=number,
                    setting=setting,
                    size=ShotSize.medium_close_up,
                    duration=MIN_SHOT,
                    subjects=[element.character],
                    action=f"{element.character}: ({'; '.join(element.parentheticals)})",
                )
            )
        elif isinstance(element, Dialogue):
            line = ShotLine(
                character=element.character,
                text=element.text,
                lang=element.lang,
                parenthetical=element.parentheticals[0] if element.parentheticals else None,
            )
            if element.dual and shots and shots[-1].lines:
                # Dual dialogue plays over the same picture.
                shots[-1].lines.append(line)
                continue
            if element.character not in speakers_so_far:
                speakers_so_far.append(element.character)
            if not in_exchange:
                # Open the exchange on everyone present, the speaker first.
                subjects = _ordered([element.character], cast, speakers_so_far)
                size = ShotSize.medium if len(subjects) > 1 else ShotSize.medium_close_up
            else:
                subjects = [element.character]
                size = ShotSize.medium_close_up
            shots.append(
                Shot(
                    id=next_id(),
                    scene=number,
                    setting=setting,
                    size=size,
                    duration=_clamp(_speech_estimate(element.text, element.lang) + 1.0),
                    subjects=subjects,
                    action=element.text,
                    lines=[line],
                )
            )
            in_exchange = True
        elif isinstance(element, Action | Centered | Lyric):
            in_exchange = False
            text = element.text
            subjects = _mentioned(text, characters)
            size, move, direction = _framing(text, subjects)
            shots.append(
                Shot(
                    id=next_id(),
                    scene=number,
                    setting=setting,
                    size=size,
                    move=move,
                    direction=direction,
                    duration=_clamp(_reading_time(text)),
                    subjects=subjects,
                    action=text,
                )
            )
        elif isinstance(element, Transition) and shots:
            shots[-1].transition = _transition_kind(element.text)
    return shots


def _framing(text: str, subjects: list[str]) -> tuple[ShotSize, CameraMove, Direction | None]:
    size = next((s for pattern, s in _SIZE_CUES if pattern.search(text)), None)
    if size is None:
        size = ShotSize.full if subjects else ShotSize.wide
    for pattern, move, direction in _MOVE_CUES:
        if pattern.search(text):
            return size, move, direction
    if subjects and _TRAVEL.search(text):
        return size, CameraMove.track, "right"
    return size, CameraMove.static, None


def _avoid_jump_cuts(shots: list[Shot]) -> list[Shot]:
    """Two consecutive shots of the same subjects at the same size within a scene read as
    a jump cut: step the second one a size closer."""
    sizes = list(ShotSize)  # widest to tightest
    for before, after in pairwise(shots):
        same = (before.scene, before.subjects, before.size) == (
            after.scene,
            after.subjects,
            after.size,
        )
        if same:
            i = sizes.index(after.size)
            after.size = sizes[i + 1] if i + 1 < len(sizes) else sizes[i - 1]
    return shots


def _scene_cast(scene: Scene, characters: dict[str, Character]) -> list[str]:
    """Characters who speak or are named in the scene, in order of appearance."""
    found: list[str] = []
    for element in scene.elements:
        names = (
            [element.character]
            if isinstance(element, Dialogue)
            else _mentioned(getattr(element, "text", ""), characters)
        )
        found.extend(n for n in names if n not in found)
    return found


def _mentioned(text: str, characters: dict[str, Character]) -> list[str]:
    """Character names that appear in `text`, in order of appearance."""
    hits: list[tuple[int, str]] = []
    for name in characters:
        if _is_cjk(name):
            pos = text.find(name)
        else:
            match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I)
            pos = match.start() if match else -1
        if pos >= 0:
            hits.append((pos, name))
    return [name for _, name in sorted(hits)]


def _ordered(first: list[str], *groups: Iterable[str]) -> list[str]:
    out = list(first)
    for group in groups:
        out.extend(n for n in group if n not in out)
    return out


def _transition_kind(text: str) -> str:
    t = text.lower()
    if "fade" in t or "淡" in t or "黑场" in t:
        return "fade"
    if "dissolve" in t or "叠化" in t:
        return "dissolve"
    return "cut"


def _is_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def _reading_time(text: str) -> float:
    """How long a beat of action plays: about a second per 3 words / 5 characters."""
    if _is_cjk(text):
        return 1.5 + len(text) / 6.0
    return 1.5 + len(text.split()) / 3.0


def _speech_estimate(text: str, lang: str) -> float:
    if lang in {"zh", "yue", "ja", "ko"} or _is_cjk(text):
        return len(text) / 4.5
    return len(text.split()) / 2.6


def _clamp(seconds: float) -> float:
    return round(min(MAX_SHOT, max(MIN_SHOT, seconds)), 2)
