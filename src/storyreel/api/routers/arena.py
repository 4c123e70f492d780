"""The arena: two takes of a shot shown blind, a vote, and the leaderboard."""

from __future__ import annotations

import secrets
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from storyreel.api.deps import Authenticated, ProjectDep
from storyreel.api.errors import Conflict, NotFound
from storyreel.api.schemas import errors
from storyreel.api.schemas.quality import (
    ArenaPair,
    ArenaTake,
    LeaderboardPublic,
    StandingPublic,
    VoteCreate,
    VotePublic,
)
from storyreel.qa.arena import leaderboard
from storyreel.run.quality import arena_duels
from storyreel.store import VoteRecord, open_store

router = APIRouter(
    prefix="/api/projects/{project_id}/arena",
    tags=["arena"],
    dependencies=[Authenticated],
    responses=errors(404),
)


@router.get(
    "/pair", summary="Two takes of one shot, blind and in random order", responses=errors(409)
)
def pair(project: ProjectDep) -> ArenaPair:
    with open_store(project.project) as store:
        takes = store.takes()
    by_shot: dict[str, list[str]] = {}
    for take in takes:
        by_shot.setdefault(take.shot_id, []).append(take.key)
    shots = [shot for shot, keys in by_shot.items() if len(keys) >= 2]
    if not shots:
        raise Conflict("no shot has two takes yet: make the film with --takes 2 (or more)")
    chooser = secrets.SystemRandom()
    shot = chooser.choice(shots)
    a, b = chooser.sample(by_shot[shot], 2)
    base = f"/api/projects/{project.id}/shots/{shot}/takes"
    return ArenaPair(
        shot_id=shot,
        a=ArenaTake(key=a, video_url=f"{base}/{a}/video"),
        b=ArenaTake(key=b, video_url=f"{base}/{b}/video"),
    )


@router.post(
    "/votes",
    status_code=201,
    summary="Record which of the two takes was better",
    responses=errors(409),
)
def vote(body: VoteCreate, project: ProjectDep) -> VotePublic:
    if body.take_a == body.take_b:
        raise Conflict("a vote compares two different takes")
    with open_store(project.project) as store:
        for key in (body.take_a, body.take_b):
            found = store.find_take(key)
            if found is None or found.shot_id != body.shot_id:
                raise NotFound(f"shot {body.shot_id} has no take {key[:12]}")
        record = store.record_vote(VoteRecord(**body.model_dump()))
    return VotePublic(id=record.id or 0, **body.model_dump())


@router.get("/leaderboard", summary="Bradley–Terry ratings of the votes")
def standings(
    project: ProjectDep,
    by: Annotated[Literal["engine", "seed", "take"], Query()] = "engine",
) -> LeaderboardPublic:
    with open_store(project.project) as store:
        duels = arena_duels(store, by)
    rows = [
        StandingPublic(
            player=s.player, rating=s.rating, low=s.low, high=s.high, votes=s.votes, wins=s.wins
        )
        for s in leaderboard(duels)
    ]
    return LeaderboardPublic(by=by, votes=len(duels), standings=rows)
