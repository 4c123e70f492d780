"""The `storyreel` command: a thin shell over storyreel's functions."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from storyreel.cli_cast import cast_app
from storyreel.cli_deliver import register as register_deliver
from storyreel.cli_edit import register as register_edit
from storyreel.cli_kling import register as register_kling
from storyreel.cli_plugins import register as register_plugins
from storyreel.cli_qa import register as register_qa
from storyreel.cli_serve import register as register_serve
from storyreel.cli_variants import register as register_variants
from storyreel.cli_versions import register as register_versions
from storyreel.cli_voices import register as register_voices
from storyreel.errors import StoryreelError
from storyreel.run import uptodate

if TYPE_CHECKING:
    from rich.progress import TaskID
    from rich.table import Table

    from storyreel.config import MakeConfig
    from storyreel.make import Film
    from storyreel.make import Progress as MakeProgress
    from storyreel.model import Storyboard
    from storyreel.project import Project
    from storyreel.run.executors import Executor

# Each command imports what it needs when it runs: `storyreel --help` and a command's
# own `--help` load typer and rich alone, not the pipeline, the store or the web app.

app = typer.Typer(
    help="storyreel: write a story, get a film.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(cast_app, name="cast")
register_versions(app)
register_serve(app)
register_kling(app)
register_plugins(app)
register_deliver(app)
register_edit(app)
register_voices(app)
register_qa(app)
register_variants(app)
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
        "(default: the story's own, STEM.storyreel beside it).",
    ),
]


class AiLabel(StrEnum):
    # MakeConfig.label's choices.
    opening = "opening"
    corner = "corner"
    off = "off"


class Picture(StrEnum):
    # MakeConfig.picture's choices, as typer lists them in --help.
    annotated = "annotated"
    clean = "clean"


def _size(value: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError:
        raise typer.BadParameter(f"expected WIDTHxHEIGHT such as 1280x720, got {value!r}") from None
    if w < 64 or h < 64 or w % 2 or h % 2:
        raise typer.BadParameter(f"width and height must be even and at least 64, got {value!r}")
    return w, h


# One parameter per command-line option: typer reads a command's options from its
# signature, so this is the one place a long parameter list is the interface itself.
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
    voice_engine: Annotated[
        str,
        typer.Option(
            help="Speech engine: auto (Kokoro where installed, else espeak), kokoro, "
            "espeak (embedded), openai (an HTTP server) or another from `storyreel plugins`."
        ),
    ] = "auto",
    voice_url: Annotated[
        str | None,
        typer.Option(help="OpenAI-compatible speech server, e.g. https://api.openai.com/v1."),
    ] = None,
    voice_model: Annotated[
        str | None, typer.Option(help="Model name sent to the server (default tts-1).")
    ] = None,
    voice_key_env: Annotated[
        str | None,
        typer.Option(
            help="Environment variable holding the server's API key (default OPENAI_API_KEY)."
        ),
    ] = None,
    music: Annotated[
        Path | None, typer.Option(help="Music bed (any audio file), ducked under speech.")
    ] = None,
    ambience: Annotated[
        Path | None,
        typer.Option(help="Ambience file, instead of the beds generated from each scene."),
    ] = None,
    no_score: Annotated[
        bool,
        typer.Option("--no-score", help="No generated score when no --music is given."),
    ] = False,
    no_effects: Annotated[
        bool,
        typer.Option("--no-effects", help="No generated ambience beds and foley."),
    ] = False,
    loudness: Annotated[
        float | None,
        typer.Option(
            min=-40.0, max=-5.0, help="Integrated loudness of the mix, LUFS (default -16)."
        ),
    ] = None,
    burn_subtitles: Annotated[
        bool, typer.Option("--burn-subtitles", help="Draw the subtitles into the picture.")
    ] = False,
    picture: Annotated[
        Picture,
        typer.Option(
            help="annotated: the previs slate and caption band (a storyboard to review); "
            "clean: neither (a picture to deliver)."
        ),
    ] = Picture.annotated,
    label: Annotated[
        AiLabel,
        typer.Option(
            help="The visible AI label (GB 45438): opening (the first 2 s), corner "
            "(every frame) or off. The film is also signed (C2PA) and carries the AIGC "
            "metadata; `storyreel verify FILE` shows both."
        ),
    ] = AiLabel.opening,
    storyboard: Annotated[
        Path | None,
        typer.Option(help="Storyboard file to film (default: the project's storyboard.yaml)."),
    ] = None,
    aspect: Annotated[
        str | None,
        typer.Option(
            help="Frame shape: 16:9, 9:16 (a vertical short) or 1:1, from --size's sides; "
            "several joined by commas make one film each (film.9x16.mp4, ...)."
        ),
    ] = None,
    stems: Annotated[
        Path | None,
        typer.Option(help="Also write the sound stems (dialogue, ambience, ...) as WAV in DIR."),
    ] = None,
    planner: PlannerOpt = "rules",
    llm_url: LlmUrlOpt = None,
    llm_model: LlmModelOpt = None,
    executor: Annotated[
        str, typer.Option(help="Where shots render: local (processes) or ray (a cluster).")
    ] = "local",
    ray_address: Annotated[
        str | None, typer.Option(help="Ray cluster to join (default: start a local one).")
    ] = None,
    wait: Annotated[
        float,
        typer.Option(min=0, help="Seconds to wait for another make of this project to finish."),
    ] = 0.0,
    model_path: Annotated[
        Path | None,
        typer.Option(help="Model weights for a generative engine: a folder or a Hub repo id."),
    ] = None,
    preset: Annotated[
        str | None, typer.Option(help="Engine preset, e.g. draft or final (generative engines).")
    ] = None,
    allow_download: Annotated[
        bool,
        typer.Option("--allow-download", help="Let the engine download missing model weights."),
    ] = False,
    engine_option: Annotated[
        list[str] | None,
        typer.Option("-O", "--engine-option", help="Any engine option as KEY=VALUE (repeatable)."),
    ] = None,
    takes: Annotated[
        int,
        typer.Option(min=1, max=16, help="Takes of each shot, the best by the checks kept."),
    ] = 1,
    retake: Annotated[
        int,
        typer.Option(min=0, max=16, help="Render a failing shot again, up to this many times."),
    ] = 0,
    from_previous: Annotated[
        bool,
        typer.Option(
            "--from-previous",
            help="Re-render each changed shot from its last take (engines that can: wan-vace, "
            "kling).",
        ),
    ] = False,
    check: Annotated[
        list[str] | None,
        typer.Option(
            help="Checks to run on each take (repeatable; default: conformance, temporal, "
            "flicker, coverage). See `storyreel plugins`."
        ),
    ] = None,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Stay running and make the film again whenever the story, storyboard, "
            "cast or sound beds change (Ctrl-C stops).",
        ),
    ] = False,
) -> None:
    """Turn STORY into a finished film: storyboard, voices, rendered shots, subtitles.

    Only shots whose inputs changed since the last make are rendered again; the rest
    come from the project's take cache. With --watch, each save of the story makes the
    film again in the same process, which keeps the voice model and the render workers
    loaded between edits."""
    from storyreel.project import Project

    width, height = _size(size)
    options = _engine_options(engine_option or [])
    named = {"model_path": model_path, "preset": preset, "allow_download": allow_download}
    options.update({k: str(v) if isinstance(v, Path) else v for k, v in named.items() if v})
    if voice_engine == "openai" and not voice_url:
        raise typer.BadParameter(
            "--voice-engine openai needs --voice-url, e.g. https://api.openai.com/v1 "
            "or http://127.0.0.1:8880/v1 for a self-hosted server"
        )
    voice_options = {"url": voice_url, "model": voice_model, "api_key_env": voice_key_env}
    config = _config(
        engine=engine,
        engine_options=options,
        width=width,
        height=height,
        fps=fps,
        burn_subtitles=burn_subtitles,
        picture=picture.value,
        label=label.value,
        **_exporters(stems),
        planner=planner,
        planner_options=_planner_options(planner, llm_url, llm_model),
        storyboard=storyboard,
        voice=voice_engine,
        voice_options={k: v for k, v in voice_options.items() if v is not None},
        music=music,
        ambience=ambience,
        score=not no_score,
        effects=not no_effects,
        loudness=loudness,
        executor=executor,
        workers=workers,
        ray_address=ray_address,
        wait=wait,
        takes=takes,
        retake=retake,
        from_previous=from_previous,
        **({"checks": {name: {} for name in check}} if check else {}),
    )
    where = Project.at(project, story)
    films = _aspect_films(aspect, output, config)
    if watch:
        _make_watching(story, storyboard, films, where, (music, ambience))
        return
    for path, framed in films:
        film = _make_one(story, path, framed, where)
        # The launcher's record names one film: several are always made again.
        _report(film, framed, story, storyboard, where, (music, ambience), len(films) == 1)


def _aspect_films(
    aspect: str | None, output: Path, config: MakeConfig
) -> list[tuple[Path, MakeConfig]]:
    """The films `--aspect` asks for: each aspect's output path and config (its frame
    from the config's size); the one film asked for without it."""
    if aspect is None:
        return [(output, config)]
    from storyreel.media.aspect import aspect_output, aspect_size, parse_aspects

    try:
        aspects = parse_aspects(aspect)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--aspect") from None
    films = []
    for shape in aspects:
        width, height = aspect_size(shape, config.width, config.height)
        framed = config.model_copy(update={"width": width, "height": height})
        films.append((aspect_output(output, shape, len(aspects) > 1), framed))
    return films


