"""Characters found in a script join the project's cast, and never overwrite it."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyreel.cast import Cast
from storyreel.make import storyboard_for
from storyreel.media.encode import VideoSettings
from storyreel.model import Script
from storyreel.project import Project
from storyreel.script import read_story

REPO = Path(__file__).resolve().parents[2]
STORIES = sorted((REPO.parent / "shared" / "stories").glob("*.fountain"))


@pytest.mark.parametrize("story", STORIES, ids=[s.name for s in STORIES])
def test_shared_story_characters_join_the_cast(story: Path, tmp_path: Path) -> None:
    script = read_story(story)
    assert script.characters, f"{story.name} names no characters"
    cast = Cast(tmp_path / "cast")
    added = cast.add_script_characters(script)
    assert added == list(script.characters)
    for name, character in script.characters.items():
        entry = cast.get(name)
        assert entry.subject.origin == "script"
        assert entry.subject.description == character.description
    assert cast.add_script_characters(script) == []  # a second make adds nobody


def test_shared_stories_are_there() -> None:
    assert len(STORIES) >= 3
    assert any("灯笼" in s.name for s in STORIES)


def test_what_the_user_set_is_kept(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(
        "INT. KITCHEN - DAY\n\nMEI (20s, red raincoat, short black hair) waits.\n\n"
        "LEO (10, yellow hoodie) runs in.\n\nMEI\nYou're late.\n\nLEO\nSorry!\n",
        encoding="utf-8",
    )
    project = Project.at(tmp_path / "film")
    cast = Cast(project.cast_dir)
    cast.add("Mei", description="30s, green coat")  # set by hand before the first board
    cast.add("LEO")  # added without a description
    board = storyboard_for(story, VideoSettings(320, 180, 24), project)
    assert cast.get("MEI").subject.description == "30s, green coat"
    assert cast.get("LEO").subject.description == "10, yellow hoodie"  # filled, it was empty
    assert board.characters["MEI"].description == "30s, green coat"  # the cast wins


def test_a_scripted_description_follows_the_story_until_the_user_writes_their_own(
    tmp_path: Path,
) -> None:
    def script(description: str) -> Script:
        story = tmp_path / "s.fountain"
        story.write_text(f"INT. KITCHEN - DAY\n\nMEI ({description}) waits.\n", encoding="utf-8")
        return read_story(story)

    cast = Cast(tmp_path / "cast")
    cast.add_script_characters(script("20s, red raincoat"))
    cast.add_script_characters(script("30s, blue coat"))
    assert cast.get("MEI").subject.description == "30s, blue coat"  # followed the story
    subject_yaml = cast.get("MEI").folder / "subject.yaml"
    text = subject_yaml.read_text(encoding="utf-8")
    subject_yaml.write_text(text.replace("30s, blue coat", "60s, grey wool coat"), "utf-8")
    cast.add_script_characters(script("40s, green coat"))
    assert cast.get("MEI").subject.description == "60s, grey wool coat"  # the user's stays


def test_the_unnamed_people_of_a_story_join_the_cast_once(tmp_path: Path) -> None:
    story = tmp_path / "duel.txt"
    story.write_text("白发剑士与黑甲武士在月下竹林对决。", encoding="utf-8")
    script = read_story(story)
    assert not script.characters  # nobody has a name
    cast = Cast(tmp_path / "cast")
    assert cast.add_script_characters(script) == ["白发剑士", "黑甲武士"]
    assert cast.get("白发剑士").subject.origin == "script"
    assert cast.add_script_characters(script) == []
    # What the user wrote for one of them reaches every shot they are in.
    project = Project.at(tmp_path / "project")
    Cast(project.cast_dir).add("黑甲武士", description="tall, black lacquered armour")
    board = storyboard_for(story, VideoSettings(320, 180, 24), project)
    assert Cast(project.cast_dir).get("白发剑士").subject.origin == "script"
    shots = [s for s in board.shots if "黑甲武士" in s.subjects]
    assert shots and all("tall, black lacquered armour" in s.prompt.en for s in shots)
