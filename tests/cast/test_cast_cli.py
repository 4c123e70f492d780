"""`storyreel cast ...` through a real process, as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from .conftest import skdata


def storyreel(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyreel.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize("command", ["add", "list", "show", "rm", "import"])
def test_help(command: str) -> None:
    result = storyreel("cast", command, "--help")
    assert result.returncode == 0 and "--project" in result.stdout


def test_add_list_show_rm(tmp_path: Path) -> None:
    Image.fromarray(skdata.astronaut()).save(tmp_path / "eileen.png")
    project = ("--project", str(tmp_path / "film"))
    added = storyreel(
        "cast", "add", "小梅", "--image", str(tmp_path / "eileen.png"),
        "--description", "二十多岁，红色雨衣", *project,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "added 小梅 (character)" in added.stdout and "identity embedding" in added.stdout

    listed = storyreel("cast", "list", *project)
    assert "小梅" in listed.stdout and "二十多岁，红色雨衣" in listed.stdout

    shown = storyreel("cast", "show", "小梅", *project)
    assert "ref-1.png" in shown.stdout and "palette" in shown.stdout

    again = storyreel("cast", "add", "小梅", *project)
    assert again.returncode == 2
    assert again.stderr.startswith("error:") and "already has" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1

    missing = storyreel("cast", "show", "LEO", *project)
    assert missing.returncode == 2 and "no subject named 'LEO'" in missing.stderr

    removed = storyreel("cast", "rm", "小梅", *project)
    assert removed.returncode == 0 and "removed 小梅" in removed.stdout
    assert "the cast is empty" in storyreel("cast", "list", *project).stdout


def test_import_and_bad_inputs(tmp_path: Path) -> None:
    one, two = ("--project", str(tmp_path / "one")), ("--project", str(tmp_path / "two"))
    assert storyreel("cast", "add", "LEO", "--description", "10", *one).returncode == 0
    imported = storyreel("cast", "import", str(tmp_path / "one"), "LEO", *two)
    assert imported.returncode == 0 and "imported LEO" in imported.stdout
    assert (tmp_path / "two" / "cast" / "leo" / "subject.yaml").is_file()

    (tmp_path / "junk.png").write_text("not a picture", encoding="utf-8")
    broken = storyreel("cast", "add", "MEI", "--image", str(tmp_path / "junk.png"), *two)
    assert broken.returncode == 2 and "not a readable image" in broken.stderr

    kind = storyreel("cast", "add", "MEI", "--kind", "monster", *two)
    assert kind.returncode == 2 and "character, prop, location" in kind.stderr

    video = storyreel("cast", "add", "MEI", "--from-video", str(tmp_path / "none.mp4"), *two)
    assert video.returncode == 2 and "no such file" in video.stderr


def test_the_cast_commands_know_every_subject_kind() -> None:
    from typing import get_args

    from storyreel.cast.subject import SubjectKind
    from storyreel.cli_cast import KINDS

    assert get_args(SubjectKind) == KINDS