def _make_one(
    story: Path, output: Path, config: MakeConfig, where: Project, executor: Executor | None = None
) -> Film:
    from storyreel.make import make_film

    try:
        with _ProgressView() as view:
            return make_film(
                story, output, config, project=where, progress=view.update, executor=executor
            )
    except KeyboardInterrupt:
        err_console.print("interrupted: nothing was written at the output path", highlight=False)
        raise typer.Exit(130) from None


def _report(
    film: Film,
    config: MakeConfig,
    story: Path,
    storyboard: Path | None,
    where: Project,
    beds: tuple[Path | None, Path | None],
    record: bool,
) -> None:
    """Print what a finished make made; with `record`, note it for the launcher."""
    from storyreel.store.db import DB_FILE, URL_ENV

    for warning in film.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    renders = film.renders
    reuse = (
        f"{len(renders.rendered)} rendered, {len(renders.cached)} cached, "
        f"{len(renders.pinned)} pinned; "
        if renders
        else ""
    )
    summary = (
        f"{film.path} — {len(film.storyboard.shots)} shots, {film.duration:.1f} s "
        f"({reuse}subtitles: {', '.join(p.name for p in film.subtitle_files)})"
    )
    out_console.print(summary, highlight=False)
    if record and uptodate.command is not None and config.planner == "rules" and not film.warnings:
        # What the launcher needs to answer this same command at once next time. Not
        # with a planner over the network (it may answer differently), nor a store
        # elsewhere (its changes cannot be seen from here), nor after warnings.
        inputs = _inputs(story, storyboard, where, beds)
        inputs += [where.state_dir / DB_FILE, where.state_dir / f"{DB_FILE}-wal"]
        if not os.environ.get(URL_ENV):
            summary = f"{film.path} — {len(film.storyboard.shots)} shots, {film.duration:.1f} s"
            uptodate.record(uptodate.command, inputs, [film.path, *film.subtitle_files], summary)


