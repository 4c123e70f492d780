"""The make page's engine and voice forms are built from the option schemas the
server serves (GET /api/plugins): a third-party engine's and voice's limits, choices
and defaults appear without the page knowing them, and what the user sets is sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Route, expect
from tests.plugins.support import extras_installed

from .support import ENGLISH_STORY, Shoot, Studio


def test_the_make_form_is_built_from_the_plugins_schemas(
    signed_in: Page, studio: Studio, shoot: Shoot, tmp_path: Path
) -> None:
    with extras_installed(tmp_path / "site"):
        project_id = studio.new_project("Knobs", ENGLISH_STORY)
        page = signed_in
        page.goto(studio.page_url(f"/p/{project_id}/make"))

        engine = page.get_by_label("Engine", exact=True)
        expect(engine).to_have_value("previs")  # the server's default engine
        engine.select_option("toy")
        box = page.locator("#engine-options")
        box.locator("summary").click()
        strength = box.get_by_label("Strength")
        expect(strength).to_have_attribute("type", "number")
        expect(strength).to_have_attribute("min", "1")
        expect(strength).to_have_attribute("max", "9")
        expect(strength).to_have_value("3")
        look = box.get_by_label("Look")
        assert look.locator("option").all_text_contents() == ["noir", "pastel"]
        expect(look).to_have_value("pastel")

        voice = page.get_by_label("Voice", exact=True)
        expect(voice).to_have_value("auto")
        expect(page.locator("#voice-options")).to_be_hidden()  # auto has no options
        voice.select_option("hum")
        voice_box = page.locator("#voice-options")
        voice_box.locator("summary").click()
        pitch = voice_box.get_by_label("Pitch")
        expect(pitch).to_have_attribute("min", "50")
        expect(pitch).to_have_attribute("max", "1000")
        expect(pitch).to_have_value("220")
        wave = voice_box.get_by_label("Wave")
        assert wave.locator("option").all_text_contents() == ["sine", "square"]
        shoot(page, "make-options")

        sent: list[Any] = []

        def capture(route: Route) -> None:
            if route.request.method != "POST":
                route.continue_()
                return
            sent.append(route.request.post_data_json)
            route.fulfill(status=422, json={"detail": "held by the test", "status": 422})

        page.route("**/makes", capture)
        make = page.get_by_role("button", name="Make the film")

        # Beyond the schema's maximum: refused in the page, naming the option.
        strength.fill("12")
        make.click()
        expect(page.get_by_role("alert")).to_contain_text("Strength")
        expect(strength).to_be_focused()
        assert sent == []

        strength.fill("7")
        look.select_option("noir")
        wave.select_option("square")
        make.click()
        expect(page.get_by_role("alert")).to_contain_text("held by the test")
        (body,) = sent
        assert body["engine"] == "toy" and body["voice"] == "hum"
        # Only what differs from the defaults is sent; the plugin fills in the rest.
        assert body["engine_options"] == {"strength": 7, "look": "noir"}
        assert body["voice_options"] == {"wave": "square"}
