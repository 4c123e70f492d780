"""A project: the folder where one story's editable files and working state live.

    films/
      kite.fountain          the story
      kite.storyreel/        its project, named after it
        storyboard.yaml      the storyboard, the user's to edit (`storyreel board`)
        cast/                the cast library: one folder per subject, yaml + images
        .storyreel/          working state: take cache, store, locks (not to be edited)

A story's project is the folder beside it named after it (`Project.for_story`), so two
stories in one folder never share a storyboard, a cast or versions. `--project DIR` puts
it elsewhere (the demo keeps the repository's examples/ clean that way). Every command
finds the project the same way (`Project.resolve`): from `--project`, else from the
story it is given, else from the current folder.

A project records the story it belongs to (its file name, in `.storyreel/story`) on
first use, and refuses another story, so `storyreel board b.txt --project DIR` cannot
overwrite a.fountain's storyboard. A project of the older layout (the story's own
folder held storyboard.yaml, cast/ and .storyreel/) is moved into the story's project
folder the first time a command names the story, when the folder was plainly that
story's.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from storyreel.errors import StoryreelError
from storyreel.files import write_text_atomic

SUFFIX = ".storyreel"
STATE_DIR = ".storyreel"
STORYBOARD_FILE = "storyboard.yaml"
CAST_DIR = "cast"
# In the state folder: the file name of the story the project belongs to.
OWNER_FILE = "story"
# In the state folder: the lock a make holds (run/lock.py takes it).
LOCK_FILE = "lock"
# What a project of the older layout kept in the story's folder, moved as a whole.
_OLD_LAYOUT = (STORYBOARD_FILE, CAST_DIR, STATE_DIR)
# Files storyreel reads as a story (see script/read.py).
STORY_SUFFIXES = (".fountain", ".txt", ".md")


class ProjectError(StoryreelError):
    """The project folder cannot be used."""


@dataclass(frozen=True)
class Project:
    root: Path
    # The file name of the story a command works on, when it names one: recorded as the
    # project's owner as soon as the project has a state folder.
    story: str | None = field(default=None, compare=False)

    @classmethod
    def at(cls, root: Path | None, story: Path | None = None) -> Project:
        """The project to work in, created when missing (its parent must exist):
        `root`, else the story's project (`for_story`), else the current folder's
        (`resolve`). With a story, a project another story owns is refused."""
        return cls.resolve(root, story, create=True)

    @classmethod
    def resolve(cls, root: Path | None, story: Path | None, *, create: bool) -> Project:
        """The project a command names: `--project` (`root`), else the story's, else
        the one in the current folder. `create=False` (reading commands: log, diff)
        makes no folder for a project that is not there; the caller sees no store."""
        if root is not None:
            project = cls._folder(Path(root), create)
        elif story is not None:
            project = cls.for_story(Path(story))
        else:
            project = cls.in_folder(Path.cwd())
        if story is None:
            return project
        if project.root.is_dir():
            project.claim(Path(story))
        return replace(project, story=Path(story).name)

    @classmethod
    def for_story(cls, story: Path) -> Project:
        """`STEM.storyreel/` beside the story; a project of the older layout in the
        story's folder moves there first when it was plainly this story's."""
        folder = default_root(story)
        if not folder.exists():
            old = story.parent
            if _staging(folder).exists():
                _move_old_project(old, folder)  # a move that was cut short: finish it
            else:
                in_place = _owner(old)
                if in_place == story.name:
                    return cls(old)  # kept in the story's folder on purpose (the studio's)
                if in_place is None and _has_old_layout(old):
                    owner = _old_owner(old)
                    if owner == story.name:
                        _move_old_project(old, folder)
                    elif owner is None:
                        raise ProjectError(
                            f"{old} holds a project of several stories "
                            f"({', '.join(_stories(old))}); pass --project {old} to keep "
                            f"using it for {story.name}, or --project DIR to start anew"
                        )
        # Made when something is first written there (the state folder, the cast, the
        # storyboard): a command refused for a bad story or option leaves no folder.
        return cls._folder(folder, create=False)

    @classmethod
    def in_folder(cls, folder: Path) -> Project:
        """The project a command run in `folder` without a story means: the folder
        itself when it is a project, else the one story project in it."""
        if (folder / STATE_DIR).is_dir() or (folder / STORYBOARD_FILE).is_file():
            return cls(folder)
        found = sorted(
            p for p in folder.glob(f"*{SUFFIX}") if p.is_dir() and (p / STATE_DIR).is_dir()
        )
        if len(found) == 1:
            return cls(found[0])
        if found:
            names = ", ".join(p.name for p in found)
            raise ProjectError(
                f"{folder} holds several projects ({names}): name the story "
                "(e.g. `storyreel log STORY`) or the project (--project DIR)"
            )
        raise ProjectError(
            f"no project in {folder}: name the story (e.g. `storyreel log STORY`) or the "
            "project (--project DIR); `storyreel board STORY` or `make` creates it"
        )

    @classmethod
    def _folder(cls, root: Path, create: bool) -> Project:
        if root.exists() and not root.is_dir():
            raise ProjectError(f"{root} is a file; a project is a folder")
        if not root.exists() and create:
            if not root.parent.is_dir():
                raise ProjectError(
                    f"folder {root.parent} does not exist; create it or choose another --project"
                )
            root.mkdir()
        return cls(root)

    def claim(self, story: Path) -> None:
        """Record that the project is `story`'s; refuse when another story owns it.

        The record goes into the state folder once there is one (a make creates it):
        a command refused for a bad option leaves a new project untouched. Until then
        the storyboard file's own `story:` entry says whose the project is."""
        recorded = _owner(self.root)
        owner = recorded or self.owner
        if owner is not None and owner != story.name:
            fix = (
                f"delete {self.root / STATE_DIR / OWNER_FILE}"
                if recorded
                else f"change `story: file:` in {self.storyboard_path}"
            )
            raise ProjectError(
                f"{self.root} is the project of {owner}, not of {story.name}: give "
                f"{story.name} its own (--project DIR), or if it is {owner} renamed, {fix}"
            )
        if recorded is None and (self.root / STATE_DIR).is_dir():
            self.give_to(story)

    def give_to(self, story: Path) -> None:
        """Record `story` as the project's, whoever it was before (the studio, whose
        project folder holds its script under a name that follows the script's kind)."""
        state = self.root / STATE_DIR
        state.mkdir(parents=True, exist_ok=True)
        write_text_atomic(state / OWNER_FILE, Path(story).name + "\n")

    @property
    def owner(self) -> str | None:
        """The file name of the story the project belongs to: as recorded, else as its
        storyboard file names it (a project boarded but not yet made); None for a
        project no story has used yet."""
        recorded = _owner(self.root)
        if recorded is None and self.storyboard_path.is_file():
            return _storyboard_story(self.storyboard_path)
        return recorded

    @property
    def storyboard_path(self) -> Path:
        return self.root / STORYBOARD_FILE

    @property
    def cast_dir(self) -> Path:
        return self.root / CAST_DIR

    @property
    def state_dir(self) -> Path:
        """Created on first use (with the project folder), owned by `story` if set."""
        path = self.root / STATE_DIR
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            if self.story is not None and _owner(self.root) is None:
                write_text_atomic(path / OWNER_FILE, self.story + "\n")
        return path


