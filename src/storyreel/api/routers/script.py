from __future__ import annotations

from fastapi import APIRouter

from storyreel.api.deps import Authenticated, ProjectDep, StudioDep
from storyreel.api.schemas import (
    ScriptPreview,
    ScriptPublic,
    ScriptUpdate,
    StoryboardPublic,
    errors,
)
from storyreel.api.services import read_script, write_script

router = APIRouter(
    prefix="/api/projects/{project_id}/script",
    tags=["script"],
    dependencies=[Authenticated],
    responses=errors(404),
)


@router.get("", summary="The script as written")
def get_script(project: ProjectDep) -> ScriptPublic:
    text, kind = read_script(project)
    return ScriptPublic(text=text, format=kind)


@router.put(
    "",
    summary="Replace the script (422 with the line when it cannot be read)",
)
def put_script(body: ScriptUpdate, project: ProjectDep) -> ScriptPublic:
    kind = write_script(project, body.text)
    return ScriptPublic(text=body.text, format=kind)


@router.post(
    "/preview",
    summary="The storyboard a text would get, without saving anything",
)
def preview_script(body: ScriptPreview, project: ProjectDep, studio: StudioDep) -> StoryboardPublic:
    return studio.boards.preview(project, body.text)
