"""`storyreel variants`: a matrix of films from one brief.

storyreel variants spring_tea.md --languages zh,en,ja --aspect 16:9,9:16 --length 15,30
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from storyreel.variants.run import VariantProgress

err_console = Console(stderr=True)
out_console = Console()


# One parameter per command-line option: typer reads them from the signature.
def variants_command(
    brief: Annotated[Path, typer.Argument(help="The brief: a story, a screenplay or prose.")],
    languages: Annotated[
        str, typer.Option(help="Languages joined by commas, e.g. zh,en,ja.")
    ] = "en",
    aspect: Annotated[str, typer.Option(help="Frame shapes joined by commas: 16:9,9:16,1:1.")] = (
        "16:9"
    ),
    length: Annotated[
        str, typer.Option(help="Target lengths in seconds joined by commas, e.g. 15,30.")
    ] = "15",
    cta: Annotated[
        list[str] | None,
        typer.Option(
            help="A call to action: an end card's words, with [zh: ...] marks for other "
            "languages (repeatable; two or more make one film each)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Folder for the films (default BRIEF_STEM.variants)."),
    ] = None,
    project: Annotated[
        Path | None,
        typer.Option(help="The project all variants share (default: the brief's own)."),
    ] = None,
    size: Annotated[str, typer.Option(help="The 16:9 frame, WIDTHxHEIGHT.")] = "1280x720",
    fps: Annotated[int, typer.Option(min=1, max=120, help="Frames per second.")] = 24,
    engine: Annotated[str, typer.Option(help="Video engine (see `storyreel engines`).")] = "previs",
    voice_engine: Annotated[
        str, typer.Option(help="Speech engine: auto (per language), kokoro, espeak, ...")
    ] = "auto",
    picture: Annotated[
        str, typer.Option(help="clean (a picture to deliver) or annotated (previs captions).")
    ] = "clean",
    llm_url: Annotated[
        str | None,
        typer.Option("--llm-url", help="OpenAI-compatible API that translates, e.g. .../v1."),
    ] = None,
    llm_model: Annotated[str | None, typer.Option("--llm-model", help="Its model.")] = None,
    executor: Annotated[
        str, typer.Option(help="Where each film's shots render: local or ray.")
    ] = "local",
    workers: Annotated[int | None, typer.Option(min=1, help="Render processes.")] = None,
) -> None:
    """Make one film per language x aspect x length (x call to action) from BRIEF, in
    one project (cast and unchanged takes are made once), with manifest.json and
    manifest.csv beside them. Lines and on-screen text come from the brief's
    [zh: ...] marks, else from --llm-url."""
    from pydantic import ValidationError

    from storyreel.config import MakeConfig
    from storyreel.direct.llm import LlmOptions
    from storyreel.project import Project
    from storyreel.variants.matrix import VariantMatrix
    from storyreel.variants.run import default_folder, make_variants

    try:
        matrix = VariantMatrix.parse(languages, aspect, length, cta)
    except (ValueError, ValidationError) as error:
        raise typer.BadParameter(_first(error)) from None
    if bool(llm_url) != bool(llm_model):
        raise typer.BadParameter("translating needs both --llm-url and --llm-model")
    width, height = _size(size)
    try:
        config = MakeConfig(
            engine=engine,
            width=width,
            height=height,
            fps=fps,
            voice=voice_engine,
            picture=picture,
            executor=executor,
            workers=workers,
        )
    except ValidationError as error:
        raise typer.BadParameter(_first(error)) from None
    llm = LlmOptions(url=llm_url, model=llm_model) if llm_url and llm_model else None
    folder = output or default_folder(brief)
    manifest = make_variants(
        brief,
        folder,
        matrix,
        config,
        project=Project.at(project, brief),
        llm=llm,
        progress=_progress,
    )
    for row in manifest.films:
        qa = f"QA {row.qa_passed} passed, {row.qa_failed} failed"
        out_console.print(
            f"{folder / row.file} — {row.duration:.1f} s, {row.shots} shots "
            f"({row.takes_rendered} rendered, {row.takes_reused} reused; {qa})",
            highlight=False,
        )
    out_console.print(f"manifest: {folder / 'manifest.json'}, {folder / 'manifest.csv'}")


def _progress(event: VariantProgress) -> None:
    if event.make.stage == "cut" and event.make.done == event.make.total:
        err_console.print(f"[{event.index}/{event.total}] {event.variant} made", highlight=False)


def _size(value: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError:
        raise typer.BadParameter(f"expected WIDTHxHEIGHT such as 1280x720, got {value!r}") from None
    return w, h


def _first(error: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        return f"{where}: {problem['msg']}" if where else str(problem["msg"])
    return str(error)


def register(app: typer.Typer) -> None:
    app.command("variants")(variants_command)
