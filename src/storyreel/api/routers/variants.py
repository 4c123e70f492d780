"""Variants of the project's film: start the matrix (a make-like job), read its
manifest, watch a film, record the pick."""

from __future__ import annotations

import re
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Body, Path, Request, Response
from pydantic import ValidationError

from storyreel.api.deps import Authenticated, MakesDep, ProjectDep, SettingsDep
from storyreel.api.errors import Conflict, NotFound
from storyreel.api.ranges import file_response
from storyreel.api.schemas import MakePublic, errors
from storyreel.api.schemas.variants import (
    VariantFilmPublic,
    VariantPick,
    VariantsCreate,
    VariantsPublic,
)
from storyreel.api.services import StudioProject
from storyreel.script import read_story
from storyreel.variants.manifest import Manifest, pick, read_manifest
from storyreel.variants.matrix import VariantMatrix
from storyreel.variants.transform import VariantError, translation_table

router = APIRouter(
    prefix="/api/projects/{project_id}/variants",
    tags=["variants"],
    dependencies=[Authenticated],
    responses=errors(404),
)

VARIANTS_DIR = "variants"
FileName = Annotated[str, Path(pattern=r"^[\w.\-]+\.mp4$", description="A film's file name.")]


def variants_folder(project: StudioProject) -> FilePath:
    return project.folder / VARIANTS_DIR


@router.post(
    "",
    status_code=202,
    summary="Start making every film of the matrix (one job, like a make)",
    responses=errors(409, 422),
)
async def start_variants(
    project: ProjectDep,
    makes: MakesDep,
    settings: SettingsDep,
    body: Annotated[VariantsCreate, Body()],
) -> MakePublic:
    try:
        matrix = VariantMatrix(
            languages=tuple(body.languages),
            aspects=tuple(body.aspects),
            lengths=tuple(body.lengths),
            ctas=tuple(body.ctas),
        )
    except ValidationError as error:
        raise VariantError(str(error.errors()[0]["msg"])) from None
    story = project.script_path
    if story is None:
        raise Conflict("the project has no script yet; PUT one to .../script first")
    # A text without its translation is refused now, not reported by a failed job.
    script = read_story(story)
    for language in matrix.languages:
        translation_table(script, language, matrix.ctas, brief=FilePath(story.name))
    return makes.start(
        project, body, body.engine or settings.engine, variants=(matrix, variants_folder(project))
    ).public()


@router.get("", summary="The films made, with their settings and QA, and the pick")
def get_variants(project: ProjectDep) -> VariantsPublic:
    manifest = read_manifest(variants_folder(project)) or Manifest(brief="")
    return _public(project, manifest)


@router.post("/pick", summary="Record the creator's pick among the films")
def pick_variant(project: ProjectDep, body: VariantPick) -> VariantsPublic:
    try:
        return _public(project, pick(variants_folder(project), body.variant))
    except KeyError:
        raise NotFound(f"no variant {body.variant!r}; GET .../variants lists them") from None


@router.get(
    "/files/{name}",
    summary="One film of the matrix",
    response_class=Response,
    responses=errors(404, 416),
)
def get_variant_file(name: FileName, request: Request, project: ProjectDep) -> Response:
    manifest = read_manifest(variants_folder(project))
    if manifest is None or not any(row.file == name for row in manifest.films):
        raise NotFound(f"no variant film {name!r}")
    return file_response(request, variants_folder(project) / name, "video/mp4")


def _public(project: StudioProject, manifest: Manifest) -> VariantsPublic:
    base = f"/api/projects/{project.id}/variants/files/"
    films = [
        VariantFilmPublic(**row.model_dump(), url=base + row.file)
        for row in manifest.films
        if re.fullmatch(r"[\w.\-]+\.mp4", row.file)
    ]
    return VariantsPublic(films=films, picked=manifest.picked)
