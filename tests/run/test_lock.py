from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyreel.project import Project
from storyreel.run.lock import ProjectLock, ProjectLocked, project_lock, read_holder

HOLDER = """
import sys, time
from pathlib import Path
from storyreel.project import Project
from storyreel.run.lock import project_lock

with project_lock(Project.at(Path(sys.argv[1]))):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold(project: Project, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the project's lock for `seconds`."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project.root), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "locked"
    return process


def test_a_second_make_is_refused_naming_the_holder(project: Project) -> None:
    holder = hold(project, 30)
    try:
        started = time.monotonic()
        with pytest.raises(ProjectLocked) as refused, project_lock(project, timeout=0.3):
            pass
        assert time.monotonic() - started >= 0.3  # it waited before refusing
        message = str(refused.value)
        assert f"process {holder.pid}" in message and str(project.root) in message
        assert refused.value.holder is not None and refused.value.holder["pid"] == holder.pid
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_make_gets_the_lock_when_the_holder_finishes(project: Project) -> None:
    holder = hold(project, 0.5)
    started = time.monotonic()
    with project_lock(project, timeout=20) as lock:
        assert lock.held
        assert time.monotonic() - started >= 0.3  # it waited for the holder's end
        assert holder.wait(10) == 0
        assert read_holder(lock.path) == read_holder(project.state_dir / "lock")
        assert read_holder(lock.path)["pid"] == os.getpid()  # type: ignore[index]
    assert read_holder(project.state_dir / "lock") is None  # released: no stale holder


def test_the_lock_is_released_when_the_holder_is_killed(project: Project) -> None:
    holder = hold(project, 60)
    with pytest.raises(ProjectLocked):
        ProjectLock(project).acquire()
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with project_lock(project, timeout=5) as lock:  # no stale lock to clean up
        assert lock.held


def test_two_locks_in_one_process_also_exclude_each_other(project: Project) -> None:
    with project_lock(project), pytest.raises(ProjectLocked, match="in use by process"):
        ProjectLock(project).acquire()
    with project_lock(project):
        pass


def test_lock_lives_in_the_state_folder(project: Project, tmp_path: Path) -> None:
    with project_lock(project) as lock:
        assert lock.path == project.root / ".storyreel" / "lock"
