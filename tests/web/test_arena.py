"""The Quality page shows each take's checks and plots; the Arena shows two takes of
a shot blind, and a vote reaches the leaderboard."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .support import ENGLISH_STORY, Shoot, Studio
from .test_make import _made


def test_quality_then_a_blind_vote_reaches_the_leaderboard(
    signed_in: Page, studio: Studio, shoot: Shoot
) -> None:
    project_id = studio.new_project("The Arena", ENGLISH_STORY)
    _made(studio, project_id, width=160, height=96, takes=2)
    page = signed_in

    page.goto(studio.page_url(f"/p/{project_id}/quality"))
    expect(page.locator("#quality-summary")).to_be_visible()
    takes = page.locator("#quality > article")
    board = studio.api("GET", f"/projects/{project_id}/storyboard")
    expect(takes).to_have_count(2 * len(board["shots"]))
    first = takes.first
    expect(first.locator("tr[data-check=temporal]")).to_contain_text("pass")
    plot = first.locator("img").first
    expect(plot).to_be_visible()
    # The plots load lazily: wait for this one, then read the picture's own size.
    handle = plot.element_handle()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=handle)
    assert page.evaluate("(img) => img.naturalWidth", handle) == 640
    shoot(page, "quality")

    page.goto(studio.page_url(f"/p/{project_id}/arena"))
    videos = page.locator("#arena-pair video")
    expect(videos).to_have_count(2)
    # Blind: nothing on the page names the engine or a seed.
    assert "previs" not in page.locator("#arena-pair").inner_text()
    expect(page.locator("#arena-board")).to_contain_text("No votes yet")
    page.get_by_role("button", name="A is better").click()
    expect(page.locator("#arena-status")).to_contain_text("Vote recorded")
    # Both takes are previs: by engine there is no one to rank yet; by take there is.
    expect(page.locator("#arena-board")).to_contain_text("No votes between different engines")
    page.locator("#arena-by").select_option("take")
    expect(page.locator("#arena-board table")).to_contain_text("1 votes, by take")
    expect(page.locator("#arena-board tbody tr")).to_have_count(2)
    shoot(page, "arena")
    votes = studio.api("GET", f"/projects/{project_id}/arena/leaderboard?by=take")
    assert votes["votes"] == 1 and len(votes["standings"]) == 2
    winner = votes["standings"][0]
    assert winner["wins"] == 1 and winner["low"] <= winner["rating"] <= winner["high"]
