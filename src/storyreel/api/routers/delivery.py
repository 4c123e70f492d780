"""The latest film's provenance (what `storyreel verify` reports) and its timeline for
an editor (what `storyreel export` writes), for the studio to show and offer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response

from storyreel.api.deps import Authenticated, ProjectDep
from storyreel.api.errors import Conflict, NotFound
from storyreel.api.ranges import file_response
from storyreel.api.schemas import errors

router = APIRouter(
    prefix="/api/projects/{project_id}",
    tags=["delivery"],
    dependencies=[Authenticated],
    responses=errors(404),
)

TimelineName = Literal["film.otio", "film.edl", "film.xml"]
# Each timeline file: its format (storyreel export's --format) and media type.
_TIMELINES: dict[str, tuple[str, str]] = {
    "film.otio": ("otio", "application/json"),
    "film.edl": ("edl", "text/plain"),
    "film.xml": ("fcp7xml", "application/xml"),
}
_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/provenance",
    summary="The film's C2PA manifest and AI labels, checked: status valid, altered or "
    "unsigned; the signer; what made each shot",
)
def get_provenance(project: ProjectDep) -> dict[str, Any]:
    from storyreel.deliver.verify import verify

    film = project.file("film.mp4")
    if not film.is_file():
        raise NotFound("no film yet: make one first")
    return verify(film).to_json()


@router.get(
    "/timelines/{name}",
    summary="The latest film as an editor's timeline (OTIO, CMX 3600 EDL, FCP7 XML)",
    response_class=Response,
    responses={
        **errors(404, 409, 416),
        200: {"content": {t: _BINARY for _, t in _TIMELINES.values()}, "description": "It."},
        206: {"content": {t: _BINARY for _, t in _TIMELINES.values()}, "description": "Part."},
    },
)
def get_timeline(
    name: Annotated[TimelineName, Path(description="Which timeline.")],
    request: Request,
    project: ProjectDep,
) -> Response:
    from storyreel.errors import OutputError
    from storyreel.exports import export_timeline
    from storyreel.store.versions import NoVersions

    fmt, media_type = _TIMELINES[name]
    try:
        written = export_timeline(project.project, fmt, project.folder / name)
    except NoVersions:
        raise NotFound("no film yet: make one first") from None
    except OutputError as error:  # an EDL of a film at a rate timecode has not
        raise Conflict(str(error)) from None
    return file_response(request, written[0], media_type)
