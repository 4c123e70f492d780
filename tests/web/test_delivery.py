"""The studio shows a made film's provenance and offers its editor timelines."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .support import ENGLISH_STORY, Shoot, Studio
from .test_make import _made


def test_the_film_room_shows_provenance_and_offers_timelines(
    signed_in: Page, studio: Studio, shoot: Shoot
) -> None:
    project_id = studio.new_project("The Lab", ENGLISH_STORY)
    _made(studio, project_id, width=160, height=96, fps=24)
    shots = studio.api("GET", f"/projects/{project_id}/storyboard")["shots"]

    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/make"))
    provenance = page.locator("#film-provenance")
    expect(provenance.locator('[data-status="valid"]')).to_have_text(
        "Signed, and unchanged since it was signed."
    )
    expect(provenance.locator(".provenance-shots li")).to_have_count(len(shots))
    expect(provenance).to_contain_text('Visible AI label: "AI-generated"')
    expect(provenance).to_contain_text("AIGC metadata: Label 1 · ContentProducer storyreel")
    shoot(page, "provenance")
    link = page.get_by_role("link", name="Timeline (OpenTimelineIO)")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "film.otio"
    assert '"OTIO_SCHEMA": "Timeline' in download.value.path().read_text(encoding="utf-8")
