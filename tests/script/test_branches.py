"""Branching films: `[[choice: TEXT -> TARGET]]` and `[[end]]` read into a graph of
scenes; loops, bad targets and misplaced marks refused with their line; scenes no
path reaches reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyreel.errors import StoryError
from storyreel.script import parse_story, read_story
from storyreel.script.branches import Branches, parse_branches, read_branches


def graph(text: str) -> Branches:
    found = parse_branches(text, parse_story(text))
    assert found is not None
    return found


def refused(text: str) -> StoryError:
    with pytest.raises(StoryError) as caught:
        parse_branches(text, parse_story(text))
    return caught.value


TWO_DOORS = """\
INT. HALL - NIGHT

Mira stands between two doors.

[[choice: Open the left door -> LEFT ROOM]]
[[choice: Open the right door -> # The Garden]]

INT. LEFT ROOM - NIGHT

A lamp. A letter.

[[end]]

# The Garden

EXT. GARDEN - NIGHT

Rain on the roses.

EXT. GATE - NIGHT

The gate swings shut.
"""


def test_choices_end_and_flow() -> None:
    found = graph(TWO_DOORS)
    hall, left, garden, gate = found.scenes
    assert [(c.text, c.target, c.line) for c in hall.choices] == [
        ("Open the left door", 2, 5),
        ("Open the right door", 3, 6),
    ]
    assert hall.next is None  # a scene with choices ends on them
    assert left.ends and left.choices == ()  # [[end]]
    assert garden.next == 4  # no mark: flows into the next scene
    assert gate.ends  # the last scene ends its path
    assert found.paths() == [[1, 2], [1, 3, 4]]
    assert found.warnings == ()


def test_a_linear_story_has_no_graph() -> None:
    text = "INT. HALL - NIGHT\n\nMira waits.\n\n[[a note for the writer]]\n"
    assert parse_branches(text, parse_story(text)) is None


def test_targets_by_whole_heading_chinese_marks_and_the_later_scene() -> None:
    text = """\
外景 夜市 - 夜

小美停下脚步。

[[选择：回家 → 内景 家 - 夜]]
[[选择：留下 → 夜市]]

内景 家 - 夜

灯亮着。

[[结束]]

外景 夜市 - 夜

雨下大了。
"""
    home, market = graph(text).scenes[0].choices
    assert (home.text, home.target) == ("回家", 2)
    # Two scenes share the place: the choice goes forward, to the later one.
    assert (market.text, market.target) == ("留下", 3)


def test_a_loop_is_refused_with_the_line_of_the_choice_that_closes_it() -> None:
    text = """\
INT. HALL - NIGHT

Mira waits.

INT. STAIRS - NIGHT

She climbs.

[[choice: Go back down -> HALL]]
[[choice: Keep climbing -> ROOF]]

EXT. ROOF - NIGHT

Stars.
"""
    error = refused(text)
    assert error.line == 9
    assert "Go back down" in str(error) and "loop" in str(error)
    assert str(error).startswith("line 9: ")


def test_a_choice_back_to_an_ending_scene_is_not_a_loop() -> None:
    text = """\
INT. HALL - NIGHT

Mira waits.

[[end]]

INT. STAIRS - NIGHT

She climbs.

[[choice: Give up -> HALL]]
"""
    found = graph(text)
    assert found.scenes[1].choices[0].target == 1
    # The stairs follow an [[end]] and no choice names them: reported, not refused.
    assert found.warnings == (
        "line 7: INT. STAIRS - NIGHT is never played: no choice names it and "
        "the scene before it ends with [[end]]",
    )


def test_unreached_scenes_are_reported() -> None:
    text = """\
INT. HALL - NIGHT

Mira waits.

[[choice: Leave -> STREET]]

INT. CELLAR - NIGHT

Dust.

EXT. STREET - NIGHT

Cars pass.
"""
    found = graph(text)
    assert found.paths() == [[1, 3]]
    assert found.warnings == (
        "line 7: INT. CELLAR - NIGHT is never played: no choice names it and "
        "the scene before it ends on choices",
    )


@pytest.mark.parametrize(
    ("mark", "line", "words"),
    [
        ("[[choice: Run -> ATTIC]]", 5, "no scene or section is named 'ATTIC'"),
        ("[[choice: Run away]]", 5, "has no -> before its target"),
        ("[[choice: -> HALL]]", 5, "has no words for its button"),
        ("[[choice: Run ->]]", 5, "has no target after ->"),
        ("She runs. [[choice: Run -> STREET]]", 5, "must stand on a line of its own"),
    ],
)
def test_a_bad_mark_is_refused_with_its_line(mark: str, line: int, words: str) -> None:
    text = f"INT. HALL - NIGHT\n\nMira waits.\n\n{mark}\n\nEXT. STREET - NIGHT\n\nCars.\n"
    error = refused(text)
    assert error.line == line
    assert words in str(error)


def test_a_mark_must_end_its_scene() -> None:
    text = "INT. HALL - NIGHT\n\n[[end]]\n\nMira waits.\n"
    error = refused(text)
    assert error.line == 3 and "goes on at line 5" in str(error)


def test_choices_and_end_together_are_refused() -> None:
    text = "INT. HALL - NIGHT\n\nMira waits.\n\n[[choice: Go -> STREET]]\n[[end]]\n\n" + (
        "EXT. STREET - NIGHT\n\nCars.\n"
    )
    error = refused(text)
    assert error.line == 6 and "not both" in str(error)


def test_a_mark_in_the_boneyard_is_ignored() -> None:
    text = "INT. HALL - NIGHT\n\nMira waits.\n\n/*\n[[choice: Go -> NOWHERE]]\n*/\n[[end]]\n"
    found = graph(text)
    assert found.scenes[0].ends


def test_read_branches_names_the_file_and_line(tmp_path: Path) -> None:
    story = tmp_path / "doors.fountain"
    story.write_text(TWO_DOORS.replace("-> LEFT ROOM", "-> BASEMENT"), encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        read_branches(story, read_story(story))
    assert caught.value.line == 5
    assert str(caught.value).startswith(f"{story}:5: no scene or section is named 'BASEMENT'")
