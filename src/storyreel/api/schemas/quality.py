from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from storyreel.api.schemas.takes import CheckPublic


class CheckPlotPublic(CheckPublic):
    # A PNG of the check's per-frame measure; None for a check that keeps none.
    plot_url: str | None = None


class TakeQualityPublic(BaseModel):
    """One take and what the make's checks found in it."""

    shot_id: str
    key: str
    engine: str
    seed: int
    in_film: bool
    # qa.take_score: 1 at best, below 0 when a check fails; None: never judged.
    score: float | None
    passed: bool | None
    checks: list[CheckPlotPublic]
    video_url: str


class QualityPublic(BaseModel):
    # Shots whose take in the film fails a check.
    failing_shots: list[str]
    takes: list[TakeQualityPublic]


class ArenaTake(BaseModel):
    """One side of a blind pair: nothing that names its engine, seed or settings."""

    key: str
    video_url: str


class ArenaPair(BaseModel):
    shot_id: str
    a: ArenaTake
    b: ArenaTake


class VoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shot_id: str = Field(min_length=1, max_length=64)
    take_a: str = Field(pattern=r"^[0-9a-f]{64}$")
    take_b: str = Field(pattern=r"^[0-9a-f]{64}$")
    winner: Literal["a", "b", "tie"]


class VotePublic(VoteCreate):
    id: int


class StandingPublic(BaseModel):
    player: str
    rating: float  # Elo-like: 1000 is the average player
    low: float  # the 95 % interval
    high: float
    votes: int
    wins: float  # ties count half


class LeaderboardPublic(BaseModel):
    by: Literal["engine", "seed", "take"]
    votes: int
    standings: list[StandingPublic]
