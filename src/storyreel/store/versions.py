"""Versions of a film, the differences between them, and the takes a creator keeps.

Every make records a version: the storyboard it filmed and the take it used per shot.
`diff` says what changed between two versions, field by field; `checkout` gives back
an old storyboard; a pinned take is used by every later make until it is unpinned;
`unused_takes` names the takes a prune may delete.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from storyreel.direct.board_file import read_document
from storyreel.errors import StoryreelError
from storyreel.keys import digest, file_digest
from storyreel.model import Storyboard
from storyreel.project import Project
from storyreel.store.db import Store, has_store, open_store
from storyreel.store.records import TakeRecord, VersionRecord
from storyreel.timeline import Timeline

# People type the start of a take key, as with git commits; shorter would be ambiguous
# too often to be worth it.
MIN_KEY_PREFIX = 4


class VersionError(StoryreelError):
    """A version, shot or take named by the user does not exist (or is ambiguous)."""


class NoVersions(VersionError):
    """The project has no store yet: nothing was made in it."""


class UnknownVersion(VersionError):
    pass


class UnknownShot(VersionError):
    pass


class UnknownTake(VersionError):
    pass


# --- versions -------------------------------------------------------------------------


def storyboard_key(board: Storyboard) -> str:
    """A digest of the storyboard's content, the same for equal storyboards."""
    return digest(board.model_dump(mode="json"))


def record_version(
    store: Store,
    board: Storyboard,
    takes: Mapping[str, str],
    outputs: Mapping[str, Any] | None = None,
    message: str = "",
) -> VersionRecord:
    """Record a make: the storyboard it filmed, its take key per shot id, what it wrote."""
    snapshot = board.model_dump(mode="json")
    return store.add_version(snapshot, digest(snapshot), takes, outputs or {}, message)


def log(store: Store) -> list[VersionRecord]:
    """Every version, newest first."""
    return list(reversed(store.versions()))


def get_version(store: Store, number: int) -> VersionRecord:
    found = store.version(number)
    if found is None:
        numbers = [v.number for v in store.versions()]
        known = f"versions are 1 to {max(numbers)}" if numbers else "no version is recorded yet"
        raise UnknownVersion(f"no version {number}; {known}")
    return found


def checkout(store: Store, number: int) -> Storyboard:
    """The storyboard of version `number`; the caller writes it where it belongs."""
    return _board(get_version(store, number))


# The key, in a version's outputs, of the storyboard file the make read (its bytes'
# digest): the file holds the storyboard before the voices fit the shots to their speech,
# so its board is not the one the version records.
STORYBOARD_FILE = "storyboard_file"


# The key, in a version's outputs, of the timeline the make cut the film by.
TIMELINE = "timeline"


def filmed_timeline(version: VersionRecord) -> Timeline | None:
    """Where every shot, line and cue sat in `version`'s film (its lines without their
    words, which a version does not keep); None for a version recorded before makes
    kept their timeline."""
    recorded = version.outputs.get(TIMELINE)
    if recorded is None:
        return None
    try:
        return Timeline.model_validate(recorded)
    except ValidationError as error:
        raise VersionError(
            f"version {version.number}'s timeline cannot be read ({error.errors()[0]['msg']})"
        ) from None


# A storyboard's frame is the make's setting (`--width`, a studio make's size), not the
# creator's edit: a checkout may write a version's shots at the project's own frame.
_FRAME = ("width", "height", "fps")


def unrecorded_changes(store: Store, path: Path) -> bool:
    """True when the storyboard file at `path` holds what no make recorded: neither a
    file some make read nor a version's shots (which a checkout wrote). Replacing it
    would lose the creator's work; anything else is kept in a version."""
    if not path.exists():
        return False
    versions = store.versions()
    if file_digest(path) in {v.outputs.get(STORYBOARD_FILE) for v in versions}:
        return False
    try:
        board = read_document(path).board.model_dump(mode="json")
    except Exception:  # unreadable or invalid: certainly not a recorded version
        return True
    return _shots_key(board) not in {_shots_key(v.storyboard) for v in versions}


def _shots_key(snapshot: Mapping[str, Any]) -> str:
    return digest({k: v for k, v in snapshot.items() if k not in _FRAME})