def default_root(story: Path) -> Path:
    """Where a story's project lives unless `--project` says otherwise."""
    return story.parent / f"{story.stem}{SUFFIX}"


def _owner(root: Path) -> str | None:
    try:
        return (root / STATE_DIR / OWNER_FILE).read_text(encoding="utf-8").strip() or None
    except (FileNotFoundError, NotADirectoryError):
        return None


def _has_old_layout(folder: Path) -> bool:
    return any((folder / name).exists() for name in _OLD_LAYOUT)


def _stories(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.suffix.lower() in STORY_SUFFIXES and p.is_file()
    )


def _old_owner(folder: Path) -> str | None:
    """The story a project of the older layout was made for: the one its storyboard
    names (`story: file:`), else the folder's only story; None when it cannot be told."""
    stories = _stories(folder)
    named = _storyboard_story(folder / STORYBOARD_FILE)
    if named is not None and named in stories:
        return named
    return stories[0] if len(stories) == 1 else None


def _storyboard_story(path: Path) -> str | None:
    import yaml  # only for this rare move, not on every command's path

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    story = data.get("story") if isinstance(data, dict) else None
    name = story.get("file") if isinstance(story, dict) else None
    return name if isinstance(name, str) and name else None


def _staging(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.moving")


def _move_old_project(old: Path, new: Path) -> None:
    """Move the older layout's storyboard, cast and state from `old` into `new`.

    Each part is renamed (never copied: the take cache keeps its files, the store its
    rows, whose take paths are relative to the state folder) into a hidden staging
    folder that is renamed to `new` last, so `new` appears whole or not at all; a move
    cut short is finished by the next command (`for_story`). Refused while a make of
    the old project holds its lock."""
    staging = _staging(new)
    with _no_make_running(old):
        staging.mkdir(exist_ok=True)
        for name in _OLD_LAYOUT:
            with contextlib.suppress(FileNotFoundError):  # not there, or moved already
                os.rename(old / name, staging / name)
        try:
            os.rename(staging, new)
        except FileNotFoundError:
            if not new.is_dir():  # another command finished the move meanwhile
                raise


@contextlib.contextmanager
def _no_make_running(old: Path) -> Iterator[None]:
    """Hold the old project's make lock (see run/lock.py) while its files move."""
    lock = old / STATE_DIR / LOCK_FILE
    if not lock.is_file():
        yield
        return
    fd = os.open(lock, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ProjectError(
                f"project {old} is in use by a make; it moves into its story's project "
                "folder once that finishes: retry then"
            ) from None
        yield
    finally:
        os.close(fd)
