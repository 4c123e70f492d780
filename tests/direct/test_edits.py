"""The user's edits win over re-planning: the three-way merge and the file it lives in."""

from __future__ import annotations

from pathlib import Path

from storyreel.direct import PlanSettings, plan, plan_board
from storyreel.direct.board_file import (
    BoardDocument,
    dump_document,
    read_document,
    sync,
    write_document,
)
from storyreel.direct.edits import keep_ids, merge
from storyreel.model import CameraMove, Prompt, Shot, ShotSize, Storyboard
from storyreel.script import read_story

STORY = """Title: Edits

EXT. ROOFTOP - NIGHT

MEI waits by the water tank.

MEI
Are you coming?

TOM
Two minutes.

MEI looks at the city.

INT. STAIRWELL - NIGHT

TOM climbs the stairs two at a time.
"""


def plan_text(tmp_path: Path, text: str) -> tuple[Path, Storyboard]:
    story = tmp_path / "s.fountain"
    story.write_text(text, encoding="utf-8")
    return story, plan(read_story(story))


def edit(board: Storyboard, shot_id: str, **changes: object) -> Storyboard:
    shots = [s.model_copy(update=changes) if s.id == shot_id else s for s in board.shots]
    return board.model_copy(update={"shots": shots})


def shot(board: Storyboard, text: str) -> Shot:
    return next(s for s in board.shots if text in s.action)


def test_unchanged_story_and_unchanged_file_give_the_plan(tmp_path: Path) -> None:
    _, planned = plan_text(tmp_path, STORY)
    merged = merge(planned, planned, planned)
    assert merged.board == planned and merged.planned == planned


def test_edited_fields_survive_a_replan_and_the_rest_follows_the_story(tmp_path: Path) -> None:
    _, planned = plan_text(tmp_path, STORY)
    looks = shot(planned, "looks at the city")
    user = edit(planned, looks.id, size=ShotSize.extreme_close_up, duration=6.5)
    # The story changes: TOM's answer is rewritten.
    _, fresh = plan_text(tmp_path, STORY.replace("Two minutes.", "Two minutes. Maybe three."))
    merged = merge(user, planned, fresh).board
    kept = next(s for s in merged.shots if s.id == looks.id)
    assert kept.size == ShotSize.extreme_close_up and kept.duration == 6.5  # the user's
    answer = next(s for s in merged.shots if s.lines and s.lines[0].character == "TOM")
    assert answer.lines[0].text == "Two minutes. Maybe three."  # the story's
    # The prompt was not written by the user, so it follows the edited framing.
    assert ShotSize.extreme_close_up.en in kept.prompt.en.lower()


def test_a_prompt_the_user_wrote_is_kept(tmp_path: Path) -> None:
    _, planned = plan_text(tmp_path, STORY)
    target = shot(planned, "water tank")
    user = edit(planned, target.id, prompt=Prompt(en="my words", zh="我的话"), size=ShotSize.wide)
    _, fresh = plan_text(tmp_path, STORY + "\nTOM arrives.\n")
    kept = next(s for s in merge(user, planned, fresh).board.shots if s.id == target.id)
    assert kept.prompt == Prompt(en="my words", zh="我的话") and kept.size == ShotSize.wide


def test_a_deleted_shot_stays_deleted_and_an_added_one_stays(tmp_path: Path) -> None:
    _, planned = plan_text(tmp_path, STORY)
    gone = shot(planned, "looks at the city")
    mine = planned.shots[1].model_copy(
        update={"id": "insert-1", "action": "INSERT: the tank's dial.", "size": ShotSize.close_up}
    )
    kept = [s for s in planned.shots if s.id != gone.id]
    user = planned.model_copy(update={"shots": [*kept[:2], mine, *kept[2:]]})
    _, fresh = plan_text(tmp_path, STORY.replace("Are you coming?", "Are you coming or not?"))
    result = merge(user, planned, fresh)
    actions = [s.action for s in result.board.shots]
    assert not any("looks at the city" in a for a in actions)
    assert actions.index("INSERT: the tank's dial.") == 2  # where the user put it
    # Next time round the deleted shot is still in the planner's version: still deleted.
    again = merge(result.board, result.planned, fresh).board
    assert again == result.board


