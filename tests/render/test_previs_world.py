"""A planned storyboard's world, drawn: the render request a shot of a planned story
gets carries its place, weather, props and poses, and the previs draws them; a title
card is its words alone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from storyreel.direct import plan
from storyreel.render.drawn import read_drawn
from storyreel.render.engine import RenderRequest
from storyreel.render.engines.previs import PrevisEngine
from storyreel.render.previs import compose_panel, draw_plate
from storyreel.render.previs.sheet import keyframe
from storyreel.script import parse_story, read_story

from .previs_support import area, changed_box, decode

STORIES = Path(__file__).resolve().parents[3] / "shared" / "stories"


def test_the_close_up_on_the_lantern_frames_the_lantern(tmp_path: Path) -> None:
    board = plan(read_story(STORIES / "night_market.fountain"), width=320, height=180)
    close = next(s for s in board.shots if s.action.startswith("CLOSE ON"))
    request = RenderRequest.for_shot(board, close, tmp_path / "c.mp4")
    assert request.things == (("lantern", None),) and request.set_kind == "night_market"
    bare = replace(request, things=())
    box = changed_box(compose_panel(bare, overlay=False), compose_panel(request, overlay=False))
    assert area(box) >= 0.25 * 320 * 180
    assert "lantern" in draw_plate(request).things


def test_a_planned_shot_is_drawn_in_its_set_with_its_props(tmp_path: Path) -> None:
    board = plan(read_story(STORIES / "night_market.fountain"), width=320, height=180)
    sits = next(s for s in board.shots if s.actions.get("OLD SELLER") == "sit")
    request = RenderRequest.for_shot(board, sits, tmp_path / "s.mp4")
    plate = draw_plate(request)
    assert "table" in plate.things
    # The night market's set, not the bare backdrop of the heading's words.
    unset = replace(request, set_kind=None, weather=(), things=(), poses={})
    difference = np.abs(
        compose_panel(request, overlay=False).astype(int)
        - compose_panel(unset, overlay=False).astype(int)
    )
    assert difference.mean() > 10


def test_a_title_card_is_its_words_on_black(tmp_path: Path) -> None:
    script = parse_story("INT. KITCHEN - DAY\n\nANNA waits by the window.\n\n> THE END <\n")
    board = plan(script, width=320, height=180)
    card = board.shots[-1]
    assert card.card == "THE END"
    take = PrevisEngine().render(RenderRequest.for_shot(board, card, tmp_path / "card.mp4"))
    frames, _ = decode(take.path)
    assert len(frames) == take.frames
    middle = frames[len(frames) // 2].astype(int)
    dark = middle.mean(axis=2) < 40
    assert dark.mean() > 0.85  # black, no set and no figures
    bright = np.argwhere(middle.mean(axis=2) > 180)
    assert len(bright) > 50  # the words
    ys, xs = bright[:, 0], bright[:, 1]
    assert abs(xs.mean() - 160) < 20 and abs(ys.mean() - 90) < 20  # centred
    drawn = read_drawn(take.path)  # what the take records it drew: the card, whole frame
    assert drawn is not None
    assert [(e.kind, e.name, e.box) for e in drawn.elements] == [
        ("card", "THE END", (0.0, 0.0, 1.0, 1.0))
    ]


def test_the_contact_sheet_shows_a_title_card_as_the_film_does() -> None:
    script = parse_story("INT. KITCHEN - DAY\n\nANNA waits by the window.\n\n> THE END <\n")
    board = plan(script, width=320, height=180)
    panel = np.asarray(keyframe(board, board.shots[-1], len(board.shots), 320, 180))
    assert (panel.mean(axis=2) < 40).mean() > 0.85 and (panel.mean(axis=2) > 180).any()


def test_a_figure_follows_the_gender_the_story_gives_by_pronoun_alone() -> None:
    """Nothing in the names or descriptions says who is a woman: the pronouns do. The
    world reads them, the request carries them, and the drawn bodies follow."""
    from storyreel.render.previs.panel import cast_looks

    script = parse_story(
        "INT. KITCHEN - DAY\n\nQUILL waits by the window. She turns.\n\n"
        "BRASK comes in. He sits down.\n\nQUILL\nYou're late.\n\nBRASK\nSorry.\n"
    )
    board = plan(script, width=320, height=180)
    shot = next(s for s in board.shots if {"QUILL", "BRASK"} <= set(s.subjects))
    request = RenderRequest.for_shot(board, shot, Path("x.mp4"))
    assert request.genders == {"QUILL": "female", "BRASK": "male"}
    looks = {look.name: look for look in cast_looks(request)}
    assert looks["QUILL"].hair_style in ("long", "ponytail", "bun")
    assert looks["QUILL"].build < looks["BRASK"].build and looks["QUILL"].height < 1.0
