from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyreel.cli_versions import app
from storyreel.direct.board_file import BoardDocument, read_document, write_document
from storyreel.errors import StoryreelError
from storyreel.model import Storyboard
from storyreel.project import Project
from storyreel.run.lock import ProjectLocked, project_lock
from storyreel.store import open_store
from storyreel.store.db import URL_ENV

from .test_versions import T2, T2_NEW, two_versions

runner = CliRunner()


@pytest.fixture
def film(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(URL_ENV, raising=False)
    project = Project.at(tmp_path / "film")
    with open_store(project) as store:
        two_versions(store)
    return project.root


def run(*args: str) -> tuple[int, str, BaseException | None]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output, result.exception


def test_log_shows_each_version(film: Path) -> None:
    code, out, _ = run("log", "--project", str(film))
    assert code == 0
    assert out.index("tighter") < out.index("a.mp4")  # newest first
    assert "11.0" in out and "10.0" in out  # each version's length in seconds


def test_diff_shows_field_changes(film: Path) -> None:
    code, out, _ = run("diff", "1", "2", "--project", str(film))
    assert code == 0
    assert "size: medium → close_up" in out
    assert "duration: 3.0 → 4.5" in out
    assert "added" in out and "removed" in out


def test_checkout_writes_the_storyboard_and_guards_edits(film: Path) -> None:
    code, out, _ = run("checkout", "1", "--project", str(film))
    assert code == 0, out
    written = read_document(film / "storyboard.yaml")
    assert [s.id for s in written.board.shots] == ["1", "2", "3", "4"]
    assert written.planned is None  # there was no file: nothing planned to keep

    # A recorded storyboard may be replaced; an edited one only with --force.
    assert run("checkout", "2", "--project", str(film))[0] == 0
    (film / "storyboard.yaml").write_text("title: my own edit\n")
    code, _, error = run("checkout", "1", "--project", str(film))
    assert isinstance(error, StoryreelError) and "--force" in str(error)
    assert (film / "storyboard.yaml").read_text() == "title: my own edit\n"
    assert run("checkout", "1", "--project", str(film), "--force")[0] == 0
    assert "my own edit" not in (film / "storyboard.yaml").read_text()


def test_checkout_over_a_storyboard_file_as_board_writes_it(film: Path) -> None:
    # `storyreel board` writes a document (the story's hash, a `planned:` block): one
    # holding a recorded storyboard is no edit of the user's.
    with open_store(Project.at(film)) as store:
        recorded = Storyboard.model_validate(store.versions()[-1].storyboard)
    write_document(film / "storyboard.yaml", BoardDocument(recorded, recorded, "0" * 64))
    code, out, error = run("checkout", "1", "--project", str(film))
    assert code == 0, (out, error)
    # The planned block stays, so version 1's shots read as edits and survive re-planning.
    written = read_document(film / "storyboard.yaml")
    assert [s.id for s in written.board.shots] == ["1", "2", "3", "4"]
    assert written.planned == recorded and written.story_sha256 == "0" * 64


def test_take_list_pin_unpin(film: Path) -> None:
    code, out, _ = run("take", "pin", "2", T2[:8], "--project", str(film))
    assert code == 0 and f"take {T2[:12]} pinned" in out
    code, out, _ = run("take", "list", "2", "--project", str(film))
    assert code == 0
    pinned_row = next(line for line in out.splitlines() if T2[:12] in line)
    assert "yes" in pinned_row
    assert run("take", "unpin", "2", "--project", str(film))[0] == 0
    _, out, _ = run("take", "list", "2", "--project", str(film))
    assert "yes" not in out


def test_prune_keeps_what_versions_use_and_waits_for_no_make(film: Path) -> None:
    code, out, _ = run("prune", "--project", str(film))
    assert code == 0 and "0 unused takes" in out
    with project_lock(Project.at(film)):  # a make is running
        _, _, error = run("prune", "--keep-versions", "1", "--project", str(film))
    assert isinstance(error, ProjectLocked) and "wait for it to finish" in str(error)

    code, out, _ = run("prune", "--keep-versions", "1", "--dry-run", "--project", str(film))
    assert code == 0 and "would free" in out and "1 unused takes" in out
    code, out, _ = run("prune", "--keep-versions", "1", "--project", str(film))
    assert code == 0 and "freed" in out and "1 unused takes" in out
    _, out, _ = run("take", "list", "2", "--project", str(film))
    assert T2_NEW[:12] in out and T2[:12] not in out  # version 1's take of shot 2 is gone


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("checkout", "9"), "no version 9; versions are 1 to 2"),
        (("diff", "1", "9"), "no version 9"),
        (("take", "list", "99"), "no shot '99'"),
        (("take", "pin", "2", "ffffff"), "shot 2 has no take ffffff"),
        (("take", "unpin", "1"), "shot 1 has no pinned take"),
    ],
)
def test_errors_are_one_line(film: Path, args: tuple[str, ...], message: str) -> None:
    _, _, error = run(*args, "--project", str(film))
    assert isinstance(error, StoryreelError)
    assert message in str(error) and "\n" not in str(error)
