"""A storyboard diff: what an edit changes, field by field, as a frozen value.

    diff = diff_boards(board, edited)   # the changes from one storyboard to another
    print("\\n".join(describe(diff)))   # shot 7: size medium (中景) -> close-up (特写)
    board = apply_diff(board, diff)     # the same edit made on `board`

An instruction (`instruct.py`) and a style file (`look.py`) both become one of these:
it is shown first, then applied to the storyboard file. Applying checks that every
value is still what the diff was made from, so a diff shown in the studio and applied
a minute later does not overwrite an edit made in between.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from storyreel.errors import StoryreelError
from storyreel.model import Angle, CameraMove, SceneInfo, Shot, ShotSize, Storyboard, TransitionKind

Where = Literal["film", "scene", "shot"]
# Fields whose parts are shown and applied one by one (a scene's time, not its whole
# setting). Others (lists, the actions by name) change as a whole and are described
# by what was added and taken out.
_NESTED = {
    "shot": ("setting", "prompt", "negative"),
    "scene": ("setting",),
    "film": ("style",),
}
_TERMS: dict[str, Any] = {
    "size": ShotSize,
    "angle": Angle,
    "move": CameraMove,
    "transition": TransitionKind,
}


class DiffError(StoryreelError):
    """A diff cannot be applied: the storyboard changed under it, or the result is not
    a valid storyboard."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldChange(_Frozen):
    """One value of the storyboard, before and after (JSON values, as the file has them)."""

    where: Where
    # The shot's id, the scene's number, or "" for the film.
    key: str = Field(default="", max_length=64)
    # The field, and the part of it for a nested one: ("setting", "time").
    path: tuple[str, ...] = Field(min_length=1, max_length=3)
    before: JsonValue = None
    after: JsonValue = None


class AddedShot(_Frozen):
    shot: Shot
    # The shot it follows; None: the film's first.
    after: str | None = None


class BoardDiff(_Frozen):
    changes: tuple[FieldChange, ...] = ()
    # Shot ids taken out.
    deleted: tuple[str, ...] = ()
    added: tuple[AddedShot, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.changes or self.deleted or self.added)

    @property
    def shots(self) -> set[str]:
        """The ids of the shots this diff touches (a scene's change touches none)."""
        return (
            {c.key for c in self.changes if c.where == "shot"}
            | set(self.deleted)
            | {a.shot.id for a in self.added}
        )


# --- making a diff ----------------------------------------------------------------------


def diff_boards(before: Storyboard, after: Storyboard) -> BoardDiff:
    """Every difference between two storyboards. Shots pair by id, scenes by number;
    a shot whose place among the others changed is not a change (edits do not reorder)."""
    changes: list[FieldChange] = []
    old = before.model_dump(mode="json")
    new = after.model_dump(mode="json")
    for name in Storyboard.model_fields:
        if name not in ("shots", "scenes"):
            changes += _field_changes("film", "", name, old[name], new[name])
    old_scenes = {s["scene"]: s for s in old["scenes"]}
    new_scenes = {s["scene"]: s for s in new["scenes"]}
    for number in sorted(old_scenes.keys() | new_scenes.keys()):
        a, b = old_scenes.get(number), new_scenes.get(number)
        if a is None or b is None:
            # A scene with no world yet gets one: each field from the defaults.
            base = SceneInfo(scene=number).model_dump(mode="json")
            a, b = a or base, b or base
        for name in SceneInfo.model_fields:
            if name != "scene":
                changes += _field_changes("scene", str(number), name, a[name], b[name])
    old_shots = {s["id"]: s for s in old["shots"]}
    new_ids = [s["id"] for s in new["shots"]]
    for shot in new["shots"]:
        if shot["id"] in old_shots:
            for name in Shot.model_fields:
                if name != "id":
                    changes += _field_changes(
                        "shot", shot["id"], name, old_shots[shot["id"]][name], shot[name]
                    )
    added = [
        AddedShot(shot=shot, after=new_ids[i - 1] if i else None)
        for i, shot in enumerate(after.shots)
        if shot.id not in old_shots
    ]
    deleted = tuple(s.id for s in before.shots if s.id not in set(new_ids))
    return BoardDiff(changes=tuple(changes), deleted=deleted, added=tuple(added))


def _field_changes(where: Where, key: str, name: str, a: Any, b: Any) -> list[FieldChange]:
    if a == b:
        return []
    if name in _NESTED[where] and isinstance(a, dict) and isinstance(b, dict):
        return [
            FieldChange(where=where, key=key, path=(name, part), before=a.get(part), after=b[part])
            for part in b
            if a.get(part) != b[part]
        ]
    return [FieldChange(where=where, key=key, path=(name,), before=a, after=b)]


# --- applying it ------------------------------------------------------------------------


