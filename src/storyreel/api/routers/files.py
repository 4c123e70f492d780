from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response

from storyreel.api.deps import Authenticated, ProjectDep
from storyreel.api.ranges import file_response
from storyreel.api.schemas import errors
from storyreel.api.services import FILES

router = APIRouter(
    prefix="/api/projects/{project_id}/files",
    tags=["files"],
    dependencies=[Authenticated],
    responses=errors(404),
)

FileName = Literal["film.mp4", "film.vtt", "film.srt", "sheet.png"]
_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/{name}",
    summary="What the latest make wrote: the film, its subtitles, the contact sheet",
    response_class=Response,
    responses={
        **errors(404, 416),
        200: {"content": {t: _BINARY for t in FILES.values()}, "description": "The file."},
        206: {"content": {t: _BINARY for t in FILES.values()}, "description": "A byte range."},
    },
)
def get_file(
    name: Annotated[FileName, Path(description="Which file.")],
    request: Request,
    project: ProjectDep,
) -> Response:
    return file_response(request, project.file(name), FILES[name])
