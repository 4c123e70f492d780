"""A variant's script and storyboard: its length, its end card, its language."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.variants.support import write_brief

from storyreel.direct import PlanSettings, plan_board
from storyreel.direct.staging import target_seconds
from storyreel.script import read_story
from storyreel.variants.matrix import Variant
from storyreel.variants.transform import (
    VariantError,
    localize_board,
    translation_table,
    untranslated,
    variant_script,
)


def test_the_length_is_the_planners_target_and_the_cta_an_end_card(tmp_path: Path) -> None:
    brief = write_brief(tmp_path)
    script = read_story(brief)
    variant = Variant(language="zh", aspect="16:9", length=30, cta="Buy now [zh: 立即购买]")
    planned = variant_script(script, variant)
    assert target_seconds(planned) == 30.0
    board = plan_board(brief, planned, None, settings=PlanSettings(width=320, height=180))
    assert board.board.shots[-1].card == "Buy now"
    # The planner meets the target within its ±10 %.
    assert 27.0 <= board.board.duration <= 33.0


def test_localize_swaps_words_and_keeps_the_plan(tmp_path: Path) -> None:
    brief = write_brief(tmp_path)
    script = read_story(brief)
    variant = Variant(language="ja", aspect="16:9", length=15)
    board = plan_board(
        brief, variant_script(script, variant), None, settings=PlanSettings(width=320, height=180)
    ).board
    table = translation_table(script, "ja")
    local = localize_board(board, "ja", table)
    assert [s.duration for s in local.shots] == [s.duration for s in board.shots]
    lines = [line for shot in local.shots for line in shot.lines]
    assert [(ln.text, ln.lang, ln.translation) for ln in lines] == [
        ("春を、一杯ごとに。", "ja", None)
    ]
    cards = [shot for shot in local.shots if shot.card]
    assert [c.card for c in cards] == ["山の泉のお茶"]
    assert "山の泉のお茶" in cards[0].prompt.en
    # Shots with no words are the very same values.
    same = [a == b for a, b in zip(board.shots, local.shots, strict=True)]
    assert same.count(False) == 2


def test_a_missing_translation_names_the_line_and_the_fix(tmp_path: Path) -> None:
    brief = write_brief(tmp_path, "# Ad\n\nA cup on a table.\n\nVOICEOVER: Drink tea.\n")
    script = read_story(brief)
    assert [i.text for i in untranslated(script, "fr")] == ["Drink tea."]
    with pytest.raises(VariantError) as error:
        translation_table(script, "fr", brief=brief)
    message = str(error.value)
    assert message.startswith(f"{brief}:5: the line 'Drink tea.' has no fr translation")
    assert "[fr: ...]" in message and "--llm-url" in message
    assert "\n" not in message


def test_a_cta_without_its_translation_is_named_by_number(tmp_path: Path) -> None:
    script = read_story(write_brief(tmp_path))
    with pytest.raises(VariantError, match=r"^--cta 2: the call to action 'Try it'"):
        translation_table(script, "zh", ["Buy [zh: 买]", "Try it"])


def test_a_line_the_brief_does_not_have_is_named(tmp_path: Path) -> None:
    brief = write_brief(tmp_path)
    script = read_story(brief)
    variant = Variant(language="zh", aspect="16:9", length=15)
    board = plan_board(
        brief, variant_script(script, variant), None, settings=PlanSettings(width=320, height=180)
    ).board
    shot = next(s for s in board.shots if s.lines)
    edited = shot.model_copy(
        update={"lines": [shot.lines[0].model_copy(update={"text": "Spring, in every pot."})]}
    )
    board = board.model_copy(
        update={"shots": [edited if s.id == shot.id else s for s in board.shots]}
    )
    with pytest.raises(VariantError, match=f"^shot {shot.id}: the line 'Spring, in every pot.'"):
        localize_board(board, "zh", translation_table(script, "zh"))


def test_a_picture_lock_lengthens_only_the_shots_speech_needs_longer() -> None:
    from storyreel.model import Setting, Shot, ShotSize, Storyboard
    from storyreel.variants.transform import locked_board

    def shot(shot_id: str, seconds: float) -> Shot:
        return Shot(
            id=shot_id, scene=1, size=ShotSize.wide, duration=seconds, setting=Setting(location="x")
        )

    board = Storyboard(fps=24, shots=[shot("1", 2.0), shot("2", 1.5), shot("3", 3.0)])
    locked = locked_board(board, {"1": 48, "2": 60, "3": 40})
    # 48 frames is shot 1's own length, 40 is less than shot 3's: only shot 2 is longer.
    assert [s.duration for s in locked.shots] == [2.0, 2.5, 3.0]
    assert locked.shots[0] is board.shots[0] and board.shots[1].duration == 1.5
