"""The storyboard file: YAML that round-trips and names the line of a bad edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyreel.direct import plan
from storyreel.direct.board_file import (
    BoardDocument,
    StoryboardError,
    dump,
    dump_document,
    load,
    load_document,
    read_document,
    write_document,
)
from storyreel.errors import StoryError
from storyreel.model import Angle, CameraMove, ShotSize, Storyboard
from storyreel.script import read_story

from .scripts import market_script

ROOT = Path(__file__).resolve().parents[2]


def board() -> Storyboard:
    return plan(market_script())


def test_load_of_dump_is_the_board() -> None:
    b = board()
    assert load(dump(b)) == b


def test_the_kite_mender_round_trips_with_its_planned_block(tmp_path: Path) -> None:
    b = plan(read_story(ROOT / "examples" / "the_kite_mender.fountain"))
    path = tmp_path / "storyboard.yaml"
    write_document(path, BoardDocument(b, b, "0" * 64, "kite.fountain"))
    document = read_document(path)
    assert document.board == b and document.planned == b
    assert document.story_sha256 == "0" * 64 and document.story_name == "kite.fountain"
    text = path.read_text(encoding="utf-8")
    assert "风不吃风筝" in text  # Chinese is written as Chinese, not escaped
    assert text.startswith("# The storyboard: yours to edit.")


def test_every_shot_of_a_written_board_matches_the_schema() -> None:
    text = dump_document(BoardDocument(board(), board()))
    for shot in load(text).shots:
        assert shot.prompt.en and shot.prompt.zh
        assert isinstance(shot.size, ShotSize) and isinstance(shot.move, CameraMove)
        assert isinstance(shot.angle, Angle)


def test_edits_in_chinese_and_english_names_are_read() -> None:
    text = dump(board())
    text = text.replace("size: extreme_wide", "size: 大远景", 1)
    text = text.replace("move: pan", "move: 环绕", 1)
    text = text.replace("angle: eye_level", "angle: Dutch angle", 1)
    first = load(text).shots[0]
    assert (first.size, first.move, first.angle) == (
        ShotSize.extreme_wide,
        CameraMove.orbit,
        Angle.dutch,
    )


def line_number(text: str, needle: str, nth: int = 1) -> int:
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            count += 1
            if count == nth:
                return number
    raise AssertionError(f"{needle!r} not found")


def test_a_bad_size_names_its_line_and_the_allowed_values() -> None:
    text = dump(board())
    bad = text.replace("size: medium_close_up", "size: closeish", 1)
    with pytest.raises(StoryboardError) as caught:
        load(bad, "storyboard.yaml")
    error = caught.value
    assert isinstance(error, StoryError)
    assert error.line == line_number(bad, "size: closeish")
    message = str(error)
    assert message.startswith(f"storyboard.yaml:{error.line}: shots[")
    assert "'closeish'" in message and "close_up (特写)" in message and "medium (中景)" in message


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("duration: 3.5", "duration: -2"), "greater than 0"),
        (("move: pan", "move: zoomzoom"), "push_in (推)"),
        (("transition: cut", "transition: iris"), "wipe (划像)"),
        (("angle: eye_level", "angle: sideways"), "dutch (斜角)"),
        (("  scene: 1\n", "  scene: 1\n  sceen: 2\n"), "unknown field 'sceen'"),
    ],
)
def test_other_bad_edits_name_their_line(edit: tuple[str, str], expected: str) -> None:
    text = dump(board())
    bad = text.replace(edit[0], edit[1], 1)
    assert bad != text
    with pytest.raises(StoryboardError) as caught:
        load(bad, "sb.yaml")
    assert expected in str(caught.value)
    needle = edit[1].strip().splitlines()[-1]
    assert caught.value.line == line_number(bad, needle)


def test_a_missing_field_points_at_the_shot_that_lacks_it() -> None:
    text = dump(board())
    bad = text.replace("  size: extreme_wide\n", "", 1)
    with pytest.raises(StoryboardError, match="'size' is missing") as caught:
        load(bad)
    assert caught.value.line == line_number(bad, "- id: '1'")


def test_broken_yaml_and_duplicate_ids_name_their_line() -> None:
    text = dump(board())
    with pytest.raises(StoryboardError, match="not valid YAML") as caught:
        load(text.replace("  scene: 1\n", "  scene: [1\n", 1))
    assert caught.value.line is not None
    duplicate = text.replace("- id: '2'", "- id: '1'", 1)
    with pytest.raises(StoryboardError, match="used twice") as caught:
        load(duplicate)
    assert caught.value.line == line_number(duplicate, "- id: '1'", nth=2)


def test_a_file_that_is_not_a_storyboard(tmp_path: Path) -> None:
    with pytest.raises(StoryboardError, match="mapping"):
        load("- just\n- a list\n")
    path = tmp_path / "sb.yaml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(StoryboardError, match="UTF-8"):
        read_document(path)


def test_a_document_reads_back_its_planned_block() -> None:
    b = board()
    edited = b.model_copy(update={"shots": b.shots[1:]})
    document = load_document(dump_document(BoardDocument(edited, b, "ab" * 32, "s.fountain")))
    assert document.board == edited and document.planned == b
