from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Body, Path
from fastapi.responses import StreamingResponse

from storyreel.api.deps import Authenticated, MakesDep, ProjectDep, SettingsDep
from storyreel.api.makes import MakeManager, MakeRecord
from storyreel.api.schemas import MakeCreate, MakePublic, errors
from storyreel.api.schemas.makes import FINISHED

router = APIRouter(
    prefix="/api/projects/{project_id}/makes",
    tags=["makes"],
    dependencies=[Authenticated],
    responses=errors(404),
)

MakeId = Annotated[str, Path(pattern=r"^m[0-9a-f]{12}$", description="The make's id.")]
# An idle stream sends a comment this often, so proxies do not close it.
KEEPALIVE_SECONDS = 15.0


@router.post(
    "",
    status_code=202,
    summary="Start making the film (one make per project at a time)",
    responses=errors(409),
)
async def start_make(
    project: ProjectDep,
    makes: MakesDep,
    settings: SettingsDep,
    body: Annotated[MakeCreate, Body()] = MakeCreate(),  # noqa: B008 - an immutable default
) -> MakePublic:
    return makes.start(project, body, body.engine or settings.engine).public()


@router.get("", summary="This server's makes of the project, newest first")
def list_makes(project: ProjectDep, makes: MakesDep) -> list[MakePublic]:
    return [r.public() for r in reversed(makes.of_project(project.id))]


@router.get("/{make_id}", summary="One make's status and progress")
def get_make(make_id: MakeId, project: ProjectDep, makes: MakesDep) -> MakePublic:
    return makes.get(make_id, project.id).public()


@router.post("/{make_id}/cancel", summary="Stop a make; what it finished stays cached")
def cancel_make(make_id: MakeId, project: ProjectDep, makes: MakesDep) -> MakePublic:
    makes.get(make_id, project.id)
    return makes.cancel(make_id).public()


@router.get(
    "/{make_id}/events",
    summary="Live progress as server-sent events: progress, shot, status",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "description": "Events `progress` (a stage), `shot` (a shot's render) and "
            "`status` (the make's status; the stream ends after a final one). Data is "
            "JSON. The latest state comes first.",
        }
    },
)
async def make_events(make_id: MakeId, project: ProjectDep, makes: MakesDep) -> StreamingResponse:
    record = makes.get(make_id, project.id)
    return StreamingResponse(
        sse(makes, record),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def sse(makes: MakeManager, record: MakeRecord) -> AsyncIterator[str]:
    queue = makes.subscribe(record)
    number = 0
    try:
        while True:
            try:
                name, data = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": still making\n\n"
                continue
            number += 1
            yield f"id: {number}\nevent: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
            if name == "status" and data.get("status") in FINISHED:
                return
    finally:
        makes.unsubscribe(record, queue)
