"""A small brief with translation marks, shared by the variants tests."""

from __future__ import annotations

from pathlib import Path

BRIEF = """# Spring tea — 15 second ad

A young woman opens a tin of green tea on a sunny balcony. Steam rises from the cup.

VOICEOVER (female, warm): Spring, in every cup. [zh: 春天，就在每一杯里。] [ja: 春を、一杯ごとに。]

Text on screen: "Mountain Spring Tea". [zh: 山泉茶] [ja: 山の泉のお茶]
"""


def write_brief(folder: Path, text: str = BRIEF) -> Path:
    path = folder / "spring_tea.md"
    path.write_text(text, encoding="utf-8")
    return path
