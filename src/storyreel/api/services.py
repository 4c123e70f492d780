"""The studio's projects on disk, and the few API-only steps between a request and
storyreel's own functions.

    <root>/<project id>/
      project.json        title and creation time (written atomically)
      script.fountain     the script as the writer typed it (script.txt when it is prose)
      storyboard.yaml     planned from the script, the writer's edits merged in
      cast/, .storyreel/  as for any storyreel project
      film.mp4 (.srt, .vtt, .ass), sheet.png   what the latest make wrote

Every stage is storyreel's own: this module only decides where files go and keeps the
storyboard's public form in memory, so an unchanged storyboard is not planned, parsed
or serialized again for every request.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from storyreel.api.errors import Conflict, NotFound
from storyreel.api.schemas.script import ScriptFormat
from storyreel.api.schemas.storyboard import (
    DURATION_MAX,
    DURATION_MIN,
    DurationRange,
    LinePublic,
    OptionPublic,
    OptionsPublic,
    PromptPublic,
    SettingPublic,
    ShotOrder,
    ShotPublic,
    ShotUpdate,
    StoryboardPublic,
    ThingPublic,
)
from storyreel.cast import Cast
from storyreel.cast.library import SUBJECT_FILE, script_people
from storyreel.direct import PlanSettings, plan_board, preview_board
from storyreel.direct.board_file import (
    BoardDocument,
    StoryboardError,
    check_kinds,
    put_board,
    read_document,
    render_document,
    write_document,
)
from storyreel.errors import StoryError, StoryreelError
from storyreel.files import atomic_path, write_text_atomic
from storyreel.keys import job_key
from storyreel.model import Angle, CameraMove, Script, Shot, ShotSize, Storyboard
from storyreel.project import Project
from storyreel.render.previs.sheet import keyframe
from storyreel.script import parse_story, read_story
from storyreel.script.branches import parse_branches
from storyreel.script.read import decode_story
from storyreel.store.versions import last_filmed

# Server-made ids: lower-case ASCII, so they are safe in a URL and on any file system.
PROJECT_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"
_ID_RE = re.compile(PROJECT_ID)
META_FILE = "project.json"
SCRIPT_FILES: dict[ScriptFormat, str] = {"fountain": "script.fountain", "prose": "script.txt"}
# The files a make leaves in the project that clients may download, by name.
FILES: dict[str, str] = {
    "film.mp4": "video/mp4",
    "film.vtt": "text/vtt",
    "film.srt": "application/x-subrip",
    "sheet.png": "image/png",
}
# Frame the studio plans for until a make says otherwise: the CLI's defaults.
BOARD_SIZE = (1280, 720, 24)
# Thumbnails are drawn at this width (the grid shows them at ~200 px; 2x for HiDPI).
THUMB_WIDTH = 384
# Bump when the thumbnail drawing changes, so old cached PNGs are not served.
THUMB_SCHEMA = 1


class ProjectMeta(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: str
    created_at: datetime


@dataclass(frozen=True)
class StudioProject:
    """One project folder under the studio's root."""

    id: str
    folder: Path

    @property
    def project(self) -> Project:
        return Project(self.folder)

    @property
    def meta(self) -> ProjectMeta:
        try:
            return ProjectMeta.model_validate_json((self.folder / META_FILE).read_bytes())
        except (OSError, ValueError):
            # A project.json lost or hand-broken: the folder is still a project.
            created = datetime.fromtimestamp(self.folder.stat().st_ctime, UTC)
            return ProjectMeta(title=self.id, created_at=created)

    def write_meta(self, meta: ProjectMeta) -> None:
        write_text_atomic(self.folder / META_FILE, meta.model_dump_json(indent=2) + "\n")

    @property
    def script_path(self) -> Path | None:
        for name in SCRIPT_FILES.values():
            path = self.folder / name
            if path.is_file():
                return path
        return None

    def file(self, name: str) -> Path:
        if name not in FILES:
            raise NotFound(f"no file {name!r}; files are {', '.join(FILES)}")
        return self.folder / name

    def updated_at(self) -> datetime:
        names = [META_FILE, "storyboard.yaml", "film.mp4", *SCRIPT_FILES.values()]
        times = [p.stat().st_mtime for n in names if (p := self.folder / n).exists()]
        return datetime.fromtimestamp(max(times, default=self.folder.stat().st_mtime), UTC)


def new_project_id(title: str, taken: set[str]) -> str:
    """A readable, unique id: the title's ASCII letters and digits plus a random tail
    (a Chinese title gets just "film")."""
    stem = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-") or "film"
    while True:
        candidate = f"{stem}-{secrets.token_hex(3)}"
        if candidate not in taken:
            return candidate


