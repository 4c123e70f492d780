"""Script -> Storyboard. `plan` is the director the rest of storyreel calls.

    plan(script)                                  # the rules planner (embedded default)
    plan(script, planner="llm", planner_options={"url": ..., "model": ...}, warnings=warnings)

Planners are plugins (the `storyreel.planners` entry-point group, see `planner.py`):
the rules live in `rules.py`, the LLM planner in `llm.py`; the storyboard file the
user edits in `board_file.py`, and the contact sheet in `sheet.py`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from storyreel.direct.board_file import BoardDocument, sync
from storyreel.direct.planner import PLANNERS, PlannerOptions, PlanRequest, load_planner
from storyreel.model import Script, Storyboard


def plan(
    script: Script,
    *,
    planner: str = "rules",
    planner_options: PlannerOptions = None,
    width: int = 1280,
    height: int = 720,
    fps: int = 24,
    max_duration: float | None = None,
    warnings: list[str] | None = None,
) -> Storyboard:
    """Direct a storyboard for `script` with the planner registered as `planner`.

    `max_duration` is the engine's longest shot (`Capabilities.max_duration`);
    `planner_options` are validated against the planner's `Options` (the LLM planner's
    are `LlmOptions`). A planner that cannot do its best says so in `warnings` (the
    LLM planner falls back to the rules).
    """
    chosen = load_planner(planner, planner_options)
    request = PlanRequest(width, height, fps, max_duration=max_duration, warnings=warnings)
    return chosen.plan(script, request)


def storyboard_document(
    story: Path,
    script: Script,
    board_path: Path,
    *,
    planner: str = "rules",
    planner_options: PlannerOptions = None,
    width: int = 1280,
    height: int = 720,
    fps: int = 24,
    max_duration: float | None = None,
    warnings: list[str] | None = None,
    previous: Storyboard | None = None,
) -> BoardDocument:
    """The storyboard file's next contents: the user's file at `board_path` when there
    is one (merged with a fresh plan when the story has changed since, see
    `board_file.sync`), else a fresh plan that keeps the shot ids of `previous`, the
    storyboard last filmed. The frame size and rate are the caller's."""

    def replan() -> Storyboard:
        return plan(
            script,
            planner=planner,
            planner_options=planner_options,
            width=width,
            height=height,
            fps=fps,
            max_duration=max_duration,
            warnings=warnings,
        )

    document = sync(board_path, story, replan, warnings, previous)
    sized = document.board.model_copy(update={"width": width, "height": height, "fps": fps})
    return replace(document, board=sized)


def storyboard(story: Path, script: Script, board_path: Path, **options: Any) -> Storyboard:
    """The storyboard to film `story` from (see `storyboard_document`); the file at
    `board_path` is read, never written."""
    return storyboard_document(story, script, board_path, **options).board


__all__ = [
    "PLANNERS",
    "BoardDocument",
    "PlanRequest",
    "PlannerOptions",
    "load_planner",
    "plan",
    "storyboard",
    "storyboard_document",
]
