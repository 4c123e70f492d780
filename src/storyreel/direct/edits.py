"""The user's edits win over re-planning: a three-way merge of storyboards.

Three versions meet when the story changes under an edited storyboard:

* `planned`: what the planner made last time (kept in the file's `planned:` block);
* `user`: the file as the user left it;
* `fresh`: what the planner makes of the story now.

Field by field, a value the user changed (user != planned) is kept; a value the user
left alone follows the fresh plan. A shot the user deleted stays deleted, a shot the
user added stays where it was put, a new beat of the story comes in after the shot
before it. Planned and fresh shots are paired by their content (place, action, lines,
subjects), not by position, so a new line early in the story does not shift every edit
onto the wrong shot.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from storyreel.direct.prompts import compose
from storyreel.model import SceneInfo, Shot, Storyboard

# Storyboard fields a user may edit and a re-plan may change.
_BOARD_FIELDS = ("title", "language", "style", "music", "characters")
# Shot fields the prompt is composed from.
_PROMPTS = ("prompt", "negative")


@dataclass(frozen=True)
class Merged:
    board: Storyboard  # what to film
    planned: Storyboard  # the fresh plan under the ids the merged board uses: the next base


def merge(user: Storyboard, planned: Storyboard, fresh: Storyboard) -> Merged:
    """Merge the user's storyboard with a fresh plan, the user's edits winning."""
    pairs = pair_shots(planned.shots, fresh.shots)  # planned id -> fresh index
    planned_by_id = {shot.id: shot for shot in planned.shots}
    top = {name: _pick(user, planned, fresh, name) for name in _BOARD_FIELDS}
    top["scenes"] = merge_scenes(user.scenes, planned.scenes, fresh.scenes)
    board_changed = any(top[name] != getattr(fresh, name) for name in top)

    kept: list[Shot] = []
    fresh_at: dict[int, int] = {}  # fresh index -> position in `kept`
    for shot in user.shots:
        base = planned_by_id.get(shot.id)
        if base is None:
            kept.append(shot)  # the user's own shot
            continue
        index = pairs.get(shot.id)
        if index is None:
            # The story no longer has this beat: keep it only if the user worked on it.
            if shot != base:
                kept.append(shot)
            continue
        merged = merge_shot(shot, base, fresh.shots[index])
        if _needs_new_prompt(shot, base, merged, fresh.shots[index], board_changed):
            scene = _scene(top["scenes"], merged.scene)
            prompt, negative = compose(merged, top["characters"], top["style"], scene)
            merged = merged.model_copy(update={"prompt": prompt, "negative": negative})
        fresh_at[index] = len(kept)
        kept.append(merged)

    ids = _IdMaker({s.id for s in user.shots} | set(planned_by_id))
    paired = {index: shot_id for shot_id, index in pairs.items()}
    after: dict[int, list[Shot]] = {}
    anchor = -1
    next_planned: list[Shot] = []
    for index, shot in enumerate(fresh.shots):
        if index in fresh_at:
            anchor = fresh_at[index]
        if index in paired:
            next_planned.append(shot.model_copy(update={"id": paired[index]}))
            continue
        new = shot.model_copy(update={"id": ids.next()})
        after.setdefault(anchor, []).append(new)
        next_planned.append(new)

    shots = list(after.get(-1, []))
    for position, shot in enumerate(kept):
        shots.append(shot)
        shots.extend(after.get(position, []))
    board = user.model_copy(update={**top, "shots": shots})
    return Merged(board, fresh.model_copy(update={"shots": next_planned}))


def keep_ids(fresh: Storyboard, previous: Storyboard) -> Storyboard:
    """`fresh` with every shot that films a beat of `previous` under that shot's id, and
    the new ones under ids `previous` never used. A make planned from the story alone
    (no storyboard file to merge with) then leaves the ids, and with them the takes and
    the pins, of every shot a new line did not touch."""
    pairs = {index: shot_id for shot_id, index in pair_shots(previous.shots, fresh.shots).items()}
    ids = _IdMaker({shot.id for shot in previous.shots})
    shots = [
        shot.model_copy(update={"id": pairs[index] if index in pairs else ids.next()})
        for index, shot in enumerate(fresh.shots)
    ]
    return fresh.model_copy(update={"shots": shots})


def merge_scenes(
    user: list[SceneInfo], planned: list[SceneInfo], fresh: list[SceneInfo]
) -> list[SceneInfo]:
    """Scene by scene (by number), field by field: the user's setting, weather, people
    or crowd where they changed it, else the fresh plan's. A scene the user added stays;
    one they deleted stays deleted while the planner still plans it as before."""
    mine = {info.scene: info for info in user}
    base = {info.scene: info for info in planned}
    merged: dict[int, SceneInfo] = {}
    for info in fresh:
        if info.scene in mine and info.scene in base:
            values = {
                name: _pick(mine[info.scene], base[info.scene], info, name)
                for name in SceneInfo.model_fields
            }
            merged[info.scene] = SceneInfo.model_validate(values)
        elif info.scene in base and base[info.scene] == info:
            continue  # deleted by the user, and the plan has nothing new for it
        else:
            merged[info.scene] = info
    for number, info in mine.items():
        if number not in base:
            merged[number] = info  # the user's own
    return [merged[number] for number in sorted(merged)]


def _scene(scenes: list[SceneInfo], number: int) -> SceneInfo | None:
    return next((info for info in scenes if info.scene == number), None)


def merge_shot(user: Shot, planned: Shot, fresh: Shot) -> Shot:
    """Field by field: the user's value where they changed it, else the fresh one."""
    values = {name: _pick(user, planned, fresh, name) for name in Shot.model_fields}
    values["id"] = user.id
    return Shot.model_validate(values)


