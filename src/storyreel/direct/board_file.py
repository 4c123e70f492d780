"""The storyboard as a YAML file the user owns: written, read back, and checked with
errors that name the line.

    storyreel board story.fountain -o storyboard.yaml

The file holds the storyboard the film is made from, followed by a `planned:` block: the
planner's own version, kept so a later re-plan can tell the user's edits from its own
choices (see `edits.py`). `load(dump(board)) == board`.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import ValidationError

from storyreel.direct.edits import keep_ids, merge
from storyreel.direct.keep_yaml import keep_layout
from storyreel.errors import StoryError
from storyreel.files import write_text_atomic
from storyreel.model import (
    Angle,
    CameraMove,
    Character,
    ShotSize,
    Storyboard,
    TransitionKind,
    WeatherName,
)
from storyreel.vocab import load_vocabulary, project_vocabulary_files

FORMAT = 1
# A value is never folded over several lines: a diff of the file then shows the field
# that changed, and a rewrite that keeps the user's layout (`render_document`) writes an
# untouched value exactly as before (ruamel and PyYAML fold long lines differently).
LINE_WIDTH = 10**9
_VOCABULARY: dict[str, type[StrEnum]] = {
    "size": ShotSize,
    "angle": Angle,
    "move": CameraMove,
    "transition": TransitionKind,
}
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Keys of the file that are not the storyboard itself.
_EXTRA_KEYS = ("storyreel", "story", "planned")


class StoryboardError(StoryError):
    """The storyboard file cannot be read: bad YAML or a value the storyboard forbids."""


@dataclass(frozen=True)
class BoardDocument:
    """A storyboard file: what to film, the planner's own version, and the story it
    was planned from (its SHA-256)."""

    board: Storyboard
    planned: Storyboard | None = None
    story_sha256: str | None = None
    story_name: str | None = None


def story_sha256(story: Path) -> str:
    return hashlib.sha256(Path(story).read_bytes()).hexdigest()


def sync(
    path: Path | None,
    story: Path,
    replan: Callable[[], Storyboard],
    warnings: list[str] | None = None,
    previous: Storyboard | None = None,
    characters: Mapping[str, Character] | None = None,
) -> BoardDocument:
    """The storyboard to film for `story`, with the user's file at `path` merged in.

    No file (or no `path`): a fresh plan, its shots under the ids they had in `previous`
    (the last storyboard filmed, see `edits.keep_ids`). A file planned from this very
    story and these `characters` (the cast's descriptions as planning reads them): the
    file, with prompts brought up to date with the user's edits (nothing is re-planned,
    so an LLM is not asked again). A file planned from an earlier version of the story,
    or before the cast described someone anew: a fresh plan merged under the user's
    edits (see `edits.merge`).
    """
    sha = story_sha256(story)
    if path is None or not Path(path).exists():
        fresh = replan()
        if previous is not None:
            fresh = keep_ids(fresh, previous)
        return BoardDocument(fresh, fresh, sha, Path(story).name)
    document = read_document(path)
    if document.planned is None:
        if warnings is not None:
            warnings.append(
                f"{path} has no `planned:` block, so it is filmed as it is and not re-planned "
                "(delete it to plan from the story again)"
            )
        return document
    same_cast = characters is None or document.planned.characters == dict(characters)
    fresh = document.planned if document.story_sha256 == sha and same_cast else replan()
    merged = merge(document.board, document.planned, fresh)
    return BoardDocument(merged.board, merged.planned, sha, Path(story).name)


# --- writing ----------------------------------------------------------------------------


def dump(board: Storyboard) -> str:
    """The storyboard alone as YAML."""
    return _yaml(_board_data(board))


def dump_document(document: BoardDocument) -> str:
    """The whole file: a header that says how to edit it, the storyboard, the story's
    fingerprint and the planner's version."""
    text = _header() + _yaml(_document_data(document))
    return text + _planned_block(document)


def render_document(document: BoardDocument, current: str | None) -> str:
    """The file's next text: `current` (the file as it is) holding `document`, with the
    user's comments, key order and spelling of unchanged values kept; a fresh file
    (`dump_document`) when there is none or it is not a YAML mapping."""
    fresh = dump_document(document)
    if current is None or current == fresh:
        return fresh  # nothing to keep, or nothing changed (the studio asks on every plan)
    # The planned block is storyreel's, one shot per line: written anew each time.
    kept = keep_layout(
        _without_planned(current), _document_data(document), _same_term, width=LINE_WIDTH
    )
    if kept is None:
        return fresh
    return _without_planned_note(kept) + _planned_block(document)


def write_document(path: Path, document: BoardDocument) -> None:
    """Write the storyboard file, keeping what the user wrote in it (`render_document`)."""
    try:
        current: str | None = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = None  # no file yet, or one that cannot be kept: written whole
    write_text_atomic(path, render_document(document, current))


def _document_data(document: BoardDocument) -> dict[str, Any]:
    data: dict[str, Any] = {"storyreel": FORMAT}
    if document.story_sha256:
        data["story"] = {"file": document.story_name or "", "sha256": document.story_sha256}
    return data | _board_data(document.board)