def _inputs(
    story: Path, storyboard: Path | None, where: Project, beds: tuple[Path | None, Path | None]
) -> list[Path]:
    """The files a make reads that the user edits: the story, the storyboard file, the
    cast folder and the sound beds given."""
    return [story, storyboard or where.storyboard_path, where.cast_dir, *filter(None, beds)]


def _make_watching(
    story: Path,
    storyboard: Path | None,
    films: list[tuple[Path, MakeConfig]],
    where: Project,
    beds: tuple[Path | None, Path | None],
) -> None:
    """`make --watch`: the films made, then made again each time an input changes, in
    this process, until Ctrl-C. A make that fails says why and the watch goes on; the
    films on disk stay the last ones made (a make writes its film only when done)."""
    import time

    from storyreel.make import warm_up
    from storyreel.run.executors import executor_for
    from storyreel.run.watch import InputWatch

    inputs = _inputs(story, storyboard, where, beds)
    watch = InputWatch(inputs, made_here=[where.cast_dir])
    config = films[0][1]
    # One set of render workers for every make, started before a make takes the
    # project's lock (see LocalExecutor); a Ray session likewise.
    runner = executor_for(
        config.executor,
        workers=config.workers,
        ray_address=config.ray_address,
        keep_workers=True,
    )
    listed = ", ".join(str(p) for p in inputs)
    try:
        while True:
            watch.before_make()
            started = time.perf_counter()
            try:
                for path, framed in films:
                    film = _make_one(story, path, framed, where, runner)
                    _report(film, framed, story, storyboard, where, beds, record=False)
                err_console.print(f"made in {time.perf_counter() - started:.1f} s", highlight=False)
                warm_up(config, film)  # while the creator reads the film, not after the edit
            except StoryreelError as error:
                err_console.print(f"[red]error:[/] {escape(str(error))}", highlight=False)
                err_console.print(
                    "the film is left as the last make wrote it; save a fix to make it again",
                    highlight=False,
                )
            watch.after_make()
            err_console.print(f"watching {escape(listed)} (Ctrl-C stops)", highlight=False)
            watch.wait()
    except KeyboardInterrupt:
        err_console.print("stopped watching", highlight=False)
    finally:
        close = getattr(runner, "close", None)
        if close is not None:
            close()


