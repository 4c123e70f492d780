"""One project per story: STEM.storyreel beside it, found the same way by every command,
an older project moved into it on first use, another story's project refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyreel.cli_versions import app as versions_app
from storyreel.direct.board_file import read_document
from storyreel.project import OWNER_FILE, Project, ProjectError
from storyreel.run.lock import project_lock
from storyreel.store import open_store
from storyreel.store.db import URL_ENV
from storyreel.store.versions import VersionError

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.mkdtemp(prefix="storyreel-projects-cache-"))

KITCHEN = """Title: Kitchen

INT. KITCHEN - NIGHT

MEI (20s, red raincoat) waits by the window.

MEI
It is late.
"""
GARDEN = """Title: Garden

EXT. GARDEN - DAY

LEO (10, yellow hoodie) digs a hole.

LEO
Found it!
"""


def storyreel(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != URL_ENV}
    return subprocess.run(
        [sys.executable, "-m", "storyreel.launch", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**env, "XDG_CACHE_HOME": str(CACHE), "COLUMNS": "200"},
    )


def ok(*args: str, cwd: Path = ROOT) -> str:
    result = storyreel(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def make(story: Path, *extra: str) -> str:
    film = story.with_suffix(".mp4")
    return ok("make", str(story), "-o", str(film), "--size", "160x90", "--workers", "1", *extra)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip()
    assert message.startswith("error:") and len(message.splitlines()) == 1, message
    assert "Traceback" not in result.stderr
    return message


@pytest.fixture(autouse=True)
def _own_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)


def test_two_stories_in_one_folder_keep_their_own_projects(tmp_path: Path) -> None:
    films = tmp_path / "films"
    films.mkdir()
    kitchen, garden = films / "kitchen.fountain", films / "garden.txt"
    kitchen.write_text(KITCHEN, encoding="utf-8")
    garden.write_text(GARDEN, encoding="utf-8")

    ok("board", str(kitchen))
    board_file = films / "kitchen.storyreel" / "storyboard.yaml"
    edited = board_file.read_text(encoding="utf-8").replace("# The storyboard", "# mine", 1)
    board_file.write_text(edited, encoding="utf-8")
    make(kitchen)
    make(garden)
    ok("board", str(garden))  # once overwrote kitchen's hand-edited storyboard

    assert board_file.read_text(encoding="utf-8").startswith("# mine")
    assert read_document(board_file).board.title == "Kitchen"
    garden_board = films / "garden.storyreel" / "storyboard.yaml"
    assert read_document(garden_board).board.title == "Garden"
    assert sorted(p.name for p in films.iterdir()) == sorted(
        [
            *("kitchen.fountain", "kitchen.mp4", "kitchen.srt", "kitchen.vtt", "kitchen.ass"),
            *("garden.txt", "garden.mp4", "garden.srt", "garden.vtt", "garden.ass"),
            *("kitchen.storyreel", "garden.storyreel"),
        ]
    )
    # Versions and takes: one make each, each of its own story's shots.
    kitchen_log, garden_log = ok("log", str(kitchen)), ok("log", str(garden))
    assert "kitchen.mp4" in kitchen_log and "garden.mp4" not in kitchen_log
    assert "garden.mp4" in garden_log and "kitchen.mp4" not in garden_log
    for story, project in ((kitchen, "kitchen.storyreel"), (garden, "garden.storyreel")):
        with open_store(Project(films / project)) as store:
            (version,) = store.versions()
            takes = store.takes()
        assert {t.key for t in takes} == set(version.takes.values())
        assert all((films / project / ".storyreel" / t.path).is_file() for t in takes)
        assert (films / project / ".storyreel" / OWNER_FILE).read_text().strip() == story.name
    kitchen_cast = sorted(p.name for p in (films / "kitchen.storyreel" / "cast").iterdir())
    garden_cast = sorted(p.name for p in (films / "garden.storyreel" / "cast").iterdir())
    assert kitchen_cast == ["mei"] and garden_cast == ["leo"]


def test_every_command_finds_the_story_project_from_any_folder(tmp_path: Path) -> None:
    films, elsewhere = tmp_path / "films", tmp_path / "elsewhere"
    films.mkdir()
    elsewhere.mkdir()
    story = films / "kitchen.fountain"
    story.write_text(KITCHEN, encoding="utf-8")
    make(story)
    story.write_text(KITCHEN.replace("It is late.", "It is very late."), encoding="utf-8")
    make(story)

    logged = ok("log", str(story), cwd=elsewhere)
    assert re.search(r"\b2\b.*kitchen\.mp4", logged) and re.search(r"\b1\b.*kitchen\.mp4", logged)
    assert "It is" in ok("diff", str(story), "1", "2", cwd=elsewhere)
    listed = ok("take", "list", str(story), "3", cwd=elsewhere)
    key = re.search(r"\b[0-9a-f]{12}\b", listed)
    assert key is not None, listed
    ok("take", "pin", str(story), "3", key.group(), cwd=elsewhere)
    ok("take", "unpin", str(story), "3", cwd=elsewhere)
    checked = ok("checkout", str(story), "1", cwd=elsewhere)
    assert "version 1" in checked
    assert "would free" in ok("prune", str(story), "--dry-run", cwd=elsewhere)
    assert list(elsewhere.iterdir()) == []  # no stray store, no stray project

    # Without a story, the one project in the current folder (as before, from inside it).
    assert "kitchen.mp4" in ok("log", cwd=films)
    assert "kitchen.mp4" in ok("log", cwd=films / "kitchen.storyreel")
    assert "1 → 2" in ok("diff", "1", "2", cwd=films)
    # ... and none in a folder without one: one line, nothing created.
    message = one_line_error(storyreel("log", cwd=elsewhere))
    assert "no project in" in message and "storyreel log STORY" in message
    assert list(elsewhere.iterdir()) == []
    # A story never made: no versions, and no project made for it by looking.
    other = films / "garden.txt"
    other.write_text(GARDEN, encoding="utf-8")
    assert "no versions yet" in ok("log", str(other))
    assert not (films / "garden.storyreel").exists()


def test_an_old_project_moves_into_the_story_project_keeping_versions_and_takes(
    tmp_path: Path,
) -> None:
    films = tmp_path / "films"
    films.mkdir()
    story = films / "kitchen.fountain"
    story.write_text(KITCHEN, encoding="utf-8")
    # The older layout: the story's folder was the project (what --project FOLDER still
    # makes), and nothing recorded the story it belonged to.
    ok("board", str(story), "--project", str(films))
    first = make(story, "--project", str(films))
    (films / ".storyreel" / OWNER_FILE).unlink()
    with open_store(Project(films)) as store:
        takes_before = {t.key: t.path for t in store.takes()}
        (version,) = store.versions()
    assert takes_before and "rendered" in first

    logged = ok("log", str(story))  # the first command that names the story moves it
    assert "kitchen.mp4" in logged
    project = films / "kitchen.storyreel"
    assert sorted(p.name for p in project.iterdir()) == [".storyreel", "cast", "storyboard.yaml"]
    assert not any((films / name).exists() for name in (".storyreel", "cast", "storyboard.yaml"))
    with open_store(Project(project)) as store:
        assert {t.key: t.path for t in store.takes()} == takes_before
        assert [v.takes for v in store.versions()] == [version.takes]
    assert all((project / ".storyreel" / path).is_file() for path in takes_before.values())

    again = make(story)  # a real make in the new layout: every take is reused
    assert re.search(r"0 rendered, \d+ cached", again), again
    assert (project / ".storyreel" / OWNER_FILE).read_text().strip() == "kitchen.fountain"


def test_a_project_another_story_owns_is_refused_in_one_line(tmp_path: Path) -> None:
    kitchen, garden = tmp_path / "kitchen.fountain", tmp_path / "garden.txt"
    kitchen.write_text(KITCHEN, encoding="utf-8")
    garden.write_text(GARDEN, encoding="utf-8")
    make(kitchen)
    project = tmp_path / "kitchen.storyreel"
    before = project.joinpath("storyboard.yaml").exists()
    for command in (
        ["board", str(garden), "--project", str(project)],
        ["make", str(garden), "-o", str(tmp_path / "g.mp4"), "--project", str(project)],
        ["log", str(garden), "--project", str(project)],
    ):
        message = one_line_error(storyreel(*command))
        assert f"{project} is the project of kitchen.fountain, not of garden.txt" in message
        assert "--project DIR" in message
    assert project.joinpath("storyboard.yaml").exists() == before
    assert not (tmp_path / "g.mp4").exists()

    # A boarded project not yet made is owned through its storyboard's `story:` entry.
    ok("board", str(garden))
    message = one_line_error(
        storyreel("board", str(kitchen), "--project", str(tmp_path / "garden.storyreel"))
    )
    assert "is the project of garden.txt, not of kitchen.fountain" in message


def test_an_old_project_of_several_stories_is_not_guessed(tmp_path: Path) -> None:
    for name, text in (("kitchen.fountain", KITCHEN), ("garden.txt", GARDEN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with open_store(Project(tmp_path)) as store:
        assert store.versions() == []
    with pytest.raises(ProjectError, match="holds a project of several stories") as refused:
        Project.at(None, tmp_path / "kitchen.fountain")
    assert f"--project {tmp_path}" in str(refused.value)
    kept = Project.at(tmp_path, tmp_path / "kitchen.fountain")  # as the line says
    assert kept.root == tmp_path and kept.owner == "kitchen.fountain"


def test_a_move_cut_short_is_finished_by_the_next_command(tmp_path: Path) -> None:
    story = tmp_path / "kitchen.fountain"
    story.write_text(KITCHEN, encoding="utf-8")
    (tmp_path / "cast" / "mei").mkdir(parents=True)
    (tmp_path / "storyboard.yaml").write_text("shots: []\n", encoding="utf-8")
    # The state folder had moved into the staging folder when the command was killed.
    staging = tmp_path / ".kitchen.storyreel.moving"
    (staging / ".storyreel").mkdir(parents=True)
    (staging / ".storyreel" / "project-id").write_text("abc\n", encoding="ascii")

    project = Project.at(None, story)
    assert project.root == tmp_path / "kitchen.storyreel"
    assert not staging.exists()
    assert (project.root / ".storyreel" / "project-id").read_text() == "abc\n"
    assert (project.cast_dir / "mei").is_dir() and project.storyboard_path.is_file()


def test_an_old_project_in_use_by_a_make_is_not_moved(tmp_path: Path) -> None:
    story = tmp_path / "kitchen.fountain"
    story.write_text(KITCHEN, encoding="utf-8")
    old = Project(tmp_path)
    # A make of the old project is running.
    with project_lock(old), pytest.raises(ProjectError, match="in use by a make"):
        Project.at(None, story)
    assert (tmp_path / ".storyreel").is_dir() and not (tmp_path / "kitchen.storyreel").exists()
    assert Project.at(None, story).root == tmp_path / "kitchen.storyreel"  # once it is done


def test_the_story_words_are_counted_and_checked(tmp_path: Path) -> None:
    runner = CliRunner()
    story = tmp_path / "kitchen.fountain"
    wrong = runner.invoke(versions_app, ["diff", str(story), "1", "2", "3"])
    assert wrong.exit_code == 2 and "expected [STORY] V1 V2" in wrong.output
    not_a_number = runner.invoke(versions_app, ["checkout", "latest"])
    assert not_a_number.exit_code == 2 and "V is a version number" in not_a_number.output
    missing = runner.invoke(versions_app, ["log", str(tmp_path / "kitchn.fountain")])
    assert isinstance(missing.exception, VersionError)
    assert "no such story file" in str(missing.exception)
    assert list(tmp_path.iterdir()) == []