def _board(version: VersionRecord) -> Storyboard:
    try:
        return Storyboard.model_validate(version.storyboard)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise VersionError(
            f"version {version.number}'s storyboard does not fit this storyreel "
            f"({where}: {first['msg']})"
        ) from None


def filmed_board(version: VersionRecord | None) -> Storyboard | None:
    """The storyboard `version` filmed: None for no version, or for one this storyreel
    cannot read (its shot ids are a convenience to keep, not worth failing over)."""
    if version is None:
        return None
    try:
        return _board(version)
    except VersionError:
        return None


def last_filmed(project: Project) -> Storyboard | None:
    """The storyboard the project's last make filmed, for a plan made without a
    storyboard file to keep its shot ids. A project never made has no store to open
    (nor one to create here)."""
    if not has_store(project):
        return None
    with open_store(project) as store:
        versions = store.versions()
    return filmed_board(versions[-1] if versions else None)


# --- diff ------------------------------------------------------------------------------


class _Diff(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldChange(_Diff):
    # "size", "setting.location", "lines[0].text"; "lines[2]" for a whole line added.
    path: str
    before: Any = None
    after: Any = None

    def describe(self) -> str:
        before, after = self.before, self.after
        if isinstance(before, str) and isinstance(after, str):
            before, after = _around_the_change(before, after)
        return f"{self.path}: {_show(before)} → {_show(after)}"


class ShotChange(_Diff):
    shot_id: str
    changes: list[FieldChange]


class BoardDiff(_Diff):
    added: list[str] = []
    removed: list[str] = []
    changed: list[ShotChange] = []
    # Shots present in both whose place in the order changed.
    moved: list[str] = []
    # Storyboard-wide fields: title, size, fps, characters.
    board: list[FieldChange] = []

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved or self.board)


def diff(store: Store, v1: int, v2: int) -> BoardDiff:
    """What changed from version `v1` to version `v2`."""
    # Through the model, not the stored JSON: PostgreSQL's JSONB reorders keys, and the
    # diff should list fields in the order the storyboard declares them.
    return diff_boards(_board(get_version(store, v1)), _board(get_version(store, v2)))


def diff_boards(before: Storyboard, after: Storyboard) -> BoardDiff:
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    old_shots = {s["id"]: s for s in old.pop("shots", [])}
    new_shots = {s["id"]: s for s in new.pop("shots", [])}
    common = [i for i in old_shots if i in new_shots]
    return BoardDiff(
        added=[i for i in new_shots if i not in old_shots],
        removed=[i for i in old_shots if i not in new_shots],
        changed=[
            ShotChange(shot_id=i, changes=found)
            for i in new_shots
            if i in old_shots and (found := field_changes(old_shots[i], new_shots[i]))
        ],
        moved=_moved(common, [i for i in new_shots if i in old_shots]),
        board=field_changes(old, new),
    )


def field_changes(before: Any, after: Any, path: str = "") -> list[FieldChange]:
    """The leaves that differ between two JSON values, with dotted/indexed paths."""
    if isinstance(before, dict) and isinstance(after, dict):
        found: list[FieldChange] = []
        for name in [*after, *(k for k in before if k not in after)]:
            sub = f"{path}.{name}" if path else str(name)
            found += field_changes(before.get(name), after.get(name), sub)
        return found
    if _is_records(before) and _is_records(after):
        found = []
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else None
            new = after[index] if index < len(after) else None
            found += field_changes(old, new, f"{path}[{index}]")
        return found
    return [] if before == after else [FieldChange(path=path, before=before, after=after)]