def script_format(text: str) -> ScriptFormat:
    """How storyreel reads `text`; raises StoryError (with the line) when it cannot.
    The text goes through the same checks as a story file the CLI reads (binary data,
    control characters), so nothing is saved that a later make could not read."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise StoryError(
            f"the story has a character that is not text at position {error.start} (a lone "
            "surrogate): send the script as UTF-8 text"
        ) from None
    return _checked(decode_story(data)).source


def _checked(text: str) -> Script:
    """`text` parsed, its branching marks too: a bad choice is refused with its line
    as the script is written, not later when the film is made."""
    script = parse_story(text)
    if script.source == "fountain":
        parse_branches(text, script)
    return script


def write_script(project: StudioProject, text: str) -> ScriptFormat:
    """Check `text` parses, then write it under the name that makes storyreel read it
    the same way again (a .fountain file is always read as a screenplay)."""
    kind = script_format(text)
    target = project.folder / SCRIPT_FILES[kind]
    write_text_atomic(target, text)
    # The studio keeps a project's script in its folder: the folder is its project, so
    # a `storyreel` command naming the script uses it where it is.
    project.project.give_to(target)
    for other in SCRIPT_FILES.values():
        if other != target.name:
            (project.folder / other).unlink(missing_ok=True)
    return kind


def read_script(project: StudioProject) -> tuple[str, ScriptFormat]:
    path = project.script_path
    if path is None:
        return "", "fountain"
    kind: ScriptFormat = "fountain" if path.name == SCRIPT_FILES["fountain"] else "prose"
    return path.read_text(encoding="utf-8"), kind


class Studio:
    """The projects under `root`, and their storyboards kept in memory."""

    def __init__(self, root: Path, max_duration: float | None = None) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.boards = BoardCache(max_duration)
        self._lock = threading.Lock()

    def ids(self) -> list[str]:
        return sorted(
            p.name for p in self.root.iterdir() if p.is_dir() and _ID_RE.fullmatch(p.name)
        )

    def get(self, project_id: str) -> StudioProject:
        folder = self.root / project_id
        if not _ID_RE.fullmatch(project_id) or not folder.is_dir():
            raise NotFound(f"no project {project_id!r}; GET /api/projects lists them")
        return StudioProject(project_id, folder)

    def create(self, title: str, script: str | None) -> StudioProject:
        """A new project, complete or not at all: built under a hidden name, then
        renamed into place. A script that does not parse leaves nothing behind."""
        with self._lock:
            project_id = new_project_id(title, set(self.ids()))
            work = self.root / f".new-{project_id}"
            work.mkdir()
            try:
                draft = StudioProject(project_id, work)
                draft.write_meta(ProjectMeta(title=title, created_at=datetime.now(UTC)))
                if script:
                    write_script(draft, script)
                os.rename(work, self.root / project_id)
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
        return self.get(project_id)

    def delete(self, project: StudioProject) -> None:
        # Renamed away first, so a crash mid-way never leaves half a project listed.
        doomed = self.root / f".deleted-{project.id}-{secrets.token_hex(3)}"
        try:
            os.rename(project.folder, doomed)
        except FileNotFoundError:
            raise NotFound(f"no project {project.id!r}") from None
        self.boards.forget(project.id)
        shutil.rmtree(doomed, ignore_errors=True)


# --- the storyboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class BoardState:
    document: BoardDocument | None
    public: StoryboardPublic
    # Serialized once: a GET sends these bytes as they are.
    body: bytes


def _stamp(path: Path | None) -> tuple[int, int, int] | None:
    if path is None:
        return None
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class BoardCache:
    """Each project's storyboard, planned again only when its script, storyboard file
    or cast changed since (their mtime, size and inode: a rewrite by rename changes the
    inode even within one mtime tick)."""

    def __init__(self, max_duration: float | None) -> None:
        self.max_duration = max_duration
        self._states: dict[str, tuple[object, BoardState]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, project_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(project_id, threading.Lock())

    def forget(self, project_id: str) -> None:
        with self._guard:
            self._states.pop(project_id, None)

    @staticmethod
    def _key(project: StudioProject) -> object:
        script = project.script_path
        # The cast's descriptions are planned from too: a changed subject.yaml re-plans.
        subjects = sorted(project.project.cast_dir.glob(f"*/{SUBJECT_FILE}"))
        cast = tuple((path, _stamp(path)) for path in subjects)
        return (script, _stamp(script), _stamp(project.project.storyboard_path), cast)

    def state(self, project: StudioProject) -> BoardState:
        key = self._key(project)
        cached = self._states.get(project.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        with self._lock(project.id):
            key = self._key(project)
            cached = self._states.get(project.id)
            if cached is not None and cached[0] == key:
                return cached[1]
            state = self._build(project)
            self._states[project.id] = (self._key(project), state)
            return state

    def _build(self, project: StudioProject) -> BoardState:
        """Plan as `storyreel board` does and write storyboard.yaml when it changed."""
        story = project.script_path
        board_path = project.project.storyboard_path
        document: BoardDocument | None
        if story is None:
            document = read_document(board_path) if board_path.is_file() else None
        else:
            script = read_story(story)
            cast = Cast(project.project.cast_dir)
            cast.add_script_characters(script)
            width, height, fps = _frame(board_path)
            document = plan_board(
                story,
                script,
                board_path,
                cast=cast.descriptions(script_people(script)),
                settings=PlanSettings(
                    width=width, height=height, fps=fps, max_duration=self.max_duration
                ),
                previous=None if board_path.is_file() else last_filmed(project.project),
            )
            current = board_path.read_text(encoding="utf-8") if board_path.is_file() else None
            text = render_document(document, current)  # the creator's comments kept
            if text != current:
                write_text_atomic(board_path, text)
        board = document.board if document is not None else Storyboard()
        public = board_public(board, project.id)
        return BoardState(document, public, public.model_dump_json().encode())

    def update_shot(self, project: StudioProject, shot_id: str, update: ShotUpdate) -> ShotPublic:
        """Apply a creator's edit to one shot and write it to storyboard.yaml, where
        re-planning keeps it (it differs from the planner's version)."""
        state = self.state(project)
        with self._lock(project.id):
            document = state.document
            if document is None:
                raise NotFound("the project has no storyboard yet; write a script first")
            board = document.board
            index = _shot_index(board, shot_id)
            shot = edited_shot(board.shots[index], update)
            shots = [*board.shots[:index], shot, *board.shots[index + 1 :]]
            edited = replace(document, board=board.model_copy(update={"shots": shots}))
            # An unknown prop kind is refused before the file is written.
            check_kinds(edited.board, None, None, project=project.project.root)
            write_document(project.project.storyboard_path, edited)
            self._states.pop(project.id, None)
        return self.state(project).public.shots[index]

    def reorder_shots(self, project: StudioProject, order: ShotOrder) -> StoryboardPublic:
        """Play the shots in `order` (every id once) and write it to storyboard.yaml,
        whose order re-planning keeps."""
        state = self.state(project)
        with self._lock(project.id):
            document = state.document
            if document is None:
                raise NotFound("the project has no storyboard yet; write a script first")
            board = document.board
            by_id = {shot.id: shot for shot in board.shots}
            if sorted(order.shots) != sorted(by_id):
                missing = sorted(set(by_id) - set(order.shots))
                unknown = sorted(set(order.shots) - set(by_id))
                twice = sorted({i for i in order.shots if order.shots.count(i) > 1})
                raise StoryreelError(
                    "the order must name every shot of the storyboard once"
                    + "".join(
                        f"; {what}: {', '.join(ids[:20])}"
                        for what, ids in (
                            ("missing", missing),
                            ("not in the storyboard", unknown),
                            ("named twice", twice),
                        )
                        if ids
                    )
                )
            shots = [by_id[shot_id] for shot_id in order.shots]
            write_document(
                project.project.storyboard_path,
                replace(document, board=board.model_copy(update={"shots": shots})),
            )
            self._states.pop(project.id, None)
        return self.state(project).public

    def checkout(
        self, project: StudioProject, board: Storyboard, *, replace_edits: bool
    ) -> StoryboardPublic:
        """Make `board` (an old version's) the storyboard to film. The planner's block
        stays, so the old shots read as the creator's edits and survive re-planning.
        Without `replace_edits` (the caller found edits no make recorded), refuse."""
        state = self.state(project)
        with self._lock(project.id):
            document = state.document
            if document is not None and not replace_edits:
                raise Conflict(
                    "storyboard.yaml holds edits no make recorded; send force=true to "
                    "replace them with the version's storyboard"
                )
            width, height, fps = _frame_of(document)
            sized = board.model_copy(update={"width": width, "height": height, "fps": fps})
            put_board(project.project.storyboard_path, sized, document)
            self._states.pop(project.id, None)
        return self.state(project).public

    def preview(self, project: StudioProject, text: str) -> StoryboardPublic:
        """The storyboard `text` would get, with the project's storyboard edits merged
        in; nothing is written."""
        script = _checked(text)
        document = self.state(project).document
        width, height, fps = _frame_of(document)
        board = preview_board(
            script,
            document,
            cast=Cast(project.project.cast_dir).descriptions(script_people(script)),
            settings=PlanSettings(
                width=width, height=height, fps=fps, max_duration=self.max_duration
            ),
        )
        return board_public(board, project.id)


def _frame(board_path: Path) -> tuple[int, int, int]:
    """Keep the frame the storyboard was last planned at (a make may change it)."""
    if board_path.is_file():
        try:
            board = read_document(board_path).board
            return board.width, board.height, board.fps
        except Exception:  # an unreadable file is re-planned at the default frame
            pass
    return BOARD_SIZE


def _frame_of(document: BoardDocument | None) -> tuple[int, int, int]:
    if document is None:
        return BOARD_SIZE
    return document.board.width, document.board.height, document.board.fps


def _shot_index(board: Storyboard, shot_id: str) -> int:
    for index, shot in enumerate(board.shots):
        if shot.id == shot_id:
            return index
    known = ", ".join(s.id for s in board.shots[:20]) or "none"
    raise NotFound(f"no shot {shot_id!r} in the storyboard (shots: {known})")


def edited_shot(shot: Shot, update: ShotUpdate) -> Shot:
    changes: dict[str, Any] = update.model_dump(exclude_unset=True, exclude={"prompt"})
    changes = {k: v for k, v in changes.items() if v is not None}
    if "focus" in changes:
        focus = changes["focus"].strip() or None
        framed = {*shot.subjects, *(t.kind for t in update.things or shot.things)}
        if focus is not None and focus not in framed:
            allowed = ", ".join(sorted(framed)) or "nothing (the shot has no subjects or things)"
            raise StoryboardError(f"focus {focus!r} is not in the shot; choose one of: {allowed}")
        changes["focus"] = focus
    if update.prompt is not None:
        prompt = update.prompt.model_dump(exclude_none=True)
        changes["prompt"] = shot.prompt.model_copy(update=prompt)
    return Shot.model_validate({**shot.model_dump(), **changes})


def board_public(board: Storyboard, project_id: str) -> StoryboardPublic:
    base = f"/api/projects/{project_id}/storyboard/shots"
    return StoryboardPublic(
        title=board.title,
        language=board.language,
        width=board.width,
        height=board.height,
        fps=board.fps,
        duration=board.duration,
        shots=[
            ShotPublic(
                id=shot.id,
                scene=shot.scene,
                index=index,
                size=shot.size,
                move=shot.move,
                angle=shot.angle,
                duration=shot.duration,
                prompt=PromptPublic(en=shot.prompt.en, zh=shot.prompt.zh),
                subjects=list(shot.subjects),
                lines=[
                    LinePublic(character=x.character, text=x.text, lang=x.lang) for x in shot.lines
                ],
                setting=SettingPublic(
                    location=shot.setting.location,
                    interior=shot.setting.interior,
                    time=shot.setting.time,
                ),
                action=shot.action,
                things=[ThingPublic.model_validate(t.model_dump()) for t in shot.things],
                actions=dict(shot.actions),
                focus=shot.focus,
                card=shot.card,
                thumbnail_url=f"{base}/{shot.id}/thumbnail",
            )
            for index, shot in enumerate(board.shots)
        ],
    )


def options(max_duration: float | None) -> OptionsPublic:
    def of(values: Any) -> list[OptionPublic]:
        return [OptionPublic(value=v.value, label_en=v.en, label_zh=v.zh) for v in values]

    longest = min(DURATION_MAX, max_duration) if max_duration else DURATION_MAX
    return OptionsPublic(
        sizes=of(ShotSize),
        moves=of(CameraMove),
        angles=of(Angle),
        duration=DurationRange(min=DURATION_MIN, max=longest),
    )


def thumbnail(project: StudioProject, board: Storyboard, shot_id: str) -> Path:
    """The shot's previs panel as a PNG, drawn once per content: the key covers all
    the drawing reads (the shot, its characters, its place and the frame's aspect)."""
    index = _shot_index(board, shot_id)
    shot = board.shots[index]
    height = 2 * round(THUMB_WIDTH * board.height / board.width / 2)
    key = job_key(
        "thumbnail",
        schema=THUMB_SCHEMA,
        shot=shot,
        characters={name: board.characters.get(name) for name in shot.subjects},
        scene=board.scene_info(shot.scene),
        index=index,
        size=(THUMB_WIDTH, height),
    )
    folder = project.project.state_dir / "thumbnails"
    folder.mkdir(exist_ok=True)
    path = folder / f"{key[:32]}.png"
    if not path.is_file():
        image = keyframe(board, shot, index, THUMB_WIDTH, height)
        with atomic_path(path) as tmp:
            image.save(tmp, format="PNG")
    return path
