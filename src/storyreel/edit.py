"""Editing a project by instruction or by style: the storyboard diff, then the file.

    edit = propose_instruction(project, story, "shot 7: a close-up at night")
    print("\\n".join(edit.lines()))       # shown first
    write_edit(edit)                     # storyboard.yaml written (atomically)
    make_film(story, out, MakeConfig(message=edit.message), project=project)

The CLI (`storyreel edit`, `storyreel style`) and the studio's command box call these;
the make that follows renders only the shots the diff touched (the others' takes are
in the cache) and records a version whose message is the instruction.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from storyreel.cast import Cast, subject_key
from storyreel.cast.library import SUBJECT_FILE, script_people, subject_yaml
from storyreel.direct import PlanSettings, plan_board
from storyreel.direct.board_file import BoardDocument, check_kinds, read_document, write_document
from storyreel.direct.diff import BoardDiff, describe, diff_boards
from storyreel.direct.instruct import instruct
from storyreel.direct.look import Look, apply_look, look_of
from storyreel.errors import StoryreelError
from storyreel.files import write_text_atomic
from storyreel.model import Storyboard
from storyreel.project import STORY_SUFFIXES, Project
from storyreel.script import read_story
from storyreel.store.db import has_store, open_store
from storyreel.store.versions import last_filmed
from storyreel.voice import VoiceProfile

if TYPE_CHECKING:
    import httpx

    from storyreel.direct.llm import LlmOptions


class EditError(StoryreelError):
    """The project or story to edit cannot be found."""


@dataclass(frozen=True)
class ProposedEdit:
    """A change to a project, not yet written: the storyboard before and after."""

    project: Project
    story: Path
    document: BoardDocument  # the storyboard file as it is (up to date with the story)
    board: Storyboard  # the storyboard after the edit
    diff: BoardDiff
    message: str  # what the version made from it says
    source: str  # "rules", "llm" or "style"
    # Cast voices a style sets, by the cast's subject name.
    voices: dict[str, VoiceProfile] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.diff.empty and not self.voices

    def lines(self) -> list[str]:
        """The diff as a person reads it, one change a line."""
        out = describe(self.diff, self.document.board)
        out += [f"cast {name}: voice -> {_voice(v)}" for name, v in self.voices.items()]
        return out


def find_story(target: Path, project: Path | None = None) -> tuple[Project, Path]:
    """The project and story `target` names: a story file (its project, or `project`),
    or a project folder (the story it records as its own)."""
    target = Path(target)
    if target.is_file():
        return Project.at(project, target), target
    if not target.is_dir():
        raise EditError(f"{target} is neither a story file nor a project folder")
    where = Project(target)
    owner = where.owner
    # The studio keeps the script inside the project; a story's own project sits beside it.
    candidates = [target / owner, target.parent / owner] if owner else []
    if not owner:
        candidates = [p for p in sorted(target.iterdir()) if p.suffix.lower() in STORY_SUFFIXES]
    for story in candidates:
        if story.is_file():
            return where, story
    raise EditError(
        f"cannot find the story of project {target}"
        + (f" ({owner} is not beside it nor in it)" if owner else "")
        + "; name the story file instead"
    )


def current_document(project: Project, story: Path) -> BoardDocument:
    """The storyboard file as `storyreel board` leaves it: the user's file, re-planned
    under their edits if the story changed, at the frame the file has."""
    path = project.storyboard_path
    # The frame the film was last made at (a make's --size), else the file's own.
    filmed = None if path.is_file() else last_filmed(project)
    framed = read_document(path).board if path.is_file() else filmed
    width, height, fps = (framed.width, framed.height, framed.fps) if framed else (1280, 720, 24)
    script = read_story(story)
    cast = Cast(project.cast_dir)
    return plan_board(
        story,
        script,
        path,
        cast=cast.descriptions(script_people(script)),
        settings=PlanSettings(width=width, height=height, fps=fps, project=project.root),
        previous=filmed,
    )


def propose_instruction(
    project: Project,
    story: Path,
    instruction: str,
    *,
    shot: str | None = None,
    llm: LlmOptions | None = None,
    client: httpx.Client | None = None,
) -> ProposedEdit:
    """What `instruction` changes in the project's storyboard (NotUnderstood when
    nothing can read it)."""
    from storyreel.vocab import load_vocabulary, project_vocabulary_files

    document = current_document(project, story)
    vocabulary = load_vocabulary(project_vocabulary_files(project.root))
    done = instruct(
        document.board, instruction, shot=shot, vocabulary=vocabulary, llm=llm, client=client
    )
    check_kinds(done.board, None, None, project=project.root)
    return ProposedEdit(
        project,
        story,
        document,
        done.board,
        done.diff,
        done.instruction,
        done.source,
        notes=done.notes,
    )


def export_look(project: Project, story: Path) -> Look:
    """The look of the project's film: its storyboard, its score's mood and its cast's
    voices."""
    from storyreel.cut.soundtrack import score_style

    board = current_document(project, story).board
    voices = {e.name: v for e in Cast(project.cast_dir).entries() if (v := e.subject.voice)}
    return look_of(board, voices, music=score_style(board).genre)


def propose_look(project: Project, story: Path, look: Look, name: str) -> ProposedEdit:
    """What giving the project `look` changes: a storyboard diff, and the voices of the
    cast's characters the look names."""
    document = current_document(project, story)
    after = apply_look(document.board, look)
    cast = {subject_key(e.name): e for e in Cast(project.cast_dir).entries()}
    voices = {
        cast[key].name: voice
        for who, voice in look.voices.items()
        if (key := subject_key(who)) in cast and cast[key].subject.voice != voice
    }
    return ProposedEdit(
        project,
        story,
        document,
        after,
        diff_boards(document.board, after),
        f"style: {name}",
        "style",
        voices,
    )


def write_edit(edit: ProposedEdit) -> None:
    """Write the edit: the storyboard file (the planner's block kept, so re-planning
    keeps the edit) and the voices into the cast, each file atomically."""
    path = edit.project.storyboard_path
    edit.project.root.mkdir(parents=True, exist_ok=True)
    write_document(path, replace(edit.document, board=edit.board))
    cast = Cast(edit.project.cast_dir)
    for name, voice in edit.voices.items():
        entry = cast.get(name)
        subject = entry.subject.model_copy(update={"voice": voice})
        write_text_atomic(entry.folder / SUBJECT_FILE, subject_yaml(subject))


def last_film(project: Project) -> Path | None:
    """Where the project's last make wrote its film."""
    if not has_store(project):
        return None
    with open_store(project) as store:
        versions = store.versions()
    film = versions[-1].outputs.get("film") if versions else None
    return Path(film) if isinstance(film, str) else None


def _voice(voice: VoiceProfile) -> str:
    return (
        ", ".join(
            f"{k} {v}"
            for k, v in voice.model_dump(exclude_defaults=True, exclude_none=True).items()
        )
        or "the default voice"
    )
