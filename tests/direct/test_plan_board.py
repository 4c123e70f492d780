"""Planning receives the cast and the translations up front and returns a frozen
storyboard: a cast description reaches every prompt and take key of its character."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import ValidationError

from storyreel.cast import Cast
from storyreel.direct import PlanSettings, plan_board, with_translations
from storyreel.direct.board_file import BoardDocument, read_document, write_document
from storyreel.direct.prompts import compose, dress
from storyreel.keys import engine_version
from storyreel.model import Dialogue, Prompt, Setting, Shot, ShotLine, ShotSize, Storyboard
from storyreel.render.engine import RenderRequest, engine_options, keyed_options, model_identity
from storyreel.render.engines.kling import KlingEngine
from storyreel.run.jobs import render_key
from storyreel.script import parse_story, read_story

STORY = """INT. KITCHEN - NIGHT

MEI (20s, red raincoat) shakes the rain off her umbrella.

LEO (10, yellow hoodie) looks up from his homework.

LEO
You're soaked!

MEI
It's only rain.
[zh: 只是雨而已。]

LEO stares out of the window.
"""
OLD, NEW = "20s, red raincoat", "60s, grey wool coat"
FRAME = PlanSettings(width=320, height=180, fps=12)


def planned(folder: Path, board_path: Path | None) -> Storyboard:
    """The storyboard as `make` plans it: the cast grows, then dresses the plan."""
    story = folder / "kitchen.fountain"
    script = read_story(story)
    cast = Cast(folder / "cast")
    cast.add_script_characters(script)
    described = cast.descriptions(script.characters)
    return plan_board(story, script, board_path, cast=described, settings=FRAME).board


def kling_keys(board: Storyboard, out: Path) -> dict[str, str]:
    """Each shot's take key for the Kling engine, computed as `render_takes` does."""
    kling = KlingEngine()
    options = keyed_options(engine_options(KlingEngine, "kling", {}))
    version, model = engine_version(kling), model_identity(kling)
    keys = {}
    for shot in board.shots:
        request = RenderRequest.for_shot(board, shot, out / f"{shot.id}.mp4", seed=7)
        keys[shot.id] = render_key(request, "kling", version, options, model=model)
    return keys


def recast(folder: Path) -> None:
    """The user describes MEI anew in her subject.yaml."""
    subject = folder / "cast" / "mei" / "subject.yaml"
    text = subject.read_text(encoding="utf-8")
    assert OLD in text
    subject.write_text(text.replace(OLD, NEW), encoding="utf-8")


@pytest.mark.parametrize("with_file", [False, True], ids=["from the story", "storyboard.yaml"])
def test_a_cast_description_reaches_every_prompt_and_take_key_of_its_character(
    tmp_path: Path, with_file: bool
) -> None:
    (tmp_path / "kitchen.fountain").write_text(STORY, encoding="utf-8")
    board_path = tmp_path / "storyboard.yaml" if with_file else None
    if board_path is not None:
        # As `storyreel board` writes it, before the cast changes.
        story = tmp_path / "kitchen.fountain"
        first = plan_board(story, read_story(story), board_path, settings=FRAME)
        write_document(board_path, first)
    before = planned(tmp_path, board_path)
    keys_before = kling_keys(before, tmp_path)
    assert all(OLD in s.prompt.en for s in before.shots if "MEI" in s.subjects)

    recast(tmp_path)
    after = planned(tmp_path, board_path)
    keys_after = kling_keys(after, tmp_path)

    assert after.characters["MEI"].description == NEW
    with_mei = [s.id for s in after.shots if "MEI" in s.subjects]
    without = [s.id for s in after.shots if "MEI" not in s.subjects]
    assert with_mei and without
    old_shots = {s.id: s for s in before.shots}
    for shot in after.shots:
        request = RenderRequest.for_shot(after, shot, tmp_path / "take.mp4")
        if shot.id in with_mei:
            # The new look reaches the engine, in both languages; the old one nowhere,
            # not even through the action quoting the story's first mention.
            assert NEW in request.shot.prompt.en and NEW in request.shot.prompt.zh
            assert OLD not in request.shot.prompt.en and OLD not in request.shot.prompt.zh
            assert keys_after[shot.id] != keys_before[shot.id]
        else:
            assert shot.prompt == old_shots[shot.id].prompt
            assert keys_after[shot.id] == keys_before[shot.id]
    if board_path is not None:
        assert OLD in board_path.read_text(encoding="utf-8")  # planning never writes


def test_a_prompt_the_user_wrote_survives_a_cast_change(tmp_path: Path) -> None:
    story = tmp_path / "kitchen.fountain"
    story.write_text(STORY, encoding="utf-8")
    board_path = tmp_path / "storyboard.yaml"
    document = plan_board(story, read_story(story), board_path, settings=FRAME)
    mine = Prompt(en="Mei, soaked, laughing in the doorway", zh="小梅湿透了，在门口笑")
    shots = list(document.board.shots)
    index = next(i for i, s in enumerate(shots) if s.subjects == ["MEI"])
    shots[index] = shots[index].model_copy(update={"prompt": mine})
    edited = document.board.model_copy(update={"shots": shots})
    write_document(board_path, replace(document, board=edited))

    planned(tmp_path, board_path)  # the cast is made from the script
    recast(tmp_path)
    after = planned(tmp_path, board_path)

    assert after.shots[index].prompt == mine
    others = [s for s in after.shots if "MEI" in s.subjects and s.id != shots[index].id]
    assert others and all(NEW in s.prompt.en for s in others)


