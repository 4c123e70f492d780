"""One make of a project at a time: an exclusive flock on .storyreel/lock.

    with project_lock(project, timeout=30):
        ...  # render, cut, record the version

The kernel drops a flock when its holder's file is closed, which includes the process
dying in any way (kill -9 too), so there is no stale lock to clean up. The holder
writes its pid and command into the file only so a refused make can say who holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyreel.errors import StoryreelError
from storyreel.project import LOCK_FILE, Project

# How often a waiting make tries again; a make takes seconds to hours, so 0.1 s is
# quick enough to notice and cheap enough to not matter.
POLL_SECONDS = 0.1


class ProjectLocked(StoryreelError):
    """Another process is making this project."""

    def __init__(self, root: Path, holder: dict[str, Any] | None) -> None:
        self.root = root
        self.holder = holder
        who = "another process"
        if holder:
            who = f"process {holder.get('pid')}"
            if holder.get("host") and holder.get("host") != socket.gethostname():
                who += f" on {holder['host']}"
            if holder.get("command"):
                who += f" ({holder['command']}"
                who += f", since {holder['since']})" if holder.get("since") else ")"
        super().__init__(
            f"project {root} is in use by {who}; wait for it to finish or stop it, then retry"
        )


class ProjectLock:
    """An exclusive lock on a project, held from `acquire` until `release` or exit."""

    def __init__(self, project: Project) -> None:
        self.root = project.root
        self.path = project.state_dir / LOCK_FILE
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, timeout: float = 0.0) -> None:
        """Take the lock, waiting up to `timeout` seconds; raise `ProjectLocked` if it is
        still held by someone else then."""
        if self._fd is not None:
            raise RuntimeError("this ProjectLock is already held")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(0.0, timeout)
        try:
            while not _try_flock(fd):
                if time.monotonic() >= deadline:
                    raise ProjectLocked(self.root, read_holder(self.path))
                time.sleep(POLL_SECONDS)
            _write_holder(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # no stale holder for the next reader to report
        finally:
            os.close(fd)  # closing drops the flock

    def __enter__(self) -> ProjectLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


@contextmanager
def project_lock(project: Project, timeout: float = 0.0) -> Iterator[ProjectLock]:
    """Hold the project's lock for the `with` block (see `ProjectLock.acquire`)."""
    lock = ProjectLock(project)
    lock.acquire(timeout)
    try:
        yield lock
    finally:
        lock.release()


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _write_holder(fd: int) -> None:
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:200] if sys.argv else "",
        "since": datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode(), 0)


def read_holder(path: Path) -> dict[str, Any] | None:
    """Who holds the lock, as its holder wrote it; None if unknown (or mid-write)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