def pair_shots(planned: list[Shot], fresh: list[Shot]) -> dict[str, int]:
    """Planned shot id -> index of the fresh shot that films the same beat.

    Identical beats pair first (a longest-matching-blocks alignment); in a stretch
    where the story was rewritten, shots pair up in order, so an edited line keeps the
    user's framing of it.
    """
    a = [_signature(shot) for shot in planned]
    b = [_signature(shot) for shot in fresh]
    pairs: dict[str, int] = {}
    matcher = SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            for offset in range(min(i2 - i1, j2 - j1)):
                pairs[planned[i1 + offset].id] = j1 + offset
    return pairs


def _signature(shot: Shot) -> tuple[Any, ...]:
    return (
        shot.scene,
        shot.setting.location,
        shot.action,
        tuple(line.text for line in shot.lines),
        tuple(shot.subjects),
    )


def _pick(user: Any, planned: Any, fresh: Any, name: str) -> Any:
    mine = getattr(user, name)
    return mine if mine != getattr(planned, name) else getattr(fresh, name)


def _needs_new_prompt(
    user: Shot, planned: Shot, merged: Shot, fresh: Shot, board_changed: bool
) -> bool:
    """The prompt follows the shot unless the user wrote it: recompose it when the shot
    as filmed differs from the fresh plan's (or its characters or style changed)."""
    if any(getattr(user, n) != getattr(planned, n) for n in _PROMPTS):
        return False
    differs = any(
        getattr(merged, n) != getattr(fresh, n)
        for n in Shot.model_fields
        if n not in (*_PROMPTS, "id")
    )
    return differs or board_changed


class _IdMaker:
    """Ids for new shots: the next free whole numbers after every id in use."""

    def __init__(self, used: set[str]):
        self.used = set(used)
        self.counter = max((int(i) for i in used if i.isdigit()), default=0)

    def next(self) -> str:
        self.counter += 1
        while str(self.counter) in self.used:
            self.counter += 1
        self.used.add(str(self.counter))
        return str(self.counter)
