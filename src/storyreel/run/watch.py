"""Waiting for a make's inputs to change: `storyreel make --watch`.

A creator edits the script in an editor and wants the film again each time they save.
A make in a process that stays up between edits skips what every fresh command pays
again (starting Python, importing the pipeline, loading the voice model, starting the
render workers), so a one-line edit costs what the line itself costs.

    watch = InputWatch([story, board_file, cast_dir], made_here=[cast_dir])
    while True:
        watch.before_make()
        make(...)
        watch.after_make()
        watch.wait()                      # returns when an input changed

Changes are heard from the operating system (inotify, FSEvents, ReadDirectoryChangesW
through `watchfiles`), then confirmed against the inputs' sizes and times, so the make's
own output or an editor's swap file beside the story starts nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storyreel.run.uptodate import fingerprint

# How long the watcher waits for more changes after one before it answers: an editor's
# save (a temporary file, a rename) lands as one change, and a person notices no delay.
SETTLE_MS = 50


class InputWatch:
    """The inputs of a make, as the last make left them. `made_here` are the inputs the
    make itself writes to (the cast folder, where a story's new characters are added):
    a change to them while a make runs is the make's own, not a reason to make again.
    Every `look_every` seconds without a change heard, the inputs are looked at anyway:
    a save in the moment between looking and listening, or one the system does not
    report (some network shares), is still seen that soon (a few `stat` calls each)."""

    def __init__(
        self, inputs: Sequence[Path], made_here: Sequence[Path] = (), look_every: float = 0.25
    ) -> None:
        self.inputs = [Path(p).absolute() for p in inputs]
        self.look_every = look_every
        made = {Path(p).absolute() for p in made_here}
        self._yours = [p for p in self.inputs if p not in made]
        self._made = [p for p in self.inputs if p in made]
        # The user's inputs as the last make began to read them; the make's own as it
        # left them (its writes there are not changes).
        self._before: list[Any] = fingerprint(self._yours)
        self._after: list[Any] = fingerprint(self._made)

    def before_make(self) -> None:
        self._before = fingerprint(self._yours)

    def after_make(self) -> None:
        self._after = fingerprint(self._made)

    def changed(self) -> bool:
        """Has an input changed since the last make read it? An edit saved while that
        make ran counts (it may not be in the film); the make's own writes do not."""
        return fingerprint(self._yours) != self._before or fingerprint(self._made) != self._after

    def folders(self) -> list[Path]:
        """The folders to listen to: each input folder and every folder under it, and
        the nearest existing folder of each input that is a file or not there yet (a
        storyboard or a cast the user has not made). Editors save by writing a new file
        and renaming it over the old one, so a file is heard through its folder."""
        found: set[Path] = set()
        for path in self.inputs:
            if path.is_dir():
                found.update(p for p in (path, *path.rglob("*")) if p.is_dir())
                continue
            parent = path.parent
            while not parent.is_dir() and parent != parent.parent:
                parent = parent.parent
            found.add(parent)
        return sorted(found)

    def concerns(self, path: Path) -> bool:
        """Whether a change at `path` could change an input (the file, anything under an
        input folder, or a folder on the way to an input that does not exist yet)."""
        return any(path == p or p in path.parents or path in p.parents for p in self.inputs)

    def wait(self, stop: threading.Event | None = None) -> bool:
        """Block until an input has changed since the last make; False when `stop` is
        set first. Ctrl-C raises KeyboardInterrupt, as anywhere in a command."""
        import watchfiles

        while not self.changed():
            if stop is not None and stop.is_set():
                return False
            folders = self.folders()

            def relevant(_change: watchfiles.Change, path: str) -> bool:
                return self.concerns(Path(path))

            try:
                for _ in watchfiles.watch(
                    *folders,
                    watch_filter=relevant,
                    step=SETTLE_MS,
                    stop_event=stop,
                    recursive=False,
                    rust_timeout=round(self.look_every * 1000),
                    yield_on_timeout=True,
                ):
                    # A folder made or removed under a watched one (a new cast member, a
                    # storyboard's folder) changes what to listen to: start again.
                    if self.changed() or self.folders() != folders:
                        break
                else:
                    return False  # stopped
            except FileNotFoundError:
                continue  # a folder went between listing and listening: list again
        return True