def apply_diff(board: Storyboard, diff: BoardDiff) -> Storyboard:
    """`board` with `diff` made on it; DiffError when a value is no longer the one the
    diff was made from, or the result is not a valid storyboard."""
    data = board.model_dump(mode="json")
    shots = {s["id"]: s for s in data["shots"]}
    scenes = {s["scene"]: s for s in data["scenes"]}
    for change in diff.changes:
        if change.where == "film":
            target = data
        elif change.where == "scene":
            number = int(change.key)
            base = SceneInfo(scene=number).model_dump(mode="json")
            target = scenes.setdefault(number, base)
        else:
            if change.key not in shots:
                raise DiffError(f"shot {change.key} is no longer in the storyboard")
            target = shots[change.key]
        *parents, last = change.path
        for part in parents:
            target = target[part]
        if target.get(last) != change.before:
            raise DiffError(
                f"{_label(change)}: {'.'.join(change.path)} is now {_show(target.get(last))}, "
                f"not {_show(change.before)}: the storyboard changed since; make the edit again"
            )
        target[last] = change.after
    for shot_id in diff.deleted:
        if shots.pop(shot_id, None) is None:
            raise DiffError(f"shot {shot_id} is no longer in the storyboard")
    order = [s["id"] for s in data["shots"] if s["id"] in shots]
    for added in diff.added:
        if added.shot.id in shots:
            raise DiffError(f"shot id {added.shot.id} is already used")
        shots[added.shot.id] = added.shot.model_dump(mode="json")
        at = order.index(added.after) + 1 if added.after in order else len(order)
        order.insert(0 if added.after is None else at, added.shot.id)
    data["shots"] = [shots[i] for i in order]
    data["scenes"] = [scenes[n] for n in sorted(scenes)]
    try:
        return Storyboard.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise DiffError(
            f"the edit does not make a valid storyboard: {where}: {problem['msg']}"
        ) from None


# --- showing it -------------------------------------------------------------------------


def describe(diff: BoardDiff, board: Storyboard | None = None) -> list[str]:
    """One line per change, as a person reads them: "shot 7: size medium (中景) ->
    close-up (特写)". `board` (the storyboard before) names what a deleted shot showed."""
    lines: list[str] = []
    for change in diff.changes:
        lines += _describe_change(change)
    by_id = {s.id: s for s in board.shots} if board is not None else {}
    for shot_id in diff.deleted:
        shot = by_id.get(shot_id)
        what = f" ({_summary(shot)})" if shot is not None else ""
        lines.append(f"shot {shot_id}: deleted{what}")
    for added in diff.added:
        where = f"after shot {added.after}" if added.after else "at the start"
        lines.append(f"shot {added.shot.id}: added {where} ({_summary(added.shot)})")
    return lines


def _describe_change(change: FieldChange) -> list[str]:
    label = _label(change)
    name = ".".join(change.path)
    field = change.path[0]
    if field == "lines" and isinstance(change.before, list) and isinstance(change.after, list):
        return _line_changes(label, change.before, change.after)
    if isinstance(change.before, dict) and isinstance(change.after, dict):
        out = []
        for k in sorted(change.before.keys() | change.after.keys()):
            a, b = change.before.get(k), change.after.get(k)
            if a != b:
                out.append(f"{label}: {name}.{k} {_show(a)} -> {_show(b)}")
        return out
    if field == "weather" and isinstance(change.after, list):
        return [f"{label}: weather {_weather(change.before)} -> {_weather(change.after)}"]
    if field in _TERMS and len(change.path) == 1:
        return [f"{label}: {name} {_term(field, change.before)} -> {_term(field, change.after)}"]
    if field == "duration":
        return [f"{label}: duration {change.before} s -> {change.after} s"]
    return [f"{label}: {name} {_show(change.before)} -> {_show(change.after)}"]


def _line_changes(label: str, before: list[Any], after: list[Any]) -> list[str]:
    def said(line: dict[str, Any]) -> str:
        return f"{line.get('character')} “{line.get('text')}”"

    kept = [said(x) for x in after]
    out = [f"{label}: line deleted: {said(x)}" for x in before if said(x) not in kept]
    was = [said(x) for x in before]
    out += [f"{label}: line added: {said(x)}" for x in after if said(x) not in was]
    return out or [f"{label}: lines changed"]


def _label(change: FieldChange) -> str:
    return {"film": "film", "scene": f"scene {change.key}", "shot": f"shot {change.key}"}[
        change.where
    ]


def _term(field: str, value: Any) -> str:
    try:
        member = _TERMS[field](value)
    except ValueError:
        return _show(value)
    return f"{member.en} ({member.zh})"


def _weather(value: Any) -> str:
    if not value:
        return "(none)"
    return ", ".join(f"{w['kind']} {w['intensity']:g}" for w in value if isinstance(w, dict))


def _show(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _summary(shot: Shot) -> str:
    who = f" of {', '.join(shot.subjects)}" if shot.subjects else ""
    return f"scene {shot.scene}, {shot.size.en}{who}, {shot.duration:g} s"
