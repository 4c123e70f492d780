"""The script editor: the shot list follows the typing, a save writes the script, an
error points at its line, and Chinese text is drawn with real glyphs."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .support import (
    BROKEN_LINE,
    BROKEN_STORY,
    CHINESE_STORY,
    ENGLISH_SHOTS,
    ENGLISH_STORY,
    Shoot,
    Studio,
)

# Draws text in the element's own font on a canvas and returns the pixels as a string.
# A missing glyph is drawn as the same empty box whatever the character, so two
# different CJK characters drawing alike (or like a code point no font has) means tofu.
_INK = """
(el, chars) => {
  const family = getComputedStyle(el).fontFamily;
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const g = canvas.getContext("2d", { willReadFrequently: true });
  g.font = `48px ${family}`;
  return chars.map((ch) => {
    g.clearRect(0, 0, 64, 64);
    g.fillText(ch, 4, 52);
    const pixels = g.getImageData(0, 0, 64, 64).data;
    let ink = 0, sig = "";
    for (let i = 3; i < pixels.length; i += 4) {
      ink += pixels[i];
      sig += pixels[i] > 127 ? "1" : "0";
    }
    return { ink, sig };
  });
}
"""


def _open_script(page: Page, studio: Studio, project_id: str) -> None:
    page.goto(studio.page_url(f"/p/{project_id}/script"))
    expect(page.get_by_role("heading", name="Script", level=2)).to_be_visible()


def test_shot_list_follows_the_typing_and_save_writes_the_script(
    signed_in: Page, studio: Studio, shoot: Shoot
) -> None:
    project_id = studio.new_project("Typing")
    page = signed_in
    _open_script(page, studio, project_id)
    editor = page.get_by_label("Story (Fountain or plain prose)")
    shots = page.locator("#shot-list > li")

    first_line, _, second_line = ENGLISH_STORY.partition("BEN\n")
    editor.fill(first_line)
    expect(shots).to_have_count(ENGLISH_SHOTS - 1)
    expect(shots.nth(1)).to_contain_text("It works.")
    editor.press("Control+End")
    editor.press_sequentially("BEN\n" + second_line)
    expect(shots).to_have_count(ENGLISH_SHOTS)
    expect(shots.nth(2)).to_contain_text("Then switch it off.")
    expect(page.get_by_role("status").filter(has_text="Unsaved changes.")).to_be_visible()
    # Nothing is written while typing: the preview saves nothing.
    assert studio.api("GET", f"/projects/{project_id}/script")["text"] == ""

    page.get_by_role("button", name="Save script").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    assert studio.api("GET", f"/projects/{project_id}/script")["text"] == ENGLISH_STORY
    board = studio.api("GET", f"/projects/{project_id}/storyboard")
    assert [s["id"] for s in board["shots"]] == page.locator("#shot-list > li").evaluate_all(
        "items => items.map((li) => li.dataset.shotId)"
    )
    shoot(page, "script")


def test_an_unreadable_script_shows_its_line_and_is_not_saved(
    signed_in: Page, studio: Studio, shoot: Shoot
) -> None:
    project_id = studio.new_project("Broken", ENGLISH_STORY)
    page = signed_in
    _open_script(page, studio, project_id)
    editor = page.get_by_label("Story (Fountain or plain prose)")
    expect(page.locator("#shot-list > li")).to_have_count(ENGLISH_SHOTS)

    editor.fill(BROKEN_STORY)
    page.get_by_role("button", name="Save script").click()
    errors = page.locator("#script-errors")
    expect(errors).to_contain_text(f"line {BROKEN_LINE}")
    expect(errors).to_contain_text("lang")
    expect(editor).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".gutter .bad")).to_have_text(str(BROKEN_LINE))
    shoot(page, "script-error")

    errors.get_by_role("button", name=f"Go to line {BROKEN_LINE}").click()
    expect(editor).to_be_focused()
    selected = editor.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)")
    assert selected == BROKEN_STORY.splitlines()[BROKEN_LINE - 1]
    assert studio.api("GET", f"/projects/{project_id}/script")["text"] == ENGLISH_STORY

    # Fixing the line clears the error as the preview reads it again.
    editor.fill(BROKEN_STORY.replace(" [lang=xx]", ""))
    expect(errors).to_be_empty()
    expect(editor).not_to_have_attribute("aria-invalid", "true")


def test_a_chinese_script_is_drawn_with_real_glyphs(
    signed_in: Page, studio: Studio, shoot: Shoot
) -> None:
    project_id = studio.new_project("夜市")
    page = signed_in
    _open_script(page, studio, project_id)
    page.get_by_label("Story (Fountain or plain prose)").fill(CHINESE_STORY)
    line = page.locator("#shot-list q").filter(has_text="老板，来一碗面。")
    expect(line).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("button", name="Save script").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    shoot(page, "script-chinese")

    for element in (line, page.get_by_label("Story (Fountain or plain prose)")):
        night, market, missing = element.evaluate(_INK, ["夜", "市", "\U0010fffd"])
        assert night["ink"] > 0 and market["ink"] > 0, "CJK text drew nothing"
        assert night["sig"] != market["sig"], "CJK characters draw as identical boxes (tofu)"
        assert night["sig"] != missing["sig"], "CJK characters draw as the missing-glyph box"
    # The project knows its language, and the heading is marked as Chinese.
    page.reload()
    expect(page.get_by_role("heading", name="夜市", level=1)).to_have_attribute("lang", "zh-Hans")
