"""`storyreel edit` and `storyreel style export | apply`: change a film in words, or give
it another film's look. Each shows the storyboard diff first, applies it on
confirmation (or `--yes`), then makes the film again: only the shots the diff touched
render, and the version it records says what was asked.

Mounted on the main command with `register(app)`. Imports are lazy (see cli.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from storyreel.edit import ProposedEdit

out_console = Console()
err_console = Console(stderr=True)

TargetArg = Annotated[
    Path,
    typer.Argument(
        metavar="PROJECT_OR_STORY",
        help="The story file, or its project folder (STEM.storyreel).",
        show_default=False,
    ),
]
ProjectOpt = Annotated[
    Path | None,
    typer.Option("--project", help="Project folder, when the story's is elsewhere."),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show the diff; change nothing.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")]
NoMakeOpt = Annotated[
    bool, typer.Option("--no-make", help="Write the storyboard; do not make the film.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", help="The film to write (default: where the last make wrote it)."
    ),
]
EngineOpt = Annotated[str, typer.Option(help="Video engine for the make.")]


# One parameter per command-line option: typer reads a command's options from its
# signature, so this is the one place a long parameter list is the interface itself.
def edit_command(
    target: TargetArg,
    instruction: Annotated[
        str,
        typer.Argument(
            help="What to change, in English or Chinese: 'shot 7: a close-up at night', "
            "'把第三场改成雨夜', 'cut the second line of the seller', 'make the film warmer'.",
            show_default=False,
        ),
    ],
    shot: Annotated[
        str | None, typer.Option("--shot", help="The shot an instruction without a target is for.")
    ] = None,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
    no_make: NoMakeOpt = False,
    output: OutputOpt = None,
    engine: EngineOpt = "previs",
    llm_url: Annotated[
        str | None,
        typer.Option("--llm-url", help="OpenAI-compatible API asked what the rules cannot read."),
    ] = None,
    llm_model: Annotated[
        str | None, typer.Option("--llm-model", help="Model for --llm-url.")
    ] = None,
    project: ProjectOpt = None,
) -> None:
    """Change the film as INSTRUCTION says: the storyboard diff is shown, applied when
    you confirm, and the film is made again (only the changed shots render)."""
    from storyreel.edit import find_story, propose_instruction

    llm = None
    if llm_url or llm_model:
        if not (llm_url and llm_model):
            raise typer.BadParameter("--llm-url and --llm-model go together")
        from storyreel.direct.llm import LlmOptions

        llm = LlmOptions(url=llm_url, model=llm_model)
    where, story = find_story(target, project)
    edit = propose_instruction(where, story, instruction, shot=shot, llm=llm)
    _show_and_apply(edit, dry_run=dry_run, yes=yes, no_make=no_make, output=output, engine=engine)


style_app = typer.Typer(
    help="Shareable looks: a film's palette, lens habits, pacing and voices as a file.",
    no_args_is_help=True,
    add_completion=False,
)


@style_app.command("export")
def style_export(
    target: TargetArg,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The style file to write (.yaml).")
    ],
    project: ProjectOpt = None,
) -> None:
    """Write the look of PROJECT_OR_STORY's film as a style file."""
    from storyreel.direct.look import dump_look
    from storyreel.edit import export_look, find_story
    from storyreel.errors import OutputError
    from storyreel.files import write_text_atomic

    if output.suffix.lower() not in (".yaml", ".yml"):
        raise OutputError(f"{output}: a style is a YAML file; give -o a name ending in .yaml")
    where, story = find_story(target, project)
    look = export_look(where, story)
    write_text_atomic(output, dump_look(look))
    sizes = ", ".join(f"{k.value} {v:.0%}" for k, v in list(look.sizes.items())[:3])
    out_console.print(
        f"{output}: style {look.style.en or '(none)'}; sizes {sizes}; "
        f"{look.seconds_per_shot or 0:g} s a shot; music {look.music or '(from the story)'}; "
        f"{len(look.voices)} voices",
        highlight=False,
        soft_wrap=True,
    )


# One parameter per command-line option, as for `edit`.
@style_app.command("apply")
def style_apply(
    style: Annotated[Path, typer.Argument(help="A style file from `storyreel style export`.")],
    target: TargetArg,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
    no_make: NoMakeOpt = False,
    output: OutputOpt = None,
    engine: EngineOpt = "previs",
    project: ProjectOpt = None,
) -> None:
    """Give PROJECT_OR_STORY's film the look in STYLE: the diff is shown, applied when
    you confirm, and the film is made again."""
    from storyreel.direct.look import LookError, load_look
    from storyreel.edit import find_story, propose_look

    try:
        text = style.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LookError(f"cannot read {style}: {error}") from None
    look = load_look(text, str(style))
    where, story = find_story(target, project)
    edit = propose_look(where, story, look, style.name)
    _show_and_apply(edit, dry_run=dry_run, yes=yes, no_make=no_make, output=output, engine=engine)


def _show_and_apply(
    edit: ProposedEdit,
    *,
    dry_run: bool,
    yes: bool,
    no_make: bool,
    output: Path | None,
    engine: str,
) -> None:
    from storyreel.edit import last_film, write_edit
    from storyreel.make import check_output

    if edit.empty:
        out_console.print("nothing to change: the storyboard already is that way", highlight=False)
        return
    for note in edit.notes:
        err_console.print(f"note: {note}", highlight=False, soft_wrap=True)
    for line in edit.lines():
        out_console.print(line, highlight=False, soft_wrap=True)
    if dry_run:
        return
    film = None if no_make else (output or last_film(edit.project))
    if not no_make and film is None:
        raise typer.BadParameter("the project has no film yet; give -o FILM.mp4 (or --no-make)")
    if film is not None:
        check_output(film)  # before anything is written
    if not yes and not typer.confirm("Apply?", default=True):
        raise typer.Exit(1)
    write_edit(edit)
    out_console.print(f"storyboard: {edit.project.storyboard_path}", highlight=False)
    if film is not None:
        _make(edit, film, engine)


def _make(edit: ProposedEdit, film: Path, engine: str) -> None:
    from pydantic import ValidationError

    from storyreel.config import MakeConfig
    from storyreel.make import make_film

    board = edit.board
    try:
        config = MakeConfig(
            engine=engine,
            width=board.width,
            height=board.height,
            fps=board.fps,
            message=edit.message,
            # Changed shots start from their last take where the engine can.
            from_previous=True,
        )
    except ValidationError as error:
        raise typer.BadParameter(error.errors()[0]["msg"]) from None
    with err_console.status("making the film…"):
        made = make_film(edit.story, film, config, project=edit.project)
    for warning in made.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    renders = made.renders
    reuse = f" ({len(renders.rendered)} rendered, {len(renders.cached)} cached)" if renders else ""
    out_console.print(
        f"{made.path} — {len(made.storyboard.shots)} shots, {made.duration:.1f} s{reuse}",
        highlight=False,
    )
    from storyreel.store.db import open_store

    with open_store(edit.project) as store:
        versions = store.versions()
    if versions and versions[-1].message == edit.message:
        out_console.print(f"version {versions[-1].number}: {edit.message}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("edit")(edit_command)
    app.add_typer(style_app, name="style")
