"""The studio's timeline in a real browser: shots as clips as long as they play, the
latest make's dialogue and subtitles beneath, trimming and reordering by mouse and
keyboard, each saved to the storyboard."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from .support import ENGLISH_SHOTS, ENGLISH_STORY, Shoot, Studio


def _board(studio: Studio, project_id: str) -> dict[str, float]:
    shots = studio.api("GET", f"/projects/{project_id}/storyboard")["shots"]
    return {s["id"]: s["duration"] for s in shots}


def _wait_for(check: object, what: str) -> None:
    deadline = time.monotonic() + 15
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def _make(studio: Studio, base: str) -> None:
    make = studio.api("POST", f"{base}/makes", json={"width": 160, "height": 90, "fps": 12})
    deadline = time.monotonic() + 120
    while studio.api("GET", f"{base}/makes/{make['id']}")["status"] != "succeeded":
        assert time.monotonic() < deadline, "the make did not succeed in 120 s"
        time.sleep(0.2)


def test_trim_and_reorder_on_the_timeline(signed_in: Page, studio: Studio, shoot: Shoot) -> None:
    project_id = studio.new_project("The Lab", ENGLISH_STORY)
    base = f"/projects/{project_id}"
    _make(studio, base)
    before = _board(studio, project_id)
    ids = list(before)
    assert len(ids) == ENGLISH_SHOTS

    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/timeline"))
    clips = page.locator("#timeline-shots button.clip")
    expect(clips).to_have_count(ENGLISH_SHOTS)
    # Each clip as wide as its shot plays, on one scale.
    widths = [clips.nth(i).bounding_box()["width"] for i in range(ENGLISH_SHOTS)]  # type: ignore[index]
    scales = [w / before[i] for w, i in zip(widths, ids, strict=True)]
    assert max(scales) - min(scales) < 0.5
    # The latest make's dialogue and subtitles, under the shots that speak them.
    dialogue = page.locator("#timeline-dialogue li")
    expect(dialogue).to_have_count(2)
    expect(dialogue.first).to_have_text("ADA: It works.")
    expect(page.locator("#timeline-subtitles li").first).to_contain_text("It works.")
    first_line = dialogue.first.bounding_box()
    second_clip = clips.nth(1).bounding_box()
    assert first_line is not None and second_clip is not None
    assert second_clip["x"] - 2 <= first_line["x"] < second_clip["x"] + second_clip["width"]
    shoot(page, "timeline")

    # Drag the first clip's right edge one second to the right.
    scale = scales[0]
    handle = clips.first.locator(".trim-handle").bounding_box()
    assert handle is not None
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + scale * 0.5, y, steps=3)
    page.mouse.move(x + scale, y, steps=3)
    page.mouse.up()
    expect(page.locator("#timeline-status")).to_contain_text("Saved.")
    _wait_for(
        lambda: abs(_board(studio, project_id)[ids[0]] - (before[ids[0]] + 1)) <= 0.11,
        "the dragged edge did not lengthen the shot by a second",
    )

    # The keyboard: Shift+← three times shortens the second shot by 0.3 s (to the
    # 0.1 s grid a trim snaps to).
    clips.nth(1).focus()
    for _ in range(3):
        page.keyboard.press("Shift+ArrowLeft")
    _wait_for(
        lambda: 0.25 <= before[ids[1]] - _board(studio, project_id)[ids[1]] <= 0.35,
        "Shift+ArrowLeft did not trim the shot",
    )
    shown = clips.nth(1).get_attribute("data-duration")
    assert shown is not None and float(shown) == pytest.approx(_board(studio, project_id)[ids[1]])
    # Alt+→ moves the focused shot one place later; the focus goes with it.
    page.keyboard.press("Alt+ArrowRight")
    _wait_for(
        lambda: list(_board(studio, project_id)) == [ids[0], ids[2], ids[1]],
        "Alt+ArrowRight did not move the shot",
    )
    expect(page.locator("button.clip:focus")).to_have_attribute("data-shot-id", ids[1])

    # Drag the last clip to the front.
    last, first = clips.nth(2).bounding_box(), clips.nth(0).bounding_box()
    assert last is not None and first is not None
    page.mouse.move(last["x"] + 10, last["y"] + last["height"] / 2)
    page.mouse.down()
    page.mouse.move(first["x"] + 5, first["y"] + first["height"] / 2, steps=6)
    page.mouse.up()
    _wait_for(
        lambda: list(_board(studio, project_id)) == [ids[1], ids[0], ids[2]],
        "dragging the clip did not move the shot",
    )
    expect(clips.first).to_have_attribute("data-shot-id", ids[1])
    shoot(page, "timeline-edited")

    # Coming back shows the storyboard as saved.
    page.reload()
    expect(clips).to_have_count(ENGLISH_SHOTS)
    assert clips.evaluate_all("bs => bs.map((b) => b.dataset.shotId)") == [ids[1], ids[0], ids[2]]

    # The next make films the edits: the diff names the trimmed and the moved shots, and
    # the timeline's dialogue follows (ADA's line, in shot 2, now plays first).
    _make(studio, base)
    diff = studio.api("GET", f"{base}/versions/diff", params={"a": 1, "b": 2})
    trimmed = {
        c["shot_id"] for c in diff["changed"] if any(f["path"] == "duration" for f in c["changes"])
    }
    assert {ids[0], ids[1]} <= trimmed
    assert diff["moved"]
    page.reload()
    expect(page.locator("#timeline-summary")).to_contain_text("version 2")
    line, clip = dialogue.first.bounding_box(), clips.first.bounding_box()
    assert line is not None and clip is not None
    assert clip["x"] - 2 <= line["x"] < clip["x"] + clip["width"]
