"""A project's latest film, delivered again: `storyreel export PROJECT --format ...`.

The make's after-cut hook delivers a film as it is cut; this delivers one already made,
from what the project's latest version recorded (its storyboard, timeline, takes and
film) without making anything.
"""

from __future__ import annotations

from pathlib import Path

from storyreel.deliver import ExportRequest
from storyreel.deliver.interchange import FORMATS, write_timeline
from storyreel.keys import digest
from storyreel.model import Storyboard
from storyreel.project import Project
from storyreel.run.cache import TakeCache
from storyreel.store.db import has_store, open_store
from storyreel.store.versions import NoVersions, VersionError, filmed_timeline

# The stems the sound stage keeps beside the project's latest sound, by name.
STEM_NAMES = ("dialogue", "ambience", "foley", "music")


def latest_film(project: Project) -> ExportRequest:
    """What the project's latest version filmed, as a request to deliver it."""
    if not has_store(project):
        raise NoVersions(f"no versions yet in {project.root}: a make records one")
    with open_store(project) as store:
        versions = store.versions()
        if not versions:
            raise NoVersions(f"no versions yet in {project.root}: a make records one")
        latest = versions[-1]
        timeline = filmed_timeline(latest)
        film = Path(str(latest.outputs.get("film", "")))
        if timeline is None or not film.is_file():
            raise VersionError(
                f"version {latest.number}'s film is not there ({film}); make it again"
            )
        board = Storyboard.model_validate(latest.storyboard)
        cache = TakeCache(project, store)
        takes = {}
        for shot, key in latest.takes.items():
            take = cache.get(key)
            if take is not None:
                takes[shot] = take
    return ExportRequest(
        film,
        board,
        timeline,
        film.parent,
        takes=takes,
        take_keys=dict(latest.takes),
        storyboard_key=digest(latest.storyboard),
        stems=project_stems(project),
    )


def project_stems(project: Project) -> dict[str, Path]:
    """The stems of the project's latest sound (the sound stage keeps only that one)."""
    folder = project.state_dir / "sound"
    if not folder.is_dir():
        return {}
    kept = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    if not kept:
        return {}
    return {n: p for n in STEM_NAMES if (p := kept[-1] / f"{n}.wav").is_file()}


def export_timeline(
    project: Project, fmt: str, out: Path | None = None, collect: Path | None = None
) -> list[Path]:
    """Write the project's latest film as a `fmt` timeline at `out` (default: beside the
    film; inside `collect` when collecting the media there)."""
    request = latest_film(project)
    if fmt not in FORMATS:
        raise VersionError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    suffix = FORMATS[fmt][1]
    if out is None:
        out = (collect or request.out_dir) / (request.film.stem + suffix)
    return write_timeline(request, fmt, out, collect)
