"""What the store hands out: plain pydantic records, never live ORM rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

JobStatus = Literal["queued", "started", "done", "failed"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, from_attributes=True)

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        # SQLite hands back naive datetimes; every time the store wrote was UTC.
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class TakeRecord(_Record):
    key: str
    shot_id: str
    engine: str
    path: str  # relative to the project's state folder (.storyreel/)
    frames: int
    fps: int
    width: int
    height: int
    seed: int
    size: int
    created_at: datetime | None = None


class ScoreRecord(_Record):
    """What one check found in one take, as the store keeps it."""

    check: str
    score: float
    passed: bool
    applicable: bool = True
    # notes, evidence and series of the check's result (qa.CheckResult).
    result: dict[str, Any] = {}
    checked_at: datetime | None = None


Winner = Literal["a", "b", "tie"]


class VoteRecord(_Record):
    """One arena vote: which of two takes of a shot was better (or a tie)."""

    id: int | None = None
    shot_id: str
    take_a: str
    take_b: str
    winner: Winner
    voter: str = ""
    created_at: datetime | None = None


class JobRecord(_Record):
    key: str
    kind: str
    shot_id: str | None
    status: JobStatus
    error: str | None
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


class VersionRecord(_Record):
    number: int
    created_at: datetime
    message: str
    storyboard: dict[str, Any]
    storyboard_key: str
    outputs: dict[str, Any]
    # Shot id -> the key of the take this version used.
    takes: dict[str, str]


class PinRecord(_Record):
    shot_id: str
    take_key: str
    pinned_at: datetime


class KlingKeyRecord(_Record):
    """A key pair of the server's Kling-compatible API."""

    access_key: str
    secret_key: str
    name: str = ""
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class KlingTaskRecord(_Record):
    """A Kling-style video task as the store keeps it; the API narrows `kind` and
    `status` to Kling's names."""

    task_id: str
    kind: str
    access_key: str
    status: str = "submitted"
    status_msg: str = ""
    external_task_id: str | None = None
    created_at: int  # milliseconds since the epoch, as Kling reports them
    updated_at: int
    seconds: int
    width: int
    height: int
    fps: int
    callback_url: str | None = None
    # Where the client reached the server: callbacks carry links on the same host.
    base_url: str
    # `sound: "on"`: the served film carries the story's sound.
    sound: bool = False


class MakeRowRecord(_Record):
    """A make of the studio server, as the store keeps it."""

    id: str
    project_id: str
    engine: str
    status: str
    error: str | None = None
    created_at: float
    finished_at: float | None = None
    host: str
    pid: int | None = None
    pid_started: int | None = None
    owner: str
    lease_until: float