def _is_records(value: Any) -> bool:
    # Lists of objects (a shot's lines) are compared item by item; lists of names
    # (its subjects) read better as one value.
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _moved(before: list[str], after: list[str]) -> list[str]:
    """Ids outside the longest common subsequence of the two orders."""
    n, m = len(before), len(after)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1
                if before[i] == after[j]
                else max(table[i + 1][j], table[i][j + 1])
            )
    kept: set[str] = set()
    i = j = 0
    while i < n and j < m:
        if before[i] == after[j]:
            kept.add(before[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return [s for s in after if s not in kept]


# How much of a long text a diff shows on each side of where it changed.
_CONTEXT = 24


def _around_the_change(before: str, after: str) -> tuple[str, str]:
    """Two long texts cut to where they differ, so a change at the end of a prompt is
    not hidden behind the same first sixty characters."""
    if max(len(before), len(after)) <= 60:
        return before, after
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0  # characters in common at the end, not overlapping the common start
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    first = max(0, start - _CONTEXT)

    def cut(text: str) -> str:
        last = min(len(text), len(text) - end + _CONTEXT)
        return ("…" if first else "") + text[first:last] + ("…" if last < len(text) else "")

    return cut(before), cut(after)


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:79] + "…"
        return json.dumps(text, ensure_ascii=False) if " " in text or not text else text
    if isinstance(value, float):
        # Durations come out of arithmetic (3.2916666666666665); a millisecond is enough.
        text = f"{value:.3f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    return json.dumps(value, ensure_ascii=False)


# --- takes -----------------------------------------------------------------------------


class TakeListing(_Diff):
    take: TakeRecord
    pinned: bool
    # The versions that used this take for the shot.
    versions: list[int]


def known_shots(store: Store) -> set[str]:
    shots = {s["id"] for v in store.versions() for s in v.storyboard.get("shots", [])}
    return shots | set(store.pins())


def take_list(store: Store, shot_id: str) -> list[TakeListing]:
    """The shot's takes, oldest first, with which is pinned and which versions used each."""
    takes = store.takes(shot_id)
    if not takes and shot_id not in known_shots(store):
        raise UnknownShot(f"no shot {shot_id!r} in any version and no takes of it")
    pin = store.pins().get(shot_id)
    used: dict[str, list[int]] = {}
    for version in store.versions():
        key = version.takes.get(shot_id)
        if key is not None:
            used.setdefault(key, []).append(version.number)
    return [
        TakeListing(
            take=t, pinned=pin is not None and pin.take_key == t.key, versions=used.get(t.key, [])
        )
        for t in takes
    ]


def find_take(store: Store, shot_id: str, key_prefix: str) -> TakeRecord:
    """The shot's take whose key starts with `key_prefix`."""
    if len(key_prefix) < MIN_KEY_PREFIX:
        raise UnknownTake(f"give at least {MIN_KEY_PREFIX} characters of the take's key")
    matches = [t for t in store.find_takes(key_prefix.lower()) if t.shot_id == shot_id]
    if not matches:
        raise UnknownTake(
            f"shot {shot_id} has no take {key_prefix}; see `storyreel take list {shot_id}`"
        )
    if len(matches) > 1:
        raise UnknownTake(f"take {key_prefix} is ambiguous for shot {shot_id}; give more of it")
    return matches[0]


def take_pin(store: Store, shot_id: str, key_prefix: str) -> TakeRecord:
    """Pin a take: later makes use it for the shot until it is unpinned."""
    if not store.takes(shot_id) and shot_id not in known_shots(store):
        raise UnknownShot(f"no shot {shot_id!r} in any version and no takes of it")
    take = find_take(store, shot_id, key_prefix)
    store.set_pin(shot_id, take.key)
    return take


def take_unpin(store: Store, shot_id: str) -> None:
    if not store.clear_pin(shot_id):
        raise UnknownShot(f"shot {shot_id} has no pinned take")


def pinned_takes(store: Store) -> dict[str, str]:
    """Shot id -> pinned take key, for `run.jobs.render_takes(pins=...)`."""
    return {shot_id: pin.take_key for shot_id, pin in store.pins().items()}


def unused_takes(store: Store, keep_versions: int | None = None) -> list[TakeRecord]:
    """The takes that no pin and none of the newest `keep_versions` versions (every
    version when None) use, oldest first. Takes made after the newest version are kept
    whatever they are: they belong to a make that failed or has not finished, and its
    next run will want them."""
    if keep_versions is not None and keep_versions < 0:
        raise ValueError(f"keep_versions must be 0 or more, got {keep_versions}")
    versions = store.versions()
    if not versions:
        return []
    kept = versions if keep_versions is None else versions[max(0, len(versions) - keep_versions) :]
    keep = {key for version in kept for key in version.takes.values()}
    keep |= set(pinned_takes(store).values())
    newest = versions[-1].created_at
    return [
        take
        for take in store.takes()
        if take.key not in keep and take.created_at is not None and take.created_at <= newest
    ]
