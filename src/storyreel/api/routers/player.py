"""A branching film's player as the latest make wrote it (deliver/branches.py), served
so the page plays in the studio as it does from the disk: its parts sit beside it, and
the page passes its own `?token=` on to them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from storyreel.api.deps import Authenticated, ProjectDep
from storyreel.api.ranges import file_response
from storyreel.api.schemas import errors

router = APIRouter(
    prefix="/api/projects/{project_id}/player",
    tags=["player"],
    dependencies=[Authenticated],
    responses=errors(404),
)

# The player's folder beside the project's film, and the only names served from it.
PLAYER_FOLDER = "film.player"
_NAME = r"^(index\.html|branches\.json|scene-[1-9][0-9]{0,4}\.mp4)$"
_TYPES = {".html": "text/html; charset=utf-8", ".json": "application/json", ".mp4": "video/mp4"}
_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/{name}",
    summary="A branching film's player: its page, its graph, a scene's part",
    response_class=Response,
    responses={
        **errors(404, 416),
        200: {"content": {t: _BINARY for t in _TYPES.values()}, "description": "The file."},
        206: {"content": {"video/mp4": _BINARY}, "description": "A byte range."},
    },
)
def get_player_file(
    name: Annotated[
        str,
        Path(
            pattern=_NAME,
            description="index.html, branches.json or scene-N.mp4.",
            examples=["index.html"],
        ),
    ],
    request: Request,
    project: ProjectDep,
) -> Response:
    path = project.folder / PLAYER_FOLDER / name
    return file_response(request, path, _TYPES[path.suffix])
