"""Editing a made film: by instruction (`storyreel edit`) and by style (`storyreel
style`). The diff is shown, the storyboard file written, and the make after it renders
only the shots the diff touched, recording the instruction as the version's message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from storyreel.config import MakeConfig
from storyreel.cut.soundtrack import score_style
from storyreel.direct.board_file import read_document
from storyreel.direct.look import load_look
from storyreel.edit import export_look, find_story, propose_instruction, propose_look, write_edit
from storyreel.make import make_film
from storyreel.project import Project
from storyreel.store import open_store

from .test_cli import storyreel

STORY = """Title: Tea

INT. KITCHEN - NIGHT

MEI (20s, red raincoat) waits by the window.

MEI
It is late.

TOM (30s, blue jacket) opens the door.

TOM
I am here.

EXT. GARDEN - DAY

Rain falls on the roses. MEI walks out with a cup of tea.
"""
# Small and short: the make is real (voices, previs takes, the cut), not the point.
CONFIG = MakeConfig(width=128, height=72, fps=8, workers=1)


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[Project, Path]:
    """A story never made: its storyboard is planned when an edit reads it."""
    story = tmp_path / "tea.fountain"
    story.write_text(STORY, encoding="utf-8")
    return Project.at(None, story), story


@pytest.fixture
def made(fresh: tuple[Project, Path], tmp_path: Path) -> tuple[Project, Path, Path]:
    project, story = fresh
    film = tmp_path / "tea.mp4"
    first = make_film(story, film, CONFIG, project=project)
    assert first.renders is not None and len(first.renders.rendered) == len(first.storyboard.shots)
    return project, story, film


def test_an_edit_of_one_shot_renders_that_shot_alone(made: tuple[Project, Path, Path]) -> None:
    project, story, film = made
    edit = propose_instruction(project, story, "shot 2: make it a close-up and have Mei smile")
    was = edit.document.board.shots[1]
    assert was.size.value != "close_up" and "MEI" in was.subjects
    assert edit.lines() == [
        f"shot 2: size {was.size.en} ({was.size.zh}) -> close-up (特写)",
        f"shot 2: actions.MEI {was.actions.get('MEI', '(none)')} -> smile",
    ]
    assert edit.diff.shots == {"2"}
    write_edit(edit)
    on_file = read_document(project.storyboard_path)
    assert on_file.board.shots[1].size.value == "close_up"
    assert on_file.planned is not None  # the planner's block kept: re-planning keeps the edit
    again = make_film(
        story, film, CONFIG.model_copy(update={"message": edit.message}), project=project
    )
    assert again.renders is not None
    assert again.renders.rendered == ["2"]
    assert len(again.renders.cached) == len(again.storyboard.shots) - 1
    with open_store(project) as store:
        latest = store.versions()[-1]
    assert latest.message == "shot 2: make it a close-up and have Mei smile"
    assert latest.storyboard["shots"][1]["actions"] == {"MEI": "smile"}


def test_a_style_moves_from_one_film_to_another(
    fresh: tuple[Project, Path], tmp_path: Path
) -> None:
    project, story = fresh
    warm = propose_instruction(project, story, "make the whole film warmer and slower")
    write_edit(warm)
    # The project folder names its story (the storyboard file records it).
    assert find_story(project.root) == (project, story)
    look = export_look(project, story)
    assert look.style.en == "warm colour palette, golden light"
    assert sum(look.sizes.values()) == pytest.approx(1.0, abs=0.01)
    other_story = tmp_path / "other" / "duel.fountain"
    other_story.parent.mkdir()
    other_story.write_text(STORY.replace("Tea", "Duel"), encoding="utf-8")
    other, found = find_story(other_story)
    # The score's mood travels too: the genre the make chose for the first film.
    assert look.music == score_style(read_document(project.storyboard_path).board).genre
    look = look.model_copy(update={"music": "romance"})
    applied = propose_look(other, found, look, "look.yaml")
    assert applied.message == "style: look.yaml"
    lines = applied.lines()
    assert "film: style.en (none) -> warm colour palette, golden light" in lines
    assert "film: music (none) -> romance" in lines
    assert any(line.endswith("s") and ": duration " in line for line in lines)  # the pacing
    write_edit(applied)
    styled = read_document(other.storyboard_path).board
    assert styled.style == look.style
    assert score_style(styled).genre == "romance"


def test_the_cli_shows_the_diff_and_refuses_what_it_cannot_read(
    fresh: tuple[Project, Path], tmp_path: Path
) -> None:
    project, story = fresh
    dry = storyreel("edit", str(story), "第二场改成雨夜", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    # The garden already has rain: only the time of day changes.
    assert dry.stdout.splitlines()[0] == "scene 2: setting.time day -> night"
    assert "weather" not in dry.stdout
    assert not project.storyboard_path.exists()  # a dry run writes nothing
    bad = storyreel("edit", str(story), "sing me a song", "--yes")
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "error: cannot read 'sing me a song' as a change to the storyboard"
    ]
    assert not project.storyboard_path.exists()
    look = tmp_path / "look.yaml"
    exported = storyreel("style", "export", str(story), "-o", str(look))
    assert exported.returncode == 0, exported.stderr
    assert load_look(look.read_text(encoding="utf-8")).seconds_per_shot
    data = yaml.safe_load(look.read_text(encoding="utf-8"))
    data["style"] = {"en": "anime style", "zh": "动漫风格"}
    look.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    applied = storyreel("style", "apply", str(look), str(story), "--yes", "--no-make")
    assert applied.returncode == 0, applied.stderr
    assert "film: style.en (none) -> anime style" in applied.stdout
    assert read_document(project.storyboard_path).board.style.zh == "动漫风格"
