"""Script -> Storyboard. `plan_board` is the one way the rest of storyreel plans:

    document = plan_board(story, script, board_path, cast={"MEI": "60s, grey wool coat"})
    board = document.board                        # frozen; no later stage edits it

It receives everything the storyboard is made from up front (the script with its
translations, the cast's descriptions, the user's storyboard file) and returns the
storyboard to film, every prompt composed from the shot, the cast's descriptions and
the style. `plan` is the bare director behind it:

    plan(script)                                  # the rules planner (embedded default)
    plan(script, planner="llm", planner_options={"url": ..., "model": ...}, warnings=warnings)

Planners are plugins (the `storyreel.planners` entry-point group, see `planner.py`):
the rules live in `rules.py`, the LLM planner in `llm.py`; prompts in `prompts.py`; the
storyboard file the user edits in `board_file.py`, and the contact sheet in `sheet.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from storyreel.direct.board_file import BoardDocument, sync
from storyreel.direct.edits import merge
from storyreel.direct.planner import PLANNERS, PlannerOptions, PlanRequest, load_planner
from storyreel.direct.prompts import described, dress, with_prompts
from storyreel.model import Dialogue, Script, Storyboard
from storyreel.vocab import Vocabulary, load_vocabulary, project_vocabulary_files


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
    vocabulary: Vocabulary | None = None,
) -> Storyboard:
    """Direct a storyboard for `script` with the planner registered as `planner`.

    `max_duration` is the engine's longest shot (`Capabilities.max_duration`);
    `planner_options` are validated against the planner's `Options` (the LLM planner's
    are `LlmOptions`). A planner that cannot do its best says so in `warnings` (the
    LLM planner falls back to the rules).
    """
    chosen = load_planner(planner, planner_options)
    request = PlanRequest(
        width, height, fps, max_duration=max_duration, warnings=warnings, vocabulary=vocabulary
    )
    return chosen.plan(script, request)


@dataclass(frozen=True)
class PlanSettings:
    """How a storyboard is planned: the planner, and the frame the film is made at."""

    # A planner from the `storyreel.planners` group, and its options (the LLM planner's
    # url and model).
    planner: str = "rules"
    planner_options: PlannerOptions = None
    width: int = 1280
    height: int = 720
    fps: int = 24
    # The engine's longest shot (`Capabilities.max_duration`); None: the rules' own.
    max_duration: float | None = None
    # The project folder whose vocab/*.yaml extend the words the world is read with;
    # None: the storyboard file's folder, else the bundled words alone.
    project: Path | None = None


def plan_board(
    story: Path,
    script: Script,
    board_path: Path | None,
    *,
    cast: Mapping[str, str] | None = None,
    settings: PlanSettings = PlanSettings(),
    previous: Storyboard | None = None,
    warnings: list[str] | None = None,
) -> BoardDocument:
    """The storyboard file's next contents, its `board` the storyboard to film.

    `cast` holds the cast's descriptions by the script's character names; they win over
    the script's (and over the file's), and every prompt is composed from them. With a
    file at `board_path`, the user's edits are merged with a fresh plan when the story
    or the cast changed since it was planned (see `board_file.sync`); without one, a
    fresh plan keeps the shot ids of `previous`, the storyboard last filmed. Nothing is
    written here.
    """
    described = cast_script(script, cast or {})
    if settings.project is None and board_path is not None:
        settings = replace(settings, project=Path(board_path).parent)

    def replan() -> Storyboard:
        return _plan(described, settings, warnings)

    document = sync(board_path, story, replan, warnings, previous, described.characters)
    return replace(document, board=_finished(document.board, script, cast or {}, settings))


def preview_board(
    script: Script,
    document: BoardDocument | None,
    *,
    cast: Mapping[str, str] | None = None,
    settings: PlanSettings = PlanSettings(),
) -> Storyboard:
    """The storyboard `script` would get, the user's edits in `document` merged in
    (a story that is not on disk yet: the studio's preview of a text)."""
    fresh = _plan(cast_script(script, cast or {}), settings, None)
    if document is not None and document.planned is not None:
        fresh = merge(document.board, document.planned, fresh).board
    return _finished(fresh, script, cast or {}, settings)


def cast_script(script: Script, cast: Mapping[str, str]) -> Script:
    """`script` with its characters described as the cast describes them: what the
    planner reads, so its prompts (and an LLM's) carry the cast's look."""
    characters = described(script.characters, cast)
    if characters == script.characters:
        return script
    return script.model_copy(update={"characters": characters})


def with_translations(board: Storyboard, script: Script) -> Storyboard:
    """`board` with each line carrying the translation its dialogue has in the script.

    Lines are matched in order by speaker and text, so it works whatever the director
    (or the user's file) did with the shots; a line that has a translation keeps it.
    """
    pending: dict[tuple[str, str], list[str]] = {}
    for scene in script.scenes:
        for element in scene.elements:
            if isinstance(element, Dialogue) and element.translation:
                key = (element.character, element.text)
                pending.setdefault(key, []).append(element.translation)
    if not pending:
        return board
    shots = []
    for shot in board.shots:
        lines = []
        for line in shot.lines:
            queue = pending.get((line.character, line.text))
            if queue and line.translation is None:
                line = line.model_copy(update={"translation": queue.pop(0)})
            lines.append(line)
        shots.append(shot if lines == shot.lines else shot.model_copy(update={"lines": lines}))
    return board.model_copy(update={"shots": shots})


def _plan(script: Script, settings: PlanSettings, warnings: list[str] | None) -> Storyboard:
    return plan(
        script,
        planner=settings.planner,
        width=settings.width,
        height=settings.height,
        fps=settings.fps,
        max_duration=settings.max_duration,
        planner_options=settings.planner_options,
        warnings=warnings,
        vocabulary=_vocabulary(settings.project),
    )


def _vocabulary(project: Path | None) -> Vocabulary | None:
    """The bundled words extended by the project's own, or None with none of its own."""
    files = project_vocabulary_files(project) if project is not None else ()
    return load_vocabulary(files) if files else None


def _finished(
    board: Storyboard, script: Script, cast: Mapping[str, str], settings: PlanSettings
) -> Storyboard:
    """What every planned board gets last: the caller's frame, the cast's descriptions
    (the file's own characters too), the script's translations, and a prompt for every
    shot (a shot the user added without one gets it here, not from the engine)."""
    sized = board.model_copy(
        update={"width": settings.width, "height": settings.height, "fps": settings.fps}
    )
    return with_prompts(with_translations(dress(sized, cast), script))


__all__ = [
    "PLANNERS",
    "BoardDocument",
    "PlanRequest",
    "PlanSettings",
    "PlannerOptions",
    "cast_script",
    "load_planner",
    "plan",
    "plan_board",
    "preview_board",
    "with_translations",
]