def _planned_block(document: BoardDocument) -> str:
    return "" if document.planned is None else _PLANNED_NOTE + _planned_yaml(document.planned)


def _without_planned(text: str) -> str:
    """`text` without its top-level `planned:` block (the file's last key, as written)."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("planned:"):
            end = index + 1
            while end < len(lines) and (lines[end][:1] in (" ", "#") or not lines[end].strip()):
                end += 1
            return "".join(lines[:index] + lines[end:])
    return text


def _without_planned_note(text: str) -> str:
    """The note written above the planned block, taken off the end of `text` so it is
    written once (the round-trip reader keeps it as a comment of the last shot)."""
    body = text.rstrip()
    note = _PLANNED_NOTE.strip()
    if body.endswith(note):
        body = body[: -len(note)].rstrip()
    return body + "\n"


def _same_term(key: str, old: Any, new: Any) -> bool:
    """A film-grammar term the user typed in another name (`特写`) for the same value."""
    cls = _VOCABULARY.get(key)
    if cls is None or not isinstance(old, str) or not isinstance(new, str):
        return False
    try:
        return bool(cls(old) == cls(new))
    except ValueError:
        return False


def put_board(path: Path, board: Storyboard, current: BoardDocument | None = None) -> None:
    """Make `board` (an old version's, say) the storyboard to film. The file's planned
    block stays: `board`'s shots then read as the creator's edits, and re-planning after
    a story change keeps them. `current` is the file as already read, if it was."""
    if current is None and Path(path).is_file():
        try:
            current = read_document(path)
        except StoryboardError:
            current = None  # an unreadable file is replaced whole
    write_document(path, replace(current, board=board) if current else BoardDocument(board))


def _board_data(board: Storyboard) -> dict[str, Any]:
    data = board.model_dump(mode="json")
    for shot in data["shots"]:
        for line in shot["lines"]:
            # Filled in by the voice stage; nothing for a person to set.
            for key in ("start", "duration"):
                if line[key] == 0.0:
                    del line[key]
    return data


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=LINE_WIDTH)


def _planned_yaml(planned: Storyboard) -> str:
    """The planner's version, one shot per line: it is there for storyreel, not to read."""
    data = planned.model_dump(mode="json", exclude_defaults=True)
    shots = data.pop("shots", [])
    out = _yaml({"planned": data}).rstrip("\n")
    if data == {}:
        out = "planned:"
    out += "\n  shots:\n" if shots else "\n  shots: []\n"
    for shot in shots:
        flow = yaml.safe_dump(
            shot, allow_unicode=True, default_flow_style=True, sort_keys=False, width=LINE_WIDTH
        )
        out += f"  - {flow.strip()}\n"
    return out


def _header() -> str:
    def names(cls: type[StrEnum]) -> str:
        return ", ".join(f"{m.value} ({getattr(m, 'zh', '')})" for m in cls)

    return (
        "# The storyboard: yours to edit. `storyreel make` films this file.\n"
        "# Change any field, delete shots, add shots (with a new id). When the story\n"
        "# changes, shots are re-planned and every field you changed is kept.\n"
        "# Names in English or Chinese are accepted (size: 特写 or size: close-up).\n"
        f"#   size: {names(ShotSize)}\n"
        f"#   angle: {names(Angle)}\n"
        f"#   move: {names(CameraMove)}\n"
        f"#   transition: {names(TransitionKind)}\n"
        "#   screen: where a subject stands across the frame, 0 (left) to 1 (right)\n"
        "#   scenes: per scene its setting (kind, interior: int/ext, time: day/night/\n"
        "#     dawn/dusk), weather (kind, intensity 0..1), people (name, description,\n"
        "#     gender, age) and crowd; kinds are those of storyreel/vocab/*.yaml and your\n"
        "#     project's vocab/ folder\n"
        "#   things: a shot's props and animals (kind, name, holder); actions: what each\n"
        "#     subject does (walk, sit, fight...); focus: a subject or a thing's kind to\n"
        "#     frame first; card: the text of a title card\n"
        f"#   weather: {', '.join(get_args(WeatherName))}\n"
        "#   music: the generated score's mood (ad, fight, chase, sad, night, mystery,\n"
        "#     romance, adventure, festive, playful, drama); null: chosen from the story\n"
    )


_PLANNED_NOTE = (
    "\n# The planner's own version of the shots above, kept to tell your edits from its\n"
    "# choices when the story is re-planned. Leave it as it is.\n"
)


# --- reading ----------------------------------------------------------------------------


def load(text: str, path: Path | str | None = None) -> Storyboard:
    """The storyboard in a YAML text (a whole storyboard file is fine too)."""
    return load_document(text, path).board


def read_document(path: Path) -> BoardDocument:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise StoryboardError("the storyboard is not UTF-8 text", path=path) from None
    except OSError as error:
        raise StoryboardError(f"cannot read the storyboard: {error.strerror}", path=path) from None
    return load_document(text, path)


def load_document(text: str, path: Path | str | None = None) -> BoardDocument:
    try:
        # libyaml where PyYAML has it: every make reads the file, and the pure-Python
        # parser takes about a second for a 12-shot storyboard on a slow machine.
        root = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or "not valid YAML"
        raise StoryboardError(f"not valid YAML: {problem}", path=path, line=line) from None
    except yaml.YAMLError as error:
        raise StoryboardError(f"not valid YAML: {error}", path=path) from None
    if not isinstance(data, dict):
        raise StoryboardError("a storyboard is a mapping with a `shots:` list", path=path, line=1)
    planned_data = data.get("planned")
    story = data.get("story") if isinstance(data.get("story"), dict) else {}
    board = _validate({k: v for k, v in data.items() if k not in _EXTRA_KEYS}, root, (), path)
    planned = None
    if isinstance(planned_data, dict):
        planned = _validate(planned_data, root, ("planned",), path)
    _check_ids(board, root, path)
    check_kinds(board, root, path)
    return BoardDocument(
        board=board,
        planned=planned,
        story_sha256=str(story["sha256"]) if story and story.get("sha256") else None,
        story_name=str(story["file"]) if story and story.get("file") else None,
    )


def _validate(
    data: dict[str, Any], root: yaml.Node | None, prefix: tuple[str | int, ...], path: Any
) -> Storyboard:
    try:
        return Storyboard.model_validate(data)
    except ValidationError as error:
        problems = error.errors()
        first = problems[0]
        loc = (*prefix, *first["loc"])
        message = f"{_where(loc)}: {_explain(first)}"
        if len(problems) > 1:
            more = len(problems) - 1
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise StoryboardError(message, path=path, line=line_of(root, loc)) from None


def _explain(problem: Any) -> str:
    """One problem in words, with the allowed values where there is a list of them."""
    field = str(problem["loc"][-1]) if problem["loc"] else ""
    given = problem.get("input")
    if problem["type"] == "enum" and field in _VOCABULARY:
        cls = _VOCABULARY[field]
        allowed = ", ".join(f"{m.value} ({getattr(m, 'zh', '')})" for m in cls)
        return f"{given!r} is not a {field}; allowed: {allowed}"
    if problem["type"] == "extra_forbidden":
        return f"unknown field {field!r} (a typo?)"
    if problem["type"] == "missing":
        return f"{field!r} is missing"
    if problem["type"] == "literal_error":
        return f"{given!r}: {problem['msg'].lower()}"
    return f"{problem['msg']}, got {given!r}" if given is not None else str(problem["msg"])


def _where(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(root: yaml.Node | None, loc: tuple[str | int, ...]) -> int | None:
    """The 1-based line of the value at `loc` in the composed YAML, or of the deepest
    node on the way there (a missing key points at the mapping that lacks it)."""
    node = root
    if node is None:
        return None
    line: int = node.start_mark.line
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node, line = child, child.start_mark.line
    return line + 1


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if str(key.value) == str(part):
                return value  # type: ignore[no-any-return]
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def _check_ids(board: Storyboard, root: yaml.Node | None, path: Any) -> None:
    seen: set[str] = set()
    for index, shot in enumerate(board.shots):
        if shot.id in seen:
            raise StoryboardError(
                f"shots[{index}].id: {shot.id!r} is used twice; every shot needs its own id",
                path=path,
                line=line_of(root, ("shots", index, "id")),
            )
        seen.add(shot.id)


def check_kinds(
    board: Storyboard, root: yaml.Node | None, path: Any, *, project: Path | None = None
) -> None:
    """Setting, prop and action kinds are the vocabulary's (bundled, and the project's
    own in the vocab/ folder of `project`, else beside the file): a typo is named with
    the nearest kinds and the allowed ones."""
    folder = project if project is not None else Path(path).parent if path is not None else None
    vocabulary = load_vocabulary(project_vocabulary_files(folder) if folder is not None else ())
    checks: list[tuple[tuple[str | int, ...], str | None, str, Mapping[str, Any]]] = []
    for index, info in enumerate(board.scenes):
        where = ("scenes", index, "setting", "kind")
        checks.append((where, info.setting.kind, "setting kind", vocabulary.settings))
    for index, shot in enumerate(board.shots):
        for n, thing in enumerate(shot.things):
            checks.append(
                (("shots", index, "things", n, "kind"), thing.kind, "prop kind", vocabulary.props)
            )
        for name, action in shot.actions.items():
            checks.append((("shots", index, "actions", name), action, "action", vocabulary.actions))
    for loc, value, what, allowed in checks:
        if value is not None and value not in allowed:
            near = difflib.get_close_matches(value, list(allowed), n=3, cutoff=0.75)
            hint = f"did you mean {' or '.join(near)}? " if near else ""
            raise StoryboardError(
                f"{_where(loc)}: {value!r} is not a {what}; {hint}allowed: {', '.join(allowed)} "
                "(or add it in a vocab/*.yaml file of the project, see docs/world.md)",
                path=path,
                line=line_of(root, loc),
            )