PlannerOpt = Annotated[
    str, typer.Option(help="Who directs: rules (embedded) or llm (--llm-url, --llm-model).")
]
LlmUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--llm-url",
        help="OpenAI-compatible API for --planner llm, e.g. http://localhost:11434/v1 "
        "(key from STORYREEL_LLM_API_KEY or OPENAI_API_KEY).",
    ),
]
LlmModelOpt = Annotated[str | None, typer.Option("--llm-model", help="Model for --planner llm.")]


def _exporters(stems: Path | None) -> dict[str, object]:
    """The make's exporters when the command line adds one (`--stems DIR`), else none
    given: the config's defaults."""
    if stems is None:
        return {}
    from storyreel.config import MakeConfig

    defaults = MakeConfig.model_fields["exporters"].default
    return {"exporters": {**defaults, "stems": {"folder": str(stems)}}}


def _planner_options(planner: str, url: str | None, model: str | None) -> dict[str, object]:
    """The planner's options from the command line, checked now (an unknown planner or
    a bad option fails before anything is read)."""
    if planner == "llm" and (not url or not model):
        raise typer.BadParameter("--planner llm needs --llm-url and --llm-model")
    from storyreel.direct import load_planner

    options: dict[str, object] = {k: v for k, v in {"url": url, "model": model}.items() if v}
    load_planner(planner, options)
    return options


def _config(**fields: object) -> MakeConfig:
    """The make's config from the command line; a value out of range is a usage error
    naming the option. An option not given is left to the config's default."""
    from pydantic import ValidationError

    from storyreel.config import MakeConfig

    fields = {k: v for k, v in fields.items() if v is not None}
    try:
        return MakeConfig.model_validate(fields)
    except ValidationError as error:
        problem = error.errors()[0]
        option = "-".join(str(p) for p in problem["loc"]).replace("_", "-")
        where = f"--{option}: " if option else ""
        raise typer.BadParameter(f"{where}{problem['msg']}") from None


