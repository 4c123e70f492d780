from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from storyreel.api.deps import Authenticated, ProjectDep, StudioDep
from storyreel.api.errors import NotFound
from storyreel.api.ranges import file_response
from storyreel.api.schemas import (
    OptionsPublic,
    ShotOrder,
    ShotPublic,
    ShotUpdate,
    StoryboardPublic,
    errors,
)
from storyreel.api.schemas.common import media
from storyreel.api.services import options, thumbnail

router = APIRouter(
    prefix="/api/projects/{project_id}/storyboard",
    tags=["storyboard"],
    dependencies=[Authenticated],
    responses=errors(404),
)

ShotId = Annotated[
    str, Path(min_length=1, max_length=64, description="The shot's id in the storyboard.")
]


@router.get(
    "",
    response_model=StoryboardPublic,
    summary="The storyboard: planned from the script, the creator's edits merged in",
)
def get_storyboard(project: ProjectDep, studio: StudioDep) -> Response:
    # Sent as the bytes serialized when the storyboard last changed.
    return Response(studio.boards.state(project).body, media_type="application/json")


@router.get("/options", summary="The values a shot's size, move, angle and duration take")
def get_options(project: ProjectDep, studio: StudioDep) -> OptionsPublic:
    return options(studio.boards.max_duration)


@router.patch(
    "/shots/{shot_id}",
    summary="Edit a shot; the edit is kept when the script is re-planned",
)
def update_shot(
    shot_id: ShotId, body: ShotUpdate, project: ProjectDep, studio: StudioDep
) -> ShotPublic:
    return studio.boards.update_shot(project, shot_id, body)


@router.put(
    "/order",
    summary="Play the shots in a new order; the order is kept when the script is re-planned",
)
def reorder_shots(body: ShotOrder, project: ProjectDep, studio: StudioDep) -> StoryboardPublic:
    return studio.boards.reorder_shots(project, body)


@router.get(
    "/shots/{shot_id}/thumbnail",
    summary="The shot's previs panel",
    response_class=Response,
    responses=media("image/png", "A PNG of the shot's previs panel."),
)
def get_thumbnail(
    shot_id: ShotId, request: Request, project: ProjectDep, studio: StudioDep
) -> Response:
    document = studio.boards.state(project).document
    if document is None:
        raise NotFound("the project has no storyboard yet; write a script first")
    path = thumbnail(project, document.board, shot_id)
    return file_response(request, path, "image/png")
