"""Branching films: the scenes of a Fountain screenplay as a graph of choices.

storyreel's Fountain extension (docs/branching.md) marks the end of a scene with notes
on lines of their own:

    [[choice: Open the left door -> LEFT ROOM]]   one button per choice; the scene ends
    [[end]]                                        this path of the film ends here

A TARGET names a scene by its heading's place (`LEFT ROOM` for `INT. LEFT ROOM -
NIGHT`), by its whole heading, or by a `#` section (the first scene of that section).
Any other scene flows into the next one. A story without these marks is a linear film
and has no graph.

A loop is refused with the line of the choice that closes it (a film must end); a
scene no path reaches is reported, not refused, so a writer can park a draft scene.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from storyreel.errors import StoryError
from storyreel.model import Action, Centered, Dialogue, Lyric, Scene, Script, Section
from storyreel.script.fountain import note_lines
from storyreel.script.read import read_story_text
from storyreel.script.text import collapse_spaces

# The marks in English and Chinese; an arrow in ASCII or as the one character.
_CHOICE = re.compile(r"^(?:choice|选择)\s*[:：]\s*(?P<body>.*)$", re.IGNORECASE)
_END = re.compile(r"^(?:end|结束)$", re.IGNORECASE)
_ARROW = re.compile(r"\s*(?:->|→)\s*")
_FILMED = (Action, Dialogue, Centered, Lyric)
_GRAMMAR = "a choice reads [[choice: TEXT -> TARGET]]"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Choice(_Frozen):
    text: str = Field(min_length=1)  # the button's words
    target: int = Field(ge=1)  # the scene it leads to (1-based, as Shot.scene)
    line: int = Field(ge=1)  # where the note stands in the story file


class BranchScene(_Frozen):
    number: int = Field(ge=1)  # 1-based, as Shot.scene
    heading: str  # as written; "" for the scene before the first heading
    line: int = Field(ge=1)
    choices: tuple[Choice, ...] = ()
    # The scene played after this one when it has no choices; None: the path ends.
    next: int | None = None

    @property
    def ends(self) -> bool:
        return not self.choices and self.next is None


class Branches(_Frozen):
    """The film's scenes as a graph without loops; the film starts at scene 1."""

    scenes: tuple[BranchScene, ...]
    # Scenes no path reaches, said for the writer (the make shows them as warnings).
    warnings: tuple[str, ...] = ()

    def scene(self, number: int) -> BranchScene:
        return self.scenes[number - 1]

    def paths(self, limit: int = 1000) -> list[list[int]]:
        """Every path from the start to an end, as scene numbers (at most `limit`: a
        graph of many choices has exponentially many)."""
        found: list[list[int]] = []
        stack: list[list[int]] = [[1]]
        while stack and len(found) < limit:
            path = stack.pop()
            scene = self.scene(path[-1])
            following = [c.target for c in scene.choices] or (
                [scene.next] if scene.next is not None else []
            )
            if not following:
                found.append(path)
            stack.extend([*path, n] for n in reversed(following))
        return found


def read_branches(path: Path, script: Script) -> Branches | None:
    """The branch graph of the Fountain story at `path` (parsed as `script`); None for
    a linear story. StoryError names the file and line of a mark that is wrong."""
    if script.source != "fountain":
        return None
    try:
        return parse_branches(read_story_text(path), script)
    except StoryError as error:
        raise StoryError(_bare(error), path=path, line=error.line) from error


def parse_branches(text: str, script: Script) -> Branches | None:
    """The branch graph of Fountain `text`, which parsed as `script`; None when the
    text has no `[[choice: ...]]` or `[[end]]` marks."""
    marks = list(_marks(note_lines(text)))
    if not marks:
        return None
    scenes = script.scenes
    choices: dict[int, list[tuple[int, str, str]]] = {}
    ends: dict[int, int] = {}
    for line, note in marks:
        number = _scene_at(scenes, line)
        _check_at_end(scenes[number - 1], line)
        if _END.match(note):
            ends[number] = line
            continue
        label, target = _split_choice(note, line)
        choices.setdefault(number, []).append((line, label, target))
    for number, line in ends.items():
        if number in choices:
            raise StoryError(
                "a scene ends either on choices or with [[end]], not both: "
                f"remove this [[end]] or the scene's choices (line {choices[number][0][0]})",
                line=line,
            )
    names = _names(scenes)
    built: list[BranchScene] = []
    for number, scene in enumerate(scenes, start=1):
        picks = tuple(
            Choice(text=label, target=_resolve(names, target, number, line), line=line)
            for line, label, target in choices.get(number, [])
        )
        flows = not picks and number not in ends and number < len(scenes)
        built.append(
            BranchScene(
                number=number,
                heading=scene.heading,
                line=scene.line,
                choices=picks,
                next=number + 1 if flows else None,
            )
        )
    _refuse_loops(built)
    return Branches(scenes=tuple(built), warnings=tuple(_unreached(built, ends)))


def _marks(notes: Iterable[tuple[int, str, bool]]) -> Iterable[tuple[int, str]]:
    """The notes that are branch marks; one that shares its line with other text is
    refused, since where a scene ends would then be unclear."""
    for line, note, alone in notes:
        if not (_CHOICE.match(note) or _END.match(note)):
            continue
        if not alone:
            raise StoryError(
                f"[[{note}]] must stand on a line of its own, below the scene's last line",
                line=line,
            )
        yield line, note


