"""The storyboard page's command box in Chromium: the diff first, an instruction that
cannot be read answered in place, then applied: the card changes and a make runs."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from .support import ENGLISH_STORY, MAKE_TIMEOUT_MS, Shoot, Studio


def test_change_the_film_in_words(signed_in: Page, studio: Studio, shoot: Shoot) -> None:
    project_id = studio.new_project("Words", ENGLISH_STORY)
    second = studio.api("GET", f"/projects/{project_id}/storyboard")["shots"][1]
    assert second["size"] != "close_up"
    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/board"))
    box = page.get_by_role("form", name="Change the film in words")
    instruction = box.get_by_label("Change in words")
    apply = box.get_by_role("button", name="Apply and make")
    expect(apply).to_be_disabled()

    instruction.fill("hum a tune")
    instruction.press("Enter")
    expect(box.get_by_role("alert")).to_have_text(
        "cannot read 'hum a tune' as a change to the storyboard"
    )
    expect(apply).to_be_disabled()

    instruction.fill(f"shot {second['id']}: make it a close-up at dawn")
    box.get_by_role("button", name="Show changes").click()
    changes = box.get_by_role("list", name="Changes").get_by_role("listitem")
    expect(changes.filter(has_text="-> close-up (特写)")).to_have_count(1)
    expect(changes.filter(has_text="setting.time night -> dawn")).to_have_count(1)
    expect(apply).to_be_enabled()
    shoot(page, "edit-box")
    # Nothing is written before Apply.
    board = studio.api("GET", f"/projects/{project_id}/storyboard")
    assert board["shots"][1]["size"] == second["size"]

    apply.click()
    expect(box.get_by_role("status")).to_contain_text("Applied. Making the film (1 shot to render)")
    card = page.locator(f'article[data-shot-id="{second["id"]}"]')
    expect(card.get_by_label("Size", exact=True)).to_have_value("close_up")
    makes = studio.api("GET", f"/projects/{project_id}/makes")
    assert len(makes) == 1
    deadline = time.monotonic() + MAKE_TIMEOUT_MS / 1000
    while (make := studio.api("GET", f"/projects/{project_id}/makes/{makes[0]['id']}"))[
        "status"
    ] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert make["status"] == "succeeded", make["error"]
    versions = studio.api("GET", f"/projects/{project_id}/versions")
    assert versions[0]["message"] == f"shot {second['id']}: make it a close-up at dawn"