# One parameter per command-line option, as for `make`.
@app.command()
def board(
    story: StoryArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Storyboard to write (default: the project's storyboard.yaml)."
        ),
    ] = None,
    sheet: Annotated[
        Path | None, typer.Option(help="Also draw a contact sheet of the shots (.png or .pdf).")
    ] = None,
    planner: PlannerOpt = "rules",
    llm_url: LlmUrlOpt = None,
    llm_model: LlmModelOpt = None,
    engine: Annotated[str, typer.Option(help="Engine the shots are planned for.")] = "previs",
    size: Annotated[str, typer.Option(help="Frame size, WIDTHxHEIGHT.")] = "1280x720",
    fps: Annotated[int, typer.Option(min=1, max=120, help="Frames per second.")] = 24,
    project: ProjectOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the planned storyboard as JSON instead.")
    ] = False,
) -> None:
    """Plan STORY into an editable storyboard file and print its shot list.

    The file is yours: edit sizes, moves, durations and prompts, delete or add shots;
    `storyreel make` films it. Run `board` again after changing the story: shots are
    re-planned and every field you changed is kept."""
    from storyreel.cast import Cast
    from storyreel.cast.library import script_people
    from storyreel.direct import PlanSettings, plan_board
    from storyreel.direct.board_file import write_document
    from storyreel.errors import OutputError
    from storyreel.project import Project
    from storyreel.render.engine import engine_class
    from storyreel.render.previs.sheet import check_sheet, write_sheet
    from storyreel.script import read_story
    from storyreel.store.versions import last_filmed

    width, height = _size(size)
    planner_options = _planner_options(planner, llm_url, llm_model)
    if output is not None and output.suffix.lower() not in (".yaml", ".yml"):
        raise OutputError(
            f"{output}: the storyboard is a YAML file; give -o a name ending in .yaml"
        )
    if sheet is not None:
        check_sheet(sheet)
    script = read_story(story)
    where = Project.at(project, story)
    path = output or where.storyboard_path
    cast = Cast(where.cast_dir)
    cast.add_script_characters(script)  # as `make` does: the cast grows
    warnings: list[str] = []
    document = plan_board(
        story,
        script,
        path,
        cast=cast.descriptions(script_people(script)),
        settings=PlanSettings(
            planner=planner,
            planner_options=planner_options,
            width=width,
            height=height,
            fps=fps,
            max_duration=engine_class(engine).capabilities.max_duration,
        ),
        previous=last_filmed(where),
        warnings=warnings,
    )
    if output is None:
        where.root.mkdir(exist_ok=True)  # a story's own project is made on first write
    write_document(path, document)
    if sheet is not None:
        write_sheet(document.board, sheet)
    for warning in warnings:
        err_console.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    if as_json:
        # The whole storyboard, world included, for a script to read (nothing else on
        # stdout: the file's path is on stderr).
        sys.stdout.write(document.board.model_dump_json(indent=2) + "\n")
        err_console.print(f"storyboard: {path}", highlight=False, soft_wrap=True)
        return
    out_console.print(shot_table(document.board))
    written = f"storyboard: {path}" + (f"; contact sheet: {sheet}" if sheet else "")
    out_console.print(written, highlight=False, soft_wrap=True)


def _engine_options(pairs: list[str]) -> dict[str, object]:
    """`-O key=value` pairs as options; values are YAML scalars (true, 3, 0.5, text)."""
    import yaml

    options: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="-O")
        options[key.strip().replace("-", "_")] = yaml.safe_load(value) if value else ""
    return options


@app.command()
def engines() -> None:
    """List the installed video engines and what they can do."""
    from rich.table import Table

    from storyreel.render.engine import available_engines

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
    from rich.table import Table

    from storyreel.model import Angle

    title = f"{board.title or 'Untitled'} — {len(board.shots)} shots, {board.duration:.1f} s"
    table = Table("#", "scene", "size", "move", "sec", "subjects", "action / lines", title=title)
    for shot in board.shots:
        move = shot.move.en
        if shot.direction:
            move += f" {shot.direction}"
        if shot.angle != Angle.eye_level:
            move += f", {shot.angle.en} {shot.angle.zh}"
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
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

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
        err_console.print(f"[red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        sys.exit(error.exit_code)


if __name__ == "__main__":
    main()
