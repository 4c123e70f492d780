"""`storyreel log | diff | checkout | take list/pin/unpin | prune`: versions and takes.

Mounted on the main command with `register(app)`; also a Typer app of its own (`app`).
Errors are `StoryreelError`s, which the main command prints as one line (exit code 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from storyreel.direct.board_file import put_board
from storyreel.model import Storyboard
from storyreel.project import Project
from storyreel.run.cache import TakeCache
from storyreel.run.lock import project_lock
from storyreel.store.db import Store, open_store
from storyreel.store.versions import (
    BoardDiff,
    checkout,
    diff,
    log,
    take_list,
    take_pin,
    take_unpin,
    unrecorded_changes,
    unused_takes,
)
from storyreel.store.versions import VersionError as VersionError

console = Console()

ProjectOpt = Annotated[
    Path | None, typer.Option("--project", help="Project folder (default: the current folder).")
]
ShotArg = Annotated[str, typer.Argument(help="Shot id, as in the storyboard.")]


@contextmanager
def _store(project: Path | None) -> Iterator[tuple[Project, Store]]:
    folder = Project.at(project)
    with open_store(folder) as store:
        yield folder, store


def log_command(project: ProjectOpt = None) -> None:
    """List the recorded versions, newest first."""
    with _store(project) as (_, store):
        versions = log(store)
    if not versions:
        console.print("no versions yet: a make records one")
        return
    table = Table("version", "made", "shots", "seconds", "film", "message")
    for v in versions:
        board = Storyboard.model_validate(v.storyboard)
        table.add_row(
            str(v.number),
            v.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            str(len(board.shots)),
            f"{board.duration:.1f}",
            Path(str(v.outputs.get("film", ""))).name,
            v.message,
        )
    console.print(table)


def diff_command(
    v1: Annotated[int, typer.Argument(help="The earlier version.")],
    v2: Annotated[int, typer.Argument(help="The later version.")],
    project: ProjectOpt = None,
) -> None:
    """Show what changed between two versions, shot by shot and field by field."""
    with _store(project) as (_, store):
        changes = diff(store, v1, v2)
    console.print(diff_table(changes, v1, v2) if not changes.empty else "no differences")


def diff_table(changes: BoardDiff, v1: int, v2: int) -> Table:
    table = Table("shot", "change", title=f"version {v1} → {v2}")
    for change in changes.board:
        table.add_row("(film)", change.describe())
    for shot_id in changes.added:
        table.add_row(shot_id, "[green]added[/]")
    for shot_id in changes.removed:
        table.add_row(shot_id, "[red]removed[/]")
    for shot_id in changes.moved:
        table.add_row(shot_id, "moved")
    for shot in changes.changed:
        table.add_row(shot.shot_id, "\n".join(c.describe() for c in shot.changes))
    return table


def checkout_command(
    version: Annotated[int, typer.Argument(help="The version whose storyboard to restore.")],
    project: ProjectOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite a storyboard.yaml edited since a make.")
    ] = False,
) -> None:
    """Write version V's storyboard to the project's storyboard.yaml."""
    with _store(project) as (folder, store):
        board = checkout(store, version)
        target = folder.storyboard_path
        unrecorded = unrecorded_changes(store, target)
    if unrecorded and not force:
        raise VersionError(
            f"{target} has changes no make recorded; make it first, or pass --force to "
            "overwrite them"
        )
    put_board(target, board)
    console.print(f"{target} is now version {version}'s storyboard ({len(board.shots)} shots)")


take_app = typer.Typer(help="The takes of a shot: list them, pin one, unpin.", no_args_is_help=True)


@take_app.command("list")
def take_list_command(shot: ShotArg, project: ProjectOpt = None) -> None:
    """List the takes of SHOT, oldest first; the pinned one is marked."""
    with _store(project) as (_, store):
        listings = take_list(store, shot)
    if not listings:
        console.print(f"shot {shot} has no takes yet")
        return
    table = Table("take", "pinned", "engine", "frames", "seed", "made", "versions")
    for item in listings:
        t = item.take
        table.add_row(
            t.key[:12],
            "yes" if item.pinned else "",
            t.engine,
            str(t.frames),
            str(t.seed),
            t.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if t.created_at else "",
            ", ".join(str(n) for n in item.versions),
        )
    console.print(table)


@take_app.command("pin")
def take_pin_command(
    shot: ShotArg,
    take: Annotated[str, typer.Argument(help="The take's key, or its first characters.")],
    project: ProjectOpt = None,
) -> None:
    """Keep TAKE for SHOT in every later make, until `take unpin`."""
    with _store(project) as (_, store):
        pinned = take_pin(store, shot, take)
    console.print(f"shot {shot}: take {pinned.key[:12]} pinned")


@take_app.command("unpin")
def take_unpin_command(shot: ShotArg, project: ProjectOpt = None) -> None:
    """Let the next make choose SHOT's take again."""
    with _store(project) as (_, store):
        take_unpin(store, shot)
    console.print(f"shot {shot}: unpinned")


def prune_command(
    project: ProjectOpt = None,
    keep_versions: Annotated[
        int | None,
        typer.Option(
            "--keep-versions",
            min=0,
            help="Keep the takes of only the newest N versions (default: of every version).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be deleted; delete nothing.")
    ] = False,
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for a make of the project to finish.")
    ] = 0.0,
) -> None:
    """Delete the takes no version or pinned shot uses, and what killed makes left.

    Takes made since the newest version are kept: the next make wants them. A take of a
    version older than --keep-versions is made again if that version is checked out."""
    folder = Project.at(project)
    with project_lock(folder, timeout=wait), open_store(folder) as store:
        doomed = unused_takes(store, keep_versions)
        pruned = TakeCache(folder, store).prune(doomed, dry_run=dry_run)
    what = "would free" if dry_run else "freed"
    console.print(
        f"{what} {pruned.bytes / 2**20:.1f} MiB: {pruned.takes} unused takes, "
        f"{pruned.strays} leftover files"
    )


def register(parent: typer.Typer) -> None:
    """Add log, diff, checkout, take and prune to the `storyreel` command."""
    parent.command("log")(log_command)
    parent.command("diff")(diff_command)
    parent.command("checkout")(checkout_command)
    parent.add_typer(take_app, name="take")
    parent.command("prune")(prune_command)


app = typer.Typer(
    help="Versions and takes of a storyreel project.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
register(app)
