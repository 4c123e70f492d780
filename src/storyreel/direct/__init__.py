"""Script -> Storyboard. `plan` is the director the rest of storyreel calls.

    plan(script)                                  # the rules planner (embedded default)
    plan(script, planner="llm", llm=LlmOptions(url=..., model=...), warnings=warnings)

The rules live in `rules.py`, the LLM planner in `llm.py`; the storyboard file the
user edits in `board_file.py`, and the contact sheet in `sheet.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from storyreel.direct.board_file import BoardDocument, sync
from storyreel.direct.rules import plan_rules
from storyreel.errors import StoryreelError
from storyreel.model import Script, Storyboard

if TYPE_CHECKING:
    from storyreel.direct.llm import LlmOptions

Planner = Literal["rules", "llm"]
PLANNERS: tuple[Planner, ...] = ("rules", "llm")


class PlannerError(StoryreelError):
    """The planner named, or its options, cannot be used."""


def plan(
    script: Script,
    *,
    planner: Planner = "rules",
    width: int = 1280,
    height: int = 720,
    fps: int = 24,
    max_duration: float | None = None,
    llm: object | None = None,
    warnings: list[str] | None = None,
) -> Storyboard:
    """Direct a storyboard for `script` with `planner`.

    `max_duration` is the engine's longest shot (`Capabilities.max_duration`). The LLM
    planner needs `llm` (an `LlmOptions`); when it cannot produce a valid storyboard it
    falls back to the rules and says so in `warnings`.
    """
    if planner == "llm":
        from storyreel.direct.llm import LlmOptions, plan_llm

        if not isinstance(llm, LlmOptions):
            raise TypeError("the llm planner needs llm=LlmOptions(url=..., model=...)")
        return plan_llm(
            script,
            llm,
            width=width,
            height=height,
            fps=fps,
            max_duration=max_duration,
            warnings=warnings,
        )
    return plan_rules(script, width=width, height=height, fps=fps, max_duration=max_duration)


def storyboard_document(
    story: Path,
    script: Script,
    board_path: Path,
    *,
    planner: Planner = "rules",
    width: int = 1280,
    height: int = 720,
    fps: int = 24,
    max_duration: float | None = None,
    llm: object | None = None,
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
            width=width,
            height=height,
            fps=fps,
            max_duration=max_duration,
            llm=llm,
            warnings=warnings,
        )

    document = sync(board_path, story, replan, warnings, previous)
    sized = document.board.model_copy(update={"width": width, "height": height, "fps": fps})
    return replace(document, board=sized)


def llm_options(planner: str, options: Mapping[str, Any]) -> LlmOptions | None:
    """The LLM planner's settings from a make's `planner` and `planner_options`; None
    for the rules planner. A bad name or option is a `PlannerError` saying which."""
    if planner not in PLANNERS:
        raise PlannerError(f"planner is one of {', '.join(PLANNERS)}, got {planner!r}")
    if planner == "rules":
        if options:
            raise PlannerError(f"the rules planner takes no options, got {', '.join(options)}")
        return None
    from storyreel.direct.llm import LlmOptions

    try:
        return LlmOptions.model_validate(dict(options))
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(p) for p in problem["loc"]) or "options"
        raise PlannerError(
            f"the llm planner's {field}: {problem['msg']} (it needs url and model, "
            "e.g. --llm-url http://localhost:11434/v1 --llm-model qwen2.5)"
        ) from None


def storyboard(story: Path, script: Script, board_path: Path, **options: Any) -> Storyboard:
    """The storyboard to film `story` from (see `storyboard_document`); the file at
    `board_path` is read, never written."""
    return storyboard_document(story, script, board_path, **options).board


__all__ = [
    "PLANNERS",
    "BoardDocument",
    "Planner",
    "PlannerError",
    "llm_options",
    "plan",
    "storyboard",
    "storyboard_document",
]