def _scene_at(scenes: list[Scene], line: int) -> int:
    """The 1-based number of the scene whose text holds `line`."""
    number = 0
    for index, scene in enumerate(scenes, start=1):
        if scene.line <= line:
            number = index
    if number == 0:
        raise StoryError(
            "a choice or [[end]] stands before the first scene: put it below a scene",
            line=line,
        )
    return number


def _check_at_end(scene: Scene, line: int) -> None:
    later = [e.line for e in scene.elements if isinstance(e, _FILMED) and e.line > line]
    if later:
        raise StoryError(
            f"a choice or [[end]] ends its scene, but the scene goes on at line {later[0]}: "
            "move the mark below the scene's last line",
            line=line,
        )


def _split_choice(note: str, line: int) -> tuple[str, str]:
    found = _CHOICE.match(note)
    assert found is not None  # only marks come here
    parts = _ARROW.split(found["body"])
    if len(parts) < 2:
        raise StoryError(f"{_GRAMMAR}; [[{note}]] has no -> before its target", line=line)
    label, target = " ".join(parts[:-1]).strip(), parts[-1].strip()
    if not label or not target:
        missing = "words for its button" if not label else "target after ->"
        raise StoryError(f"{_GRAMMAR}; [[{note}]] has no {missing}", line=line)
    return label, target


def _key(name: str) -> str:
    # `-> # The Garden` and `-> The Garden` both name the section `# The Garden`.
    return collapse_spaces(name.lstrip("#")).casefold()


def _names(scenes: list[Scene]) -> dict[str, list[int]]:
    """Every name a choice may use, with the scenes it names in order: each heading's
    place and whole heading, and each section (the first scene at or after it)."""
    names: dict[str, list[int]] = {}
    for number, scene in enumerate(scenes, start=1):
        for name in (scene.location, scene.heading):
            if name and number not in names.setdefault(_key(name), []):
                names[_key(name)].append(number)
    sections = [e for scene in scenes for e in scene.elements if isinstance(e, Section)]
    for section in sections:
        starts = [n for n, scene in enumerate(scenes, start=1) if scene.line >= section.line]
        # A section before the first heading was folded into the first scene.
        first = starts[0] if starts else len(scenes)
        if first not in names.setdefault(_key(section.text), []):
            names[_key(section.text)].append(first)
    return names


def _resolve(names: dict[str, list[int]], target: str, source: int, line: int) -> int:
    """The scene `target` names: the first such scene after `source`, else the first."""
    found = names.get(_key(target))
    if not found:
        raise StoryError(
            f"no scene or section is named {target!r}: name a later scene by its "
            "heading's place (LEFT ROOM for INT. LEFT ROOM - NIGHT) or a # section",
            line=line,
        )
    return next((n for n in found if n > source), found[0])


def _edges(scene: BranchScene) -> list[tuple[int, Choice | None]]:
    if scene.choices:
        return [(c.target, c) for c in scene.choices]
    return [(scene.next, None)] if scene.next is not None else []


def _refuse_loops(scenes: list[BranchScene]) -> None:
    """Depth-first from every scene; an edge back to a scene on the current path closes
    a loop. Flow only goes forward, so each loop holds a choice that goes back: the
    error names that choice's line."""
    state = dict.fromkeys(range(1, len(scenes) + 1), 0)  # 0 new, 1 on the path, 2 done
    for root in state:
        if state[root]:
            continue
        state[root] = 1
        path: list[tuple[int, list[tuple[int, Choice | None]]]] = [(root, _edges(scenes[root - 1]))]
        while path:
            node, pending = path[-1]
            if not pending:
                state[node] = 2
                path.pop()
                continue
            target, _ = pending.pop(0)
            if state[target] == 1:
                _loop_error(scenes, [n for n, _ in path], target)
            if state[target] == 0:
                state[target] = 1
                path.append((target, _edges(scenes[target - 1])))


def _loop_error(scenes: list[BranchScene], path: list[int], target: int) -> None:
    loop = path[path.index(target) :]
    back = next(
        (c, n) for n in loop for c in scenes[n - 1].choices if c.target <= n and c.target in loop
    )
    choice, source = back
    goes_to = scenes[choice.target - 1]
    raise StoryError(
        f"the choice {choice.text!r} in {_title(scenes[source - 1])} goes back to "
        f"{_title(goes_to)} (line {goes_to.line}), which leads to it again: a branching "
        "film cannot loop; point the choice at a later scene, or end a path with [[end]]",
        line=choice.line,
    )


def _unreached(scenes: list[BranchScene], ends: dict[int, int]) -> list[str]:
    seen = {1}
    todo = [1]
    while todo:
        for target, _ in _edges(scenes[todo.pop() - 1]):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    warnings = []
    for scene in scenes:
        if scene.number in seen:
            continue
        before = scenes[scene.number - 2]
        why = "ends with [[end]]" if before.number in ends else "ends on choices"
        warnings.append(
            f"line {scene.line}: {_title(scene)} is never played: no choice names it and "
            f"the scene before it {why}"
        )
    return warnings


def _title(scene: BranchScene) -> str:
    return scene.heading or "the opening scene"


def _bare(error: StoryError) -> str:
    """The message without the "line N: " prefix StoryError put in front of it."""
    text = str(error)
    prefix = f"line {error.line}: "
    return text[len(prefix) :] if error.line is not None and text.startswith(prefix) else text
