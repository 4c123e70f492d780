"""A branching story made end to end: one part per scene cut from the film (frames and
sound as the film has them), the graph as JSON, and the player in real Chromium from
the file system: a choice clicked plays the right next part, the end screen appears."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import av
import numpy as np
import pytest
from playwright.sync_api import Page, expect

from storyreel.config import MakeConfig
from storyreel.make import Film, make_film
from storyreel.project import Project

from .support import Shoot, Studio

STORY = """\
Title: Two Doors

INT. HALL - NIGHT

Mira stands between two doors.

MIRA
Which one?

[[choice: Open the left door -> LEFT ROOM]]
[[choice: Open the right door -> # The Garden]]

INT. LEFT ROOM - NIGHT

A lamp. A letter.

[[end]]

# The Garden

EXT. GARDEN - NIGHT

MIRA
Rain.

EXT. GATE - NIGHT

The gate swings shut.
"""


# Small frames, few of them: the tests are about the parts and the page, not the picture.
SMALL = MakeConfig(width=160, height=90, fps=12)
RATE = 48_000  # the film's sound


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Film:
    root = tmp_path_factory.mktemp("branching")
    story = root / "doors.fountain"
    story.write_text(STORY, encoding="utf-8")
    config = SMALL
    return make_film(story, root / "film.mp4", config, project=Project.at(root / "project"))


def _scene_frames(film: Film) -> dict[int, tuple[int, int]]:
    scene_of = {shot.id: shot.scene for shot in film.storyboard.shots}
    spans: dict[int, tuple[int, int]] = {}
    for timed in film.timeline.shots:
        first, _ = spans.get(scene_of[timed.shot_id], (timed.start, 0))
        spans[scene_of[timed.shot_id]] = (first, timed.end)
    return spans


def _frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="gray") for f in container.decode(video=0)]


def _sound(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])


def test_the_parts_and_the_graph(made: Film) -> None:
    folder = made.path.with_suffix(".player")
    assert sorted(p.name for p in folder.iterdir()) == [
        "branches.json",
        "index.html",
        "scene-1.mp4",
        "scene-2.mp4",
        "scene-3.mp4",
        "scene-4.mp4",
    ]
    graph = json.loads((folder / "branches.json").read_text(encoding="utf-8"))
    hall, left, garden, gate = graph["scenes"]
    assert [(c["text"], c["target"]) for c in hall["choices"]] == [
        ("Open the left door", 2),
        ("Open the right door", 3),
    ]
    assert (left["next"], garden["next"], gate["next"]) == (None, 4, None)
    assert gate["segment"] == "scene-4.mp4" and graph["start"] == 1

    film_frames, film_sound = _frames(made.path), _sound(made.path)
    for number, (start, end) in _scene_frames(made).items():
        part = folder / f"scene-{number}.mp4"
        frames = _frames(part)
        # Every frame of the scene, no more: the first and last as the film shows them.
        assert len(frames) == end - start
        assert graph["scenes"][number - 1]["duration"] == pytest.approx(
            (end - start) / SMALL.fps, abs=1e-3
        )
        for mine, theirs in ((frames[0], film_frames[start]), (frames[-1], film_frames[end - 1])):
            assert np.abs(mine.astype(int) - theirs.astype(int)).mean() < 3
        # The sound under those frames: as long, and the same mix (within AAC's loss).
        sound = _sound(part)
        per_frame = RATE // SMALL.fps
        under = film_sound[start * per_frame : end * per_frame]
        assert abs(len(sound) - len(under)) <= 1024
        n = min(len(sound), len(under))
        loud = np.sqrt(np.mean(under**2))
        assert np.sqrt(np.mean((sound[:n] - under[:n]) ** 2)) <= 0.1 * loud + 1e-4
    assert np.sqrt(np.mean(_sound(folder / "scene-3.mp4") ** 2)) > 0.01  # Mira speaks


def test_an_unchanged_film_keeps_its_parts(made: Film) -> None:
    folder = made.path.with_suffix(".player")
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.mp4")}
    story = made.path.parent / "doors.fountain"
    make_film(
        story,
        made.path,
        SMALL,
        project=Project.at(made.path.parent / "project"),
    )
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.mp4")} == before


def _finish(page: Page) -> None:
    """Skip to the end of the playing part (its last tenth of a second plays)."""
    page.locator("#segment").evaluate("v => { v.currentTime = Math.max(0, v.duration - 0.1); }")


def _playing(page: Page, scene: int) -> None:
    video = page.locator("#segment")
    expect(video).to_have_attribute("data-scene", str(scene))
    expect(page.locator("body")).to_have_attribute("data-state", "playing")
    assert video.evaluate("v => new URL(v.src).pathname").endswith(f"/scene-{scene}.mp4")
    # It plays: time moves on, no error.
    page.wait_for_function(
        "() => { const v = document.getElementById('segment'); "
        "return v.readyState >= 2 && !v.paused && v.currentTime > 0.05; }"
    )
    assert video.evaluate("v => v.error") is None


def test_the_player_in_chromium(made: Film, page: Page, shoot: Shoot) -> None:
    page.goto(made.path.with_suffix(".player").joinpath("index.html").as_uri())
    expect(page.get_by_role("heading", name="Two Doors", level=1)).to_be_visible()
    page.get_by_role("button", name="Play").click()
    _playing(page, 1)
    _finish(page)

    choices = page.get_by_role("group", name="What happens next?")
    expect(choices).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-state", "choosing")
    left = choices.get_by_role("button", name="Open the left door")
    expect(left).to_be_focused()  # the keyboard lands on the first choice
    shoot(page, "choices")
    choices.get_by_role("button", name="Open the right door").click()
    _playing(page, 3)
    expect(page.locator("#scene-heading")).to_have_text("EXT. GARDEN - NIGHT")
    _finish(page)
    _playing(page, 4)  # the garden flows into the gate
    _finish(page)

    expect(page.locator("body")).to_have_attribute("data-state", "ended")
    expect(page.get_by_role("status")).to_contain_text("The end")
    shoot(page, "end")
    page.get_by_role("button", name="Play again").click()
    _playing(page, 1)
    _finish(page)
    expect(choices).to_be_visible()
    page.keyboard.press("1")  # number keys pick a choice
    _playing(page, 2)
    _finish(page)
    expect(page.locator("body")).to_have_attribute("data-state", "ended")


def test_a_missing_part_is_said(made: Film, page: Page, tmp_path: Path) -> None:
    folder = tmp_path / "player"
    shutil.copytree(made.path.with_suffix(".player"), folder)
    (folder / "scene-1.mp4").unlink()
    page.goto((folder / "index.html").as_uri())
    page.get_by_role("button", name="Play").click()
    expect(page.locator("#scene-heading")).to_contain_text(
        "INT. HALL - NIGHT: cannot play scene-1.mp4"
    )


def test_the_player_from_the_studio(signed_in: Page, studio: Studio) -> None:
    project_id = studio.new_project("Two Doors", STORY)
    base = f"/projects/{project_id}"
    make = studio.api("POST", f"{base}/makes", json={"width": 160, "height": 90, "fps": 12})
    deadline = time.monotonic() + 120
    while studio.api("GET", f"{base}/makes/{make['id']}")["status"] != "succeeded":
        assert time.monotonic() < deadline, "the make did not succeed in 120 s"
        time.sleep(0.2)
    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/make"))
    link = page.get_by_role("link", name="Play the branching film")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href is not None
    # The page and its parts come from the API, with the token the page was given.
    page.goto(href)
    page.get_by_role("button", name="Play").click()
    _playing(page, 1)
    assert "token=" in page.locator("#segment").evaluate("v => v.src")
    _finish(page)
    page.get_by_role("button", name="Open the left door").click()
    _playing(page, 2)
    _finish(page)
    expect(page.locator("body")).to_have_attribute("data-state", "ended")
