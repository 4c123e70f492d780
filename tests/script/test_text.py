from __future__ import annotations

import pytest

from storyreel.script import strip_emphasis
from storyreel.script.text import join_lines


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("*italic*", "italic"),
        ("**bold**", "bold"),
        ("***bold italic***", "bold italic"),
        ("_underline_", "underline"),
        ("_**bold underline**_", "bold underline"),
        ("He *really* **did** it", "He really did it"),
        ("\\*not italic\\*", "*not italic*"),
        ("\\_not underlined\\_", "_not underlined_"),
        ("snake_case_name", "snake_case_name"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("小梅*轻声*说", "小梅轻声说"),
        ("a lone * star", "a lone * star"),
    ],
)
def test_strip_emphasis(text: str, plain: str) -> None:
    assert strip_emphasis(text) == plain


def test_join_lines() -> None:
    assert join_lines(["Hello", "world."]) == "Hello world."
    assert join_lines(["你好，", "世界。"]) == "你好，世界。"
    assert join_lines(["안녕하세요.", "반가워요."]) == "안녕하세요. 반가워요."
