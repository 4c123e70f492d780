"""The cast: add a character with a reference image, see it, hear its voice, remove it."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from .support import ENGLISH_STORY, Shoot, Studio


def test_add_hear_and_remove_a_character(
    signed_in: Page, studio: Studio, shoot: Shoot, tmp_path: Path
) -> None:
    project_id = studio.new_project("Cast", ENGLISH_STORY)
    # The script's speakers are cast when it is boarded; Mei is new.
    before = {s["name"] for s in studio.api("GET", f"/projects/{project_id}/cast")}
    photo = tmp_path / "mei.png"
    Image.new("RGB", (128, 160), (200, 90, 60)).save(photo)
    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/cast"))
    expect(page.get_by_role("heading", name="Cast", level=2)).to_be_visible()

    page.get_by_label("Name", exact=True).fill("Mei")
    page.get_by_label("Kind", exact=True).select_option("character")
    page.get_by_label("Description").fill("30s, white coat, short grey hair")
    page.get_by_label("Reference image (optional)").set_input_files(photo)
    page.get_by_role("button", name="Add", exact=True).click()

    card = page.locator("article.cast-card").filter(
        has=page.get_by_role("heading", name="Mei character")
    )
    expect(card).to_contain_text("30s, white coat")
    image = card.get_by_role("img", name="Mei, reference image 1")
    expect(image).to_be_visible()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    cast = studio.api("GET", f"/projects/{project_id}/cast")
    added = [(s["kind"], len(s["image_urls"])) for s in cast if s["name"] == "Mei"]
    assert added == [("character", 1)]
    assert {s["name"] for s in cast} == before | {"Mei"}
    shoot(page, "cast")

    page.get_by_label("Voice preview line").fill("It works.")
    with page.expect_response(lambda r: "/voice-preview" in r.url) as heard:
        card.get_by_role("button", name="Hear Mei's voice").click()
    assert heard.value.status == 200
    assert heard.value.headers["content-type"].startswith("audio/wav")
    assert "text=It+works." in heard.value.url or "text=It%20works." in heard.value.url

    card.get_by_role("button", name="Remove Mei from the cast").click()
    page.get_by_role("dialog").get_by_role("button", name="Remove").click()
    expect(card).to_have_count(0)
    assert {s["name"] for s in studio.api("GET", f"/projects/{project_id}/cast")} == before
