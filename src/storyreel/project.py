"""A project: the folder where a film's editable files and working state live.

    my-film/
      story.fountain      the story (any name; passed on the command line)
      storyboard.yaml     the storyboard, the user's to edit (`storyreel board`)
      cast/               the cast library: one folder per subject, yaml + images
      .storyreel/         working state: take cache, store, locks (not to be edited)

By default the project is the folder that holds the story; `--project DIR` puts it
elsewhere (the demo keeps the repository's examples/ clean that way).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storyreel.errors import StoryreelError


class ProjectError(StoryreelError):
    """The project folder cannot be used."""


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def at(cls, root: Path | None, story: Path | None = None) -> Project:
        """The project at `root`, or the story's folder when no root is given.

        The folder is created when missing; its parent must exist.
        """
        if root is None:
            root = story.parent if story is not None else Path.cwd()
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise ProjectError(f"{root} is a file; a project is a folder")
        if not root.exists():
            if not root.parent.is_dir():
                raise ProjectError(
                    f"folder {root.parent} does not exist; create it or choose another --project"
                )
            root.mkdir()
        return cls(root)

    @property
    def storyboard_path(self) -> Path:
        return self.root / "storyboard.yaml"

    @property
    def cast_dir(self) -> Path:
        return self.root / "cast"

    @property
    def state_dir(self) -> Path:
        """Created on first use."""
        path = self.root / ".storyreel"
        path.mkdir(exist_ok=True)
        return path
