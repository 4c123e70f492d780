"""`storyreel qa` and `storyreel arena`: what the checks found in a project's takes
(or in any video), and the leaderboard the arena's blind votes give.

    storyreel qa the_kettle.fountain --report report.html
    storyreel qa take.mp4 --json
    storyreel arena the_kettle.fountain --by engine
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from storyreel.qa.report import TakeReport
    from storyreel.run.quality import ArenaBy

console = Console()
VIDEO_SUFFIXES = {".mp4", ".mov", ".mkv", ".webm", ".m4v"}
# Checks a lone video is judged by when none are named: those that need no request.
FILE_CHECKS = ("conformance", "temporal", "flicker")


def qa_command(
    target: Annotated[
        Path,
        typer.Argument(
            metavar="PROJECT_OR_VIDEO",
            help="A story, a project folder, or a video file to judge on its own.",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write an HTML report with the plots (one file).")
    ] = None,
    check: Annotated[
        list[str] | None,
        typer.Option(
            help="For a video: the checks to run (repeatable; default: "
            + ", ".join(FILE_CHECKS)
            + ")."
        ),
    ] = None,
) -> None:
    """The scores of every take, shot by shot: each check's verdict, notes and, in the
    report, its plots (per-frame difference, identity similarity, lip-sync correlation).
    A project's takes show what the make's checks found; a video is judged now. Exits 1
    when a take in the film (or the video) fails a check."""
    from storyreel.qa.report import report_data, write_report

    if not target.exists():
        raise typer.BadParameter(f"{target}: no such story, project folder or video")
    if target.is_file() and target.suffix.lower() in VIDEO_SUFFIXES:
        from storyreel.qa import load_check
        from storyreel.qa.report import judge_file

        checks = [load_check(name) for name in (check or FILE_CHECKS)]
        takes = [judge_file(target, checks)]
        title = target.name
    else:
        from storyreel.project import Project
        from storyreel.run.quality import project_quality
        from storyreel.store.db import has_store, open_store

        folder = Project.resolve(
            target if target.is_dir() else None, target if target.is_file() else None, create=False
        )
        if not has_store(folder):
            raise typer.BadParameter(
                f"{target}: no takes yet in {folder.root}; a make renders them"
            )
        with open_store(folder) as store:
            takes = project_quality(store)
        title = folder.root.name
    data = report_data(title, takes)
    if report is not None:
        write_report(report, title, takes)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print(takes)
        if report is not None:
            console.print(f"report: {report}", highlight=False)
    if data["failing_shots"]:
        raise typer.Exit(1)


def _print(takes: list[TakeReport]) -> None:
    table = Table("shot", "take", "engine", "seed", "film", "score", "failed checks")
    for take in takes:
        score = "-" if take.score is None else f"{take.score:.3f}"
        failed = "; ".join(f"{r.check}: {', '.join(r.notes)}" for r in take.results if not r.passed)
        table.add_row(
            take.shot,
            take.key[:12],
            take.engine,
            str(take.seed),
            "●" if take.in_film else "",
            score,
            failed if take.judged else "(not judged)",
        )
    console.print(table)


def arena_command(
    story: Annotated[
        Path | None,
        typer.Argument(metavar="STORY", help="The story whose project to use.", show_default=False),
    ] = None,
    project: Annotated[Path | None, typer.Option("--project", help="Project folder.")] = None,
    by: Annotated[
        str, typer.Option(help="Rank engines, seeds or single takes: engine, seed or take.")
    ] = "engine",
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
) -> None:
    """The arena's leaderboard: a Bradley–Terry fit of the blind votes (the studio's
    Arena page), on an Elo-like scale with 95 % intervals and vote counts."""
    from storyreel.project import Project
    from storyreel.qa.arena import leaderboard
    from storyreel.run.quality import arena_duels
    from storyreel.store.db import has_store, open_store

    if by not in ("engine", "seed", "take"):
        raise typer.BadParameter(f"--by: one of engine, seed, take; got {by!r}")
    folder = Project.resolve(project, story, create=False)
    if not has_store(folder):
        raise typer.BadParameter(f"no takes yet in {folder.root}; a make renders them")
    with open_store(folder) as store:
        duels = arena_duels(store, cast("ArenaBy", by))
    table = leaderboard(duels)
    if as_json:
        rows = [
            {
                "player": s.player,
                "rating": round(s.rating, 1),
                "low": round(s.low, 1),
                "high": round(s.high, 1),
                "votes": s.votes,
                "wins": s.wins,
            }
            for s in table
        ]
        typer.echo(json.dumps({"by": by, "votes": len(duels), "leaderboard": rows}, indent=2))
        return
    if not table:
        console.print("no votes yet: vote in the studio's Arena page (storyreel serve)")
        return
    view = Table("rank", by, "rating", "95% interval", "votes", "wins", title=f"{len(duels)} votes")
    for rank, s in enumerate(table, 1):
        view.add_row(
            str(rank), s.player, f"{s.rating:.0f}", s.interval, str(s.votes), f"{s.wins:g}"
        )
    console.print(view)


def register(parent: typer.Typer) -> None:
    """Add qa and arena to the `storyreel` command."""
    parent.command("qa")(qa_command)
    parent.command("arena")(arena_command)
