"""Making the film from the studio: live progress per shot over server-sent events, the
film playing with its subtitles, cancelling, then versions and takes of what was made."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import Page, expect

from .support import CHINESE_STORY, ENGLISH_STORY, MAKE_TIMEOUT_MS, Shoot, Studio

# Records what the page shows as it changes, so the test can tell live updates from a
# page that only ever drew the final state.
_RECORD = """
() => {
  const seen = { states: [], stages: [] };
  window.__seen = seen;
  new MutationObserver((records) => {
    for (const r of records) seen.states.push([r.target.dataset.shotId, r.target.dataset.state]);
  }).observe(document.getElementById("shot-progress"),
    { attributes: true, subtree: true, attributeFilter: ["data-state"] });
  const status = document.getElementById("make-status");
  new MutationObserver(() => seen.stages.push(status.textContent))
    .observe(status, { childList: true, characterData: true, subtree: true });
}
"""


def _made(studio: Studio, project_id: str, **body: Any) -> dict[str, Any]:
    """A make started through the API and waited for (setup for the pages that show
    what makes left behind)."""
    make: dict[str, Any] = studio.api("POST", f"/projects/{project_id}/makes", json=body)
    deadline = time.monotonic() + MAKE_TIMEOUT_MS / 1000
    while make["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"make still {make['status']}"
        time.sleep(0.2)
        make = studio.api("GET", f"/projects/{project_id}/makes/{make['id']}")
    assert make["status"] == "succeeded", make["error"]
    return make


def test_make_the_film_watch_it_and_play_it(signed_in: Page, studio: Studio, shoot: Shoot) -> None:
    project_id = studio.new_project("The Lab", ENGLISH_STORY)
    board = studio.api("GET", f"/projects/{project_id}/storyboard")
    shot_ids = [s["id"] for s in board["shots"]]
    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/make"))
    rows = page.locator("#shot-progress > li")
    expect(rows).to_have_count(len(shot_ids))
    page.evaluate(_RECORD)

    page.get_by_label("Size", exact=True).select_option("320x180")
    page.get_by_label("Clean picture (no slate or caption)").check()
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/makes")) as sent:
        page.get_by_role("button", name="Make the film").click()
    body = sent.value.post_data_json
    assert body is not None and (body["width"], body["height"]) == (320, 180)
    assert body["engine"] == "previs"
    assert body["picture"] == "clean"
    expect(page.get_by_role("button", name="Make the film")).to_be_disabled()
    expect(page.locator("#make-status")).to_have_text("The film is made.", timeout=MAKE_TIMEOUT_MS)
    shoot(page, "make-done")

    # Every shot reached done, and each was seen on its way there (queued, started or
    # part-way), not only at the end.
    assert rows.evaluate_all("rs => rs.map((r) => r.dataset.state)") == ["done"] * len(shot_ids)
    seen = page.evaluate("window.__seen")
    for shot_id in shot_ids:
        states = [state for sid, state in seen["states"] if sid == shot_id]
        assert "done" in states, states
        before_done = states[: states.index("done")]
        assert {"queued", "started", "progress"} & set(before_done), (shot_id, states)
    assert "Render the shots…" in seen["stages"], seen["stages"]
    assert seen["stages"][-1] == "The film is made."
    expect(page.locator("#make-status")).to_have_attribute("aria-live", "polite")

    # The film plays, with its subtitles.
    video = page.locator("#film-player")
    handle = video.element_handle()
    page.wait_for_function(
        "v => v.error || (v.readyState >= 1 && v.duration > 0)", arg=handle, timeout=30_000
    )
    assert video.evaluate("v => v.error && v.error.message") is None
    duration = video.evaluate("v => v.duration")
    assert abs(duration - board["duration"]) < 0.5, (duration, board["duration"])
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("v => v.currentTime > 0.5", arg=handle, timeout=30_000)

    track = video.locator("track")
    expect(track).to_have_attribute("kind", "subtitles")
    expect(track).to_have_attribute("default", "")
    page.wait_for_function(
        "v => v.textTracks[0].mode === 'showing' && v.textTracks[0].cues?.length > 0",
        arg=handle,
    )
    cues = video.evaluate("v => [...v.textTracks[0].cues].map((c) => c.text)")
    assert cues == ["It works.", "Then switch it off."]
    start = video.evaluate("v => v.textTracks[0].cues[0].startTime")
    video.evaluate("(v, t) => { v.pause(); v.currentTime = t; }", start + 0.2)
    page.wait_for_function("v => !v.seeking", arg=handle)
    shoot(page, "film-playing")

    # The shots of the film, from its timeline: each button plays from its shot's start.
    timeline = studio.api("GET", f"/projects/{project_id}/versions/1/timeline")
    buttons = page.locator("#film-shots button")
    expect(buttons).to_have_count(len(timeline["shots"]))
    assert len(timeline["shots"]) == len(shot_ids) >= 2
    last = timeline["shots"][-1]
    at = last["start"] / timeline["fps"]
    minutes, secs = divmod(int(at), 60)
    expect(buttons.last).to_have_text(f"Shot {last['shot_id']} · {minutes}:{secs:02d}")
    buttons.last.click()
    page.wait_for_function(
        "([v, t]) => !v.seeking && Math.abs(v.currentTime - t) < 0.1", arg=[handle, at]
    )
    shoot(page, "film-shots")

    # Coming back to the page shows the film made.
    page.reload()
    expect(page.locator("#film-player")).to_be_attached()
    assert studio.api("GET", f"/projects/{project_id}")["has_film"] is True


def test_cancel_a_make(signed_in: Page, studio: Studio, shoot: Shoot) -> None:
    project_id = studio.new_project("夜市", CHINESE_STORY)
    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/make"))
    # Full size: slow enough that the make is still going when Cancel is pressed.
    page.get_by_label("Size", exact=True).select_option("1280x720")
    page.get_by_role("button", name="Make the film").click()
    cancel = page.get_by_role("button", name="Cancel make")
    expect(cancel).to_be_visible()
    cancel.click()
    expect(page.locator("#make-status")).to_have_text(
        "The make was cancelled.", timeout=MAKE_TIMEOUT_MS
    )
    expect(cancel).to_be_hidden()
    expect(page.get_by_role("button", name="Make the film")).to_be_enabled()
    shoot(page, "make-cancelled")
    makes = studio.api("GET", f"/projects/{project_id}/makes")
    assert [m["status"] for m in makes] == ["cancelled"]


def test_versions_diff_and_checkout_then_pick_a_take(
    signed_in: Page, studio: Studio, shoot: Shoot
) -> None:
    project_id = studio.new_project("Two Cuts", ENGLISH_STORY)
    small = {"width": 320, "height": 180}
    _made(studio, project_id, **small)
    first = studio.api("GET", f"/projects/{project_id}/storyboard")["shots"][0]
    studio.api(
        "PATCH",
        f"/projects/{project_id}/storyboard/shots/{first['id']}",
        json={"size": "close_up"},
    )
    _made(studio, project_id, **small)

    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/versions"))
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_label("From")).to_have_value("1")
    expect(page.get_by_label("To")).to_have_value("2")
    page.get_by_role("button", name="Compare").click()
    changed = page.locator(f'#version-diff li[data-shot-id="{first["id"]}"]')
    expect(changed).to_contain_text("size")
    expect(changed.locator("del").first).to_have_text(first["size"])
    expect(changed.locator("ins").first).to_have_text("close_up")
    expect(page.locator("#version-diff")).not_to_contain_text("Added")
    shoot(page, "versions-diff")

    # Both storyboards were made: checking out version 1 asks once, to confirm.
    page.get_by_role("button", name="Check out version 1").click()
    page.get_by_role("dialog").get_by_role("button", name="Check out").click()
    room = page.get_by_role("region", name="Versions")
    expect(room.get_by_role("status")).to_contain_text("Checked out version 1")
    board = studio.api("GET", f"/projects/{project_id}/storyboard")
    assert board["shots"][0]["size"] == first["size"]

    # An edit no make recorded yet: the studio asks again before replacing it.
    studio.api(
        "PATCH",
        f"/projects/{project_id}/storyboard/shots/{first['id']}",
        json={"size": "extreme_close_up"},
    )
    page.get_by_role("button", name="Check out version 2").click()
    page.get_by_role("dialog").get_by_role("button", name="Check out").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("edits no make has recorded")
    dialog.get_by_role("button", name="Replace my edits").click()
    expect(room.get_by_role("status")).to_contain_text("Checked out version 2")
    board = studio.api("GET", f"/projects/{project_id}/storyboard")
    assert board["shots"][0]["size"] == "close_up"

    # Both renders of the changed shot, side by side; pick the first.
    page.goto(studio.page_url(f"/p/{project_id}/takes/{first['id']}"))
    takes = page.locator("article.take")
    expect(takes).to_have_count(2)
    videos = takes.locator("video")
    page.wait_for_function(
        "() => [...document.querySelectorAll('article.take video')]"
        ".every((v) => v.readyState >= 1 && v.duration > 0)"
    )
    boxes = [videos.nth(i).bounding_box() for i in range(2)]
    assert boxes[0] is not None and boxes[1] is not None
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1 and boxes[0]["x"] < boxes[1]["x"]
    shoot(page, "takes")

    takes.nth(0).get_by_role("button", name="Pick take 1").click()
    expect(takes.nth(0)).to_contain_text("pinned")
    expect(takes.nth(0).get_by_role("button", name="Unpin")).to_be_visible()
    listed = studio.api("GET", f"/projects/{project_id}/shots/{first['id']}/takes")
    assert [t["pinned"] for t in listed] == [True, False]

    takes.nth(0).get_by_role("button", name="Unpin").click()
    expect(takes.nth(0).get_by_role("button", name="Pick take 1")).to_be_visible()
    listed = studio.api("GET", f"/projects/{project_id}/shots/{first['id']}/takes")
    assert not any(t["pinned"] for t in listed)
