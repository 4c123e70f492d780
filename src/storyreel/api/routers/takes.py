from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from storyreel.api.deps import Authenticated, ProjectDep
from storyreel.api.errors import NotFound
from storyreel.api.ranges import file_response
from storyreel.api.schemas import CheckPublic, TakePublic, errors, media
from storyreel.api.services import StudioProject
from storyreel.qa import take_score
from storyreel.run.takes import result_of
from storyreel.store import Store, open_store
from storyreel.store.records import ScoreRecord, TakeRecord
from storyreel.store.versions import find_take, take_list, take_pin, take_unpin

router = APIRouter(
    prefix="/api/projects/{project_id}/shots/{shot_id}",
    tags=["takes"],
    dependencies=[Authenticated],
    responses=errors(404),
)

ShotId = Annotated[str, Path(min_length=1, max_length=64, description="The shot's id.")]
TakeKey = Annotated[
    str,
    Path(
        pattern=r"^[0-9a-fA-F]{4,64}$",
        description="The take's key, or its first characters (at least 4).",
    ),
]


def _current(store: Store, shot_id: str) -> str | None:
    versions = store.versions()
    return versions[-1].takes.get(shot_id) if versions else None


def take_public(
    project: StudioProject,
    take: TakeRecord,
    pinned: bool,
    current: str | None,
    scores: list[ScoreRecord] | None = None,
) -> TakePublic:
    base = f"/api/projects/{project.id}/shots/{take.shot_id}/takes/{take.key}"
    checks = [
        CheckPublic(
            check=s.check,
            score=s.score,
            passed=s.passed,
            applicable=s.applicable,
            notes=list(s.result.get("notes", [])),
        )
        for s in scores or []
    ]
    return TakePublic(
        key=take.key,
        engine=take.engine,
        created_at=take.created_at,
        pinned=pinned,
        current=take.key == current,
        frames=take.frames,
        video_url=f"{base}/video",
        checks=checks,
        score=take_score([result_of(s) for s in scores]) if scores else None,
    )


@router.get("/takes", summary="The shot's takes, oldest first")
def list_takes(shot_id: ShotId, project: ProjectDep) -> list[TakePublic]:
    with open_store(project.project) as store:
        listings = take_list(store, shot_id)
        current = _current(store, shot_id)
        scores = store.scores([t.take.key for t in listings])
    return [take_public(project, t.take, t.pinned, current, scores[t.take.key]) for t in listings]


@router.post("/takes/{key}/pin", summary="Use this take in every later make")
def pin_take(shot_id: ShotId, key: TakeKey, project: ProjectDep) -> TakePublic:
    with open_store(project.project) as store:
        take = take_pin(store, shot_id, key)
        current = _current(store, shot_id)
        scores = store.scores([take.key])[take.key]
    return take_public(project, take, True, current, scores)


@router.delete("/pin", status_code=204, summary="Let the next make choose the take again")
def unpin_take(shot_id: ShotId, project: ProjectDep) -> Response:
    with open_store(project.project) as store:
        take_unpin(store, shot_id)
    return Response(status_code=204)


@router.get(
    "/takes/{key}/video",
    summary="The take's video",
    response_class=Response,
    responses=media("video/mp4", "The take, with Range support.", 416),
)
def take_video(shot_id: ShotId, key: TakeKey, request: Request, project: ProjectDep) -> Response:
    with open_store(project.project) as store:
        take = find_take(store, shot_id, key)
    state = project.project.state_dir.resolve()
    path = (state / take.path).resolve()
    if not path.is_relative_to(state):
        raise NotFound(f"take {take.key[:12]}'s file is outside the project")
    return file_response(request, path, "video/mp4")
