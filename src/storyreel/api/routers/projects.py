from __future__ import annotations

from fastapi import APIRouter, Response

from storyreel.api.deps import Authenticated, MakesDep, ProjectDep, StudioDep
from storyreel.api.errors import Conflict
from storyreel.api.schemas import ProjectCreate, ProjectPublic, ProjectUpdate, errors
from storyreel.api.services import Studio, StudioProject
from storyreel.errors import StoryreelError

router = APIRouter(
    prefix="/api/projects", tags=["projects"], dependencies=[Authenticated], responses=errors()
)


def project_public(studio: Studio, project: StudioProject) -> ProjectPublic:
    meta = project.meta
    shot_count, language = 0, None
    if project.script_path is not None:
        try:
            board = studio.boards.state(project).public
            shot_count, language = len(board.shots), board.language
        except StoryreelError:
            pass  # a storyboard.yaml broken by hand: the storyboard route says why
    return ProjectPublic(
        id=project.id,
        title=meta.title,
        created_at=meta.created_at,
        updated_at=project.updated_at(),
        shot_count=shot_count,
        has_film=project.file("film.mp4").is_file(),
        language=language,
    )


@router.get("", summary="List the projects, newest first")
def list_projects(studio: StudioDep) -> list[ProjectPublic]:
    found = [project_public(studio, studio.get(i)) for i in studio.ids()]
    return sorted(found, key=lambda p: p.created_at, reverse=True)


@router.post("", status_code=201, summary="Create a project, optionally with its script")
def create_project(body: ProjectCreate, studio: StudioDep) -> ProjectPublic:
    return project_public(studio, studio.create(body.title, body.script))


@router.get("/{project_id}", summary="One project", responses=errors(404))
def get_project(project: ProjectDep, studio: StudioDep) -> ProjectPublic:
    return project_public(studio, project)


@router.patch("/{project_id}", summary="Rename a project", responses=errors(404))
def update_project(body: ProjectUpdate, project: ProjectDep, studio: StudioDep) -> ProjectPublic:
    if body.title is not None:
        project.write_meta(project.meta.model_copy(update={"title": body.title}))
    return project_public(studio, project)


@router.delete(
    "/{project_id}",
    status_code=204,
    summary="Delete a project and everything in it",
    responses=errors(404, 409),
)
def delete_project(project: ProjectDep, studio: StudioDep, makes: MakesDep) -> Response:
    running = makes.running(project.id)
    if running is not None:
        raise Conflict(f"make {running.id} of this project is running; cancel it first")
    studio.delete(project)
    return Response(status_code=204)
