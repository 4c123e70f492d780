from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from storyreel.api.deps import Authenticated, ProjectDep, StudioDep
from storyreel.api.errors import NotFound
from storyreel.api.schemas import StoryboardPublic, VersionDiffPublic, VersionPublic, errors
from storyreel.api.services import StudioProject
from storyreel.model import Storyboard
from storyreel.store import open_store
from storyreel.store.records import VersionRecord
from storyreel.store.versions import (
    VersionError,
    checkout,
    diff,
    filmed_timeline,
    get_version,
    log,
    unrecorded_changes,
)
from storyreel.timeline import Timeline

router = APIRouter(
    prefix="/api/projects/{project_id}/versions",
    tags=["versions"],
    dependencies=[Authenticated],
    responses=errors(404),
)

VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="The version's number.")]


def version_public(project: StudioProject, version: VersionRecord, latest: bool) -> VersionPublic:
    shots = version.storyboard.get("shots", [])
    film = project.file("film.mp4")
    try:
        timeline = filmed_timeline(version)
    except VersionError:
        timeline = None  # the list still shows it; its own timeline route says why
    return VersionPublic(
        number=version.number,
        created_at=version.created_at,
        shot_count=len(shots),
        # The film's own length; a version from before timelines has its shots' sum.
        duration=timeline.duration
        if timeline is not None
        else sum(float(s.get("duration", 0)) for s in shots),
        message=version.message,
        film_url=f"/api/projects/{project.id}/files/film.mp4"
        if latest and film.is_file()
        else None,
    )


@router.get("", summary="The recorded versions (one per make), newest first")
def list_versions(project: ProjectDep) -> list[VersionPublic]:
    with open_store(project.project) as store:
        versions = log(store)
    return [version_public(project, v, i == 0) for i, v in enumerate(versions)]


@router.get("/diff", summary="What changed from version a to version b, shot by shot")
def diff_versions(
    project: ProjectDep,
    a: Annotated[int, Query(ge=1, le=2**31 - 1, description="The earlier version.")],
    b: Annotated[int, Query(ge=1, le=2**31 - 1, description="The later version.")],
) -> VersionDiffPublic:
    with open_store(project.project) as store:
        changes = diff(store, a, b)
    return VersionDiffPublic.model_validate({"a": a, "b": b, **changes.model_dump(mode="json")})


@router.get(
    "/{number}/timeline",
    summary="Where every shot, line, word, subtitle cue and transition sits in the film",
    responses=errors(422),
)
def version_timeline(number: VersionNumber, project: ProjectDep) -> Timeline:
    with open_store(project.project) as store:
        version = get_version(store, number)
    timeline = filmed_timeline(version)
    if timeline is None:
        raise NotFound(f"version {number} was made before makes kept their timeline; make again")
    return timeline


@router.post(
    "/{number}/checkout",
    summary="Make an old version's storyboard the one to film",
    responses=errors(409),
)
def checkout_version(
    number: VersionNumber,
    project: ProjectDep,
    studio: StudioDep,
    force: Annotated[
        bool, Query(description="Replace storyboard edits of your own that no make recorded.")
    ] = False,
) -> StoryboardPublic:
    with open_store(project.project) as store:
        board: Storyboard = checkout(store, number)
        unrecorded = unrecorded_changes(store, project.project.storyboard_path)
    return studio.boards.checkout(project, board, replace_edits=force or not unrecorded)
