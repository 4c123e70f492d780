"""A make with nothing to do is answered by the launcher before the CLI is imported;
any change to what the film is made from takes the full (incremental) path again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

STORY = """Title: Up To Date

EXT. PIER - DAWN

ANNA (30s, yellow raincoat) looks at the sea.

ANNA
The boats are late.
"""


def make(project: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = ["make", "story.fountain", "-o", "film.mp4", "--size", "160x90", "--fps", "12"]
    return subprocess.run(
        [sys.executable, "-m", "storyreel.launch", *args, *extra],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=project,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )


def up_to_date(result: subprocess.CompletedProcess[str]) -> bool:
    assert result.returncode == 0, result.stderr
    return "up to date" in result.stdout


def test_an_unchanged_make_is_answered_at_once_and_any_change_is_seen(tmp_path: Path) -> None:
    project, cache = tmp_path / "film", tmp_path / "cache"
    project.mkdir()
    story = project / "story.fountain"
    story.write_text(STORY, encoding="utf-8")

    assert not up_to_date(make(project, cache))
    film = project / "film.mp4"
    made = film.stat().st_mtime_ns
    start = time.perf_counter()
    again = make(project, cache)
    assert up_to_date(again) and "film.mp4 — 3 shots" in again.stdout
    assert time.perf_counter() - start < 1.0  # no CLI import, no store, no render
    assert film.stat().st_mtime_ns == made

    # Other words on the command line are another make.
    assert not up_to_date(make(project, cache, "--loudness", "-18"))
    assert not up_to_date(make(project, cache))  # back to -16 LUFS: a new cut
    assert up_to_date(make(project, cache))

    # What the film is made from: the story, the cast folder, the film itself.
    story.write_text(STORY.replace("late", "very late"), encoding="utf-8")
    changed = make(project, cache)
    assert not up_to_date(changed) and "1 rendered" in changed.stdout
    (actor,) = (project / "story.storyreel" / "cast").iterdir()
    Image.new("RGB", (64, 64), "orange").save(actor / "ref-1.png")
    assert not up_to_date(make(project, cache))
    assert up_to_date(make(project, cache))
    film.write_bytes(b"not a film")
    assert not up_to_date(make(project, cache))
    assert film.stat().st_size > 1000


def test_the_store_changing_is_a_change(tmp_path: Path) -> None:
    project, cache = tmp_path / "film", tmp_path / "cache"
    project.mkdir()
    (project / "story.fountain").write_text(STORY, encoding="utf-8")
    assert not up_to_date(make(project, cache))
    shots = subprocess.run(
        [sys.executable, "-m", "storyreel.launch", "take", "list", "1"],
        capture_output=True,
        text=True,
        cwd=project,
        check=True,
    )
    key = re.search(r"\b[0-9a-f]{8}", shots.stdout)
    assert key is not None, shots.stdout
    subprocess.run(
        [sys.executable, "-m", "storyreel.launch", "take", "pin", "1", key.group()],
        capture_output=True,
        text=True,
        cwd=project,
        check=True,
    )
    result = make(project, cache)
    assert not up_to_date(result) and "1 pinned" in result.stdout
