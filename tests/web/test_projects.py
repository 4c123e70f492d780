"""Signing in with the link `storyreel serve` prints, and the projects page: create,
open, delete with a confirmation; one flow driven with the keyboard alone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .support import ENGLISH_SHOTS, ENGLISH_STORY, Shoot, Studio


def test_token_from_the_link_is_kept_and_leaves_the_address_bar(
    page: Page, studio: Studio, shoot: Shoot
) -> None:
    page.goto(f"{studio.url}/#token={studio.token}")
    expect(page.get_by_role("heading", name="Projects", level=1)).to_be_visible()
    assert studio.token not in page.url
    assert page.evaluate("localStorage.getItem('storyreel.token')") == studio.token
    # A new visit without the fragment stays signed in.
    page.goto(f"{studio.url}/")
    expect(page.get_by_role("heading", name="Projects", level=1)).to_be_visible()
    shoot(page, "projects")


def test_a_wrong_token_asks_for_the_right_one(page: Page, studio: Studio, shoot: Shoot) -> None:
    page.goto(f"{studio.url}/#token=not-the-token")
    expect(page.get_by_role("alert")).to_contain_text("token was not accepted")
    shoot(page, "sign-in")
    page.get_by_label("Studio token").fill(studio.token)
    page.get_by_label("Studio token").press("Enter")
    expect(page.get_by_role("heading", name="Projects", level=1)).to_be_visible()


def test_create_open_and_delete_a_project(signed_in: Page, studio: Studio, shoot: Shoot) -> None:
    page = signed_in
    page.get_by_label("New project title").fill("Night Shift")
    page.get_by_role("button", name="Create project").click()
    # Creating opens the new project's script editor.
    expect(page.get_by_role("heading", name="Night Shift", level=1)).to_be_visible()
    expect(page.get_by_label("Story (Fountain or plain prose)")).to_be_visible()
    project_id = re.search(r"#/p/([^/]+)/script", page.url)
    assert project_id is not None
    assert studio.api("GET", f"/projects/{project_id[1]}")["title"] == "Night Shift"

    page.get_by_role("link", name="Projects").first.click()
    row = page.locator(f'li[data-project-id="{project_id[1]}"]')
    expect(row).to_contain_text("Night Shift")
    shoot(page, "projects-listed")

    # Cancelling the confirmation keeps the project.
    row.get_by_role("button", name="Delete Night Shift").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Delete “Night Shift”?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(row).to_be_visible()

    row.get_by_role("button", name="Delete Night Shift").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)
    gone = studio.client.get(f"/api/projects/{project_id[1]}")
    assert gone.status_code == 404


def _tab_to(page: Page, target: str, limit: int = 25) -> None:
    """Press Tab until the element matching `target` has focus, checking that every stop
    on the way shows where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement.matches(sel)", target):
            return
        outline, focused = page.evaluate(
            "() => [getComputedStyle(document.activeElement).outlineStyle,"
            " document.activeElement.outerHTML.slice(0, 120)]"
        )
        assert outline != "none", f"no focus ring on {focused}"
    raise AssertionError(f"{target} not reached with {limit} presses of Tab")


def test_keyboard_only_create_a_project_and_save_its_script(
    signed_in: Page, studio: Studio, shoot: Shoot
) -> None:
    page = signed_in
    _tab_to(page, "input[name=title]")
    page.keyboard.type("Keyboard Film")
    page.keyboard.press("Enter")
    # The new project's page takes the focus to its heading once it has loaded, and Tab
    # goes on from there.
    expect(page.get_by_role("heading", name="Keyboard Film", level=1)).to_be_focused()

    _tab_to(page, "#script-text")
    page.keyboard.type(ENGLISH_STORY)
    # The shot list follows the typing without a save.
    expect(page.locator("#shot-list > li")).to_have_count(ENGLISH_SHOTS)
    _tab_to(page, "button[type=submit]")
    focus_ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus_ring != "none"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    shoot(page, "keyboard-script")

    project_id = re.search(r"#/p/([^/]+)/script", page.url)
    assert project_id is not None
    saved = studio.api("GET", f"/projects/{project_id[1]}/script")
    assert saved["text"] == ENGLISH_STORY
    assert saved["format"] == "fountain"
