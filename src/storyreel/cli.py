"""The `storyreel` command: a thin shell over storyreel's functions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from storyreel.cut.encode import VideoSettings
from storyreel.errors import StoryreelError
from storyreel.make import Progress as MakeProgress
from storyreel.make import make_film, storyboard_for
from storyreel.model import Storyboard
from storyreel.project import Project
from storyreel.render.engine import available_engines

app = typer.Typer(
    help="storyreel: write a story, get a film.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out_console = Console()
err_console = Console(stderr=True)

StoryArg = Annotated[
    Path, typer.Argument(help="A Fountain screenplay, a Chinese screenplay, or prose.")
]
ProjectOpt = Annotated[
    Path | None,
    typer.Option(
        "--project",
        help="Project folder for the storyboard, cast and working state "
        "(default: the story's folder).",
    ),
]


def _size(value: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError:
        raise typer.BadParameter(f"expected WIDTHxHEIGHT such as 1280x720, got {value!r}") from None
    if w < 64 or h < 64 or w % 2 or h % 2:
        raise typer.BadParameter(f"width and height must be even and at least 64, got {value!r}")
    return w, h


@app.command()
def make(
    story: StoryArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="The film to write (.mp4).")],
    engine: Annotated[str, typer.Option(help="Video engine (see `storyreel engines`).")] = "previs",
    size: Annotated[str, typer.Option(help="Frame size, WIDTHxHEIGHT.")] = "1280x720",
    fps: Annotated[int, typer.Option(min=1, max=120, help="Frames per second.")] = 24,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Render processes (default: one per core).")
    ] = None,
    project: ProjectOpt = None,
) -> None:
    """Turn STORY into a finished film: storyboard, voices, rendered shots, subtitles."""
    width, height = _size(size)
    settings = VideoSettings(width=width, height=height, fps=fps)
    try:
        with _ProgressView() as view:
            film = make_film(
                story,
                output,
                project=Project.at(project, story),
                engine=engine,
                settings=settings,
                workers=workers,
                progress=view.update,
            )
    except KeyboardInterrupt:
        err_console.print("interrupted: nothing was written at the output path", highlight=False)
        raise typer.Exit(130) from None
    for warning in film.warnings:
        err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    out_console.print(
        f"{film.path} — {len(film.storyboard.shots)} shots, {film.duration:.1f} s "
        f"(subtitles: {film.subtitles.name})",
        highlight=False,
    )


@app.command()
def board(
    story: StoryArg,
    size: Annotated[str, typer.Option(help="Frame size, WIDTHxHEIGHT.")] = "1280x720",
    fps: Annotated[int, typer.Option(min=1, max=120, help="Frames per second.")] = 24,
) -> None:
    """Print the planned shot list of STORY as a table."""
    width, height = _size(size)
    out_console.print(shot_table(storyboard_for(story, VideoSettings(width, height, fps))))


@app.command()
def engines() -> None:
    """List the installed video engines and what they can do."""
    table = Table("engine", "GPU", "network", "max shot", "lip sync")
    for name, cls in sorted(available_engines().items()):
        caps = cls.capabilities
        longest = f"{caps.max_duration:g} s" if caps.max_duration else "any"
        yes_no = {True: "yes", False: "no"}
        table.add_row(
            name, yes_no[caps.needs_gpu], yes_no[caps.needs_network], longest, yes_no[caps.lip_sync]
        )
    out_console.print(table)


def shot_table(board: Storyboard) -> Table:
    title = f"{board.title or 'Untitled'} — {len(board.shots)} shots, {board.duration:.1f} s"
    table = Table("#", "scene", "size", "move", "sec", "subjects", "action / lines", title=title)
    for shot in board.shots:
        move = shot.move.value.replace("_", " ")
        if shot.direction:
            move += f" {shot.direction}"
        text = "\n".join(f"{ln.character}: {ln.text}" for ln in shot.lines) or shot.action
        table.add_row(
            shot.id,
            str(shot.scene),
            f"{shot.size.abbr} {shot.size.zh}",
            f"{move} {shot.move.zh}",
            f"{shot.duration:.1f}",
            ", ".join(shot.subjects),
            text if len(text) <= 90 else text[:89] + "…",
        )
    return table


class _ProgressView:
    """Rich progress bars, one per stage, fed by make's Progress events."""

    def __init__(self) -> None:
        self._bars = Progress(
            TextColumn("{task.description:<7}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def update(self, event: MakeProgress) -> None:
        if event.stage not in self._tasks:
            self._tasks[event.stage] = self._bars.add_task(
                event.stage, total=event.total, detail=""
            )
        self._bars.update(
            self._tasks[event.stage],
            completed=event.done,
            total=event.total,
            detail=event.detail,
        )

    def __enter__(self) -> _ProgressView:
        self._bars.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is not None:
            # A failed make says so in one line; half-filled bars would only bury it.
            self._bars.live.transient = True
        self._bars.stop()


def main() -> None:
    try:
        app()
    except StoryreelError as error:
        err_console.print(f"[red]error:[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
