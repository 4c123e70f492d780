"""`storyreel cast ...`: the cast library from the command line (a typer sub-app)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, get_args

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from storyreel.cast.library import Cast, Entry
    from storyreel.cast.subject import SubjectKind

cast_app = typer.Typer(
    help="The cast library: characters, props and locations with reference images, "
    "identity and voice, kept in the project's cast/ folder.",
    no_args_is_help=True,
)
out = Console()

ProjectOpt = Annotated[
    Path | None,
    typer.Option(
        "--project",
        help="Project folder (default: the project in the current folder, such as the "
        "one story project STEM.storyreel there).",
    ),
]
NameArg = Annotated[str, typer.Argument(help="The subject's name, as the script writes it.")]
# The subject kinds, spelled out for the help text: reading them from
# `storyreel.cast.subject.SubjectKind` would load the cast library for every `--help`
# (a test keeps the two the same).
KINDS: tuple[str, ...] = ("character", "prop", "location")


def _cast(project: Path | None) -> Cast:
    from storyreel.cast.library import Cast
    from storyreel.project import Project

    return Cast(Project.at(project).cast_dir)


def _kind(value: str) -> SubjectKind:
    from storyreel.cast.subject import SubjectKind

    lowered = value.strip().lower()
    for kind in get_args(SubjectKind):
        if kind == lowered:
            return kind  # type: ignore[no-any-return]
    raise typer.BadParameter(f"expected one of {', '.join(KINDS)}, got {value!r}")


@cast_app.command()
def add(
    name: NameArg,
    image: Annotated[
        list[Path] | None,
        typer.Option("--image", help="A reference image (repeat for more; best first)."),
    ] = None,
    description: Annotated[
        str, typer.Option(help='What they look like: "20s, red raincoat, short black hair".')
    ] = "",
    kind: Annotated[str, typer.Option(help=f"One of: {', '.join(KINDS)}.")] = "character",
    from_video: Annotated[
        Path | None,
        typer.Option(
            "--from-video",
            help="A 3–8 s clip of the person speaking: a digital actor with face and voice.",
        ),
    ] = None,
    face_index: Annotated[
        int | None,
        typer.Option(min=0, help="With --from-video: which face, 0 the leftmost."),
    ] = None,
    trim: Annotated[
        str | None,
        typer.Option(help="With --from-video: the part to use, START:END in seconds."),
    ] = None,
    project: ProjectOpt = None,
) -> None:
    """Add NAME to the cast from reference images or from a video clip."""
    from storyreel.cast.clip import parse_trim
    from storyreel.cast.errors import CastError

    chosen = _kind(kind)
    cast = _cast(project)
    if from_video is not None:
        if image:
            raise CastError("give either --image or --from-video, not both")
        if chosen != "character":
            raise CastError("--from-video makes a digital actor, which is a character")
        entry = cast.add_actor(
            name,
            from_video,
            face_index=face_index,
            trim=parse_trim(trim) if trim else None,
            description=description,
        )
    else:
        if face_index is not None or trim is not None:
            raise CastError("--face-index and --trim go with --from-video")
        entry = cast.add(name, images=image or [], description=description, kind=chosen)
    out.print(f"added {_summary(entry)}", highlight=False)


@cast_app.command("list")
def list_(project: ProjectOpt = None) -> None:
    """List the cast."""
    entries = _cast(project).entries()
    if not entries:
        out.print("the cast is empty; add someone with `storyreel cast add NAME`")
        return
    table = Table("name", "kind", "images", "voice", "identity", "from", "description")
    for e in entries:
        s = e.subject
        voice = f"{s.voice.variant} p{s.voice.pitch}" if s.voice else "—"
        table.add_row(
            s.name,
            s.kind,
            str(len(s.images)),
            voice,
            "yes" if s.embedding else "—",
            s.origin,
            s.description if len(s.description) <= 50 else s.description[:49] + "…",
        )
    out.print(table)


@cast_app.command()
def show(name: NameArg, project: ProjectOpt = None) -> None:
    """Show everything the cast holds about NAME."""
    entry = _cast(project).get(name)
    s = entry.subject
    rows = [
        ("name", s.name),
        ("kind", s.kind),
        ("folder", str(entry.folder)),
        ("from", s.origin),
        ("description", s.description or "—"),
        ("images", "\n".join(str(entry.path(i)) for i in s.images) or "—"),
        ("cut-out", str(entry.path(s.cutout)) if s.cutout else "—"),
        ("identity", "128-number face embedding" if s.embedding else "—"),
    ]
    if s.voice:
        v = s.voice
        rows.append(
            ("voice", f"{v.variant} ({v.gender}), pitch {v.pitch}, range {v.range}, rate {v.rate}")
        )
    if s.voice_sample:
        rows.append(("voice sample", str(entry.path(s.voice_sample))))
    if s.palette:
        colours = s.palette.model_dump(exclude_none=True)
        rows.append(("palette", ", ".join(f"{k} {_hex(v)}" for k, v in colours.items())))
    table = Table(show_header=False)
    for key, value in rows:
        table.add_row(key, value)
    out.print(table)


@cast_app.command()
def rm(name: NameArg, project: ProjectOpt = None) -> None:
    """Remove NAME and their files from the cast."""
    entry = _cast(project).remove(name)
    out.print(f"removed {entry.name} ({entry.folder})", highlight=False)


@cast_app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="Another project, or its cast/ folder.")],
    name: NameArg,
    project: ProjectOpt = None,
) -> None:
    """Copy NAME from another project's cast into this one."""
    entry = _cast(project).import_from(source, name)
    out.print(f"imported {_summary(entry)}", highlight=False)


def _summary(entry: Entry) -> str:
    s = entry.subject
    parts = [f"{len(s.images)} reference image{'s' if len(s.images) != 1 else ''}"]
    if s.embedding:
        parts.append("identity embedding")
    if s.voice:
        parts.append(f"voice {s.voice.variant} pitch {s.voice.pitch} rate {s.voice.rate}")
    if s.cutout:
        parts.append("cut-out")
    return f"{s.name} ({s.kind}) to {entry.folder}: {', '.join(parts)}"


def _hex(rgb: list[int]) -> str:
    r, g, b = rgb
    return f"#{r:02x}{g:02x}{b:02x}"
