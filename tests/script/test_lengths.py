"""Pathological stories are refused at reading, in one pass, with one line that names
the limit: a 200,000-character action line would otherwise take a make the better
part of an hour (reading a scene costs the square of a sentence's length)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyreel.errors import StoryError
from storyreel.script import parse_story
from storyreel.script.read import MAX_LINE_CHARS, MAX_SENTENCE_CHARS

WORDS = [
    "the",
    "old",
    "man",
    "walks",
    "slowly",
    "across",
    "the",
    "wet",
    "market",
    "while",
    "lanterns",
    "sway",
    "above",
]


def words(count: int) -> str:
    out = " ".join(WORDS[i % len(WORDS)] for i in range(count // 5))
    return out[:count]


def story(action: str) -> str:
    return f"Title: Long\n\nINT. MARKET - NIGHT\n\nMEI waits.\n\n{action}\n\nMEI\nTea?\n"


def test_a_200000_character_line_is_refused_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(StoryError, match=f"at most {MAX_LINE_CHARS:,}") as raised:
        parse_story(story(words(200_000) + "."))
    assert time.monotonic() - started < 1.0
    assert raised.value.line == 7
    assert "a line of 200,001 characters" in str(raised.value)


def test_a_sentence_without_end_across_many_lines_is_refused() -> None:
    lines = "\n".join(words(100) for _ in range(2000))  # no line too long; no full stop
    with pytest.raises(StoryError, match=f"at most {MAX_SENTENCE_CHARS:,}") as raised:
        parse_story(story(lines))
    assert raised.value.line == 7


def test_long_writing_in_sentences_is_read() -> None:
    sentence = words(MAX_SENTENCE_CHARS - 100) + "."
    long_line = " ".join([sentence] * 3)  # 15,000 characters, in sentences
    script = parse_story(story(long_line))
    assert len(script.scenes) == 1
    chinese = "小梅在雨中等待，灯笼在风里摇晃" * 100 + "。"  # 1,500 characters
    assert parse_story(f"内景 市场 - 夜\n\n{chinese * 5}\n").scenes


def test_the_cli_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "long.fountain"
    path.write_text(story(words(200_000) + "."), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYREEL_")}
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "storyreel.launch",
            "make",
            str(path),
            "-o",
            str(tmp_path / "f.mp4"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "line may have at most 20,000" in lines[0] and ":7:" in lines[0]
    assert time.monotonic() - started < 60
    assert not (tmp_path / "f.mp4").exists()


def test_a_quote_that_never_closes_cannot_hide_a_long_sentence() -> None:
    held = '"' + "Word. " * 2000  # full stops, but all inside one open quote
    started = time.monotonic()
    with pytest.raises(StoryError, match="close every quote") as raised:
        parse_story(story(held))
    assert time.monotonic() - started < 2.0
    assert raised.value.line == 7
