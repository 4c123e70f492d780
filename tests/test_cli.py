"""The `storyreel` command as a user runs it: a real subprocess, real exit codes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import pytest
from PIL import Image

from storyreel.direct.board_file import BoardDocument, read_document, write_document
from storyreel.make import storyboard_for
from storyreel.media.encode import VideoSettings
from storyreel.model import Storyboard
from storyreel.run.cache import STAGING_DIR

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "the_kite_mender.fountain"

SMALL = """Title: Two Lines

INT. KITCHEN - NIGHT

MEI (20s, red raincoat) waits by the window.

MEI
It is late.

TOM [lang=zh]
我马上就到。
"""


# The launcher's up-to-date stamps go to a folder of the test run's, not the user's.
CACHE = Path(tempfile.mkdtemp(prefix="storyreel-cli-cache-"))


def storyreel(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The command exactly as installed: the `storyreel` script runs storyreel.launch."""
    return subprocess.run(
        [sys.executable, "-m", "storyreel.launch", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "XDG_CACHE_HOME": str(CACHE)},
    )


@pytest.mark.parametrize("command", [[], ["make"], ["board"], ["engines"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = storyreel(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_engines_lists_previs() -> None:
    result = storyreel("engines")
    assert result.returncode == 0
    assert "previs" in result.stdout


def test_board_prints_the_shot_list(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    result = storyreel("board", str(story))
    assert result.returncode == 0, result.stderr
    assert "Two Lines" in result.stdout
    assert "It is late." in result.stdout
    assert "MCU" in result.stdout or "MS" in result.stdout


def test_board_json_prints_the_planned_storyboard(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    result = storyreel("board", str(story), "--json")
    assert result.returncode == 0, result.stderr
    board = Storyboard.model_validate_json(result.stdout)  # nothing else on stdout
    assert board.title == "Two Lines" and board.shots
    assert board.scenes[0].setting.kind == "kitchen"
    assert any(t.kind == "window" for s in board.shots for t in s.things)
    assert board == read_document(tmp_path / "s.storyreel" / "storyboard.yaml").board


BAD_INPUTS: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "empty"),
    "binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
    "unknown encoding": ("Café crème, déjà vu — naïve façade.\n".encode("cp1252") * 5, "UTF-8"),
    "no scenes": (b"Title: Nothing Here\nAuthor: Nobody\n", "scene"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_stories_get_one_clear_line_and_exit_2(case: str, tmp_path: Path) -> None:
    content, expected = BAD_INPUTS[case]
    story = tmp_path / "story.fountain"
    story.write_bytes(content)
    film = tmp_path / "film.mp4"
    result = storyreel("make", str(story), "-o", str(film))
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip()
    assert message.startswith("error:") and len(message.splitlines()) == 1, message
    assert expected.lower() in message.lower()
    assert "story.fountain" in message
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.fountain"]


def test_output_in_a_missing_folder_fails_before_any_work(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    result = storyreel("make", str(story), "-o", str(tmp_path / "nope" / "film.mp4"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "nope").exists()


def test_missing_story_file(tmp_path: Path) -> None:
    result = storyreel("make", str(tmp_path / "gone.fountain"), "-o", str(tmp_path / "f.mp4"))
    assert result.returncode == 2
    assert "gone.fountain" in result.stderr
    assert not (tmp_path / "f.mp4").exists()


def test_make_writes_a_film_and_subtitles(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    film = tmp_path / "film.mp4"
    result = storyreel("make", str(story), "-o", str(film), "--size", "320x180")
    assert result.returncode == 0, result.stderr
    assert "render" in result.stderr  # progress was shown
    board = storyboard_for(story, VideoSettings(320, 180, 24))
    with av.open(str(film)) as container:
        video = container.streams.video[0]
        frames = sum(1 for _ in container.decode(video))
        assert container.streams.audio
    assert frames >= len(board.shots) * 24 * 2  # every shot at least the planner's minimum
    srt = (tmp_path / "film.srt").read_text(encoding="utf-8")
    assert "It is late." in srt and "我马上就到。" in srt
    # The story's project is s.storyreel/ beside it: its characters joined the project's
    # cast, and its working state (take cache, store) lives in .storyreel/ there.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "film.ass",
        "film.mp4",
        "film.srt",
        "film.vtt",
        "s.fountain",
        "s.storyreel",
    ]
    assert sorted(p.name for p in (tmp_path / "s.storyreel").iterdir()) == [".storyreel", "cast"]


def test_ctrl_c_leaves_no_film_and_only_complete_takes(tmp_path: Path) -> None:
    film = tmp_path / "out" / "film.mp4"
    film.parent.mkdir()
    project = tmp_path / "project"
    command = [
        *(sys.executable, "-m", "storyreel.cli", "make", str(EXAMPLE), "-o", str(film)),
        *("--project", str(project)),  # examples/ stays untouched
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,  # a terminal's Ctrl-C reaches the whole group, workers too
    )
    # Interrupt once the first shots are being written.
    staging = project / ".storyreel" / "takes" / STAGING_DIR
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(staging.glob("*")):
        time.sleep(0.05)
    time.sleep(0.5)
    assert process.poll() is None, "the make finished before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert list(film.parent.iterdir()) == []
    assert list(staging.iterdir()) == []  # no half-rendered take left behind
    # The same make again finishes, reusing whatever takes were complete.
    again = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 0, again.stderr
    assert film.is_file()


# --- the storyboard file and the contact sheet ------------------------------------------


def test_board_writes_an_editable_storyboard_in_the_project(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    result = storyreel("board", str(story))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "s.storyreel" / "storyboard.yaml"
    assert f"storyboard: {path}" in "".join(result.stdout.splitlines())
    text = path.read_text(encoding="utf-8")
    assert "shots:" in text and "planned:" in text and "我马上就到。" in text
    # Boarding casts the script's characters too, with their first-mention description.
    listed = storyreel("cast", "list", "--project", str(tmp_path / "s.storyreel"))
    assert listed.returncode == 0, listed.stderr
    assert "MEI" in listed.stdout and "red raincoat" in listed.stdout


def test_board_after_makes_keeps_the_shot_ids_they_filmed(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    made = storyreel("make", str(story), "-o", str(tmp_path / "f.mp4"), "--size", "320x180")
    assert made.returncode == 0, made.stderr
    filmed = {s.action: s.id for s in storyboard_for(story, VideoSettings(320, 180, 24)).shots}
    # A new first beat: planned afresh, every later shot would be numbered one up.
    story.write_text(SMALL.replace("MEI (20s", "Rain hits the glass.\n\nMEI (20s"))

    assert storyreel("board", str(story)).returncode == 0

    board = read_document(tmp_path / "s.storyreel" / "storyboard.yaml").board
    [new] = [s for s in board.shots if s.action == "Rain hits the glass."]
    assert board.shots.index(new) == 1  # after the establishing shot, before the rest
    assert new.id not in filmed.values()
    assert {s.action: s.id for s in board.shots if s is not new} == filmed


def test_make_films_the_edited_storyboard(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    board_file = tmp_path / "mine.yaml"
    assert storyreel("board", str(story), "-o", str(board_file)).returncode == 0
    document = read_document(board_file)
    kept = document.board.shots[:2]
    edited = [kept[0].model_copy(update={"duration": 3.0}), kept[1]]
    write_document(
        board_file,
        BoardDocument(
            document.board.model_copy(update={"shots": edited}),
            document.planned,
            document.story_sha256,
            document.story_name,
        ),
    )
    film = tmp_path / "film.mp4"
    result = storyreel(
        "make", str(story), "-o", str(film), "--size", "160x90", "--storyboard", str(board_file)
    )
    assert result.returncode == 0, result.stderr
    assert "— 2 shots" in " ".join(result.stdout.split())  # the deletions held


def test_a_bad_edit_is_one_line_naming_the_yaml_line(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    assert storyreel("board", str(story)).returncode == 0
    path = tmp_path / "s.storyreel" / "storyboard.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("  move: "))
    lines[number - 1] = "  move: wobble"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in (["board", str(story)], ["make", str(story), "-o", str(tmp_path / "f.mp4")]):
        result = storyreel(*command)
        assert result.returncode == 2, result.stderr
        message = result.stderr.strip()
        assert len(message.splitlines()) == 1 and "Traceback" not in result.stderr
        assert f"storyboard.yaml:{number}:" in message
        assert "'wobble'" in message and "handheld (手持)" in message
    assert not (tmp_path / "f.mp4").exists()


def test_board_draws_a_contact_sheet(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    sheet = tmp_path / "board.png"
    result = storyreel("board", str(story), "--sheet", str(sheet))
    assert result.returncode == 0, result.stderr
    with Image.open(sheet) as image:
        assert image.width >= 800 and image.height >= 300
    bad = storyreel("board", str(story), "--sheet", str(tmp_path / "board.gif"))
    assert bad.returncode == 2 and ".png or a .pdf" in bad.stderr


def test_the_llm_planner_needs_its_endpoint(tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    result = storyreel("board", str(story), "--planner", "llm")
    assert result.returncode == 2
    assert "--llm-url" in result.stderr


@pytest.mark.parametrize("command", ["board", "make"])
def test_an_unknown_engine_names_the_installed_ones(command: str, tmp_path: Path) -> None:
    story = tmp_path / "s.fountain"
    story.write_text(SMALL, encoding="utf-8")
    output = ["-o", str(tmp_path / "film.mp4")] if command == "make" else []
    result = storyreel(command, str(story), *output, "--engine", "sora", "--project", str(tmp_path))
    assert result.returncode == 2
    assert "unknown engine 'sora'" in result.stderr and "previs" in result.stderr
    assert not (tmp_path / ".storyreel").exists()  # refused before the project was touched
