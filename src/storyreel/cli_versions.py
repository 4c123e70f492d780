"""`storyreel log | diff | checkout | take list/show/pin/unpin | prune`: versions and takes.

Mounted on the main command with `register(app)`; also a Typer app of its own (`app`).
Errors are `StoryreelError`s, which the main command prints as one line (exit code 2).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from storyreel.project import Project
    from storyreel.store.db import Store
    from storyreel.store.records import ScoreRecord
    from storyreel.store.versions import BoardDiff, TakeListing


console = Console()

ProjectOpt = Annotated[
    Path | None,
    typer.Option(
        "--project",
        help="Project folder (default: the story's, STEM.storyreel beside it; without a "
        "story, the project in the current folder).",
    ),
]
StoryArg = Annotated[
    Path | None,
    typer.Argument(
        metavar="STORY",
        help="The story whose project to use (default: see --project).",
        show_default=False,
    ),
]


@contextmanager
def _store(project: Path | None, story: Path | None) -> Iterator[tuple[Project, Store]]:
    """The project's store, as every command finds the project (`Project.resolve`).
    A project no make has recorded anything in is not given a store here."""
    from storyreel.store.db import has_store, open_store
    from storyreel.store.versions import NoVersions

    folder = _project(project, story)
    if not has_store(folder):
        raise NoVersions(f"no versions yet in {folder.root}: a make records one")
    with open_store(folder) as store:
        yield folder, store


def _project(project: Path | None, story: Path | None) -> Project:
    from storyreel.project import Project
    from storyreel.store.versions import VersionError

    if story is not None and not story.is_file():
        # A mistyped name would otherwise read as a story with no versions yet.
        raise VersionError(f"{story}: no such story file; check the path")
    return Project.resolve(project, story, create=False)


def _story_and(words: list[str], names: tuple[str, ...]) -> tuple[Path | None, list[str]]:
    """`[STORY] A B`: the story when one more word than `names` was given, and the rest.
    Typer cannot put an optional argument before required ones, so the words are
    counted here; the old form without a story keeps working."""
    if len(words) == len(names) + 1:
        return Path(words[0]), words[1:]
    if len(words) == len(names):
        return None, words
    raise typer.BadParameter(f"expected [STORY] {' '.join(names)}, got {' '.join(words)!r}")


def _number(word: str, name: str) -> int:
    try:
        return int(word)
    except ValueError:
        raise typer.BadParameter(f"{name} is a version number, got {word!r}") from None


def log_command(story: StoryArg = None, project: ProjectOpt = None) -> None:
    """List the recorded versions, newest first."""
    from storyreel.model import Storyboard
    from storyreel.store.versions import NoVersions, log

    try:
        with _store(project, story) as (_, store):
            versions = log(store)
    except NoVersions:
        versions = []
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
    words: Annotated[
        list[str],
        typer.Argument(metavar="[STORY] V1 V2", help="The story, the earlier and later version."),
    ],
    project: ProjectOpt = None,
) -> None:
    """Show what changed between two versions, shot by shot and field by field."""
    from storyreel.store.versions import diff

    story, (first, second) = _story_and(words, ("V1", "V2"))
    v1, v2 = _number(first, "V1"), _number(second, "V2")
    with _store(project, story) as (_, store):
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
    words: Annotated[
        list[str],
        typer.Argument(metavar="[STORY] V", help="The story, the version to restore."),
    ],
    project: ProjectOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite a storyboard.yaml edited since a make.")
    ] = False,
) -> None:
    """Write version V's storyboard to the project's storyboard.yaml."""
    from storyreel.direct.board_file import put_board
    from storyreel.store.versions import VersionError, checkout, unrecorded_changes

    story, (word,) = _story_and(words, ("V",))
    version = _number(word, "V")
    with _store(project, story) as (folder, store):
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


take_app = typer.Typer(
    help="The takes of a shot: list them, show one, pin one, unpin.", no_args_is_help=True
)


@take_app.command("list")
def take_list_command(
    words: Annotated[list[str], typer.Argument(metavar="[STORY] SHOT", help="The shot's id.")],
    project: ProjectOpt = None,
) -> None:
    """List the takes of SHOT, oldest first; the pinned one is marked."""
    from storyreel.store.versions import take_list

    story, (shot,) = _story_and(words, ("SHOT",))
    with _store(project, story) as (_, store):
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


@take_app.command("show")
def take_show_command(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="[STORY] SHOT [TAKE]",
            help="The shot's id and a take's key (or its first characters); without a "
            "take, the pinned one, else the one the newest version used, else the newest.",
        ),
    ],
    project: ProjectOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
) -> None:
    """Show one take of SHOT: its key, engine, seed, frames, size, when it was made, and
    what it drew on its middle frame (each element's kind, name and box)."""
    from storyreel.store.versions import take_list

    story, shot, key = _shot_and_take(words)
    with _store(project, story) as (folder, store):
        listing = _chosen_take(take_list(store, shot), shot, key, store)
        path = folder.state_dir / listing.take.path
        scores = store.scores([listing.take.key])[listing.take.key]
    shown = _take_view(listing, path)
    shown["checks"] = [s.model_dump(mode="json", exclude={"checked_at"}) for s in scores]
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    t = listing.take
    console.print(f"shot {t.shot_id} · take {t.key}", highlight=False)
    for label in ("engine", "seed", "frames", "fps", "size", "bytes", "created", "pinned"):
        console.print(f"  {label:8} {shown[label]}", highlight=False)
    console.print(f"  {'versions':8} {', '.join(map(str, listing.versions)) or '-'}")
    _print_checks(scores)
    drawn = shown["drawn"]
    if drawn is None:
        console.print("  drawn    (not recorded by this take's engine)")
        return
    table = Table("kind", "name", "x0", "y0", "x1", "y1", title=f"drawn on frame {drawn['frame']}")
    for element in drawn["elements"]:
        name = element["name"] + (f" (held by {element['holder']})" if element["holder"] else "")
        table.add_row(element["kind"], name, *(f"{v:.3f}" for v in element["box"]))
    console.print(table)


def _print_checks(scores: list[ScoreRecord]) -> None:
    if not scores:
        console.print("  checks   (not judged: a make runs the checks on the takes it renders)")
        return
    table = Table("check", "score", "verdict", "notes", title="checks")
    for s in scores:
        verdict = "pass" if s.passed else "FAIL"
        verdict = verdict if s.applicable else "n/a"
        notes = "; ".join(s.result.get("notes", []))
        table.add_row(s.check, f"{s.score:.3f}", verdict, notes)
    console.print(table)


def _shot_and_take(words: list[str]) -> tuple[Path | None, str, str | None]:
    """`[STORY] SHOT [TAKE]`: two words are a story and a shot when the first is a file,
    else a shot and a take."""
    if len(words) == 3:
        return Path(words[0]), words[1], words[2]
    if len(words) == 2:
        if Path(words[0]).is_file():
            return Path(words[0]), words[1], None
        return None, words[0], words[1]
    if len(words) == 1:
        return None, words[0], None
    raise typer.BadParameter(f"expected [STORY] SHOT [TAKE], got {' '.join(words)!r}")


def _chosen_take(
    listings: list[TakeListing], shot: str, key: str | None, store: Store
) -> TakeListing:
    from storyreel.store.versions import UnknownTake, find_take

    if key is not None:
        wanted = find_take(store, shot, key).key
        return next(item for item in listings if item.take.key == wanted)
    if not listings:
        raise UnknownTake(f"shot {shot} has no takes yet: a make renders them")
    pinned = [item for item in listings if item.pinned]
    used = [item for item in listings if item.versions]
    if pinned:
        return pinned[0]
    if used:
        return max(used, key=lambda item: max(item.versions))
    return listings[-1]  # oldest first: the newest


def _take_view(listing: TakeListing, path: Path) -> dict[str, Any]:
    from storyreel.render.drawn import read_drawn

    t = listing.take
    drawn = read_drawn(path) if path.is_file() else None
    return {
        "shot": t.shot_id,
        "key": t.key,
        "engine": t.engine,
        "seed": t.seed,
        "frames": t.frames,
        "fps": t.fps,
        "size": f"{t.width}x{t.height}",
        "bytes": t.size,
        "created": t.created_at.isoformat() if t.created_at else None,
        "pinned": listing.pinned,
        "versions": listing.versions,
        "path": str(path),
        "drawn": drawn.model_dump(mode="json") if drawn is not None else None,
    }


@take_app.command("pin")
def take_pin_command(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="[STORY] SHOT TAKE",
            help="The shot's id and the take's key (or its first characters).",
        ),
    ],
    project: ProjectOpt = None,
) -> None:
    """Keep TAKE for SHOT in every later make, until `take unpin`."""
    from storyreel.store.versions import take_pin

    story, (shot, take) = _story_and(words, ("SHOT", "TAKE"))
    with _store(project, story) as (_, store):
        pinned = take_pin(store, shot, take)
    console.print(f"shot {shot}: take {pinned.key[:12]} pinned")


@take_app.command("unpin")
def take_unpin_command(
    words: Annotated[list[str], typer.Argument(metavar="[STORY] SHOT", help="The shot's id.")],
    project: ProjectOpt = None,
) -> None:
    """Let the next make choose SHOT's take again."""
    from storyreel.store.versions import take_unpin

    story, (shot,) = _story_and(words, ("SHOT",))
    with _store(project, story) as (_, store):
        take_unpin(store, shot)
    console.print(f"shot {shot}: unpinned")


def prune_command(
    story: StoryArg = None,
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
    from storyreel.run.cache import TakeCache
    from storyreel.run.lock import project_lock
    from storyreel.store.db import has_store, open_store
    from storyreel.store.versions import unused_takes

    folder = _project(project, story)
    if not has_store(folder):
        console.print(f"nothing to prune: no versions yet in {folder.root}")
        return
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
