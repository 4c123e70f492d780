"""`storyreel verify FILE` (a film's provenance and AI labels) and `storyreel export
PROJECT --format otio|edl|fcp7xml` (its timeline for an editor).

Mounted on the main command with `register(app)`. Exit status of `verify`: 0 the
manifest validates, 1 the file was altered after signing, 2 it has no manifest.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def verify_command(
    file: Annotated[Path, typer.Argument(help="A film (.mp4) storyreel or anyone signed.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check FILE's C2PA manifest and GB 45438 AI labels; print what made it, shot by
    shot. Exit 0 valid, 1 altered after signing, 2 no manifest."""
    from storyreel.deliver.verify import verify

    found = verify(file)
    if as_json:
        print(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
    else:
        for line in found.lines():
            console.print(line, highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(found.exit_code)


class TimelineFormat(StrEnum):
    otio = "otio"
    edl = "edl"
    fcp7xml = "fcp7xml"


def export_command(
    project: Annotated[Path, typer.Argument(help="The project folder (STEM.storyreel).")],
    fmt: Annotated[
        TimelineFormat,
        typer.Option(
            "--format",
            help="otio (Resolve, Kdenlive), edl (CMX 3600) or fcp7xml (Premiere, FCP7 XML).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="The timeline file (default: beside the film)."),
    ] = None,
    collect: Annotated[
        Path | None,
        typer.Option(help="Copy the takes, stems and film into DIR/media; timeline in DIR."),
    ] = None,
) -> None:
    """Write the project's latest film as an editor's timeline: a clip per shot
    pointing at its take, audio tracks, markers for scenes and lines."""
    from storyreel.exports import export_timeline
    from storyreel.project import Project

    where = Project.resolve(project, None, create=False)
    written = export_timeline(where, fmt.value, output, collect)
    console.print(f"{written[0]} ({len(written) - 1} media files collected)", highlight=False)


def register(parent: typer.Typer) -> None:
    """Add verify and export to the `storyreel` command."""
    parent.command("verify")(verify_command)
    parent.command("export")(export_command)
