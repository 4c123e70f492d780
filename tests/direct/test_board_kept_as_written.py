"""storyboard.yaml is the user's: a re-plan and a checkout change its values and keep
their comments, their key order and the names they typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyreel.cli import app
from storyreel.direct.board_file import BoardDocument, read_document, render_document
from storyreel.keys import file_digest
from storyreel.model import ShotSize
from storyreel.project import Project
from storyreel.store import open_store
from storyreel.store.db import URL_ENV
from storyreel.store.versions import STORYBOARD_FILE, record_version

STORY = """Title: Two Lines

INT. KITCHEN - NIGHT

MEI (20s, red raincoat) waits by the window.

MEI
It is late.
"""
# The story changed: Mei is older, and Tom answers.
STORY_2 = STORY.replace("20s, red raincoat", "60s, grey wool coat") + "\nTOM\nI am here.\n"

runner = CliRunner()


def storyreel(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def edit_like_a_user(text: str) -> str:
    """A top comment, a comment above a shot and on its line, an end-of-line comment on
    an edited field (typed in Chinese), and shot 1's duration moved up under its id."""
    text = "# Kitchen film, draft 3: keep the window shot tight.\n" + text
    text = text.replace("- id: '2'\n", "# the window shot\n- id: '2'  # Mei alone\n", 1)
    start = text.index("- id: '2'")
    size = text.index("  size: full\n", start)
    text = text[:size] + "  size: 特写  # tighter: she is alone\n" + text[size + 13 :]
    duration = "  duration: 3.5\n"
    assert duration in text
    text = text.replace(duration, "", 1).replace("- id: '1'\n", "- id: '1'\n" + duration, 1)
    return text


def shot_keys(text: str, shot_id: str) -> list[str]:
    """The keys of a shot's mapping, in the order the file has them."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"- id: '{shot_id}'"))
    keys = ["id"]
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break  # the next shot, or the next top-level key
        if found := re.match(r"  ([a-z_]+):", line):
            keys.append(found.group(1))
    return keys


COMMENTS = (
    "# Kitchen film, draft 3: keep the window shot tight.\n",
    "# the window shot\n- id: '2'  # Mei alone\n",
    "  size: 特写  # tighter: she is alone\n",
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(URL_ENV, raising=False)
    return tmp_path / "film"


def test_comments_and_key_order_survive_a_replan_and_a_checkout(
    tmp_path: Path, project: Path
) -> None:
    story = tmp_path / "kitchen.fountain"
    story.write_text(STORY, encoding="utf-8")
    storyreel("board", str(story), "--project", str(project))
    path = project / "storyboard.yaml"
    first = read_document(path).board
    path.write_text(edit_like_a_user(path.read_text(encoding="utf-8")), encoding="utf-8")
    order = shot_keys(path.read_text(encoding="utf-8"), "1")
    assert order[:2] == ["id", "duration"]
    with open_store(Project.at(project)) as store:  # what a make of the first plan records
        record_version(store, first, {})

    story.write_text(STORY_2, encoding="utf-8")
    storyreel("board", str(story), "--project", str(project))
    text = path.read_text(encoding="utf-8")
    for comment in COMMENTS:
        assert comment in text
    assert shot_keys(text, "1") == order
    replanned = read_document(path)
    # The values moved with the story: the new description reached the shots' prompts,
    # Tom's line is a new shot, and the user's own size is kept.
    assert replanned.board.characters["MEI"].description == "60s, grey wool coat"
    assert "grey wool coat" in replanned.board.shots[0].prompt.en
    assert any(line.character == "TOM" for s in replanned.board.shots for line in s.lines)
    assert replanned.board.shots[1].size == ShotSize.close_up
    assert len(replanned.board.shots) == len(first.shots) + 1
    with open_store(Project.at(project)) as store:  # a make of the re-planned file
        record_version(store, replanned.board, {}, {STORYBOARD_FILE: file_digest(path)})

    storyreel("checkout", "1", "--project", str(project))
    text = path.read_text(encoding="utf-8")
    for comment in COMMENTS[:2]:
        assert comment in text
    # Version 1's size, under the user's comment on the field (kept at its column).
    assert re.search(r"\n  size: full +# tighter: she is alone\n", text)
    assert shot_keys(text, "1") == order
    restored = read_document(path)
    assert restored.board.model_dump(exclude={"width", "height", "fps"}) == first.model_dump(
        exclude={"width", "height", "fps"}
    )
    assert restored.planned == replanned.planned  # the planner's block stays for re-plans


def test_an_untouched_file_is_rewritten_byte_for_byte(tmp_path: Path, project: Path) -> None:
    story = tmp_path / "kitchen.fountain"
    story.write_text(STORY_2, encoding="utf-8")
    storyreel("board", str(story), "--project", str(project))
    path = project / "storyboard.yaml"
    text = path.read_text(encoding="utf-8")
    assert render_document(read_document(path), text) == text
    storyreel("board", str(story), "--project", str(project))
    assert path.read_text(encoding="utf-8") == text


def test_a_file_that_is_no_yaml_mapping_is_written_afresh(tmp_path: Path) -> None:
    document = BoardDocument(read_document_from(STORY, tmp_path).board)
    for broken in ("[a list, not a storyboard]\n", "shots: [unclosed\n"):
        text = render_document(document, broken)
        assert text.startswith("# The storyboard: yours to edit.")


def read_document_from(story_text: str, tmp_path: Path) -> BoardDocument:
    story = tmp_path / "s.fountain"
    story.write_text(story_text, encoding="utf-8")
    storyreel("board", str(story), "--project", str(tmp_path / "p"))
    return read_document(tmp_path / "p" / "storyboard.yaml")
