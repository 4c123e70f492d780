"""`storyreel make --watch`: the film made again on each save of the story, in one
process that outlives a broken edit and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

STORY = """Title: Watched

EXT. PIER - DAWN

ANNA (30s, yellow raincoat) looks at the sea.

ANNA
The boats are late.
"""
MAKE = ["make", "story.fountain", "-o", "film.mp4", "--size", "160x90", "--fps", "12"]


class Watching:
    """The command running, and what it says, line by line."""

    def __init__(self, project: Path, cache: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "storyreel.launch", *MAKE, "--watch"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "XDG_CACHE_HOME": str(cache)},
        )
        self.said: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.said.put(line)

    def until(self, words: str) -> list[str]:
        """What it says up to and including the first line with `words`."""
        lines: list[str] = []
        while True:
            try:
                line = self.said.get(timeout=120)
            except queue.Empty:
                pytest.fail(f"no {words!r} after: {''.join(lines)}")
            lines.append(line)
            if words in line:
                return lines


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[Watching]:
    project = tmp_path / "film"
    project.mkdir()
    (project / "story.fountain").write_text(STORY, encoding="utf-8")
    # A plain make first: the launcher records it, and must not answer --watch with it.
    subprocess.run(
        [sys.executable, "-m", "storyreel.launch", *MAKE],
        cwd=project,
        check=True,
        capture_output=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    running = Watching(project, tmp_path / "cache")
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def test_each_save_makes_the_film_again_and_a_broken_one_loses_nothing(
    watching: Watching, tmp_path: Path
) -> None:
    project = tmp_path / "film"
    story, film, subtitles = (project / n for n in ("story.fountain", "film.mp4", "film.srt"))
    first = watching.until("watching")
    assert not any("up to date" in line for line in first), first
    assert any("film.mp4 — 3 shots" in line for line in first), first

    story.write_text(STORY.replace("late", "very late"), encoding="utf-8")
    again = watching.until("watching")
    assert any("1 rendered" in line for line in again), again
    assert "The boats are very late." in subtitles.read_text("utf-8")
    made = film.read_bytes()

    # A save that breaks the story: said, the film left as it was, the watch goes on.
    story.write_text("Title: Watched\n\n", encoding="utf-8")
    broken = watching.until("watching")
    assert any("error:" in line and "no scenes" in line for line in broken), broken
    assert film.read_bytes() == made
    assert watching.process.poll() is None

    story.write_text(STORY.replace("late", "early"), encoding="utf-8")
    mended = watching.until("watching")
    assert any("film.mp4 — 3 shots" in line for line in mended), mended
    assert "The boats are early." in subtitles.read_text("utf-8")

    watching.process.send_signal(signal.SIGINT)
    assert watching.process.wait(30) == 0
    assert "stopped watching" in "".join(watching.until("stopped"))
