"""The storyboard grid: cards built from the server's options, edits saved in place and
kept across a reload, bad input answered on the card."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .support import ENGLISH_STORY, Shoot, Studio


def test_edit_a_shot_in_the_grid(signed_in: Page, studio: Studio, shoot: Shoot) -> None:
    project_id = studio.new_project("Board", ENGLISH_STORY)
    board = studio.api("GET", f"/projects/{project_id}/storyboard")
    options = studio.api("GET", f"/projects/{project_id}/storyboard/options")
    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/board"))
    cards = page.locator("article.shot-card")
    expect(cards).to_have_count(len(board["shots"]))

    first = board["shots"][0]
    card = page.locator(f'article[data-shot-id="{first["id"]}"]')
    size = card.get_by_label("Size", exact=True)
    # The select offers exactly the server's sizes, labelled in English and Chinese.
    offered = size.locator("option").evaluate_all("os => os.map((o) => [o.value, o.textContent])")
    assert offered == [[o["value"], f"{o['label_en']} · {o['label_zh']}"] for o in options["sizes"]]
    expect(size).to_have_value(first["size"])
    # Every previs panel is drawn and loaded (through ?token=, as <img> sends no header).
    page.wait_for_function(
        "() => [...document.querySelectorAll('.shot-card img')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
    shoot(page, "storyboard")

    new_size = next(o["value"] for o in options["sizes"] if o["value"] != first["size"])
    thumb = card.get_by_role("img", name=f"Previs panel of shot {first['id']}")
    old_src = thumb.get_attribute("src")
    with (
        page.expect_response(lambda r: r.request.method == "PATCH") as patched,
        page.expect_response(lambda r: "/thumbnail" in r.url and "v=" in r.url) as redrawn,
    ):
        size.select_option(new_size)
    assert patched.value.status == 200
    expect(card.get_by_role("status")).to_have_text("Saved.")
    # The panel is fetched again for the new framing, past the browser's image cache.
    assert redrawn.value.status == 200
    assert thumb.get_attribute("src") != old_src
    saved = studio.api("GET", f"/projects/{project_id}/storyboard")["shots"][0]
    assert saved["size"] == new_size

    prompt = card.get_by_label("Prompt (English)")
    prompt.fill("A humming machine glows blue in the dark lab")
    prompt.press("Tab")  # leaving the field is the change that saves it
    expect(card.get_by_role("status")).to_have_text("Saved.")

    page.reload()
    card = page.locator(f'article[data-shot-id="{first["id"]}"]')
    expect(card.get_by_label("Size", exact=True)).to_have_value(new_size)
    expect(card.get_by_label("Prompt (English)")).to_have_value(
        "A humming machine glows blue in the dark lab"
    )


def test_a_duration_out_of_range_is_refused_on_the_card(
    signed_in: Page, studio: Studio, shoot: Shoot
) -> None:
    project_id = studio.new_project("Durations", ENGLISH_STORY)
    options = studio.api("GET", f"/projects/{project_id}/storyboard/options")
    before = studio.api("GET", f"/projects/{project_id}/storyboard")["shots"][1]
    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/board"))
    card = page.locator(f'article[data-shot-id="{before["id"]}"]')
    duration = card.get_by_label("Duration (seconds)")

    duration.fill(str(options["duration"]["max"] + 10))
    duration.press("Tab")
    expect(card.get_by_role("alert")).to_contain_text("Duration")
    expect(duration).to_have_attribute("aria-invalid", "true")
    shoot(page, "storyboard-error")
    after = studio.api("GET", f"/projects/{project_id}/storyboard")["shots"][1]
    assert after["duration"] == before["duration"]

    duration.fill("2.5")
    duration.press("Tab")
    expect(card.get_by_role("status")).to_have_text("Saved.")
    expect(card.locator(".error")).to_be_empty()
    expect(duration).not_to_have_attribute("aria-invalid", "true")
    assert studio.api("GET", f"/projects/{project_id}/storyboard")["shots"][1]["duration"] == 2.5


def test_props_and_focus_are_edited_on_the_card(
    signed_in: Page, studio: Studio, shoot: Shoot
) -> None:
    project_id = studio.new_project("Props", ENGLISH_STORY)
    shot = studio.api("GET", f"/projects/{project_id}/storyboard")["shots"][0]
    page = signed_in
    page.goto(studio.page_url(f"/p/{project_id}/board"))
    card = page.locator(f'article[data-shot-id="{shot["id"]}"]')
    things = card.get_by_label("Props and animals")
    expect(things).to_have_value(", ".join(t["kind"] for t in shot["things"]))

    things.fill("lantern, cat")
    things.press("Tab")
    expect(card.get_by_role("status")).to_have_text("Saved.")
    focus = card.get_by_label("Focus")
    # The focus offers the shot's subjects and its things as they now are.
    offered = focus.locator("option").evaluate_all("os => os.map((o) => o.value)")
    assert offered == ["", *shot["subjects"], "lantern", "cat"]
    focus.select_option("cat")
    expect(card.get_by_role("status")).to_have_text("Saved.")
    saved = studio.api("GET", f"/projects/{project_id}/storyboard")["shots"][0]
    assert [t["kind"] for t in saved["things"]] == ["lantern", "cat"]
    assert saved["focus"] == "cat"

    things.fill("lantren")
    things.press("Tab")
    alert = card.get_by_role("alert")
    expect(alert).to_contain_text("'lantren' is not a prop kind; did you mean lantern")
    shoot(page, "storyboard-props")
    page.reload()
    card = page.locator(f'article[data-shot-id="{shot["id"]}"]')
    expect(card.get_by_label("Props and animals")).to_have_value("lantern, cat")
    expect(card.get_by_label("Focus")).to_have_value("cat")
