"""The Variants page shows the films a matrix made, with their settings and QA, and a
pick is recorded."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import Page, expect

from .support import Shoot, Studio

TEA = """Title: Tea

EXT. BALCONY - DAY

A young woman opens a tin of green tea. Steam rises from the cup.

NARRATOR (V.O.)
Spring, in every cup.
[zh: 春天，就在每一杯里。]
"""


def _variants_made(studio: Studio, project_id: str, **body: Any) -> None:
    job = studio.api("POST", f"/projects/{project_id}/variants", json=body)
    deadline = time.monotonic() + 240
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"variants still {job['status']}"
        time.sleep(0.2)
        job = studio.api("GET", f"/projects/{project_id}/makes/{job['id']}")
    assert job["status"] == "succeeded", job["error"]


def test_the_grid_shows_the_films_and_records_a_pick(
    signed_in: Page, studio: Studio, shoot: Shoot
) -> None:
    project_id = studio.new_project("Tea variants", TEA)
    # A language the script has no marks for is refused before anything is made.
    refused = studio.client.post(f"/api/projects/{project_id}/variants", json={"languages": ["fr"]})
    assert refused.status_code == 422
    assert "no fr translation" in refused.text and "[fr: ...]" in refused.text
    _variants_made(
        studio, project_id, languages=["en", "zh"], lengths=[5], width=160, height=96, fps=8,
        voice="espeak",
    )  # fmt: skip
    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/variants"))
    cards = page.locator("#variants > article")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("en.16x9.5s")
    expect(cards.nth(1)).to_contain_text("zh · 16:9 · 5 s target")
    expect(cards.nth(1)).to_contain_text("reused")
    expect(cards.nth(1).locator("[data-qa]")).to_contain_text("QA:")
    video = cards.nth(1).locator("video")
    handle = video.element_handle()
    # The film is served: the browser reads its metadata.
    page.wait_for_function("(v) => v.readyState >= 1 && v.duration > 3", arg=handle)
    page.get_by_role("button", name="Pick zh.16x9.5s").click()
    expect(page.locator("#variants-status")).to_contain_text("zh.16x9.5s picked")
    expect(cards.nth(1)).to_contain_text("picked")
    shoot(page, "variants")
    made = studio.api("GET", f"/projects/{project_id}/variants")
    assert made["picked"] == "zh.16x9.5s"
    assert [f["variant"] for f in made["films"]] == ["en.16x9.5s", "zh.16x9.5s"]
