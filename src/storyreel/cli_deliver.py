"""`storyreel verify FILE`: a film's provenance and AI labels.

Mounted on the main command with `register(app)`. Exit status of `verify`: 0 the
manifest validates, 1 the file was altered after signing, 2 it has no manifest.
"""

from __future__ import annotations

import json
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


def register(parent: typer.Typer) -> None:
    """Add verify to the `storyreel` command."""
    parent.command("verify")(verify_command)