def test_the_cast_wins_over_a_storyboard_file_without_a_planned_block(tmp_path: Path) -> None:
    story = tmp_path / "kitchen.fountain"
    story.write_text(STORY, encoding="utf-8")
    board_path = tmp_path / "storyboard.yaml"
    document = plan_board(story, read_story(story), board_path, settings=FRAME)
    write_document(board_path, BoardDocument(document.board))  # no planned block
    assert read_document(board_path).planned is None

    planned(tmp_path, board_path)  # the cast is made from the script
    recast(tmp_path)
    after = planned(tmp_path, board_path)

    assert after.characters["MEI"].description == NEW
    assert all(NEW in s.prompt.en for s in after.shots if "MEI" in s.subjects)


def test_dress_recomposes_only_prompts_it_composed() -> None:
    board = plan_board(Path(__file__), parse_story(STORY), None, settings=FRAME).board
    mine = Prompt(en="my own words", zh="我自己的话")
    first_mei = next(i for i, s in enumerate(board.shots) if "MEI" in s.subjects)
    shots = list(board.shots)
    shots[first_mei] = shots[first_mei].model_copy(update={"prompt": mine})
    board = board.model_copy(update={"shots": shots})

    dressed = dress(board, {"MEI": NEW, "LEO": ""})

    assert dressed.characters["MEI"].description == NEW
    assert dressed.characters["LEO"] == board.characters["LEO"]  # no description: kept
    assert dressed.shots[first_mei].prompt == mine
    for before, after in zip(board.shots, dressed.shots, strict=True):
        if "MEI" in after.subjects and after.prompt != mine:
            scene = dressed.scene_info(after.scene)
            assert after.prompt == compose(after, dressed.characters, dressed.style, scene)[0]
        elif after.prompt != mine:
            assert after.prompt == before.prompt
    assert dress(dressed, {"MEI": NEW}) is dressed  # nothing to change: the same board


def test_every_planned_shot_has_its_prompts_and_its_lines_their_translations(
    tmp_path: Path,
) -> None:
    story = tmp_path / "kitchen.fountain"
    story.write_text(STORY, encoding="utf-8")
    board = plan_board(story, read_story(story), None, settings=FRAME).board
    for shot in board.shots:
        assert shot.prompt.en and shot.prompt.zh and shot.negative.en and shot.negative.zh
    lines = {line.text: line.translation for shot in board.shots for line in shot.lines}
    assert lines == {"You're soaked!": None, "It's only rain.": "只是雨而已。"}


def test_a_shot_the_user_added_without_a_prompt_gets_one_from_planning(tmp_path: Path) -> None:
    story = tmp_path / "kitchen.fountain"
    story.write_text(STORY, encoding="utf-8")
    board_path = tmp_path / "storyboard.yaml"
    document = plan_board(story, read_story(story), board_path, settings=FRAME)
    added = Shot(
        id="99",
        scene=1,
        size=ShotSize.close_up,
        duration=2,
        subjects=["LEO"],
        setting=Setting(location="KITCHEN", interior="int", time="night"),
        action="LEO grins.",
    )
    board = document.board.model_copy(update={"shots": [*document.board.shots, added]})
    write_document(board_path, replace(document, board=board))

    again = plan_board(story, read_story(story), board_path, settings=FRAME).board

    (shot,) = [s for s in again.shots if s.id == "99"]
    scene = again.scene_info(shot.scene)
    assert (shot.prompt, shot.negative) == compose(shot, again.characters, again.style, scene)
    assert "LEO grins" in shot.prompt.en


def test_translations_reach_the_storyboard() -> None:
    script = parse_story(
        "INT. ROOF - DAY\n\nNAINAI\n风不吃风筝。\n[en: The wind does not eat kites.]\n\n"
        "LEO: Again! [zh: 再来！]\n"
    )
    line = ShotLine(character="NAINAI", text="风不吃风筝。", lang="zh")
    other = ShotLine(character="LEO", text="Again!", lang="en")
    kept = ShotLine(character="LEO", text="Again!", lang="en", translation="Encore !")
    shot = Shot(
        id="1",
        scene=1,
        size=ShotSize.medium,
        duration=2,
        setting=Setting(location="ROOF"),
        lines=[line, kept, other],
    )
    board = Storyboard(shots=[shot])

    translated = with_translations(board, script)

    assert [ln.translation for ln in translated.shots[0].lines] == [
        "The wind does not eat kites.",
        "Encore !",  # a line that has a translation keeps it
        "再来！",
    ]
    assert line.translation is None and board.shots[0] is shot  # the input is not edited


def test_planning_returns_a_board_that_cannot_be_edited(tmp_path: Path) -> None:
    story = tmp_path / "kitchen.fountain"
    story.write_text(STORY, encoding="utf-8")
    script = read_story(story)
    board = plan_board(story, script, None, cast={"MEI": NEW}, settings=FRAME).board
    shot = board.shots[0]
    dialogue = next(e for scene in script.scenes for e in scene.elements if isinstance(e, Dialogue))
    edits = [
        (board, "title", "Another film"),
        (board, "shots", []),
        (board, "characters", {}),
        (board.style, "en", "anime style"),
        (board.characters["MEI"], "description", OLD),
        (shot.setting, "location", "ROOF"),
        (shot.prompt, "en", "something else"),
        (shot.negative, "zh", "别的"),
        (script, "characters", {}),
        (script.scenes[0], "location", "ROOF"),
        (dialogue, "text", "Something else."),
        (script.characters["MEI"], "description", NEW),
    ]
    for value, name, new in edits:
        with pytest.raises(ValidationError, match="frozen"):
            setattr(value, name, new)
    # A changed value is a new one; the planned board is untouched.
    retitled = board.model_copy(update={"title": "Another film"})
    assert retitled.title == "Another film" and board.title != "Another film"