def test_a_new_beat_comes_in_after_the_shot_before_it(tmp_path: Path) -> None:
    _, planned = plan_text(tmp_path, STORY)
    user = edit(planned, shot(planned, "water tank").id, move=CameraMove.orbit)
    added = STORY.replace("MEI looks at the city.", "MEI looks at the city.\n\nA siren wails.")
    _, fresh = plan_text(tmp_path, added)
    merged = merge(user, planned, fresh).board
    actions = [s.action for s in merged.shots]
    assert actions.index("A siren wails.") == actions.index("MEI looks at the city.") + 1
    assert len({s.id for s in merged.shots}) == len(merged.shots)  # fresh ids, no clash
    assert shot(merged, "water tank").move == CameraMove.orbit


def test_sync_reads_the_file_and_replans_only_when_the_story_changed(tmp_path: Path) -> None:
    story, planned = plan_text(tmp_path, STORY)
    path = tmp_path / "storyboard.yaml"
    calls: list[int] = []

    def replan() -> Storyboard:
        calls.append(1)
        return plan(read_story(story))

    first = sync(path, story, replan)
    write_document(path, first)
    assert len(calls) == 1 and first.board == planned
    # The user edits the file by hand.
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("size: full", "size: 特写", 1), encoding="utf-8")
    second = sync(path, story, replan)
    assert len(calls) == 1  # same story: nothing re-planned
    assert ShotSize.close_up in [s.size for s in second.board.shots]
    write_document(path, second)
    # The story changes: re-planned, the edit still there.
    story.write_text(STORY.replace("Two minutes.", "Soon."), encoding="utf-8")
    third = sync(path, story, replan)
    assert len(calls) == 2
    assert [s.size for s in third.board.shots] == [s.size for s in second.board.shots]
    assert any(ln.text == "Soon." for s in third.board.shots for ln in s.lines)


def test_storyboard_films_the_users_file(tmp_path: Path) -> None:
    story, planned = plan_text(tmp_path, STORY)
    path = tmp_path / "storyboard.yaml"
    user = planned.model_copy(update={"shots": planned.shots[:2]})
    from storyreel.direct.board_file import story_sha256

    path.write_text(
        dump_document(BoardDocument(user, planned, story_sha256(story), story.name)), "utf-8"
    )
    frame = PlanSettings(width=320, height=180, fps=12)
    board = plan_board(story, read_story(story), path, settings=frame).board
    assert [s.id for s in board.shots] == [s.id for s in planned.shots[:2]]
    assert (board.width, board.height, board.fps) == (320, 180, 12)
    assert read_document(path).board == user  # reading never rewrites the file


def test_a_replan_from_the_story_alone_keeps_every_untouched_shots_id(tmp_path: Path) -> None:
    _, before = plan_text(tmp_path, STORY)
    added = STORY.replace("MEI looks at the city.", "A siren wails.\n\nMEI looks at the city.")
    _, fresh = plan_text(tmp_path, added)
    # The planner numbers shots by position, so every shot after the new one moved up.
    assert shot(fresh, "looks at the city").id != shot(before, "looks at the city").id

    kept = keep_ids(fresh, before)

    assert [s.action for s in kept.shots] == [s.action for s in fresh.shots]  # the story's order
    for old in before.shots:
        assert shot(kept, old.action).id == old.id
    assert shot(kept, "siren").id == str(len(before.shots) + 1)  # an id never used before
    assert kept.model_copy(update={"shots": []}) == fresh.model_copy(update={"shots": []})


def test_sync_without_a_file_keeps_the_last_filmed_ids(tmp_path: Path) -> None:
    story, before = plan_text(tmp_path, STORY)
    story.write_text(STORY.replace("INT. STAIRWELL", "MEI\nHurry.\n\nINT. STAIRWELL"))
    fresh = plan(read_story(story))
    missing = tmp_path / "storyboard.yaml"
    synced = sync(missing, story, lambda: fresh, previous=before).board
    assert shot(synced, "climbs the stairs").id == shot(before, "climbs the stairs").id
    assert sync(missing, story, lambda: fresh).board == fresh  # nothing to keep: as planned
    assert not missing.exists()


def test_a_file_without_a_planned_block_is_filmed_as_it_is_and_says_so(tmp_path: Path) -> None:
    story, planned = plan_text(tmp_path, STORY)
    path = tmp_path / "storyboard.yaml"
    write_document(path, BoardDocument(planned))  # as a checkout of a version writes it
    story.write_text(STORY.replace("Two minutes.", "Five minutes."), encoding="utf-8")
    warnings: list[str] = []
    synced = sync(path, story, lambda: plan(read_story(story)), warnings).board
    assert synced == planned  # the story changed, the file did not: nothing re-planned
    [warning] = warnings
    assert "no `planned:` block" in warning and "delete it to plan from the story" in warning
